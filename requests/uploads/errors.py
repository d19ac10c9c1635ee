"""Why an upload was refused: one exception, and every message as a template tests can import.

Each per-file message names the file, says what is wrong in words an office clerk understands and,
where possible, what to do about it. Messages are lazily translated ``str.format`` templates;
:func:`rejection` fills them in the language of the page that asked, shortening the file name so
a 300-character name does not swamp the page.
"""

from __future__ import annotations

import math

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from requests.uploads.disposition import strip_invisible

# Codes: stable identifiers for tests, logs and the view; the messages may be reworded freely.
CODE_EMPTY = "empty"
CODE_TOO_LARGE = "too_large"
CODE_NAME_TOO_LONG = "name_too_long"
CODE_UNSAFE_NAME = "unsafe_name"
CODE_UNSUPPORTED = "unsupported_type"
CODE_WRONG_EXTENSION = "wrong_extension"
CODE_CORRUPT = "corrupt"
CODE_PDF_PASSWORD = "pdf_password"
CODE_PDF_ACTIVE_CONTENT = "pdf_active_content"
CODE_IMAGE_TOO_LARGE = "image_too_large"
CODE_MACRO = "macro"
CODE_ZIP_BOMB = "zip_bomb"
CODE_ZIP_TOO_MANY_ENTRIES = "zip_too_many_entries"
CODE_ZIP_UNSAFE_PATH = "zip_unsafe_path"
CODE_OFFICE_PROTECTED = "office_protected"
CODE_TOO_MANY_FILES = "too_many_files"
CODE_REQUEST_TOO_LARGE = "request_too_large"

MSG_EMPTY = _('ไฟล์ "{name}" ว่างเปล่า (ขนาด 0 ไบต์) กรุณาตรวจสอบไฟล์แล้วแนบใหม่')
MSG_TOO_LARGE = _(
    'ไฟล์ "{name}" มีขนาด {size} เกินขนาดสูงสุดที่รับได้ ({limit} ต่อไฟล์) กรุณาลดขนาดไฟล์แล้วแนบใหม่'
)
# When the size was not declared and reading stopped at the limit, the exact size is unknown.
MSG_TOO_LARGE_UNKNOWN = _(
    'ไฟล์ "{name}" มีขนาดเกิน {limit} ซึ่งเป็นขนาดสูงสุดที่รับได้ต่อไฟล์ กรุณาลดขนาดไฟล์แล้วแนบใหม่'
)
MSG_NAME_TOO_LONG = _(
    'ชื่อไฟล์ "{name}" ยาว {length} ตัวอักษร เกินที่ระบบรับได้ ({limit} ตัวอักษร) กรุณาตั้งชื่อไฟล์ให้สั้นลงแล้วแนบใหม่'
)
MSG_UNSAFE_NAME = _(
    'ชื่อไฟล์ "{name}" มีส่วนที่เป็นที่อยู่โฟลเดอร์ (เช่น / \\ หรือ ..) ระบบไม่รับชื่อลักษณะนี้ กรุณาตั้งชื่อไฟล์ใหม่แล้วแนบอีกครั้ง'
)
MSG_UNSUPPORTED = _('ไฟล์ "{name}" ไม่ใช่ไฟล์ที่ระบบรับ (รับเฉพาะ {accepted})')
# A format recognised but not taken (AVIF): say which, so the person knows what to convert.
MSG_UNSUPPORTED_FORMAT = _(
    'ไฟล์ "{name}" เป็นไฟล์ {real} ซึ่งระบบยังไม่รับ (รับเฉพาะ {accepted}) '
    "กรุณาบันทึกเป็น JPEG หรือ PNG แล้วแนบใหม่"
)
MSG_WRONG_EXTENSION = _(
    'ไฟล์ "{name}" เป็นไฟล์ {real} แต่ชื่อไฟล์ลงท้ายด้วย .{extension} '
    "กรุณาเปลี่ยนชื่อให้ลงท้ายด้วย .{expected} แล้วแนบใหม่"
)
MSG_NO_EXTENSION = _(
    'ไฟล์ "{name}" เป็นไฟล์ {real} แต่ชื่อไฟล์ไม่มีนามสกุล กรุณาเปลี่ยนชื่อให้ลงท้ายด้วย .{expected} แล้วแนบใหม่'
)
MSG_CORRUPT = _(
    'ไฟล์ "{name}" เสียหายหรือไม่สมบูรณ์ เปิดเป็นไฟล์ {real} ไม่ได้ กรุณาบันทึกไฟล์จากโปรแกรมต้นฉบับใหม่แล้วแนบอีกครั้ง'
)
MSG_PDF_NO_EOF = _(
    'ไฟล์ "{name}" ไม่สมบูรณ์ (ไม่พบส่วนท้ายของไฟล์ PDF) อาจดาวน์โหลดหรือคัดลอกมาไม่ครบ '
    "กรุณาบันทึกไฟล์ PDF ใหม่แล้วแนบอีกครั้ง"
)
MSG_PDF_PASSWORD = _(
    'ไฟล์ "{name}" เป็น PDF ที่ต้องใส่รหัสผ่านก่อนเปิดอ่าน ผู้เข้าชมเว็บไซต์จะเปิดไฟล์นี้ไม่ได้ '
    "กรุณาแนบไฟล์ที่ไม่ได้ตั้งรหัสผ่านเปิดไฟล์"
)
MSG_PDF_ACTIVE_CONTENT = _(
    'ไฟล์ "{name}" เป็น PDF ที่มีคำสั่งทำงานอัตโนมัติ ({found}) เช่น JavaScript หรือคำสั่งเปิดโปรแกรมอื่น '
    "ซึ่งระบบไม่รับเพื่อความปลอดภัยของผู้เข้าชมเว็บไซต์ กรุณาบันทึกเป็น PDF ใหม่จากโปรแกรมต้นฉบับ "
    "หรือสั่งพิมพ์เป็น PDF (Print to PDF) แล้วแนบอีกครั้ง"
)
MSG_IMAGE_TOO_LARGE = _(
    'ไฟล์ "{name}" เป็นภาพที่มีจำนวนพิกเซลมากเกินไป (รับได้ไม่เกิน {limit} ล้านพิกเซล) กรุณาย่อขนาดภาพแล้วแนบใหม่'
)
MSG_MACRO = _(
    'ไฟล์ "{name}" มีมาโคร (Macro/VBA) ซึ่งระบบไม่รับเพื่อความปลอดภัย '
    "กรุณาบันทึกเป็นไฟล์ .docx หรือ .xlsx แบบไม่มีมาโครแล้วแนบใหม่"
)
MSG_ZIP_BOMB = _(
    'ไฟล์ "{name}" มีข้อมูลที่ขยายตัวเมื่อเปิดไฟล์ใหญ่ผิดปกติ ระบบไม่รับเพื่อความปลอดภัย '
    "กรุณาบันทึกไฟล์จากโปรแกรมต้นฉบับใหม่แล้วแนบอีกครั้ง"
)
MSG_ZIP_TOO_MANY_ENTRIES = _(
    'ไฟล์ "{name}" มีส่วนประกอบภายในมากผิดปกติ (เกิน {limit} รายการ) ระบบไม่รับเพื่อความปลอดภัย'
)
MSG_ZIP_UNSAFE_PATH = _(
    'ไฟล์ "{name}" มีส่วนประกอบภายในที่ตั้งชื่อให้ชี้ออกนอกไฟล์ (เช่น ../) ระบบไม่รับเพื่อความปลอดภัย'
)
MSG_OFFICE_PROTECTED = _(
    'ไฟล์ "{name}" เป็นไฟล์ Word/Excel ที่ตั้งรหัสผ่านไว้ หรือเป็นรูปแบบเก่า (.doc/.xls) '
    "กรุณายกเลิกรหัสผ่านและบันทึกเป็น .docx หรือ .xlsx แล้วแนบใหม่"
)
MSG_TOO_MANY_FILES = _(
    "แนบไฟล์ได้ไม่เกิน {limit} ไฟล์ต่อคำขอ (คำขอนี้มีไฟล์แนบแล้ว {existing} ไฟล์ และกำลังเพิ่มอีก {new} ไฟล์)"
)
MSG_REQUEST_TOO_LARGE = _(
    "ไฟล์แนบทั้งหมดของคำขอหนึ่งรวมกันต้องไม่เกิน {limit} (ถ้าเพิ่มไฟล์เหล่านี้จะรวมเป็น {total})"
)

