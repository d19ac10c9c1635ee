"""The personal-data check run before publishing: national ID and phone numbers."""

from __future__ import annotations

import io
import time
import zipfile
from types import SimpleNamespace

import pytest
from django.core.files.base import ContentFile

from catalog import pdpa
from catalog.pdpa import find_numbers, national_id_is_valid, scan_publication
from catalog.publishing import plan_save
from requests.states import State
from tests.workflow import make_request


def valid_id(first12: str) -> str:
    total = sum(int(d) * w for d, w in zip(first12, range(13, 1, -1), strict=True))
    return first12 + str((11 - total % 11) % 10)


ID = valid_id("110170020345")  # 1101700203450
DASHED = f"{ID[0]}-{ID[1:5]}-{ID[5:10]}-{ID[10:12]}-{ID[12]}"
WRONG = ID[:12] + str((int(ID[12]) + 1) % 10)
THAI = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")


def kinds(text: str) -> list[tuple[str, str]]:
    return [(kind, value) for _s, _e, kind, value in find_numbers(text)]


# --- national ID numbers -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("digits", "valid"),
    [(ID, True), (WRONG, False), ("1234567890121", True), ("1234567890122", False), ("123", False)],
)
def test_the_check_digit(digits, valid):
    assert national_id_is_valid(digits) is valid


@pytest.mark.parametrize(
    "written",
    [
        ID,
        DASHED,
        DASHED.replace("-", " "),
        ID.translate(THAI),
        DASHED.translate(THAI),
        f"เลขประจำตัวประชาชน{ID}ที่อยู่",
    ],
)
def test_it_finds_a_national_id_however_it_is_written(written):
    assert kinds(f"ผู้ขอ {written} ลงชื่อ") == [("national_id", "1-1017-xxxxx-xx-0")]


@pytest.mark.parametrize(
    "text",
    [
        WRONG,
        f"{WRONG[0]}-{WRONG[1:5]}-{WRONG[5:10]}-{WRONG[10:12]}-{WRONG[12]}",
        "9" + ID,  # part of a longer run of digits
        ID + "7",
        f"{ID[:5]}-{ID[5:]}",  # separators where the card has none
        f"{ID[0]}-{ID[1:5]} {ID[5:10]}-{ID[10:12]}-{ID[12]}",  # mixed separators
        "12-" + DASHED,
    ],
)
def test_it_does_not_take_other_numbers_for_ids(text):
    assert [k for k, _v in kinds(text)] == []


# --- phone numbers -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "masked"),
    [
        ("081-234-5678", "08x-xxx-5678"),
        ("0812345678", "08x-xxx-5678"),
        ("081 234 5678", "08x-xxx-5678"),
        ("08-1234-5678", "08x-xxx-5678"),
        ("081-2345678", "08x-xxx-5678"),
        ("091.234.5678", "09x-xxx-5678"),
        ("061-234-5678", "06x-xxx-5678"),
        ("๐๘๑-๒๓๔-๕๖๗๘", "08x-xxx-5678"),
        ("+66 81 234 5678", "08x-xxx-5678"),
        ("+66812345678", "08x-xxx-5678"),
        ("+66-8-1234-5678", "08x-xxx-5678"),
        ("02-123-4567", "02-xxx-4567"),
        ("02 123 4567", "02-xxx-4567"),
        ("021234567", "02-xxx-4567"),
        ("0 2123 4567", "02-xxx-4567"),
        ("034-511-222", "03-xxx-1222"),
        ("+66 2 123 4567", "02-xxx-4567"),
    ],
)
def test_it_finds_phone_numbers(written, masked):
    assert kinds(f"ติดต่อ {written} ในวันทำการ") == [("phone", masked)]


@pytest.mark.parametrize(
    "text",
    [
        "ปีงบประมาณ 2566-2567",
        "ปีงบประมาณ ๒๕๖๖-๒๕๖๗",
        "ที่ ศธ 04032/1234 ลงวันที่ 15/03/2566",
        "ที่ ศธ ๐๔๐๓๒/๑๒๓๔",
        "วันที่ 01-10-2568",
        "งบประมาณ 1,234,567.00 บาท",
        "เลขที่สัญญา 08123456789012",
        "รหัสโรงเรียน 1024150101",
        "เลขบัญชี 012-3-45678-9",
        "เวลา 08.30-16.30 น.",
    ],
)
def test_no_false_positives_on_dates_and_document_numbers(text):
    assert find_numbers(text) == []


