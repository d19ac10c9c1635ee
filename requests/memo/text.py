"""Reading text extracted from memos frozen before the text layer was fixed.

Until December 2026 the memo wrote SARA AM (ำ, U+0E33) as NIKHAHIT + SARA AA (U+0E4D U+0E32)
before rendering, to dodge WeasyPrint's one-text-per-glyph ToUnicode map. The text layer is now
mapped per grapheme (:mod:`esa_publish.pdf_text`) and new PDFs read back exactly as typed; the
memos frozen at publication before that keep their decomposed text layer for good. Use
:func:`restore_sara_am` on text extracted from such a PDF (it leaves correct text unchanged).
"""

from __future__ import annotations

SARA_AM = "\u0e33"
NIKHAHIT_SARA_AA = "\u0e4d\u0e32"


def restore_sara_am(text: str) -> str:
    """``text`` with every ํ + า written as ำ, the form people type."""
    return text.replace(NIKHAHIT_SARA_AA, SARA_AM)
