"""Turning an approved request into a public catalog item, and taking it down again.

Called only from :func:`approvals.services.request_act` inside its transaction, right after the
``publish``/``unpublish`` transition, so the item and the request's state can never disagree.
The item copies what the webmaster checked in the :class:`~catalog.models.PublishPlan`; nothing
else of the request (comments, history, unchosen files) is reachable from it.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from approvals.errors import Incomplete
from catalog.models import CatalogFile, CatalogItem, CatalogPhoto, PublishPlan
from esa_publish.office.models import Office

NO_PLAN = _("กรุณาตรวจสอบและบันทึกรายละเอียดการเผยแพร่ก่อน")
NOTHING_CHOSEN = _("กรุณาเลือกไฟล์หรือภาพที่จะเผยแพร่อย่างน้อย ๑ รายการ")
PDPA_UNCONFIRMED = _("พบข้อมูลที่อาจเป็นข้อมูลส่วนบุคคล กรุณาตรวจสอบและยืนยันก่อนเผยแพร่")


def make_slug(title: str) -> str:
    """A readable Thai slug ("ประชาสัมพันธ์-กิจกรรม"), cut to fit; "-" when nothing is left."""
    return slugify(title, allow_unicode=True)[:100].strip("-") or "-"


def plan_for(req) -> PublishPlan | None:
    try:
        return req.publish_plan
    except PublishPlan.DoesNotExist:
        return None


def check_ready(req) -> PublishPlan:
    """Raise :class:`Incomplete` unless the webmaster's plan is there and complete."""
    plan = plan_for(req)
    if plan is None:
        raise Incomplete(NO_PLAN)
    if not plan.attachment_ids and not plan.photo_ids:
        raise Incomplete(NOTHING_CHOSEN)
    if plan.pdpa_findings and not plan.pdpa_confirmed:
        raise Incomplete(PDPA_UNCONFIRMED)
    return plan


def create_item(req, decision) -> CatalogItem:
    """Create the public item from the plan, freeze the memo, link a corrected item."""
    from requests.memo.freeze import freeze_memo

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
    from catalog import signals

    signals.item_changed.send(sender=CatalogItem, item=item)


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
    pdpa_confirmed: bool = False,
) -> PublishPlan:
    """Record what the webmaster checked; scan everything going public for personal data.

    The findings are stored with the plan. A confirmation given for an earlier scan does not carry
    over when the findings change.
    """
    from catalog.pdpa import scan_publication

    attachments = list(req.attachments.filter(pk__in=list(attachment_ids)))
    photos = list(req.photos.filter(pk__in=list(photo_ids)))
    findings = scan_publication(
        title=title, summary=summary, attachments=attachments, photos=photos
    )
    plan = plan_for(req) or PublishPlan(request=req)
    unchanged = plan.pk is not None and plan.pdpa_findings == findings
    plan.webmaster = user
    plan.title = title
    plan.summary = summary
    plan.category = category
    plan.fiscal_year = fiscal_year
    plan.attachment_ids = [a.pk for a in attachments]
    plan.photo_ids = [p.pk for p in photos]
    plan.publish_at = publish_at
    plan.pdpa_findings = findings
    plan.pdpa_confirmed = bool(findings) and (pdpa_confirmed or (unchanged and plan.pdpa_confirmed))
    plan.save()
    plan.ita_items.set(ita_items)
    return plan