def test_the_office_number_is_not_personal_data(db, office):
    office.phone = "0 3851 1000"
    office.save()
    findings = scan_publication(
        title="", summary="สำนักงาน โทร 038-511-000 และ 0 3851 1000", attachments=[], photos=[]
    )
    assert findings == []


# --- findings ----------------------------------------------------------------------------------


def test_a_finding_never_holds_the_full_number(db):
    summary = f"นาย ก เลขประจำตัว {DASHED} โทร 081-234-5678 และนาง ข {valid_id('310150012345')}"
    findings = scan_publication(title="", summary=summary, attachments=[], photos=[])
    assert [f["kind"] for f in findings] == ["national_id", "phone", "national_id"]
    for finding in findings:
        assert finding["where"] == "สรุปสาระสำคัญ"
        for secret in (ID, DASHED, "081-234-5678", "2345678", valid_id("310150012345")):
            assert secret not in finding["context"]
            assert secret not in finding["value"]
    assert "1-1017-xxxxx-xx-0" in findings[0]["context"]
    assert "08x-xxx-5678" in findings[0]["context"]  # nearby numbers are masked too


def test_findings_come_in_a_stable_order_and_once_each(db):
    photos = [
        SimpleNamespace(caption="ภาพแรก", order=1),
        SimpleNamespace(caption="ติดต่อ 02-123-4567", order=2),
    ]
    args = {
        "title": "ประกาศ โทร 0812345678",
        "summary": f"{ID} และซ้ำ {ID}",
        "attachments": [],
        "photos": photos,
    }
    first = scan_publication(**args)
    assert first == scan_publication(**args)
    assert [f["where"] for f in first] == ["ชื่อเรื่อง", "สรุปสาระสำคัญ", "คำบรรยายภาพที่ 2"]


# --- files -------------------------------------------------------------------------------------


def attachment(name: str, kind: str, data: bytes):
    return SimpleNamespace(original_name=name, kind=kind, file=ContentFile(data, name=name))


