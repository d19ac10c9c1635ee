"""Report periods: a quarter, a half or the whole of a Thai fiscal year, in Bangkok local dates.

A period is an inclusive range of local dates. Timestamps are stored in UTC, so every query
filters on the instants at which the local days begin: 1 October 2025 00:00 in Bangkok is
30 September 17:00 UTC, and an item published at 23:30 Bangkok time on 30 September belongs to
the old fiscal year although its UTC date is the same as that of one published 40 minutes later.
Each period is a run of whole fiscal quarters, which lets the figures be counted once per quarter
and summed.
"""

from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from approvals.models import ReportPeriod
from esa_publish.thai.dates import LONG, format_be_long, format_date_for_language
from esa_publish.thai.digits import digits_for_page, to_thai_digits
from esa_publish.thai.fiscal import fiscal_quarter, fiscal_year, quarter_range

QUARTERS_OF = {
    ReportPeriod.Q1: (1,),
    ReportPeriod.Q2: (2,),
    ReportPeriod.Q3: (3,),
    ReportPeriod.Q4: (4,),
    ReportPeriod.H1: (1, 2),
    ReportPeriod.H2: (3, 4),
    ReportPeriod.YEAR: (1, 2, 3, 4),
}

# How the period is named in the report's heading (Thai digits are applied when printed).
# The official (PDF) heading is always Thai; pages translate these names (``page_heading``).
HEADINGS = {
    ReportPeriod.Q1: gettext_noop("ไตรมาสที่ 1"),
    ReportPeriod.Q2: gettext_noop("ไตรมาสที่ 2"),
    ReportPeriod.Q3: gettext_noop("ไตรมาสที่ 3"),
    ReportPeriod.Q4: gettext_noop("ไตรมาสที่ 4"),
    ReportPeriod.H1: gettext_noop("รอบ 6 เดือนแรก"),
    ReportPeriod.H2: gettext_noop("รอบ 6 เดือนหลัง"),
    ReportPeriod.YEAR: gettext_noop("ประจำปี"),
}


def local_zone() -> ZoneInfo:
    """The office's zone (settings.TIME_ZONE, Asia/Bangkok), where the days of a period begin."""
    return ZoneInfo(settings.TIME_ZONE)


def day_start(day: dt.date) -> dt.datetime:
    """The aware instant at which local ``day`` begins."""
    return dt.datetime.combine(day, dt.time.min, tzinfo=local_zone())


@dataclass(frozen=True)
class Period:
    """``quarters`` of fiscal year ``fiscal_year`` (B.E.), e.g. FY 2569 H1 = quarters 1 and 2."""

    fiscal_year: int
    code: str

    def __post_init__(self):
        if self.code not in QUARTERS_OF:
            raise ValueError(f"unknown report period {self.code!r}")

    @classmethod
    def containing(cls, day: dt.date, code: str | None = None) -> Period:
        """The quarter holding ``day`` (or the period ``code`` of its fiscal year)."""
        return cls(fiscal_year(day), code or f"q{fiscal_quarter(day)}")

    @property
    def quarters(self) -> tuple[int, ...]:
        return QUARTERS_OF[self.code]

    @property
    def first(self) -> dt.date:
        return quarter_range(self.fiscal_year, self.quarters[0])[0]

    @property
    def last(self) -> dt.date:
        return quarter_range(self.fiscal_year, self.quarters[-1])[1]

    @property
    def start(self) -> dt.datetime:
        """First instant in the period (inclusive)."""
        return day_start(self.first)

    @property
    def end(self) -> dt.datetime:
        """First instant after the period (exclusive)."""
        return day_start(self.last + dt.timedelta(days=1))

    @property
    def trend_quarters(self) -> tuple[int, ...]:
        """Quarters of the fiscal year up to the end of this period: the trend drawn beside it."""
        return tuple(range(1, self.quarters[-1] + 1))

    @property
    def label(self) -> str:
        return str(ReportPeriod(self.code).label)

    def heading(self, *, thai_digits: bool = True) -> str:
        """ "ไตรมาสที่ ๑ ปีงบประมาณ พ.ศ. ๒๕๖๙ (๑ ตุลาคม ๒๕๖๘ – ๓๑ ธันวาคม ๒๕๖๘)"."""
        text = (
            f"{HEADINGS[self.code]} ปีงบประมาณ พ.ศ. {self.fiscal_year}"
            f" ({format_be_long(self.first)} – {format_be_long(self.last)})"
        )
        return to_thai_digits(text) if thai_digits else text

    def page_heading(self) -> str:
        """The heading in the page's language and digits (the same words as :meth:`heading`
        on Thai pages)."""
        text = _("%(period)s ปีงบประมาณ พ.ศ. %(year)s (%(first)s – %(last)s)") % {
            "period": _(HEADINGS[self.code]),
            "year": self.fiscal_year,
            "first": format_date_for_language(self.first, LONG),
            "last": format_date_for_language(self.last, LONG),
        }
        return digits_for_page(text)

    def is_over(self, now: dt.datetime | None = None) -> bool:
        return (now or timezone.now()) >= self.end


def quarter_starts(year_be: int) -> list[dt.datetime]:
    """The instants at which the four quarters of ``year_be`` begin, and the one after the year."""
    starts = [day_start(quarter_range(year_be, q)[0]) for q in (1, 2, 3, 4)]
    return [*starts, day_start(quarter_range(year_be, 4)[1] + dt.timedelta(days=1))]


def quarter_of(moment: dt.datetime, boundaries: list[dt.datetime]) -> int | None:
    """The fiscal quarter (1–4) ``moment`` falls in, given :func:`quarter_starts`; None outside."""
    index = bisect.bisect_right(boundaries, moment)
    return index if 1 <= index <= 4 else None


def fiscal_years_around(today: dt.date, back: int = 4) -> list[int]:
    """The current fiscal year and ``back`` before it, newest first, for the period picker."""
    current = fiscal_year(today)
    return [current - n for n in range(back + 1)]
