"""A form field for dates typed with a Buddhist-Era year.

Django's ``DateField`` under the ``th`` locale reads "01/10/2568" as the year 2568 C.E. without
complaint, 543 years off. People here type B.E. years, in Arabic or Thai digits, with slashes,
dashes or a Thai month name; some type a C.E. year out of habit. ``BEDateField`` accepts the
first and refuses the second with a message that says what to type instead, because silently
guessing the era would put a wrong date on an official record.

PyThaiNLP's ``thai_strptime`` is not used; checked with pythainlp 5.4 it reads "15 12 2566" as
15 January (the month is found by substring, and "1" is in "12"), ignores text around the date,
turns "66" into 2566 and "2023" into 1480 C.E. without a word, and raises ``KeyError`` on
"15/03/2566". We take only its month-name tables and apply our own stricter rules.
"""

from __future__ import annotations

import datetime as dt
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from pythainlp.util.date import thai_abbr_months, thai_full_months

from esa_publish.thai.dates import format_be_numeric
from esa_publish.thai.digits import to_arabic_digits
from esa_publish.thai.fiscal import BE_OFFSET

MIN_BE_YEAR = 2400
MAX_BE_YEAR = 2700
# A four-digit year in this range is far more likely a C.E. year typed out of habit than a B.E.
# year from the 19th century or earlier.
CE_LOOKALIKE_YEARS = range(1900, 2400)

INVALID_MESSAGE = _("กรุณากรอกวันที่เป็น วัน/เดือน/ปี พ.ศ. เช่น 15/03/2566")
NONEXISTENT_DATE_MESSAGE = _("ไม่มีวันที่นี้ในปฏิทิน กรุณาตรวจสอบวันและเดือน")
AMBIGUOUS_YEAR_MESSAGE = _("ปี %(year)s ดูเหมือนเป็นคริสต์ศักราช กรุณากรอกปีพุทธศักราช เช่น %(be_year)s")
TWO_DIGIT_YEAR_MESSAGE = _("กรุณากรอกปีพุทธศักราชให้ครบ 4 หลัก เช่น 2566")
OUT_OF_RANGE_MESSAGE = _("ปีพุทธศักราชต้องอยู่ระหว่าง %(min)s ถึง %(max)s")
PLACEHOLDER = _("วว/ดด/ปปปป (พ.ศ.)")


def _month_key(name: str) -> str:
    """Month text without dots or spaces, so "มี.ค.", "มี.ค" and "มีค" all match."""
    return re.sub(r"[.\s]", "", name)


_MONTHS = {
    _month_key(name): number
    for names in (thai_full_months, thai_abbr_months)
    for number, name in enumerate(names, start=1)
}

# "พ.ศ." may be written before the year ("15 มีนาคม พ.ศ. 2566"); it carries no information.
# No month name contains พ followed by ศ (พฤศจิกายน has ฤ between them).
_BE_MARK = re.compile(r"พ\.?\s*ศ\.?")
# Digits are spelt [0-9]: \d would also accept Thai and other scripts' digits, which int() reads.
# The text is matched with its whitespace collapsed to single spaces, so every gap is " ?" and no
# two neighbouring parts can both take the same characters: with "\s*" beside "[^0-9]*?", the
# month-name pattern tried every split of a run of spaces ("1a" + 80,000 spaces + "b" took a
# minute). Each pattern now moves forward at most once per character.
_DAY_MONTH_YEAR = re.compile(r"([0-9]{1,2}) ?([/.-]) ?([0-9]{1,2}) ?\2 ?([0-9]+)")
_YEAR_MONTH_DAY = re.compile(r"([0-9]{4}) ?([/.-]) ?([0-9]{1,2}) ?\2 ?([0-9]{1,2})")
_DAY_MONTHNAME_YEAR = re.compile(r"([0-9]{1,2}) ?([^0-9 /.-][^0-9]*?) ?([0-9]+)")
# The longest date anyone types ("๑๕ พฤศจิกายน พ.ศ. ๒๕๖๖" is 23 characters) with room to spare;
# anything longer is refused before any parsing, and the input box stops there too.
MAX_INPUT_LENGTH = 40


