"""Whom a user acts as today: themselves, plus everyone whose work is delegated to them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth.models import Group
from django.utils import timezone

from approvals.models import Delegation
from esa_publish.office import roles


@dataclass(frozen=True)
class Principal:
    """A person whose work ``actor`` may do now; ``capacity`` is blank for the actor themselves."""

    user: object
    capacity: str = ""
    roles: frozenset[str] = field(default_factory=frozenset)

    @property
    def is_self(self) -> bool:
        return not self.capacity


def principals_for(user, *, day: dt.date | None = None) -> list[Principal]:
    """The user first, then the principals of delegations in force on ``day``. Two queries."""
    if not (user and user.is_authenticated and user.is_active):
        return []
    day = day or timezone.localdate()
    delegations = list(
        Delegation.objects.in_force(day)
        .filter(delegate=user, principal__is_active=True)
        .select_related("principal", "principal__unit")
    )
    people = [(user, "")] + [(d.principal, d.capacity) for d in delegations]
    memberships: dict[int, set[str]] = {}
    rows = Group.objects.filter(name__in=roles.ALL, user__in=[p.pk for p, _ in people]).values_list(
        "user", "name"
    )
    for user_id, name in rows:
        memberships.setdefault(user_id, set()).add(name)
    seen, result = set(), []
    for person, capacity in people:
        if person.pk in seen:
            continue
        seen.add(person.pk)
        result.append(Principal(person, capacity, frozenset(memberships.get(person.pk, ()))))
    return result
