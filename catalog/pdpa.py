"""Personal-data check before publishing (PDPA): Thai national ID numbers and phone numbers.

Everything that would go public is read: the title, the summary, photo captions, the text of PDF,
Word and Excel files, and whatever else the caller adds (the memo's wording when the memo is
public). Each number found becomes a *finding* that the webmaster must look at and confirm
before the item can be published; the finding keeps only a masked number
(``1-2345-xxxxx-xx-3``, ``08x-xxx-5678``), because the plan and the publish decision that copy it
are kept for years and must not become a second copy of the personal data.

Choices, so nobody has to rediscover them:

* A national ID counts only with a valid check digit and with its separators either absent or
  in the places the ID card prints them (1-2345-67890-12-3, or spaces there). Thirteen digits
  with a wrong check digit are a document or account number, not an ID.
* Phone numbers are recognised by the shapes people write them in (081-234-5678, 02 123 4567,
  0 3851 1000, +66 81 234 5678, …) rather than "any nine or ten digits", so dates, fiscal-year
  ranges (2566-2567) and document numbers do not trip the check. The office's and the units'
  own numbers are public contact points and are not reported.
* Images are not read (there is no OCR here) and a scanned PDF without a text layer yields no
  text: the check helps the webmaster, it does not replace looking at the files.
* Word and Excel files are zip archives of XML. The XML is read with a small tokenizer that
  only picks out text, never with an XML parser, so no entity or DTD in an uploaded file is ever
  expanded (the upload checks avoid XML parsers for the same reason).
* Reading stops after :data:`MAX_PDF_PAGES` pages or :data:`MAX_TEXT_CHARS` characters of text
  per file (and per text), and after :data:`MAX_PUBLICATION_CHARS` for the whole publication;
  files are read in chunks, never whole into memory. Whatever was left unread is reported as a
  finding of its own (:data:`KIND_PARTIAL`), so the webmaster knows to look at the rest.
* The scan is linear in the length of the text, however many numbers it holds: a phone number
  is compared only with the ID numbers around it, not with every number found so far (which took
  51 s for a 2 M-character Word file full of numbers).
"""

from __future__ import annotations

import codecs
import heapq
import html
import io
import posixpath
import re
import zipfile
from collections.abc import Iterable, Iterator
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from esa_publish.office.models import Office, Unit
from esa_publish.thai.digits import to_arabic_digits

KIND_NATIONAL_ID = "national_id"
KIND_PHONE = "phone"
# A file that could not be opened to read: the webmaster checks it by eye and confirms.
KIND_UNREADABLE = "unreadable"
# A text or file read only in part (a limit below was reached): the rest is for the webmaster.
KIND_PARTIAL = "partial"

MAX_PDF_PAGES = 200
MAX_TEXT_CHARS = 2_000_000
MAX_PUBLICATION_CHARS = 10_000_000
MAX_XML_BYTES = 50 * 1024 * 1024  # per part of a Word/Excel file, after decompression
MAX_FINDINGS_PER_SOURCE = 50
CONTEXT_CHARS = 30
READ_CHUNK = 64 * 1024

# Characters people (and PDF text layers) use for spaces and dashes, made plain. Each maps to
# one character, so positions in the normalised text are positions in the original.
_PLAIN = str.maketrans(
    {
        "\u00a0": " ",
        "\u2007": " ",
        "\u2009": " ",
        "\u202f": " ",
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
    }
)

# No digit (or digit and separator) right before or after: a number is never cut out of a
# longer one.
_BEFORE = r"(?<![\d+])(?<!\d[-.])"
_AFTER = r"(?!\d)(?![-.]\d)"

NATIONAL_ID = re.compile(_BEFORE + r"\d([ -]?)\d{4}\1\d{5}\1\d{2}\1\d" + _AFTER)

# How people write Thai phone numbers: 0 = zero, M = the mobile prefix digit, L = a landline
# area digit, # = any digit, - = one space, dash or dot.
MOBILE_SHAPES = ("0M########", "0M#-###-####", "0M#-#######", "0M-####-####", "0M##-###-###")
LANDLINE_SHAPES = (
    "0L#######",
    "0L-###-####",
    "0L#-###-###",
    "0L#-######",
    "0-L###-####",
    "0L-#######",
)
INTERNATIONAL_SHAPES = (
    "+66-M#-###-####",
    "+66-M-####-####",
    "+66-M########",
    "+66-L-###-####",
    "+66-L#-###-###",
    "+66-L#######",
)
_SHAPE_PARTS = {"0": "0", "M": "[689]", "L": "[2-7]", "#": r"\d", "-": r"[ .\-]", "+": r"\+"}


