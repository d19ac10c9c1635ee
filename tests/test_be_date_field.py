"""BEDateField: dates typed with a B.E. year; C.E.-looking and short years are refused."""

import datetime as dt
import time

import pytest
from django import forms
from django.core.exceptions import ValidationError

from esa_publish.thai.forms import (
    AMBIGUOUS_YEAR_MESSAGE,
    INVALID_MESSAGE,
    MAX_INPUT_LENGTH,
    NONEXISTENT_DATE_MESSAGE,
    OUT_OF_RANGE_MESSAGE,
    PLACEHOLDER,
    TWO_DIGIT_YEAR_MESSAGE,
    BEDateField,
)

MARCH_15_2023 = dt.date(2023, 3, 15)


class EventForm(forms.Form):
    day = BEDateField()
    optional_day = BEDateField(required=False)


def clean(text):
    return BEDateField().clean(text)


def rejection(text):
    with pytest.raises(ValidationError) as caught:
        clean(text)
    return caught.value


@pytest.mark.parametrize(
    "text",
    [
        "15/3/2566",
        "15/03/2566",
        "๑๕/๐๓/๒๕๖๖",
        "15-3-2566",
        "15.03.2566",
        " 15 / 03 / 2566 ",
        "15 มี.ค. 2566",
        "15 มี.ค 2566",
        "15 มีค 2566",
        "15 มีนาคม 2566",
        "15มีนาคม2566",
        "๑๕ มีนาคม ๒๕๖๖",
        "15 มีนาคม พ.ศ. 2566",
        "15/03/พ.ศ.2566",
        "2566-03-15",
    ],
)
def test_it_reads_be_dates(text):
    assert clean(text) == MARCH_15_2023


def test_it_reads_every_thai_month_name():
    full = "มกราคม กุมภาพันธ์ มีนาคม เมษายน พฤษภาคม มิถุนายน กรกฎาคม สิงหาคม กันยายน ตุลาคม"
    full += " พฤศจิกายน ธันวาคม"
    abbr = "ม.ค. ก.พ. มี.ค. เม.ย. พ.ค. มิ.ย. ก.ค. ส.ค. ก.ย. ต.ค. พ.ย. ธ.ค."
    for names in (full.split(), abbr.split()):
        for month, name in enumerate(names, start=1):
            assert clean(f"1 {name} 2567") == dt.date(2024, month, 1)


def test_it_accepts_leap_day_in_a_leap_year():
    assert clean("29/02/2567") == dt.date(2024, 2, 29)


def test_it_rejects_leap_day_in_a_common_year():
    error = rejection("29/02/2566")
    assert error.code == "invalid"
    assert error.message == NONEXISTENT_DATE_MESSAGE


@pytest.mark.parametrize("text", ["31/02/2566", "31/04/2566", "0/03/2566", "15/13/2566"])
def test_it_rejects_impossible_dates(text):
    error = rejection(text)
    assert error.code == "invalid"
    assert error.message == NONEXISTENT_DATE_MESSAGE


def test_it_reads_year_boundaries():
    assert clean("31/12/2566") == dt.date(2023, 12, 31)
    assert clean("1/1/2567") == dt.date(2024, 1, 1)


def test_it_reads_fiscal_year_boundaries():
    assert clean("30/09/2568") == dt.date(2025, 9, 30)
    assert clean("01/10/2568") == dt.date(2025, 10, 1)


@pytest.mark.parametrize("text", ["15/03/2023", "15 มีนาคม 2023", "01/10/1900", "1/1/2399"])
def test_it_rejects_ce_looking_years(text):
    error = rejection(text)
    assert error.code == "ambiguous_year"
    assert error.message == AMBIGUOUS_YEAR_MESSAGE


def test_the_ce_year_message_suggests_the_be_year():
    error = rejection("15/03/2023")
    assert error.messages == ["ปี 2023 ดูเหมือนเป็นคริสต์ศักราช กรุณากรอกปีพุทธศักราช เช่น 2566"]


@pytest.mark.parametrize("text", ["2023-03-15", "1500-03-15", "2399-01-01"])
def test_it_rejects_iso_dates_below_2400_as_ambiguous(text):
    assert rejection(text).code == "ambiguous_year"


def test_it_reads_year_first_dates_with_a_be_year():
    assert clean("2566/3/15") == MARCH_15_2023


@pytest.mark.parametrize("text", ["15/03/66", "15/3/6", "15 มี.ค. 66", "๑๕/๐๓/๖๖"])
def test_it_rejects_two_digit_years(text):
    error = rejection(text)
    assert error.code == "two_digit_year"
    assert error.message == TWO_DIGIT_YEAR_MESSAGE


def test_it_asks_for_four_digits_before_checking_the_day():
    assert rejection("31/02/66").code == "two_digit_year"


