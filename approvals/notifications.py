"""E-mail and LINE in Thai to whoever must act next, and to the requester when it concerns them.

Queued only after the transaction commits, so nobody is told about a decision that was rolled
back; the queue's worker sends them (notify.tasks), so no page waits on a mail server or LINE.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from approvals.actions import FIRST_REVIEWER, HOLDER_OF_STATE
from approvals.models import Delegation
from esa_publish.office import roles
from esa_publish.office.models import Office, User
from notify.delivery import Notice, deliver
from requests.models import FirstReviewer
from requests.states import State

log = logging.getLogger(__name__)

TELL_REQUESTER = {State.RETURNED, State.REJECTED, State.PUBLISHED, State.UNPUBLISHED}


def holders(req) -> list[User]:
    """The people who must act on ``req`` now, plus anyone standing in for them today."""
    actor = HOLDER_OF_STATE.get(req.state)
    if actor is None:
        return []
    if actor == FIRST_REVIEWER and req.first_reviewer == FirstReviewer.GROUP_DIRECTOR:
        base = Q(pk=req.unit.director_id)
    elif actor == FIRST_REVIEWER:
        base = Q(groups__name=roles.LEGAL_OFFICER)
    elif actor == roles.DEPUTY:
        base = Q(pk=req.unit.deputy_id)
    else:
        base = Q(groups__name=actor)
    principals = list(User.objects.filter(base, is_active=True).distinct())
    delegates = User.objects.filter(
        is_active=True,
        delegations_received__in=Delegation.objects.in_force(timezone.localdate()).filter(
            principal__in=principals
        ),
    )
    return list({u.pk: u for u in [*principals, *delegates]}.values())


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
    for person in holders(req):
        if person.email and person.pk != decision.actor_id:
            out.append(_message("action_needed", context, person))
    if req.state in TELL_REQUESTER and req.requester.email:
        out.append(_message("requester_update", context, req.requester))
    return out


def notify_after_commit(req, decision) -> None:
    """Queue the messages for ``decision`` once the surrounding transaction commits."""

    def send():
        try:
            deliver(messages_for(req, decision))
        except Exception:  # a queue outage must not undo or hide the decision
            log.exception("could not send notifications for request %s", req.pk)

    transaction.on_commit(send)
