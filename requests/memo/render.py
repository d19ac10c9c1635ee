"""Render :class:`~requests.memo.data.MemoData` as the PDF memo บันทึกข้อความ.

The pipeline: prepare every value as display text (Thai digits, B.E. dates, labels) → Django
template with autoescape → WeasyPrint with the allow-listed :class:`MemoURLFetcher`, its text
layer mapped per grapheme by :mod:`esa_publish.pdf_text` so that search and copy read back what
was typed (ำ included). No user value is ever marked safe, so what a person typed
prints as text and never as markup or CSS.

Parsing the stylesheet and loading the fonts costs more than laying out a one-page memo, so the
WeasyPrint ``FontConfiguration`` and ``CSS`` objects are built once per thread and font family
and reused. They are per thread, not shared, because Pango's font map is not meant to be used
from two threads at once; a sync gunicorn worker has exactly one.
"""

from __future__ import annotations

import base64
import functools
import logging
import re
import threading
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from esa_publish import pdf_text
from esa_publish.thai.dates import format_be_long
from esa_publish.thai.digits import to_thai_digits
from requests.memo.data import MemoData, SignatureBlock
from requests.memo.fetcher import FONT_DIR, MemoURLFetcher

pdf_text.install()

logger = logging.getLogger(__name__)

TEMPLATE = "requests/memo.html"
BUNDLED_FAMILY = "Sarabun"
#: Nominal body size of the TH Sarabun fonts, which draw Thai letters small for their point size.
TH_SARABUN_BODY_PT = 16.0
#: Google's Sarabun has Western-size letters (cap height 0.7 em); the TH Sarabun fonts shrink Thai
#: letters so that 14-16 pt Thai matches 10-11 pt Latin. 11 pt Sarabun looks like 16 pt TH Sarabun.
BUNDLED_BODY_PT = 11.0
#: WeasyPrint's ``pdf_variant`` for the documents people read on screen: tagged PDF/UA-1, so a
#: screen reader follows headings, paragraphs and tables in order, with Title, Author, Language.
ACCESSIBLE_VARIANT = "pdf/ua-1"
#: For the memo frozen at publication, kept as evidence for years: PDF/A-3 conformance level "a",
#: i.e. PDF/A-3b (fonts embedded, colours defined, self-contained) that is also tagged with
#: Unicode text, so the archived copy keeps everything the PDF/UA memo offers.
ARCHIVAL_VARIANT = "pdf/a-3a"

#: An emblem larger than this is not embedded (it is shown 1.5 cm high; a few hundred KB is plenty).
EMBLEM_MAX_BYTES = 2 * 1024 * 1024

#: The memo's stylesheet, parsed once per thread (see _resources).
MEMO_CSS_PATH = Path(settings.BASE_DIR) / "static" / "css" / "memo.css"
#: The defaults the memo's elements need, in place of WeasyPrint's stylesheet for all of HTML.
MEMO_UA_CSS_PATH = Path(settings.BASE_DIR) / "static" / "css" / "memo-ua.css"

#: Entries (a few per distinct image) before the per-thread image cache starts afresh.
IMAGE_CACHE_MAX_ENTRIES = 64

#: Up to this many files, the list is never split across pages (memo.css, "Attachments").
SHORT_ATTACHMENT_LIST = 12
WATERMARK_HEIGHT_PT = 172
WATERMARK_MAX_WIDTH_PT = 480
#: The word across every page: a draft, or a request that ended without being allowed.
WATERMARKS = {"rejected": "ไม่อนุญาต", "withdrawn": "ถอนคำขอ"}
#: Under the title of such a memo, so that nobody files it as pending or allowed.
CLOSED_NOTICES = {
    "rejected": "ผู้อำนวยการไม่อนุญาตให้เผยแพร่ตามคำขอนี้",
    "withdrawn": "ผู้ขอถอนคำขอนี้แล้ว ไม่มีการพิจารณาต่อ",
}
#: Words that read wrong when a line breaks inside them ("ประถม | ศึกษา"), kept on one line.
NO_BREAK_WORDS = (
    "สำนักงานเขตพื้นที่การศึกษา",
    "ประถมศึกษา",
    "มัธยมศึกษา",
    "รองผู้อำนวยการ",
    "ผู้อำนวยการ",
    "ปฏิบัติราชการแทน",
    "รักษาราชการแทน",
    "ชำนาญการพิเศษ",
    "ชำนาญการ",
)

