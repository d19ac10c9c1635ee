"""The file kinds the office accepts, and the names files are stored under.

One table keeps the stored extension, the extensions a user may name the file with, the content
type we serve it as and the label people know it by, so the checks, the messages and the storage
code cannot drift apart.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    """What we know about one accepted kind of file."""

    name: str
    extension: str  # stored under this, without the dot
    accepted_extensions: frozenset[str]  # what the original name may end with, lower case
    content_type: str
    label: str  # as shown to users in messages


KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        Kind("pdf", "pdf", frozenset({"pdf"}), "application/pdf", "PDF"),
        # Windows saves some JPEGs as .jfif; it is the same format, so the name is accepted too.
        Kind("jpeg", "jpg", frozenset({"jpg", "jpeg", "jfif"}), "image/jpeg", "JPEG"),
        Kind("png", "png", frozenset({"png"}), "image/png", "PNG"),
        Kind(
            "docx",
            "docx",
            frozenset({"docx"}),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "DOCX (Word)",
        ),
        Kind(
            "xlsx",
            "xlsx",
            frozenset({"xlsx"}),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "XLSX (Excel)",
        ),
    )
}

IMAGE_KINDS = frozenset({"jpeg", "png"})
OFFICE_KINDS = frozenset({"docx", "xlsx"})


@dataclass(frozen=True)
class PhotoFormat:
    """A picture format phones and scanners save, taken and converted to JPEG or PNG.

    It is never stored as such: the picture is decoded and encoded again as one of the
    :data:`IMAGE_KINDS`, like every JPEG and PNG, which is also what drops its EXIF.
    """

    name: str
    pillow_format: str  # the name Pillow (or pillow-heif) registers the format under
    accepted_extensions: frozenset[str]
    label: str


PHOTO_FORMATS: dict[str, PhotoFormat] = {
    fmt.name: fmt
    for fmt in (
        # iPhones save HEIC; .hif is what some cameras write.
        PhotoFormat("heif", "HEIF", frozenset({"heic", "heif", "hif"}), "HEIC/HEIF"),
        PhotoFormat("webp", "WEBP", frozenset({"webp"}), "WebP"),
        PhotoFormat("tiff", "TIFF", frozenset({"tif", "tiff"}), "TIFF"),
        PhotoFormat("gif", "GIF", frozenset({"gif"}), "GIF"),
    )
}

# For the "we only take ..." message, in the order users think of them.
ACCEPTED_LABELS = "PDF, JPEG, PNG, HEIC, WebP, TIFF, GIF, DOCX, XLSX"


def format_label(name: str) -> str:
    """How people know the kind or photo format called ``name`` ("JPEG", "HEIC/HEIF")."""
    if name in KINDS:
        return KINDS[name].label
    return PHOTO_FORMATS[name].label


def generated_name(kind: str) -> str:
    """A fresh storage name such as ``"3f2b...e9.pdf"`` for a file of ``kind``.

    Files are never stored under the name the user gave: a random name cannot collide, cannot
    climb out of the upload folder and says nothing about the content to someone guessing URLs.
    """
    return f"{uuid.uuid4().hex}.{KINDS[kind].extension}"
