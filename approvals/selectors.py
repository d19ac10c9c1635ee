"""Reads: which requests a user may see, and which wait for them; and, from a request's history,
what the request page puts first (why it came back, what earlier reviewers said).

The first two are single querysets built from the user's principals, so a page listing a thousand
requests costs the same few queries as one listing ten. The history readers work on decisions
already loaded, oldest first.
"""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from approvals import steps
from approvals.actions import verdict_label
from approvals.models import Decision, Verdict
from approvals.principals import Principal, principals_for
from esa_publish.office import roles
from requests.models import (
    FirstReviewer,
    PublicationRequest,
    PublicationRequestUserObjectPermission,
)
from requests.states import AT_OR_AFTER_DIRECTOR, AT_OR_AFTER_WEBMASTER, State

#: Actions that file the request and so begin a new round of reviews.
ROUND_STARTS = ("submit", "resubmit")
#: States the requester must understand before anything else: the reason comes first.
EXPLAINED_STATES = (State.RETURNED, State.REJECTED)


def _ids(principals: list[Principal]) -> list[int]:
    return [p.user.pk for p in principals]


def _with_role(principals: list[Principal], role: str) -> bool:
    return any(role in p.roles for p in principals)


def visible_requests(user, *, principals: list[Principal] | None = None) -> QuerySet:
    """Requests ``user`` may open. Requesters see their own; group directors and deputies their
    units' (once filed); legal officers, the director and webmasters what reaches their step;
    anyone who took part sees what they took part in; object permissions add more."""
    qs = PublicationRequest.objects.all()
    if not (user and user.is_authenticated and user.is_active):
        return qs.none()
    if user.is_superuser:
        return qs
    if principals is None:
        principals = principals_for(user)
    ids = _ids(principals)
    filed = ~Q(state=State.DRAFT)
    q = Q(requester=user)
    q |= filed & (Q(unit__director__in=ids) | Q(unit__deputy__in=ids))
    if _with_role(principals, roles.LEGAL_OFFICER):
        q |= filed & Q(first_reviewer=FirstReviewer.LEGAL_OFFICER)
    if _with_role(principals, roles.DIRECTOR):
        q |= Q(state__in=AT_OR_AFTER_DIRECTOR)
    if _with_role(principals, roles.WEBMASTER):
        q |= Q(state__in=AT_OR_AFTER_WEBMASTER)
    q |= steps.waiting_filter(principals, user)  # whoever holds a step sees what waits for them
    took_part = Decision.objects.filter(request=OuterRef("pk")).filter(
        Q(actor__in=ids) | Q(on_behalf_of__in=ids)
    )
    granted = PublicationRequestUserObjectPermission.objects.filter(
        content_object=OuterRef("pk"), user=user, permission__codename="view_publicationrequest"
    )
    return qs.filter(q | Exists(took_part) | Exists(granted))


def pending_requests(user, *, principals: list[Principal] | None = None) -> QuerySet:
    """Requests waiting for ``user`` to act, in their own right or for someone they stand in for;
    their own returned requests too (they must correct them). The rule is the steps' own
    (:func:`approvals.steps.waiting_filter`)."""
    qs = PublicationRequest.objects.all()
    if not (user and user.is_authenticated and user.is_active):
        return qs.none()
    if principals is None:
        principals = principals_for(user)
    return qs.filter(steps.waiting_filter(principals, user))


def why_here(req, decisions: list[Decision]) -> Decision | None:
    """The decision that sent ``req`` back or refused it (who, when, why), for a request in one
    of ``EXPLAINED_STATES``; ``decisions`` oldest first."""
    if req.state not in EXPLAINED_STATES:
        return None
    for decision in reversed(decisions):
        if decision.to_state == req.state and decision.from_state != decision.to_state:
            return decision
    return None


def round_opinions(decisions: list[Decision]) -> list[Decision]:
    """The reviewers' verdicts since the request was last filed, oldest first (both first
    reviewers, the deputy's opinion, the director's decision): what the next reviewer reads
    before acting. A send-back ends a round; the refiling starts the next."""
    found: list[Decision] = []
    for decision in decisions:
        if decision.action in ROUND_STARTS:
            found = []
        elif decision.verdict != Verdict.RETURN and verdict_label(decision.action):
            found.append(decision)
    return found


def waiting_counts(user, *, principals: list[Principal] | None = None) -> dict[str, int]:
    """For the menu, in one query: ``pending``, everything on the user's pending page, and
    ``returned``, their own requests sent back to them for correction (part of ``pending``)."""
    if not (user and user.is_authenticated and user.is_active):
        return {"pending": 0, "returned": 0}
    return pending_requests(user, principals=principals).aggregate(
        pending=Count("pk"), returned=Count("pk", filter=Q(state=State.RETURNED, requester=user))
    )