# A name in a message keeps its start and its end (where the extension is) up to this length.
SHOWN_NAME_MAX = 60


class UploadRejected(ValidationError):
    """An upload the office will not take, with a message for the person who sent it.

    It is a ``ValidationError`` so a form's ``clean_<field>()`` can let it propagate and Django
    shows the message next to the field; elsewhere, read ``.message`` and ``.code``.
    """

    def __init__(self, message: str, code: str, params: dict | None = None) -> None:
        # ``params`` only so copy and pickle, which call the class with ValidationError's
        # arguments, can rebuild it; our messages come already filled in.
        super().__init__(message, code=code, params=params)

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"UploadRejected({self.message!r}, {self.code!r})"


def shown_name(name: str) -> str:
    """``name`` made fit to quote in a message: invisible characters out, long names shortened.

    Path parts are deliberately kept, so the message about ``../../etc/passwd.pdf`` shows what
    the problem is.
    """
    visible = strip_invisible(name)
    if len(visible) <= SHOWN_NAME_MAX:
        return visible
    tail = 15
    return visible[: SHOWN_NAME_MAX - tail - 1] + "…" + visible[-tail:]


def format_size(size: int, *, round_up: bool = False) -> str:
    """Bytes as people read them in a message: ``"512 KB"``, ``"20 MB"``, ``"20.5 MB"``.

    ``round_up`` is for sizes compared with a limit, so a file a few bytes over 20 MB reads
    "20.1 MB" rather than an apparently equal "20 MB".
    """
    rounding = math.ceil if round_up else round
    if size < 1024 * 1024:
        return f"{max(1, rounding(size / 1024))} KB"
    tenths = rounding(size * 10 / (1024 * 1024))
    text = f"{tenths / 10:.1f}".removesuffix(".0")
    return f"{text} MB"


def rejection(template: str, code: str, name: str, **params: object) -> UploadRejected:
    """Build the :class:`UploadRejected` for ``template`` about the file called ``name``."""
    return UploadRejected(template.format(name=shown_name(name), **params), code)
