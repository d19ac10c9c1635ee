"""ITA open-information evidence: which published items answer which ITA item of a year.

Reviewers of the Integrity and Transparency Assessment check, item by item (O1, O2, …), that
the office's website shows the required information. An item counts as evidence for an ITA item
of fiscal year *Y* when the webmaster mapped it to that ITA item and it holds data of the ITA
item's data year (*Y*, or *Y − 1* for items answered from last year's reports such as annual
reports). Only live items count: a withdrawn one is no longer on the website. An explicit "none"
statement of the office also answers an item (no complaints this year), or one part of it (no
procurement in November).

Only a confirmed year's list is public; :func:`public_list` says whether there is one.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Prefetch
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from catalog.models import CatalogItem, ITAItem, ITAList, ITANilStatement, ITAPartCoverage
from esa_publish.spreadsheet import safe_cell, safe_row
from esa_publish.thai.dates import format_be_short
from esa_publish.thai.fiscal import fiscal_year_range, half_range, quarter_range

# The year's page lists this many items per ITA item; the item's own page lists them all.
ON_YEAR_PAGE = 10
# Fixed names: strftime's %b follows the process's locale.
ENGLISH_MONTHS = [
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "May",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Oct",
    "Nov",
    "Dec",
]
THAI_MONTHS = (
    "ม.ค.",
    "ก.พ.",
    "มี.ค.",
    "เม.ย.",
    "พ.ค.",
    "มิ.ย.",
    "ก.ค.",
    "ส.ค.",
    "ก.ย.",
    "ต.ค.",
    "พ.ย.",
    "ธ.ค.",
)


@dataclass
class Part:
    """One month, quarter or half-year of an item with parts, and what answers it."""

    number: int
    label: str
    start: dt.date
    end: dt.date
    evidence: list = field(default_factory=list)
    nil: list = field(default_factory=list)

    @property
    def answered(self) -> bool:
        return bool(self.evidence or self.nil)


def _month_range(year_be: int, number: int) -> tuple[dt.date, dt.date]:
    start, _end = fiscal_year_range(year_be)
    month0 = start.month - 1 + number - 1
    first = dt.date(start.year + month0 // 12, month0 % 12 + 1, 1)
    after = dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return first, after - dt.timedelta(days=1)


def _short_month(day: dt.date) -> str:
    """ "พ.ย. 2568" on Thai pages, "Nov 2568 BE" on English ones (years are B.E. on both)."""
    language = (translation.get_language() or "th").split("-")[0]
    if language == "en":
        return f"{ENGLISH_MONTHS[day.month - 1]} {day.year + 543} BE"
    return f"{THAI_MONTHS[day.month - 1]} {day.year + 543}"


def part_labels(item: ITAItem) -> list[tuple[int, str, dt.date, dt.date]]:
    """The parts of ``item`` in its data year: (number, label, first day, last day)."""
    year = item.data_year
    if item.parts == ITAItem.Parts.MONTHLY:
        ranges = [_month_range(year, n) for n in range(1, 13)]
        return [(n, _short_month(a), a, b) for n, (a, b) in enumerate(ranges, start=1)]
    if item.parts == ITAItem.Parts.QUARTERLY:
        return [
            (
                q,
                _("ไตรมาส %(q)s (%(a)s – %(b)s)")
                % {"q": q, "a": _short_month(a), "b": _short_month(b)},
                a,
                b,
            )
            for q, (a, b) in ((q, quarter_range(year, q)) for q in range(1, 5))
        ]
    if item.parts == ITAItem.Parts.FIRST_HALF:
        a, b = half_range(year, 1)
        return [
            (
                1,
                _("รอบ ๖ เดือน (%(a)s – %(b)s)") % {"a": _short_month(a), "b": _short_month(b)},
                a,
                b,
            )
        ]
    return []


def _annotate(item: ITAItem, today: dt.date) -> ITAItem:
    """Attach what the pages and exports read: evidence, nil statements, parts and gaps."""
    in_parts = {c.catalog_item_id for c in item.coverage_list} if item.parts else set()
    # Items that cover a month or half-year are listed under it, not twice.
    item.evidence = [
        e for e in item.mapped if e.fiscal_year == item.data_year and e.pk not in in_parts
    ]
    item.evidence_shown = item.evidence[:ON_YEAR_PAGE]
    item.nil = [s for s in item.nil_list if s.part is None]
    item.part_list = []
    for number, label, start, end in part_labels(item):
        part = Part(number, label, start, end)
        part.evidence = [c.catalog_item for c in item.coverage_list if c.part == number]
        part.nil = [s for s in item.nil_list if s.part == number]
        item.part_list.append(part)
    # A part is missing once its period is over and nothing answers it; later ones are not due.
    item.missing_parts = [
        p for p in item.part_list if p.end < today and not p.answered and not item.nil
    ]
    item.answered = bool(item.evidence or item.nil or any(p.answered for p in item.part_list))
    return item


def for_year(
    fiscal_year: int, *, code: str | None = None, today: dt.date | None = None
) -> list[ITAItem]:
    """The ITA items of ``fiscal_year`` (only ``code`` when given), each with ``evidence`` (its
    live items of its data year, newest first), ``nil`` (whole-item "none" statements),
    ``part_list`` and ``missing_parts``. A fixed number of queries however many items there
    are."""
    today = today or timezone.localdate()
    live = (
        CatalogItem.objects.live()
        .filter(fiscal_year__in=[fiscal_year, fiscal_year - 1])
        .only("pk", "slug", "title", "published_at", "fiscal_year")
        .order_by("-published_at", "-pk")
    )
    coverages = ITAPartCoverage.objects.filter(catalog_item__in=live).select_related("catalog_item")
    items = ITAItem.objects.for_year(fiscal_year)
    if code is not None:
        items = items.filter(code=code)
    items = list(
        items.prefetch_related(
            Prefetch("catalog_items", queryset=live, to_attr="mapped"),
            Prefetch(
                "nil_statements",
                queryset=ITANilStatement.objects.order_by("part", "stated_on"),
                to_attr="nil_list",
            ),
            Prefetch("coverages", queryset=coverages, to_attr="coverage_list"),
        )
    )
    return [_annotate(item, today) for item in items]


def gaps(ita_items: list[ITAItem]) -> list[ITAItem]:
    """Those of ``ita_items`` (from :func:`for_year`) with nothing published or stated for them,
    or with a month or half-year that is over and still unanswered."""
    return [ita for ita in ita_items if not ita.answered or ita.missing_parts]


def public_list(fiscal_year: int) -> ITAList | None:
    """The year's list when the office has confirmed it, else ``None``."""
    return ITAList.objects.confirmed().filter(fiscal_year=fiscal_year).first()