@pytest.mark.parametrize("text", ["15/03/2701", "15/03/1899", "15/03/566", "15/03/99999"])
def test_it_rejects_years_outside_2400_to_2700(text):
    error = rejection(text)
    assert error.code == "out_of_range"
    assert error.message == OUT_OF_RANGE_MESSAGE
    assert "2400" in error.messages[0] and "2700" in error.messages[0]


def test_it_accepts_the_ends_of_the_range():
    assert clean("1/1/2400") == dt.date(1857, 1, 1)
    assert clean("31/12/2700") == dt.date(2157, 12, 31)


@pytest.mark.parametrize(
    "text",
    [
        "yesterday",
        "15/03",
        "15/3-2566",
        "15 Mar 2566",
        "15 มีนาคมม 2566",
        "-15/03/2566",
        "15/03/2566 extra",
        "๑๕ ๐๓ ๒๕๖๖",
        "15/03/-2566",
    ],
)
def test_it_rejects_text_it_cannot_read(text):
    error = rejection(text)
    assert error.code == "invalid"
    assert error.message == INVALID_MESSAGE


def test_it_requires_a_value_by_default():
    assert rejection("").code == "required"
    assert rejection("   ").code == "required"


def test_optional_field_cleans_empty_to_none():
    assert BEDateField(required=False).clean("") is None
    assert BEDateField(required=False).clean(None) is None


def test_it_passes_dates_through():
    assert clean(MARCH_15_2023) == MARCH_15_2023


def test_it_takes_the_bangkok_date_of_an_aware_datetime():
    value = dt.datetime(2025, 9, 30, 18, 0, tzinfo=dt.UTC)
    assert clean(value) == dt.date(2025, 10, 1)


def test_form_cleans_to_ce_dates():
    form = EventForm(data={"day": "๑๕/๐๓/๒๕๖๖", "optional_day": ""})
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"day": MARCH_15_2023, "optional_day": None}


def test_form_reports_the_thai_message():
    form = EventForm(data={"day": "15/03/2023"})
    assert not form.is_valid()
    assert form.errors["day"] == ["ปี 2023 ดูเหมือนเป็นคริสต์ศักราช กรุณากรอกปีพุทธศักราช เช่น 2566"]
    assert form.errors.as_data()["day"][0].code == "ambiguous_year"


def test_it_shows_initial_dates_as_be_numeric():
    form = EventForm(initial={"day": MARCH_15_2023})
    assert 'value="15/03/2566"' in str(form["day"])


def test_it_shows_bound_text_back_as_typed():
    form = EventForm(data={"day": "31/02/2566"})
    assert 'value="31/02/2566"' in str(form["day"])


def test_widget_is_text_with_placeholder_and_no_autocomplete():
    html = str(EventForm()["day"])
    assert 'type="text"' in html
    assert f'placeholder="{PLACEHOLDER}"' in html
    assert 'autocomplete="off"' in html
    assert "inputmode" not in html


def test_form_attrs_win_over_defaults():
    field = BEDateField(widget=forms.TextInput(attrs={"placeholder": "วันที่ประชุม"}))
    assert field.widget.attrs["placeholder"] == "วันที่ประชุม"
    assert field.widget.attrs["autocomplete"] == "off"


def test_it_sees_no_change_when_the_typed_date_equals_the_initial_date():
    field = BEDateField()
    assert not field.has_changed(MARCH_15_2023, "15/3/2566")
    assert field.has_changed(MARCH_15_2023, "16/3/2566")


def test_hidden_initial_round_trips():
    class Form(forms.Form):
        day = BEDateField(show_hidden_initial=True)

    form = Form(initial={"day": MARCH_15_2023})
    html = form["day"].as_hidden(only_initial=True)
    assert 'value="15/03/2566"' in html
    bound = Form(data={"day": "15/03/2566", "initial-day": "15/03/2566"})
    assert not bound.has_changed()


def test_error_messages_can_be_overridden():
    field = BEDateField(error_messages={"two_digit_year": "ปีสั้นไป"})
    with pytest.raises(ValidationError) as caught:
        field.clean("1/1/66")
    assert caught.value.messages == ["ปีสั้นไป"]


# Issue 14.2: this took a minute in the old month-name pattern and got the worker killed.
HOSTILE_DATE = "1a" + " " * 80_000 + "b"


def test_a_hostile_date_is_refused_at_once():
    started = time.perf_counter()
    error = rejection(HOSTILE_DATE)
    assert time.perf_counter() - started < 0.5
    assert error.code == "invalid"


def test_a_long_run_of_spaces_inside_the_length_limit_still_reads():
    assert clean(" 15  \t มีนาคม   พ.ศ.  2566 ") == MARCH_15_2023
    assert clean("15 / 3 / 2566") == MARCH_15_2023


def test_the_input_box_stops_at_the_length_limit():
    assert f'maxlength="{MAX_INPUT_LENGTH}"' in str(EventForm()["day"])
    assert rejection("15/03/2566" + " " * MAX_INPUT_LENGTH).code == "invalid"
