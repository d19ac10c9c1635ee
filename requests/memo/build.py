"""Fill :class:`MemoData` from a request and its decisions.

The memo shows the current round only: after a request was sent back and re-filed, the signatures
of the earlier round belong to the history on the request page, not on the memo being signed now.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from esa_publish.office.models import Office
from requests.memo.data import MemoData, SignatureBlock
from requests.models import FileFormat
from requests.states import ALLOWED, State

#: Requests that ended unallowed: their memo is marked with how it ended, not as a draft.
CLOSED_STATES = {State.REJECTED: "rejected", State.WITHDRAWN: "withdrawn"}
ROUND_STARTS = ("submit", "resubmit")


def _block(decision) -> SignatureBlock:
    if decision is None:
        return SignatureBlock()
    return SignatureBlock(
        name=decision.actor_name,
        position=decision.actor_position or None,
        acting_capacity=decision.capacity_line or None,
        date=timezone.localdate(decision.created_at),
        comment=decision.comment or None,
        signed_at=timezone.localtime(decision.created_at),
    )


def _first_role(first, req) -> str | None:
    role = first.role if first else req.first_reviewer
    if role == "both":  # nobody has agreed yet: the group director's block comes first
        return "group_director"
    return role or None


def current_round(decisions: list) -> list:
    """The decisions since the latest (re)submission."""
    start = 0
    for index, decision in enumerate(decisions):
        if decision.action in ROUND_STARTS:
            start = index
    return decisions[start:]


def memo_data_for(req, *, office: Office | None = None) -> MemoData:
    """The memo of ``req`` as it stands now. Prefetch ``decisions``, ``attachments`` and
    ``photos`` to keep this at no extra queries."""
    office = office or Office.current()
    decisions = current_round(list(req.decisions.all()))
    latest = {}
    first_reviews = {}  # role -> the latest first-review agreement of that role
    for decision in decisions:
        latest[decision.action] = decision
        if decision.action == "review.forward":
            first_reviews[decision.role] = decision
    first = latest.get("review.forward")
    second = None
    if len(first_reviews) > 1:  # both reviewed: the group director first, the legal officer next
        first = first_reviews.get("group_director", first)
        second = first_reviews.get("legal_officer")
    deputy = latest.get("deputy.allow") or latest.get("deputy.deny")
    director = latest.get("director.allow") or latest.get("director.deny")
    webmaster = latest.get("webmaster.publish")
    filed = latest.get("resubmit") or latest.get("submit")
    requester = req.requester
    emblem = None
    if office.emblem:
        try:
            path = Path(office.emblem.path)
            emblem = path if path.is_file() else None
        except (NotImplementedError, ValueError):
            emblem = None
    labels = dict(FileFormat.choices)
    files = [(a.original_name, a.size) for a in req.attachments.all()]
    files += [(p.original_name, p.size) for p in req.photos.all()]
    return MemoData(
        office_short_name=office.short_name,
        office_name_th=office.name_th,
        unit_name=req.unit_name or req.unit.name,
        unit_phone=req.unit.phone or office.phone,
        doc_number=req.doc_number,
        date=req.memo_date,
        subject=req.subject,
        addressee=req.addressee or office.addressee,
        requester_name=req.requester_name or requester.full_name or requester.get_username(),
        requester_position=req.requester_position or requester.position_title,
        requester_group=req.unit_name or req.unit.name,
        publish_title=req.publish_title,
        purpose=req.purpose,
        file_formats=[str(labels.get(f, f)) for f in req.all_file_formats()] or ["PDF"],
        delivery_channel=req.channel or None,
        delivery_email=req.channel_email,
        delivery_other=req.channel_other,
        emblem_path=emblem,
        attachments=files,
        draft=req.state not in ALLOWED and req.state not in CLOSED_STATES,
        closed_as=CLOSED_STATES.get(req.state),
        verify_url=settings.SITE_URL + reverse("requests:detail", args=[req.pk]),
        verify_code=f"{req.pk}",
        requester_signature=SignatureBlock(
            name=req.requester_name or None,
            position=req.requester_position or None,
            date=req.memo_date,
            signed_at=timezone.localtime(filed.created_at) if filed else None,
        ),
        first_review=_block(first),
        first_review_role=_first_role(first, req),
        second_review=_block(second) if second else None,
        webmaster=_block(webmaster),
        deputy=_block(deputy),
        deputy_opinion=deputy.verdict if deputy else None,
        director=_block(director),
        director_decision=director.verdict if director else None,
    )
