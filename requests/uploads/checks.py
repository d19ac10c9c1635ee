"""``check_upload``: the one call that decides whether an uploaded file is kept.

Order matters and is cheapest first: the name, the declared size, then one streaming pass that
hashes and counts, then the content (signature, then the kind's own checks), and only last
whether the name's extension matches the content. Content comes before the extension so a
macro-enabled ``report.docm`` is refused for its macros, which is the useful thing to tell the
user, rather than for its extension.

Note that Django's ``UploadedFile`` already reduces a name to its last path part and cuts it at
255 characters, so through the web a ``../../etc/passwd.pdf`` arrives as ``passwd.pdf``. The
name checks here still matter for every other caller, and the length limit (200) is below
Django's cut so an over-long name is refused rather than silently shortened.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings

from requests.uploads import images, office, pdf
from requests.uploads.disposition import MAX_NAME_LENGTH, clean_original_name, split_extension
from requests.uploads.errors import (
    CODE_EMPTY,
    CODE_NAME_TOO_LONG,
    CODE_OFFICE_PROTECTED,
    CODE_REQUEST_TOO_LARGE,
    CODE_TOO_LARGE,
    CODE_TOO_MANY_FILES,
    CODE_UNSAFE_NAME,
    CODE_UNSUPPORTED,
    CODE_WRONG_EXTENSION,
    MSG_EMPTY,
    MSG_NAME_TOO_LONG,
    MSG_NO_EXTENSION,
    MSG_OFFICE_PROTECTED,
    MSG_REQUEST_TOO_LARGE,
    MSG_TOO_LARGE,
    MSG_TOO_LARGE_UNKNOWN,
    MSG_TOO_MANY_FILES,
    MSG_UNSAFE_NAME,
    MSG_UNSUPPORTED,
    MSG_UNSUPPORTED_FORMAT,
    MSG_WRONG_EXTENSION,
    UploadRejected,
    format_size,
    rejection,
)
from requests.uploads.kinds import ACCEPTED_LABELS, IMAGE_KINDS, KINDS, PHOTO_FORMATS
from requests.uploads.sniff import read_head, signature_kind

DEFAULT_MAX_FILE_BYTES = 20 * 1024 * 1024
DEFAULT_MAX_REQUEST_BYTES = 100 * 1024 * 1024
DEFAULT_MAX_FILES = 30
HASH_CHUNK = 1024 * 1024
OLD_OFFICE_EXTENSIONS = frozenset({"doc", "xls", "docx", "xlsx", "dot", "xlt"})


@dataclass(frozen=True)
class CheckedUpload:
    """What ``check_upload`` found out about a file it accepted.

    ``sha256`` and ``size`` are of the file as uploaded. ``width``/``height`` are set for images
    (as displayed, i.e. after EXIF orientation), ``pages`` for PDFs (``None`` when an AES-256
    encrypted PDF could not be opened to count them), ``encrypted`` for PDFs with an owner
    password. For images, ``process_image`` decodes fully and its size is the one to keep: in
    the rare PNG whose EXIF comes after the pixel data, only it sees the orientation.
    """

    kind: str
    extension: str  # to store it under, without the dot: "pdf", "jpg", "png", "docx", "xlsx"
    content_type: str
    original_name: str  # cleaned, to offer the download under
    size: int
    sha256: str
    width: int | None = None
    height: int | None = None
    pages: int | None = None
    encrypted: bool = False
    # The photo format a picture came in ("heif", "webp", "tiff", "gif") when it is converted
    # to ``kind`` on storing; empty for files kept in their own format.
    converted_from: str = ""


def max_file_bytes() -> int:
    return getattr(settings, "UPLOAD_MAX_FILE_BYTES", DEFAULT_MAX_FILE_BYTES)


def check_upload(uploaded: Any, *, max_bytes: int | None = None) -> CheckedUpload:
    """Check one uploaded file; return what we know about it or raise ``UploadRejected``.

    ``uploaded`` is a Django ``UploadedFile`` or any seekable binary file object with a
    ``name`` (``size`` is optional). The name must be a bare file name: a file from ``open()``
    is named by its path, so wrap it as ``django.core.files.File(fh, name="x.pdf")``. The file
    is read in chunks, never held whole in memory, and left at position 0. ``max_bytes``
    defaults to ``settings.UPLOAD_MAX_FILE_BYTES``.
    """
    raw_name = str(getattr(uploaded, "name", "") or "")
    limit = max_file_bytes() if max_bytes is None else max_bytes
    _check_name(raw_name)
    declared = getattr(uploaded, "size", None)
    if declared == 0:
        raise rejection(MSG_EMPTY, CODE_EMPTY, raw_name)
    if isinstance(declared, int) and declared > limit:
        raise _too_large(raw_name, declared, limit)
    size, sha256 = _hash(uploaded, raw_name, limit)
    if size == 0:
        raise rejection(MSG_EMPTY, CODE_EMPTY, raw_name)

    original_name = clean_original_name(raw_name)
    details: dict[str, Any] = {}
    signature = signature_kind(read_head(uploaded))
    if signature == "pdf":
        kind = "pdf"
        info = pdf.check_pdf(uploaded, raw_name)
        details = {"pages": info.pages, "encrypted": info.encrypted}
    elif signature in IMAGE_KINDS:
        kind = signature
        width, height = images.inspect_image(uploaded, kind, raw_name)
        details = {"width": width, "height": height}
    elif signature in PHOTO_FORMATS:
        width, height = images.inspect_image(uploaded, signature, raw_name)
        kind = images.photo_target(uploaded, signature, raw_name)
        details = {"width": width, "height": height, "converted_from": signature}
        _check_photo_extension(original_name, raw_name, signature)
        # Offered for download under the format it is stored in: IMG_0001.HEIC -> IMG_0001.jpg
        original_name = f"{split_extension(original_name)[0]}.{KINDS[kind].extension}"
    elif signature == "avif":
        raise rejection(
            MSG_UNSUPPORTED_FORMAT,
            CODE_UNSUPPORTED,
            raw_name,
            real="AVIF",
            accepted=ACCEPTED_LABELS,
        )
    elif signature == "zip":
        kind = office.check_office(uploaded, raw_name)
    elif signature == "ole" and split_extension(original_name)[1].lower() in OLD_OFFICE_EXTENSIONS:
        raise rejection(MSG_OFFICE_PROTECTED, CODE_OFFICE_PROTECTED, raw_name)
    else:
        raise rejection(MSG_UNSUPPORTED, CODE_UNSUPPORTED, raw_name, accepted=ACCEPTED_LABELS)

    if "converted_from" not in details:
        _check_extension(original_name, raw_name, kind)
    uploaded.seek(0)
    return CheckedUpload(
        kind=kind,
        extension=KINDS[kind].extension,
        content_type=KINDS[kind].content_type,
        original_name=original_name,
        size=size,
        sha256=sha256,
        **details,
    )


def _check_name(name: str) -> None:
    if "/" in name or "\\" in name or name.strip() in {".", ".."}:
        raise rejection(MSG_UNSAFE_NAME, CODE_UNSAFE_NAME, name)
    if len(name) > MAX_NAME_LENGTH:
        raise rejection(
            MSG_NAME_TOO_LONG, CODE_NAME_TOO_LONG, name, length=len(name), limit=MAX_NAME_LENGTH
        )


def _too_large(name: str, size: int | None, limit: int) -> UploadRejected:
    if size is None:
        return rejection(MSG_TOO_LARGE_UNKNOWN, CODE_TOO_LARGE, name, limit=format_size(limit))
    return rejection(
        MSG_TOO_LARGE,
        CODE_TOO_LARGE,
        name,
        size=format_size(size, round_up=True),
        limit=format_size(limit),
    )


def _hash(uploaded: Any, name: str, limit: int) -> tuple[int, str]:
    """SHA-256 and true size in one chunked pass; stops as soon as the limit is passed.

    The true size is counted rather than trusting ``.size``, which a plain file object may not
    have and a caller could have got wrong.
    """
    digest = hashlib.sha256()
    size = 0
    uploaded.seek(0)
    while chunk := uploaded.read(HASH_CHUNK):
        size += len(chunk)
        if size > limit:
            raise _too_large(name, None, limit)
        digest.update(chunk)
    uploaded.seek(0)
    return size, digest.hexdigest()


def _check_extension(original_name: str, raw_name: str, kind: str) -> None:
    extension = split_extension(original_name)[1].lower()
    expected = KINDS[kind]
    if extension in expected.accepted_extensions:
        return
    params = {"real": expected.label, "expected": expected.extension}
    if not extension:
        raise rejection(MSG_NO_EXTENSION, CODE_WRONG_EXTENSION, raw_name, **params)
    raise rejection(
        MSG_WRONG_EXTENSION, CODE_WRONG_EXTENSION, raw_name, extension=extension, **params
    )


def _check_photo_extension(original_name: str, raw_name: str, source: str) -> None:
    """A photo format may be named for itself or as a picture (phones name HEIC files .jpg when
    sharing them); it becomes a JPEG or PNG anyway. A photo named .pdf or .docx is refused with
    the format found."""
    extension = split_extension(original_name)[1].lower()
    photo = PHOTO_FORMATS[source]
    picture_extensions = set().union(*(KINDS[k].accepted_extensions for k in IMAGE_KINDS))
    if extension in photo.accepted_extensions or extension in picture_extensions:
        return
    expected = sorted(photo.accepted_extensions)[0]
    params = {"real": photo.label, "expected": expected}
    if not extension:
        raise rejection(MSG_NO_EXTENSION, CODE_WRONG_EXTENSION, raw_name, **params)
    raise rejection(
        MSG_WRONG_EXTENSION, CODE_WRONG_EXTENSION, raw_name, extension=extension, **params
    )


def check_request_total(existing_bytes: int, new_sizes: Iterable[int]) -> int:
    """The request's attachment total after adding ``new_sizes``; refuse past the limit.

    The limit is ``settings.UPLOAD_MAX_REQUEST_BYTES`` (100 MB by default).
    """
    limit = getattr(settings, "UPLOAD_MAX_REQUEST_BYTES", DEFAULT_MAX_REQUEST_BYTES)
    total = existing_bytes + sum(new_sizes)
    if total > limit:
        message = MSG_REQUEST_TOO_LARGE.format(
            limit=format_size(limit), total=format_size(total, round_up=True)
        )
        raise UploadRejected(message, CODE_REQUEST_TOO_LARGE)
    return total


def check_file_count(existing: int, new: int) -> int:
    """The request's attachment count after adding ``new`` files; refuse past the limit.

    The limit is ``settings.UPLOAD_MAX_FILES``, for one post and over several. Django's parser
    limit (``DATA_UPLOAD_MAX_NUMBER_FILES``) is set well above it, so a person who picks too
    many files gets this message on the form rather than a bare 400. ``None`` means no limit.
    """
    limit = getattr(settings, "UPLOAD_MAX_FILES", DEFAULT_MAX_FILES)
    total = existing + new
    if limit is not None and total > limit:
        message = MSG_TOO_MANY_FILES.format(limit=limit, existing=existing, new=new)
        raise UploadRejected(message, CODE_TOO_MANY_FILES)
    return total
