"""The requester's pages and the request page everyone involved shares.

Every view starts from :func:`approvals.selectors.visible_requests`: a request the user may not
see answers 404, whatever the URL. Changing content is for the requester while the request is a
draft or sent back (``requests.services.can_edit``); anyone else who can see it gets 403.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from approvals import steps
from approvals.actions import HISTORY_LABELS, verdict_label
from approvals.errors import Incomplete, NotAllowed
from approvals.models import Capacity, Decision
from approvals.permissions import request_permissions
from approvals.selectors import round_opinions, visible_requests, why_here
from requests import services
from requests.forms import CreateRequestForm, PhotoSetForm, RequestForm, UploadForm
from requests.models import Attachment, FileFormat, Photo, PublicationRequest, RequestEvent
from requests.states import State
from requests.uploads import UploadRejected, content_disposition
from requests.validation import submission_problems

PAGE_SIZE = 25
FROZEN_MEMO_STATES = ("published", "unpublished")
PHOTO_TYPES = {"jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png"}


def is_overdue(req, today: dt.date) -> bool:
    due = steps.reviewer_due_on(req)
    return due is not None and due < today


def _get_visible(request, pk: int, *, full: bool = False) -> PublicationRequest:
    """The request ``pk`` if this user may see it, else 404; ``full`` loads files and history."""
    qs = visible_requests(request.user).select_related("unit", "category", "requester")
    if full:
        qs = qs.prefetch_related(
            "attachments",
            "photos",
            "ita_items",
            Prefetch("decisions", queryset=Decision.objects.order_by("created_at", "pk")),
            Prefetch("events", queryset=RequestEvent.objects.order_by("created_at", "pk")),
        )
    return get_object_or_404(qs, pk=pk)


def _history(req) -> list[tuple]:
    """The requester's events and the workflow's decisions, by time, each with its label and
    the verdict in its step's words (a deputy's opinion reads as an opinion)."""
    rows = [(e, e.get_action_display(), "") for e in req.events.all()]
    rows += [
        (d, HISTORY_LABELS.get(d.action, d.action), verdict_label(d.action))
        for d in req.decisions.all()
    ]
    return sorted(rows, key=lambda row: row[0].created_at)


def _get_editable(request, pk: int, *, full: bool = False) -> PublicationRequest:
    req = _get_visible(request, pk, full=full)
    if not services.can_edit(request.user, req):
        raise PermissionDenied(services.NOT_EDITABLE)
    return req


@login_required
@require_safe
def mine(request):
    """คำขอของฉัน: the user's own requests, most recently changed first."""
    requests_ = (
        PublicationRequest.objects.with_list_data()
        .filter(requester=request.user)
        .order_by("-updated_at", "-pk")
    )
    page = Paginator(requests_, PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    rows = [(req, steps.reviewer_due_on(req), is_overdue(req, today)) for req in page.object_list]
    return render(request, "requests/mine.html", {"page": page, "rows": rows})


@login_required
def create(request):
    """A new draft, with its first files; nothing is stored unless every file is accepted."""
    if request.method == "POST":
        form = CreateRequestForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                req = _create_with_files(request.user, form)
            except Incomplete as exc:
                form.add_error(None, exc.message)
            except UploadRejected as exc:
                form.add_error(exc.field, exc)
            else:
                messages.success(request, _("บันทึกร่างคำขอแล้ว"))
                return redirect("requests:detail", pk=req.pk)
    else:
        form = CreateRequestForm()
    # Browsers never refill a file input, so files chosen for a refused form must be chosen again.
    files_dropped = request.method == "POST" and bool(request.FILES)
    return render(request, "requests/form.html", {"form": form, "files_dropped": files_dropped})


def _create_with_files(user, form) -> PublicationRequest:
    """Draft and files in one transaction, so a file the services refuse leaves no draft behind.

    The form has already checked the files; the services check again and may still refuse one
    (another upload raced us to the request's limit). ``field`` on the error says which input
    it belongs to.
    """
    with transaction.atomic():
        req = services.request_create(
            user=user, data=form.request_data(), ita_items=form.cleaned_data["ita_items"]
        )
        _add_files(req, user, form)
    return req


def _add_files(req, user, form) -> None:
    captions = form.cleaned_data.get("photo_captions") or []
    for field, add, extra in (
        ("attachments", services.attachments_add, {}),
        ("photos", services.photos_add, {"captions": captions}),
    ):
        files = form.cleaned_data.get(field) or []
        if not files:
            continue
        try:
            add(req=req, user=user, files=files, **extra)
        except UploadRejected as exc:
            exc.field = field
            raise


@login_required
@require_safe
def detail(request, pk: int):
    """The request page: the memo's content, files, history and what this user may do now."""
    req = _get_visible(request, pk, full=True)
    user = request.user
    # Once published, the request page leads to the public page and, for the requester, to a
    # corrected version (a new request that replaces the item when it is published).
    item = getattr(req, "catalog_item", None) if req.state == State.PUBLISHED else None
    live = item is not None and not item.is_withdrawn and item.published_at <= timezone.now()
    # Every button and link below comes from this one answer.
    perms = request_permissions(user, req, item=item if live else None)
    actions = [
        {"action": allowed.action, "acting_for": _acting_for(allowed.principal)}
        for allowed in perms.actions
    ]
    decisions = list(req.decisions.all())
    step = steps.STEPS.get(req.state)
    context = {
        # First on the page: who sent it back or refused it, when and why.
        "why": why_here(req, decisions),
        # Before one's own buttons: what the earlier reviewers of this round said.
        "opinions": [(d, verdict_label(d.action)) for d in round_opinions(decisions)]
        if step is not None and step.reviewer
        else [],
        "due_on": steps.reviewer_due_on(req),
        "published_item": item if live else None,
        "req": req,
        "attachments": req.attachments.all(),
        "photos": req.photos.all(),
        "history": _history(req),
        "actions": actions,
        "perms": perms,
        "can_edit": perms.edit,
        "problems": submission_problems(req) if perms.edit else [],
        "overdue": is_overdue(req, timezone.localdate()),
        "memo_url": reverse("requests:memo", args=[req.pk]) if perms.memo else "",
        # The webmaster chooses what goes public on the plan page before publishing.
        "publish_plan_url": reverse("publishing:plan", args=[req.pk]) if perms.publish_plan else "",
        "file_formats": [FileFormat(v).label for v in req.all_file_formats()],
    }
    return render(request, "requests/detail.html", context)


def _acting_for(principal) -> str:
    """ "ในฐานะ ปฏิบัติราชการแทน <name>" when the user would act in someone else's place."""
    if principal.is_self:
        return ""
    person = principal.user
    return _("ในฐานะ %(capacity)s %(name)s") % {
        "capacity": Capacity(principal.capacity).label,
        "name": person.full_name or person.get_username(),
    }


@login_required
def edit(request, pk: int):
    """The requester corrects the draft: content, new files, photo captions, removals.

    The page is one form, so whichever of its buttons is pressed, everything typed is saved
    together (or, when something is refused, shown again with the problem): the main button
    returns to the request page, the others (upload, save the photo set, remove a file or
    photo) come back here.
    """
    req = _get_editable(request, pk, full=True)
    if request.method != "POST":
        return _render_edit(request, req)
    photos = list(req.photos.all())
    existing = [*req.attachments.all(), *photos]
    form = RequestForm(request.POST, req=req)
    upload_form = UploadForm(
        request.POST,
        request.FILES,
        existing_count=len(existing),
        existing_bytes=sum(item.size for item in existing),
        files_required=False,
    )
    photo_form = PhotoSetForm(request.POST, photos=photos) if photos else None
    checked = [f.is_valid() for f in (form, upload_form, photo_form) if f is not None]
    if all(checked):
        try:
            with transaction.atomic():
                _save_edit(request, req, form, upload_form, photo_form)
        except UploadRejected as exc:
            upload_form.add_error(exc.field, exc)
        except (Attachment.DoesNotExist, Photo.DoesNotExist):
            raise Http404 from None
        else:
            return _after_edit(request, req)
    return _render_edit(
        request,
        req,
        form=form,
        upload_form=upload_form,
        photo_form=photo_form,
        files_dropped=bool(request.FILES),
    )


def _save_edit(request, req, form, upload_form, photo_form) -> None:
    user = request.user
    services.request_update(
        req=req, user=user, data=form.request_data(), ita_items=form.cleaned_data["ita_items"]
    )
    if photo_form is not None:
        services.photos_update(req=req, user=user, rows=photo_form.service_rows())
    _add_files(req, user, upload_form)
    if upload_form.has_files:
        count = len(upload_form.cleaned_data["attachments"]) + len(
            upload_form.cleaned_data["photos"]
        )
        messages.success(request, _("เพิ่มไฟล์แล้ว %(count)s รายการ") % {"count": count})
    for key, remove, done in (
        ("delete_attachment", services.attachment_remove, _("ลบไฟล์แนบแล้ว")),
        ("delete_photo", services.photo_remove, _("ลบภาพแล้ว")),
    ):
        value = request.POST.get(key, "")
        if value:
            if not value.isdigit():
                raise Attachment.DoesNotExist
            field = "attachment_id" if key == "delete_attachment" else "photo_id"
            remove(req=req, user=user, **{field: int(value)})
            messages.success(request, done)


# Buttons that save and come back to a part of the edit page, by their name="next" value.
EDIT_ANCHORS = {"files": "#files", "photos": "#photos"}


def _after_edit(request, req):
    anchor = EDIT_ANCHORS.get(request.POST.get("next", ""))
    if request.POST.get("delete_attachment"):
        anchor = "#files"
    elif request.POST.get("delete_photo"):
        anchor = "#photos"
    if anchor == "#photos":
        messages.success(request, _("บันทึกคำบรรยายและลำดับภาพแล้ว"))
    else:
        messages.success(request, _("บันทึกการแก้ไขแล้ว"))
    if anchor:
        return redirect(reverse("requests:edit", args=[req.pk]) + anchor)
    return redirect("requests:detail", pk=req.pk)


def _render_edit(
    request, req, *, form=None, upload_form=None, photo_form=None, files_dropped=False
):
    attachments = list(req.attachments.all())
    photos = list(req.photos.all())
    context = {
        "req": req,
        "form": form or RequestForm(req=req),
        "upload_form": upload_form or UploadForm(files_required=False),
        "photo_form": photo_form or (PhotoSetForm(photos=photos) if photos else None),
        "attachments": attachments,
        "photos": photos,
        "problems": submission_problems(req),
        "files_dropped": files_dropped,
    }
    return render(request, "requests/edit.html", context)


@login_required
@require_POST
def upload(request, pk: int):
    """More attachments and photos for a draft: all of the batch is stored, or none of it."""
    req = _get_editable(request, pk, full=True)
    existing = [*req.attachments.all(), *req.photos.all()]
    form = UploadForm(
        request.POST,
        request.FILES,
        existing_count=len(existing),
        existing_bytes=sum(item.size for item in existing),
    )
    if form.is_valid():
        try:
            with transaction.atomic():
                _add_files(req, request.user, form)
        except UploadRejected as exc:
            form.add_error(exc.field, exc)
        else:
            count = len(form.cleaned_data["attachments"]) + len(form.cleaned_data["photos"])
            messages.success(request, _("เพิ่มไฟล์แล้ว %(count)s รายการ") % {"count": count})
            return redirect(reverse("requests:edit", args=[req.pk]) + "#files")
    return _render_edit(request, req, upload_form=form, files_dropped=bool(request.FILES))


@login_required
@require_POST
def photos_update(request, pk: int):
    req = _get_editable(request, pk, full=True)
    form = PhotoSetForm(request.POST, photos=req.photos.all())
    if not form.is_valid():
        return _render_edit(request, req, photo_form=form)
    services.photos_update(req=req, user=request.user, rows=form.service_rows())
    messages.success(request, _("บันทึกคำบรรยายและลำดับภาพแล้ว"))
    return redirect(reverse("requests:edit", args=[req.pk]) + "#photos")


@login_required
@require_POST
def attachment_delete(request, pk: int, attachment_id: int):
    req = _get_editable(request, pk)
    try:
        services.attachment_remove(req=req, user=request.user, attachment_id=attachment_id)
    except Attachment.DoesNotExist:
        raise Http404 from None
    messages.success(request, _("ลบไฟล์แนบแล้ว"))
    return redirect(reverse("requests:edit", args=[req.pk]) + "#files")


@login_required
@require_POST
def photo_delete(request, pk: int, photo_id: int):
    req = _get_editable(request, pk)
    try:
        services.photo_remove(req=req, user=request.user, photo_id=photo_id)
    except Photo.DoesNotExist:
        raise Http404 from None
    messages.success(request, _("ลบภาพแล้ว"))
    return redirect(reverse("requests:edit", args=[req.pk]) + "#photos")


@login_required
@require_safe
def preview(request, pk: int):
    """How the public catalog page will show the request once published."""
    req = _get_visible(request, pk, full=True)
    context = {
        "req": req,
        "attachments": [a for a in req.attachments.all() if a.is_public],
        "photos": [p for p in req.photos.all() if p.is_public],
        # Published items carry their publication date; until then, the wished date or today.
        "shown_date": req.wished_publish_date or timezone.localdate(),
    }
    return render(request, "requests/preview.html", context)


@login_required
@require_POST
def copy(request, pk: int):
    """A new draft from an earlier request of the user's (the same memo filed again)."""
    source = _get_visible(request, pk)
    try:
        req = services.request_copy(source=source, user=request.user)
    except NotAllowed as exc:
        raise PermissionDenied(exc.message) from None
    messages.success(request, _("คัดลอกเป็นร่างคำขอใหม่แล้ว กรุณาตรวจสอบและแก้ไขก่อนยื่น"))
    return redirect("requests:edit", pk=req.pk)


def _file_response(field, *, content_type: str, name: str, inline: bool) -> FileResponse:
    """Stream a stored file with headers that stop browsers guessing its type or caching it
    where others could read it."""
    if not field:
        raise Http404
    try:
        handle = field.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, as_attachment=not inline, content_type=content_type)
    response["Content-Disposition"] = content_disposition(name, inline=inline)
    response["X-Content-Type-Options"] = "nosniff"
    # Never kept by the browser either (a shared office computer); the middleware
    # NoStoreWhenSignedInMiddleware says the same for every answer to a signed-in user.
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_safe
def attachment(request, pk: int, attachment_id: int):
    req = _get_visible(request, pk)
    item = get_object_or_404(req.attachments, pk=attachment_id)
    return _file_response(
        item.file, content_type=item.content_type, name=item.original_name, inline=False
    )


