"""Hand notices to the queue, on each channel the recipient wants them now.

Callers decide who is told and what it says (a :class:`Notice` per person); this module only
decides how: e-mail and/or LINE, now or in the daily digest, or not at all.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass

from notify.models import Channel, Frequency, LineAccount, Preference
from notify.tasks import push_line, send_email

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Notice:
    """One event told to one person: the e-mail's subject and body, and LINE's short text."""

    recipient: object  # office.User
    subject: str
    body: str
    line_text: str


def deliver(notices: list[Notice]) -> int:
    """Enqueue an e-mail and/or a LINE push per notice, as each recipient chose for events;
    returns how many tasks were queued. Queuing one never stops the others."""
    if not notices:
        return 0
    people = {n.recipient.pk: n.recipient for n in notices}
    frequency = Preference.frequencies(people.values())
    linked = set(
        LineAccount.objects.filter(user__in=list(people)).values_list("user_id", flat=True)
    )
    queued = 0
    for notice in notices:
        person = notice.recipient
        if person.email and frequency[(person.pk, Channel.EMAIL)] == Frequency.EACH:
            queued += _enqueue(send_email, notice.subject, notice.body, person.email)
        if person.pk in linked and frequency[(person.pk, Channel.LINE)] == Frequency.EACH:
            queued += _enqueue(push_line, person.pk, notice.line_text, str(uuid.uuid4()))
    return queued


def _enqueue(queued_task, *args) -> int:
    try:
        queued_task.enqueue(*args)
    except Exception:  # one channel failing must not stop the other
        log.exception("could not queue %s", queued_task.name)
        return 0
    return 1


def deliver_digest(*, user, channel: str, subject: str, body: str, line_text: str) -> int:
    """Queue one person's daily digest on one channel (the caller recorded it as sent)."""
    if channel == Channel.EMAIL and user.email:
        return _enqueue(send_email, subject, body, user.email)
    if channel == Channel.LINE and LineAccount.objects.filter(user=user).exists():
        return _enqueue(push_line, user.pk, line_text, str(uuid.uuid4()))
    return 0
