"""Who may see the quarterly report and the dashboard, and what they may do there.

* The report: the office director, deputies and group directors (and anyone standing in for
  them). Everyone else gets 404, as for a request they may not see.
* A unit's narrative: written only by that unit's director (``Unit.director``) or their delegate.
* Acknowledging and reopening: only the office director, or whoever acts in the post
  (รักษาราชการแทน / ปฏิบัติราชการแทน).
* The dashboard: the director sees the whole office; a deputy the units they oversee; a group
  director their own units. Webmasters and legal officers do not get it: it lists requests by
  title at every step, most of which they may not open, and their own queues already show them
  their work.

One :class:`Access` is computed per page (two or three queries) and handed to templates and
services alike, so buttons and checks cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from approvals.principals import Principal, principals_for
from esa_publish.office import roles
from esa_publish.office.models import Unit

REPORT_ROLES = (roles.DIRECTOR, roles.DEPUTY, roles.GROUP_DIRECTOR)


@dataclass(frozen=True)
class Access:
    """What one user may do with reports, worked out once from their principals."""

    user: object
    principals: list[Principal] = field(default_factory=list)
    can_view: bool = False
    #: The principal in whose name the user acknowledges or reopens (the director), if any.
    director: Principal | None = None
    #: Unit id → the principal in whose name the user writes that unit's narrative.
    narrators: dict[int, Principal] = field(default_factory=dict)
    #: Units whose work the dashboard shows; None means the whole office.
    dashboard_units: frozenset[int] | None = frozenset()

    @property
    def can_view_dashboard(self) -> bool:
        return self.dashboard_units is None or bool(self.dashboard_units)

    def narrator_for(self, unit_id: int) -> Principal | None:
        return self.narrators.get(unit_id)


def access_for(user) -> Access:
    """The user's :class:`Access`; an outsider's allows nothing."""
    if not (user and user.is_authenticated and user.is_active):
        return Access(user)
    principals = principals_for(user)
    ids = {p.user.pk: p for p in principals}
    held = set().union(*(p.roles for p in principals))
    units = list(
        Unit.objects.filter(director__in=ids).values_list("pk", "director_id") if ids else []
    )
    narrators = {unit_id: ids[director_id] for unit_id, director_id in units}
    director = next((p for p in principals if roles.DIRECTOR in p.roles), None)
    if director is not None or user.is_superuser:
        dashboard_units = None
    else:
        overseen = set()
        if roles.DEPUTY in held:
            overseen |= set(Unit.objects.filter(deputy__in=ids).values_list("pk", flat=True))
        if roles.GROUP_DIRECTOR in held:
            overseen |= set(narrators)
        dashboard_units = frozenset(overseen)
    can_view = user.is_superuser or bool(held & set(REPORT_ROLES)) or bool(narrators)
    return Access(
        user=user,
        principals=principals,
        can_view=can_view,
        director=director,
        narrators=narrators,
        dashboard_units=dashboard_units,
    )
