"""The A4 notice-board poster of a published item, through the memo's PDF machinery (WeasyPrint
with the locked-down URL fetcher, fonts and stylesheets cached per thread).

An official notice, so Thai digits throughout and the date in B.E.; the QR code leads to the
item's public page, for people reading the board with a phone in hand.
"""

from __future__ import annotations

import base64
from pathlib import Path

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from esa_publish.office.models import Office
from esa_publish.thai.dates import format_be_long
from esa_publish.thai.digits import to_thai_digits
from outreach.images import words
from requests.memo.render import document_font_family, write_pdf

POSTER_CSS_PATH = Path(settings.BASE_DIR) / "static" / "css" / "poster.css"
EMBLEM_MAX_BYTES = 2 * 1024 * 1024
SUMMARY_MAX_CHARS = 420  # what fits the page at the poster's size; the QR leads to the rest
ZWSP = "\u200b"
NBSP = "\u00a0"
DIGITS = tuple("๐๑๒๓๔๕๖๗๘๙0123456789")


def _emblem(office: Office) -> str:
    if not office.emblem:
        return ""
    try:
        with office.emblem.open("rb") as handle:
            content = handle.read(EMBLEM_MAX_BYTES + 1)
    except (OSError, ValueError):
        return ""
    if len(content) > EMBLEM_MAX_BYTES:
        return ""
    kind = "image/png" if content.startswith(b"\x89PNG") else "image/jpeg"
    return f"data:{kind};base64,{base64.b64encode(content).decode()}"


def breakable(text: str) -> str:
    """``text`` as HTML where a line may break only between Thai words.

    Pango's own Thai breaking (libthai's dictionary) may split names and compounds on a big
    poster title; PyThaiNLP cuts the words with the same dictionary as search, each is kept whole
    (``white-space: nowrap``) and a zero-width space between them is where a line may end. A
    number stays with the word before it ("เขต ๑"). Every word is escaped.
    """
    tokens = words(text)
    groups: list[str] = []  # whole words, a number glued to the word before it; " " between
    glue = False
    for index, token in enumerate(tokens):
        following = tokens[index + 1] if index + 1 < len(tokens) else ""
        if token.isspace():
            glue = bool(groups) and groups[-1] != " " and following[:1] in DIGITS
            if glue:
                groups[-1] += NBSP
            else:
                groups.append(" ")
        elif glue:
            groups[-1] += token
            glue = False
        elif token:
            groups.append(token)
    parts = [g if g == " " else format_html('<span class="w">{}</span>', g) for g in groups]
    return mark_safe(ZWSP.join(parts))  # noqa: S308 (each part escaped by format_html)


def short_url(item) -> str:
    """``/catalog/<id>/-/``: redirects to the item's page; short enough to type from paper and
    to keep the QR code coarse (a Thai slug is nine characters per letter once encoded)."""
    return settings.SITE_URL + reverse("catalog:item", args=[item.pk, "-"])


def poster_html(item, *, page_url: str, primary: str, accent: str) -> str:
    office = Office.current()
    summary = " ".join(item.summary.split())
    if len(summary) > SUMMARY_MAX_CHARS:
        summary = summary[:SUMMARY_MAX_CHARS].rsplit(" ", 1)[0] + " …"
    digits = to_thai_digits
    context = {
        "office_name": breakable(digits(office.name_th)),
        "emblem_src": _emblem(office),
        "title": breakable(digits(item.title)),
        "summary": breakable(digits(summary)),
        "category": digits(str(item.category)),
        "date_text": format_be_long(timezone.localtime(item.published_at).date(), thai_digits=True),
        "qr_src": segno.make(page_url, error="m").svg_data_uri(border=0, dark=primary),
        "page_url": page_url,
        "primary": primary,
        "accent": accent,
    }
    return render_to_string("outreach/poster.html", context)


def render_poster_pdf(item, *, page_url: str, primary: str, accent: str) -> bytes:
    return write_pdf(
        poster_html(item, page_url=page_url, primary=primary, accent=accent),
        family=document_font_family(),
        css_path=POSTER_CSS_PATH,
    )