_ACTING_PREFIXES = ("ปฏิบัติราชการแทน", "รักษาราชการแทน")
_IMAGE_TYPES = ((b"\x89PNG\r\n\x1a\n", "image/png"), (b"\xff\xd8\xff", "image/jpeg"))


def render_memo_pdf(
    data: MemoData, *, font_family: str | None = None, variant: str = ACCESSIBLE_VARIANT
) -> bytes:
    """The memo as PDF bytes (``variant``: :data:`ACCESSIBLE_VARIANT` or :data:`ARCHIVAL_VARIANT`).

    ``font_family`` overrides ``settings.MEMO_FONT_FAMILY``. "Sarabun" is the bundled font from
    the ``fontpkg-sarabun`` package; any other name must be a family installed for fontconfig
    (e.g. "TH SarabunIT๙"), with the bundled Sarabun as fallback for missing glyphs.
    """
    return write_pdf(
        render_memo_html(data),
        family=document_font_family(font_family),
        user_agent_css_path=MEMO_UA_CSS_PATH,
        variant=variant,
    )


def document_font_family(override: str | None = None) -> str:
    """The font family of the office's documents: ``override``, else MEMO_FONT_FAMILY, else the
    bundled Sarabun."""
    return (override or getattr(settings, "MEMO_FONT_FAMILY", "") or BUNDLED_FAMILY).strip()


def write_pdf(
    html: str,
    *,
    family: str,
    css_path: Path | None = None,
    user_agent_css_path: Path | None = None,
    variant: str = ACCESSIBLE_VARIANT,
) -> bytes:
    """``html`` (our own template's output) as PDF, laid out with ``css_path`` (the memo's
    stylesheet by default) in ``family``, through the locked-down fetcher. The memo and the
    quarterly report both come through here, sharing the cached resources below.

    ``user_agent_css_path`` replaces WeasyPrint's default stylesheet for all of HTML with one
    made for a known template (the memo's: a sixth less time per render); None keeps the default.
    ``variant`` is WeasyPrint's ``pdf_variant``. The document's metadata comes from its head:
    ``<title>``, ``<meta name="author">``, ``<meta name="dcterms.created">`` and ``<html lang>``.
    """
    resources = _resources(family, css_path or MEMO_CSS_PATH, user_agent_css_path)
    if len(resources.image_cache) > IMAGE_CACHE_MAX_ENTRIES:
        resources.image_cache.clear()  # e.g. an office that keeps replacing its emblem
    document = _HTML(string=html, url_fetcher=resources.fetcher)
    document.user_agent_stylesheets = resources.user_agent_stylesheets
    return document.write_pdf(
        stylesheets=resources.stylesheets,
        font_config=resources.font_config,
        cache=resources.image_cache,
        pdf_variant=variant,
    )


class _HTML(HTML):
    """WeasyPrint's HTML document, with the default stylesheet replaceable per document.

    WeasyPrint has no public option for it: it asks its own ``_ua_stylesheets`` method. Should a
    later version stop asking, the override is simply not called and the memo renders with the
    complete default sheet, as correctly and a little slower (the comparison test still passes).
    """

    user_agent_stylesheets: list[CSS] | None = None

    def _ua_stylesheets(self, *args, **kwargs):
        if self.user_agent_stylesheets is not None:
            return self.user_agent_stylesheets
        return super()._ua_stylesheets(*args, **kwargs)


def render_memo_html(data: MemoData) -> str:
    """The HTML handed to WeasyPrint (useful for debugging the layout in a browser)."""
    return render_to_string(TEMPLATE, memo_context(data))


