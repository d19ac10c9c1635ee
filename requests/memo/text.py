"""Thai text fixes applied before the memo reaches WeasyPrint.

SARA AM (ำ, U+0E33) is drawn as two glyphs, NIKHAHIT (ํ) and SARA AA (า). The PDF's ToUnicode
map can give each glyph only one meaning, and with ำ in the text the SARA AA glyph is mapped to
ำ: on these machines pdftotext and pypdf return "สำนักงาน" as "สำนักงำน" and "น้ำ" as "นำ", so
searching or copying from the memo finds the wrong words. Writing ำ as its compatibility
decomposition U+0E4D U+0E32 draws the same pixels and maps every glyph to one character.

"Correct" for the memo therefore means: the extracted text equals the source text once both are
in the decomposed form, which is what Unicode's NFKC normalisation gives (U+0E33 decomposes to
U+0E4D U+0E32 under NFKC). :func:`restore_sara_am` turns extracted text back into the composed
form people type, for comparisons and for search indexes fed from the PDF.
"""

from __future__ import annotations

SARA_AM = "\u0e33"
NIKHAHIT_SARA_AA = "\u0e4d\u0e32"


def fix_sara_am(text: str) -> str:
    """``text`` with every ำ written as ํ + า, so the PDF's text layer reads back correctly.

    Safe on a whole HTML document: U+0E33 never occurs in markup syntax, only in text and
    attribute values, where the decomposed form means the same.
    """
    return text.replace(SARA_AM, NIKHAHIT_SARA_AA)


def restore_sara_am(text: str) -> str:
    """The inverse of :func:`fix_sara_am`, for text extracted from a rendered memo."""
    return text.replace(NIKHAHIT_SARA_AA, SARA_AM)
