"""Turning an approved request into a public catalog item, and taking it down again.

Run from the workflow's signals (:mod:`approvals.signals`) inside the action's transaction, right
around the ``publish``/``unpublish`` transition, so the item and the request's state can never
disagree.
The item copies what the webmaster checked in the :class:`~catalog.models.PublishPlan`; nothing
else of the request (comments, history, unchosen files) is reachable from it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

from django.db import transaction
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from approvals import errors, signals
from approvals.errors import ALREADY_DECIDED, AlreadyDecided, Incomplete, NotAllowed
from approvals.models import Decision
from approvals.services import SCHEDULED, request_publish
from catalog.models import CatalogFile, CatalogItem, CatalogPhoto, PublishPlan
from catalog.signals import item_changed
from esa_publish.office.models import Office
from esa_publish.thai.slugs import thai_slugify
from requests.memo.build import current_round
from requests.memo.freeze import freeze_memo
from requests.models import PublicationRequest
from requests.services import request_copy
from requests.states import FINAL, State

NO_PLAN = _("กรุณาตรวจสอบและบันทึกรายละเอียดการเผยแพร่ก่อน")
NOTHING_CHOSEN = _("กรุณาเลือกไฟล์หรือภาพที่จะเผยแพร่อย่างน้อย ๑ รายการ")
PDPA_UNCONFIRMED = _("พบข้อมูลที่อาจเป็นข้อมูลส่วนบุคคล กรุณาตรวจสอบและยืนยันก่อนเผยแพร่")
PLAN_OUTDATED = _("คำขอได้รับอนุญาตใหม่หลังบันทึกรายละเอียดการเผยแพร่ กรุณาตรวจสอบและบันทึกอีกครั้ง")
PHOTO_FLAGS_MISSING = _("กรุณาตอบคำถามเรื่องบุคคลในภาพให้ครบก่อนเผยแพร่ภาพ")
PHOTO_CONSENT_NEEDED = _("ภาพที่เห็นหน้าบุคคลชัดเจนหรือมีภาพนักเรียน/ผู้เยาว์ ต้องได้รับความยินยอมก่อนเผยแพร่")

#: What the webmaster answers about a photo set before it goes public (PDPA): can people be
#: identified, are there minors (students), is consent held. The public page shows none of it.
PHOTO_FLAGS = ("identifiable", "minors", "consent")


def photo_flags_problem(photo_ids, flags: dict):
    """Why the photo answers stop a publication, or None. Wide shots not focused on anyone may be
    published; identifiable people or minors need consent (PDPC guidance relayed by agencies)."""
    if not photo_ids:
        return None
    if any(not isinstance(flags.get(name), bool) for name in PHOTO_FLAGS):
        return PHOTO_FLAGS_MISSING
    if (flags["identifiable"] or flags["minors"]) and not flags["consent"]:
        return PHOTO_CONSENT_NEEDED
    return None


def make_slug(title: str) -> str:
    """A readable Thai slug ("ประชาสัมพันธ์-กิจกรรม"), vowels and tone marks kept, cut to fit;
    "-" when nothing is left."""
    return thai_slugify(title, max_length=100)


def plan_for(req) -> PublishPlan | None:
    try:
        return req.publish_plan
    except PublishPlan.DoesNotExist:
        return None


def approved_at(req):
    """When the request last became approved (``None`` if it never did)."""
    return (
        Decision.objects.filter(request_id=req.pk, to_state=State.APPROVED)
        .order_by("-created_at", "-pk")
        .values_list("created_at", flat=True)
        .first()
    )


def check_ready(req) -> PublishPlan:
    """Raise :class:`Incomplete` unless the webmaster's plan is there, complete, and was
    confirmed after the request's latest approval (what was approved is what was checked)."""
    plan = plan_for(req)
    if plan is None:
        raise Incomplete(NO_PLAN)
    approved = approved_at(req)
    if plan.confirmed_at is None or (approved is not None and plan.confirmed_at < approved):
        raise Incomplete(PLAN_OUTDATED)
    if not plan.attachment_ids and not plan.photo_ids:
        raise Incomplete(NOTHING_CHOSEN)
    if plan.pdpa_findings and not plan.pdpa_confirmed:
        raise Incomplete(PDPA_UNCONFIRMED)
    problem = photo_flags_problem(plan.photo_ids, plan.photo_flags)
    if problem:
        raise Incomplete(problem)
    return plan