# --- Preparing the values ----------------------------------------------------------------------


def memo_context(data: MemoData) -> dict:
    """Template context: every value is display text; nothing is marked safe."""
    digits = to_thai_digits
    return {
        "author": data.requester_name or data.office_name_th,
        "created": created_now(),
        "draft": data.draft,
        # Read out by screen readers (the tagged PDF's alternative text), never extracted as text.
        "watermark_word": _watermark_word(data),
        "watermark_src": watermark_data_url(_watermark_word(data)) if _watermark_word(data) else "",
        "closed_notice": CLOSED_NOTICES.get(data.closed_as or "", ""),
        "verify_qr": _qr_data_url(data.verify_url) if data.verify_url else "",
        "verify_url": data.verify_url,
        "verify_code": digits(data.verify_code),
        "emblem_src": _emblem_data_url(data.emblem_path),
        "unit_line": digits(_join(data.office_short_name, data.unit_name)),
        "phone": digits(data.unit_phone),
        "doc_number": digits(data.doc_number),
        "date_text": _date(data.date),
        "subject": digits(data.effective_subject),
        "addressee": digits(data.effective_addressee),
        "requester_name": data.requester_name,
        "requester_position": digits(data.requester_position),
        "requester_group": data.requester_group,
        "group_line": _prefixed("กลุ่ม", digits(data.requester_group)),
        "publish_title": digits(data.publish_title),
        "purpose": digits(data.purpose),
        "file_formats": "/ ".join(data.file_formats),
        "channel": data.delivery_channel,
        # Addresses and free "other" text are identifiers: their digits stay as typed.
        "delivery_email": data.delivery_email,
        "delivery_other": data.delivery_other,
        "sign_rows": _signature_rows(data),
        "attachments": [
            {"name": item.name, "size": format_size(item.size_bytes)} for item in data.attachments
        ],
        "attachment_count": digits(len(data.attachments)),
        "attachments_short": len(data.attachments) <= SHORT_ATTACHMENT_LIST,
    }


def _watermark_word(data: MemoData) -> str:
    if data.closed_as:
        return WATERMARKS[data.closed_as]
    return "ร่าง" if data.draft else ""


def _qr_data_url(url: str) -> str:
    """``url`` as a QR code (SVG data: URL, no border: the page margin is the quiet zone)."""
    import segno

    return segno.make(url, error="m").svg_data_uri(border=0, dark="#000")


def keep_together(text: str, extra: tuple[str, ...] = ()) -> SafeString:
    """``text``, escaped, with :data:`NO_BREAK_WORDS`, ``extra`` and "เขต ๑" in no-break spans.

    Thai has no spaces between words, so the line breaker uses a dictionary, which splits
    compounds such as "ประถมศึกษา" or an office's "เขต ๑". Each becomes an inline-block that
    does not wrap (``.word`` in memo.css): whole itself, with a break allowed before and after
    it, so that "ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษาประถมศึกษา…" still wraps in a narrow column
    (adjacent plain no-wrap spans would fuse into one overlong unit, and WeasyPrint's Pango
    ignores WORD JOINER inside Thai). No character is added to the text. The result is markup
    built from escaped parts only.
    """
    words = sorted({w for w in (*NO_BREAK_WORDS, *extra) if w}, key=len, reverse=True)
    pattern = "|".join([*(re.escape(w) for w in words), r"เขต\s*[๐-๙0-9]+"])
    parts, last = [], 0
    for match in re.finditer(pattern, text):
        parts.append(escape(text[last : match.start()]))
        parts.append(f'<span class="word">{escape(match.group())}</span>')
        last = match.end()
    parts.append(escape(text[last:]))
    return mark_safe("".join(parts))  # noqa: S308 - every part above is escaped


