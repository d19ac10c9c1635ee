"""Fiscal years and quarters: 1 October – 30 September, named by the B.E. year they end in."""

import datetime as dt

import pytest

from esa_publish.thai.fiscal import (
    BE_OFFSET,
    fiscal_quarter,
    fiscal_year,
    fiscal_year_range,
    half_range,
    quarter_range,
)


def test_be_offset_is_543():
    assert BE_OFFSET == 543


def test_it_puts_30_september_in_the_old_year_q4():
    day = dt.date(2025, 9, 30)
    assert fiscal_year(day) == 2568
    assert fiscal_quarter(day) == 4


def test_it_puts_1_october_in_the_new_year_q1():
    day = dt.date(2025, 10, 1)
    assert fiscal_year(day) == 2569
    assert fiscal_quarter(day) == 1


def test_it_keeps_31_december_and_1_january_in_the_same_fiscal_year():
    assert fiscal_year(dt.date(2025, 12, 31)) == 2569
    assert fiscal_year(dt.date(2026, 1, 1)) == 2569
    assert fiscal_quarter(dt.date(2025, 12, 31)) == 1
    assert fiscal_quarter(dt.date(2026, 1, 1)) == 2


def test_it_handles_leap_day():
    assert fiscal_year(dt.date(2024, 2, 29)) == 2567
    assert fiscal_quarter(dt.date(2024, 2, 29)) == 2


MONTH_QUARTERS = [(10, 1), (11, 1), (12, 1), (1, 2), (2, 2), (3, 2), (4, 3), (5, 3), (6, 3)]
MONTH_QUARTERS += [(7, 4), (8, 4), (9, 4)]


@pytest.mark.parametrize(("month", "quarter"), MONTH_QUARTERS)
def test_it_maps_every_month_to_its_quarter(month, quarter):
    assert fiscal_quarter(dt.date(2026, month, 15)) == quarter


def test_it_accepts_a_datetime():
    assert fiscal_year(dt.datetime(2025, 10, 1, 0, 0)) == 2569


def test_fiscal_year_range_covers_october_to_september():
    assert fiscal_year_range(2569) == (dt.date(2025, 10, 1), dt.date(2026, 9, 30))


def test_fiscal_year_range_agrees_with_fiscal_year_at_both_ends():
    first, last = fiscal_year_range(2569)
    assert fiscal_year(first) == fiscal_year(last) == 2569
    assert fiscal_year(first - dt.timedelta(days=1)) == 2568
    assert fiscal_year(last + dt.timedelta(days=1)) == 2570


@pytest.mark.parametrize(
    ("quarter", "expected"),
    [
        (1, (dt.date(2025, 10, 1), dt.date(2025, 12, 31))),
        (2, (dt.date(2026, 1, 1), dt.date(2026, 3, 31))),
        (3, (dt.date(2026, 4, 1), dt.date(2026, 6, 30))),
        (4, (dt.date(2026, 7, 1), dt.date(2026, 9, 30))),
    ],
)
def test_quarter_range_for_each_quarter_of_2569(quarter, expected):
    assert quarter_range(2569, quarter) == expected


def test_quarters_tile_the_year_without_gaps():
    ranges = [quarter_range(2567, q) for q in (1, 2, 3, 4)]
    assert ranges[0][0] == fiscal_year_range(2567)[0]
    assert ranges[-1][1] == fiscal_year_range(2567)[1]
    for (_, end), (start, _) in zip(ranges, ranges[1:], strict=False):
        assert start - end == dt.timedelta(days=1)


def test_quarter_2_includes_leap_day():
    # FY 2567 runs Oct 2023 – Sep 2024; February 2024 has 29 days.
    assert quarter_range(2567, 2) == (dt.date(2024, 1, 1), dt.date(2024, 3, 31))
    assert fiscal_quarter(dt.date(2024, 2, 29)) == 2


@pytest.mark.parametrize("quarter", [0, 5, -1, "1", None])
def test_it_rejects_quarters_outside_1_to_4(quarter):
    with pytest.raises(ValueError, match="quarter"):
        quarter_range(2569, quarter)


def test_half_range_first_half_is_october_to_march():
    assert half_range(2569, 1) == (dt.date(2025, 10, 1), dt.date(2026, 3, 31))


def test_half_range_second_half_is_april_to_september():
    assert half_range(2569, 2) == (dt.date(2026, 4, 1), dt.date(2026, 9, 30))


@pytest.mark.parametrize("half", [0, 3, -1, "2", None])
def test_it_rejects_halves_other_than_1_and_2(half):
    with pytest.raises(ValueError, match="half"):
        half_range(2569, half)
