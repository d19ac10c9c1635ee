"""The public search page: ``/search/?q=…&category=&fiscal_year=&unit=&kind=&page=``.

Any query string must give a page, never an error: the query is cut to
:data:`~catalog.search.MAX_QUERY_LENGTH` characters and reduced to words before it reaches SQL,
and filter values that do not parse are ignored, as on the category pages. The number of
database queries is the same for every page: the menus (categories, units), the ranked ids with
their total, and the items shown.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from catalog import selectors
from catalog.cache import SETUP, remember
from catalog.models import Category
from catalog.search import MAX_QUERY_LENGTH, Filters, search
from catalog.search.highlight import highlight, snippet
from esa_publish.office.models import Unit
from esa_publish.thai.fiscal import fiscal_year
from esa_publish.throttle import rate_limited

PAGE_SIZE = 20
MAX_PAGE = 10_000
YEARS_OFFERED = 5  # the current fiscal year and the four before it


@dataclass
class ResultPage:
    """Enough of Django's ``Page`` for the template, without a second query for the count."""

    number: int
    total: int
    per_page: int = PAGE_SIZE

    @property
    def num_pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages

    @property
    def has_other_pages(self) -> bool:
        return self.num_pages > 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def start_index(self) -> int:
        return (self.number - 1) * self.per_page + 1


def _page_number(raw) -> int:
    try:
        number = int(raw)
    except (TypeError, ValueError):
        return 1
    return min(max(number, 1), MAX_PAGE)


def _clean_query(raw: str) -> tuple[str, bool]:
    """The query as searched (NULs dropped, cut to length) and whether it was cut."""
    query = raw.replace("\x00", "")
    return query[:MAX_QUERY_LENGTH], len(query) > MAX_QUERY_LENGTH


@require_safe
@rate_limited("search", "RATELIMIT_SEARCH")
def results(request):
    query, cut = _clean_query(request.GET.get("q", ""))
    chosen = selectors.ItemFilters.from_query(request.GET)
    # (pk, slug, label, is_active), kept until a setup edit (publications leave them alone).
    categories = remember("search:categories", _categories, until=SETUP)
    category = next((c for c in categories if c[1] == request.GET.get("category")), None)
    current_year = fiscal_year(timezone.localdate())
    years = list(range(current_year, current_year - YEARS_OFFERED, -1))
    if chosen.fiscal_year and chosen.fiscal_year not in years:
        years.append(chosen.fiscal_year)
    filters = Filters(
        category_id=category[0] if category else None,
        fiscal_year=chosen.fiscal_year,
        unit_id=chosen.unit_id,
        kind=chosen.kind,
    )
    number = _page_number(request.GET.get("page"))
    result = _search(query, filters, number)
    if result.total and not result.ids:
        # A page past the end (an old link, a hand-edited address): show the last one instead.
        number = ResultPage(1, result.total).num_pages
        result = _search(query, filters, number)
    found = selectors.result_rows(result.ids)
    rows = [
        {
            "item": found[pk],
            "title": highlight(found[pk].title, result.terms),
            "snippet": snippet(found[pk].summary, result.terms),
        }
        for pk in result.ids
        if pk in found
    ]
    message = ""
    if cut:
        message = _("คำค้นยาวเกิน %(limit)s ตัวอักษร จึงค้นหาจากส่วนแรกเท่านั้น") % {
            "limit": MAX_QUERY_LENGTH
        }
    return render(
        request,
        "search/results.html",
        {
            "query": query,
            "searched": bool(result.terms),
            "typed": bool(query.strip()),
            "rows": rows,
            "page": ResultPage(number, result.total),
            "more": result.more,
            "message": message,
            # The menus were most of the page's template work: their HTML is kept per choice
            # until a setup edit (they show categories, units, years and kinds, no items).
            "filter_menus": mark_safe(  # noqa: S308 - our own template's output
                remember(
                    f"search:menus:{get_language()}:{filters.category_id}:{filters.fiscal_year}"
                    f":{filters.unit_id}:{filters.kind}:{years[0]}-{len(years)}",
                    lambda: _menus(categories, years, filters),
                    until=SETUP,
                )
            ),
            "filtered": any(
                v is not None
                for v in (filters.category_id, filters.fiscal_year, filters.unit_id, filters.kind)
            ),
        },
    )


def _search(query: str, filters: Filters, number: int):
    """Page ``number`` of ``query``'s results, kept per catalog version: the same words are
    searched again and again (the segmentation and the full-text query were half of a search's
    CPU), and the results only change when the catalog does."""
    key = hashlib.sha256(f"{query}\n{filters}\n{number}".encode()).hexdigest()[:32]
    offset = (number - 1) * PAGE_SIZE
    return remember(
        f"search:result:{key}",
        lambda: search(query, filters=filters, offset=offset, limit=PAGE_SIZE),
    )


def _categories() -> list[tuple]:
    return [
        (c.pk, c.slug, str(c), c.is_active)
        for c in Category.objects.order_by("order", "code", "name").only(
            "pk", "slug", "code", "name", "is_active"
        )
    ]


def _menus(categories, years, filters) -> str:
    chosen = filters.category_id  # a retired category stays in the menu while it is chosen
    units = Unit.objects.filter(is_active=True).values_list("pk", "name")
    context = {
        # (value, label) pairs for {% options %}.
        "category_options": [
            (slug, label) for pk, slug, label, active in categories if active or pk == chosen
        ],
        "chosen_category": next((slug for pk, slug, *_ in categories if pk == chosen), None),
        "unit_options": list(units),
        "years": [(year, year) for year in years],
        "kinds": selectors.KIND_LABELS.items(),
        "filters": filters,
    }
    return render_to_string("search/_filters.html", context)
