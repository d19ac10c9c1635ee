"""The report's numbers for a period, per unit and per category, and by quarter for the trend.

Every figure comes from a few grouped queries whose number does not grow with the number of units,
categories or items: catalog items (published, taken down), daily statistics (views, downloads),
decisions (filed, allowed, not allowed, returned) and one query giving the time each step took
(the database pairs the decision that ended a step with the one that began it), whose medians
are taken in Python. Each is counted once per fiscal quarter
from the start of the fiscal year to the end of the period, so the same rows give both the
period's table and the quarter-by-quarter trend.

Where things are counted:

* published and taken down: by the item's unit and category, in the period of publication and of
  the takedown respectively, so an item published in Q1 and taken down in Q2 counts once in each;
* views and downloads: the item's daily counts for the local days of the period;
* shared: posts on the PR unit's channels (Facebook, LINE, notice board…) recorded in the
  period, by the item's unit and category;
* requests: by the request's unit and category, whoever decided. A decision taken on behalf of
  someone (ปฏิบัติราชการแทน) counts for the request's unit, not for the unit of the person acting;
* filed is the first submission (action ``submit``; a resubmission after correction is
  ``resubmit``), allowed and not allowed the director's ``director.allow`` / ``director.deny``,
  returned every ``*.return`` (a request returned twice counts twice);
* time per step: from the decision that brought the request into a step to the next one that
  took it out, counted in the period in which the step ended. Calendar days, not working days:
  the report shows how long people waited.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.db.models import (
    Case,
    Count,
    F,
    FloatField,
    Func,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from approvals.models import Decision
from approvals.reports.periods import Period, quarter_starts
from approvals.steps import REVIEW_STEPS
from approvals.steps import STEPS as WORKFLOW_STEPS
from catalog.models import CatalogItem, Category, DailyStat
from esa_publish.office.models import Unit
from esa_publish.thai.fiscal import quarter_range
from outreach.models import Share

COUNTS = (
    "published",
    "withdrawn",
    "views",
    "downloads",
    "shared",
    "filed",
    "allowed",
    "denied",
    "returned",
)
COUNT_LABELS = {
    "published": _("เผยแพร่บนเว็บไซต์"),
    "withdrawn": pgettext_lazy("report count", "ถอดออกจากการเผยแพร่"),
    "views": _("จำนวนการเข้าชม"),
    "downloads": _("จำนวนการดาวน์โหลด"),
    "shared": _("เผยแพร่ทางช่องทางประชาสัมพันธ์"),
    "filed": _("คำขอที่ยื่น"),
    "allowed": pgettext_lazy("report count", "อนุญาต"),
    "denied": pgettext_lazy("report count", "ไม่อนุญาต"),
    "returned": pgettext_lazy("report count", "ส่งกลับแก้ไข"),
}
STEPS = REVIEW_STEPS
STEP_LABELS = {state: WORKFLOW_STEPS[state].label for state in REVIEW_STEPS}
DECISION_COUNTS = {"submit": "filed", "director.allow": "allowed", "director.deny": "denied"}
RETURN_SUFFIX = ".return"

UNIT, CATEGORY, TOTAL = "unit", "category", "total"
NO_UNIT_NAME = _("ไม่ระบุกลุ่ม/หน่วย")
TOTAL_NAME = _("รวม")


@dataclass
class Row:
    """One line of a table: a unit, a category, a quarter or the total."""

    key: str
    name: str
    counts: dict[str, int] = field(default_factory=dict)
    medians: dict[str, float | None] = field(default_factory=dict)
    measured: dict[str, int] = field(default_factory=dict)

    def to_json(self) -> dict:
        return {
            "key": self.key,
            "name": self.name,
            "counts": self.counts,
            "medians": self.medians,
            "measured": self.measured,
        }

    @classmethod
    def from_json(cls, data: dict) -> Row:
        return cls(data["key"], data["name"], data["counts"], data["medians"], data["measured"])


@dataclass
class Figures:
    """Everything the report shows in numbers. Plain values only, so it can be kept as JSON in the
    acknowledged report's snapshot and drawn again from there unchanged."""

    fiscal_year: int
    period: str
    units: list[Row]
    categories: list[Row]
    total: Row
    trend: list[Row]
    computed_at: str

    def to_json(self) -> dict:
        return {
            "fiscal_year": self.fiscal_year,
            "period": self.period,
            "units": [r.to_json() for r in self.units],
            "categories": [r.to_json() for r in self.categories],
            "total": self.total.to_json(),
            "trend": [r.to_json() for r in self.trend],
            "computed_at": self.computed_at,
        }

    @classmethod
    def from_json(cls, data: dict) -> Figures:
        return cls(
            fiscal_year=data["fiscal_year"],
            period=data["period"],
            units=[Row.from_json(r) for r in data["units"]],
            categories=[Row.from_json(r) for r in data["categories"]],
            total=Row.from_json(data["total"]),
            trend=[Row.from_json(r) for r in data["trend"]],
            computed_at=data["computed_at"],
        )


