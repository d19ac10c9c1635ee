"""Keeping what staff typed when a post does not go through.

A form can fail to arrive for reasons the person cannot see coming: the session ended after
30 minutes idle (the post is sent to the login page), the CSRF token changed because they signed
in again in another tab, or Django's parser refused the post (too many files, fields or bytes).
Before, each of these lost everything typed.

The browser keeps the work (``static/js/keep-drafts.js``, on signed-in pages only): the text of
every post form is copied to the tab's ``sessionStorage`` as it is typed, under the user's id, and
put back with a notice when the same form is shown again with something else in it. Files cannot
be kept: browsers never let a page fill a file input. ``sessionStorage`` belongs to one tab and
is gone when it closes; signing out clears it, and another user signing in on the tab never sees
it (the key carries the user id).

The server says when a draft has arrived, so it is dropped only then: the script adds a hidden
``_draft`` field with the draft's random id, and :class:`DraftsMiddleware` notes the id in the
session when a signed-in user's post is answered below 400; the next page hands the ids to the
script (:func:`drafts_done`), which forgets those drafts. A post that ends on the login page, a
403 or a 400 leaves its draft in place.

The middleware also sends a post refused for an ended session back to the page the form was on
after signing in (``next`` is the ``Referer``: a post-only address such as ``/work/5/act/``
would answer a GET with 405), and says on the login page what happened.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

DRAFT_FIELD = "_draft"
SESSION_KEY = "drafts_done"
_DRAFT_ID = re.compile(r"[A-Za-z0-9_-]{8,64}")
_KEPT_IDS = 20  # a person has a handful of tabs, not twenty posts between two pages

SIGNED_OUT_WHILE_TYPING = _(
    "ระบบออกจากระบบให้อัตโนมัติเพราะไม่ได้ใช้งานเกิน %(minutes)s นาที จึงยังไม่ได้บันทึกสิ่งที่ส่งมา "
    "ข้อความที่พิมพ์ไว้ยังเก็บอยู่ในเบราว์เซอร์นี้ เมื่อเข้าสู่ระบบอีกครั้งจะกลับไปที่แบบฟอร์มพร้อมข้อความเดิม "
    "(ไฟล์ที่เลือกไว้ต้องเลือกใหม่)"
)


class DraftsMiddleware:
    """Notes drafts that arrived; turns a post refused for an ended session into a way back."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method != "POST":
            return response
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            if response.status_code < 400:
                self._note_arrived(request)
        elif response.status_code == 302 and self._is_login_redirect(response):
            self._back_to_the_form(request, response)
        return response

    @staticmethod
    def _note_arrived(request) -> None:
        # Only read a body the view has parsed: a refused upload must not be parsed here again.
        if not hasattr(request, "_post"):
            return
        draft = request.POST.get(DRAFT_FIELD, "")
        if not _DRAFT_ID.fullmatch(draft):
            return
        done = [d for d in request.session.get(SESSION_KEY, []) if d != draft]
        request.session[SESSION_KEY] = [*done, draft][-_KEPT_IDS:]

    @staticmethod
    def _is_login_redirect(response) -> bool:
        location = urlsplit(response.get("Location", ""))
        return location.path == resolve_url(settings.LOGIN_URL)

    @staticmethod
    def _back_to_the_form(request, response) -> None:
        referer = request.headers.get("Referer", "")
        if referer and url_has_allowed_host_and_scheme(
            referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            parts = urlsplit(referer)
            back = urlunsplit(("", "", parts.path, parts.query, ""))
            location = urlsplit(response["Location"])
            query = parse_qs(location.query)
            query[REDIRECT_FIELD_NAME] = [back]
            response["Location"] = urlunsplit(
                (location.scheme, location.netloc, location.path, urlencode(query, doseq=True), "")
            )
        minutes = max(1, settings.SESSION_COOKIE_AGE // 60)
        messages.warning(request, SIGNED_OUT_WHILE_TYPING % {"minutes": minutes})


def drafts_done(request) -> dict:
    """Context processor: the ids of drafts that arrived since the last page, handed over once."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or SESSION_KEY not in request.session:
        return {"drafts_done": ""}
    return {"drafts_done": " ".join(request.session.pop(SESSION_KEY, []))}
