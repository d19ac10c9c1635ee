"""Checks for PDF uploads.

Decisions, so nobody has to rediscover them:

* ``%PDF-`` must be at offset 0. Readers tolerate up to 1 KiB of junk before it, but every PDF
  writer an office uses puts it first, and a file with a prefix is more likely a polyglot.
* ``%%EOF`` must appear in the last 1 KiB. Its absence nearly always means a cut-off download.
* The file must open with pypdf (not strict, as real-world PDFs from scanners and Word often
  bend the rules) and have at least one page. pypdf reads lazily from the file object, so a
  well-formed 50 MB PDF costs little memory. Only a PDF with a broken cross-reference table
  makes pypdf read the whole file to rebuild it; the per-file size limit bounds that case.
* Encrypted PDFs: accepted when they open without a password (only an owner password, which
  restricts printing or editing, as many government PDFs do), reported as ``encrypted=True``.
  Refused when a password is needed to open them, since visitors to the website could not read
  them. PDFs using AES-256 need the ``cryptography`` package for pypdf to try the empty
  password; without it they are accepted as ``encrypted=True, pages=None``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import BinaryIO

from pypdf import PasswordType, PdfReader
from pypdf.errors import DependencyError

from requests.uploads.errors import (
    CODE_CORRUPT,
    CODE_PDF_PASSWORD,
    MSG_CORRUPT,
    MSG_PDF_NO_EOF,
    MSG_PDF_PASSWORD,
    rejection,
)

PDF_MAGIC = b"%PDF-"
EOF_MARKER = b"%%EOF"
EOF_WINDOW = 1024


@dataclass(frozen=True)
class PdfInfo:
    pages: int | None
    encrypted: bool


def check_pdf(fileobj: BinaryIO, name: str) -> PdfInfo:
    """Check ``fileobj`` (called ``name``) is a PDF people can open; raise ``UploadRejected``."""
    fileobj.seek(0)
    if fileobj.read(len(PDF_MAGIC)) != PDF_MAGIC:
        raise rejection(MSG_CORRUPT, CODE_CORRUPT, name, real="PDF")
    fileobj.seek(0, 2)
    size = fileobj.tell()
    fileobj.seek(max(0, size - EOF_WINDOW))
    if EOF_MARKER not in fileobj.read(EOF_WINDOW):
        raise rejection(MSG_PDF_NO_EOF, CODE_CORRUPT, name)
    fileobj.seek(0)
    # pypdf parses hostile input and fails in many ways besides its own PyPdfError (KeyError,
    # RecursionError, ...): any exception means a PDF we cannot use, hence the broad catch.
    needs_password = False
    pages: int | None = None
    try:
        reader = PdfReader(fileobj)
        encrypted = reader.is_encrypted
        if encrypted:
            try:
                needs_password = reader.decrypt("") == PasswordType.NOT_DECRYPTED
            except DependencyError:
                return PdfInfo(pages=None, encrypted=True)
        if not needs_password:
            pages = len(reader.pages)
    except Exception as exc:
        raise rejection(MSG_CORRUPT, CODE_CORRUPT, name, real="PDF") from exc
    finally:
        fileobj.seek(0)
    if needs_password:
        raise rejection(MSG_PDF_PASSWORD, CODE_PDF_PASSWORD, name)
    if not pages:
        raise rejection(MSG_CORRUPT, CODE_CORRUPT, name, real="PDF")
    return PdfInfo(pages=pages, encrypted=encrypted)
