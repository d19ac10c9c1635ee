"""The Thai filters are builtins: templates use them without {% load %}."""

import datetime as dt

import pytest
from django.template import Context, Template
from django.utils.safestring import mark_safe

MARCH_15 = dt.date(2023, 3, 15)
UTC = dt.UTC


def render(source, **context):
    return Template(source).render(Context(context))


def test_be_date():
    assert render("{{ d|be_date }}", d=MARCH_15) == "๑๕ มีนาคม ๒๕๖๖"


def test_be_date_short():
    assert render("{{ d|be_date_short }}", d=MARCH_15) == "๑๕ มี.ค. ๒๕๖๖"


def test_be_date_thai_uses_thai_digits():
    assert render("{{ d|be_date_thai }}", d=MARCH_15) == "๑๕ มีนาคม ๒๕๖๖"


def test_be_datetime_in_bangkok_time():
    value = dt.datetime(2025, 9, 30, 18, 0, tzinfo=UTC)
    assert render("{{ t|be_datetime }}", t=value) == "๑ ต.ค. ๒๕๖๘ ๐๑:๐๐ น."


def test_thai_digits_on_numbers_and_text():
    assert render("{{ n|thai_digits }}", n=2569) == "๒๕๖๙"
    assert render("{{ s|thai_digits }}", s="ที่ 0403/15") == "ที่ ๐๔๐๓/๑๕"
    assert render("{{ n|thai_digits }}", n=-7) == "-๗"


def test_thai_digits_still_escapes_html():
    assert render("{{ s|thai_digits }}", s="<b>1</b>") == "&lt;b&gt;๑&lt;/b&gt;"


def test_thai_digits_keeps_safe_text_safe():
    assert render("{{ s|thai_digits }}", s=mark_safe("<b>1</b>")) == "<b>๑</b>"


def test_fiscal_year_at_the_september_october_boundary():
    assert render("{{ d|fiscal_year }}", d=dt.date(2025, 9, 30)) == "2568"
    assert render("{{ d|fiscal_year }}", d=dt.date(2025, 10, 1)) == "2569"


def test_fiscal_year_uses_the_bangkok_date_of_an_aware_datetime():
    value = dt.datetime(2025, 9, 30, 18, 0, tzinfo=UTC)  # 1 Oct 01:00 in Bangkok
    assert render("{{ t|fiscal_year }}", t=value) == "2569"


def test_filters_chain():
    assert render("{{ d|fiscal_year|thai_digits }}", d=MARCH_15) == "๒๕๖๖"


@pytest.mark.parametrize(
    "name",
    ["thai_digits", "be_date", "be_date_short", "be_datetime", "be_date_thai", "fiscal_year"],
)
@pytest.mark.parametrize("value", [None, ""])
def test_filters_print_nothing_for_empty_values(name, value):
    assert render("[{{ v|" + name + " }}]", v=value) == "[]"


@pytest.mark.parametrize(
    "name", ["be_date", "be_date_short", "be_datetime", "be_date_thai", "fiscal_year"]
)
def test_date_filters_print_nothing_for_non_dates(name):
    assert render("[{{ v|" + name + " }}]", v="2023-03-15") == "[]"


def test_filters_tolerate_missing_variables():
    assert render("[{{ missing|be_date }}{{ missing|thai_digits }}]") == "[]"


def test_english_pages_get_english_months_with_a_be_year_and_arabic_digits():
    import datetime as dt

    from django.template import Context, Template
    from django.utils import translation

    with translation.override("en"):
        out = Template("{{ d|be_date_short }} {{ n|thai_digits }}").render(
            Context({"d": dt.date(2023, 3, 15), "n": "ศธ 04032/15"})
        )
    assert out == "15 Mar 2566 BE ศธ 04032/15"
