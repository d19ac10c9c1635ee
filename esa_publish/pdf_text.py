"""Searchable, copyable Thai in the PDFs WeasyPrint writes (the memo and the quarterly report).

Where WeasyPrint 70 goes wrong
------------------------------
A PDF maps the *glyph codes* it draws back to text through the font's ToUnicode CMap: one entry
per code, for the whole document. WeasyPrint uses the glyph id as the code and fills the map in
``weasyprint.draw.text.draw_first_line`` with the first text it meets for each glyph: the bytes of
the HarfBuzz cluster from this glyph to the next glyph's cluster start. That breaks Thai in two
ways:

* HarfBuzz's Thai shaper draws SARA AM (ำ) as two glyphs, NIKHAHIT and SARA AA, in one cluster.
  The first gets "" and SARA AA gets "ำ"; from then on *every* SARA AA in the document reads as
  ำ ("สำนักงาน" → "สำนักงำน"). In "น้ำ" the tone mark and the nikhahit are one ligature glyph
  whose text is "", so the extracted word loses its tone mark ("นำ").
* Marks (tone marks, upper and lower vowels) are zero-width glyphs drawn at an offset. Extractors
  that group characters by their boxes (pdfminer) see two zero-width boxes side by side as a gap
  and break the line inside "ที่" or "ผู้"; pdftotext reorders them by position ("ที่น่ี").

What this module does
---------------------
Before WeasyPrint writes a line, :func:`draw_first_line` walks its glyphs and gives each
*grapheme* (a letter with its marks, SARA AM included, or a HarfBuzz cluster when that is larger,
e.g. a ligature) its text: each advancing glyph reads as its letter with the marks after it
("ที่", or "ส" and "ำ" for the two advancing glyphs of "สำ"), the zero-width mark glyphs drawn with
it read as nothing. A glyph whose text differs from the one its id already maps to is drawn
through an *alias code*: a code past the font's last glyph whose ToUnicode entry is that text and
which the font's CIDToGIDMap (:func:`_build_vector_font_dictionary`) sends to the real glyph. The
pixels are the same (a test compares them with WeasyPrint's own); every code has exactly one
meaning, so pdftotext, pypdf and pdfminer all read the source text, U+0E33 included, with no
decomposition of what people typed.

Why not ActualText: marked-content ``/ActualText`` spans are the PDF's own way to say "these
glyphs read as this", and Poppler honours them, but pypdf and pdfminer.six ignore them (open
issues in both projects), so the fix has to be in the ToUnicode map every reader uses.

Both are thin wrappers around WeasyPrint's functions: the glyph ids are swapped in Pango's glyph
string for the duration of WeasyPrint's own drawing and restored afterwards, and the font's
descendant dictionary gets a CIDToGIDMap stream instead of ``/Identity``. CFF (OpenType ``OTTO``)
fonts have no CIDToGIDMap and keep WeasyPrint's mapping, as do right-to-left runs and lines with
an ellipsis. Should WeasyPrint rename either function, :func:`install` fails loudly at start-up
rather than producing PDFs that silently read wrong (the text tests catch it too).
"""

from __future__ import annotations

import unicodedata

import pydyf
import weasyprint.draw.text as _draw_text
import weasyprint.pdf.fonts as _pdf_fonts
from weasyprint.text.ffi import FROM_UNITS, ffi, pango

#: Characters that are not combining marks for Unicode's general category but belong to the
#: letter before them in a grapheme (Grapheme_Cluster_Break=SpacingMark): Thai and Lao SARA AM.
_SPACING_MARKS = frozenset("\u0e33\u0eb3")
#: Codes are two bytes (Identity-H).
MAX_CODE = 0xFFFF


def _is_mark(char: str) -> bool:
    """A nonspacing or enclosing mark. Not ``unicodedata.combining``: that is the canonical
    combining class, 0 for most Thai vowel signs (ั ิ ี ึ ื)."""
    return unicodedata.category(char) in ("Mn", "Me")


