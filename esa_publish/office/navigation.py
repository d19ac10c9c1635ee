"""The navigation each role sees. One place, so menus never offer a page a role cannot use."""

from __future__ import annotations

from dataclasses import dataclass, replace

from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from esa_publish.office import roles


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: tuple[str, ...] = ()  # empty: every signed-in member of staff
    staff_only: bool = True
    counts: str = ""  # which of approvals.selectors.waiting_counts() the entry shows
    count_prefix: str = ""  # read out before the count, e.g. "ส่งกลับให้แก้ไข ๒ รายการ"
    count: int = 0

    @property
    def url(self) -> str:
        # Each entry's address is read three times on every page; reverse() walks the patterns.
        key = (self.url_name, get_script_prefix(), get_urlconf(), get_language())
        url = _urls.get(key)
        if url is None:
            url = _urls[key] = reverse(self.url_name)
        return url


_urls: dict[tuple, str] = {}


# Later apps add their pages here; an entry whose URL is not (yet) routed is left out.
ITEMS: list[NavItem] = [
    NavItem(_("หน้าแรก"), "home", staff_only=False),
    NavItem(_("ศูนย์ข้อมูลข่าวสาร"), "oia:centre", staff_only=False),
    NavItem(_("งานรอพิจารณา"), "approvals:pending", counts="pending"),
    NavItem(_("คำขอของฉัน"), "requests:mine", counts="returned", count_prefix=_("ส่งกลับให้แก้ไข")),
    NavItem(_("ยื่นคำขอใหม่"), "requests:create"),
    NavItem(_("รอเผยแพร่"), "publishing:queue", (roles.WEBMASTER,)),
    NavItem(
        _("รายงานรายไตรมาส"), "reports:index", (roles.DIRECTOR, roles.DEPUTY, roles.GROUP_DIRECTOR)
    ),
    NavItem(
        _("ภาพรวมงานพิจารณา"),
        "reports:dashboard",
        (roles.DIRECTOR, roles.DEPUTY, roles.GROUP_DIRECTOR),
    ),
    NavItem(_("ประชาสัมพันธ์"), "outreach:kits", (roles.WEBMASTER,)),
    NavItem(_("การแจ้งเตือน"), "notify:settings"),
]


def navigation_for(
    user, *, held_roles: frozenset[str] | None = None, counts: dict[str, int] | None = None
) -> list[NavItem]:
    """The entries ``user`` may use, in menu order. ``held_roles`` are the roles they may work
    in today, delegations included (``approvals.permissions.held_roles``, which the pages
    themselves check); without it, only the user's own groups count. ``counts`` are what waits
    for them (``approvals.selectors.waiting_counts``), shown beside the entries that declare one."""
    signed_in = bool(user and user.is_authenticated)
    visible = []
    for item in ITEMS:
        if item.staff_only and not signed_in:
            continue
        if item.roles and not (signed_in and _holds_any(user, item.roles, held_roles)):
            continue
        try:
            item.url  # noqa: B018
        except NoReverseMatch:
            continue
        if item.counts and counts:
            item = replace(item, count=counts.get(item.counts, 0))
        visible.append(item)
    return visible


def _holds_any(user, wanted: tuple[str, ...], held_roles: frozenset[str] | None) -> bool:
    if user.is_superuser:
        return True
    if held_roles is not None:
        return user.is_active and bool(held_roles.intersection(wanted))
    return any(user.has_role(r) for r in wanted)
