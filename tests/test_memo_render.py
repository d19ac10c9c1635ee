"""The memo PDF: its text, its look (PNG previews in artifacts/memo/) and its safety.

Text is read back with Poppler's ``pdftotext -raw`` (content-stream order, which keeps Thai
words whole) and with pypdf. The text layer reads back exactly as typed, ำ (U+0E33) included:
esa_publish/pdf_text.py maps it per grapheme (tests/test_pdf_text.py checks it with pdfminer too).
"""

from __future__ import annotations

import datetime as dt
import http.server
import shutil
import subprocess
import threading
from concurrent.futures import ThreadPoolExecutor
from io import BytesIO
from pathlib import Path

import pypdf
import pytest
import tinycss2
from PIL import Image, ImageDraw
from weasyprint import HTML

from esa_publish.thai.digits import to_thai_digits
from requests.memo import MemoData, SignatureBlock, render_memo_pdf
from requests.memo.fetcher import FONT_DIR, MemoURLFetcher, RefusedURL, default_allowed_dirs
from requests.memo.render import font_css, format_size, render_memo_html
from tests.pdfs import has_watermark

ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts" / "memo"
MARCH_15 = dt.date(2023, 3, 15)
OFFICE = "สำนักงานเขตพื้นที่การศึกษาประถมศึกษาฉะเชิงเทรา เขต ๑"
DIRECTOR = f"ผู้อำนวยการ{OFFICE}"
ACTING = f"ปฏิบัติราชการแทน {DIRECTOR}"

needs_poppler = pytest.mark.skipif(
    not (shutil.which("pdftotext") and shutil.which("pdftoppm")), reason="needs poppler-utils"
)


def full_memo(**changes) -> MemoData:
    values = {
        "office_short_name": "สพป.ฉะเชิงเทรา เขต ๑",
        "office_name_th": OFFICE,
        "unit_name": "กลุ่มนโยบายและแผน",
        "unit_phone": "0 3851 1234",
        "doc_number": "ศธ 04032/123",
        "date": MARCH_15,
        "requester_name": "นางสาวสมศรี ใจดี",
        "requester_position": "นักวิเคราะห์นโยบายและแผนชำนาญการ",
        "requester_group": "กลุ่มนโยบายและแผน",
        "publish_title": "แผนปฏิบัติการประจำปีงบประมาณ พ.ศ. 2566",
        "file_formats": ["PDF", "JPG", "Word"],
        "delivery_channel": "email",
        "delivery_email": "plan@example.go.th",
        "attachments": [("แผนปฏิบัติการ-2566.pdf", 1_258_291), ("ภาพกิจกรรม.jpg", 86_000)],
        "first_review": SignatureBlock(
            name="นายประเสริฐ มั่นคง",
            position="ผู้อำนวยการกลุ่มนโยบายและแผน",
            date=MARCH_15,
            comment="เห็นควรเผยแพร่",
        ),
        "first_review_role": "group_director",
        "webmaster": SignatureBlock(
            name="นายวิทยา เว็บไซต์", position="นักวิชาการคอมพิวเตอร์ปฏิบัติการ", date=MARCH_15
        ),
        "deputy": SignatureBlock(
            name="นายสมชาย รองเขต",
            position=f"รองผู้อำนวยการ{OFFICE}",
            acting_capacity=ACTING,
            date=MARCH_15,
            comment="เห็นควรอนุญาตให้เผยแพร่",
        ),
        "deputy_opinion": "allow",
        "director": SignatureBlock(name="นายเอกวัฒน์ ล้อสุนิรันดร์", position=DIRECTOR, date=MARCH_15),
        "director_decision": "allow",
    }
    values.update(changes)
    return MemoData(**values)


def empty_memo(**changes) -> MemoData:
    values = {
        "office_short_name": "สพป.ฉะเชิงเทรา เขต ๑",
        "office_name_th": OFFICE,
        "requester_name": "นางสาวสมศรี ใจดี",
        "requester_position": "ครู",
    }
    values.update(changes)
    return MemoData(**values)