_original_draw_first_line = _draw_text.draw_first_line
_original_build_vector_font_dictionary = _pdf_fonts._build_vector_font_dictionary


def install() -> None:
    """Route WeasyPrint's line drawing and font dictionaries through this module (idempotent)."""
    if not hasattr(_draw_text, "draw_first_line") or not hasattr(
        _pdf_fonts, "_build_vector_font_dictionary"
    ):
        raise RuntimeError("WeasyPrint changed: esa_publish.pdf_text needs updating")
    _draw_text.draw_first_line = draw_first_line
    _pdf_fonts._build_vector_font_dictionary = _build_vector_font_dictionary


def draw_first_line(stream, textbox, text_overflow, block_ellipsis, matrix):
    """WeasyPrint's ``draw_first_line`` with one text per grapheme (see the module docstring).

    Ellipsis handling re-lays the line inside WeasyPrint's function, after we would have looked
    at it; such lines (none in our documents) keep WeasyPrint's own mapping.
    """
    if text_overflow == "ellipsis" or block_ellipsis != "none" or not textbox.text.strip():
        return _original_draw_first_line(stream, textbox, text_overflow, block_ellipsis, matrix)
    swapped = _alias_glyphs(stream, textbox)
    try:
        return _original_draw_first_line(stream, textbox, text_overflow, block_ellipsis, matrix)
    finally:
        for glyph_info, glyph_id in swapped:
            glyph_info.glyph = glyph_id


def _alias_glyphs(stream, textbox) -> list:
    """Swap glyph ids for alias codes where a glyph must read as other text; return the undo."""
    # WeasyPrint's function sets this first; set anew, it would lay the line out again and drop
    # our swaps. Setting it to the value it already has is a no-op for Pango.
    pango.pango_layout_set_single_paragraph_mode(textbox.pango_layout.layout, True)
    line, _ = textbox.pango_layout.get_first_line()
    utf8 = textbox.pango_layout.text.encode()
    swapped = []
    run = line.runs[0]
    while run != ffi.NULL:
        glyph_item = run.data
        run = run.next
        item = glyph_item.item
        if item.analysis.level % 2:  # right-to-left: WeasyPrint's own mapping
            continue
        glyphs = glyph_item.glyphs
        count = glyphs.num_glyphs
        if not count:
            continue
        pango_font = item.analysis.font
        font, font_size = stream.add_font(pango_font)
        if font.bitmap or font.type == "otf":  # CFF fonts have no CIDToGIDMap to alias through
            continue
        text = utf8[item.offset : item.offset + item.length]
        clusters = [glyphs.log_clusters[i] for i in range(count)]
        for start, end, first, last in _segments(text, clusters):
            infos = [glyphs.glyphs[i] for i in range(first, last)]
            for glyph_info, wanted in zip(
                infos, _texts(text[start:end].decode(), infos), strict=True
            ):
                glyph_id = glyph_info.glyph
                if glyph_id == pango.PANGO_GLYPH_EMPTY or glyph_id & pango.PANGO_GLYPH_UNKNOWN_FLAG:
                    continue
                code = _code_for(stream, font, font_size, pango_font, glyph_id, wanted)
                if code != glyph_id:
                    swapped.append((glyph_info, glyph_id))
                    glyph_info.glyph = code
    return swapped


def _segments(text: bytes, clusters: list[int]):
    """(byte start, byte end, first glyph, end glyph) of each run of glyphs that reads as one
    piece of text: a grapheme, widened to whole HarfBuzz clusters. Glyphs are in logical order
    (left-to-right runs only) and ``clusters`` are their byte offsets into ``text``."""
    # Byte offsets where a grapheme may start.
    breaks = set()
    offset = 0
    for char in text.decode():
        if not (_is_mark(char) or char in _SPACING_MARKS) or offset == 0:
            breaks.add(offset)
        offset += len(char.encode())
    count = len(clusters)
    first = 0
    while first < count:
        start = clusters[first]
        last = first + 1
        # Take following glyphs while they belong to the same cluster or grapheme.
        while last < count and (clusters[last] == start or clusters[last] not in breaks):
            last += 1
        end = clusters[last] if last < count else len(text)
        yield start, end, first, last
        first = last


