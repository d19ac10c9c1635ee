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
from requests.states import WITHDRAWABLE, State

# Who acts: the request's own requester, or whoever holds the step the request waits in (who
# that is for each state is declared once, in approvals/steps.py).
REQUESTER = "requester"
HOLDER = "holder"


@dataclass(frozen=True)
class Action:
    name: str
    label: str
    actor: str  # REQUESTER or HOLDER
    sources: tuple[str, ...]
    transition: str  # method name on PublicationRequest
    verdict: str = Verdict.NONE
    comment_required: bool = False
    style: str = ""  # button style: "ok", "danger", "secondary"
    # What the history says the person's verdict was, in the words of their step: a deputy's
    # opinion is "เห็นควรอนุญาต", never the director's "อนุญาต" (Verdict's own label is shared).
    verdict_label: str = ""

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
            HOLDER,
            (State.SUBMITTED,),
            "pass_first_review",
            Verdict.ALLOW,
            style="ok",
            verdict_label=pgettext_lazy("verdict", "เห็นชอบ เสนอต่อ"),
        ),
        Action(
            "review.return",
            pgettext_lazy("action", "ส่งกลับแก้ไข"),
            HOLDER,
            (State.SUBMITTED,),
            "send_back",
            Verdict.RETURN,
            comment_required=True,
            style="secondary",
            verdict_label=Verdict.RETURN.label,
        ),
        Action(
            "deputy.allow",
            _("เห็นควรอนุญาต"),
            HOLDER,
            (State.REVIEWED,),
            "recommend",
            Verdict.ALLOW,
            style="ok",
            verdict_label=pgettext_lazy("verdict", "เห็นควรอนุญาต"),
        ),
        Action(
            "deputy.deny",
            _("เห็นควรไม่อนุญาต"),
            HOLDER,
            (State.REVIEWED,),
            "recommend",
            Verdict.DENY,
            comment_required=True,
            style="danger",
            verdict_label=pgettext_lazy("verdict", "เห็นควรไม่อนุญาต"),
        ),
        Action(
            "deputy.return",
            pgettext_lazy("action", "ส่งกลับแก้ไข"),
            HOLDER,
            (State.REVIEWED,),
            "send_back",
            Verdict.RETURN,
            comment_required=True,
            style="secondary",
            verdict_label=Verdict.RETURN.label,
        ),
        Action(
            "director.allow",
            pgettext_lazy("action", "อนุญาต"),
            HOLDER,
            (State.RECOMMENDED,),
            "approve",
            Verdict.ALLOW,
            style="ok",
            verdict_label=pgettext_lazy("verdict", "อนุญาต"),
        ),
        Action(
            "director.deny",
            pgettext_lazy("action", "ไม่อนุญาต"),
            HOLDER,
            (State.RECOMMENDED,),
            "reject",
            Verdict.DENY,
            comment_required=True,
            style="danger",
            verdict_label=pgettext_lazy("verdict", "ไม่อนุญาต"),
        ),
        Action(
            "director.return",
            pgettext_lazy("action", "ส่งกลับแก้ไข"),
            HOLDER,
            (State.RECOMMENDED,),
            "send_back",
            Verdict.RETURN,
            comment_required=True,
            style="secondary",
            verdict_label=Verdict.RETURN.label,
        ),
        Action(
            "webmaster.publish",
            pgettext_lazy("action", "เผยแพร่"),
            HOLDER,
            (State.APPROVED,),
            "publish",
            Verdict.ALLOW,
            style="ok",
        ),
        Action(
            "webmaster.return",
            pgettext_lazy("action", "ส่งกลับแก้ไข"),
            HOLDER,
            (State.APPROVED,),
            "send_back",
            Verdict.RETURN,
            comment_required=True,
            style="secondary",
            verdict_label=Verdict.RETURN.label,
        ),
        Action(
            "webmaster.unpublish",
            pgettext_lazy("action", "ถอดออกจากการเผยแพร่"),
            HOLDER,
            (State.PUBLISHED,),
            "unpublish",
            Verdict.NONE,
            comment_required=True,
            style="danger",
        ),
    ]
}

# What the history shows for each action, in the past tense (the requester's edits, which are
# not actions, label themselves: requests.models.RequestEvent.Action).
HISTORY_LABELS = {
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


def verdict_label(action_name: str) -> str:
    """The verdict of a recorded action as its step words it ("" when it has none to show: the
    requester's actions, publishing, whose history label says it all)."""
    action = ACTIONS.get(action_name)
    return action.verdict_label if action else ""