# --- the queries --------------------------------------------------------------------------------


def _quarter_case(lookup: str, bounds: list, quarters: Iterable[int]) -> Case:
    """The fiscal quarter of ``lookup``'s value as a SQL expression; NULL outside ``quarters``.

    ``bounds`` are the quarter starts (:func:`quarter_starts`, or plain dates for a date field).
    """
    quarters = list(quarters)
    whens = [
        When(**{f"{lookup}__isnull": True}, then=Value(None)),
        When(**{f"{lookup}__lt": bounds[0]}, then=Value(None)),
    ]
    whens += [When(**{f"{lookup}__lt": bounds[q]}, then=Value(q)) for q in quarters]
    return Case(*whens, default=Value(None), output_field=IntegerField())


def _date_bounds(year_be: int) -> list[dt.date]:
    starts = [quarter_range(year_be, q)[0] for q in (1, 2, 3, 4)]
    return [*starts, quarter_range(year_be, 4)[1] + dt.timedelta(days=1)]


class Epoch(Func):
    """A timestamp as seconds since 1970, computed by the database.

    Subtracting two of these gives a plain number. Django's own timestamp subtraction gives a
    duration, which SQLite computes by calling back into Python for every row (two timestamps
    parsed per row): for a year's steps that alone took longer than the rest of the report.
    """

    template = "CAST(EXTRACT(EPOCH FROM %(expressions)s) AS double precision)"
    output_field = FloatField()

    def as_sqlite(self, compiler, connection, **extra_context):
        # julianday() reads the UTC text SQLite stores; day 2440587.5 is 1970-01-01 00:00 UTC.
        return self.as_sql(
            compiler,
            connection,
            template="((julianday(%(expressions)s) - 2440587.5) * 86400.0)",
            **extra_context,
        )


def step_durations(
    start: dt.datetime,
    end: dt.datetime,
    *,
    boundaries: list[dt.datetime] | None = None,
    unit_ids: Iterable[int] | None = None,
) -> Iterator[tuple[str, int | None, int | None, int, float]]:
    """(step, unit id, category id, quarter, days) for every step that ended in [start, end).

    One query over the decisions that took a request out of a step in the range. For each, a
    correlated subquery finds the latest earlier decision that brought the request into that
    step, through the index on ``request_id`` (a request has a handful of decisions), so a step
    entered before ``start``, even in the previous fiscal year, still counts where it ended. The
    database also subtracts the two moments and works out which of ``boundaries`` (default:
    ``start`` and ``end``) the end falls between, numbered from 1; turning a year's timestamps into
    Python datetimes would cost more than the rest of the report.
    """
    boundaries = boundaries or [start, end]
    entered = (
        Decision.objects.filter(request_id=OuterRef("request_id"), to_state=OuterRef("from_state"))
        .filter(
            Q(created_at__lt=OuterRef("created_at"))
            | Q(created_at=OuterRef("created_at"), pk__lt=OuterRef("pk"))
        )
        .exclude(from_state=F("to_state"))
        .order_by("-created_at", "-pk")
        .values("created_at")[:1]
    )
    leaving = Decision.objects.filter(
        created_at__gte=start, created_at__lt=end, from_state__in=STEPS
    ).exclude(to_state=F("from_state"))
    if unit_ids is not None:
        leaving = leaving.filter(request__unit_id__in=list(unit_ids))
    rows = (
        leaving.annotate(
            q=_quarter_case("created_at", boundaries, range(1, len(boundaries))),
            days=(Epoch(F("created_at")) - Epoch(Subquery(entered))) / Value(86400.0),
        )
        .order_by()
        .values_list("from_state", "request__unit_id", "request__category_id", "q", "days")
    )
    for row in rows.iterator(chunk_size=5000):
        if row[4] is not None:  # no entering decision: data from before the workflow existed
            yield row


class _Tally:
    """Counts and measured days per (dimension, id, quarter), summed into rows afterwards."""

    def __init__(self):
        self.counts: dict[tuple, Counter] = defaultdict(Counter)
        self.days: dict[tuple, list[float]] = defaultdict(list)
        self.unit_ids: set = set()
        self.category_ids: set = set()

    def _keys(self, unit_id, category_id):
        self.unit_ids.add(unit_id)
        self.category_ids.add(category_id)
        return ((UNIT, unit_id), (CATEGORY, category_id), (TOTAL, None))

    def add(self, unit_id, category_id, quarter, name: str, n: int) -> None:
        if quarter is None or not n:
            return
        for key in self._keys(unit_id, category_id):
            self.counts[(*key, quarter)][name] += n

    def add_durations(self, rows: Iterable[tuple]) -> None:
        """Take (step, unit id, category id, quarter, days) rows, as from :func:`step_durations`.

        Each row is filed once under its (unit, category, quarter, step); the per-unit,
        per-category and total lists are joined from those afterwards, a few hundred list
        extensions instead of three appends for each of a year's two hundred thousand steps.
        """
        cells: dict[tuple, list[float]] = defaultdict(list)
        for step, unit_id, category_id, quarter, days in rows:
            cells[(unit_id, category_id, quarter, step)].append(days)
        for (unit_id, category_id, quarter, step), values in cells.items():
            for key in self._keys(unit_id, category_id):
                self.days[(*key, quarter, step)].extend(values)

    def row(self, dim: str, ident, quarters: Iterable[int], key: str, name: str) -> Row:
        quarters = tuple(quarters)
        total = Counter()
        for q in quarters:
            total.update(self.counts.get((dim, ident, q), {}))
        medians, measured = {}, {}
        for step in STEPS:
            values = [d for q in quarters for d in self.days.get((dim, ident, q, step), ())]
            medians[str(step)] = round(statistics.median(values), 3) if values else None
            measured[str(step)] = len(values)
        return Row(
            key=key,
            name=name,
            counts={name_: int(total.get(name_, 0)) for name_ in COUNTS},
            medians=medians,
            measured=measured,
        )


