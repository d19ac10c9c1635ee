"""Reading a fiscal year's ITA list from a CSV or XLSX file, row by row, before anything is saved.

The administrator sees every row with its problems first; only a file without problems can be
imported, and :func:`catalog.services.ita_import_year` then writes it in one transaction.

Columns (first row; English or Thai names, any order): ``code`` (รหัส), ``name`` (ชื่อข้อ),
``group`` (ตัวชี้วัด), ``evidence`` (หลักฐาน), ``data_year`` (ปีของข้อมูล: empty, 0 or the
fiscal year itself for the same year; -1 or the year before for last year's data), and optionally
``parts`` (ช่วง: monthly/รายเดือน, quarterly/รายไตรมาส, first_half/รอบ 6 เดือน).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from esa_publish.spreadsheet import safe_cell

MAX_ROWS = 200
MAX_BYTES = 2 * 1024 * 1024
CODE_RE = re.compile(r"^[A-Z]{1,3}\d{1,3}$")
COLUMNS = {
    "code": ("code", "รหัส"),
    "name": ("name", "ชื่อข้อ", "ชื่อ"),
    "group": ("group", "indicator", "ตัวชี้วัด"),
    "evidence": ("evidence", "หลักฐาน", "สิ่งที่ใช้เป็นหลักฐาน"),
    "data_year": ("data_year", "data year", "ปีของข้อมูล"),
    "parts": ("parts", "ช่วง"),
}
REQUIRED = ("code", "name")
PARTS = {
    "": "",
    "monthly": "monthly",
    "รายเดือน": "monthly",
    "quarterly": "quarterly",
    "รายไตรมาส": "quarterly",
    "first_half": "first_half",
    "รอบ 6 เดือน": "first_half",
    "รอบ ๖ เดือน": "first_half",
}

MSG_UNREADABLE = "อ่านไฟล์ไม่ได้ กรุณาใช้ไฟล์ CSV (UTF-8) หรือ Excel (.xlsx)"
MSG_TOO_BIG = "ไฟล์ใหญ่เกินไป"
MSG_NO_COLUMN = "ไม่พบคอลัมน์ %(column)s ในแถวแรก"
MSG_NO_ROWS = "ไม่มีรายการในไฟล์"
MSG_TOO_MANY = "มีรายการเกิน %(n)s แถว"
MSG_NO_CODE = "ไม่มีรหัส"
MSG_BAD_CODE = "รหัส “%(code)s” ไม่ถูกรูปแบบ (เช่น O1)"
MSG_DUPLICATE = "รหัส %(code)s ซ้ำกับแถวที่ %(row)s"
MSG_NO_NAME = "ไม่มีชื่อข้อ"
MSG_LONG_NAME = "ชื่อข้อยาวเกิน 255 ตัวอักษร"
MSG_BAD_YEAR = "ปีของข้อมูล “%(value)s” ไม่ใช่ 0, -1, %(year)s หรือ %(previous)s"
MSG_BAD_PARTS = "ช่วง “%(value)s” ไม่ใช่ รายเดือน รายไตรมาส หรือ รอบ 6 เดือน"


@dataclass
class Row:
    number: int
    values: dict = field(default_factory=dict)
    errors: list = field(default_factory=list)


@dataclass
class Parsed:
    rows: list = field(default_factory=list)
    errors: list = field(default_factory=list)  # problems with the file as a whole

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows) and not any(r.errors for r in self.rows)

    def clean_rows(self) -> list[dict]:
        return [r.values for r in self.rows]


def _table(name: str, content: bytes) -> list[list[str]]:
    if name.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        sheet = book.worksheets[0]
        table = [
            ["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)
        ]
        book.close()
        return table
    text = content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def _data_year(raw: str, year: int) -> int | None:
    value = raw.strip().replace("−", "-")
    if value in ("", "0", str(year)):
        return 0
    if value in ("-1", str(year - 1)):
        return -1
    return None


def parse(name: str, content: bytes, *, fiscal_year: int) -> Parsed:
    """Every row of the file with its problems; nothing is saved."""
    parsed = Parsed()
    if len(content) > MAX_BYTES:
        parsed.errors.append(_(MSG_TOO_BIG))
        return parsed
    try:
        table = _table(name, content)
    except Exception:  # a broken zip, a wrong encoding, a file that is not a table at all
        parsed.errors.append(_(MSG_UNREADABLE))
        return parsed
    table = [row for row in table if any(cell.strip() for cell in row)]
    if not table:
        parsed.errors.append(_(MSG_NO_ROWS))
        return parsed
    header = [cell.strip().lower() for cell in table[0]]
    where = {}
    for key, names in COLUMNS.items():
        for index, title in enumerate(header):
            if title in names:
                where[key] = index
                break
    for key in REQUIRED:
        if key not in where:
            parsed.errors.append(_(MSG_NO_COLUMN) % {"column": key})
    if parsed.errors:
        return parsed
    body = table[1:]
    if not body:
        parsed.errors.append(_(MSG_NO_ROWS))
        return parsed
    if len(body) > MAX_ROWS:
        parsed.errors.append(_(MSG_TOO_MANY) % {"n": MAX_ROWS})
        return parsed
    seen = {}
    for number, cells in enumerate(body, start=2):

        def cell(key, cells=cells):
            index = where.get(key)
            return cells[index].strip() if index is not None and index < len(cells) else ""

        row = Row(number)
        code = cell("code").upper().replace(" ", "")
        if not code:
            row.errors.append(_(MSG_NO_CODE))
        elif not CODE_RE.match(code):
            row.errors.append(_(MSG_BAD_CODE) % {"code": code})
        elif code in seen:
            row.errors.append(_(MSG_DUPLICATE) % {"code": code, "row": seen[code]})
        else:
            seen[code] = number
        name_ = cell("name")
        if not name_:
            row.errors.append(_(MSG_NO_NAME))
        elif len(name_) > 255:
            row.errors.append(_(MSG_LONG_NAME))
        offset = _data_year(cell("data_year"), fiscal_year)
        if offset is None:
            row.errors.append(
                _(MSG_BAD_YEAR)
                % {"value": cell("data_year"), "year": fiscal_year, "previous": fiscal_year - 1}
            )
        parts = PARTS.get(cell("parts").lower())
        if parts is None:
            row.errors.append(_(MSG_BAD_PARTS) % {"value": cell("parts")})
        row.values = {
            "code": code,
            "name": name_,
            "group": cell("group")[:255],
            "evidence": cell("evidence"),
            "data_year_offset": offset or 0,
            "parts": parts or "",
        }
        parsed.rows.append(row)
    return parsed


def export_csv(items) -> str:
    """``items`` (one year's ITA items) as a CSV this module reads back: the columns above, data
    years as 0/-1, parts by their English names, cells safe for spreadsheets, with a byte-order
    mark for Excel."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(["code", "name", "group", "evidence", "data_year", "parts"])
    for item in items:
        writer.writerow(
            [
                item.code,
                safe_cell(item.name),
                safe_cell(item.group),
                safe_cell(item.description),
                item.data_year_offset,
                item.parts,
            ]
        )
    return out.getvalue()
