"""Who may see a request and what they may do with it now.

:func:`available_actions` is the single answer to "what may this user do with this request":
the request page draws its buttons from it and the service refuses anything it does not list.
Visibility is a queryset filter (:func:`approvals.selectors.visible_requests`) so lists and the
404 check agree.
"""

from __future__ import annotations

from dataclasses import dataclass

from approvals import steps
from approvals.actions import ACTIONS, REQUESTER, Action
from approvals.models import Claim
from approvals.principals import Principal, principals_for
from requests.services import can_edit


@dataclass(frozen=True)
class Allowed:
    """An action the user may take now, and as whom."""

    action: Action
    principal: Principal


def _holds(principal: Principal, action: Action, req) -> bool:
    """Whether ``principal`` (in their own right) is who ``action`` waits for on ``req``: the
    requester for their own actions, else the holder of the step (approvals/steps.py)."""
    if action.actor == REQUESTER:
        return steps.REQUESTER.holds(principal, req)
    return steps.holds(principal, req)


def available_actions(user, req, *, principals: list[Principal] | None = None) -> list[Allowed]:
    """Every action ``user`` may take on ``req`` in its current state, each with the principal it
    would be taken for (the user themselves first, when they hold the step in their own right)."""
    if principals is None:
        principals = principals_for(user)
    allowed = []
    state = req.state  # read once: django-fsm's descriptor is slow enough to show on long lists
    for action in ACTIONS.values():
        if state not in action.sources:
            continue
        for principal in principals:
            if not principal.is_self and not action.delegable:
                continue
            if _holds(principal, action, req):
                allowed.append(Allowed(action, principal))
                break
    return allowed


def find_action(user, req, name: str, *, principals=None) -> Allowed | None:
    for allowed in available_actions(user, req, principals=principals):
        if allowed.action.name == name:
            return allowed
    return None


def held_roles(principals: list[Principal]) -> frozenset[str]:
    """The roles a user may work in today: their own and those of everyone who delegated work to
    them (a delegate webmaster uses the webmaster's pages, so the menu offers them)."""
    return frozenset().union(*(p.roles for p in principals)) if principals else frozenset()


@dataclass(frozen=True)
class RequestPermissions:
    """Everything the request page offers ``user``, from one answer: the action buttons, and the
    links to edit, copy, correct, the publishing plan and the memo. The views behind the links
    refuse what this does not offer (outsiders 404, insiders with the wrong role 403)."""

    actions: list[Allowed]
    edit: bool
    copy: bool
    correct: bool
    publish_plan: bool
    memo: bool
    claim: object = None  # who said they are on the current step ("กำลังพิจารณาโดย …")
    can_claim: bool = False
    can_pass_on: bool = False  # release or hand on: the claimant's
    hand_on_to: tuple = ()  # the others who may hold the step


def request_permissions(
    user, req, *, principals: list[Principal] | None = None, item=None
) -> RequestPermissions:
    """What ``user`` (who may see ``req``) may do with it; ``item`` is its live public item."""
    if principals is None:
        principals = principals_for(user)
    actions = available_actions(user, req, principals=principals)
    own = any(p.is_self and steps.REQUESTER.holds(p, req) for p in principals)
    step = steps.STEPS.get(req.state)
    claim, can_claim, can_pass_on, others = None, False, False, ()
    if step is not None and step.reviewer:
        claim = Claim.objects.filter(request=req, state=req.state).select_related("holder").first()
        holding = any(steps.holds(p, req) for p in principals)
        can_claim = holding and claim is None
        can_pass_on = claim is not None and claim.holder_id == user.pk
        if can_pass_on:
            others = tuple(u for u in steps.holders(req) if u.pk != user.pk)
    return RequestPermissions(
        actions=actions,
        edit=can_edit(user, req),
        copy=own,
        correct=own and item is not None and not item.replaced_by_id,
        publish_plan=any(a.action.name == "webmaster.publish" for a in actions),
        memo=True,  # anyone who may see the request may read its memo
        claim=claim,
        can_claim=can_claim,
        can_pass_on=can_pass_on,
        hand_on_to=others,
    )
