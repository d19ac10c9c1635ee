"""The two documents that found an office's publishing (seed 003 §3.1 steps 1–2), as PDF.

1. ประกาศมาตรการเผยแพร่ข้อมูลต่อสาธารณะ: the kinds of information the office publishes (its own
   active categories), who publishes, the steps, the monitoring and the information centre.
2. คำสั่งแต่งตั้งผู้รับผิดชอบการเผยแพร่ข้อมูล: the people appointed and their duties.

Both are built from :class:`~esa_publish.office.models.Office` and
:class:`~catalog.oia.models.InformationCentre` through the memo's machinery
(:func:`requests.memo.render.write_pdf`: the bundled Sarabun, the allow-listed URL fetcher, the
ำ fix), in the official layout of an announcement and an order (emblem centred, Thai digits, B.E.
dates). Without an issue date a document prints as a draft ("ร่าง") with blanks to fill in.
"""

from __future__ import annotations

from pathlib import Path

from django.template.loader import render_to_string
from django.utils import translation

from catalog.models import Category
from catalog.oia.models import InformationCentre
from esa_publish.office import roles
from esa_publish.office.models import Office, User
from esa_publish.thai.dates import format_be_long
from esa_publish.thai.digits import to_thai_digits
from requests.memo.render import _emblem_data_url, document_font_family, write_pdf

CSS_PATH = Path(__file__).resolve().parent / "documents.css"
ANNOUNCEMENT_TEMPLATE = "catalog/oia/announcement_pdf.html"
ORDER_TEMPLATE = "catalog/oia/order_pdf.html"
ANNOUNCEMENT_SUBJECT = "มาตรการเผยแพร่ข้อมูลต่อสาธารณะ"
ORDER_SUBJECT = "แต่งตั้งผู้รับผิดชอบการเผยแพร่ข้อมูลต่อสาธารณะ"


def render_announcement_pdf(
    *, office: Office | None = None, centre: InformationCentre | None = None
) -> bytes:
    return _pdf(
        ANNOUNCEMENT_TEMPLATE,
        announcement_context(office or Office.current(), centre or InformationCentre.current()),
    )


def render_order_pdf(
    *, office: Office | None = None, centre: InformationCentre | None = None
) -> bytes:
    return _pdf(
        ORDER_TEMPLATE,
        order_context(office or Office.current(), centre or InformationCentre.current()),
    )


def _pdf(template: str, context: dict) -> bytes:
    # An official document: Thai whatever language the person downloading it chose.
    with translation.override("th"):
        html = render_to_string(template, context)
    return write_pdf(html, family=document_font_family(), css_path=CSS_PATH)


def _emblem(office: Office) -> str:
    if not office.emblem:
        return ""
    try:
        path = Path(office.emblem.path)
    except (NotImplementedError, ValueError):  # remote storage: no local file
        return ""
    return _emblem_data_url(path) if path.is_file() else ""


def _signer(office: Office, centre: InformationCentre) -> dict:
    return {
        "name": centre.signer_name,
        "position": to_thai_digits(centre.signer_position or office.addressee),
    }


def _common(office: Office, centre: InformationCentre) -> dict:
    digits = to_thai_digits
    return {
        "emblem_src": _emblem(office),
        "office_name": digits(office.name_th),
        "website": office.website,
        "signer": _signer(office, centre),
        "centre": {
            "name": digits(centre.name),
            "location": digits(centre.location or office.address),
            "phone": digits(centre.phone or office.phone),
            "email": centre.email or office.email,
            "hours": digits(centre.hours),
        },
    }


def announcement_context(office: Office, centre: InformationCentre) -> dict:
    """Every value as display text in Thai digits; nothing is marked safe."""
    digits = to_thai_digits
    categories = [digits(c.name) for c in Category.objects.active().order_by("order", "code")]
    order_ref = ""
    if centre.order_number:
        order_ref = f"ที่ {digits(centre.order_number)}"
        if centre.order_date:
            order_ref += f" ลงวันที่ {format_be_long(centre.order_date, thai_digits=True)}"
    return {
        **_common(office, centre),
        "title": f"ประกาศ{digits(office.name_th)}",
        "subject": ANNOUNCEMENT_SUBJECT,
        "draft": centre.announcement_date is None,
        "date_text": _date(centre.announcement_date),
        "categories": categories,
        "steps": [digits(line) for line in centre.step_lines()],
        "order_ref": order_ref,
    }


def order_context(office: Office, centre: InformationCentre) -> dict:
    """The order's values; with no appointees configured, the webmasters and the centre's
    officer are listed, so the draft shows who does the work today."""
    digits = to_thai_digits
    people = (
        [
            {"name": a.display_name, "position": digits(a.display_position), "duty": digits(a.duty)}
            for a in centre.appointees.select_related("user")
        ]
        if centre.pk
        else []
    )
    if not people:
        people = [
            {
                "name": u.full_name or u.username,
                "position": digits(u.position_title),
                "duty": "ผู้มีหน้าที่เผยแพร่ข้อมูลบนเว็บไซต์",
            }
            for u in User.objects.filter(is_active=True, groups__name=roles.WEBMASTER).order_by(
                "pk"
            )
        ]
        if centre.officer and all(p["name"] != centre.officer.full_name for p in people):
            people.append(
                {
                    "name": centre.officer.full_name or centre.officer.username,
                    "position": digits(centre.officer.position_title),
                    "duty": f"เจ้าหน้าที่ประจำ{digits(centre.name)}",
                }
            )
    announcement_ref = ""
    if centre.announcement_date:
        announcement_ref = f" ลงวันที่ {format_be_long(centre.announcement_date, thai_digits=True)}"
    return {
        **_common(office, centre),
        "title": f"คำสั่ง{digits(office.name_th)}",
        "number": digits(centre.order_number),
        "subject": ORDER_SUBJECT,
        "announcement_subject": ANNOUNCEMENT_SUBJECT,
        "announcement_ref": announcement_ref,
        "draft": centre.order_date is None,
        "date_text": _date(centre.order_date),
        "people": people,
        "duties": [digits(line) for line in centre.duty_lines()],
    }


def _date(value) -> str:
    return format_be_long(value, thai_digits=True) if value else ""