def pdf_with_text(*pages: str) -> bytes:
    """A real PDF with Thai text, in the bundled Sarabun (the machine may have no Thai font)."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    from requests.memo.render import BUNDLED_FAMILY, font_css

    fonts = FontConfiguration()
    body = "".join(f'<p style="page-break-after: always">{p}</p>' for p in pages)
    return HTML(string=f"<html><body>{body}</body></html>").write_pdf(
        stylesheets=[CSS(string=font_css(BUNDLED_FAMILY), font_config=fonts)], font_config=fonts
    )


def test_it_reads_pdf_text_page_by_page(db):
    data = pdf_with_text("หน้าแรก ไม่มีข้อมูลส่วนบุคคล", f"ผู้รับผิดชอบ เลขประจำตัว {DASHED}")
    findings = scan_publication(
        title="", summary="", attachments=[attachment("คำสั่ง.pdf", "pdf", data)], photos=[]
    )
    assert findings == [
        {
            "where": 'ไฟล์ "คำสั่ง.pdf" หน้า 2',
            "kind": "national_id",
            "value": "1-1017-xxxxx-xx-0",
            "context": findings[0]["context"],
        }
    ]
    assert "1-1017-xxxxx-xx-0" in findings[0]["context"]


def test_it_stops_after_the_page_limit_and_says_so(db, monkeypatch):
    monkeypatch.setattr(pdpa, "MAX_PDF_PAGES", 1)
    data = pdf_with_text("หน้าแรก", "โทร 081-234-5678")
    files = [attachment("a.pdf", "pdf", data)]
    findings = scan_publication(title="", summary="", attachments=files, photos=[])
    assert [(f["where"], f["kind"]) for f in findings] == [('ไฟล์ "a.pdf"', "partial")]
    assert "บางส่วน" in findings[0]["context"]


def zip_bytes(parts: dict[str, str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return out.getvalue()


W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def docx_bytes(body: str, header: str = "") -> bytes:
    parts = {
        "[Content_Types].xml": "<Types/>",
        "word/document.xml": f'<?xml version="1.0"?><w:document {W}><w:body>{body}</w:body>'
        "</w:document>",
    }
    if header:
        parts["word/header1.xml"] = f"<w:hdr {W}>{header}</w:hdr>"
    return zip_bytes(parts)


def test_it_reads_word_text_runs_headers_and_footers(db):
    # Word splits text into runs anywhere, even inside a number.
    body = (
        '<w:p><w:r><w:t>ผู้ประสานงาน โทร 081-234</w:t></w:r><w:r><w:t xml:space="preserve">'
        "-5678 &amp; อีเมล</w:t></w:r></w:p>"
        "<w:p><w:r><w:t>ย่อหน้าถัดไป 2566-2567</w:t></w:r></w:p>"
    )
    header = f"<w:p><w:r><w:t>{DASHED}</w:t></w:r></w:p>"
    files = [attachment("รายงาน.docx", "docx", docx_bytes(body, header))]
    findings = scan_publication(title="", summary="", attachments=files, photos=[])
    assert [(f["where"], f["kind"], f["value"]) for f in findings] == [
        ('ไฟล์ "รายงาน.docx"', "phone", "08x-xxx-5678"),
        ('ไฟล์ "รายงาน.docx" ส่วนหัวกระดาษ', "national_id", "1-1017-xxxxx-xx-0"),
    ]
    assert "&" in findings[0]["context"]


def test_it_never_expands_entities_declared_in_an_upload(db):
    laughs = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    document = (
        f'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY l0 "081-234-5678">{laughs}]>'
        f"<w:document {W}><w:body><w:p><w:r><w:t>&l9;</w:t></w:r></w:p></w:body></w:document>"
    )
    data = zip_bytes({"[Content_Types].xml": "<Types/>", "word/document.xml": document})
    started = time.monotonic()
    findings = scan_publication(
        title="", summary="", attachments=[attachment("x.docx", "docx", data)], photos=[]
    )
    assert time.monotonic() - started < 2
    assert findings == []


def xlsx_bytes(*, shared: list[str], cells: str, sheet_name: str = "รายชื่อ") -> bytes:
    main = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
    return zip_bytes(
        {
            "[Content_Types].xml": "<Types/>",
            "xl/workbook.xml": f'<workbook {main} {rel}><sheets><sheet name="{sheet_name}" '
            'sheetId="1" r:id="rId1"/></sheets></workbook>',
            "xl/_rels/workbook.xml.rels": '<Relationships><Relationship Id="rId1" '
            'Type="worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
            "xl/sharedStrings.xml": f"<sst {main}>"
            + "".join(f"<si><t>{s}</t></si>" for s in shared)
            + "</sst>",
            "xl/worksheets/sheet1.xml": f"<worksheet {main}><sheetData>{cells}</sheetData>"
            "</worksheet>",
        }
    )


def numbers_paragraphs(count: int) -> str:
    line = "<w:p><w:r><w:t>ติดต่อผู้ประสานงาน 081-234-{:04d} เรื่องทั่วไปของสำนักงาน</w:t></w:r></w:p>"
    return "".join(line.format(n % 10_000) for n in range(count))


def test_a_word_file_full_of_numbers_is_scanned_in_linear_time(db):
    # Issue 14.3: every phone number was compared with every number found before it; a Word
    # file of this kind, 2 M characters long, took 51 s (16,000 numbers here: about 16 s).
    data = docx_bytes(numbers_paragraphs(16_000))
    started = time.monotonic()
    findings = scan_publication(
        title="", summary="", attachments=[attachment("x.docx", "docx", data)], photos=[]
    )
    assert time.monotonic() - started < 4
    assert len(findings) == pdpa.MAX_FINDINGS_PER_SOURCE
    assert {f["kind"] for f in findings} == {"phone"}


def test_a_phone_shaped_piece_of_an_id_is_not_a_phone_among_many_numbers():
    n = valid_id("110170020324")
    spaced = f"{n[:1]} {n[1:5]} {n[5:10]} {n[10:12]} {n[12]}"
    text = " ".join(f"081-234-{i:04d} เลข {spaced}" for i in range(300))
    assert [kind for _s, _e, kind, _v in find_numbers(text)] == ["phone", "national_id"] * 300


def test_a_text_longer_than_the_limit_is_scanned_in_part_and_reported(db, monkeypatch):
    monkeypatch.setattr(pdpa, "MAX_TEXT_CHARS", 1000)
    data = docx_bytes(numbers_paragraphs(200))
    findings = scan_publication(
        title="", summary="ทั่วไป " * 500, attachments=[attachment("x.docx", "docx", data)], photos=[]
    )
    partial = [f["where"] for f in findings if f["kind"] == "partial"]
    assert partial == ["สรุปสาระสำคัญ", 'ไฟล์ "x.docx"']
    assert 0 < sum(f["kind"] == "phone" for f in findings) < 50


def test_the_whole_publication_has_a_reading_limit(db, monkeypatch):
    monkeypatch.setattr(pdpa, "MAX_PUBLICATION_CHARS", 5000)
    files = [
        attachment("ก.docx", "docx", docx_bytes(numbers_paragraphs(60))),
        attachment("ข.docx", "docx", docx_bytes(numbers_paragraphs(60))),
    ]
    findings = scan_publication(title="", summary="", attachments=files, photos=[])
    # The first file fits and is read whole; the second only up to what is left.
    assert [f["where"] for f in findings if f["kind"] == "partial"] == ['ไฟล์ "ข.docx"']
    assert any(f["where"] == 'ไฟล์ "ก.docx"' and f["kind"] == "phone" for f in findings)


def test_it_reads_excel_cells_shared_inline_and_numbers(db):
    cells = (
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
        f'<row r="2"><c r="A2" t="inlineStr"><is><t>{DASHED}</t></is></c>'
        f'<c r="B2"><v>{valid_id("310150012345")}</v></c>'
        '<c r="C2"><v>2567</v></c></row>'
    )
    data = xlsx_bytes(shared=["ชื่อ", "โทร 02 123 4567"], cells=cells)
    files = [attachment("รายชื่อ.xlsx", "xlsx", data)]
    findings = scan_publication(title="", summary="", attachments=files, photos=[])
    assert [(f["where"], f["value"]) for f in findings] == [
        ('ไฟล์ "รายชื่อ.xlsx" แผ่นงาน "รายชื่อ" เซลล์ B1', "02-xxx-4567"),
        ('ไฟล์ "รายชื่อ.xlsx" แผ่นงาน "รายชื่อ" เซลล์ A2', "1-1017-xxxxx-xx-0"),
        ('ไฟล์ "รายชื่อ.xlsx" แผ่นงาน "รายชื่อ" เซลล์ B2', "3-1015-xxxxx-xx-9"),
    ]


def test_an_excel_number_in_scientific_notation_is_read_as_digits(db):
    cells = f'<row r="1"><c r="A1"><v>{ID[0]}.{ID[1:]}E+12</v></c></row>'
    files = [attachment("a.xlsx", "xlsx", xlsx_bytes(shared=[], cells=cells))]
    findings = scan_publication(title="", summary="", attachments=files, photos=[])
    assert [f["value"] for f in findings] == ["1-1017-xxxxx-xx-0"]


def test_a_file_that_cannot_be_read_is_reported(db):
    files = [attachment("เสีย.pdf", "pdf", b"%PDF-1.4 not really")]
    findings = scan_publication(title="", summary="", attachments=files, photos=[])
    assert [(f["where"], f["kind"]) for f in findings] == [('ไฟล์ "เสีย.pdf"', "unreadable")]


def test_images_are_not_read(db):
    files = [attachment("ภาพ.jpg", "jpeg", b"\xff\xd8 081-234-5678")]
    assert scan_publication(title="", summary="", attachments=files, photos=[]) == []


# --- the plan keeps findings and the confirmation ----------------------------------------------


def save(req, people, summary, **kw):
    return plan_save(
        req=req,
        user=people.webmaster,
        title=req.publish_title,
        summary=summary,
        category=req.category,
        fiscal_year=2569,
        attachment_ids=req.attachments.values_list("pk", flat=True),
        **kw,
    )


def test_a_confirmation_does_not_carry_over_to_new_findings(people):
    req = make_request(people, State.APPROVED)
    plan = save(req, people, "โทร 081-234-5678", pdpa_confirmed=True)
    assert plan.pdpa_confirmed
    assert save(req, people, "โทร 081-234-5678").pdpa_confirmed  # same findings: kept
    plan = save(req, people, f"โทร 081-234-5678 {ID}")
    assert not plan.pdpa_confirmed
    assert not save(req, people, "ไม่มีข้อมูล", pdpa_confirmed=True).pdpa_confirmed


def test_the_memo_text_is_checked_when_the_memo_is_public(people, office):
    office.memo_is_public = True
    office.save()
    req = make_request(people, State.APPROVED)
    req.__class__.objects.filter(pk=req.pk).update(purpose="ผู้ประสานงาน โทร 089-999-1234")
    req.refresh_from_db()
    plan = save(req, people, "")
    assert [f["value"] for f in plan.pdpa_findings] == ["08x-xxx-1234"]
    assert plan.pdpa_findings[0]["where"].startswith("บันทึกข้อความ")