@receiver(signals.publishing, dispatch_uid="catalog.publishing.check")
def _check_before_publishing(sender, req, **kwargs) -> dict:
    """Refuse a publication without a complete plan; say what was certified, by whom, when."""
    plan = check_ready(req)
    webmaster = plan.webmaster
    return {
        "certified": True,  # the plan page shows the certification the webmaster signs
        "planned_by": webmaster.pk if webmaster else None,
        "planned_by_name": (webmaster.full_name or webmaster.get_username()) if webmaster else "",
        "publish_at": plan.publish_at.isoformat() if plan.publish_at else None,
        "pdpa_findings": plan.pdpa_findings,
        "pdpa_confirmed": plan.pdpa_confirmed,
        "photo_flags": plan.photo_flags,
    }


@receiver(signals.transitioned, dispatch_uid="catalog.publishing.item")
def _item_follows_request(sender, req, decision, **kwargs) -> None:
    if decision.to_state == State.PUBLISHED and decision.from_state == State.APPROVED:
        create_item(req, decision)
    elif decision.to_state == State.UNPUBLISHED:
        withdraw_item(req, decision)
    elif decision.from_state == State.APPROVED:
        # Sent back (or otherwise out of "approved"): what the webmaster checked and scheduled
        # is void, so neither publish_scheduled nor the publish button can act on it.
        plan_void(req)


def create_item(req, decision) -> CatalogItem:
    """Create the public item from the plan, freeze the memo, link a corrected item."""

    plan = check_ready(req)
    now = timezone.now()
    attachments = list(req.attachments.filter(pk__in=plan.attachment_ids))
    photos = list(req.photos.filter(pk__in=plan.photo_ids))
    item = CatalogItem.objects.create(
        request=req,
        title=plan.title,
        slug=make_slug(plan.title),
        summary=plan.summary,
        category=plan.category,
        fiscal_year=plan.fiscal_year,
        unit=req.unit,
        unit_name=req.unit_name or req.unit.name,
        published_at=now,
        memo_is_public=Office.current().memo_is_public,
        file_kinds=sorted({a.kind for a in attachments} | ({"photo"} if photos else set())),
    )
    item.ita_items.set(plan.ita_items.all())
    CatalogFile.objects.bulk_create(
        CatalogFile(
            item=item,
            file=a.file.name,
            original_name=a.original_name,
            kind=a.kind,
            content_type=a.content_type,
            size=a.size,
            sha256=a.sha256,
            order=index,
        )
        for index, a in enumerate(attachments)
    )
    has_cover = any(p.is_cover for p in photos)
    CatalogPhoto.objects.bulk_create(
        CatalogPhoto(
            item=item,
            image=p.image.name,
            thumbnail=p.thumbnail.name,
            width=p.width,
            height=p.height,
            caption=p.caption,
            order=p.order,
            is_cover=p.is_cover or (not has_cover and index == 0),
        )
        for index, p in enumerate(photos)
    )
    item.memo_file.name, item.memo_sha256 = freeze_memo(req)
    item.save(update_fields=["memo_file", "memo_sha256"])
    if req.replaces_id:
        CatalogItem.objects.filter(pk=req.replaces_id).update(replaced_by=item)
    _after_change(item)
    return item


def withdraw_item(req, decision) -> CatalogItem:
    """Take the item down: it keeps its address, which now answers 410 with date and reason."""
    item = CatalogItem.objects.select_for_update().get(request=req)
    item.withdrawn_at = decision.created_at or timezone.now()
    item.withdrawal_reason = decision.comment
    item.save(update_fields=["withdrawn_at", "withdrawal_reason", "updated_at"])
    _after_change(item)
    return item