def _signature_rows(data: MemoData) -> list[list[dict | None]]:
    """Seed 000's order: requester (right half); first review | webmaster; deputy | director."""
    first_label = {
        "group_director": "ผอ.กลุ่มฯ",
        "legal_officer": "นิติกร",
    }.get(data.first_review_role or "", "ผอ.กลุ่มฯ/นิติกร")
    requester = _block(data.requester_signature, sign_suffix="ผู้ขออนุญาต", show_date=False)
    first_heading = {
        "group_director": "ความเห็นของผู้อำนวยการกลุ่ม",
        "legal_officer": "ความเห็นของนิติกร",
    }.get(data.first_review_role or "", "ความเห็นของ ผอ.กลุ่มฯ/นิติกร")
    first = _block(
        data.first_review,
        # The seed's form has no heading here; a written opinion needs one to read as such.
        heading=(first_heading, "") if data.first_review.comment else None,
        sign_suffix=first_label,
    )
    webmaster = _block(
        data.webmaster,
        heading=("ผู้มีหน้าที่เผยแพร่ข้อมูล/ผู้ดูแลระบบ", ""),
        statement=(
            "ข้าพเจ้าขอรับรองว่าข้อมูลที่ได้รับ ผ่านการตรวจสอบความถูกต้องเรียบร้อยแล้ว"
            f" และขออนุญาตเผยแพร่บนเว็บไซต์ของ{to_thai_digits(data.office_name_th)}"
        ),
        sign_suffix="ผู้เผยแพร่ข้อมูล/ผู้ดูแลระบบ",
    )
    short = to_thai_digits(data.office_short_name)
    deputy = _block(
        data.deputy,
        heading=("ความเห็นของ", f"รอง ผอ.{short}"),
        choices=[
            ("เห็นควรอนุญาต", data.deputy_opinion == "allow"),
            ("เห็นควรไม่อนุญาต", data.deputy_opinion == "deny"),
        ],
        comment_blanks=2,
    )
    director = _block(
        data.director,
        heading=("ความเห็นของผู้อำนวยการ", short),
        choices=[
            ("อนุญาต", data.director_decision == "allow"),
            ("ไม่อนุญาต", data.director_decision == "deny"),
        ],
        comment_blanks=2,
    )
    if data.second_review is not None:  # the group director and the legal officer both
        second = _block(
            data.second_review,
            heading=("ความเห็นของนิติกร", "") if data.second_review.comment else None,
            sign_suffix="นิติกร",
        )
        return [[None, requester], [first, webmaster], [second, None], [deputy, director]]
    return [[None, requester], [first, webmaster], [deputy, director]]


def _block(
    block: SignatureBlock,
    *,
    sign_suffix: str = "",
    heading: tuple[str, str] | None = None,
    statement: str = "",
    choices: list[tuple[str, bool]] | None = None,
    comment_blanks: int = 0,
    show_date: bool = True,
) -> dict:
    """One signature block's display values.

    ``heading`` is (text, tail); the tail, an office's short name such as "สพป.ฉะเชิงเทรา เขต ๑",
    is kept on one line so that "เขต ๑" never wraps apart.
    """
    taken = block.taken
    return {
        "heading": heading[0] if heading else "",
        "heading_tail": heading[1] if heading else "",
        "statement": statement,
        "choices": choices or [],
        "comment": to_thai_digits(block.comment) if block.comment else "",
        # Dotted lines for a handwritten comment, only while the step is still open.
        "comment_blanks": range(0 if taken or block.comment else comment_blanks),
        "sign_suffix": sign_suffix,
        "name": block.name or "",
        # Centred lines in a half-width column: where "ประถม | ศึกษา" would otherwise break.
        "position": keep_together(to_thai_digits(block.position)) if block.position else "",
        "acting_lines": [
            keep_together(line)
            for line in _acting_lines(to_thai_digits(block.acting_capacity or ""))
        ],
        # Given in the system: said on the signature line, with the time, so that nobody
        # wonders whether to sign by hand (the name and position below say by whom).
        "signed_in_system": block.signed_at is not None,
        "show_date": show_date or block.signed_at is not None,
        "date_text": _signed_when(block.signed_at) if block.signed_at else _date(block.date),
    }


