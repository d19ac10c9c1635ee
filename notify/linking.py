"""Linking a person's LINE to their account with a one-time code, and unlinking it."""

from __future__ import annotations

import datetime as dt
import logging
import re
import secrets
import urllib.parse
import uuid

from django.db import IntegrityError, transaction
from django.utils import timezone

from notify.models import LineAccount, LineChannel, LinkCode, code_digest

log = logging.getLogger(__name__)

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read off a screen and typed
CODE_LIFETIME = dt.timedelta(minutes=15)
CODE_PATTERN = re.compile(r"\b([A-HJ-NP-Z2-9]{4})[- ]?([A-HJ-NP-Z2-9]{4})\b")


def link_code_create(*, user) -> tuple[str, dt.datetime]:
    """A new code for ``user`` (any earlier one stops working). Only its HMAC is stored."""
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
    code = f"{code[:4]}-{code[4:]}"
    expires_at = timezone.now() + CODE_LIFETIME
    LinkCode.objects.update_or_create(
        user=user, defaults={"digest": code_digest(code), "expires_at": expires_at}
    )
    return code, expires_at


def add_friend_url(code: str) -> str | None:
    """Opens a chat with the office's account with the code already typed (LINE's URL scheme);
    None until the administrator enters the account's LINE ID."""
    basic_id = LineChannel.current().basic_id.strip()
    if not basic_id:
        return None
    return f"https://line.me/R/oaMessage/{urllib.parse.quote(basic_id)}/?{urllib.parse.quote(code)}"


def line_link(*, text: str, line_user_id: str):
    """Link ``line_user_id`` to whoever's unexpired code ``text`` holds; returns that user, or
    None when the text holds no valid code. The code is used up either way it matches."""
    match = CODE_PATTERN.search(text.upper())
    if not match:
        return None
    digest = code_digest(match.group(1) + match.group(2))
    with transaction.atomic():
        code = LinkCode.objects.select_for_update().filter(digest=digest).first()
        if code is None:
            return None
        code.delete()
        if code.expires_at < timezone.now():
            return None
        user = code.user
        # This LINE may have been linked to another account (a shared phone): it moves.
        LineAccount.objects.filter(line_user_id=line_user_id).exclude(user=user).delete()
        try:
            LineAccount.objects.update_or_create(user=user, defaults={"line_user_id": line_user_id})
        except IntegrityError:  # the same LINE linked by a concurrent message: already done
            return user
        transaction.on_commit(lambda: _confirm(user.pk))
    log.info("LINE linked to user %s", user.pk)
    return user


def _confirm(user_id: int) -> None:
    from notify.tasks import push_line

    push_line.enqueue(
        user_id,
        "เชื่อมบัญชี LINE กับระบบขออนุญาตเผยแพร่ข้อมูลเรียบร้อยแล้ว ท่านจะได้รับแจ้งเตือนทางนี้ตามที่ตั้งค่าไว้",
        str(uuid.uuid4()),
    )


def line_unlink(*, user=None, line_user_id: str | None = None) -> bool:
    """Forget a LINE link, from the app (``user``) or from LINE (unfollow: ``line_user_id``)."""
    accounts = LineAccount.objects.all()
    if user is not None:
        accounts = accounts.filter(user=user)
    elif line_user_id:
        accounts = accounts.filter(line_user_id=line_user_id)
    else:
        return False
    deleted, _ = accounts.delete()
    return bool(deleted)
