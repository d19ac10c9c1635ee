"""The actions people take on a request, as data.

One table drives everything: the buttons on the request page, the checks in the views and
services, the labels in the history and the permission test that walks every role × state ×
action. Names are dotted like audit-log actions ("director.allow").
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from approvals.models import Verdict
from esa_publish.office import roles
from requests.states import WITHDRAWABLE, State

# Who acts: the request's own requester, or the holder of the current step.
REQUESTER = "requester"
FIRST_REVIEWER = "first_reviewer"  # the unit's director, or a legal officer for legal categories


@dataclass(frozen=True)
class Action:
    name: str
    label: str
    actor: str  # REQUESTER, FIRST_REVIEWER or a role from esa_publish.office.roles
    sources: tuple[str, ...]
    transition: str  # method name on PublicationRequest
    verdict: str = Verdict.NONE
    comment_required: bool = False
    style: str = ""  # button style: "ok", "danger", "secondary"

    @property
    def delegable(self) -> bool:
        """Reviewers' work may be done by a delegate; a requester's own actions may not."""
        return self.actor != REQUESTER


ACTIONS: dict[str, Action] = {
    a.name: a
    for a in [
        Action(
            "submit",
            pgettext_lazy("action", "ยื่นคำขอ"),
            REQUESTER,
            (State.DRAFT, State.RETURNED),
            "submit",
            style="ok",
        ),
        Action(
            "withdraw",
            pgettext_lazy("action", "ถอนคำขอ"),
            REQUESTER,
            WITHDRAWABLE,
            "withdraw",
            comment_required=False,
            style="secondary",
        ),
        Action(
            "review.forward",
            _("เห็นชอบ เสนอต่อ"),
            FIRST_REVIEWER,
            (State.SUBMITTED,),
            "pass_first_review",
            Verdict.ALLOW,
            style="ok",
        ),
        Action(
            "review.return",
            pgettext_lazy("action", "ส่งกลับแก้ไข"),
            FIRST_REVIEWER,
            (State.SUBMITTED,),
            "send_back",
            Verdict.RETURN,
            comment_required=True,
            style="secondary",
        ),
        Action(
            "deputy.allow",
            _("เห็นควรอนุญาต"),
            roles.DEPUTY,
            (State.REVIEWED,),
            "recommend",
            Verdict.ALLOW,
            style="ok",
        ),
        Action(
            "deputy.deny",
            _("เห็นควรไม่อนุญาต"),
            roles.DEPUTY,
            (State.REVIEWED,),
            "recommend",
            Verdict.DENY,
            comment_required=True,
            style="danger",
        ),
        Action(
            "deputy.return",
            pgettext_lazy("action", "ส่งกลับแก้ไข"),
            roles.DEPUTY,
            (State.REVIEWED,),
            "send_back",
            Verdict.RETURN,
            comment_required=True,
            style="secondary",
        ),
        Action(
            "director.allow",
            pgettext_lazy("action", "อนุญาต"),
            roles.DIRECTOR,
            (State.RECOMMENDED,),
            "approve",
            Verdict.ALLOW,
            style="ok",
        ),
        Action(
            "director.deny",
            pgettext_lazy("action", "ไม่อนุญาต"),
            roles.DIRECTOR,
            (State.RECOMMENDED,),
            "reject",
            Verdict.DENY,
            comment_required=True,
            style="danger",
        ),
        Action(
            "director.return",
            pgettext_lazy("action", "ส่งกลับแก้ไข"),
            roles.DIRECTOR,
            (State.RECOMMENDED,),
            "send_back",
            Verdict.RETURN,
            comment_required=True,
            style="secondary",
        ),
        Action(
            "webmaster.publish",
            pgettext_lazy("action", "เผยแพร่"),
            roles.WEBMASTER,
            (State.APPROVED,),
            "publish",
            Verdict.ALLOW,
            style="ok",
        ),
        Action(
            "webmaster.return",
            pgettext_lazy("action", "ส่งกลับแก้ไข"),
            roles.WEBMASTER,
            (State.APPROVED,),
            "send_back",
            Verdict.RETURN,
            comment_required=True,
            style="secondary",
        ),
        Action(
            "webmaster.unpublish",
            pgettext_lazy("action", "ถอดออกจากการเผยแพร่"),
            roles.WEBMASTER,
            (State.PUBLISHED,),
            "unpublish",
            Verdict.NONE,
            comment_required=True,
            style="danger",
        ),
    ]
}

# What the history shows for each action, in the past tense.
HISTORY_LABELS = {
    "create": _("สร้างร่างคำขอ"),
    "edit": _("แก้ไขรายละเอียดคำขอ"),
    "submit": pgettext_lazy("history", "ยื่นคำขอ"),
    "resubmit": _("ยื่นคำขออีกครั้งหลังแก้ไข"),
    "withdraw": pgettext_lazy("history", "ถอนคำขอ"),
    "review.forward": _("ผู้พิจารณาขั้นแรกเห็นชอบ เสนอต่อ"),
    "review.return": pgettext_lazy("history", "ส่งกลับแก้ไข"),
    "deputy.allow": _("รองผู้อำนวยการเห็นควรอนุญาต"),
    "deputy.deny": _("รองผู้อำนวยการเห็นควรไม่อนุญาต"),
    "deputy.return": pgettext_lazy("history", "ส่งกลับแก้ไข"),
    "director.allow": _("ผู้อำนวยการอนุญาต"),
    "director.deny": _("ผู้อำนวยการไม่อนุญาต"),
    "director.return": pgettext_lazy("history", "ส่งกลับแก้ไข"),
    "webmaster.publish": _("เผยแพร่บนเว็บไซต์"),
    "webmaster.return": pgettext_lazy("history", "ส่งกลับแก้ไข"),
    "webmaster.unpublish": pgettext_lazy("history", "ถอดออกจากการเผยแพร่"),
}

# Which step each state waits on: the actor that holds the request there.
HOLDER_OF_STATE = {
    State.SUBMITTED: FIRST_REVIEWER,
    State.REVIEWED: roles.DEPUTY,
    State.RECOMMENDED: roles.DIRECTOR,
    State.APPROVED: roles.WEBMASTER,
}