class BEDateField(forms.Field):
    """A date typed as day/month/B.E. year; cleans to a ``datetime.date`` (C.E., as Python has it).

    Accepted: "15/3/2566", "15/03/2566", "15-3-2566", "15.03.2566", "๑๕/๐๓/๒๕๖๖",
    "15 มี.ค. 2566", "15 มีนาคม 2566", "15 มีนาคม พ.ศ. 2566", and year-first "2566-03-15".
    Refused, each with its own error code: C.E.-looking years (``ambiguous_year``; this includes
    ISO "2023-03-15"), years of one or two digits (``two_digit_year``), years outside 2400–2700
    (``out_of_range``), and dates that do not exist or do not parse (``invalid``).
    Values are shown back as "15/03/2566", the form the field reads.
    """

    widget = forms.TextInput
    default_error_messages = {
        "invalid": INVALID_MESSAGE,
        "nonexistent": NONEXISTENT_DATE_MESSAGE,
        "ambiguous_year": AMBIGUOUS_YEAR_MESSAGE,
        "two_digit_year": TWO_DIGIT_YEAR_MESSAGE,
        "out_of_range": OUT_OF_RANGE_MESSAGE,
    }

    def widget_attrs(self, widget):
        """Placeholder and no autocomplete, unless the form set its own.

        The input is text, not ``inputmode="numeric"``, because Thai month names are allowed.
        """
        attrs = super().widget_attrs(widget)
        defaults = {
            "placeholder": PLACEHOLDER,
            "autocomplete": "off",
            "maxlength": str(MAX_INPUT_LENGTH),
        }
        attrs.update({k: v for k, v in defaults.items() if k not in widget.attrs})
        return attrs

    def prepare_value(self, value):
        """Dates shown as "15/03/2566", also in hidden initial inputs, so they read back intact."""
        if isinstance(value, dt.date):
            return format_be_numeric(value)
        return value

    def to_python(self, value) -> dt.date | None:
        if value in self.empty_values:
            return None
        if isinstance(value, dt.datetime):
            return (timezone.localtime(value) if timezone.is_aware(value) else value).date()
        if isinstance(value, dt.date):
            return value
        value = str(value)
        if len(value) > MAX_INPUT_LENGTH:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        text = " ".join(_BE_MARK.sub(" ", to_arabic_digits(value)).split())
        if not text:
            return None
        return self._parse(text)

    def _parse(self, text: str) -> dt.date:
        if match := _DAY_MONTH_YEAR.fullmatch(text):
            day, _sep, month, year = match.groups()
            return self._build(year, int(month), int(day))
        if match := _YEAR_MONTH_DAY.fullmatch(text):
            year, _sep, month, day = match.groups()
            return self._build(year, int(month), int(day), year_first=True)
        if match := _DAY_MONTHNAME_YEAR.fullmatch(text):
            day, month_name, year = match.groups()
            month = _MONTHS.get(_month_key(month_name))
            if month is not None:
                return self._build(year, month, int(day))
        raise ValidationError(self.error_messages["invalid"], code="invalid")

    def _build(self, year_text: str, month: int, day: int, year_first: bool = False) -> dt.date:
        """The C.E. date for a B.E. year, after checking the year looks like one.

        The year is checked before the day and month so that "31/12/66" asks for a four-digit
        year rather than reporting a valid-looking date as wrong. Year-first input is how ISO
        dates look, and ISO dates are C.E., so there any year below 2400 counts as C.E.
        """
        if len(year_text) <= 2:
            raise ValidationError(self.error_messages["two_digit_year"], code="two_digit_year")
        # Found by tests/test_fuzz.py: int() refuses 4300+ digits with a ValueError (a 500).
        # No year in range is longer than 4 digits; 8 leaves room for zero-padding.
        year = int(year_text) if len(year_text) <= 8 else MAX_BE_YEAR + 1
        if year in CE_LOOKALIKE_YEARS or (year_first and year < MIN_BE_YEAR):
            raise ValidationError(
                self.error_messages["ambiguous_year"],
                code="ambiguous_year",
                params={"year": year, "be_year": year + BE_OFFSET},
            )
        if not MIN_BE_YEAR <= year <= MAX_BE_YEAR:
            raise ValidationError(
                self.error_messages["out_of_range"],
                code="out_of_range",
                params={"min": MIN_BE_YEAR, "max": MAX_BE_YEAR},
            )
        try:
            return dt.date(year - BE_OFFSET, month, day)
        except ValueError:
            # A day or month that does not exist is still an invalid date; the separate message
            # tells the user the format was fine and the calendar was not.
            raise ValidationError(self.error_messages["nonexistent"], code="invalid") from None
