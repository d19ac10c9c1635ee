"""Writes to requests that are not workflow transitions: drafts, their files and photos, copies.

Only the requester changes a request's content, and only while it is a draft or sent back.
Files are checked before anything is stored: a batch with one bad file stores none of them.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from contextlib import contextmanager

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Count, Max, Sum
from django.utils.translation import gettext_lazy as _

from requests.errors import Incomplete, NotAllowed
from requests.models import Attachment, Photo, PublicationRequest, RequestEvent
from requests.states import EDITABLE
from requests.uploads import (
    IMAGE_KINDS,
    check_file_count,
    check_request_total,
    check_upload,
    generated_name,
    process_image,
)

NO_UNIT = _("บัญชีของท่านยังไม่ได้กำหนดกลุ่ม/หน่วย กรุณาติดต่อผู้ดูแลระบบ")
NOT_EDITABLE = _("แก้ไขคำขอได้เฉพาะเมื่อเป็นร่างหรือถูกส่งกลับให้แก้ไข โดยผู้ขออนุญาตเท่านั้น")
PHOTO_NOT_IMAGE = _(
    'ไฟล์ "%(name)s" ไม่ใช่ภาพ (JPEG, PNG, HEIC, WebP, TIFF หรือ GIF) ชุดภาพกิจกรรมรับเฉพาะภาพ'
)

EDITABLE_FIELDS = (
    "publish_title",
    "purpose",
    "category",
    "file_formats",
    "channel",
    "channel_email",
    "channel_other",
    "urgency",
    "wished_publish_date",
    "public_title",
    "public_summary",
    "addressee",
)


def can_edit(user, req) -> bool:
    return req.state in EDITABLE and req.requester_id == getattr(user, "pk", None)


def _require_editable(user, req) -> None:
    if not can_edit(user, req):
        raise NotAllowed(NOT_EDITABLE)


def _record(req, user, action: str, **details) -> None:
    """The one writer of :class:`RequestEvent` (the workflow's transitions are decisions)."""
    RequestEvent.objects.create(
        request=req,
        action=action,
        state=req.state,
        actor=user,
        actor_name=user.full_name or user.get_username(),
        actor_position=user.position_title,
        details=details,
    )


@transaction.atomic
def request_create(*, user, data: dict, ita_items: Iterable = ()) -> PublicationRequest:
    """A new draft in the user's unit."""
    if user.unit_id is None:
        raise Incomplete(NO_UNIT)
    req = PublicationRequest(requester=user, unit_id=user.unit_id)
    for field in EDITABLE_FIELDS:
        if field in data:
            setattr(req, field, data[field])
    if not req.public_title:
        req.public_title = req.publish_title
    req.save()
    req.ita_items.set(ita_items)
    _record(req, user, "create")
    return req


@transaction.atomic
def request_update(
    *, req, user, data: dict, ita_items: Iterable | None = None
) -> PublicationRequest:
    _require_editable(user, req)
    changed = []
    for field in EDITABLE_FIELDS:
        if field in data and getattr(req, field) != data[field]:
            setattr(req, field, data[field])
            changed.append(field)
    req.save()
    if ita_items is not None:
        before = set(req.ita_items.values_list("pk", flat=True))
        req.ita_items.set(ita_items)
        if before != set(req.ita_items.values_list("pk", flat=True)):
            changed.append("ita_items")
    if changed:
        _record(req, user, "edit", fields=changed)
    return req


def _current_totals(req) -> tuple[int, int]:
    a = req.attachments.aggregate(n=Count("pk"), total=Sum("size"))
    p = req.photos.aggregate(n=Count("pk"), total=Sum("size"))
    return a["n"] + p["n"], (a["total"] or 0) + (p["total"] or 0)


def _check_batch(req, files: Sequence) -> list:
    count, total = _current_totals(req)
    check_file_count(count, len(files))
    checked = [check_upload(f) for f in files]
    check_request_total(total, [c.size for c in checked])
    return checked


def _lock_and_recheck(req, user, sizes: Sequence[int]) -> None:
    """Lock the request's row, then check the file count and total again before inserting.

    ``_check_batch`` runs before the lock (reading files is slow); on its own it let parallel
    uploads each see the same count and together pass the limits (28 files + 6 parallel posts
    made 33). Under the lock the second post waits for the first to commit and then counts its
    files. The state is checked again too: the request may have been submitted meanwhile.
    """
    locked = (
        PublicationRequest.objects.select_for_update().only("state", "requester").get(pk=req.pk)
    )
    _require_editable(user, locked)
    count, total = _current_totals(req)
    check_file_count(count, len(sizes))
    check_request_total(total, sizes)


def _storage_dir(req) -> str:
    return f"private/requests/{req.pk}"


@contextmanager
def _remove_files_on_error():
    """Yield a list to note stored file names in; if the block fails, delete those files, so a
    batch that fails half-way leaves nothing on disk (the rows roll back with the transaction)."""
    names: list[str] = []
    try:
        yield names
    except BaseException:
        for name in names:
            default_storage.delete(name)
        raise


def attachments_add(*, req, user, files: Sequence) -> list[Attachment]:
    """Check every file, then store them all (or none). Images are re-encoded without EXIF."""
    _require_editable(user, req)
    checked = _check_batch(req, files)
    stored = []
    with _remove_files_on_error() as written, transaction.atomic():
        _lock_and_recheck(req, user, [info.size for info in checked])
        for upload, info in zip(files, checked, strict=True):
            attachment = Attachment(
                request=req,
                original_name=info.original_name,
                kind=info.kind,
                content_type=info.content_type,
                size=info.size,
                sha256=info.sha256,
                uploaded_by=user,
            )
            base = _storage_dir(req)
            if info.kind in IMAGE_KINDS:
                upload.seek(0)
                image = process_image(upload, info.kind, name=info.original_name)
                attachment.size, attachment.sha256 = image.size, image.sha256
                attachment.file.save(
                    f"{base}/{generated_name(info.kind)}", ContentFile(image.data), save=False
                )
                thumb = image.thumbnails[0]
                attachment.thumbnail.save(
                    f"{base}/{generated_name(info.kind).rsplit('.', 1)[0]}-t.{thumb.extension}",
                    ContentFile(thumb.data),
                    save=False,
                )
            else:
                upload.seek(0)
                attachment.file.save(f"{base}/{generated_name(info.kind)}", upload, save=False)
            written += [f.name for f in (attachment.file, attachment.thumbnail) if f]
            attachment.save()
            stored.append(attachment)
    return stored


def photos_add(*, req, user, files: Sequence, captions: Sequence[str] = ()) -> list[Photo]:
    """Add images to the request's photo set; the first photo of a set becomes its cover."""
    from requests.uploads.errors import UploadRejected, shown_name

    _require_editable(user, req)
    checked = _check_batch(req, files)
    for info in checked:
        if info.kind not in IMAGE_KINDS:
            message = str(PHOTO_NOT_IMAGE) % {"name": shown_name(info.original_name)}
            raise UploadRejected(message, "not_image")
    processed = []
    for upload, info in zip(files, checked, strict=True):
        upload.seek(0)
        processed.append(process_image(upload, info.kind, name=info.original_name))
    stored = []
    with _remove_files_on_error() as written, transaction.atomic():
        _lock_and_recheck(req, user, [info.size for info in checked])
        next_order = (req.photos.aggregate(m=Max("order"))["m"] or 0) + 1
        has_cover = req.photos.filter(is_cover=True).exists()
        base = _storage_dir(req)
        for index, (info, image) in enumerate(zip(checked, processed, strict=True)):
            photo = Photo(
                request=req,
                original_name=info.original_name,
                size=image.size,
                sha256=image.sha256,
                caption=(captions[index] if index < len(captions) else "")[:500],
                order=next_order + index,
                is_cover=not has_cover and index == 0,
                uploaded_by=user,
            )
            stem = generated_name(info.kind).rsplit(".", 1)[0]
            # A named ContentFile: Django 5.1+ reads width/height from it, and a nameless one
            # counts as "no file" (width None, NOT NULL error).
            name = f"{stem}.{image.extension}"
            photo.image.save(f"{base}/{name}", ContentFile(image.data, name=name), save=False)
            thumb = image.thumbnails[0]
            photo.thumbnail.save(
                f"{base}/{stem}-t.{thumb.extension}", ContentFile(thumb.data), save=False
            )
            written += [photo.image.name, photo.thumbnail.name]
            photo.save()
            stored.append(photo)
    return stored


@transaction.atomic
def photos_update(*, req, user, rows: Iterable[dict]) -> None:
    """Apply edited captions, order and cover choice: rows of {pk, caption, order, is_cover}."""
    _require_editable(user, req)
    photos = {p.pk: p for p in req.photos.select_for_update()}
    rows = [r for r in rows if r.get("pk") in photos]
    cover = next((r["pk"] for r in rows if r.get("is_cover")), None)
    if cover is not None:
        req.photos.update(is_cover=False)
    for row in rows:
        photo = photos[row["pk"]]
        photo.caption = (row.get("caption") or "")[:500]
        photo.order = row.get("order", photo.order)
        photo.is_cover = photo.pk == cover if cover is not None else photo.is_cover
        photo.save(update_fields=["caption", "order", "is_cover"])


def _delete_files(*fields) -> None:
    for field in fields:
        if field:
            field.delete(save=False)


def attachment_remove(*, req, user, attachment_id: int) -> None:
    _require_editable(user, req)
    attachment = req.attachments.get(pk=attachment_id)
    files = (attachment.file, attachment.thumbnail)
    attachment.delete()
    transaction.on_commit(lambda: _delete_files(*files))


def photo_remove(*, req, user, photo_id: int) -> None:
    _require_editable(user, req)
    with transaction.atomic():
        photo = req.photos.get(pk=photo_id)
        files = (photo.image, photo.thumbnail)
        was_cover = photo.is_cover
        photo.delete()
        if was_cover:
            first = req.photos.order_by("order", "pk").first()
            if first:
                Photo.objects.filter(pk=first.pk).update(is_cover=True)
        transaction.on_commit(lambda: _delete_files(*files))


@transaction.atomic
def request_copy(*, source, user) -> PublicationRequest:
    """A new draft with the content and files of ``source`` (an earlier request of the user's)."""
    if source.requester_id != user.pk:
        raise NotAllowed(NOT_EDITABLE)
    data = {field: getattr(source, field) for field in EDITABLE_FIELDS}
    req = request_create(user=user, data=data, ita_items=source.ita_items.all())
    req.copied_from = source
    req.save(update_fields=["copied_from"])
    base = _storage_dir(req)
    for attachment in source.attachments.all():
        copy = Attachment(
            request=req,
            original_name=attachment.original_name,
            kind=attachment.kind,
            content_type=attachment.content_type,
            size=attachment.size,
            sha256=attachment.sha256,
            uploaded_by=user,
        )
        _copy_file(attachment.file, copy.file, base)
        if attachment.thumbnail:
            _copy_file(attachment.thumbnail, copy.thumbnail, base)
        copy.save()
    for photo in source.photos.all():
        copy = Photo(
            request=req,
            original_name=photo.original_name,
            size=photo.size,
            sha256=photo.sha256,
            caption=photo.caption,
            order=photo.order,
            is_cover=photo.is_cover,
            uploaded_by=user,
        )
        _copy_file(photo.image, copy.image, base)
        _copy_file(photo.thumbnail, copy.thumbnail, base)
        copy.save()
    return req


def _copy_file(source_field, target_field, base: str) -> None:
    """Copy a stored file under a new generated name, so the copies never share a file."""
    extension = source_field.name.rsplit(".", 1)[-1]
    with source_field.open("rb") as handle:
        target_field.save(f"{base}/{uuid.uuid4().hex}.{extension}", handle, save=False)


__all__ = [
    "attachment_remove",
    "attachments_add",
    "can_edit",
    "photo_remove",
    "photos_add",
    "photos_update",
    "request_copy",
    "request_create",
    "request_update",
]
