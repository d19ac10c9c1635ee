"""Error pages that explain, in the page's language, and point back to the form.

Django's own answers to a post its parser refuses (more files than
``DATA_UPLOAD_MAX_NUMBER_FILES``, fields over ``DATA_UPLOAD_MAX_MEMORY_SIZE``, more than
``DATA_UPLOAD_MAX_NUMBER_FIELDS`` fields) and to a failed CSRF check are bare English pages
rendered without the request, so they can be neither Thai nor styled. These views render with
the request: the shell, the language chosen, and a link back to the page the form was on, where
``keep-drafts.js`` puts back what was typed (esa_publish/drafts.py).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.middleware.csrf import REASON_NO_CSRF_COOKIE
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import requires_csrf_token

TOO_MANY_FILES = _(
    "แบบฟอร์มที่ส่งมามีไฟล์เกิน %(sent)s ไฟล์ในครั้งเดียว ระบบจึงยังไม่ได้รับข้อมูลใด ๆ ไว้ "
    "คำขอหนึ่งแนบไฟล์ได้ไม่เกิน %(limit)s ไฟล์ กรุณากลับไปที่แบบฟอร์มแล้วเลือกไฟล์ให้น้อยลง"
)
TOO_MUCH_TEXT = _(
    "ข้อความในแบบฟอร์มที่ส่งมารวมกันเกิน %(size)s ระบบจึงยังไม่ได้รับข้อมูลใด ๆ ไว้ "
    "กรุณากลับไปที่แบบฟอร์มแล้วย่อข้อความให้สั้นลง หรือแนบรายละเอียดเป็นไฟล์แทน"
)
TOO_MANY_FIELDS = _(
    "แบบฟอร์มที่ส่งมามีช่องข้อมูลเกิน %(limit)s ช่อง ระบบจึงยังไม่ได้รับข้อมูลใด ๆ ไว้ "
    "กรุณากลับไปที่แบบฟอร์มแล้วส่งอีกครั้ง หากยังเป็นเช่นเดิมให้แจ้งผู้ดูแลระบบ"
)
BAD_REQUEST = _("ระบบอ่านข้อมูลที่ส่งมาไม่ได้ ระบบจึงยังไม่ได้รับข้อมูลใด ๆ ไว้ กรุณากลับไปที่หน้าเดิมแล้วลองอีกครั้ง")
CSRF_STALE = _(
    "ระบบยังไม่ได้บันทึกสิ่งที่ส่งมา เพราะแบบฟอร์มนี้เปิดไว้ก่อนการเข้าสู่ระบบครั้งล่าสุด "
    "(เช่น ออกจากระบบแล้วเข้าสู่ระบบใหม่ในอีกแท็บหนึ่ง) เพื่อความปลอดภัยจึงต้องส่งจากหน้าที่เปิดใหม่ "
    "กรุณากลับไปที่แบบฟอร์มแล้วกดส่งอีกครั้ง"
)
CSRF_NO_COOKIE = _(
    "ระบบยังไม่ได้บันทึกสิ่งที่ส่งมา เพราะเบราว์เซอร์ไม่ได้ส่งคุกกี้ที่ใช้ยืนยันแบบฟอร์ม "
    "กรุณาเปิดใช้คุกกี้สำหรับเว็บไซต์นี้ แล้วกลับไปที่แบบฟอร์มเพื่อส่งอีกครั้ง"
)


def back_link(request) -> str:
    """The page the visitor came from when it is on this site, else the home page."""
    referer = request.headers.get("Referer", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return referer
    return ""


def _explanation(exception) -> tuple[str, str]:
    if isinstance(exception, TooManyFilesSent):
        limits = {
            "sent": settings.DATA_UPLOAD_MAX_NUMBER_FILES,
            "limit": getattr(settings, "UPLOAD_MAX_FILES", settings.DATA_UPLOAD_MAX_NUMBER_FILES),
        }
        return str(_("เลือกไฟล์มากเกินไปในครั้งเดียว")), str(TOO_MANY_FILES) % limits
    if isinstance(exception, RequestDataTooBig):
        size = filesizeformat(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
        return str(_("ข้อความที่ส่งมายาวเกินไป")), str(TOO_MUCH_TEXT) % {"size": size}
    if isinstance(exception, TooManyFieldsSent):
        limit = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
        return str(_("แบบฟอร์มมีช่องข้อมูลมากเกินไป")), str(TOO_MANY_FIELDS) % {"limit": limit}
    return str(_("คำขอไม่ถูกต้อง")), str(BAD_REQUEST)


@requires_csrf_token
def bad_request(request, exception=None):
    """handler400: why the post was refused, and the way back to the form."""
    title, explanation = _explanation(exception)
    context = {"title": title, "explanation": explanation, "back": back_link(request)}
    return render(request, "400.html", context, status=400)


@requires_csrf_token
def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: most often a form opened before signing in again in another tab."""
    explanation = CSRF_NO_COOKIE if reason == REASON_NO_CSRF_COOKIE else CSRF_STALE
    context = {
        "title": _("แบบฟอร์มนี้หมดอายุแล้ว"),
        "explanation": explanation,
        "back": back_link(request),
    }
    return render(request, "400.html", context, status=403)
