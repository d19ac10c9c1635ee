"""Telling file kinds apart by their content, never by the name or the browser's guess.

PDF, JPEG and PNG are recognised by their signature bytes at the start of the file, and so are
the photo formats converted on upload (HEIC/HEIF by its ``ftyp`` box, WebP, TIFF, GIF). DOCX and
XLSX both start as zip archives, so for those the archive's directory is looked at too (see
``office.classify_zip``). Own code rather than ``python-magic`` or ``filetype``: five kinds need
a dozen lines, and libmagic would be a system library to install on every office's server.
"""

from __future__ import annotations

from typing import BinaryIO

from requests.uploads.office import classify_zip

PDF_MAGIC = b"%PDF-"
JPEG_MAGIC = b"\xff\xd8\xff"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
ZIP_MAGIC = b"PK\x03\x04"
# OLE compound files: old .doc/.xls, and password-protected .docx/.xlsx.
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
HEAD_SIZE = 16
# HEIF brands (ISO/IEC 23008-12) of still pictures coded with HEVC, as phones and cameras write
# them. AVIF ("avif") is HEIF with another codec, which pillow-heif no longer decodes.
HEIF_BRANDS = frozenset({b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1"})
AVIF_BRANDS = frozenset({b"avif", b"avis"})


def read_head(fileobj: BinaryIO, size: int = HEAD_SIZE) -> bytes:
    """The first ``size`` bytes of ``fileobj``, leaving its position where it was."""
    position = fileobj.tell()
    fileobj.seek(0)
    head = fileobj.read(size)
    fileobj.seek(position)
    return head


def signature_kind(head: bytes) -> str | None:
    """``"pdf"``, ``"jpeg"``, ``"png"``, ``"zip"``, ``"ole"``, a photo format (``"heif"``,
    ``"webp"``, ``"tiff"``, ``"gif"``), ``"avif"`` or ``None`` from the first bytes."""
    for magic, kind in (
        (PDF_MAGIC, "pdf"),
        (JPEG_MAGIC, "jpeg"),
        (PNG_MAGIC, "png"),
        (ZIP_MAGIC, "zip"),
        (OLE_MAGIC, "ole"),
        (b"II*\x00", "tiff"),
        (b"MM\x00*", "tiff"),
        (b"GIF87a", "gif"),
        (b"GIF89a", "gif"),
    ):
        if head.startswith(magic):
            return kind
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in HEIF_BRANDS:
            return "heif"
        if brand in AVIF_BRANDS:
            return "avif"
    return None


def detect_kind(fileobj: BinaryIO) -> str | None:
    """The accepted kind the content looks like: ``"pdf"``, ``"jpeg"``, ``"png"``, ``"docx"``,
    ``"xlsx"``, or ``None``.

    Only identifies; it does not judge. A macro-enabled Word file is reported as ``"docx"`` and
    a truncated JPEG as ``"jpeg"``: ``check_upload`` is what refuses them.
    """
    kind = signature_kind(read_head(fileobj))
    if kind == "zip":
        return classify_zip(fileobj)
    if kind in {"ole", "avif"}:
        return None
    return kind