def _texts(text: str, infos: list) -> list[str]:
    """The text each glyph of one segment reads as; together, in order, ``text``.

    The segment's text is cut into pieces, a spacing letter with the marks after it ("ที่",
    "น้", "ำ"). When there are as many advancing glyphs as pieces, as for "สำ" (ส, then NIKHAHIT
    and SARA AA), each piece is read from its advancing glyph; else the whole segment is read
    from its first glyph (a ligature). Zero-width mark glyphs read as nothing. Why there:
    pdftotext orders text by position, and a mark drawn back over its letter would sort before
    or after its neighbours ("ที่น่ี"); and an advancing glyph that read as nothing would look
    to it like a gap between words (a space inside "สำนักงาน").
    """
    advancing = [i for i, info in enumerate(infos) if info.geometry.width > 0]
    pieces = []
    for char in text:
        if pieces and _is_mark(char):
            pieces[-1] += char
        else:
            pieces.append(char)
    if len(pieces) != len(advancing) or not advancing:
        pieces, advancing = [text], [0]
    texts = [""] * len(infos)
    for piece, index in zip(pieces, advancing, strict=True):
        texts[index] = piece
    return texts


def _code_for(stream, font, font_size, pango_font, glyph_id: int, text: str) -> int:
    """The code that draws ``glyph_id`` and reads as ``text``: the glyph id itself when it is
    free or already means ``text``, else an alias code mapped back to the glyph on output."""
    current = font.to_unicode.get(glyph_id)
    if current is None:
        font.to_unicode[glyph_id] = text
        return glyph_id
    if current == text:
        return glyph_id
    aliases = font.__dict__.setdefault("esa_aliases", {})  # (glyph id, text) → code
    targets = font.__dict__.setdefault("esa_alias_targets", {})  # code → glyph id
    code = aliases.get((glyph_id, text))
    if code is None:
        # Past the font's glyphs and the codes WeasyPrint gives missing characters (256 spare).
        code = font.glyph_count + len(font.missing) + len(targets) + 256
        if code > MAX_CODE:  # a font with nearly 65,536 glyphs (CJK): WeasyPrint's mapping
            return glyph_id
        aliases[(glyph_id, text)] = code
        targets[code] = glyph_id
        font.to_unicode[code] = text
        if glyph_id not in font.widths:
            pango.pango_font_get_glyph_extents(
                pango_font, glyph_id, stream.ink_rect, stream.logical_rect
            )
            font.widths[glyph_id] = round(stream.logical_rect.width * 1000 * FROM_UNITS / font_size)
        font.widths[code] = font.widths[glyph_id]
    return code


def _build_vector_font_dictionary(font_dictionary, pdf, font, widths, compress, reference, *args):
    """WeasyPrint's font dictionary, with a CIDToGIDMap that draws alias codes as their glyphs.

    The codes stay the CIDs (Identity-H, as WeasyPrint writes them), which every extractor reads;
    only the renderer's last step, CID → glyph, learns about the aliases.
    """
    _original_build_vector_font_dictionary(
        font_dictionary, pdf, font, widths, compress, reference, *args
    )
    targets = font.__dict__.get("esa_alias_targets")
    if not targets:
        return
    number = int(font_dictionary["DescendantFonts"][0].split()[0])
    cid_font = pdf.objects[number]
    gids = list(range(max(targets) + 1))
    for code, glyph_id in targets.items():
        gids[code] = glyph_id
    cid_to_gid = pydyf.Stream([b"".join(gid.to_bytes(2, "big") for gid in gids)], compress=compress)
    pdf.add_object(cid_to_gid)
    cid_font["CIDToGIDMap"] = cid_to_gid.reference
