"""The only code that moves a request through the workflow: one service per action.

Each service (``request_submit``, ``request_forward``, ``request_decide``…) is a few lines over
one private core, :func:`_act`, which locks the request row, checks the state the user saw and
that they hold the step (:func:`approvals.permissions.find_action`, which reads
``approvals.steps``), runs the django-fsm transition, writes exactly one
:class:`~approvals.models.Decision` and queues the e-mails for after the commit. A second person
acting on the same request at the same moment waits for the lock, then finds the state moved on
and gets :class:`~approvals.errors.AlreadyDecided`.

Publishing belongs to the catalog, a layer above: it hooks in through
:mod:`approvals.signals` (``publishing`` before the transition, ``transitioned`` after), so this
module imports nothing from it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django_fsm import ConcurrentTransition

from approvals import errors, signals, steps
from approvals.actions import ACTIONS, REQUESTER, Action
from approvals.models import Claim, Decision, Verdict
from approvals.notifications import notify_after_commit
from approvals.permissions import find_action
from approvals.principals import Principal, principals_for
from approvals.timeframes import due_date
from esa_publish.office.models import Office
from esa_publish.thai.fiscal import BE_OFFSET
from requests.models import DocumentCounter, FirstReviewer, PublicationRequest
from requests.states import State
from requests.validation import submission_problems


@dataclass
class _Prepared:
    """What an action adds to the core, worked out on the locked row before the transition."""

    transition: str | None = None  # another transition than the action's own
    history_action: str | None = None  # another name in the history ("resubmit")
    note: str = ""
    details: dict = field(default_factory=dict)


def _act(
    *,
    request_id: int,
    user,
    action: str | Callable[[PublicationRequest], str],
    comment: str = "",
    expected_state: str | None = None,
    day: dt.date | None = None,
    prepare: Callable[[PublicationRequest, Principal], _Prepared] | None = None,
    annotate: dict | None = None,
    principals: list[Principal] | None = None,
) -> Decision:
    """The core every action service runs through; ``action`` may depend on the locked row's
    state (sending back is one service whichever step sends it)."""
    comment = (comment or "").strip()
    try:
        with transaction.atomic():
            req = (
                PublicationRequest.objects.select_for_update(of=("self",))
                .select_related("unit", "category", "requester")
                .annotate(**(annotate or {}))
                .get(pk=request_id)
            )
            if expected_state and req.state != expected_state:
                raise errors.AlreadyDecided(errors.ALREADY_DECIDED)
            name = action(req) if callable(action) else action
            if principals is None:
                principals = principals_for(user, day=day)
            allowed = find_action(user, req, name, principals=principals) if name else None
            if allowed is None:
                raise errors.NotAllowed(errors.NOT_ALLOWED)
            if allowed.action.comment_required and not comment:
                raise errors.Incomplete(errors.COMMENT_REQUIRED, field="comment")
            # The role is the step's, for this principal, before anything moves on.
            role = _role_of(allowed.action, req, allowed.principal)
            prepared = prepare(req, allowed.principal) if prepare else _Prepared()
            return _record(req, user, allowed.action, allowed.principal, comment, prepared, role)
    except ConcurrentTransition:
        raise errors.AlreadyDecided(errors.ALREADY_DECIDED) from None


def _record(
    req, user, action: Action, principal: Principal, comment: str, prepared: _Prepared, role: str
):
    from_state = req.state
    getattr(req, prepared.transition or action.transition)()
    now = timezone.now()
    req.state_changed_at = now
    req.due_on = due_date(req.state, now)
    req.save()
    person = principal.user
    decision = Decision.objects.create(
        request=req,
        action=prepared.history_action or action.name,
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
        note=prepared.note,
        details=prepared.details,
    )
    signals.transitioned.send(sender=PublicationRequest, req=req, decision=decision)
    notify_after_commit(req, decision)
    return decision


def _role_of(action: Action, req, principal: Principal) -> str:
    if action.actor == REQUESTER:
        return REQUESTER
    return steps.role_in_step(req, principal)


# --- one service per action ----------------------------------------------------------------


def request_submit(*, request_id, user, comment="", expected_state=None, day=None) -> Decision:
    """File the request (or re-file it after correction); the first time, it takes its number."""

    def prepare(req, principal):
        resubmit = req.state == State.RETURNED
        _prepare_submission(req)
        return _Prepared(history_action="resubmit" if resubmit else None)

    return _act(
        request_id=request_id,
        user=user,
        action="submit",
        comment=comment,
        expected_state=expected_state,
        day=day,
        prepare=prepare,
        annotate=steps.route_annotations(),
    )


def request_withdraw(*, request_id, user, comment="", expected_state=None, day=None) -> Decision:
    """The requester takes the request back before the director decides."""
    return _act(
        request_id=request_id,
        user=user,
        action="withdraw",
        comment=comment,
        expected_state=expected_state,
        day=day,
    )


def request_forward(*, request_id, user, comment="", expected_state=None, day=None) -> Decision:
    """The first review agrees; straight to the director when nobody would give the deputy's
    opinion (the history says so)."""

    def prepare(req, principal):
        if req.first_reviewer == FirstReviewer.BOTH:
            side = steps.BOTH.role(req, principal)
            last = steps.BOTH.last_to_agree(req, side)
            req.first_review_agreed = ",".join(sorted(steps.BOTH.agreed(req) | {side}))
            if not last:  # the other first reviewer has still to agree
                return _Prepared("agree_first_review")
        if steps.unheld(State.REVIEWED, req):
            return _Prepared("pass_first_review_to_director", note=str(errors.NO_DEPUTY_NOTE))
        return _Prepared()

    return _act(
        request_id=request_id,
        user=user,
        action="review.forward",
        comment=comment,
        expected_state=expected_state,
        day=day,
        prepare=prepare,
    )


def request_return(*, request_id, user, comment, expected_state=None, day=None) -> Decision:
    """The first review sends the request back to the requester for correction."""
    return _act(
        request_id=request_id,
        user=user,
        action="review.return",
        comment=comment,
        expected_state=expected_state,
        day=day,
    )


def request_recommend(
    *, request_id, user, verdict: str, comment="", expected_state=None, day=None
) -> Decision:
    """The deputy's opinion: ``verdict`` is ``Verdict.ALLOW`` or ``Verdict.DENY``."""
    return _act(
        request_id=request_id,
        user=user,
        action=_verdict_action("deputy", verdict),
        comment=comment,
        expected_state=expected_state,
        day=day,
    )


