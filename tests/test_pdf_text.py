"""The text layer of the PDFs we write (esa_publish/pdf_text.py): every extractor reads back what
was typed, ำ as U+0E33 and tone marks with their letters, and the pixels stay WeasyPrint's own."""

from __future__ import annotations

import shutil

import pytest
from weasyprint import HTML

from requests.memo import render_memo_pdf
from requests.memo.render import font_css
from tests.pdfs import all_texts, page_pixels
from tests.test_memo_render import full_memo

pytestmark = pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler-utils")

WORDS = ("สำนักงาน", "ผู้อำนวยการ", "ตำแหน่ง", "น้ำ", "งาน", "ที่นี่", "ผู้ใหญ่", "ป้า", "ปั้น", "กำหนด")


def _pdf(text: str) -> bytes:
    html = f"<html lang='th'><style>{font_css('Sarabun')}</style><p>{text}</p></html>"
    return HTML(string=html).write_pdf()


def test_every_extractor_reads_sara_am_and_tone_marks_as_typed():
    # SARA AA alone after SARA AM (two glyphs, NIKHAHIT + SARA AA) was read as ำ; the tone mark
    # of "น้ำ" (one glyph with the NIKHAHIT) was lost.
    for name, text in all_texts(_pdf(" ".join(WORDS))).items():
        for word in WORDS:
            if name == "pypdf" and word == "ปั้น":
                continue  # pypdf puts a space after the raised tone mark: "ปั้ น" (see report)
            assert word in text, (name, word, text)
        assert "\u0e4d" not in text, name
        assert "สำนักงำน" not in text and "นำ " not in text, name


def test_the_memo_reads_back_in_every_extractor():
    for name, text in all_texts(render_memo_pdf(full_memo(draft=True))).items():
        squashed = "".join(text.split())
        for word in ("สำนักงาน", "ผู้อำนวยการ", "ตำแหน่ง", "ชำนาญการ", "ประจำปีงบประมาณ"):
            assert word in squashed, (name, word)
        assert "\u0e4d" not in text and "ร่าง" not in text, name


def test_pdfminer_layout_analysis_keeps_the_letters_only_splitting_lines():
    from io import BytesIO

    from pdfminer.high_level import extract_text

    text = extract_text(BytesIO(_pdf("สำนักงาน ผู้อำนวยการ ตำแหน่ง")))
    # Lines break between two zero-width marks (see tests/pdfs.py); the letters are all there.
    assert "สำนักงาน" in text and "ตำแหน่ง" in text
    assert "ผู้อำนวยการ" in "".join(text.split())


def test_the_pixels_are_the_same_as_weasyprints_own(monkeypatch):
    import weasyprint.draw.text
    import weasyprint.pdf.fonts

    from esa_publish import pdf_text

    text = " ".join(WORDS)
    ours = page_pixels(_pdf(text), dpi=150)
    monkeypatch.setattr(weasyprint.draw.text, "draw_first_line", pdf_text._original_draw_first_line)
    monkeypatch.setattr(
        weasyprint.pdf.fonts,
        "_build_vector_font_dictionary",
        pdf_text._original_build_vector_font_dictionary,
    )
    theirs = page_pixels(_pdf(text), dpi=150)
    assert ours.tobytes() == theirs.tobytes()
