"""The share image: 1200×630 (what Facebook, LINE and X show for a link), the title in Thai on
the office's colours, the cover photo beside it when there is one. It is also the item's og:image.

Thai needs complex text layout (vowels and tone marks stacked on consonants): Pillow does it with
libraqm, which the Pillow wheels carry and which needs FriBiDi from the system (libfribidi0,
in the Makefile's SYSTEM_PACKAGES). Without it Pillow's basic layout draws marks in the wrong
place, so the module refuses rather than make an ugly image (see ``layout_engine``).
Lines are broken between words as PyThaiNLP cuts them: Thai writes no spaces between words.
"""

from __future__ import annotations

import io
import unicodedata
from functools import lru_cache

from django.utils import timezone
from PIL import Image, ImageDraw, ImageFont, ImageOps, features

from esa_publish.thai.dates import format_be_long
from requests.memo.fetcher import FONT_DIR

WIDTH, HEIGHT = 1200, 630
PHOTO_WIDTH = 450
MARGIN = 64
TITLE_SIZES = (66, 60, 54, 48, 44, 40)
TITLE_MAX_LINES = 4
JPEG_QUALITY = 88


def layout_engine():
    if not features.check("raqm"):
        raise RuntimeError("Pillow has no libraqm: Thai cannot be laid out (install libfribidi0)")
    return ImageFont.Layout.RAQM


@lru_cache(maxsize=32)
def font(weight: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(
        str(FONT_DIR / f"Sarabun-{weight}.ttf"), size, layout_engine=layout_engine()
    )


@lru_cache(maxsize=1)
def _tokenizer():
    from pythainlp.tokenize import word_tokenize

    return word_tokenize


def words(text: str) -> list[str]:
    """Display tokens of ``text`` (spaces kept), cut between Thai words."""
    return _tokenizer()(" ".join(text.split()), engine="newmm", keep_whitespace=True)


def _clusters(token: str) -> list[str]:
    """``token`` in pieces that never separate a mark from its consonant."""
    pieces: list[str] = []
    for ch in token:
        if pieces and (unicodedata.combining(ch) or ch in "ำะาๅ"):
            pieces[-1] += ch
        else:
            pieces.append(ch)
    return pieces


def wrap(tokens: list[str], face: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """Greedy lines of at most ``width`` pixels from ``tokens`` (:func:`words`), broken between
    words (inside a word only when the word alone is too wide)."""
    lines: list[str] = []
    line = ""
    for token in tokens:
        if face.getlength((line + token).rstrip()) <= width:
            line += token
            continue
        if line.strip():
            lines.append(line.strip())
        line = "" if token.isspace() else token
        if face.getlength(line) > width:  # one word wider than the line: cut it
            line = ""
            for piece in _clusters(token):
                if face.getlength(line + piece) > width and line:
                    lines.append(line)
                    line = ""
                line += piece
    if line.strip():
        lines.append(line.strip())
    return lines


def fit_title(title: str, width: int) -> tuple[ImageFont.FreeTypeFont, list[str]]:
    """The largest size at which ``title`` fits in four lines; else the smallest, shortened."""
    tokens = words(title)
    for size in TITLE_SIZES:
        face = font("Bold", size)
        lines = wrap(tokens, face, width)
        if len(lines) <= TITLE_MAX_LINES:
            return face, lines
    lines = lines[:TITLE_MAX_LINES]
    last = lines[-1]
    while last and face.getlength(last + "…") > width:
        last = last[:-1]
    lines[-1] = last.rstrip() + "…"
    return face, lines


def _hex(value: str) -> tuple[int, int, int]:
    value = value.lstrip("#")
    return tuple(int(value[i : i + 2], 16) for i in (0, 2, 4))


def _readable_on(rgb: tuple[int, int, int]) -> tuple[int, int, int]:
    """White on dark colours, near-black on light ones."""
    r, g, b = rgb
    return (255, 255, 255) if (0.299 * r + 0.587 * g + 0.114 * b) < 150 else (29, 36, 48)


def render_share_image(
    *,
    title: str,
    office_name: str,
    category: str,
    published_at,
    host: str,
    primary: str,
    accent: str,
    cover: Image.Image | None = None,
) -> bytes:
    """The image as JPEG bytes."""
    background = _hex(primary)
    ink = _readable_on(background)
    accent_rgb = _hex(accent)
    image = Image.new("RGB", (WIDTH, HEIGHT), background)
    draw = ImageDraw.Draw(image)
    text_right = WIDTH - MARGIN
    if cover is not None:
        photo = ImageOps.fit(
            ImageOps.exif_transpose(cover).convert("RGB"),
            (PHOTO_WIDTH, HEIGHT),
            method=Image.Resampling.BILINEAR,
        )
        image.paste(photo, (WIDTH - PHOTO_WIDTH, 0))
        draw.rectangle((WIDTH - PHOTO_WIDTH - 10, 0, WIDTH - PHOTO_WIDTH, HEIGHT), fill=accent_rgb)
        text_right = WIDTH - PHOTO_WIDTH - 10 - MARGIN
    draw.rectangle((0, 0, MARGIN // 2 - 12, HEIGHT), fill=accent_rgb)
    text_width = text_right - MARGIN

    header = font("SemiBold", 30)
    draw.text((MARGIN, 56), office_name, font=header, fill=accent_rgb)
    face, lines = fit_title(title, text_width)
    line_height = int(face.size * 1.45)
    top = 56 + 30 + 48
    block = line_height * len(lines)
    # Centre the title in the space between the header and the footer.
    top += max(0, (HEIGHT - 130 - top - block) // 2)
    for index, line in enumerate(lines):
        draw.text((MARGIN, top + index * line_height), line, font=face, fill=ink)

    footer = font("Regular", 26)
    date_text = (
        format_be_long(timezone.localtime(published_at).date(), thai_digits=True)
        if published_at
        else ""
    )
    meta = " · ".join(part for part in (category, date_text) if part)
    for shortened in _shorter(meta):
        if footer.getlength(shortened) <= text_width:
            break
    draw.text((MARGIN, HEIGHT - 110), shortened, font=footer, fill=ink)
    draw.text((MARGIN, HEIGHT - 70), host, font=font("SemiBold", 26), fill=accent_rgb)

    out = io.BytesIO()
    image.save(out, "JPEG", quality=JPEG_QUALITY)
    return out.getvalue()


def _shorter(text: str):
    yield text
    while len(text) > 10:
        text = text[:-2]
        yield text.rstrip() + "…"
