"""The report's tables, once, for every output: the page, the PDF, the workbook and the CSV.

Cells hold raw values (text, whole numbers, days as floats, None for "nothing measured"); each
output formats them its own way, so the workbook keeps numbers as numbers while the page and the
PDF print Thai digits. Because all four read the same :class:`Table` objects, an export cannot
drift from what people see on screen.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from approvals.reports.figures import COUNT_LABELS, COUNTS, STEP_LABELS, STEPS, Figures, Row
from esa_publish.thai.digits import digits_for_page, to_thai_digits

UNITS = "units"
CATEGORIES = "categories"
STEPS_UNITS = "steps-units"
STEPS_CATEGORIES = "steps-categories"
TREND = "trend"
SLUGS = (UNITS, CATEGORIES, STEPS_UNITS, STEPS_CATEGORIES, TREND)


@dataclass(frozen=True)
class Table:
    slug: str
    title: str
    sheet: str  # an Excel sheet name: at most 31 characters, none of []:*?/\
    headers: list[str]
    rows: list[list]
    total: list | None = None

    @property
    def numeric_columns(self) -> range:
        return range(1, len(self.headers))


def row_name(row: Row) -> str:
    """A row's name; a quarter of the trend ("q1") is named in the page's language."""
    if row.key[:1] == "q" and row.key[1:].isdigit():
        return _("ไตรมาส %(number)s") % {"number": row.key[1:]}
    return row.name


def _counts(row: Row) -> list:
    return [row_name(row), *(row.counts.get(name, 0) for name in COUNTS)]


def _medians(row: Row) -> list:
    return [row.name, *(row.medians.get(str(step)) for step in STEPS)]


def build_tables(figs: Figures) -> list[Table]:
    """The five tables of the report, in the order they are printed."""
    count_headers = [str(COUNT_LABELS[name]) for name in COUNTS]
    step_headers = [str(STEP_LABELS[step]) for step in STEPS]
    unit, category = _("กลุ่ม/หน่วย"), _("หมวดหมู่ข้อมูล")
    return [
        Table(
            UNITS,
            _("ตารางที่ 1 ผลการเผยแพร่และคำขออนุญาต จำแนกตามกลุ่ม/หน่วย"),
            _("ตามกลุ่มหน่วย"),
            [unit, *count_headers],
            [_counts(r) for r in figs.units],
            _counts(figs.total),
        ),
        Table(
            CATEGORIES,
            _("ตารางที่ 2 ผลการเผยแพร่และคำขออนุญาต จำแนกตามหมวดหมู่ข้อมูล"),
            _("ตามหมวดหมู่"),
            [category, *count_headers],
            [_counts(r) for r in figs.categories],
            _counts(figs.total),
        ),
        Table(
            STEPS_UNITS,
            _("ตารางที่ 3 ระยะเวลาในแต่ละขั้นตอน (มัธยฐาน หน่วยเป็นวัน) จำแนกตามกลุ่ม/หน่วย"),
            _("ระยะเวลาตามกลุ่มหน่วย"),
            [unit, *step_headers],
            [_medians(r) for r in figs.units],
            _medians(figs.total),
        ),
        Table(
            STEPS_CATEGORIES,
            _("ตารางที่ 4 ระยะเวลาในแต่ละขั้นตอน (มัธยฐาน หน่วยเป็นวัน) จำแนกตามหมวดหมู่ข้อมูล"),
            _("ระยะเวลาตามหมวดหมู่"),
            [category, *step_headers],
            [_medians(r) for r in figs.categories],
            _medians(figs.total),
        ),
        Table(
            TREND,
            _("ตารางที่ 5 แนวโน้มรายไตรมาส ปีงบประมาณ พ.ศ. %(year)s") % {"year": figs.fiscal_year},
            _("แนวโน้มรายไตรมาส"),
            [_("ไตรมาส"), *count_headers],
            [_counts(r) for r in figs.trend],
        ),
    ]


def display(value, *, thai: bool | None = None) -> str:
    """A cell as people read it: days to one decimal, "—" for nothing measured; digits of the
    page's language unless ``thai`` says (the PDF always prints Thai digits)."""
    if value is None:
        return "—"
    if isinstance(value, float):
        text = f"{value:,.1f}"
    elif isinstance(value, int):
        text = f"{value:,}"
    else:
        text = str(value)
    if thai is None:
        return digits_for_page(text)
    return to_thai_digits(text) if thai else text
