"""Building report fixtures at controlled moments, through the real services.

``Decision.created_at`` is ``auto_now_add`` and decisions refuse updates, so a test cannot move a
decision in time after the fact. Instead the services run while ``django.utils.timezone.now`` is
patched: ``auto_now_add`` reads the time through that very function, and so do the services (the
memo date, the due date, the delegations in force), so everything happens as if on that day.
"""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from unittest import mock
from zoneinfo import ZoneInfo

from approvals.services import request_act
from catalog.models import CatalogItem, Category
from requests.services import attachments_add, request_create
from tests.workflow import pdf_bytes, plan_everything, upload

BANGKOK = ZoneInfo("Asia/Bangkok")


def bkk(year, month, day, hour=9, minute=0) -> dt.datetime:
    """An aware moment given in Bangkok local time."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=BANGKOK)


@contextmanager
def at(moment: dt.datetime):
    """Run the block as if it were ``moment``."""
    with mock.patch("django.utils.timezone.now", return_value=moment.astimezone(dt.UTC)):
        yield


def new_request(requester, *, title="รายงานผลการดำเนินงาน", category_code="1.8", when=None):
    with at(when or bkk(2025, 9, 1)):
        req = request_create(
            user=requester,
            data={
                "publish_title": title,
                "purpose": "เพื่อเผยแพร่ต่อผู้รับบริการ",
                "category": Category.objects.get(code=category_code),
                "file_formats": ["pdf"],
                "public_summary": "สรุปสาระสำคัญสำหรับประชาชน",
            },
        )
        attachments_add(req=req, user=requester, files=[upload("ไฟล์.pdf", pdf_bytes())])
    return req


def act(req, user, action: str, when: dt.datetime, *, webmaster=None):
    """``user`` takes ``action`` on ``req`` at ``when`` (a comment is given where one is needed)."""
    comment = "ขอให้แก้ไข" if action.endswith(("return", "deny", "unpublish")) else ""
    with at(when):
        if action == "webmaster.publish":
            plan_everything(req, webmaster or user)
        return request_act(request_id=req.pk, user=user, action=action, comment=comment)


def item(unit, category_code, published: dt.datetime, withdrawn: dt.datetime | None = None, **kw):
    """A catalog item published (and perhaps taken down) at the given moments."""
    return CatalogItem.objects.create(
        title=kw.pop("title", "รายการทดสอบ"),
        slug="item",
        category=Category.objects.get(code=category_code),
        fiscal_year=2569,
        unit=unit,
        unit_name=unit.name if unit else "",
        published_at=published,
        withdrawn_at=withdrawn,
        **kw,
    )
