"""The webmaster's pages: what waits to be published, the publishing plan, taking an item down;
and, for the person who asked for an item, starting its correction.

As elsewhere, the views fetch what the user may see (404 otherwise), hand the work to
``catalog.publishing`` and ``approvals.services``, and turn domain errors into messages. The
publishing pages are the webmaster step's own: anyone who does not hold it (in their own right or
by delegation) gets 404 there, as if the pages did not exist.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from approvals import errors
from approvals.models import Capacity
from approvals.permissions import find_action, held_roles
from approvals.principals import principals_for
from approvals.selectors import pending_requests, visible_requests
from approvals.services import request_publish, request_unpublish
from approvals.views import PUBLISH_COMMENT_KEY
from catalog import publishing
from catalog.models import CatalogItem
from catalog.staff_forms import (
    INTENT_CHECK,
    INTENT_PUBLISH,
    INTENT_SCHEDULE,
    PlanForm,
    TakedownForm,
)
from esa_publish.office import roles
from esa_publish.office.models import Office
from esa_publish.thai.dates import format_be_datetime
from requests.services import can_edit
from requests.states import State

RECENT_ITEMS = 30


def _webmaster_principals(user) -> list:
    """The user's principals, or 403 unless one of them works as a webmaster today (the same
    answer that offers the menu entry: ``approvals.permissions.held_roles``)."""
    principals = principals_for(user)
    if roles.WEBMASTER not in held_roles(principals):
        raise PermissionDenied(errors.NOT_ALLOWED)
    return principals


def _acting_for(allowed) -> str:
    """ "ในฐานะ รักษาราชการแทน <name>" when the user acts for someone else, else ""."""
    if allowed is None or allowed.principal.is_self:
        return ""
    person = allowed.principal.user
    return _("ในฐานะ %(capacity)s %(name)s") % {
        "capacity": Capacity(allowed.principal.capacity).label,
        "name": person.full_name or person.get_username(),
    }


@login_required
@require_safe
def queue(request):
    """รอเผยแพร่: approved requests (scheduled ones with their time) and recent items."""
    user = request.user
    principals = _webmaster_principals(user)
    approved = (
        pending_requests(user, principals=principals)
        .filter(state=State.APPROVED)
        .select_related("unit", "category", "requester", "publish_plan")
        .order_by(F("state_changed_at").asc(nulls_last=True), "pk")
    )
    waiting, scheduled = [], []
    for req in approved:
        plan = publishing.plan_for(req)
        allowed = find_action(user, req, "webmaster.publish", principals=principals)
        row = {"req": req, "plan": plan, "acting_for": _acting_for(allowed)}
        (scheduled if plan and plan.publish_at else waiting).append(row)
    scheduled.sort(key=lambda row: row["plan"].publish_at)
    recent = CatalogItem.objects.select_related("category", "replaced_by").order_by(
        "-published_at", "-pk"
    )[:RECENT_ITEMS]
    context = {"waiting": waiting, "scheduled": scheduled, "recent": recent}
    return render(request, "catalog/staff/queue.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def plan(request, request_pk: int):
    """The publishing plan of one approved request: check, then publish now or at a set time."""
    user = request.user
    principals = principals_for(user)
    # Outsiders 404 (they may not know the request exists); insiders who are no webmaster 403.
    req = get_object_or_404(
        visible_requests(user, principals=principals).select_related(
            "unit", "category", "requester"
        ),
        pk=request_pk,
    )
    if roles.WEBMASTER not in held_roles(principals):
        raise PermissionDenied(errors.NOT_ALLOWED)
    if req.state != State.APPROVED:
        messages.warning(request, _("คำขอนี้ไม่ได้อยู่ในขั้นรอเผยแพร่"))
        return redirect("requests:detail", pk=req.pk)
    allowed = find_action(user, req, "webmaster.publish", principals=principals)
    if allowed is None:
        raise PermissionDenied(errors.NOT_ALLOWED)
    current = publishing.plan_for(req)
    if request.method != "POST":
        form = PlanForm(req=req, plan=current)
        return _render_plan(request, req, form, current, allowed)

    intent = request.POST.get("intent", INTENT_CHECK)
    if intent not in (INTENT_CHECK, INTENT_PUBLISH, INTENT_SCHEDULE):
        return HttpResponseBadRequest(_("คำสั่งไม่ถูกต้อง"))
    form = PlanForm(request.POST, req=req, plan=current)
    if not form.is_valid():
        return _render_plan(request, req, form, current, allowed, status=400)
    publish_at = form.publish_at(intent)
    if form.errors:
        return _render_plan(request, req, form, current, allowed, status=400)
    data = form.cleaned_data
    try:
        saved = _save(
            req, user, data, publish_at, request.POST.get("seen_findings", ""), form.photo_flags()
        )
    except errors.AlreadyDecided as exc:  # published or sent back in the meantime
        messages.warning(request, exc.message)
        return redirect("requests:detail", pk=req.pk)
    if intent == INTENT_CHECK:
        if saved.pdpa_findings:
            messages.warning(request, _("บันทึกแล้ว พบข้อมูลที่อาจเป็นข้อมูลส่วนบุคคล กรุณาตรวจสอบ"))
        else:
            messages.success(request, _("บันทึกแล้ว ไม่พบเลขประจำตัวประชาชนหรือหมายเลขโทรศัพท์"))
        return redirect("publishing:plan", request_pk=req.pk)
    if saved.pdpa_findings and not saved.pdpa_confirmed:
        # The plan is saved; only the confirmation is missing, so no "could not save" summary.
        messages.error(request, publishing.PDPA_UNCONFIRMED)
        form.add_error("pdpa_confirmed", publishing.PDPA_UNCONFIRMED)
        return _render_plan(request, req, form, saved, allowed, status=400, summary=False)
    if intent == INTENT_SCHEDULE:
        messages.success(
            request,
            _("กำหนดเผยแพร่ “%(title)s” เมื่อ %(when)s แล้ว")
            % {"title": saved.title, "when": format_be_datetime(saved.publish_at)},
        )
        return redirect("publishing:queue")
    try:
        request_publish(
            request_id=req.pk,
            user=user,
            comment=request.POST.get("comment", ""),
            expected_state=State.APPROVED,
            via="publishing_page",
        )
    except errors.NotAllowed as exc:
        raise PermissionDenied(str(exc.message)) from None
    except errors.AlreadyDecided as exc:
        messages.warning(request, exc.message)
        return redirect("requests:detail", pk=req.pk)
    except errors.Incomplete as exc:
        messages.error(request, exc.message)
        return redirect("publishing:plan", request_pk=req.pk)
    request.session.pop(PUBLISH_COMMENT_KEY % req.pk, None)
    messages.success(request, _("เผยแพร่ “%(title)s” บนเว็บไซต์แล้ว") % {"title": saved.title})
    return redirect("publishing:queue")


def _save(req, user, data: dict, publish_at, seen_findings: str, photo_flags: dict):
    return publishing.plan_save(
        req=req,
        user=user,
        title=data["title"],
        summary=data["summary"],
        category=data["category"],
        fiscal_year=data["fiscal_year"],
        ita_items=data["ita_items"],
        attachment_ids=[a.pk for a in data["attachments"]],
        photo_ids=[p.pk for p in data["photos"]],
        publish_at=publish_at,
        pdpa_confirmed=data["pdpa_confirmed"],
        confirmed_fingerprint=seen_findings,
        photo_flags=photo_flags,
    )


def _render_plan(request, req, form, current, allowed, status: int = 200, summary: bool = True):
    findings = current.pdpa_findings if current else []
    context = {
        "req": req,
        "form": form,
        "error_summary": summary,
        "plan": current,
        "findings": findings,
        "seen_findings": publishing.findings_fingerprint(findings) if current else "",
        "acting_for": _acting_for(allowed),
        "preview_url": reverse("requests:preview", args=[req.pk]),
        "detail_url": reverse("requests:detail", args=[req.pk]),
        "certification": _certification(),
        # Typed beside the publish button on the request page, or posted here before.
        "comment": request.POST.get("comment")
        if request.method == "POST"
        else request.session.get(PUBLISH_COMMENT_KEY % req.pk, ""),
    }
    return render(request, "catalog/staff/plan.html", context, status=status)


def _certification() -> str:

    return _(
        "ข้าพเจ้าขอรับรองว่าข้อมูลที่ได้รับ ผ่านการตรวจสอบความถูกต้องเรียบร้อยแล้ว"
        " และขออนุญาตเผยแพร่บนเว็บไซต์ของ%(office)s"
    ) % {"office": Office.current().name_th}


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def takedown(request, item_pk: int):
    """Take a published item off the website, with a reason the public page will show."""
    user = request.user
    item = get_object_or_404(
        CatalogItem.objects.select_related("category"), pk=item_pk, request__isnull=False
    )
    principals = principals_for(user)
    req = get_object_or_404(visible_requests(user, principals=principals), pk=item.request_id)
    if req.state != State.PUBLISHED or item.is_withdrawn:
        messages.info(request, _("รายการนี้ถอดออกจากการเผยแพร่แล้ว"))
        return redirect("requests:detail", pk=req.pk)
    allowed = find_action(user, req, "webmaster.unpublish", principals=principals)
    if allowed is None:
        raise PermissionDenied(errors.NOT_ALLOWED)
    form = TakedownForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            request_unpublish(
                request_id=req.pk,
                user=user,
                comment=form.cleaned_data["reason"],
                expected_state=State.PUBLISHED,
            )
        except errors.NotAllowed as exc:
            raise PermissionDenied(str(exc.message)) from None
        except errors.AlreadyDecided as exc:
            messages.warning(request, exc.message)
            return redirect("requests:detail", pk=req.pk)
        except errors.Incomplete as exc:
            form.add_error("reason", exc.message)
        else:
            messages.success(
                request, _("ถอด “%(title)s” ออกจากการเผยแพร่แล้ว") % {"title": item.title}
            )
            return redirect("publishing:queue")
    context = {"item": item, "req": req, "form": form, "acting_for": _acting_for(allowed)}
    status = 400 if form.errors else 200
    return render(request, "catalog/staff/takedown.html", context, status=status)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def correct(request, item_pk: int):
    """Start a corrected version of a published item: for the person who asked for the item.

    GET asks for confirmation; POST copies the item's request as a new draft that will replace
    the item when it is published, and opens it for editing.
    """
    item = get_object_or_404(
        CatalogItem.objects.select_related("request", "category"),
        pk=item_pk,
        request__isnull=False,
    )
    # Outsiders 404; insiders who did not ask for the item 403 (only its requester corrects it).
    get_object_or_404(visible_requests(request.user), pk=item.request_id)
    if item.request.requester_id != request.user.pk:
        raise PermissionDenied(publishing.NOT_ORIGINAL_REQUESTER)
    existing = publishing.open_correction(item, request.user)
    if request.method != "POST":
        context = {"item": item, "existing": existing}
        return render(request, "catalog/staff/correct.html", context)
    try:
        draft = publishing.item_correct(item=item, user=request.user)
    except errors.NotAllowed as exc:
        raise PermissionDenied(str(exc.message)) from None
    except errors.Incomplete as exc:
        messages.error(request, exc.message)
        return redirect("publishing:correct", item_pk=item.pk)
    if existing is not None and draft.pk == existing.pk:
        messages.info(request, _("มีคำขอแก้ไขรายการนี้อยู่แล้ว เปิดคำขอเดิมให้"))
    else:
        messages.success(request, _("คัดลอกเป็นร่างคำขอฉบับแก้ไขแล้ว กรุณาแก้ไขแล้วยื่นคำขอตามขั้นตอนเดิม"))
    # A correction already filed goes to its page; only a draft can be edited.
    if not can_edit(request.user, draft):
        return redirect("requests:detail", pk=draft.pk)
    return redirect("requests:edit", pk=draft.pk)
