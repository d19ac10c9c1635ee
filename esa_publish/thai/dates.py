"""Dates written the Thai way: Buddhist-Era years, Thai month names, optionally Thai digits.

Django's ``th`` locale prints C.E. years, so every date a person reads goes through these
helpers. Month names and the B.E. year come from PyThaiNLP's ``thai_strftime`` (importing
``pythainlp.util`` measured 0.11–0.16 s, below our 0.3 s budget, so we use it rather than keep our
own month tables). PyThaiNLP is imported after Django settings have set ``PYTHAINLP_READ_ONLY=1``
in every code path that formats dates, so it never writes to the home directory.

All helpers take a ``date`` or a ``datetime``; aware datetimes are first moved to the current time
zone (Asia/Bangkok by default), because a request submitted at 01:00 on 1 October in Bangkok is
stored as 18:00 UTC on 30 September and must still print, and count, as 1 October. ``None`` gives
``""`` so optional dates print nothing.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone, translation
from pythainlp.util import thai_strftime

from esa_publish.thai.fiscal import BE_OFFSET

LONG = "long"
SHORT = "short"
NUMERIC = "numeric"
DATETIME = "datetime"
STYLES = (LONG, SHORT, NUMERIC, DATETIME)

_THAI_FORMATS = {
    LONG: "%-d %B %Y",
    SHORT: "%-d %b %Y",
    NUMERIC: "%d/%m/%Y",
    DATETIME: "%-d %b %Y %H:%M น.",
}

# Fixed English names: calendar.month_abbr follows the process's C locale and Django's MONTHS are
# translated into the active language, which would give Thai names in an English sentence.
_ENGLISH_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def _local(value: dt.date) -> dt.date:
    """``value`` ready to print: aware datetimes in local time, anything else unchanged."""
    if not isinstance(value, dt.date):
        raise TypeError(f"expected a date or datetime, not {type(value).__name__}")
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def _thai(value: dt.date | None, style: str, thai_digits: bool) -> str:
    if value is None:
        return ""
    value = _local(value)
    if style == DATETIME and not isinstance(value, dt.datetime):
        style = SHORT  # a plain date has no time to show
    return thai_strftime(value, _THAI_FORMATS[style], thaidigit=thai_digits)


def format_be_long(value: dt.date | None, thai_digits: bool = False) -> str:
    """ "15 มีนาคม 2566" — the form used in memo text; ``thai_digits`` for official documents."""
    return _thai(value, LONG, thai_digits)


def format_be_short(value: dt.date | None, thai_digits: bool = False) -> str:
    """ "15 มี.ค. 2566" — for lists and tables where space is short."""
    return _thai(value, SHORT, thai_digits)


def format_be_datetime(value: dt.date | None, thai_digits: bool = False) -> str:
    """ "15 มี.ค. 2566 14:05 น." in local time; a plain date prints without a time."""
    return _thai(value, DATETIME, thai_digits)


def format_be_numeric(value: dt.date | None, thai_digits: bool = False) -> str:
    """ "15/03/2566" — the form ``BEDateField`` reads back, so it is also what inputs show."""
    return _thai(value, NUMERIC, thai_digits)


def _english(value: dt.date | None, style: str) -> str:
    if value is None:
        return ""
    value = _local(value)
    year = f"{value.year + BE_OFFSET} BE"
    if style == NUMERIC:
        return f"{value.day:02d}/{value.month:02d}/{year}"
    month = _ENGLISH_MONTHS[value.month - 1]
    if style == LONG:
        return f"{value.day} {month} {year}"
    text = f"{value.day} {month[:3]} {year}"
    if style == DATETIME and isinstance(value, dt.datetime):
        text += f" {value:%H:%M}"
    return text


def format_date_for_language(
    value: dt.date | None, style: str = SHORT, language: str | None = None
) -> str:
    """``value`` for a page in ``language`` (default: the active language).

    The product rule is that years are Buddhist Era in every interface: Thai pages get the Thai
    forms above, English pages get English month names with a B.E. year marked "BE"
    ("15 Mar 2566 BE"), never a C.E. year, so a date reads the same year on both sides of the
    language switch. Any language other than English is treated as Thai, the office's language.
    """
    if style not in STYLES:
        raise ValueError(f"style must be one of {', '.join(STYLES)}, not {style!r}")
    language = (language or translation.get_language() or "th").lower()
    if language.replace("_", "-").split("-")[0] == "en":
        return _english(value, style)
    return _thai(value, style, thai_digits=False)
