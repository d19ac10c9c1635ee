"""Checks for Word (DOCX) and Excel (XLSX) files, which are zip archives underneath.

The standard library's ``zipfile`` does the reading. Around it we add what it does not guard
against for hostile uploads:

* The central directory is sized from the end record *before* ``ZipFile`` parses it, because
  ``ZipFile`` builds one ``ZipInfo`` per record for as many bytes as the directory claims; a
  20 MB archive of empty entries would cost hundreds of megabytes.
* Declared uncompressed sizes are summed and compared with the compressed ones (zip bombs).
  Reading an entry never yields more than its declared size, so the declared sizes bound the
  work of the integrity pass that follows.
* Entry names that climb out (``../``, absolute, drive letters) are refused, even though we
  never extract, because someone downloading the file might.
* Macro-enabled documents are refused: a ``vbaProject.bin`` part, an Excel 4 macro sheet, or a
  ``macroEnabled`` content type in ``[Content_Types].xml``. That file is searched as bytes,
  not parsed, so no XML parser ever sees uploaded markup.
"""

from __future__ import annotations

import re
import struct
import zipfile
import zlib
from typing import BinaryIO

from requests.uploads.errors import (
    CODE_CORRUPT,
    CODE_MACRO,
    CODE_UNSUPPORTED,
    CODE_ZIP_BOMB,
    CODE_ZIP_TOO_MANY_ENTRIES,
    CODE_ZIP_UNSAFE_PATH,
    MSG_CORRUPT,
    MSG_MACRO,
    MSG_UNSUPPORTED,
    MSG_ZIP_BOMB,
    MSG_ZIP_TOO_MANY_ENTRIES,
    MSG_ZIP_UNSAFE_PATH,
    rejection,
)
from requests.uploads.kinds import ACCEPTED_LABELS, KINDS

# A large real workbook has a few hundred parts; 2,000 leaves plenty of room.
MAX_ENTRIES = 2_000
# About 1 KiB of directory per entry is generous (a record is 46 bytes plus name and extras).
MAX_CENTRAL_DIRECTORY_BYTES = MAX_ENTRIES * 1024
MAX_TOTAL_UNCOMPRESSED = 200 * 1024 * 1024
# Office XML deflates to roughly a tenth; ratios past 100 only matter once an entry is big.
MAX_RATIO = 100
RATIO_FLOOR = 1024 * 1024
MAX_CONTENT_TYPES_BYTES = 1024 * 1024
READ_CHUNK = 1024 * 1024

CONTENT_TYPES = "[content_types].xml"
MAIN_PARTS = {"word/document.xml": "docx", "xl/workbook.xml": "xlsx"}
# Words that only appear in [Content_Types].xml of macro-enabled documents, lower-cased.
MACRO_MARKERS = (b"macroenabled", b"vbaproject", b"macrosheet")
MACRO_PARTS = re.compile(r"(^|/)(vbaproject\.bin|vbadata\.xml)$|^xl/macrosheets/")
# Word and Excel only ever store or deflate; anything else would not open in Office either.
ALLOWED_METHODS = frozenset({zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED})

_END = struct.Struct("<4s4H2LH")
_END_SIGNATURE = b"PK\x05\x06"
_LOCATOR64 = struct.Struct("<4sLQL")
_LOCATOR64_SIGNATURE = b"PK\x06\x07"
_END64 = struct.Struct("<4sQ2H2L4Q")
_END64_SIGNATURE = b"PK\x06\x06"

# What zipfile and zlib raise on a damaged or unreadable archive.
_ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    EOFError,
    OSError,
    NotImplementedError,
    RuntimeError,
    ValueError,
    KeyError,
    struct.error,
    UnicodeDecodeError,
)


def central_directory_extent(fileobj: BinaryIO) -> tuple[int, int] | None:
    """``(entry count, directory size in bytes)`` as the end record declares them.

    ``None`` when there is no end-of-central-directory record, that is, not a zip at all. Reads
    only the last 64 KiB (and the Zip64 record it points to, if any).
    """
    fileobj.seek(0, 2)
    size = fileobj.tell()
    tail_start = max(0, size - _END.size - 0xFFFF)
    fileobj.seek(tail_start)
    tail = fileobj.read(size - tail_start)
    at = tail.rfind(_END_SIGNATURE)
    if at < 0 or len(tail) - at < _END.size:
        return None
    # signature, this disk, directory's disk, entries here, entries in all, size, offset, comment
    fields = _END.unpack_from(tail, at)
    entries, directory_size = fields[4], fields[5]
    if entries != 0xFFFF and directory_size != 0xFFFFFFFF:
        return entries, directory_size
    locator_at = tail_start + at - _LOCATOR64.size
    if locator_at < 0:
        return None
    fileobj.seek(locator_at)
    locator = fileobj.read(_LOCATOR64.size)
    if len(locator) != _LOCATOR64.size or not locator.startswith(_LOCATOR64_SIGNATURE):
        return None
    fileobj.seek(_LOCATOR64.unpack(locator)[2])
    record = fileobj.read(_END64.size)
    if len(record) != _END64.size or not record.startswith(_END64_SIGNATURE):
        return None
    # signature, record size, versions (2), disks (2), entries here, entries in all, size, offset
    fields = _END64.unpack(record)
    return fields[7], fields[8]


