"""Cells for files people open in Excel or LibreOffice: the report workbook and every CSV.

A text cell that starts with = + - @ (or a tab or carriage return, which some spreadsheets skip
before reading a formula) is run as a formula when the file is opened: a narrative or a title
typed as ``=HYPERLINK("https://…","คลิก")`` would become a live link or a command on a
reviewer's computer. An apostrophe in front makes it plain text (OWASP's advice for CSV); the
same is done in the workbook, where a string starting with "=" would otherwise be stored as a
formula. Numbers, dates and empty cells pass through unchanged, so they still sum and chart.
"""

from __future__ import annotations

import re

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Control characters that neither XLSX (XML 1.0) nor a CSV reader should get; openpyxl refuses
# them with an exception, which would turn a stray pasted character into a failed download.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def safe_cell(value):
    """``value`` as it may go into a spreadsheet cell; only strings are changed."""
    if not isinstance(value, str):
        return value
    value = _CONTROL.sub("", value)
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def safe_row(values) -> list:
    return [safe_cell(value) for value in values]
