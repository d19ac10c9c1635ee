"""Marking the query's words in a title or summary, and cutting a summary down to a snippet.

The index holds normalized, segmented text, which is no good for display (Thai with a space
between every word). So the marks are found in the original text: it is normalized character by
character while remembering where each normalized character came from, the query's words are
looked up in that, and the spans are mapped back. Finding a word inside a longer one is what we
want for Thai ("ประชาสัมพันธ์" inside "ข่าวประชาสัมพันธ์").
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from html import escape as _escape

from django.utils.safestring import SafeString, mark_safe

from catalog.search import segment

SNIPPET_LENGTH = 220  # characters of summary shown under a result
_LEAD = 60  # characters kept before the first mark when the summary is cut


def _fold(char: str) -> str:
    """One character as :func:`segment.normalize` would leave it, before reordering rules.

    Sara am stays itself: NFKC splits it into two characters that normalize joins again.
    """
    if char == segment._SARA_AM:
        return char
    return unicodedata.normalize("NFKC", char).translate(segment._TABLE).casefold()


@lru_cache(maxsize=1)
def _fold_table() -> tuple[dict[int, str], re.Pattern]:
    """``str.translate`` table folding every BMP character, and a pattern matching the
    characters that do not fold to exactly one character (they need the slow path)."""
    table, irregular = {}, []
    for code in range(0x10000):
        char = chr(code)
        folded = _fold(char)
        if folded != char:
            table[code] = folded
        if len(folded) != 1:
            irregular.append(re.escape(char))
    irregular.append(re.escape(segment._NIKHAHIT))  # sara am typed as nikhahit + sara aa
    pattern = re.compile("[" + "".join(irregular) + "\U00010000-\U0010ffff]")
    return table, pattern


def _normalized_with_origins(text: str) -> tuple[str, list[int] | None]:
    """``text`` folded character by character, and where each folded character came from
    (None when every character folds to exactly one, the usual case: positions are the same).

    Close to :func:`segment.normalize` (digits, case, punctuation, sara am, zero-width), without
    the rules that reorder characters, which cannot be mapped back.
    """
    table, irregular = _fold_table()
    if not irregular.search(text):
        return text.translate(table), None
    out: list[str] = []
    origins: list[int] = []
    for index, char in enumerate(text):
        for piece in _fold(char):
            out.append(piece)
            origins.append(index)
    joined = "".join(out)
    # nikhahit (+ tone marks) + sara aa → (tone marks) + sara am, keeping the origins aligned.
    for match in reversed(list(segment._RE_SARA_AM.finditer(joined))):
        start, end = match.span()
        replacement = match.group(1) + segment._SARA_AM
        origin = origins[start:end]
        out[start:end] = list(replacement)
        origins[start:end] = origin[1 : 1 + len(match.group(1))] + [origin[-1]]
    return "".join(out), origins


def _spans(text: str, words: list[str]) -> list[tuple[int, int]]:
    """Non-overlapping (start, end) spans of ``words`` in the original ``text``."""
    if not words or not text:
        return []
    normalized, origins = _normalized_with_origins(text)
    pattern = re.compile("|".join(re.escape(w) for w in words))
    spans = []
    for match in pattern.finditer(normalized):
        start, end = match.start(), match.end()
        if origins is not None:
            start, end = origins[start], origins[end - 1] + 1
        # Keep the marks and vowels that belong to the last letter inside the mark.
        while end < len(text) and unicodedata.category(text[end]) == "Mn":
            end += 1
        if spans and start <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(end, spans[-1][1]))
        else:
            spans.append((start, end))
    return spans


def escape(text: str) -> str:
    """HTML-escape plain text (the standard library's: Django's wrapper adds lazy-string
    handling that costs more than the escaping on a page of twenty results)."""
    return _escape(text, quote=True)


def _render(text: str, spans: list[tuple[int, int]], offset: int = 0) -> str:
    parts, position = [], 0
    for start, end in spans:
        start, end = start - offset, end - offset
        if end <= 0 or start >= len(text):
            continue
        start, end = max(start, 0), min(end, len(text))
        parts.append(escape(text[position:start]))
        parts.append(f"<mark>{escape(text[start:end])}</mark>")
        position = end
    parts.append(escape(text[position:]))
    return "".join(parts)


def highlight(text: str, terms: list[segment.Term]) -> SafeString:
    """``text`` escaped, with the query's words wrapped in ``<mark>``."""
    text = text or ""
    return mark_safe(_render(text, _spans(text, segment.highlight_words(terms))))


def _cut_point(text: str, index: int, *, forward: bool) -> int:
    """A nearby place to cut: a space within 20 characters, else never inside a letter's
    vowel and tone marks."""
    if forward:
        window = range(index, min(len(text), index + 20))
    else:
        window = range(index, max(0, index - 20), -1)
    for i in window:
        if text[i : i + 1].isspace():
            return i + 1 if forward else i
    while 0 < index < len(text) and unicodedata.category(text[index]) == "Mn":
        index += 1
    return index


def snippet(text: str, terms: list[segment.Term], length: int = SNIPPET_LENGTH) -> SafeString:
    """About ``length`` characters of ``text`` around the first mark, marked and escaped."""
    text = (text or "").strip()
    spans = _spans(text, segment.highlight_words(terms))
    if len(text) <= length:
        return mark_safe(_render(text, spans))
    start = max(0, spans[0][0] - _LEAD) if spans else 0
    if start:
        start = _cut_point(text, start, forward=True)
    end = min(len(text), start + length)
    if end < len(text):
        end = _cut_point(text, end, forward=False)
    body = _render(text[start:end], spans, offset=start)
    return mark_safe(("… " if start else "") + body + (" …" if end < len(text) else ""))
