"""The only code that moves a request through the workflow.

Every action follows the same path: lock the request row, ask
:func:`approvals.permissions.available_actions` whether this user may take the action now, run the
django-fsm transition, record one :class:`~approvals.models.Decision`, and queue the e-mails for
after the commit. A second person acting on the same request at the same moment waits for the
lock, then finds the state moved on and gets :class:`~approvals.errors.AlreadyDecided`.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django_fsm import ConcurrentTransition

from approvals import errors, steps
from approvals.actions import ACTIONS, REQUESTER, Action
from approvals.models import Decision
from approvals.notifications import notify_after_commit
from approvals.permissions import find_action
from approvals.principals import Principal, principals_for
from approvals.timeframes import due_date
from esa_publish.office.models import Office
from esa_publish.thai.fiscal import BE_OFFSET
from requests.models import DocumentCounter, PublicationRequest
from requests.states import State


def request_act(
    *,
    request_id: int,
    user,
    action: str,
    comment: str = "",
    expected_state: str | None = None,
    details: dict | None = None,
    day: dt.date | None = None,
) -> Decision:
    """Take ``action`` on the request as ``user``; returns the recorded decision.

    ``expected_state`` is the state the user saw when they clicked: if the request has moved on
    since, the action is refused as already decided instead of applying to a state they never saw.
    """
    comment = (comment or "").strip()
    try:
        with transaction.atomic():
            req = (
                PublicationRequest.objects.select_for_update(of=("self",))
                .select_related("unit", "category", "requester")
                .get(pk=request_id)
            )
            principals = principals_for(user, day=day)
            if expected_state and req.state != expected_state:
                raise errors.AlreadyDecided(errors.ALREADY_DECIDED)
            allowed = find_action(user, req, action, principals=principals)
            if allowed is None:
                raise errors.NotAllowed(errors.NOT_ALLOWED)
            if allowed.action.comment_required and not comment:
                raise errors.Incomplete(errors.COMMENT_REQUIRED, field="comment")
            return _apply(req, user, allowed.action, allowed.principal, comment, details or {})
    except ConcurrentTransition:
        raise errors.AlreadyDecided(errors.ALREADY_DECIDED) from None


def _apply(req, user, action: Action, principal: Principal, comment: str, details: dict):
    from_state = req.state
    note = ""
    transition = action.transition
    if action.name == "submit":
        _prepare_submission(req)
    elif action.name == "webmaster.publish":
        from catalog.publishing import check_ready

        plan = check_ready(req)
        details = {
            **details,
            "pdpa_findings": plan.pdpa_findings,
            "pdpa_confirmed": plan.pdpa_confirmed,
        }
    elif action.name == "review.forward" and steps.unheld(State.REVIEWED, req):
        transition = "pass_first_review_to_director"
        note = str(errors.NO_DEPUTY_NOTE)
    role = _role_of(action, req)  # the step's holder, before the transition moves on
    getattr(req, transition)()
    now = timezone.now()
    req.state_changed_at = now
    req.due_on = due_date(req.state, now)
    req.save()

    name = action.name
    if name == "submit" and from_state == State.RETURNED:
        name = "resubmit"
    person = principal.user
    decision = Decision.objects.create(
        request=req,
        action=name,
        role=role,
        from_state=from_state,
        to_state=req.state,
        verdict=action.verdict,
        comment=comment,
        actor=user,
        actor_name=user.full_name or user.get_username(),
        actor_position=user.position_title,
        on_behalf_of=None if principal.is_self else person,
        principal_name="" if principal.is_self else (person.full_name or person.get_username()),
        principal_position="" if principal.is_self else person.position_title,
        capacity=principal.capacity,
        note=note,
        details=details,
    )
    if action.name == "webmaster.publish":
        from catalog.publishing import create_item

        create_item(req, decision)
    elif action.name == "webmaster.unpublish":
        from catalog.publishing import withdraw_item

        withdraw_item(req, decision)
    notify_after_commit(req, decision)
    return decision


def _role_of(action: Action, req) -> str:
    if action.actor == REQUESTER:
        return REQUESTER
    return steps.role_in_step(req)


def _prepare_submission(req) -> None:
    """Route the request, copy who asks, and give it a memo number on its first submission."""
    from requests.validation import submission_problems

    problems = submission_problems(req)
    if problems:
        raise errors.Incomplete(problems[0][1], field=problems[0][0])
    req.first_reviewer = steps.route_first_review(req)
    requester = req.requester
    req.requester_name = requester.full_name or requester.get_username()
    req.requester_position = requester.position_title
    req.unit_name = req.unit.name
    today = timezone.localdate()
    req.memo_date = today
    if req.doc_seq is None:
        office = Office.current()
        req.doc_prefix = office.doc_prefix
        req.doc_year = today.year + BE_OFFSET
        req.doc_seq = _next_number(req.doc_year)
        if not req.addressee:
            req.addressee = office.addressee
    if req.submitted_at is None:
        req.submitted_at = timezone.now()


def _next_number(year: int) -> int:
    """Take the next running number of ``year``. The UPDATE locks the counter row until the
    submission commits, so two submissions never get the same number."""
    counters = DocumentCounter.objects.filter(year=year)
    if not counters.update(last=F("last") + 1):
        try:
            with transaction.atomic():
                DocumentCounter.objects.create(year=year, last=1)
                return 1
        except IntegrityError:  # another submission created the year's counter first
            counters.update(last=F("last") + 1)
    return counters.values_list("last", flat=True).get()


# One named function per action, for callers that know what they are doing.


def request_submit(*, request_id, user, **kw):
    return request_act(request_id=request_id, user=user, action="submit", **kw)


def request_withdraw(*, request_id, user, **kw):
    return request_act(request_id=request_id, user=user, action="withdraw", **kw)


def request_review(*, request_id, user, forward: bool, **kw):
    name = "review.forward" if forward else "review.return"
    return request_act(request_id=request_id, user=user, action=name, **kw)


def request_recommend(*, request_id, user, verdict: str, **kw):
    assert verdict in {"allow", "deny", "return"}
    return request_act(request_id=request_id, user=user, action=f"deputy.{verdict}", **kw)


def request_decide(*, request_id, user, verdict: str, **kw):
    assert verdict in {"allow", "deny", "return"}
    return request_act(request_id=request_id, user=user, action=f"director.{verdict}", **kw)


__all__ = [
    "ACTIONS",
    "request_act",
    "request_submit",
    "request_withdraw",
    "request_review",
    "request_recommend",
    "request_decide",
]
