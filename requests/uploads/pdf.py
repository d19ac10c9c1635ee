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
  them. PDFs using AES-256 (what Acrobat and Word use today) need the ``cryptography`` package,
  a dependency, for pypdf to try the empty password. pypdf already tries it while *opening* the
  file, so a missing ``cryptography`` surfaces from ``PdfReader()`` itself: should it ever be
  missing, such a PDF is accepted as ``encrypted=True, pages=None`` (never called damaged), and
  ``manage.py check`` warns (``esa_publish.W010``).
* Active content: a PDF that runs something when opened or clicked (JavaScript anywhere, a
  ``/JavaScript`` name tree, ``/Launch`` of another program, ``/ImportData``, rich-media
  scripts) is refused, as Word and Excel files with macros are. Nobody publishing a notice needs
  them, and the website would hand them to every visitor. Plain links (``/URI``) and jumps
  inside the document are kept. The walk follows every dictionary reachable from the document
  catalog (pages, annotations, form fields, outlines, actions chained by ``/Next``) but never
  reads page contents, fonts or images, so it costs little even for a large scan.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import BinaryIO

from pypdf import PasswordType, PdfReader
from pypdf.errors import DependencyError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

from requests.uploads.errors import (
    CODE_CORRUPT,
    CODE_PDF_ACTIVE_CONTENT,
    CODE_PDF_PASSWORD,
    MSG_CORRUPT,
    MSG_PDF_ACTIVE_CONTENT,
    MSG_PDF_NO_EOF,
    MSG_PDF_PASSWORD,
    rejection,
)

PDF_MAGIC = b"%PDF-"
EOF_MARKER = b"%%EOF"
EOF_WINDOW = 1024

# Action types (``/S``) that run code or another program; ``/JS`` anywhere is JavaScript too.
ACTIVE_ACTIONS = frozenset({"/JavaScript", "/Launch", "/ImportData", "/RichMediaExecute"})
# Keys never followed by the active-content walk: back links (which would revisit the page
# tree) and what holds page contents, fonts, images, metadata and embedded file data.
_NOT_FOLLOWED = frozenset(
    {
        "/Parent",
        "/P",
        "/Contents",
        "/Resources",
        "/Font",
        "/XObject",
        "/Thumb",
        "/Metadata",
        "/StructTreeRoot",
        "/PieceInfo",
        "/AP",
        "/EF",
        "/ColorSpace",
    }
)
# Dictionaries and arrays one PDF may make the walk visit; a real 1,000-page report with an
# annotation per page is far below. Past it the file is refused as unusable rather than
# accepted unread.
MAX_WALKED = 200_000


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
    active: str | None = None
    try:
        try:
            # Opening an encrypted PDF already tries the empty password, so the AES-256 case of
            # a missing ``cryptography`` is raised by ``PdfReader()``, not only by ``decrypt``.
            reader = PdfReader(fileobj)
            encrypted = reader.is_encrypted
            if encrypted:
                needs_password = reader.decrypt("") == PasswordType.NOT_DECRYPTED
        except DependencyError:
            return PdfInfo(pages=None, encrypted=True)
        if not needs_password:
            pages = len(reader.pages)
            active = active_content(reader)
    except Exception as exc:
        raise rejection(MSG_CORRUPT, CODE_CORRUPT, name, real="PDF") from exc
    finally:
        fileobj.seek(0)
    if needs_password:
        raise rejection(MSG_PDF_PASSWORD, CODE_PDF_PASSWORD, name)
    if not pages:
        raise rejection(MSG_CORRUPT, CODE_CORRUPT, name, real="PDF")
    if active:
        raise rejection(MSG_PDF_ACTIVE_CONTENT, CODE_PDF_ACTIVE_CONTENT, name, found=active)
    return PdfInfo(pages=pages, encrypted=encrypted)


def active_content(reader: PdfReader) -> str | None:
    """What in the PDF would run when opened or clicked (``"JavaScript"``, ``"Launch"``, ...),
    or ``None``. Raises ``ValueError`` past :data:`MAX_WALKED` objects."""
    root = reader.trailer["/Root"].get_object()
    names = root.get("/Names")
    if isinstance(names, IndirectObject):
        names = names.get_object()
    if isinstance(names, DictionaryObject) and "/JavaScript" in names:
        return "JavaScript"
    seen: set[tuple[int, int]] = set()
    stack: list = [root]
    walked = 0
    while stack:
        node = stack.pop()
        if isinstance(node, IndirectObject):
            ref = (node.idnum, node.generation)
            if ref in seen:
                continue
            seen.add(ref)
            node = node.get_object()
        if isinstance(node, DictionaryObject):
            walked += 1
            if "/JS" in node:
                return "JavaScript"
            action = node.get("/S")
            if isinstance(action, NameObject) and action in ACTIVE_ACTIONS:
                return str(action)[1:]
            stack.extend(v for k, v in node.items() if k not in _NOT_FOLLOWED)
        elif isinstance(node, ArrayObject):
            walked += 1
            stack.extend(node)
        if walked > MAX_WALKED:
            raise ValueError("too many objects to check for active content")
    return None
