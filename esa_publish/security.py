"""A security log of refusals: failed logins, lockouts and pages a signed-in user was refused.

Everything goes to the logger ``esa_publish.security`` at WARNING, so it survives
``LOG_LEVEL=WARNING`` and an office can route it to a file or a collector on its own. Each record
says who (the user name typed, or the signed-in user), from which address and when, in the message
for people reading the journal and as ``extra`` fields for the JSON formatter.

PDPA: the addresses logged here belong to staff signing in or to someone trying staff accounts;
keeping them to investigate attacks is a legitimate security purpose. Citizens browsing the public
catalog are never logged here: only refusals on staff pages for signed-in users, and failed logins.

The receivers are connected when this module is imported, which happens when Django builds its
request handler and loads :class:`RefusalLogMiddleware` from ``MIDDLEWARE``; every login goes
through a request, so no login is missed. ``dispatch_uid`` keeps them connected once.

Why a middleware for refusals rather than ``got_request_exception``: that signal only fires for
exceptions Django turns into a 500. ``PermissionDenied`` and ``Http404`` become 403/404 responses
before any signal, and some refusals are plain responses (django-guardian's 404/403, the
admin's redirect to its own login page). Looking at the finished response catches all of them.
"""

from __future__ import annotations

import logging

from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import BadRequest, PermissionDenied
from django.dispatch import receiver
from django.http import Http404, JsonResponse
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _

from esa_publish.client_address import client_ip

logger = logging.getLogger("esa_publish.security")

#: Address prefixes of the pages only staff use. A 404 here for a signed-in user usually means a
#: request they may not see (the views answer 404 rather than admit it exists).
STAFF_PREFIXES = ("/requests/", "/work/", "/publishing/", "/reports/", "/admin/")
# Login form fields whose value names the account (Django's form and the admin's use "username").
_USERNAME_KEYS = ("username", "email")
_MAX_USERNAME = 150  # the longest real user name; anything typed beyond it is noise


def client_address(request) -> str:
    """The address lockouts count (:func:`~esa_publish.client_address.client_ip`, which axes
    uses too), so the log and the lockout agree on who was trying."""
    if request is None:
        return "-"
    return client_ip(request) or "-"


def _now() -> str:
    return timezone.now().isoformat(timespec="seconds")


def _printable(value: str) -> str:
    """A typed user name made safe for a one-line log: no control characters, bounded length."""
    value = "".join(ch if ch.isprintable() else "?" for ch in str(value))
    return value[:_MAX_USERNAME] + ("…" if len(value) > _MAX_USERNAME else "")


@receiver(user_login_failed, dispatch_uid="esa_publish.security.login_failed")
def log_login_failed(sender, credentials, request=None, **kwargs):
    """One record per failed login. Django has already masked the password in ``credentials``;
    only the user name is read from it."""
    username = next((credentials[k] for k in _USERNAME_KEYS if credentials.get(k)), "")
    username = _printable(username) or "-"
    address = client_address(request)
    at = _now()
    logger.warning(
        "login failed: username=%r address=%s at=%s",
        username,
        address,
        at,
        extra={"event": "login_failed", "username": username, "address": address, "at": at},
    )


@receiver(user_locked_out, dispatch_uid="esa_publish.security.locked_out")
def log_locked_out(sender, request=None, username=None, ip_address=None, **kwargs):
    """django-axes locked an account and address out after repeated failures."""
    username = _printable(username or "") or "-"
    address = ip_address or client_address(request)
    at = _now()
    logger.warning(
        "login locked out: username=%r address=%s at=%s",
        username,
        address,
        at,
        extra={"event": "locked_out", "username": username, "address": address, "at": at},
    )


def _admin_login_path() -> str | None:
    try:
        return reverse("admin:login")
    except NoReverseMatch:
        return None