def _after_change(item) -> None:
    """Hooks for caches and the search index (filled in by those features)."""

    item_changed.send(sender=CatalogItem, item=item)


def findings_fingerprint(findings: list[dict]) -> str:
    """A short digest of a list of findings, so a form can say which findings the webmaster saw."""
    canonical = json.dumps(findings, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:32]


def _memo_texts(req) -> list[tuple[str, str]]:
    """What the public memo prints besides the plan's texts, when the office publishes memos:
    the purpose the requester wrote and the reviewers' comments of the current round."""
    if not Office.current().memo_is_public:
        return []

    label = str(_("บันทึกข้อความ"))
    texts = [(f"{label}: {req._meta.get_field('purpose').verbose_name}", req.purpose)]
    decisions = current_round(list(req.decisions.order_by("created_at", "pk")))
    texts += [
        (f"{label}: {_('ความเห็นของ')} {d.actor_name}", d.comment) for d in decisions if d.comment
    ]
    return texts


def plan_save(
    *,
    req,
    user,
    title: str,
    summary: str,
    category,
    fiscal_year: int,
    ita_items=(),
    attachment_ids=(),
    photo_ids=(),
    publish_at=None,
    pdpa_confirmed: bool | None = None,
    confirmed_fingerprint: str | None = None,
    photo_flags: dict | None = None,
) -> PublishPlan:
    """Record what the webmaster checked; scan everything going public for personal data.

    The findings are stored with the plan. ``pdpa_confirmed`` is the webmaster's "checked, publish
    anyway"; with ``confirmed_fingerprint`` (see :func:`findings_fingerprint`) it only counts if
    the findings are still those the webmaster was shown, since a file added in the same breath
    may bring new ones. Left as ``None`` it keeps an earlier confirmation of the same findings. A
    confirmation never carries over to changed findings, and a publication time is kept only on a
    plan that may be published, so ``publish_scheduled`` never picks up a plan it must refuse.
    ``photo_flags`` are the answers about the photos (:data:`PHOTO_FLAGS`); ``None`` keeps earlier
    answers.
    """
    from catalog.pdpa import scan_publication

    attachments = list(req.attachments.filter(pk__in=list(attachment_ids)))
    photos = list(req.photos.filter(pk__in=list(photo_ids)))
    findings = scan_publication(
        title=title,
        summary=summary,
        attachments=attachments,
        photos=photos,
        extra_texts=_memo_texts(req),
    )
    # The scan (which may read long PDFs) runs before the lock; the writes hold the request's row
    # lock, as request_act does, so a plan never changes under a publication in progress.
    with transaction.atomic():
        locked = PublicationRequest.objects.select_for_update().only("state").get(pk=req.pk)
        if locked.state != State.APPROVED:
            raise AlreadyDecided(ALREADY_DECIDED)
        plan = PublishPlan.objects.filter(request=req).first() or PublishPlan(request=req)
        unchanged = plan.pk is not None and plan.pdpa_findings == findings
        if pdpa_confirmed is None:
            confirmed = unchanged and plan.pdpa_confirmed
        else:
            shown = confirmed_fingerprint is None or (
                confirmed_fingerprint == findings_fingerprint(findings)
            )
            confirmed = pdpa_confirmed and shown
        plan.webmaster = user
        plan.title = title
        plan.summary = summary
        plan.category = category
        plan.fiscal_year = fiscal_year
        plan.attachment_ids = [a.pk for a in attachments]
        plan.photo_ids = [p.pk for p in photos]
        plan.pdpa_findings = findings
        plan.pdpa_confirmed = bool(findings) and bool(confirmed)
        plan.confirmed_at = timezone.now()
        if photo_flags is not None:
            plan.photo_flags = {name: photo_flags.get(name) for name in PHOTO_FLAGS}
        photos_ok = photo_flags_problem(plan.photo_ids, plan.photo_flags) is None
        may_publish = (not findings or plan.pdpa_confirmed) and photos_ok
        plan.publish_at = publish_at if may_publish else None
        plan.save()
        plan.ita_items.set(ita_items)
    req.publish_plan = plan
    return plan


