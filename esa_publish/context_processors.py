"""Values every page needs: the office and the navigation this user may see."""

from approvals.permissions import held_roles
from approvals.principals import principals_for
from catalog.cache import remember
from esa_publish.office.models import Office
from esa_publish.office.navigation import navigation_for


def shell(request):
    office = getattr(request, "_office_cache", None)
    if office is None:
        # Kept like the catalog's menus: an edit of the office raises the catalog version.
        office = request._office_cache = remember("office", Office.current)
    user = request.user
    # The same principals the pages check, so a delegate sees the entries of the work they do.
    roles = held_roles(principals_for(user)) if user.is_authenticated else None
    return {"office": office, "nav_items": navigation_for(user, held_roles=roles)}