def _shape_regex(shape: str) -> str:
    if shape.startswith("+66-"):
        # The separator after the country code is optional: "+66812345678" is common.
        return r"\+66[ .\-]?" + "".join(_SHAPE_PARTS[c] for c in shape[4:])
    return "".join(_SHAPE_PARTS.get(c, re.escape(c)) for c in shape)


PHONE = re.compile(
    _BEFORE
    + "(?:"
    + "|".join(_shape_regex(s) for s in MOBILE_SHAPES + LANDLINE_SHAPES + INTERNATIONAL_SHAPES)
    + ")"
    + _AFTER
)
_NON_DIGITS = re.compile(r"\D")


def national_id_is_valid(digits: str) -> bool:
    """The check digit rule of the Thai ID: weights 13…2 on the first twelve digits."""
    if len(digits) != 13 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:12], range(13, 1, -1), strict=True))
    return (11 - total % 11) % 10 == int(digits[12])


def mask_national_id(digits: str) -> str:
    return f"{digits[0]}-{digits[1:5]}-xxxxx-xx-{digits[12]}"


def national_phone(text: str) -> str:
    """The number's digits as dialled inside Thailand: "+66 81 234 5678" → "0812345678"."""
    digits = _NON_DIGITS.sub("", text)
    if text.lstrip().startswith("+66"):
        digits = "0" + digits[2:]
    return digits


def mask_phone(digits: str) -> str:
    if len(digits) == 10:
        return f"{digits[:2]}x-xxx-{digits[6:]}"
    return f"{digits[:2]}-xxx-{digits[5:]}"


def public_numbers() -> set[str]:
    """The office's and units' own phone numbers: public contact points, not personal data."""

    texts = [Office.current().phone]
    texts += Unit.objects.exclude(phone="").values_list("phone", flat=True)
    numbers = set()
    for text in texts:
        plain = to_arabic_digits(text or "").translate(_PLAIN)
        numbers.update(national_phone(m.group()) for m in PHONE.finditer(plain))
    return numbers


def find_numbers(text: str, *, ignore: Iterable[str] = ()) -> list[tuple[int, int, str, str]]:
    """``(start, end, kind, masked value)`` for every ID and phone number in ``text``, in order."""
    plain = to_arabic_digits(text).translate(_PLAIN)
    ids = []
    for match in NATIONAL_ID.finditer(plain):
        digits = _NON_DIGITS.sub("", match.group())
        if national_id_is_valid(digits):
            ids.append((match.start(), match.end(), KIND_NATIONAL_ID, mask_national_id(digits)))
    ignore = set(ignore)
    phones = []
    # Both lists come in order of position and neither overlaps itself, so one pass with a
    # cursor over the IDs finds the phone-shaped pieces of an ID (a phone number is never
    # also reported inside an ID number).
    cursor = 0
    for match in PHONE.finditer(plain):
        start, end = match.span()
        while cursor < len(ids) and ids[cursor][1] <= start:
            cursor += 1
        if cursor < len(ids) and ids[cursor][0] < end:
            continue
        digits = national_phone(match.group())
        if digits not in ignore:
            phones.append((start, end, KIND_PHONE, mask_phone(digits)))
    return list(heapq.merge(ids, phones))


def _contexts(text: str, spans: list[tuple[int, int, str, str]]) -> list[str]:
    """A short snippet around each span, with every number of the text masked."""
    pieces, positions, cursor, length = [], [], 0, 0
    for start, end, _kind, value in spans:
        pieces.append(text[cursor:start])
        length += start - cursor
        positions.append((length, length + len(value)))
        pieces.append(value)
        length += len(value)
        cursor = end
    pieces.append(text[cursor:])
    masked = "".join(pieces)
    snippets = []
    for start, end in positions:
        left, right = max(0, start - CONTEXT_CHARS), min(len(masked), end + CONTEXT_CHARS)
        snippet = " ".join(masked[left:right].split())
        snippets.append(("…" if left else "") + snippet + ("…" if right < len(masked) else ""))
    return snippets