def plan_void(req) -> None:
    """Forget the webmaster's plan (time, chosen files, personal-data confirmation).

    Called for every transition out of "approved" other than publishing itself (see
    ``_item_follows_request``): a request sent back may come back with other files or wording, and
    must then be checked, and scheduled, again. Runs inside the transition's transaction.
    """
    PublishPlan.objects.filter(request_id=req.pk).delete()
    # The request object may have the plan cached (``req.publish_plan``); drop it with the row.
    req._state.fields_cache.pop("publish_plan", None)


# --- scheduled publication -------------------------------------------------------------------


@dataclass
class ScheduledRun:
    """What one run of ``publish_scheduled`` did, by request id."""

    published: list[int] = field(default_factory=list)
    already_done: list[int] = field(default_factory=list)
    failed: list[tuple[int, str]] = field(default_factory=list)


def due_plans(now=None):
    """Plans of still-approved requests whose publication time has come, oldest first."""
    return (
        PublishPlan.objects.filter(
            request__state=State.APPROVED, publish_at__lte=now or timezone.now()
        )
        .select_related("webmaster")
        .order_by("publish_at", "pk")
    )


def publish_due(*, now=None) -> ScheduledRun:
    """Publish every request whose planned time has come, as the webmaster who planned it.

    Safe to run from several machines at once: the service locks the request row and checks it
    is still approved, so whoever comes second gets ``AlreadyDecided`` and counts it as done.
    Anything else that stops a publication (the webmaster lost the role, the plan no longer
    passes its checks) is reported, and the request stays approved for a person to look at.
    """
    run = ScheduledRun()
    for plan in list(due_plans(now)):
        try:
            request_publish(
                request_id=plan.request_id,
                user=plan.webmaster,
                expected_state=State.APPROVED,
                via=SCHEDULED,
            )
        except errors.AlreadyDecided:
            run.already_done.append(plan.request_id)
        except errors.WorkflowError as exc:
            run.failed.append((plan.request_id, str(exc.message)))
        else:
            run.published.append(plan.request_id)
    return run


# --- corrections -----------------------------------------------------------------------------

NOT_ORIGINAL_REQUESTER = _("ขอแก้ไขรายการที่เผยแพร่แล้วได้เฉพาะผู้ขออนุญาตเดิมของรายการนั้น")
ALREADY_REPLACED = _("รายการนี้มีฉบับแก้ไขเผยแพร่แทนแล้ว")


def open_correction(item, user):
    """The user's correction of ``item`` that is still on its way, if any."""

    return (
        item.correction_requests.filter(requester=user)
        .exclude(state__in=(*FINAL, State.PUBLISHED))
        .order_by("-pk")
        .first()
    )


@transaction.atomic
def item_correct(*, item, user):
    """A new draft, copied from the request behind ``item``, that replaces the item once it is
    published (``create_item`` links ``item.replaced_by``).

    Only the original requester may ask: the copy carries their memo and files. A second click
    returns the correction already under way instead of starting another.
    """

    item = (
        CatalogItem.objects.select_for_update(of=("self",))
        .select_related("request")
        .get(pk=item.pk)
    )
    if item.request is None or item.request.requester_id != user.pk:
        raise NotAllowed(NOT_ORIGINAL_REQUESTER)
    if item.replaced_by_id:
        raise Incomplete(ALREADY_REPLACED)
    existing = open_correction(item, user)
    if existing is not None:
        return existing
    draft = request_copy(source=item.request, user=user)
    draft.replaces = item
    draft.save(update_fields=["replaces"])
    return draft