def _signed_when(when) -> str:
    """ "๑๕ มีนาคม ๒๕๖๖ เวลา ๑๐.๓๒ น.": when a step was taken in the system."""
    when = timezone.localtime(when) if timezone.is_aware(when) else when
    return f"{_date(when.date())} เวลา {to_thai_digits(f'{when:%H.%M}')} น."


def _acting_lines(text: str) -> list[str]:
    """ "ปฏิบัติราชการแทน ผู้อำนวยการ…" as two lines, the way signed letters print it."""
    text = " ".join(text.split())
    for prefix in _ACTING_PREFIXES:
        if text.startswith(prefix) and text[len(prefix) :].strip():
            return [prefix, text[len(prefix) :].strip()]
    return [text] if text else []


def created_now() -> str:
    """Now as a W3C date-time, for the PDF's creation date (``<meta name="dcterms.created">``)."""
    return timezone.localtime().replace(microsecond=0).isoformat()


def _date(value) -> str:
    return format_be_long(value, thai_digits=True) if value else ""


def _join(*parts: str) -> str:
    return " ".join(p.strip() for p in parts if p and p.strip())


def _prefixed(label: str, value: str) -> str:
    """ "กลุ่ม <value>" unless the value already names its kind ("กลุ่มนโยบายและแผน", "หน่วย…")."""
    value = value.strip()
    if value.startswith(("กลุ่ม", "หน่วย")):
        return value
    return f"{label} {value}" if value else label


def format_size(size_bytes: int) -> str:
    """A file size in Thai digits with binary units: "๕๑๒ B", "๘๔ KB", "๑.๒ MB", "๒ GB"."""
    size = max(int(size_bytes), 0)
    if size < 1024:
        return f"{to_thai_digits(size)} B"
    if size < 1000 * 1024:
        return f"{to_thai_digits(round(size / 1024))} KB"
    for unit, scale in (("MB", 1024**2), ("GB", 1024**3)):
        value = size / scale
        if value < 1000 or unit == "GB":
            text = f"{value:.1f}".removesuffix(".0")
            return f"{to_thai_digits(text)} {unit}"
    raise AssertionError("unreachable")


def _emblem_data_url(path: Path | None) -> str:
    """The emblem as a data: URL, so the fetcher never needs MEDIA_ROOT; "" if unusable."""
    if path is None:
        return ""
    try:
        with Path(path).open("rb") as handle:
            content = handle.read(EMBLEM_MAX_BYTES + 1)
    except OSError as error:
        logger.warning("memo emblem %s not readable: %s", path, error)
        return ""
    if len(content) > EMBLEM_MAX_BYTES:
        logger.warning("memo emblem %s is larger than %d bytes; left out", path, EMBLEM_MAX_BYTES)
        return ""
    for magic, mime_type in _IMAGE_TYPES:
        if content.startswith(magic):
            return f"data:{mime_type};base64,{base64.b64encode(content).decode('ascii')}"
    logger.warning("memo emblem %s is neither PNG nor JPEG; left out", path)
    return ""


