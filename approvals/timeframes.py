"""Time frames in working days (Licensing Facilitation Act B.E. 2558).

Weekends and the holidays an administrator keeps in the admin are not working days. The limit of
each step comes from :class:`approvals.models.TimeFrame`, falling back to the step's own
(``approvals.steps``).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from approvals.models import TimeFrame
from approvals.steps import DEFAULT_DAYS
from esa_publish.office.models import Holiday


def add_working_days(start: dt.date, days: int, holidays: set[dt.date]) -> dt.date:
    """The date ``days`` working days after ``start`` (``start`` itself not counted)."""
    day = start
    remaining = days
    while remaining > 0:
        day += dt.timedelta(days=1)
        if day.weekday() < 5 and day not in holidays:
            remaining -= 1
    return day


def working_days_between(start: dt.date, end: dt.date, holidays: set[dt.date]) -> int:
    """Working days after ``start`` up to and including ``end`` (0 when ``end`` <= ``start``)."""
    count, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        if day.weekday() < 5 and day not in holidays:
            count += 1
    return count


def limit_for(state: str) -> int | None:
    row = TimeFrame.objects.filter(state=state).values_list("working_days", flat=True).first()
    return row if row is not None else DEFAULT_DAYS.get(state)


def due_date(state: str, entered: dt.datetime | None = None) -> dt.date | None:
    """When work entering ``state`` at ``entered`` is due, or None for states without a limit."""
    days = limit_for(state)
    if days is None:
        return None
    start = timezone.localdate(entered) if entered else timezone.localdate()
    # Enough room for any limit plus long holiday runs (Songkran, New Year).
    horizon = start + dt.timedelta(days=days * 3 + 30)
    holidays = set(
        Holiday.objects.filter(date__gt=start, date__lte=horizon).values_list("date", flat=True)
    )
    return add_working_days(start, days, holidays)
