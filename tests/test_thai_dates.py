"""B.E. date formatting; aware datetimes print in Bangkok time."""

import datetime as dt
import zoneinfo

import pytest
from django.utils import timezone, translation

from esa_publish.thai.dates import (
    format_be_datetime,
    format_be_long,
    format_be_numeric,
    format_be_short,
    format_date_for_language,
)

UTC = dt.UTC
MARCH_15 = dt.date(2023, 3, 15)


def test_long_form():
    assert format_be_long(MARCH_15) == "15 มีนาคม 2566"


def test_long_form_with_thai_digits():
    assert format_be_long(MARCH_15, thai_digits=True) == "๑๕ มีนาคม ๒๕๖๖"


def test_it_does_not_pad_the_day():
    assert format_be_long(dt.date(2023, 3, 5)) == "5 มีนาคม 2566"
    assert format_be_short(dt.date(2023, 3, 5)) == "5 มี.ค. 2566"


def test_short_form():
    assert format_be_short(MARCH_15) == "15 มี.ค. 2566"


def test_short_form_with_thai_digits():
    assert format_be_short(MARCH_15, thai_digits=True) == "๑๕ มี.ค. ๒๕๖๖"


def test_numeric_form_pads_day_and_month():
    assert format_be_numeric(dt.date(2023, 3, 5)) == "05/03/2566"


def test_numeric_form_with_thai_digits():
    assert format_be_numeric(MARCH_15, thai_digits=True) == "๑๕/๐๓/๒๕๖๖"


def test_year_boundary():
    assert format_be_long(dt.date(2023, 12, 31)) == "31 ธันวาคม 2566"
    assert format_be_long(dt.date(2024, 1, 1)) == "1 มกราคม 2567"


def test_leap_day():
    assert format_be_long(dt.date(2024, 2, 29)) == "29 กุมภาพันธ์ 2567"


def test_all_twelve_abbreviated_months():
    months = [format_be_short(dt.date(2024, m, 1)).split()[1] for m in range(1, 13)]
    assert months == [
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
    ]


def test_datetime_form_from_naive_datetime():
    assert format_be_datetime(dt.datetime(2023, 3, 15, 14, 5)) == "15 มี.ค. 2566 14:05 น."


def test_datetime_form_with_thai_digits():
    value = dt.datetime(2023, 3, 15, 14, 5)
    assert format_be_datetime(value, thai_digits=True) == "๑๕ มี.ค. ๒๕๖๖ ๑๔:๐๕ น."


def test_datetime_form_converts_utc_to_bangkok():
    # 18:00 UTC on 30 September is 01:00 on 1 October in Bangkok (UTC+7).
    value = dt.datetime(2025, 9, 30, 18, 0, tzinfo=UTC)
    assert format_be_datetime(value) == "1 ต.ค. 2568 01:00 น."


def test_datetime_form_just_before_bangkok_midnight():
    value = dt.datetime(2025, 9, 30, 16, 59, tzinfo=UTC)
    assert format_be_datetime(value) == "30 ก.ย. 2568 23:59 น."


def test_midnight_utc_is_seven_in_the_morning_in_bangkok():
    value = dt.datetime(2025, 1, 1, 0, 0, tzinfo=UTC)
    assert format_be_datetime(value) == "1 ม.ค. 2568 07:00 น."


def test_date_forms_of_an_aware_datetime_use_the_bangkok_date():
    value = dt.datetime(2025, 12, 31, 17, 30, tzinfo=UTC)  # 00:30 on 1 Jan 2026 in Bangkok
    assert format_be_long(value) == "1 มกราคม 2569"
    assert format_be_numeric(value) == "01/01/2569"


def test_it_follows_the_active_time_zone():
    value = dt.datetime(2025, 9, 30, 18, 0, tzinfo=UTC)
    with timezone.override(zoneinfo.ZoneInfo("UTC")):
        assert format_be_datetime(value) == "30 ก.ย. 2568 18:00 น."


def test_datetime_form_of_a_plain_date_has_no_time():
    assert format_be_datetime(MARCH_15) == "15 มี.ค. 2566"


@pytest.mark.parametrize(
    "formatter", [format_be_long, format_be_short, format_be_datetime, format_be_numeric]
)
def test_none_prints_nothing(formatter):
    assert formatter(None) == ""


@pytest.mark.parametrize(
    "formatter", [format_be_long, format_be_short, format_be_datetime, format_be_numeric]
)
def test_it_rejects_non_dates(formatter):
    with pytest.raises(TypeError):
        formatter("2023-03-15")


def test_thai_language_gives_thai_forms():
    assert format_date_for_language(MARCH_15, "short", "th") == "15 มี.ค. 2566"
    assert format_date_for_language(MARCH_15, "long", "th") == "15 มีนาคม 2566"
    assert format_date_for_language(MARCH_15, "numeric", "th") == "15/03/2566"


def test_english_language_keeps_the_be_year():
    assert format_date_for_language(MARCH_15, "short", "en") == "15 Mar 2566 BE"
    assert format_date_for_language(MARCH_15, "long", "en") == "15 March 2566 BE"
    assert format_date_for_language(MARCH_15, "numeric", "en") == "15/03/2566 BE"


def test_english_datetime_in_bangkok_time():
    value = dt.datetime(2025, 9, 30, 18, 0, tzinfo=UTC)
    assert format_date_for_language(value, "datetime", "en") == "1 Oct 2568 BE 01:00"


def test_english_regional_variants_count_as_english():
    assert format_date_for_language(MARCH_15, "short", "en-us") == "15 Mar 2566 BE"
    assert format_date_for_language(MARCH_15, "short", "en_GB") == "15 Mar 2566 BE"


def test_unknown_languages_fall_back_to_thai():
    assert format_date_for_language(MARCH_15, "short", "fr") == "15 มี.ค. 2566"


def test_it_uses_the_active_language_by_default():
    with translation.override("en"):
        assert format_date_for_language(MARCH_15) == "15 Mar 2566 BE"
    with translation.override("th"):
        assert format_date_for_language(MARCH_15) == "15 มี.ค. 2566"


def test_language_helper_prints_nothing_for_none():
    assert format_date_for_language(None, "long", "en") == ""
    assert format_date_for_language(None, "long", "th") == ""


def test_language_helper_rejects_unknown_styles():
    with pytest.raises(ValueError, match="style"):
        format_date_for_language(MARCH_15, "medium", "th")
