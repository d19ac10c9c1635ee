"""What a request needs before it can be submitted. Messages as constants for the tests."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from requests.models import Channel

NEEDS_TITLE = _("กรุณาระบุเรื่องที่ขอเผยแพร่")
NEEDS_PURPOSE = _("กรุณาระบุรายละเอียดและวัตถุประสงค์การเผยแพร่")
NEEDS_PUBLIC_TITLE = _("กรุณาระบุชื่อเรื่องที่จะแสดงต่อสาธารณะ")
NEEDS_PUBLIC_SUMMARY = _("กรุณาระบุสรุปสาระสำคัญที่จะแสดงต่อสาธารณะ")
NEEDS_FILES = _("กรุณาแนบไฟล์หรือภาพที่ต้องการเผยแพร่อย่างน้อย ๑ รายการ")
NEEDS_EMAIL = _("เลือกช่องทาง e-mail แล้ว กรุณาระบุอีเมล")
NEEDS_OTHER = _("เลือกช่องทางอื่น แล้ว กรุณาระบุช่องทาง")
RETIRED_CATEGORY = _("หมวดหมู่นี้เลิกใช้แล้ว กรุณาเลือกหมวดหมู่อื่น")
NEEDS_FORMATS = _("กรุณาเลือกรูปแบบไฟล์อย่างน้อย ๑ รูปแบบ")


def submission_problems(req) -> list[tuple[str | None, str]]:
    """(field, message) for everything missing, in form order; empty when it may be submitted."""
    problems = []
    has_files = req.attachments.exists() or req.photos.exists()
    if not req.publish_title.strip():
        problems.append(("publish_title", NEEDS_TITLE))
    if not req.purpose.strip():
        problems.append(("purpose", NEEDS_PURPOSE))
    if not req.category.is_active:
        problems.append(("category", RETIRED_CATEGORY))
    # Every stored file gives a format (``all_file_formats``), so only a request without files
    # and without a ticked format lacks one; asked this way it costs no query of its own.
    if not req.file_formats and not has_files:
        problems.append(("file_formats", NEEDS_FORMATS))
    if req.channel == Channel.EMAIL and not req.channel_email:
        problems.append(("channel_email", NEEDS_EMAIL))
    if req.channel == Channel.OTHER and not req.channel_other.strip():
        problems.append(("channel_other", NEEDS_OTHER))
    if not req.public_title.strip():
        problems.append(("public_title", NEEDS_PUBLIC_TITLE))
    if not req.public_summary.strip():
        problems.append(("public_summary", NEEDS_PUBLIC_SUMMARY))
    if not has_files:
        problems.append((None, NEEDS_FILES))
    return problems