class _Collector:
    """Findings in the order their sources were read, each (where, kind, value) once."""

    def __init__(self, ignore: set[str]):
        self.ignore = ignore
        self.findings: list[dict] = []
        self._seen: set[tuple[str, str, str]] = set()
        self._per_source: dict[str, int] = {}
        # What the whole publication may still have read, across its texts and files.
        self.budget = _Budget(MAX_PUBLICATION_CHARS)

    def scan(self, where: str, text: str, *, source: str | None = None) -> None:
        if not text:
            return
        source = source or where
        limit = min(MAX_TEXT_CHARS, self.budget.left)
        if len(text) > limit:
            text = text[: max(limit, 0)]
            self.partial(source)
        self.budget.left -= len(text)
        if not any(c.isdigit() for c in text):
            return
        spans = find_numbers(text, ignore=self.ignore)
        if not spans:
            return
        for (_s, _e, kind, value), context in zip(spans, _contexts(text, spans), strict=True):
            key = (where, kind, value)
            if key in self._seen or self._per_source.get(source, 0) >= MAX_FINDINGS_PER_SOURCE:
                continue
            self._seen.add(key)
            self._per_source[source] = self._per_source.get(source, 0) + 1
            self.findings.append({"where": where, "kind": kind, "value": value, "context": context})

    def partial(self, where: str) -> None:
        """Say once per place that only part of it was read."""
        key = (where, KIND_PARTIAL, "")
        if key in self._seen:
            return
        self._seen.add(key)
        self.findings.append(
            {
                "where": where,
                "kind": KIND_PARTIAL,
                "value": "",
                "context": _(
                    "ตรวจหาข้อมูลส่วนบุคคลได้เพียงบางส่วน เพราะข้อความยาวเกินกว่าที่ระบบตรวจได้"
                    " กรุณาเปิดตรวจส่วนที่เหลือด้วยตนเอง"
                ),
            }
        )

    def unreadable(self, where: str) -> None:
        self.findings.append(
            {
                "where": where,
                "kind": KIND_UNREADABLE,
                "value": "",
                "context": _("ระบบอ่านไฟล์นี้เพื่อตรวจหาข้อมูลส่วนบุคคลไม่ได้ กรุณาเปิดตรวจด้วยตนเอง"),
            }
        )


def scan_publication(
    *, title: str, summary: str, attachments, photos, extra_texts: Iterable = ()
) -> list[dict]:
    """Every national ID and phone number in what would go public, in a stable order.

    ``attachments`` and ``photos`` are :class:`requests.models.Attachment` and
    :class:`~requests.models.Photo` rows (or anything with the same fields); ``extra_texts`` are
    further ``(where, text)`` pairs. Each finding is ``{"where", "kind", "value", "context"}``
    with the number masked in ``value`` and ``context``.
    """
    collector = _Collector(public_numbers())
    collector.scan(_("ชื่อเรื่อง"), title)
    collector.scan(_("สรุปสาระสำคัญ"), summary)
    for index, photo in enumerate(photos, start=1):
        number = getattr(photo, "order", 0) or index
        collector.scan(_("คำบรรยายภาพที่ %(number)s") % {"number": number}, photo.caption)
    for where, text in extra_texts:
        collector.scan(where, text)
    for attachment in attachments:
        _scan_file(collector, attachment)
    return collector.findings


def _scan_file(collector: _Collector, attachment) -> None:
    name = attachment.original_name
    file_where = _('ไฟล์ "%(name)s"') % {"name": name}
    readers = {"pdf": _pdf_texts, "docx": _docx_texts, "xlsx": _xlsx_texts}
    reader = readers.get(attachment.kind)
    if reader is None:  # images: nothing to read without OCR
        return
    if collector.budget.spent:
        collector.partial(file_where)
        return
    try:
        with attachment.file.open("rb") as handle:
            budget = _Budget(min(MAX_TEXT_CHARS, collector.budget.left))
            for where, text in reader(handle, file_where, budget):
                collector.scan(where, text, source=file_where)
                if budget.spent:
                    budget.cut = True
                    break
        if budget.cut:
            collector.partial(file_where)
    except Exception:
        # Uploads were checked when attached, so this is rare (a file gone from storage, a PDF
        # feature pypdf cannot read); the webmaster is asked to look instead of being told
        # nothing was found.
        collector.unreadable(file_where)


class _Budget:
    """How many characters of text may still be read; ``cut`` once anything was left unread."""

    def __init__(self, chars: int):
        self.left = chars
        self.cut = False

    def take(self, text: str) -> str:
        if len(text) > self.left:
            self.cut = True
            text = text[: max(self.left, 0)]
        self.left -= len(text)
        return text

    @property
    def spent(self) -> bool:
        return self.left <= 0


# --- PDF -----------------------------------------------------------------------------------------