def pdftotext(pdf: bytes, tmp_path: Path, *args: str) -> str:
    path = tmp_path / "memo.pdf"
    path.write_bytes(pdf)
    result = subprocess.run(
        ["pdftotext", *args, str(path), "-"], capture_output=True, check=True, text=True
    )
    return result.stdout


def text_of(pdf: bytes, tmp_path: Path) -> str:
    """The memo's text as Poppler reads it."""
    return pdftotext(pdf, tmp_path, "-raw")


def pypdf_text(pdf: bytes) -> str:
    reader = pypdf.PdfReader(BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages)


def page_count(pdf: bytes) -> int:
    return len(pypdf.PdfReader(BytesIO(pdf)).pages)


def squash(text: str) -> str:
    """``text`` without any whitespace, for strings that may wrap across lines in the PDF."""
    return "".join(text.split())


def save_previews(pdf: bytes, name: str) -> list[Path]:
    """The PDF and one PNG per page in artifacts/memo/, for a person to look at."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for old in ARTIFACTS.glob(f"{name}-*.png"):
        old.unlink()
    (ARTIFACTS / f"{name}.pdf").write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", "100", "-png", str(ARTIFACTS / f"{name}.pdf"), str(ARTIFACTS / name)],
        check=True,
    )
    return sorted(ARTIFACTS.glob(f"{name}-*.png"))


def emblem_png(path: Path) -> Path:
    """A stand-in emblem (no Garuda image is bundled): a red disc on transparent ground."""
    image = Image.new("RGBA", (240, 260), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((20, 20, 220, 240), fill=(170, 20, 20, 255))
    draw.polygon([(120, 50), (190, 200), (50, 200)], fill=(230, 180, 40, 255))
    image.save(path)
    return path


@pytest.fixture
def fetched(monkeypatch):
    """Every URL the memo fetcher is asked for during the test."""
    urls: list[str] = []
    original = MemoURLFetcher.fetch

    def spy(self, url, headers=None):
        urls.append(url)
        return original(self, url, headers)

    monkeypatch.setattr(MemoURLFetcher, "fetch", spy)
    return urls


@pytest.fixture
def http_server():
    """A local HTTP server that records every request it receives."""
    received: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            received.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "text/css")
            self.end_headers()
            self.wfile.write(b"body { display: none }")

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1], received
    finally:
        server.shutdown()
        server.server_close()


# --- The memo's content --------------------------------------------------------------------------


@needs_poppler
def test_it_renders_a_full_memo_with_every_step_taken(tmp_path, fetched):
    memo = full_memo(emblem_path=emblem_png(tmp_path / "emblem.png"))
    pdf = render_memo_pdf(memo)
    assert pdf.startswith(b"%PDF-")
    assert 1 <= page_count(pdf) <= 2
    text = text_of(pdf, tmp_path)

    for expected in [
        "บันทึกข้อความ",
        "ส่วนราชการ สพป.ฉะเชิงเทรา เขต ๑ กลุ่มนโยบายและแผน โทร. ๐ ๓๘๕๑ ๑๒๓๔",
        "ศธ ๐๔๐๓๒/๑๒๓",
        "วันที่ ๑๕ มีนาคม ๒๕๖๖",
        "เรื่อง ขออนุญาตเผยแพร่ข้อมูลบนเว็บไซต์ สพป.ฉะเชิงเทรา เขต ๑",
        f"เรียน {DIRECTOR}",
        "ข้าพเจ้า นางสาวสมศรี ใจดี ตำแหน่ง นักวิเคราะห์นโยบายและแผนชำนาญการ",
        "ในรูปแบบไฟล์อิเล็กทรอนิกส์ (PDF/ JPG/ Word) ตามรายละเอียดดังแนบ",
        "√ e-mail: plan@example.go.th",
        "จึงเรียนมาเพื่อโปรดพิจารณาอนุญาต",
        "(นางสาวสมศรี ใจดี)",
        "(นายประเสริฐ มั่นคง)",
        "ลงชื่อ ผอ.กลุ่มฯ",
        "ความเห็นของผู้อำนวยการกลุ่ม",
        "เห็นควรเผยแพร่",
        "ผู้มีหน้าที่เผยแพร่ข้อมูล/ผู้ดูแลระบบ",
        "(นายวิทยา เว็บไซต์)",
        "√ เห็นควรอนุญาต",
        "เห็นควรอนุญาตให้เผยแพร่",
        "(นายสมชาย รองเขต)",
        "ปฏิบัติราชการแทน",
        "√ อนุญาต",
        "(นายเอกวัฒน์ ล้อสุนิรันดร์)",
        "แผนปฏิบัติการ-2566.pdf (๑.๒ MB)",
        "ภาพกิจกรรม.jpg (๘๔ KB)",
    ]:
        assert expected in text, expected
    # Headings and the certification may wrap anywhere in a column.
    for expected in [
        "ผ่านการตรวจสอบความถูกต้องเรียบร้อยแล้ว และขออนุญาตเผยแพร่บนเว็บไซต์ของ" + OFFICE,
        "ความเห็นของ รอง ผอ.สพป.ฉะเชิงเทรา เขต ๑",
        "ความเห็นของผู้อำนวยการ สพป.ฉะเชิงเทรา เขต ๑",
    ]:
        assert squash(expected) in squash(text), expected
    # Only the chosen boxes are ticked; nothing else carries the mark.
    assert "√ เห็นควรไม่อนุญาต" not in text
    assert "√ ไม่อนุญาต" not in text
    assert text.count("√") == 3
    # Five dated blocks: the memo itself, first review, webmaster, deputy and director.
    assert text.count("๑๕ มีนาคม ๒๕๖๖") == 5
    assert "ร่าง" not in text
    # pypdf reads the same words.
    other = pypdf_text(pdf)
    for expected in ["บันทึกข้อความ", "ศธ ๐๔๐๓๒/๑๒๓", "๑๕ มีนาคม ๒๕๖๖", "ปฏิบัติราชการแทน"]:
        assert expected in other, expected
    assert pypdf.PdfReader(BytesIO(pdf)).pages[0].images, "the emblem is on page 1"
    # The emblem travels as a data: URL: the fetcher never reads the media directory.
    assert not any(str(tmp_path) in url for url in fetched)

    previews = save_previews(pdf, "full")
    assert previews and all(p.stat().st_size > 10_000 for p in previews)


@needs_poppler
def test_it_renders_an_empty_memo_with_blanks_to_fill_by_hand(tmp_path):
    pdf = render_memo_pdf(empty_memo(draft=True))
    text = text_of(pdf, tmp_path)

    for expected in [
        "บันทึกข้อความ",
        "ข้าพเจ้า นางสาวสมศรี ใจดี ตำแหน่ง ครู",
        "(นางสาวสมศรี ใจดี)",
        "จึงเรียนมาเพื่อโปรดพิจารณาอนุญาต",
        "ลงชื่อ ผอ.กลุ่มฯ/นิติกร",
        "เห็นควรอนุญาต",
        "เห็นควรไม่อนุญาต",
    ]:
        assert expected in text, expected
    assert squash("ความเห็นของผู้อำนวยการ สพป.ฉะเชิงเทรา เขต ๑") in squash(text)
    assert "√" not in text, "no step taken, no box ticked"
    assert "ปฏิบัติราชการแทน" not in text
    assert "มีนาคม" not in text
    # Blank signature lines: "ตำแหน่ง" before a dotted blank in the four unsigned blocks.
    assert text.count("ตำแหน่ง") == 1 + 4
    # The draft watermark (outlines, see the watermark test) is not read as text.
    assert "ร่าง" not in text

    previews = save_previews(pdf, "empty-draft")
    assert previews


@needs_poppler
def test_it_marks_drafts_with_a_watermark_on_every_page(tmp_path):
    many = [(f"ภาพกิจกรรม-{n:02d}.jpg", 500_000 + n) for n in range(40)]
    pdf = render_memo_pdf(full_memo(draft=True, attachments=many))
    pages = page_count(pdf)
    assert pages >= 2
    text = text_of(pdf, tmp_path)
    # The watermark is drawn as outlines: seen on the page, never read as part of the text.
    assert "ร่าง" not in text
    final_pdf = render_memo_pdf(full_memo(draft=False, attachments=many))
    for page in range(1, pages + 1):
        assert has_watermark(pdf, page) and not has_watermark(final_pdf, page)
    assert "- ๒ -" in text, "pages after the first are numbered in Thai digits"
    assert "ภาพกิจกรรม-39.jpg (๔๘๘ KB)" in text
    save_previews(pdf, "draft-long")


@needs_poppler
def test_its_text_reads_back_as_typed_with_sara_am_composed(tmp_path):
    pdf = render_memo_pdf(full_memo())
    for text in (text_of(pdf, tmp_path), pdftotext(pdf, tmp_path), pypdf_text(pdf)):
        for word in ("สำนักงาน", "ผู้อำนวยการ", "ตำแหน่ง", "ชำนาญการ", "ประจำปีงบประมาณ"):
            assert word in text, word
        assert "\u0e4d" not in text, "no NIKHAHIT: ำ is one character, as typed"
        assert "สำนักงำน" not in text


@needs_poppler
def test_it_labels_a_legal_officers_review_and_an_acting_director(tmp_path):
    memo = full_memo(
        first_review=SignatureBlock(name="นางนิติ กฎหมาย", position="นิติกรชำนาญการ"),
        first_review_role="legal_officer",
        deputy_opinion="deny",
        director=SignatureBlock(
            name="นายรักษา การแทน",
            position=f"รองผู้อำนวยการ{OFFICE}",
            acting_capacity=f"รักษาราชการแทน {DIRECTOR}",
            date=dt.date(2025, 10, 1),
        ),
        director_decision="deny",
    )
    text = text_of(render_memo_pdf(memo), tmp_path)
    assert "ลงชื่อ นิติกร" in text
    assert "(นางนิติ กฎหมาย)" in text
    assert "√ เห็นควรไม่อนุญาต" in text
    assert "√ ไม่อนุญาต" in text
    assert "รักษาราชการแทน" in text
    assert "๑ ตุลาคม ๒๕๖๘" in text


@needs_poppler
def test_it_uses_the_bundled_sarabun_unless_another_family_is_configured(tmp_path, settings):
    pdf_path = tmp_path / "fonts.pdf"
    pdf_path.write_bytes(render_memo_pdf(empty_memo()))
    fonts = subprocess.run(["pdffonts", str(pdf_path)], capture_output=True, text=True).stdout
    assert "Sarabun" in fonts

    settings.MEMO_FONT_FAMILY = "DejaVu Sans"  # installed on these machines, unlike TH Sarabun
    pdf_path.write_bytes(render_memo_pdf(empty_memo()))
    fonts = subprocess.run(["pdffonts", str(pdf_path)], capture_output=True, text=True).stdout
    assert "DejaVu-Sans" in fonts
    assert "Sarabun" in fonts, "DejaVu Sans has no Thai letters: they fall back to Sarabun"

    # The keyword argument wins over the setting.
    pdf_path.write_bytes(render_memo_pdf(empty_memo(), font_family="Sarabun"))
    fonts = subprocess.run(["pdffonts", str(pdf_path)], capture_output=True, text=True).stdout
    assert "DejaVu" not in fonts


def test_the_font_setting_becomes_a_quoted_family_with_sarabun_as_fallback(settings):
    bundled = font_css("Sarabun")
    assert "font-family: Sarabun; font-size: 11pt" in bundled
    assert (FONT_DIR / "Sarabun-Regular.ttf").as_uri() in bundled

    other = font_css("TH SarabunIT๙")
    assert 'font-family: "TH SarabunIT๙", Sarabun; font-size: 16pt' in other
    assert "@font-face" in other, "the fallback must resolve, so Sarabun is still declared"

    # A family name cannot break out of its CSS string, newline and backslash included.
    name = 'x"; } body { display: none } p { font-family: "y\\\n'
    rules = [
        rule
        for rule in tinycss2.parse_stylesheet(font_css(name), skip_whitespace=True)
        if rule.type == "qualified-rule"
    ]
    assert [tinycss2.serialize(rule.prelude).strip() for rule in rules] == ["html"]
    declarations = tinycss2.parse_declaration_list(rules[0].content, skip_whitespace=True)
    family = next(d for d in declarations if d.name == "font-family")
    assert [t.value for t in family.value if t.type == "string"] == [name.replace("\n", "")]

    settings.MEMO_FONT_SIZE_PT = 15
    assert "font-size: 15pt" in font_css("TH SarabunIT๙")


def test_it_renders_from_several_threads_at_once():
    memos = [full_memo(requester_name=f"ผู้ขอ {n}") for n in range(4)]
    with ThreadPoolExecutor(max_workers=2) as pool:
        pdfs = list(pool.map(render_memo_pdf, memos))
    for n, pdf in enumerate(pdfs):
        assert f"(ผู้ขอ {n})" in pypdf_text(pdf)


def test_it_formats_sizes_in_thai_digits():
    assert format_size(512) == "๕๑๒ B"
    assert format_size(86_000) == "๘๔ KB"
    assert format_size(1_258_291) == "๑.๒ MB"
    assert format_size(20 * 1024 * 1024) == "๒๐ MB"
    assert format_size(3 * 1024**3) == "๓ GB"


def test_it_checks_the_memo_data():
    memo = empty_memo(file_formats=["PDF"], attachments=[["a.pdf", "10"]])
    assert memo.file_formats == ("PDF",)
    assert memo.attachments[0].size_bytes == 10
    assert memo.requester_signature == SignatureBlock(name="นางสาวสมศรี ใจดี", position="ครู")
    assert memo.effective_subject == "ขออนุญาตเผยแพร่ข้อมูลบนเว็บไซต์ สพป.ฉะเชิงเทรา เขต ๑"
    assert memo.effective_addressee == DIRECTOR
    for field, value in [
        ("delivery_channel", "fax"),
        ("deputy_opinion", "maybe"),
        ("director_decision", "yes"),
        ("first_review_role", "deputy"),
    ]:
        with pytest.raises(ValueError, match=field):
            empty_memo(**{field: value})


# --- Safety ------------------------------------------------------------------------------------


@needs_poppler
def test_it_prints_markup_typed_into_fields_as_text_and_fetches_nothing(
    tmp_path, fetched, http_server
):
    port, received = http_server
    hostile = {
        "requester_name": '<img src="file:///etc/passwd">',
        "publish_title": f'<link rel="stylesheet" href="http://127.0.0.1:{port}/x.css">',
        "purpose": "<style>body{display:none}</style>",
        "unit_name": f'<img src="http://127.0.0.1:{port}/i.png">',
        "deputy": SignatureBlock(
            name="นายสมชาย รองเขต", comment="url(file:///etc/passwd) <b>ตัวหนา</b>"
        ),
        "delivery_channel": "other",
        "delivery_other": f"<iframe src='http://127.0.0.1:{port}/f'></iframe>",
    }
    memo = full_memo(**hostile)

    html = render_memo_html(memo)
    assert '<img src="file:' not in html
    assert "<style>body" not in html
    assert "&lt;link rel=&quot;stylesheet&quot;" in html

    pdf = render_memo_pdf(memo)
    text = text_of(pdf, tmp_path)
    flat = squash(text)
    for value in [
        '<img src="file:///etc/passwd">',
        # Prose fields print their digits as Thai digits, a URL typed into them included.
        to_thai_digits(f'<link rel="stylesheet" href="http://127.0.0.1:{port}/x.css">'),
        to_thai_digits(f'<img src="http://127.0.0.1:{port}/i.png">'),
        "<style>body{display:none}</style>",
        "url(file:///etc/passwd) <b>ตัวหนา</b>",
        f"<iframe src='http://127.0.0.1:{port}/f'></iframe>",
    ]:
        assert squash(value) in flat, value
    assert "root:x:0" not in text
    assert "บันทึกข้อความ" in text, "the <style> did not hide the body"
    assert received == [], "the renderer contacted the network"
    assert not any("passwd" in url or "127.0.0.1" in url for url in fetched), fetched
    for url in fetched:
        assert url.startswith("data:") or url.startswith(FONT_DIR.as_uri()), url


def test_the_fetcher_is_the_second_wall_when_markup_reaches_weasyprint(fetched, http_server):
    """Raw markup (never produced by our template) still cannot read files or reach out."""
    port, received = http_server
    html = (
        f'<link rel="stylesheet" href="http://127.0.0.1:{port}/x.css">'
        '<img src="file:///etc/passwd"><p style="background: url(file:///etc/passwd)">x</p>'
        f'<img src="http://127.0.0.1:{port}/i.png">'
    )
    pdf = HTML(string=html, url_fetcher=MemoURLFetcher()).write_pdf()
    assert pdf.startswith(b"%PDF-")
    assert "root:x:0" not in pypdf_text(pdf)
    assert received == []
    assert f"http://127.0.0.1:{port}/x.css" in fetched, "asked, and refused"
    assert "file:///etc/passwd" in fetched


def test_the_fetcher_refuses_files_outside_the_allowed_directories():
    fetcher = MemoURLFetcher()
    for url in [
        "file:///etc/passwd",
        "file://localhost/etc/passwd",
        "file://example.com/etc/passwd",
        FONT_DIR.as_uri() + "/../../../../../../../etc/passwd",
        FONT_DIR.as_uri() + "/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        FONT_DIR.as_uri() + "/no-such-font.ttf",
    ]:
        with pytest.raises(RefusedURL):
            fetcher.fetch(url)


def test_the_fetcher_refuses_the_network(http_server):
    port, received = http_server
    fetcher = MemoURLFetcher()
    for url in [
        f"http://127.0.0.1:{port}/x.css",
        f"https://127.0.0.1:{port}/x.css",
        f"ftp://127.0.0.1:{port}/x",
        "gopher://127.0.0.1/x",
        "//127.0.0.1/x",
    ]:
        with pytest.raises(RefusedURL):
            fetcher.fetch(url)
    # Through WeasyPrint's own entry point (urllib-style open) too.
    with pytest.raises(RefusedURL):
        fetcher.open(f"http://127.0.0.1:{port}/y")
    assert received == []


def test_the_fetcher_serves_fonts_and_data_urls():
    fetcher = MemoURLFetcher()
    response = fetcher.fetch((FONT_DIR / "Sarabun-Regular.ttf").as_uri())
    try:
        assert response.read(4) == b"\x00\x01\x00\x00"
    finally:
        response.close()

    response = fetcher.fetch("data:text/plain;base64,c2FyYWJ1bg==")
    assert response.read() == b"sarabun"
    assert response.content_type == "text/plain"


def test_the_fetcher_allows_the_font_package_and_the_static_directory(settings):
    assert default_allowed_dirs() == (FONT_DIR, Path(settings.BASE_DIR) / "static")
    css = Path(settings.BASE_DIR) / "static" / "css" / "memo.css"
    response = MemoURLFetcher().fetch(css.as_uri())
    try:
        assert b"@page" in response.read()
    finally:
        response.close()


def test_the_fetcher_refuses_a_symlink_that_leads_outside(tmp_path):
    static = tmp_path / "static"
    static.mkdir()
    (static / "ok.css").write_text("p { color: red }")
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0")
    (static / "leak.css").symlink_to(secret)
    (static / "up").symlink_to(tmp_path)

    fetcher = MemoURLFetcher(allowed_dirs=[static])
    response = fetcher.fetch((static / "ok.css").as_uri())
    response.close()
    for url in [
        (static / "leak.css").as_uri(),
        (static / "up" / "secret.txt").as_uri(),
        static.as_uri() + "/../secret.txt",
        secret.as_uri(),
    ]:
        with pytest.raises(RefusedURL):
            fetcher.fetch(url)


def _pages(pdf: bytes, tmp_path: Path, name: str) -> list[Image.Image]:
    (tmp_path / f"{name}.pdf").write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", "100", "-png", str(tmp_path / f"{name}.pdf"), str(tmp_path / name)],
        check=True,
    )
    return [Image.open(path).convert("L") for path in sorted(tmp_path.glob(f"{name}-*.png"))]


@needs_poppler
@pytest.mark.parametrize(
    "kind", ["approved, emblem, two pages", "draft with blanks", "returned, legal officer"]
)
def test_the_memos_own_default_stylesheet_draws_exactly_what_weasyprints_does(tmp_path, kind):
    """static/css/memo-ua.css replaces WeasyPrint's default stylesheet for all of HTML (a sixth
    of the render time). Every page must come out pixel for pixel as with WeasyPrint's own,
    with the same text and the same PDF outline; an element added to the template without its
    defaults in memo-ua.css fails here."""
    from PIL import ImageChops

    from requests.memo.render import document_font_family, write_pdf

    if kind.startswith("approved"):
        data = full_memo(
            emblem_path=emblem_png(tmp_path / "emblem.png"),
            attachments=[(f"ภาพกิจกรรม-{n}.jpg", 86_000 + n) for n in range(12)],
        )
    elif kind.startswith("draft"):
        data = empty_memo(draft=True)
    else:
        data = full_memo(
            first_review_role="legal_officer",
            director=SignatureBlock(),
            director_decision=None,
            draft=True,
        )
    ours = render_memo_pdf(data)
    weasyprints = write_pdf(render_memo_html(data), family=document_font_family())
    our_pages, their_pages = _pages(ours, tmp_path, "ours"), _pages(weasyprints, tmp_path, "ua")
    assert len(our_pages) == len(their_pages)
    if kind.startswith("approved"):
        assert len(our_pages) == 2
    for number, (mine, theirs) in enumerate(zip(our_pages, their_pages, strict=True), start=1):
        assert ImageChops.difference(mine, theirs).getbbox() is None, f"page {number} differs"
    assert pypdf_text(ours) == pypdf_text(weasyprints)
    assert _outline(ours) == _outline(weasyprints)


@needs_poppler
def test_the_memo_really_is_drawn_with_its_own_default_stylesheet(tmp_path):
    """The comparison above would also pass if WeasyPrint stopped asking for the replaceable
    sheet; a sheet that paints the page shows it is used."""
    from requests.memo.render import MEMO_UA_CSS_PATH, document_font_family, write_pdf

    painted = tmp_path / "painted-ua.css"
    painted.write_text(MEMO_UA_CSS_PATH.read_text() + "\nhtml { background: #000 }\n")
    html = render_memo_html(empty_memo())
    plain = _pages(write_pdf(html, family=document_font_family()), tmp_path, "plain")[0]
    dark = write_pdf(html, family=document_font_family(), user_agent_css_path=painted)
    page = _pages(dark, tmp_path, "dark")[0]
    assert page.getpixel((page.width // 2, page.height // 2)) < 64
    assert plain.getpixel((plain.width // 2, plain.height // 2)) > 192


def _outline(pdf: bytes) -> list:
    """The PDF's bookmarks as nested lists of titles."""

    def titles(entries):
        return [titles(entry) if isinstance(entry, list) else entry.title for entry in entries]

    return titles(pypdf.PdfReader(BytesIO(pdf)).outline)