@login_required
@require_safe
def attachment_thumb(request, pk: int, attachment_id: int):
    req = _get_visible(request, pk)
    item = get_object_or_404(req.attachments, pk=attachment_id)
    return _file_response(
        item.thumbnail, content_type="image/jpeg", name=item.original_name, inline=True
    )


@login_required
@require_safe
def photo(request, pk: int, photo_id: int, size: str):
    if size not in ("full", "thumb"):
        raise Http404
    req = _get_visible(request, pk)
    item = get_object_or_404(req.photos, pk=photo_id)
    field = item.image if size == "full" else item.thumbnail
    extension = field.name.rsplit(".", 1)[-1].lower() if field else ""
    content_type = PHOTO_TYPES.get(extension)
    if content_type is None:
        raise Http404
    return _file_response(field, content_type=content_type, name=item.original_name, inline=True)


@login_required
@require_safe
def memo(request, pk: int):
    """The memo as a PDF at any state: the stored final copy once published, otherwise rendered
    now (watermarked "ร่าง" until the director allows)."""
    from django.http import HttpResponse

    from requests.memo.freeze import render_for

    req = _get_visible(request, pk, full=True)
    name = f"บันทึกข้อความ-{req.doc_number.replace('/', '-') if req.doc_number else req.pk}.pdf"
    item = getattr(req, "catalog_item", None) if req.state in FROZEN_MEMO_STATES else None
    if item is not None and item.memo_file:
        return _file_response(
            item.memo_file, content_type="application/pdf", name=name, inline=True
        )
    response = HttpResponse(render_for(req), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition(name, inline=True)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