def _pdf_texts(handle, file_where: str, budget: _Budget) -> Iterator[tuple[str, str]]:
    """Page by page; pypdf reads the file lazily from the handle."""
    from pypdf import PdfReader

    reader = PdfReader(handle)
    if reader.is_encrypted:
        reader.decrypt("")  # owner-password PDFs (print/edit restrictions) open with ""
    for number, page in enumerate(reader.pages, start=1):
        if number > MAX_PDF_PAGES:
            budget.cut = True
            return
        text = budget.take(page.extract_text() or "")
        yield _("%(file)s หน้า %(page)s") % {"file": file_where, "page": number}, text


# --- Word and Excel (Office Open XML) -----------------------------------------------------------

_TAG_NAME = re.compile(r"([^\s/>]+)(.*)", re.S)
_ATTRIBUTE = re.compile(r"""([\w:.\-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")


def _xml_events(
    stream, limit: int = MAX_XML_BYTES, budget: _Budget | None = None
) -> Iterator[tuple[str, str, dict]]:
    """``("start"|"end"|"text", local name or text, attributes)`` from XML read in chunks.

    Only tags and the text between them are recognised; declarations, comments and entities
    other than the predefined and numeric ones are passed over, never expanded. A part larger
    than ``limit`` is read up to it and marks ``budget`` as cut.
    """
    decoder = codecs.getincrementaldecoder("utf-8")("replace")
    buffer, read = "", 0
    while True:
        chunk = stream.read(READ_CHUNK)
        read += len(chunk)
        if read > limit:
            if budget is not None:
                budget.cut = True
            return
        buffer += decoder.decode(chunk, final=not chunk)
        position = 0
        while (lt := buffer.find("<", position)) != -1:
            gt = buffer.find(">", lt)
            if gt == -1:
                break
            if lt > position:
                yield "text", html.unescape(buffer[position:lt]), {}
            yield from _tag_events(buffer[lt + 1 : gt])
            position = gt + 1
        buffer = buffer[position:]
        if not chunk:
            if buffer and "<" not in buffer:
                yield "text", html.unescape(buffer), {}
            return


def _tag_events(tag: str) -> Iterator[tuple[str, str, dict]]:
    if not tag or tag[0] in "?!":
        return
    if tag[0] == "/":
        yield "end", _local(tag[1:].strip()), {}
        return
    closed = tag.endswith("/")
    match = _TAG_NAME.match(tag[:-1] if closed else tag)
    if match is None:
        return
    name, rest = match.groups()
    attributes = {_local(k): a if a else b for k, a, b in _ATTRIBUTE.findall(rest)}
    yield "start", _local(name), attributes
    if closed:
        yield "end", _local(name), {}


def _local(name: str) -> str:
    return name.rsplit(":", 1)[-1]


def _docx_part_text(stream, budget: _Budget) -> str:
    """The text of a Word part: runs joined within a paragraph, paragraphs on their own lines."""
    lines, current, in_text = [], [], False
    for event, value, _attrs in _xml_events(stream, budget=budget):
        if event == "text":
            if in_text:
                current.append(value)
        elif event == "start":
            if value == "t":
                in_text = True
            elif value == "tab":
                current.append(" ")
            elif value in ("br", "cr"):
                current.append("\n")
        elif value == "t":
            in_text = False
        elif value == "p":
            lines.append(budget.take("".join(current)))
            current = []
            if budget.spent:
                break
    if current:
        lines.append(budget.take("".join(current)))
    return "\n".join(lines)


DOCX_PARTS = (
    (re.compile(r"word/document\d*\.xml"), ""),
    (re.compile(r"word/header\d*\.xml"), gettext_noop("ส่วนหัวกระดาษ")),
    (re.compile(r"word/footer\d*\.xml"), gettext_noop("ส่วนท้ายกระดาษ")),
    (re.compile(r"word/(footnotes|endnotes)\.xml"), gettext_noop("เชิงอรรถ")),
    (re.compile(r"word/comments\.xml"), gettext_noop("ข้อคิดเห็นในเอกสาร")),
)


def _natural_key(name: str):
    return [int(p) if p.isdigit() else p for p in re.split(r"(\d+)", name)]


def _docx_texts(handle, file_where: str, budget: _Budget) -> Iterator[tuple[str, str]]:
    """The body first, then headers, footers, notes and Word comments (all go out with it)."""
    with zipfile.ZipFile(handle) as archive:
        names = sorted(archive.namelist(), key=_natural_key)
        for pattern, label in DOCX_PARTS:
            where = f"{file_where} {_(label)}" if label else file_where
            for name in names:
                if pattern.fullmatch(name):
                    with archive.open(name) as stream:
                        yield where, _docx_part_text(stream, budget)
                    if budget.spent:
                        return


def _read_small(archive: zipfile.ZipFile, name: str, limit: int = 1024 * 1024) -> str:
    try:
        with archive.open(name) as stream:
            return stream.read(limit).decode("utf-8", "replace")
    except KeyError:
        return ""


def _xlsx_sheets(archive: zipfile.ZipFile) -> list[tuple[str, str]]:
    """(sheet name, part name) in the workbook's order."""
    workbook = _read_small(archive, "xl/workbook.xml")
    rels = _read_small(archive, "xl/_rels/workbook.xml.rels")
    targets = {}
    for _e, _name, attrs in _events_of(rels):
        if "Id" in attrs and "Target" in attrs:
            target = attrs["Target"]
            path = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
            targets[attrs["Id"]] = posixpath.normpath(path)
    sheets = []
    for event, name, attrs in _events_of(workbook):
        if event == "start" and name == "sheet" and attrs.get("id") in targets:
            sheets.append((attrs.get("name", ""), targets[attrs["id"]]))
    if sheets:
        return sheets
    parts = [n for n in archive.namelist() if re.fullmatch(r"xl/worksheets/[^/]+\.xml", n)]
    return [(posixpath.basename(n).rsplit(".", 1)[0], n) for n in sorted(parts, key=_natural_key)]


def _events_of(text: str):
    return _xml_events(io.BytesIO(text.encode("utf-8")))


def _shared_strings(archive: zipfile.ZipFile, budget: _Budget) -> list[str]:
    """The workbook's shared strings (phonetic guides left out), within the text budget."""
    try:
        stream = archive.open("xl/sharedStrings.xml")
    except KeyError:
        return []
    strings, current, in_text, in_phonetic = [], [], False, False
    with stream:
        for event, value, _attrs in _xml_events(stream, budget=budget):
            if event == "text":
                if in_text and not in_phonetic:
                    current.append(value)
            elif event == "start":
                in_text = in_text or value == "t"
                in_phonetic = in_phonetic or value == "rPh"
            elif value == "t":
                in_text = False
            elif value == "rPh":
                in_phonetic = False
            elif value == "si":
                strings.append(budget.take("".join(current)))
                current = []
                if budget.spent:
                    break
    return strings


def _number_text(value: str) -> str:
    """Excel writes big whole numbers as 1.234567890123E+12 sometimes; digits are what we scan."""
    if "E" in value.upper() or "." in value:
        try:
            number = Decimal(value)
        except InvalidOperation:
            return value
        if number == number.to_integral_value() and abs(number) < Decimal(10) ** 15:
            return str(int(number))
    return value


def _xlsx_texts(handle, file_where: str, budget: _Budget) -> Iterator[tuple[str, str]]:
    """Cell by cell, sheet by sheet, so a finding names the sheet and the cell."""
    with zipfile.ZipFile(handle) as archive:
        shared = _shared_strings(archive, budget)
        for sheet_name, part in _xlsx_sheets(archive):
            try:
                stream = archive.open(part)
            except KeyError:
                continue
            with stream:
                for ref, text in _cells(stream, shared, budget):
                    where = _('%(file)s แผ่นงาน "%(sheet)s" เซลล์ %(cell)s') % {
                        "file": file_where,
                        "sheet": sheet_name,
                        "cell": ref,
                    }
                    yield where, budget.take(text)
                    if budget.spent:
                        return


def _cells(stream, shared: list[str], budget: _Budget) -> Iterator[tuple[str, str]]:
    ref, kind, value, inline, capture = "", "", [], [], ""
    for event, name, attrs in _xml_events(stream, budget=budget):
        if event == "start":
            if name == "c":
                ref, kind, value, inline = attrs.get("r", ""), attrs.get("t", "n"), [], []
            elif name in ("v", "t"):
                capture = name
        elif event == "text":
            if capture == "v":
                value.append(name)
            elif capture == "t":
                inline.append(name)
        elif name in ("v", "t"):
            capture = ""
        elif name == "c":
            raw = "".join(value).strip()
            if kind == "s":
                text = shared[int(raw)] if raw.isdigit() and int(raw) < len(shared) else ""
            elif kind == "inlineStr":
                text = "".join(inline)
            elif kind in ("str", "n"):
                text = _number_text(raw) if kind == "n" else raw
            else:  # booleans and errors
                text = ""
            if text:
                yield ref, text
