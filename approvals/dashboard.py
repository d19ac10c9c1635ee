"""The workflow dashboard: what waits where and for how long, what gets finished, who is behind.

Everything is computed with a fixed number of queries, however many requests wait: the people
who hold each request (:func:`approvals.steps.holders_bulk`) are worked out for all of them at
once.

Who sees which units is decided in ``approvals.reports.access`` (the director the whole office, a
deputy the units they oversee, a group director their own units).
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import BooleanField, Case, Count, F, Q, Value, When
from django.db.models.functions import TruncDate
from django.utils import timezone

from approvals.models import Decision
from approvals.reports.figures import STEP_LABELS, STEPS, step_durations
from approvals.reports.periods import Period, local_zone
from approvals.steps import REVIEW_STEPS, holders_bulk, status_label
from esa_publish.office.models import User
from requests.models import PublicationRequest
from requests.states import FINISHED, State

WAITING_STATES = REVIEW_STEPS
FINISHED_STATES = FINISHED
WEEKS = 12
#: Rows listed on the page; the counts above the list cover every waiting request.
WAITING_LIMIT = 200


@dataclass
class WaitingRow:
    req: PublicationRequest
    age: int | None
    overdue: bool
    holders: list[User]


@dataclass
class StepTime:
    step: str
    label: str
    count: int
    median: float | None
    p90: float | None


@dataclass
class Dashboard:
    waiting: list[WaitingRow]
    waiting_total: int
    by_step: list[dict]
    throughput: list[dict]
    step_times: list[StepTime]
    overdue_holders: list[tuple[User, int]]


def _quantile(values: list[float], fraction: float) -> float | None:
    if not values:
        return None
    if len(values) == 1:
        return values[0]
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return cuts[round(fraction * 100) - 1]


def build(
    *, unit_ids: frozenset[int] | None, period: Period, today: dt.date | None = None
) -> Dashboard:
    """The dashboard for ``unit_ids`` (None: the whole office); step times over ``period``."""
    today = today or timezone.localdate()
    waiting = PublicationRequest.objects.filter(state__in=WAITING_STATES)
    if unit_ids is not None:
        waiting = waiting.filter(unit_id__in=list(unit_ids))

    overdue = Case(
        When(due_on__lt=today, then=Value(True)), default=Value(False), output_field=BooleanField()
    )
    # Counted per status as every page words it, so a first review reads "รอนิติกรพิจารณา" or
    # "รอผู้อำนวยการกลุ่มพิจารณา" here too (the route fields are all the wording reads).
    counted: dict[tuple[str, str], dict] = {}
    for row in (
        waiting.values("state", "first_reviewer", "first_review_agreed")
        .annotate(n=Count("pk"), late=Count("pk", filter=Q(due_on__lt=today)))
        .order_by()
    ):
        fields = {k: row[k] for k in ("state", "first_reviewer", "first_review_agreed")}
        label = str(status_label(PublicationRequest(**fields)))
        entry = counted.setdefault(
            (row["state"], label), {"state": row["state"], "label": label, "count": 0, "overdue": 0}
        )
        entry["count"] += row["n"]
        entry["overdue"] += row["late"]
    by_step = []
    for state in WAITING_STATES:
        found = sorted(
            (e for (s, _l), e in counted.items() if s == state), key=lambda e: e["label"]
        )
        by_step += found or [
            {"state": state, "label": State(state).label, "count": 0, "overdue": 0}
        ]
    rows = list(
        waiting.select_related("unit", "requester", "category")
        .annotate(overdue=overdue)
        .order_by("-overdue", F("state_changed_at").asc(nulls_last=True), "pk")[:WAITING_LIMIT]
    )
    # Who holds overdue work is counted over every overdue request, not only the listed ones.
    late = list(waiting.filter(due_on__lt=today).select_related("unit"))
    holders = holders_bulk([*rows, *late], day=today)
    tally: Counter = Counter()
    people: dict[int, User] = {}
    for req in late:
        for person in holders.get(req.pk, ()):
            tally[person.pk] += 1
            people[person.pk] = person
    overdue_holders = [(people[pk], n) for pk, n in tally.most_common(10)]

    waiting_rows = [
        WaitingRow(
            req=req,
            age=(today - timezone.localdate(req.state_changed_at)).days
            if req.state_changed_at
            else None,
            overdue=req.overdue,
            holders=holders.get(req.pk, []),
        )
        for req in rows
    ]

    # Throughput: requests finished per ISO week (Monday to Sunday, local days).
    monday = today - dt.timedelta(days=today.weekday())
    first_monday = monday - dt.timedelta(weeks=WEEKS - 1)
    start = dt.datetime.combine(first_monday, dt.time.min, tzinfo=local_zone())
    finished = Decision.objects.filter(created_at__gte=start, to_state__in=FINISHED_STATES).exclude(
        from_state=F("to_state")
    )
    if unit_ids is not None:
        finished = finished.filter(request__unit_id__in=list(unit_ids))
    per_day = (
        finished.annotate(day=TruncDate("created_at", tzinfo=local_zone()))
        .values("day")
        .annotate(n=Count("pk"))
        .order_by()
    )
    weeks: Counter = Counter()
    for row in per_day:
        day = row["day"]
        weeks[day - dt.timedelta(days=day.weekday())] += row["n"]
    throughput = []
    for index in range(WEEKS):
        week_start = first_monday + dt.timedelta(weeks=index)
        iso_year, iso_week, _ = week_start.isocalendar()
        throughput.append(
            {"start": week_start, "week": iso_week, "year": iso_year, "count": weeks[week_start]}
        )

    durations: dict[str, list[float]] = defaultdict(list)
    for step, _unit, _category, _quarter, days in step_durations(
        period.start, period.end, unit_ids=unit_ids
    ):
        durations[step].append(days)
    step_times = []
    for step in STEPS:
        values = sorted(durations.get(step, []))
        step_times.append(
            StepTime(
                step=step,
                label=str(STEP_LABELS[step]),
                count=len(values),
                median=statistics.median(values) if values else None,
                p90=_quantile(values, 0.9),
            )
        )
    return Dashboard(
        waiting=waiting_rows,
        waiting_total=sum(s["count"] for s in by_step),
        by_step=by_step,
        throughput=throughput,
        step_times=step_times,
        overdue_holders=overdue_holders,
    )


__all__ = ["Dashboard", "StepTime", "WaitingRow", "build", "holders_bulk"]
