"""Building requests in any workflow state through the real services (no shortcuts)."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image
from pypdf import PdfWriter

from approvals.services import request_act
from catalog.models import Category
from requests.services import attachments_add, photos_add, request_create
from requests.states import State


def pdf_bytes(pages: int = 1) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(595, 842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def jpeg_bytes(size=(64, 48), color=(200, 30, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "JPEG", quality=85)
    return out.getvalue()


def upload(name: str, data: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)


# The path from a draft to each state, as (actor attribute on `people`, action).
PATHS = {
    State.DRAFT: [],
    State.SUBMITTED: [("requester", "submit")],
    State.REVIEWED: [("requester", "submit"), ("group_director", "review.forward")],
    State.RECOMMENDED: [
        ("requester", "submit"),
        ("group_director", "review.forward"),
        ("deputy", "deputy.allow"),
    ],
    State.APPROVED: [
        ("requester", "submit"),
        ("group_director", "review.forward"),
        ("deputy", "deputy.allow"),
        ("director", "director.allow"),
    ],
    State.PUBLISHED: [
        ("requester", "submit"),
        ("group_director", "review.forward"),
        ("deputy", "deputy.allow"),
        ("director", "director.allow"),
        ("webmaster", "webmaster.publish"),
    ],
    State.RETURNED: [("requester", "submit"), ("group_director", "review.return")],
    State.REJECTED: [
        ("requester", "submit"),
        ("group_director", "review.forward"),
        ("deputy", "deputy.deny"),
        ("director", "director.deny"),
    ],
    State.WITHDRAWN: [("requester", "submit"), ("requester", "withdraw")],
    State.UNPUBLISHED: [
        ("requester", "submit"),
        ("group_director", "review.forward"),
        ("deputy", "deputy.allow"),
        ("director", "director.allow"),
        ("webmaster", "webmaster.publish"),
        ("webmaster", "webmaster.unpublish"),
    ],
}


#: The webmaster's answers for activity photos that show no one up close: may be published.
WIDE_SHOTS = {"identifiable": False, "minors": False, "consent": False}


def plan_everything(req, webmaster):
    """The webmaster's plan publishing every file and photo as the requester described them."""
    from catalog.publishing import plan_save
    from esa_publish.thai.fiscal import fiscal_year

    req.refresh_from_db()
    return plan_save(
        req=req,
        user=webmaster,
        title=req.public_title or req.publish_title,
        summary=req.public_summary,
        category=req.category,
        fiscal_year=fiscal_year(timezone.localdate()),
        attachment_ids=req.attachments.values_list("pk", flat=True),
        photo_ids=req.photos.values_list("pk", flat=True),
        photo_flags=WIDE_SHOTS,
    )


def make_request(
    people,
    state: str = State.DRAFT,
    *,
    category_code: str = "1.8",
    photos=0,
    title: str = "ประชาสัมพันธ์กิจกรรมวันครู ประจำปี ๒๕๖๙",
):
    """A request of ``people.requester`` brought to ``state`` by the services, as people would."""
    req = request_create(
        user=people.requester,
        data={
            "publish_title": title,
            "purpose": "เพื่อเผยแพร่ประชาสัมพันธ์งานที่ดำเนินการต่อผู้รับบริการ",
            "category": Category.objects.get(code=category_code),
            "file_formats": ["pdf", "jpg"],
            "public_summary": "สรุปกิจกรรมวันครูของสำนักงานเขตพื้นที่การศึกษา",
        },
    )
    attachments_add(req=req, user=people.requester, files=[upload("คำสั่ง.pdf", pdf_bytes())])
    if photos:
        photos_add(
            req=req,
            user=people.requester,
            files=[upload(f"ภาพ{n}.jpg", jpeg_bytes()) for n in range(photos)],
            captions=[f"ภาพกิจกรรมที่ {n + 1}" for n in range(photos)],
        )
    for who, action in PATHS[state]:
        if action == "webmaster.publish":
            plan_everything(req, people.webmaster)
        comment = "ขอให้แก้ไขรายละเอียด" if action.endswith(("return", "deny", "unpublish")) else ""
        request_act(request_id=req.pk, user=getattr(people, who), action=action, comment=comment)
    if state == State.APPROVED:
        plan_everything(req, people.webmaster)  # ready to publish, as the webmaster leaves it
    req.refresh_from_db()
    assert req.state == state
    return req
