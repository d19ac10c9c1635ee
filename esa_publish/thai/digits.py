"""Thai digits (๐๑๒๓๔๕๖๗๘๙) and Arabic digits, both ways.

Official documents write numbers in Thai digits; people type either kind into forms. PyThaiNLP's
``arabic_digit_to_thai_digit`` / ``thai_digit_to_arabic_digit`` are a ``str.translate`` over the
same ten-entry table behind a str-only type check. We keep the table here instead of calling them
so that this module stays importable without pythainlp: that import costs about 0.1 s and, outside
Django settings (which set ``PYTHAINLP_READ_ONLY=1``), creates ``~/pythainlp-data``. A test checks
that both give the same text.
"""

from __future__ import annotations

ARABIC_DIGITS = "0123456789"
THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"

_TO_THAI = str.maketrans(ARABIC_DIGITS, THAI_DIGITS)
_TO_ARABIC = str.maketrans(THAI_DIGITS, ARABIC_DIGITS)


def to_thai_digits(value: object) -> str:
    """``value`` as text with every Arabic digit written as a Thai digit.

    Accepts numbers as well as text (``-15`` → ``"-๑๕"``) because templates and memo code pass
    counts and years straight in; ``None`` gives ``""`` so an empty field prints nothing.
    """
    if value is None:
        return ""
    return str(value).translate(_TO_THAI)


def digits_for_page(value: object) -> str:
    """``value`` in the digits of the page's language: Thai digits on Thai pages, Arabic digits on
    English ones, whichever kind it was typed in (a document number "ศธ ๐๔๐๓๒/7" reads
    "ศธ 04032/7" in English). Official documents call :func:`to_thai_digits`."""
    from django.utils import translation

    if value is None:
        return ""
    if (translation.get_language() or "th").split("-")[0] == "en":
        return to_arabic_digits(value)
    return to_thai_digits(value)


def to_arabic_digits(text: object) -> str:
    """``text`` with every Thai digit written as an Arabic digit, ready to parse as a number."""
    if text is None:
        return ""
    return str(text).translate(_TO_ARABIC)