def years() -> list[int]:
    """Fiscal years whose ITA list is confirmed, newest first."""
    return list(
        ITAList.objects.confirmed().order_by("-fiscal_year").values_list("fiscal_year", flat=True)
    )


def staff_years() -> list[int]:
    """Fiscal years with an ITA list record or items, confirmed or not, newest first."""
    listed = set(ITAList.objects.values_list("fiscal_year", flat=True))
    listed |= set(ITAItem.objects.values_list("fiscal_year", flat=True).distinct())
    return sorted(listed, reverse=True)


def csv_text(fiscal_year: int) -> str:
    """The evidence list as CSV, one row per ITA item, for reviewers' spreadsheets.

    Starts with a byte-order mark: Excel reads a CSV without one in the Windows code page and
    turns Thai into mojibake. Several items of one ITA item share a cell, one per line, titles
    and addresses in the same order.
    """
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow([_("รหัส"), _("ข้อ ITA"), _("รายการที่เผยแพร่"), _("ที่อยู่เว็บ")])
    for ita in for_year(fiscal_year):
        # Titles are typed by staff, but the file is opened on reviewers' computers.
        writer.writerow(
            safe_row(
                [
                    ita.code,
                    ita.name,
                    "\n".join(safe_cell(item.title) for item in ita.evidence),
                    "\n".join(settings.SITE_URL + item.get_absolute_url() for item in ita.evidence),
                ]
            )
        )
    return out.getvalue()


def nil_date(statement: ITANilStatement) -> str:
    return format_be_short(statement.stated_on)