def compute(period: Period) -> Figures:
    """The report's figures for ``period``: eight queries whatever the size of the office."""
    quarters = period.trend_quarters
    bounds = quarter_starts(period.fiscal_year)
    start, end = bounds[0], period.end
    tally = _Tally()

    # 1. Catalog items published, and taken down, in the range. Two queries rather than one with
    # an OR, which makes the database read every item instead of the year's through the index on
    # published_at.
    for moment, name in (("published_at", "published"), ("withdrawn_at", "withdrawn")):
        items = (
            CatalogItem.objects.filter(**{f"{moment}__gte": start, f"{moment}__lt": end})
            .annotate(q=_quarter_case(moment, bounds, quarters))
            .values("unit_id", "category_id", "q")
            .annotate(n=Count("pk"))
            .order_by()
        )
        for row in items:
            tally.add(row["unit_id"], row["category_id"], row["q"], name, row["n"])

    # 2. Views and downloads: the daily rows are already local days.
    day_bounds = _date_bounds(period.fiscal_year)
    stats = (
        DailyStat.objects.filter(day__gte=day_bounds[0], day__lte=period.last)
        .annotate(q=_quarter_case("day", day_bounds, quarters))
        .values("item__unit_id", "item__category_id", "q")
        .annotate(views=Sum("views"), downloads=Sum("downloads"))
        .order_by()
    )
    for row in stats:
        for name in ("views", "downloads"):
            tally.add(row["item__unit_id"], row["item__category_id"], row["q"], name, row[name])

    # 2b. Shares on the PR unit's channels, in the period they were made.
    shares = (
        Share.objects.filter(shared_at__gte=start, shared_at__lt=end)
        .annotate(q=_quarter_case("shared_at", bounds, quarters))
        .values("item__unit_id", "item__category_id", "q")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in shares:
        tally.add(row["item__unit_id"], row["item__category_id"], row["q"], "shared", row["n"])

    # 3. Decisions that count, by the request's unit and category.
    decisions = (
        Decision.objects.filter(created_at__gte=start, created_at__lt=end)
        .filter(Q(action__in=list(DECISION_COUNTS)) | Q(action__endswith=RETURN_SUFFIX))
        .annotate(q=_quarter_case("created_at", bounds, quarters))
        .values("action", "request__unit_id", "request__category_id", "q")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in decisions:
        action = row["action"]
        name = "returned" if action.endswith(RETURN_SUFFIX) else DECISION_COUNTS[action]
        tally.add(row["request__unit_id"], row["request__category_id"], row["q"], name, row["n"])

    # 4. Time per step.
    tally.add_durations(step_durations(start, end, boundaries=bounds[: quarters[-1] + 1]))

    # 5–6. The rows: active units and categories, and any retired one that has figures.
    units = list(
        Unit.objects.filter(Q(is_active=True) | Q(pk__in=tally.unit_ids - {None})).order_by(
            "order", "name"
        )
    )
    categories = list(
        Category.objects.filter(Q(is_active=True) | Q(pk__in=tally.category_ids - {None}))
    )
    unit_rows = [tally.row(UNIT, u.pk, period.quarters, f"unit:{u.pk}", u.name) for u in units]
    if None in tally.unit_ids:  # imported items without a unit
        unit_rows.append(tally.row(UNIT, None, period.quarters, "unit:none", str(NO_UNIT_NAME)))
    category_rows = [
        tally.row(CATEGORY, c.pk, period.quarters, f"category:{c.pk}", str(c)) for c in categories
    ]
    return Figures(
        fiscal_year=period.fiscal_year,
        period=period.code,
        units=unit_rows,
        categories=category_rows,
        total=tally.row(TOTAL, None, period.quarters, "total", str(TOTAL_NAME)),
        trend=[tally.row(TOTAL, None, (q,), f"q{q}", f"ไตรมาส {q}") for q in quarters],
        computed_at=timezone.now().isoformat(),
    )
