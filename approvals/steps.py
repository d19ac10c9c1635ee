"""The waiting steps of the workflow, declared once.

A request in one of the states below waits for someone. Each :class:`Step` says who holds it as
ONE rule (:class:`Rule`) that has three forms, kept side by side so they cannot drift apart:

- ``holds(principal, req)``: does this person (in their own right) hold this request now;
- ``waiting(principals)``: a filter on requests in the step that wait for a user, given the
  user's principals (themselves and whoever delegated work to them today);
- ``keys(req)``: what to look up for many requests at once (:func:`holders_bulk`): one person by
  id, or everyone in a role.

The step also carries its time limit in working days (an administrator may override it with a
``TimeFrame`` row), its labels, and whether reminders go out for it. The buttons
(``permissions.available_actions``), the pending page (``selectors.pending_requests``), e-mail,
reminders, the dashboard, the quarterly reports and the memo all read this module; no other module
says who holds a step.

To add a step: add its state and transitions on ``PublicationRequest``, its actions in
``approvals/actions.py`` (actor ``HOLDER``), and one :class:`Step` here; then run
``manage.py workflow_diagram`` to refresh docs/WORKFLOW.md.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import F, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from approvals import errors
from approvals.models import Delegation, ReviewRoute
from esa_publish.office import roles
from esa_publish.office.models import User
from requests.models import FirstReviewer
from requests.states import (
    ALLOWED,
    AT_OR_AFTER_DIRECTOR,
    AT_OR_AFTER_WEBMASTER,
    EDITABLE,
    FINAL,
    FINISHED,
    WITHDRAWABLE,
    State,
)

NOTHING = Q(pk__in=[])

# The state groups (EDITABLE, WITHDRAWABLE, FINAL, FINISHED, AT_OR_AFTER_DIRECTOR,
# AT_OR_AFTER_WEBMASTER, ALLOWED) are defined once in requests/states.py, beside State, because the
# model's transitions and the memo (a layer below this one) need them too; re-exported here.
__all__ = [
    "ALLOWED",
    "AT_OR_AFTER_DIRECTOR",
    "AT_OR_AFTER_WEBMASTER",
    "EDITABLE",
    "FINAL",
    "FINISHED",
    "STEPS",
    "REVIEW_STEPS",
    "WITHDRAWABLE",
    "Step",
    "DEFAULT_DAYS",
    "HOLDER_FIELDS",
    "unheld",
    "holders",
    "holders_bulk",
    "holds",
    "role_in_step",
    "reviewer_due_on",
    "route_first_review",
    "status_label",
    "waiting_filter",
]


# --- who holds a step: one rule, three forms ---------------------------------------------------


class Rule:
    """Who holds a step. Subclasses give the same answer in all three forms."""

    def holds(self, principal, req) -> bool:
        raise NotImplementedError

    def waiting(self, principals, user) -> Q:
        """A filter on requests (already limited to the step's state) waiting for ``user``."""
        raise NotImplementedError

    def keys(self, req) -> list[tuple[str, object]]:
        """[("user", id) or ("role", group name), …]: who to look up in bulk."""
        raise NotImplementedError

    def role(self, req, principal=None) -> str:
        """The role recorded in the history for ``principal`` acting in this step."""
        raise NotImplementedError

    def describe(self) -> str:
        """Who, in words, for docs/WORKFLOW.md."""
        raise NotImplementedError

    def status(self, req) -> str | None:
        """What the request's status says while this rule holds it ("รอนิติกรพิจารณา"), or None
        for the state's own name."""
        return None


@dataclass(frozen=True)
class UnitHead(Rule):
    """The person the request's unit names in ``field`` (its director, its deputy)."""

    field: str
    role_name: str
    status_label: str | None = dataclasses.field(
        default=None, compare=False
    )  # status while they hold it

    def holds(self, principal, req) -> bool:
        return getattr(req.unit, f"{self.field}_id") == principal.user.pk

    def waiting(self, principals, user) -> Q:
        return Q(**{f"unit__{self.field}__in": [p.user.pk for p in principals]})

    def keys(self, req):
        return [("user", getattr(req.unit, f"{self.field}_id"))]

    def role(self, req, principal=None) -> str:
        return self.role_name

    def describe(self) -> str:
        return f"the unit's `{self.field}` (role `{self.role_name}`)"

    def status(self, req) -> str | None:
        return self.status_label


@dataclass(frozen=True)
class RoleMember(Rule):
    """Anyone in the role's group (the director, legal officers, webmasters)."""

    role_name: str
    status_label: str | None = dataclasses.field(
        default=None, compare=False
    )  # status while it holds it

    def holds(self, principal, req) -> bool:
        return self.role_name in principal.roles

    def waiting(self, principals, user) -> Q:
        return Q() if any(self.role_name in p.roles for p in principals) else NOTHING

    def keys(self, req):
        return [("role", self.role_name)]

    def role(self, req, principal=None) -> str:
        return self.role_name

    def describe(self) -> str:
        return f"anyone in the group `{self.role_name}`"

    def status(self, req) -> str | None:
        return self.status_label


@dataclass(frozen=True)
class TheRequester(Rule):
    """The request's own requester, never a delegate."""

    def holds(self, principal, req) -> bool:
        return principal.is_self and req.requester_id == principal.user.pk

    def waiting(self, principals, user) -> Q:
        return Q(requester=user)

    def keys(self, req):
        return [("user", req.requester_id)]

    def role(self, req, principal=None) -> str:
        return "requester"

    def describe(self) -> str:
        return "the requester (never a delegate)"


@dataclass(frozen=True)
class ByFirstReviewer(Rule):
    """The first review: the rule chosen for the request when it was filed (``first_reviewer``)."""

    routes: tuple[tuple[str, Rule], ...]

    def _rule(self, req) -> Rule | None:
        return dict(self.routes).get(req.first_reviewer)

    def holds(self, principal, req) -> bool:
        rule = self._rule(req)
        return rule is not None and rule.holds(principal, req)

    def waiting(self, principals, user) -> Q:
        q = NOTHING
        for value, rule in self.routes:
            q |= Q(first_reviewer=value) & rule.waiting(principals, user)
        return q

    def keys(self, req):
        rule = self._rule(req)
        return rule.keys(req) if rule else []

    def role(self, req, principal=None) -> str:
        rule = self._rule(req)
        return rule.role(req, principal) if rule else req.first_reviewer

    def describe(self) -> str:
        return "; ".join(
            f"`first_reviewer={value}`: {rule.describe()}" for value, rule in self.routes
        )

    def status(self, req) -> str | None:
        rule = self._rule(req)
        return rule.status(req) if rule else None


@dataclass(frozen=True)
class AllOf(Rule):
    """Several people must each agree, in any order; the step waits for those who have not yet
    (their sides are kept in ``first_review_agreed``, comma-separated). Any of them may send it
    back before agreeing."""

    sides: tuple[tuple[str, Rule], ...]
    status_label: str | None = dataclasses.field(
        default=None, compare=False
    )  # while no side has agreed

    @staticmethod
    def agreed(req) -> set[str]:
        return set(filter(None, (req.first_review_agreed or "").split(",")))

    def _pending(self, req):
        done = self.agreed(req)
        return [(side, rule) for side, rule in self.sides if side not in done]

    def holds(self, principal, req) -> bool:
        return any(rule.holds(principal, req) for _side, rule in self._pending(req))

    def waiting(self, principals, user) -> Q:
        q = NOTHING
        for side, rule in self.sides:
            q |= rule.waiting(principals, user) & ~Q(first_review_agreed__contains=side)
        return q

    def keys(self, req):
        return [key for _side, rule in self._pending(req) for key in rule.keys(req)]

    def role(self, req, principal=None) -> str:
        for side, rule in self._pending(req):
            if principal is None or rule.holds(principal, req):
                return side
        return self.sides[0][0]

    def last_to_agree(self, req, side: str) -> bool:
        """Whether ``side`` agreeing completes the step."""
        return {s for s, _rule in self.sides} <= self.agreed(req) | {side}

    def describe(self) -> str:
        return " and ".join(rule.describe() for _side, rule in self.sides) + ", each must agree"

    def status(self, req) -> str | None:
        # Once one side has agreed, the status names only who is still awaited.
        pending = self._pending(req)
        if len(pending) == 1:
            return pending[0][1].status(req)
        return self.status_label


REQUESTER = TheRequester()
# The first review's holders name themselves in the status: whoever reads "รอ…พิจารณา" on the
# request page, the pending page, an e-mail or the dashboard knows whose desk it is on.
GROUP_DIRECTOR = UnitHead(
    "director", roles.GROUP_DIRECTOR, pgettext_lazy("request state", "รอผู้อำนวยการกลุ่มพิจารณา")
)
LEGAL_OFFICER = RoleMember(roles.LEGAL_OFFICER, pgettext_lazy("request state", "รอนิติกรพิจารณา"))
BOTH = AllOf(
    sides=(
        (FirstReviewer.GROUP_DIRECTOR, GROUP_DIRECTOR),
        (FirstReviewer.LEGAL_OFFICER, LEGAL_OFFICER),
    ),
    status_label=pgettext_lazy("request state", "รอผู้อำนวยการกลุ่มและนิติกรพิจารณา"),
)
FIRST_REVIEW = ByFirstReviewer(
    routes=(
        (FirstReviewer.GROUP_DIRECTOR, GROUP_DIRECTOR),
        (FirstReviewer.LEGAL_OFFICER, LEGAL_OFFICER),
        (FirstReviewer.BOTH, BOTH),
    )
)


def route_annotations() -> dict:
    """Load the administrator's routes with the request row (saves a query when filing)."""
    routes = ReviewRoute.objects.values("route")
    return {
        "category_route": Subquery(routes.filter(category=OuterRef("category_id"))[:1]),
        "default_route": Subquery(routes.filter(category__isnull=True)[:1]),
    }


def route_first_review(req) -> str:
    """Which first review a request gets when filed: the administrator's choice for its category
    (``ReviewRoute``), else a legal officer for categories that need a legal ruling, else the
    office default, else the unit's director. Refused when nobody could hold it."""
    if hasattr(req, "category_route"):  # loaded with the row (route_annotations)
        category_route, default_route = req.category_route, req.default_route
    else:
        routes = dict(
            ReviewRoute.objects.filter(
                Q(category=req.category_id) | Q(category__isnull=True)
            ).values_list("category", "route")
        )
        category_route, default_route = routes.get(req.category_id), routes.get(None)
    route = category_route
    if route is None:
        if req.category.needs_legal_review:
            route = FirstReviewer.LEGAL_OFFICER
        else:
            route = default_route or FirstReviewer.GROUP_DIRECTOR
    needs_legal = route in (FirstReviewer.LEGAL_OFFICER, FirstReviewer.BOTH)
    needs_director = route in (FirstReviewer.GROUP_DIRECTOR, FirstReviewer.BOTH)
    if (
        needs_legal
        and not User.objects.filter(groups__name=roles.LEGAL_OFFICER, is_active=True).exists()
    ):
        raise errors.Incomplete(errors.NO_LEGAL_OFFICER)
    if needs_director and req.unit.director_id is None:
        raise errors.Incomplete(errors.NO_UNIT_DIRECTOR)
    return route


# --- the steps ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """A state and who holds a request in it."""

    state: str
    holder: Rule
    days: int | None  # default time limit in working days; a TimeFrame row overrides it
    label: str  # what the reports and the dashboard call the step
    reviewer: bool = True  # held by a reviewer: reminded, on the dashboard, e-mailed when reached
    waits: bool = True  # on the holder's pending page (a published item waits for nobody)

    @property
    def state_label(self) -> str:
        return State(self.state).label

    def status(self, req) -> str:
        """The status of ``req`` waiting in this step: who holds it, where the holder says so."""
        return self.holder.status(req) or self.state_label


STEPS: dict[str, Step] = {
    s.state: s
    for s in [
        Step(State.SUBMITTED, FIRST_REVIEW, 2, _("ผอ.กลุ่ม/นิติกรพิจารณา")),
        Step(State.REVIEWED, UnitHead("deputy", roles.DEPUTY), 2, _("รอง ผอ. ให้ความเห็น")),
        Step(State.RECOMMENDED, RoleMember(roles.DIRECTOR), 3, _("ผอ. พิจารณา")),
        Step(State.APPROVED, RoleMember(roles.WEBMASTER), 2, _("อนุญาตจนเผยแพร่")),
        Step(State.RETURNED, REQUESTER, 5, _("ผู้ขออนุญาตแก้ไข"), reviewer=False),
        # Not waiting: who may take a published item down.
        Step(
            State.PUBLISHED,
            RoleMember(roles.WEBMASTER),
            None,
            _("เผยแพร่แล้ว"),
            reviewer=False,
            waits=False,
        ),
    ]
}
#: The steps reviewers hold, in workflow order.
REVIEW_STEPS: tuple[str, ...] = tuple(s.state for s in STEPS.values() if s.reviewer)


#: Default time limits, by state.
DEFAULT_DAYS: dict[str, int] = {s.state: s.days for s in STEPS.values() if s.days is not None}


#: The request's fields the rules read: load them when listing requests with their buttons.
HOLDER_FIELDS = (
    "state",
    "first_reviewer",
    "first_review_agreed",
    "requester_id",
    "unit__director_id",
    "unit__deputy_id",
)


def unheld(state: str, req) -> bool:
    """Whether nobody would hold ``req`` in ``state`` because the person its unit names for that
    step is missing (a unit no deputy oversees): the workflow then goes straight on."""
    return all(kind == "user" and key is None for kind, key in STEPS[state].holder.keys(req))


def status_label(req) -> str:
    """What the status of ``req`` reads everywhere it is shown (the badge, the pending page,
    e-mails, the dashboard): the step's holder when the step names one, else the state."""
    step = STEPS.get(req.state)
    return step.status(req) if step is not None else State(req.state).label


def reviewer_due_on(req) -> dt.date | None:
    """The date a reviewer must act by, or None while no reviewer holds ``req``: a draft, or a
    request sent back (the requester's turn; the reviewers' time limit starts again on refiling)."""
    step = STEPS.get(req.state)
    return req.due_on if step is not None and step.reviewer else None


def role_in_step(req, principal=None) -> str:
    """The role recorded for ``principal`` acting on ``req`` in its current step."""
    return STEPS[req.state].holder.role(req, principal)


def holds(principal, req) -> bool:
    """Whether ``principal`` (in their own right) holds the step ``req`` waits in."""
    step = STEPS.get(req.state)
    return step is not None and step.holder.holds(principal, req)


def waiting_filter(principals, user) -> Q:
    """What waits for ``user`` acting as any of ``principals``, over every step."""
    q = NOTHING
    for step in STEPS.values():
        if not step.waits:
            continue
        q |= Q(state=step.state) & step.holder.waiting(principals, user)
    return q


def holders_bulk(reqs: Iterable, *, day: dt.date | None = None, reviewer_only=True) -> dict:
    """Request id → the people who must act on it now, plus anyone standing in for them on
    ``day``, in two queries for any number of requests. ``reqs`` need ``unit`` loaded."""
    day = day or timezone.localdate()
    wanted_ids: set[int] = set()
    wanted_roles: set[str] = set()
    plans: dict[int, list[tuple[str, object]]] = {}
    for req in reqs:
        step = STEPS.get(req.state)
        if step is None or (reviewer_only and not step.reviewer):
            continue
        plans[req.pk] = step.holder.keys(req)
        for kind, key in plans[req.pk]:
            (wanted_ids if kind == "user" else wanted_roles).add(key)
    wanted_ids.discard(None)
    if not plans:
        return {}
    people = (
        User.objects.filter(Q(pk__in=wanted_ids) | Q(groups__name__in=wanted_roles), is_active=True)
        .annotate(role_name=F("groups__name"))
        .order_by("pk")
    )
    by_id: dict[int, User] = {}
    by_role: dict[str, dict[int, User]] = defaultdict(dict)
    for person in people:
        by_id.setdefault(person.pk, person)
        if person.role_name in wanted_roles:
            by_role[person.role_name][person.pk] = by_id[person.pk]
    delegates: dict[int, list[User]] = defaultdict(list)
    for delegation in (
        Delegation.objects.in_force(day)
        .filter(principal__in=list(by_id), delegate__is_active=True)
        .select_related("delegate")
    ):
        delegates[delegation.principal_id].append(delegation.delegate)
    result = {}
    for req_id, keys in plans.items():
        principals = []
        for kind, key in keys:
            if kind == "user":
                principals += [by_id[key]] if key in by_id else []
            else:
                principals += list(by_role.get(key, {}).values())
        found = {p.pk: p for p in principals}
        for principal in principals:
            for delegate in delegates.get(principal.pk, ()):
                found.setdefault(delegate.pk, delegate)
        result[req_id] = list(found.values())
    return result


def holders(req, *, day: dt.date | None = None) -> list[User]:
    """The people who must act on ``req`` now, plus anyone standing in for them today."""
    return holders_bulk([req], day=day).get(req.pk, [])