def request_decide(
    *, request_id, user, verdict: str, comment="", expected_state=None, day=None
) -> Decision:
    """The director's decision: ``verdict`` is ``Verdict.ALLOW`` or ``Verdict.DENY``."""
    return _act(
        request_id=request_id,
        user=user,
        action=_verdict_action("director", verdict),
        comment=comment,
        expected_state=expected_state,
        day=day,
    )


#: The steps decided in bulk from the pending page, by the state they wait in.
BULK_STEPS = {State.REVIEWED: "deputy", State.RECOMMENDED: "director"}


@dataclass
class BulkResult:
    decided: list[Decision] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(default_factory=list)  # (request id, why)


def request_decide_many(
    *, seen: dict[int, str], user, verdict: str, comment: str = "", day=None
) -> BulkResult:
    """The deputy's opinion or the director's decision on several requests at once, with one
    comment. ``seen`` maps each request id to the state the user saw it in.

    Each request goes through the same core as a single decision (its own lock, history row and
    e-mail); one that moved on meanwhile, or is no longer this user's, is skipped and reported.
    The whole batch is one transaction: anything else that goes wrong undoes all of it, so
    nothing is half done. Rows are locked in id order, so two batches never deadlock.
    """
    result = BulkResult()
    principals = principals_for(user, day=day)  # once for the batch
    with transaction.atomic():
        for request_id in sorted(seen):
            step = BULK_STEPS.get(seen[request_id])
            try:
                if step is None:
                    raise errors.NotAllowed(errors.NOT_ALLOWED)
                decision = _act(
                    request_id=request_id,
                    user=user,
                    action=_verdict_action(step, verdict),
                    comment=comment,
                    expected_state=seen[request_id],
                    day=day,
                    principals=principals,
                )
            except (errors.AlreadyDecided, errors.NotAllowed) as exc:
                result.skipped.append((request_id, str(exc.message)))
            except PublicationRequest.DoesNotExist:
                result.skipped.append((request_id, str(errors.ALREADY_DECIDED)))
            else:
                result.decided.append(decision)
    return result


#: The send-back action of each step that may send a request back.
SEND_BACK = {a.sources[0]: a.name for a in ACTIONS.values() if a.transition == "send_back"}


def request_send_back(
    *, request_id, user, comment, expected_state=None, day=None, step: str | None = None
) -> Decision:
    """Whoever holds the step (first review, deputy, director, webmaster) sends it back;
    ``step``, when given, is the only state it may be sent back from (a button's own)."""

    def action(req):
        return SEND_BACK.get(req.state, "") if step in (None, req.state) else ""

    return _act(
        request_id=request_id,
        user=user,
        action=action,
        comment=comment,
        expected_state=expected_state,
        day=day,
    )


#: ``via`` of a publication made by the ``publish_scheduled`` command at the planned time.
SCHEDULED = "publish_scheduled"


def request_publish(
    *, request_id, user, comment="", expected_state=None, day=None, via: str = "request_page"
) -> Decision:
    """The webmaster publishes, now or (``via="publish_scheduled"``) at the planned time.

    The catalog checks its publishing plan and records what was certified, by whom and whether it
    was scheduled (``signals.publishing``), so the history holds the same detail whichever page
    or command started it; the item is created on ``signals.transitioned``.
    """

    def prepare(req, principal):
        details = {"via": via, "scheduled": via == SCHEDULED}
        for _receiver, extra in signals.publishing.send(sender=PublicationRequest, req=req):
            details.update(extra or {})
        return _Prepared(details=details)

    return _act(
        request_id=request_id,
        user=user,
        action="webmaster.publish",
        comment=comment,
        expected_state=expected_state,
        day=day,
        prepare=prepare,
    )