@functools.lru_cache(maxsize=8)
def watermark_data_url(word: str) -> str:
    """``word`` in bold Sarabun as an SVG image of the glyph outlines, as a data: URL.

    A watermark drawn as text would be read by every extractor and screen reader in the middle
    of the memo ("ร่าง" inside the subject line); outlines are seen and never read. The glyphs are
    set by their advance widths alone: Thai marks in Sarabun are drawn to the left of their
    zero-width origin, over the letter before them, which is all a one-word watermark needs.
    """
    from fontTools.pens.svgPathPen import SVGPathPen
    from fontTools.ttLib import TTFont

    font = TTFont(FONT_DIR / "Sarabun-Bold.ttf")
    cmap, glyphs, metrics = font.getBestCmap(), font.getGlyphSet(), font["hmtx"]
    ascent, descent = font["hhea"].ascent, font["hhea"].descent
    paths, x = [], 0
    for char in word:
        name = cmap.get(ord(char))
        if name is None:
            continue
        pen = SVGPathPen(glyphs)
        glyphs[name].draw(pen)
        # Font units point up; SVG's y axis points down.
        paths.append(
            f'<path transform="translate({x} {ascent}) scale(1 -1)" d="{pen.getCommands()}"/>'
        )
        x += metrics[name][0]
    # 172 pt tall (the line box of the 12rem bold word it was as text), narrower than 17 cm.
    height = ascent - descent
    scale = min(WATERMARK_HEIGHT_PT / height, WATERMARK_MAX_WIDTH_PT / x)
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {x} {height}"'
        f' width="{x * scale:.0f}pt" height="{height * scale:.0f}pt">'
        f'<g fill="#000" fill-opacity="0.09">{"".join(paths)}</g></svg>'
    )
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode("ascii")


# --- Cached WeasyPrint resources ---------------------------------------------------------------


@dataclass(frozen=True)
class _Resources:
    fetcher: MemoURLFetcher
    font_config: FontConfiguration
    stylesheets: list[CSS]
    #: In place of WeasyPrint's default stylesheet (None: WeasyPrint's own).
    user_agent_stylesheets: list[CSS] | None
    #: WeasyPrint's image cache (the leader dots, the emblem), kept across renders: decoding the
    #: dots' SVG for every memo cost about a third of the render time. A cached SVG image keeps a
    #: reference to the document it was first drawn in, so at most one old document stays alive.
    image_cache: dict


_local = threading.local()


def _resources(family: str, css_path: Path, user_agent_css_path: Path | None) -> _Resources:
    cache = getattr(_local, "resources", None)
    if cache is None:
        cache = _local.resources = {}
    key = (css_path, user_agent_css_path, family)
    resources = cache.get(key)
    if resources is None:
        resources = cache[key] = _build_resources(family, css_path, user_agent_css_path)
    return resources


def _build_resources(family: str, css_path: Path, user_agent_css_path: Path | None) -> _Resources:
    fetcher = MemoURLFetcher()
    font_config = FontConfiguration()
    layout = CSS(
        string=css_path.read_text(encoding="utf-8"),
        url_fetcher=fetcher,
        font_config=font_config,
    )
    fonts = CSS(string=font_css(family), url_fetcher=fetcher, font_config=font_config)
    user_agent = None
    if user_agent_css_path is not None:
        user_agent = [
            CSS(string=user_agent_css_path.read_text(encoding="utf-8"), url_fetcher=fetcher)
        ]
    return _Resources(fetcher, font_config, [layout, fonts], user_agent, {})


def font_css(family: str) -> str:
    """@font-face rules for the bundled Sarabun and the root font family and size.

    The bundled faces are always declared: for another family they are the fallback for glyphs
    it lacks, which works only if the name resolves, and Sarabun is not installed system-wide.
    """
    faces = "".join(
        f"@font-face {{ font-family: {BUNDLED_FAMILY}; font-weight: {weight};"
        f" src: url({(FONT_DIR / filename).as_uri()}); }}\n"
        for weight, filename in ((400, "Sarabun-Regular.ttf"), (700, "Sarabun-Bold.ttf"))
    )
    size = getattr(settings, "MEMO_FONT_SIZE_PT", None)
    if family == BUNDLED_FAMILY:
        stack = BUNDLED_FAMILY
        size = size or BUNDLED_BODY_PT
    else:
        stack = f"{_css_string(family)}, {BUNDLED_FAMILY}"
        size = size or TH_SARABUN_BODY_PT
    return f"{faces}html {{ font-family: {stack}; font-size: {float(size):g}pt; }}\n"


def _css_string(value: str) -> str:
    """``value`` as a quoted CSS string; control characters (newlines included) are dropped."""
    cleaned = "".join(ch for ch in value if ch.isprintable())
    return '"' + cleaned.replace("\\", "\\\\").replace('"', '\\"') + '"'
