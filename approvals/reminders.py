"""Reminders about overdue work, safe to run from cron as often as you like.

Each person gets at most one reminder per request per day: the :class:`Reminder` row is inserted
first (its unique constraint decides), and only the process that inserted it sends the mail, so
two machines running the command at once send nothing twice.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from approvals.models import Reminder
from approvals.steps import REVIEW_STEPS, holders
from esa_publish.office.models import Office
from notify.delivery import Notice, deliver
from requests.models import PublicationRequest


def overdue_requests(day: dt.date):
    return (
        PublicationRequest.objects.filter(state__in=REVIEW_STEPS, due_on__lt=day)
        .select_related("unit", "requester")
        .order_by("due_on", "pk")
    )


def send_reminders(*, day: dt.date | None = None) -> int:
    """Queue today's reminders; returns how many people-and-requests were reminded."""
    day = day or timezone.localdate()
    office = Office.current()
    sent = 0
    for req in overdue_requests(day):
        for person in holders(req):
            try:
                with transaction.atomic():
                    Reminder.objects.create(request=req, recipient=person, sent_on=day)
            except IntegrityError:
                continue  # already reminded today (by this or another machine)
            context = {
                "req": req,
                "office": office,
                "recipient": person,
                "days_late": (day - req.due_on).days,
                "url": settings.SITE_URL + reverse("requests:detail", args=[req.pk]),
            }
            with translation.override("th"):
                subject = render_to_string("approvals/email/reminder_subject.txt", context).strip()
                body = render_to_string("approvals/email/reminder.txt", context)
                line_text = render_to_string("approvals/line/reminder.txt", context).strip()
            # Through the queue, on the channels the person chose and has (notify.delivery).
            notice = Notice(recipient=person, subject=subject, body=body, line_text=line_text)
            sent += bool(deliver([notice]))
    return sent