def request_unpublish(*, request_id, user, comment, expected_state=None, day=None) -> Decision:
    """The webmaster takes a published item down; ``comment`` is the reason the public sees."""
    return _act(
        request_id=request_id,
        user=user,
        action="webmaster.unpublish",
        comment=comment,
        expected_state=expected_state,
        day=day,
    )


# --- claiming a step that several people may hold --------------------------------------------


def current_claim(req) -> Claim | None:
    """The claim on ``req`` in its current step, if anyone has one."""
    claim = Claim.objects.filter(request=req, state=req.state).select_related("holder").first()
    return claim


def _holds_step(user, req, principals=None) -> bool:
    principals = principals if principals is not None else principals_for(user)
    return any(steps.holds(p, req) for p in principals)


def _claim_change(*, request_id, user, change: Callable) -> Claim | None:
    with transaction.atomic():
        req = (
            PublicationRequest.objects.select_for_update(of=("self",))
            .select_related("unit")
            .get(pk=request_id)
        )
        step = steps.STEPS.get(req.state)
        if step is None or not step.reviewer:
            raise errors.NotAllowed(errors.NOT_ALLOWED)
        claim = Claim.objects.filter(request=req).first()
        if claim is not None and claim.state != req.state:  # left over from an earlier step
            claim.delete()
            claim = None
        return change(req, claim)


def request_claim(*, request_id, user) -> Claim:
    """``user``, who holds the step (or stands in for someone who does), takes it on."""

    def change(req, claim):
        if not _holds_step(user, req):
            raise errors.NotAllowed(errors.NOT_ALLOWED)
        if claim is not None and claim.holder_id != user.pk:
            raise errors.AlreadyDecided(errors.ALREADY_CLAIMED)
        claim = claim or Claim(request=req, state=req.state)
        claim.holder = user
        claim.save()
        return claim

    return _claim_change(request_id=request_id, user=user, change=change)


def request_release(*, request_id, user) -> None:
    """The one who claimed the step gives it back to all who hold it."""

    def change(req, claim):
        if claim is None or claim.holder_id != user.pk:
            raise errors.NotAllowed(errors.NOT_ALLOWED)
        claim.delete()

    _claim_change(request_id=request_id, user=user, change=change)


def request_hand_on(*, request_id, user, to) -> Claim:
    """The one who claimed the step hands it on to another who may hold it."""

    def change(req, claim):
        if claim is None or claim.holder_id != user.pk:
            raise errors.NotAllowed(errors.NOT_ALLOWED)
        if to.pk == user.pk or not to.is_active or not _holds_step(to, req):
            raise errors.Incomplete(errors.CANNOT_HAND_ON, field="to")
        claim.holder = to
        claim.save()
        return claim

    return _claim_change(request_id=request_id, user=user, change=change)


def _verdict_action(step: str, verdict: str) -> str:
    if verdict not in (Verdict.ALLOW, Verdict.DENY):
        raise ValueError(f"verdict must be allow or deny, not {verdict!r}")
    return f"{step}.{verdict}"


#: The posted action name → its service, with the service's own keywords filled in.
SERVICES: dict[str, Callable[..., Decision]] = {
    "submit": request_submit,
    "withdraw": request_withdraw,
    "review.forward": request_forward,
    "review.return": request_return,
    "deputy.allow": lambda **kw: request_recommend(verdict=Verdict.ALLOW, **kw),
    "deputy.deny": lambda **kw: request_recommend(verdict=Verdict.DENY, **kw),
    "deputy.return": lambda **kw: request_send_back(step=State.REVIEWED, **kw),
    "director.allow": lambda **kw: request_decide(verdict=Verdict.ALLOW, **kw),
    "director.deny": lambda **kw: request_decide(verdict=Verdict.DENY, **kw),
    "director.return": lambda **kw: request_send_back(step=State.RECOMMENDED, **kw),
    "webmaster.publish": request_publish,
    "webmaster.return": lambda **kw: request_send_back(step=State.APPROVED, **kw),
    "webmaster.unpublish": request_unpublish,
}


def request_act(*, request_id: int, user, action: str, comment: str = "", **kw) -> Decision:
    """Take the action named ``action`` (as posted by a button) through its service."""
    service = SERVICES.get(action)
    if service is None:
        raise errors.NotAllowed(errors.NOT_ALLOWED)
    return service(request_id=request_id, user=user, comment=comment, **kw)


def _prepare_submission(req) -> None:
    """Route the request, copy who asks, and give it a memo number on its first submission."""
    problems = submission_problems(req)
    if problems:
        raise errors.Incomplete(problems[0][1], field=problems[0][0])
    req.first_reviewer = steps.route_first_review(req)
    req.first_review_agreed = ""
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
