"""The daily digest: one message per person and channel listing everything waiting for them,
with how long each has waited, for those who chose it (directors by default)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from approvals.selectors import pending_requests
from esa_publish.office import roles
from esa_publish.office.models import Office, User
from notify.delivery import deliver_digest
from notify.models import Channel, DigestSent, Frequency, Preference


def digest_readers():
    """People who may want a digest: a digest preference on any channel, or directors (whose
    default it is). Each one's real choice is checked per channel afterwards."""
    return (
        User.objects.filter(is_active=True)
        .filter(Q(notify_preferences__frequency=Frequency.DIGEST) | Q(groups__name=roles.DIRECTOR))
        .distinct()
        .order_by("pk")
    )


def waiting_for(user, day: dt.date) -> list[dict]:
    rows = []
    for req in pending_requests(user).order_by("state_changed_at", "pk"):
        since = req.state_changed_at or req.updated_at
        rows.append(
            {
                "req": req,
                "days": (day - timezone.localtime(since).date()).days,
                "url": settings.SITE_URL + reverse("requests:detail", args=[req.pk]),
            }
        )
    return rows


def send_digests(*, day: dt.date | None = None) -> int:
    """Queue today's digests; returns how many. Safe to run twice: a :class:`DigestSent` row is
    inserted first and only the run that inserted it sends."""
    day = day or timezone.localdate()
    office = Office.current()
    sent = 0
    for user in digest_readers():
        frequency = Preference.frequencies([user])
        channels = [ch for ch in Channel.values if frequency[(user.pk, ch)] == Frequency.DIGEST]
        if not channels:
            continue
        rows = waiting_for(user, day)
        if not rows:
            continue
        context = {
            "office": office,
            "recipient": user,
            "rows": rows,
            "day": day,
            "url": settings.SITE_URL + reverse("approvals:pending"),
        }
        with translation.override("th"):
            subject = render_to_string("approvals/email/digest_subject.txt", context).strip()
            body = render_to_string("approvals/email/digest.txt", context)
            line_text = render_to_string("approvals/line/digest.txt", context).strip()
        for channel in channels:
            try:
                with transaction.atomic():
                    DigestSent.objects.create(user=user, channel=channel, day=day)
            except IntegrityError:
                continue  # sent today already
            sent += deliver_digest(
                user=user, channel=channel, subject=subject, body=body, line_text=line_text
            )
    return sent
