"""Spreadsheet helpers for the catalog's downloads."""

from __future__ import annotations

from esa_publish.spreadsheet import safe_cell

# --- ITAS -----------------------------------------------------------------------------------

ITAS_HEADERS = ("รหัส", "ข้อ ITA", "มี/ไม่มี", "URL", "คำอธิบาย")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _explanation(ita, site_url: str) -> str:
    from django.utils.translation import gettext as _

    from catalog.evidence import nil_date

    parts = [
        _("หน้าข้อ %(code)s ปีงบประมาณ %(year)s บนเว็บไซต์หลักของสำนักงาน (ลิงก์แรก)")
        % {"code": ita.code, "year": ita.fiscal_year}
    ]
    if ita.data_year != ita.fiscal_year:
        parts.append(_("ใช้ข้อมูลของปีงบประมาณ %(year)s") % {"year": ita.data_year})
    titles = [e.title for e in ita.evidence]
    for part in ita.part_list:
        titles += [f"{part.label}: {e.title}" for e in part.evidence]
        titles += [f"{part.label}: {_('ไม่มี')} – {s.text} ({nil_date(s)})" for s in part.nil]
    if titles:
        parts.append(_("รายการที่เผยแพร่: %(titles)s") % {"titles": "; ".join(titles)})
    for statement in ita.nil:
        parts.append(
            _("ไม่มี: %(text)s (%(date)s)") % {"text": statement.text, "date": nil_date(statement)}
        )
    if ita.missing_parts:
        parts.append(
            _("ยังขาด: %(parts)s") % {"parts": ", ".join(p.label for p in ita.missing_parts)}
        )
    return "\n".join(parts)


def itas_rows(fiscal_year: int) -> list[list[str]]:
    """One row per O-item of the year as ITAS asks for it: code, name, มี/ไม่มี, the URLs on the
    office's site (the item's landing page first, then each published item) and the explanation
    of where the data is. Every cell already made safe for spreadsheets."""
    from django.conf import settings
    from django.utils.translation import gettext as _

    from catalog.evidence import for_year

    site = settings.SITE_URL
    rows = []
    for ita in for_year(fiscal_year):
        urls = [site + ita.get_absolute_url()]
        urls += [site + e.get_absolute_url() for e in ita.evidence]
        urls += [site + e.get_absolute_url() for p in ita.part_list for e in p.evidence]
        rows.append(
            [
                safe_cell(ita.code),
                safe_cell(ita.name),
                _("มี") if ita.answered else _("ไม่มี"),
                "\n".join(dict.fromkeys(safe_cell(u) for u in urls)),
                safe_cell(_explanation(ita, site)),
            ]
        )
    return rows


def itas_csv(fiscal_year: int) -> str:
    """The ITAS rows as CSV with a byte-order mark (Excel on Windows reads Thai right)."""
    import csv
    import io

    from django.utils.translation import gettext as _

    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow([_(h) for h in ITAS_HEADERS])
    writer.writerows(itas_rows(fiscal_year))
    return out.getvalue()


def itas_xlsx(fiscal_year: int) -> bytes:
    """The ITAS rows as an Excel workbook, one sheet, text wrapped."""
    import io

    from django.utils.translation import gettext as _
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    sheet.title = f"ITA {fiscal_year}"
    sheet.append([_(h) for h in ITAS_HEADERS])
    for row in itas_rows(fiscal_year):
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for letter, width in zip("ABCDE", (8, 48, 10, 60, 80), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "C2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
