"""Readable Thai slugs for addresses and download names.

Django's ``slugify(allow_unicode=True)`` keeps only ``\\w`` characters, and Python's ``\\w`` does
not match combining marks: Thai vowels above and below the line and every tone mark are dropped,
so "ประกาศรายชื่อโรงเรียน" became "ประกาศรายชอโรงเรยน". :func:`thai_slugify` keeps letters, digits
and marks, which browsers show as typed (they percent-encode them on the wire).
"""

from __future__ import annotations

import re
import unicodedata

_SEPARATORS = re.compile(r"[\s\-_]+")


def thai_slugify(text: str, *, max_length: int = 100) -> str:
    """``text`` as a slug: lower case, words joined by "-", letters (L*), digits (N*) and marks
    (M*) kept, everything else dropped; at most ``max_length`` characters, never ending inside a
    letter's marks; "-" when nothing is left."""
    text = unicodedata.normalize("NFC", str(text)).lower()
    kept = []
    for char in text:
        if char.isspace() or char in "-_":
            kept.append(" ")
        elif unicodedata.category(char)[0] in "LNM":
            kept.append(char)
    slug = _SEPARATORS.sub("-", "".join(kept).strip()).strip("-")
    if len(slug) > max_length:
        # Never cut between a letter and its marks: cut before the letter instead.
        cut = max_length
        while cut > 0 and unicodedata.category(slug[cut]) in ("Mn", "Mc", "Me"):
            cut -= 1
        slug = slug[:cut]
    return slug.strip("-") or "-"
