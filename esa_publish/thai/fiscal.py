"""Thai government fiscal years and quarters.

The fiscal year runs 1 October to 30 September and is named by the Buddhist-Era year in which it
ends: FY 2569 is 1 Oct 2025 – 30 Sep 2026. Quarter 1 is Oct–Dec, 2 Jan–Mar, 3 Apr–Jun, 4 Jul–Sep.
"""

from __future__ import annotations

import datetime as dt

BE_OFFSET = 543


def fiscal_year(day: dt.date) -> int:
    """The B.E. fiscal year that contains ``day``."""
    ce_year = day.year + 1 if day.month >= 10 else day.year
    return ce_year + BE_OFFSET


def fiscal_quarter(day: dt.date) -> int:
    """The fiscal quarter (1–4) that contains ``day``."""
    return (day.month - 10) % 12 // 3 + 1


def fiscal_year_range(year_be: int) -> tuple[dt.date, dt.date]:
    """First and last day of fiscal year ``year_be`` (both inclusive)."""
    end_ce = year_be - BE_OFFSET
    return dt.date(end_ce - 1, 10, 1), dt.date(end_ce, 9, 30)


def quarter_range(year_be: int, quarter: int) -> tuple[dt.date, dt.date]:
    """First and last day of quarter ``quarter`` of fiscal year ``year_be`` (both inclusive)."""
    if quarter not in (1, 2, 3, 4):
        raise ValueError(f"quarter must be 1–4, not {quarter!r}")
    start, _ = fiscal_year_range(year_be)
    month0 = start.month - 1 + 3 * (quarter - 1)
    first = dt.date(start.year + month0 // 12, month0 % 12 + 1, 1)
    month_after = month0 + 3
    after = dt.date(start.year + month_after // 12, month_after % 12 + 1, 1)
    return first, after - dt.timedelta(days=1)


def half_range(year_be: int, half: int) -> tuple[dt.date, dt.date]:
    """First and last day of half ``half`` (1: Oct–Mar, 2: Apr–Sep) of fiscal year ``year_be``."""
    if half not in (1, 2):
        raise ValueError(f"half must be 1 or 2, not {half!r}")
    first, _ = quarter_range(year_be, 2 * half - 1)
    _, last = quarter_range(year_be, 2 * half)
    return first, last
