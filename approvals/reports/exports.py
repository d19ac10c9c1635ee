"""The report's tables as an Excel workbook (a sheet per table) and as CSV.

Numbers stay numbers (Arabic digits) so they can be summed and charted in a spreadsheet; headers
and names are Thai. The CSV starts with a UTF-8 byte-order mark: without it Excel on Windows, the
office's usual tool, reads UTF-8 as the local code page and turns Thai into mojibake.
"""

from __future__ import annotations

import csv
import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from approvals.reports.selectors import ReportData
from approvals.reports.tables import Table
from esa_publish.spreadsheet import safe_row

BOM = "\ufeff"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _cells(table: Table) -> list[list]:
    """The table's rows, total last, each cell safe to open in a spreadsheet (unit and category
    names are typed by people)."""
    rows = [safe_row(r) for r in table.rows]
    if table.total:
        rows.append(safe_row(table.total))
    return rows


def report_xlsx(data: ReportData) -> bytes:
    """One sheet per table (headers in row 1), then one with the units' narratives."""
    book = Workbook()
    book.remove(book.active)
    bold = Font(bold=True)
    for table in data.tables:
        sheet = book.create_sheet(table.sheet[:31])
        sheet.append(safe_row(table.headers))
        for row in _cells(table):
            sheet.append(row)
        for cell in sheet[1]:
            cell.font = bold
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        if table.total:
            for cell in sheet[sheet.max_row]:
                cell.font = bold
        sheet.column_dimensions["A"].width = 48
        for column in table.numeric_columns:
            letter = get_column_letter(column + 1)
            sheet.column_dimensions[letter].width = 14
            for (cell,) in sheet.iter_rows(min_row=2, min_col=column + 1, max_col=column + 1):
                if isinstance(cell.value, float):
                    cell.number_format = "0.0"
        sheet.freeze_panes = "B2"
    notes = book.create_sheet(_("รายงานของกลุ่มหน่วย"))
    notes.append(
        [
            _("กลุ่ม/หน่วย"),
            _("ผลลัพธ์ การรับรู้ หรือประโยชน์"),
            _("ปัญหาอุปสรรค"),
            _("ข้อเสนอแนะ"),
            _("ผู้รายงาน"),
        ]
    )
    for narrative in data.narratives:
        notes.append(
            safe_row(
                [
                    narrative["unit_name"],
                    narrative["outcomes"],
                    narrative["problems"],
                    narrative["suggestions"],
                    narrative["submitted_name"],
                ]
            )
        )
    for cell in notes[1]:
        cell.font = bold
    for letter in "ABCDE":
        notes.column_dimensions[letter].width = 40
    book.properties.title = _("รายงานผลการเผยแพร่ข้อมูล %(period)s") % {
        "period": data.period.heading(thai_digits=False)
    }
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def table_csv(table: Table) -> bytes:
    """One table as CSV in UTF-8 with a byte-order mark, header row first, total row last."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(safe_row(table.headers))
    for row in _cells(table):
        writer.writerow("" if value is None else value for value in row)
    return (BOM + out.getvalue()).encode("utf-8")