class RefusalLogMiddleware:
    """Log a 403 for any signed-in user, and a 404 for one on a staff page.

    Also logs the admin sending a signed-in user who is not staff back to its login page, which
    is how Django's admin refuses. Only the path is logged, never the query string (it may carry
    what someone typed into a search box).
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_login = _admin_login_path()

    def __call__(self, request):
        response = self.get_response(request)
        if self._is_refusal(request, response):
            # Only now is the user looked at: ordinary pages cost nothing extra.
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                self._log(request, user, response.status_code)
        return response

    def process_exception(self, request, exception):
        """Keep the reason a view gave, for the log line; Django still makes the response."""
        if isinstance(exception, PermissionDenied | Http404):
            request._security_refusal_reason = str(exception)[:200]
        return None

    def _is_refusal(self, request, response) -> bool:
        status = response.status_code
        if status == 403:
            return True
        if status == 404:
            return request.path.startswith(STAFF_PREFIXES)
        if status == 302 and self.admin_login and request.path.startswith("/admin/"):
            # The admin refusing a signed-in user who is not staff: back to its login page.
            location = response.get("Location", "")
            return location.startswith(self.admin_login) and f"{REDIRECT_FIELD_NAME}=" in location
        return False

    def _log(self, request, user, status: int) -> None:
        username = user.get_username()
        address = client_address(request)
        at = _now()
        reason = getattr(request, "_security_refusal_reason", "")
        logger.warning(
            "refused: user=%s (id %s) %s %s status=%s address=%s at=%s%s",
            username,
            user.pk,
            request.method,
            request.path,
            status,
            address,
            at,
            f" reason={reason!r}" if reason else "",
            extra={
                "event": "refused",
                "username": username,
                "user_id": user.pk,
                "method": request.method,
                "path": request.path,
                "status": status,
                "address": address,
                "at": at,
                "reason": reason,
            },
        )


class NoStoreWhenSignedInMiddleware:
    """``Cache-Control: no-store`` (and ``private``) on every answer to a signed-in user.

    On a computer shared in an office, what a member of staff saw (requests, memos, private
    files, reports) must not stay in the browser's cache after they sign out, where the back
    button or the next person could bring it up. One rule here rather than a header per view,
    so no new page or file view can forget it. Anonymous answers are left alone: the public
    catalog keeps the caching its views give it.

    Only requests carrying a session cookie are looked at, so a visitor without one never has
    their session touched (touching it would add ``Vary: Cookie`` to public pages).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            user = getattr(request, "user", None)
            stored = "no-store" not in response.get("Cache-Control", "")
            if stored and user is not None and user.is_authenticated:
                add_never_cache_headers(response)
        return response


#: What a query value with a NUL character is answered with (the JSON API gets it as JSON).
NUL_IN_QUERY = _("ที่อยู่หน้าเว็บมีอักขระที่ใช้ไม่ได้ (อักขระว่าง NUL) กรุณาตรวจสอบลิงก์แล้วลองใหม่")


class RefuseNulMiddleware:
    """A NUL character in the path answers 404, in a query name or value 400, before any view.

    PostgreSQL cannot store or compare text containing NUL, and psycopg raises ``ValueError``
    for such a parameter: ``/catalog/category/abc%00def/`` or ``?category=%00`` reaching a query
    used to give anonymous visitors a 500. No real link contains one, so rather than guard each
    converter, form and ``request.GET.get`` that reaches the database, this refuses them all in
    one place. Form fields are already safe: Django's ``CharField`` refuses NUL itself.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path:
            raise Http404("NUL in path")
        if any("\x00" in key or "\x00" in "".join(values) for key, values in request.GET.lists()):
            if request.path.startswith(_api_prefix()):
                return JsonResponse(
                    {"detail": str(NUL_IN_QUERY)},
                    status=400,
                    json_dumps_params={"ensure_ascii": False},
                )
            raise BadRequest("NUL in query")
        return self.get_response(request)


def _api_prefix() -> str:
    try:
        return reverse("catalog:api_categories").removesuffix("categories/")
    except NoReverseMatch:
        return "\x00"  # no API: nothing starts with this
