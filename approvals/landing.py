"""Where each person lands after signing in: on what waits for them.

One home for the rule. Reviewers (the roles that hold a waiting step in approvals/steps.py, their
own or delegated to them today) land on their pending work; staff who file requests on their own
requests; a person with no role on the public home page, where the sign-in notice tells them what
they may do (esa_publish/office/signals.py).
"""

from __future__ import annotations

from django.urls import reverse

from approvals import steps
from approvals.permissions import held_roles
from approvals.principals import Principal, principals_for
from esa_publish.office import roles


def _reviewer_roles() -> frozenset[str]:
    """The roles that hold a reviewer's step, read from the steps' own rules."""
    found: set[str] = set()

    def collect(rule) -> None:
        if hasattr(rule, "role_name"):
            found.add(rule.role_name)
        for _value, inner in getattr(rule, "routes", ()) + getattr(rule, "sides", ()):
            collect(inner)

    for step in steps.STEPS.values():
        if step.reviewer:
            collect(step.holder)
    return frozenset(found)


REVIEWER_ROLES = _reviewer_roles()


def landing_url(user, *, principals: list[Principal] | None = None) -> str:
    """The page ``user`` should see first after signing in (no ``next`` given)."""
    if principals is None:
        principals = principals_for(user)
    held = held_roles(principals)
    if held & REVIEWER_ROLES:
        return reverse("approvals:pending")
    if roles.STAFF in held:
        return reverse("requests:mine")
    if user.is_superuser:
        return reverse("admin:index")
    return reverse("home")
