"""``{% oia_plan_warning %}``: tells a webmaster, on their own pages, that the current fiscal
year's plans (section 9 (3) of the Official Information Act) are not published."""

from django import template

from catalog.oia import selectors
from catalog.oia.views import can_see_drafts

register = template.Library()


@register.inclusion_tag("catalog/oia/_plan_warning.html", takes_context=True)
def oia_plan_warning(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not can_see_drafts(user):
        return {"missing": False}
    year = selectors.current_fiscal_year()
    return {"missing": selectors.plan_missing(year), "fiscal_year": year}
