"""E-mail and LINE in Thai to whoever must act next, and to the requester when it concerns them.

Queued only after the transaction commits, so nobody is told about a decision that was rolled
back; the queue's worker sends them (notify.tasks), so no page waits on a mail server or LINE.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from approvals.steps import holders
from esa_publish.office.models import Office, User
from notify.delivery import Notice, deliver
from requests.states import State

log = logging.getLogger(__name__)

TELL_REQUESTER = {State.RETURNED, State.REJECTED, State.PUBLISHED, State.UNPUBLISHED}

__all__ = ["holders", "messages_for", "notify_after_commit"]  # holders: see approvals.steps


def _message(template: str, context: dict, recipient: User) -> Notice:
    with translation.override("th"):
        subject = render_to_string(f"approvals/email/{template}_subject.txt", context).strip()
        body = render_to_string(
            f"approvals/email/{template}.txt", {**context, "recipient": recipient}
        )
        line_text = render_to_string(f"approvals/line/{template}.txt", context).strip()
    return Notice(recipient=recipient, subject=subject, body=body, line_text=line_text)


def messages_for(req, decision) -> list[Notice]:
    context = {
        "req": req,
        "decision": decision,
        "office": Office.current(),
        "url": settings.SITE_URL + reverse("requests:detail", args=[req.pk]),
    }
    out = []
    # A step that stays where it was (the first of two first reviewers agreeing) has no new
    # holder: the other was told when it arrived.
    # Everyone concerned gets a notice; notify.delivery decides which of their channels (e-mail,
    # LINE) can carry it, so a person with LINE and no e-mail address is told too.
    moved = decision.from_state != decision.to_state
    for person in holders(req) if moved else ():
        if person.pk != decision.actor_id:
            out.append(_message("action_needed", context, person))
    if req.state in TELL_REQUESTER:
        out.append(_message("requester_update", context, req.requester))
    if decision.to_state == State.RETURNED:
        for person in already_acted(req, decision):
            out.append(_message("sent_back", context, person))
    return out


def already_acted(req, decision) -> list[User]:
    """Everyone who acted on ``req`` before ``decision`` sent it back (and those they acted for),
    but the requester, who is told anyway, and whoever sent it back."""
    rows = req.decisions.exclude(pk=decision.pk).values_list("actor_id", "on_behalf_of_id")
    ids = {pk for row in rows for pk in row if pk}
    ids -= {req.requester_id, decision.actor_id, decision.on_behalf_of_id}
    return list(User.objects.filter(pk__in=ids, is_active=True).order_by("pk"))


def notify_after_commit(req, decision) -> None:
    """Queue the messages for ``decision`` once the surrounding transaction commits."""

    def send():
        try:
            deliver(messages_for(req, decision))
        except Exception:  # a queue outage must not undo or hide the decision
            log.exception("could not send notifications for request %s", req.pk)

    transaction.on_commit(send)