def _is_unsafe_entry(name: str) -> bool:
    """Whether extracting an entry called ``name`` could write outside the target folder."""
    path = name.replace("\\", "/")
    if path.startswith("/") or re.match(r"^[A-Za-z]:", path):
        return True
    return ".." in path.split("/")


def _classify(names: set[str]) -> str | None:
    """``"docx"``, ``"xlsx"`` or ``None`` from the lower-cased entry names."""
    if CONTENT_TYPES not in names:
        return None
    for part, kind in MAIN_PARTS.items():
        if part in names:
            return kind
    return None


def _lower_names(archive: zipfile.ZipFile) -> set[str]:
    # OPC part names are case-insensitive, so compare them lower-cased.
    return {info.filename.lower() for info in archive.infolist()}


def classify_zip(fileobj: BinaryIO) -> str | None:
    """What a zip looks like (``"docx"``, ``"xlsx"``) or ``None``, without judging it.

    Safe on hostile input: an archive whose directory is over the limits is not opened and is
    reported as ``None``. Macros, bombs and damage are for :func:`check_office` to find.
    """
    position = fileobj.tell()
    try:
        extent = central_directory_extent(fileobj)
        if extent is None or extent[0] > MAX_ENTRIES or extent[1] > MAX_CENTRAL_DIRECTORY_BYTES:
            return None
        fileobj.seek(0)
        with zipfile.ZipFile(fileobj) as archive:
            return _classify(_lower_names(archive))
    except _ZIP_ERRORS:
        return None
    finally:
        fileobj.seek(position)


def check_office(fileobj: BinaryIO, name: str) -> str:
    """Check the zip in ``fileobj`` (called ``name``) is a clean DOCX or XLSX; return which.

    Raises ``UploadRejected`` for archives over the limits, unsafe entry names, zip bombs,
    anything that is not a Word or Excel document, macros, and damaged data (every entry is
    decompressed once, in chunks, so CRC errors are caught here and not by the reader).
    """
    extent = central_directory_extent(fileobj)
    if extent is None:
        raise rejection(MSG_CORRUPT, CODE_CORRUPT, name, real="DOCX/XLSX")
    if extent[0] > MAX_ENTRIES or extent[1] > MAX_CENTRAL_DIRECTORY_BYTES:
        raise rejection(
            MSG_ZIP_TOO_MANY_ENTRIES, CODE_ZIP_TOO_MANY_ENTRIES, name, limit=MAX_ENTRIES
        )
    fileobj.seek(0)
    try:
        archive = zipfile.ZipFile(fileobj)
    except _ZIP_ERRORS as exc:
        raise rejection(MSG_CORRUPT, CODE_CORRUPT, name, real="DOCX/XLSX") from exc
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_ENTRIES:
            raise rejection(
                MSG_ZIP_TOO_MANY_ENTRIES, CODE_ZIP_TOO_MANY_ENTRIES, name, limit=MAX_ENTRIES
            )
        _check_entries(infos, name)
        names = _lower_names(archive)
        kind = _classify(names)
        if kind is None:
            raise rejection(MSG_UNSUPPORTED, CODE_UNSUPPORTED, name, accepted=ACCEPTED_LABELS)
        if any(MACRO_PARTS.search(entry) for entry in names):
            raise rejection(MSG_MACRO, CODE_MACRO, name)
        label = KINDS[kind].label
        try:
            content_types = _read_content_types(archive, infos)
            if any(marker in content_types.lower() for marker in MACRO_MARKERS):
                raise rejection(MSG_MACRO, CODE_MACRO, name)
            _read_everything(archive, infos)
        except _ZIP_ERRORS as exc:
            raise rejection(MSG_CORRUPT, CODE_CORRUPT, name, real=label) from exc
    fileobj.seek(0)
    return kind


def _check_entries(infos: list[zipfile.ZipInfo], name: str) -> None:
    total = 0
    for info in infos:
        if _is_unsafe_entry(info.filename):
            raise rejection(MSG_ZIP_UNSAFE_PATH, CODE_ZIP_UNSAFE_PATH, name)
        if info.compress_type not in ALLOWED_METHODS or info.flag_bits & 0x1:
            # Encrypted entries or exotic methods: nothing Word or Excel writes.
            raise rejection(MSG_CORRUPT, CODE_CORRUPT, name, real="DOCX/XLSX")
        total += info.file_size
        bomb = total > MAX_TOTAL_UNCOMPRESSED or (
            info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1)
        )
        if bomb:
            raise rejection(MSG_ZIP_BOMB, CODE_ZIP_BOMB, name)


def _read_content_types(archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> bytes:
    info = next(i for i in infos if i.filename.lower() == CONTENT_TYPES)
    if info.file_size > MAX_CONTENT_TYPES_BYTES:
        raise ValueError("[Content_Types].xml is implausibly large")
    return archive.read(info)


def _read_everything(archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> None:
    """Decompress every entry once, discarding the data, so bad CRCs and streams show up."""
    for info in infos:
        with archive.open(info) as entry:
            while entry.read(READ_CHUNK):
                pass
