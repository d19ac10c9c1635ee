"""The report as a Thai PDF in the memo's official style.

The fonts, the allow-listed URL fetcher, the emblem, the watermark and the text layer are the
memo's own (``requests.memo.render`` and ``requests.memo.fetcher``), imported rather than
copied, so the report looks like the office's other documents and is exactly as locked down: it
reads only the font package and ``static/``, never the network. Only the layout differs (tables
instead of signature blocks), which is ``report_pdf.css`` next to this module.

As in the memo, WeasyPrint's font configuration and parsed stylesheets are built once per thread
and font family and reused.
"""

from __future__ import annotations

from pathlib import Path

from django.template.loader import render_to_string
from django.utils import timezone, translation

from approvals.reports.figures import COUNTS
from approvals.reports.selectors import ReportData
from approvals.reports.tables import display
from esa_publish.office.models import Office
from esa_publish.thai.dates import format_be_long
from esa_publish.thai.digits import to_thai_digits
from requests.memo.render import (
    _acting_lines,
    _emblem_data_url,
    created_now,
    document_font_family,
    watermark_data_url,
    write_pdf,
)

TEMPLATE = "reports/report_pdf.html"
CSS_PATH = Path(__file__).resolve().parent / "report_pdf.css"
TITLE = "รายงานผลการเผยแพร่ข้อมูลต่อสาธารณะผ่านเว็บไซต์"


def render_report_pdf(data: ReportData, *, office: Office | None = None) -> bytes:
    """The report as PDF bytes: watermarked "ร่าง" until the director acknowledges it."""
    html = render_report_html(data, office=office)
    return write_pdf(html, family=document_font_family(), css_path=CSS_PATH)


def render_report_html(data: ReportData, *, office: Office | None = None) -> str:
    # An official document: Thai whatever language the person reading the page chose.
    with translation.override("th"):
        return render_to_string(TEMPLATE, pdf_context(data, office or Office.current()))


def _emblem(office: Office) -> str:
    if not office.emblem:
        return ""
    try:
        path = Path(office.emblem.path)
    except (NotImplementedError, ValueError):  # remote storage: no local file
        return ""
    return _emblem_data_url(path) if path.is_file() else ""


def pdf_context(data: ReportData, office: Office) -> dict:
    """Every value as display text in Thai digits; nothing is marked safe."""
    digits = to_thai_digits
    total = data.figures.total.counts
    report = data.report
    tables = [
        {
            "title": digits(table.title),
            "headers": table.headers,
            "rows": [[digits(r[0]), *(display(v, thai=True) for v in r[1:])] for r in table.rows],
            "total": [digits(table.total[0]), *(display(v, thai=True) for v in table.total[1:])]
            if table.total
            else None,
        }
        for table in data.tables
    ]
    narratives = []
    for row in data.figures.units:
        if not row.key.startswith("unit:") or row.key == "unit:none":
            continue
        found = data.narrative_for(int(row.key.split(":")[1]))
        narratives.append(
            {
                "unit": digits(row.name),
                "outcomes": digits(found["outcomes"]) if found else "",
                "problems": digits(found["problems"]) if found else "",
                "suggestions": digits(found["suggestions"]) if found else "",
                "by": digits(_by_line(found)) if found else "",
            }
        )
    acknowledged = report.acknowledged_at
    return {
        "draft": not data.frozen,
        "watermark_src": "" if data.frozen else watermark_data_url("ร่าง"),
        "watermark_word": "" if data.frozen else "ร่าง",
        "emblem_src": _emblem(office),
        "office_name": digits(office.name_th),
        "created": created_now(),
        "title": f"{TITLE}{digits(office.name_th)}",
        "title_lead": TITLE,
        "period": data.period.heading(),
        "summary": {name: display(total.get(name, 0), thai=True) for name in COUNTS},
        "tables": tables,
        "narratives": narratives,
        "signer": {
            "name": report.signer_name if acknowledged else "",
            "position": digits(report.signer_position) if acknowledged else "",
            "acting_lines": _acting_lines(digits(report.capacity_line)) if acknowledged else [],
            "date": format_be_long(timezone.localtime(acknowledged), thai_digits=True)
            if acknowledged
            else "",
            "role": digits(office.addressee),
        },
    }


def _by_line(narrative: dict) -> str:
    text = f"ผู้รายงาน {narrative['submitted_name']}"
    if narrative.get("submitted_position"):
        text += f" {narrative['submitted_position']}"
    if narrative.get("capacity") and narrative.get("principal_name"):
        text += f" ({narrative['capacity']} {narrative['principal_name']})"
    return text
