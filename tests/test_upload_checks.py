"""check_upload and friends: a corpus of bad uploads, each refused in Thai, and good files.

Every file is generated here; no binaries are committed.
"""

from __future__ import annotations

import copy
import hashlib
import io
import pickle
import re
import struct
import tracemalloc
import zipfile
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from PIL import ExifTags, Image
from pypdf import PdfWriter

from requests.uploads import (
    CheckedUpload,
    UploadRejected,
    check_file_count,
    check_request_total,
    check_upload,
    detect_kind,
    generated_name,
)
from requests.uploads import office as office_module
from requests.uploads.errors import (
    CODE_CORRUPT,
    CODE_EMPTY,
    CODE_IMAGE_TOO_LARGE,
    CODE_MACRO,
    CODE_NAME_TOO_LONG,
    CODE_OFFICE_PROTECTED,
    CODE_PDF_PASSWORD,
    CODE_REQUEST_TOO_LARGE,
    CODE_TOO_LARGE,
    CODE_TOO_MANY_FILES,
    CODE_UNSAFE_NAME,
    CODE_UNSUPPORTED,
    CODE_WRONG_EXTENSION,
    CODE_ZIP_BOMB,
    CODE_ZIP_TOO_MANY_ENTRIES,
    CODE_ZIP_UNSAFE_PATH,
    MSG_MACRO,
    MSG_NAME_TOO_LONG,
    MSG_PDF_NO_EOF,
    MSG_REQUEST_TOO_LARGE,
    MSG_TOO_LARGE,
    MSG_TOO_LARGE_UNKNOWN,
    MSG_TOO_MANY_FILES,
    MSG_UNSAFE_NAME,
    MSG_UNSUPPORTED,
    MSG_WRONG_EXTENSION,
    shown_name,
)
from requests.uploads.kinds import ACCEPTED_LABELS

THAI = re.compile(r"[\u0E00-\u0E7F]")
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class NamedBytes(io.BytesIO):
    """A plain binary file object with a name, as a non-Django caller might pass.

    Django's own UploadedFile classes strip path parts and cut long names before we see them,
    so names like ``../../etc/passwd.pdf`` can only reach check_upload this way.
    """

    def __init__(self, name: str, data: bytes) -> None:
        super().__init__(data)
        self.name = name
        self.size = len(data)


# --- file makers ---------------------------------------------------------------------------


def make_pdf(pages: int = 1, *, user_password: str | None = None, owner: str | None = None):
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    if user_password is not None:
        writer.encrypt(user_password=user_password, owner_password=owner, algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def make_jpeg(size=(64, 48), *, noisy: bool = False, exif: Image.Exif | None = None) -> bytes:
    if noisy:
        image = Image.effect_noise(size, 80).convert("RGB")
    else:
        image = Image.new("RGB", size, (200, 30, 30))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif or Image.Exif())
    return buffer.getvalue()


def make_png(size=(32, 32), mode: str = "RGB") -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, "navy").save(buffer, "PNG")
    return buffer.getvalue()


def png_chunk(tag: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))


def make_huge_png(width: int, height: int) -> bytes:
    """A real, complete 1-bit PNG of ``width`` x ``height`` white-on-nothing pixels.

    All-zero rows deflate about a thousandfold, so even 20000x20000 is a few tens of KB: the
    shape of a decompression bomb.
    """
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    row = b"\x00" * (1 + (width + 7) // 8)
    compressor = zlib.compressobj(9)
    body = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", body)
        + png_chunk(b"IEND", b"")
    )


def content_types(main: str, *, macro: bool = False) -> str:
    vba = (
        '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>'
        if macro
        else ""
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f"{vba}{main}</Types>"
    )


def make_zip(entries: dict[str, bytes | str], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def docx_entries(*, macro: bool = False) -> dict[str, bytes | str]:
    main_type = (
        "application/vnd.ms-word.document.macroEnabled.main+xml"
        if macro
        else "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
    )
    override = f'<Override PartName="/word/document.xml" ContentType="{main_type}"/>'
    entries: dict[str, bytes | str] = {
        "[Content_Types].xml": content_types(override, macro=macro),
        "_rels/.rels": "<Relationships/>",
        "word/document.xml": (
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            "<w:body><w:p><w:r><w:t>สวัสดี</w:t></w:r></w:p></w:body></w:document>"
        ),
    }
    if macro:
        entries["word/vbaProject.bin"] = b"\xd0\xcf\x11\xe0 fake VBA project"
    return entries


def make_docx(*, macro: bool = False) -> bytes:
    return make_zip(docx_entries(macro=macro))


def make_xlsx(*, macro: bool = False) -> bytes:
    main_type = (
        "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
        if macro
        else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
    )
    override = f'<Override PartName="/xl/workbook.xml" ContentType="{main_type}"/>'
    return make_zip(
        {
            "[Content_Types].xml": content_types(override),
            "_rels/.rels": "<Relationships/>",
            "xl/workbook.xml": "<workbook><sheets/></workbook>",
            "xl/worksheets/sheet1.xml": "<worksheet><sheetData/></worksheet>",
        }
    )


def make_zip_bomb_docx() -> bytes:
    """A DOCX whose document.xml inflates from ~10 KB to 10 MB (ratio about 1000)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in docx_entries().items():
            if name != "word/document.xml":
                archive.writestr(name, data)
        with archive.open("word/document.xml", "w") as entry:
            for _ in range(10):
                entry.write(b" " * (1024 * 1024))
    return buffer.getvalue()


def make_docx_with_bad_crc() -> bytes:
    data = bytearray(make_zip(docx_entries(), method=zipfile.ZIP_STORED))
    at = data.index("สวัสดี".encode())
    data[at] ^= 0x01
    return bytes(data)


def truncated_jpeg() -> bytes:
    data = make_jpeg((256, 256), noisy=True)
    return data[: len(data) * 6 // 10]


# --- the corpus ----------------------------------------------------------------------------

LONG_NAME = "ก" * 296 + ".pdf"  # 300 characters

CORPUS = [
    pytest.param(
        "setup.pdf", lambda: b"MZ\x90\x00" + b"\x00" * 200, CODE_UNSUPPORTED, id="renamed-exe-mz"
    ),
    pytest.param(
        "tool.pdf", lambda: b"\x7fELF\x02\x01\x01" + b"\x00" * 200, CODE_UNSUPPORTED, id="elf"
    ),
    pytest.param(
        "photo.jpg",
        lambda: b"<!DOCTYPE html><html><script>alert(1)</script></html>",
        CODE_UNSUPPORTED,
        id="html-as-jpg",
    ),
    pytest.param(
        "logo.png",
        lambda: b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        CODE_UNSUPPORTED,
        id="svg-as-png",
    ),
    pytest.param("report.pdf", lambda: "นี่ไม่ใช่ไฟล์ PDF".encode(), CODE_UNSUPPORTED, id="text-as-pdf"),
    pytest.param(
        "fake.pdf",
        lambda: b"%PDF-1.7\nthis is not really a pdf\n%%EOF\n",
        CODE_CORRUPT,
        id="pdf-header-only",
    ),
    pytest.param(
        "junk-first.pdf", lambda: b"garbage\n" + make_pdf(), CODE_UNSUPPORTED, id="pdf-not-at-0"
    ),
    pytest.param(
        "cut.pdf",
        lambda: make_pdf(3)[:-40].replace(b"%%EOF", b"%%XXX"),
        CODE_CORRUPT,
        id="pdf-without-eof",
    ),
    pytest.param(
        "locked.pdf", lambda: make_pdf(user_password="secret"), CODE_PDF_PASSWORD, id="pdf-pw"
    ),
    pytest.param("broken.jpg", truncated_jpeg, CODE_CORRUPT, id="truncated-jpeg"),
    pytest.param(
        "noise.jpg",
        lambda: b"\xff\xd8\xff\xe0" + bytes(range(256)) * 4,
        CODE_CORRUPT,
        id="jpeg-signature-only",
    ),
    pytest.param(
        "bomb.png", lambda: make_huge_png(20000, 20000), CODE_IMAGE_TOO_LARGE, id="png-bomb"
    ),
    pytest.param(
        "big.png", lambda: make_huge_png(8000, 8000), CODE_IMAGE_TOO_LARGE, id="png-over-60mp"
    ),
    pytest.param("macro.docx", lambda: make_docx(macro=True), CODE_MACRO, id="docm-as-docx"),
    pytest.param("macro.docm", lambda: make_docx(macro=True), CODE_MACRO, id="docm"),
    pytest.param("macro.xlsx", lambda: make_xlsx(macro=True), CODE_MACRO, id="xlsm-as-xlsx"),
    pytest.param("bomb.docx", make_zip_bomb_docx, CODE_ZIP_BOMB, id="zip-bomb-docx"),
    pytest.param(
        "evil.docx",
        lambda: make_zip({**docx_entries(), "../../evil.sh": "rm -rf /"}),
        CODE_ZIP_UNSAFE_PATH,
        id="zip-slip",
    ),
    pytest.param(
        "many.xlsx",
        lambda: make_zip({f"xl/part{i}.xml": "" for i in range(2001)}),
        CODE_ZIP_TOO_MANY_ENTRIES,
        id="zip-too-many-entries",
    ),
    pytest.param(
        "archive.docx", lambda: make_zip({"a.txt": "hello"}), CODE_UNSUPPORTED, id="plain-zip"
    ),
    pytest.param("crc.docx", make_docx_with_bad_crc, CODE_CORRUPT, id="docx-bad-crc"),
    pytest.param(
        "secret.docx",
        lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504,
        CODE_OFFICE_PROTECTED,
        id="password-docx",
    ),
    pytest.param("empty.pdf", lambda: b"", CODE_EMPTY, id="empty"),
    pytest.param("photo.jpg", lambda: b"", CODE_EMPTY, id="zero-byte-image"),
    pytest.param(
        "huge.pdf", lambda: b"%PDF-1.4\n" + b"0" * (1024 * 1024), CODE_TOO_LARGE, id="over-size"
    ),
    pytest.param("../../etc/passwd.pdf", make_pdf, CODE_UNSAFE_NAME, id="path-traversal"),
    pytest.param("..\\..\\boot.pdf", make_pdf, CODE_UNSAFE_NAME, id="windows-traversal"),
    pytest.param(LONG_NAME, make_pdf, CODE_NAME_TOO_LONG, id="300-character-name"),
    pytest.param("photo.jpg", make_png, CODE_WRONG_EXTENSION, id="png-named-jpg"),
    pytest.param("scan", make_pdf, CODE_WRONG_EXTENSION, id="no-extension"),
    pytest.param("sheet.docx", make_xlsx, CODE_WRONG_EXTENSION, id="xlsx-named-docx"),
]


@pytest.mark.parametrize(("name", "make", "code"), CORPUS)
def test_it_refuses_every_bad_upload_in_the_corpus(settings, name, make, code):
    settings.UPLOAD_MAX_FILE_BYTES = 1024 * 1024
    with pytest.raises(UploadRejected) as refused:
        check_upload(NamedBytes(name, make()))
    assert refused.value.code == code
    assert THAI.search(refused.value.message)
    assert f'"{shown_name(name)}"' in refused.value.message


def test_the_corpus_is_big_enough():
    assert len(CORPUS) >= 15


def test_it_refuses_a_renamed_executable():
    with pytest.raises(UploadRejected) as refused:
        check_upload(NamedBytes("setup.pdf", b"MZ\x90\x00" + b"\x00" * 100))
    assert refused.value.message == MSG_UNSUPPORTED.format(
        name="setup.pdf", accepted=ACCEPTED_LABELS
    )
    assert refused.value.message == (
        'ไฟล์ "setup.pdf" ไม่ใช่ไฟล์ที่ระบบรับ (รับเฉพาะ PDF, JPEG, PNG, HEIC, WebP, TIFF, GIF, DOCX, XLSX)'
    )


def test_it_tells_the_real_type_when_the_extension_is_wrong():
    with pytest.raises(UploadRejected) as refused:
        check_upload(NamedBytes("photo.jpg", make_png()))
    assert refused.value.message == MSG_WRONG_EXTENSION.format(
        name="photo.jpg", real="PNG", extension="jpg", expected="png"
    )


def test_it_refuses_a_path_traversal_name_with_a_clear_message():
    with pytest.raises(UploadRejected) as refused:
        check_upload(NamedBytes("../../etc/passwd.pdf", make_pdf()))
    assert refused.value.message == MSG_UNSAFE_NAME.format(name="../../etc/passwd.pdf")


def test_it_refuses_a_300_character_name_and_shortens_it_in_the_message():
    with pytest.raises(UploadRejected) as refused:
        check_upload(NamedBytes(LONG_NAME, make_pdf()))
    message = refused.value.message
    assert message == MSG_NAME_TOO_LONG.format(name=shown_name(LONG_NAME), length=300, limit=200)
    assert len(message) < 250


def test_django_cuts_long_names_at_255_which_is_still_refused():
    uploaded = SimpleUploadedFile(LONG_NAME, make_pdf())
    assert len(uploaded.name) == 255
    with pytest.raises(UploadRejected) as refused:
        check_upload(uploaded)
    assert refused.value.code == CODE_NAME_TOO_LONG


def test_django_strips_path_parts_before_we_see_them():
    checked = check_upload(SimpleUploadedFile("../../etc/passwd.pdf", make_pdf()))
    assert checked.original_name == "passwd.pdf"


def test_it_refuses_a_docm_for_its_macros_not_its_extension():
    with pytest.raises(UploadRejected) as refused:
        check_upload(NamedBytes("งบประมาณ.docm", make_docx(macro=True)))
    assert refused.value.message == MSG_MACRO.format(name="งบประมาณ.docm")


def test_it_refuses_a_pdf_that_does_not_end_properly():
    with pytest.raises(UploadRejected) as refused:
        check_upload(NamedBytes("cut.pdf", make_pdf()[:-200]))
    assert refused.value.message == MSG_PDF_NO_EOF.format(name="cut.pdf")


def test_it_refuses_an_archive_over_the_total_uncompressed_limit(monkeypatch):
    monkeypatch.setattr(office_module, "MAX_TOTAL_UNCOMPRESSED", 100)
    with pytest.raises(UploadRejected) as refused:
        check_upload(NamedBytes("big.docx", make_docx()))
    assert refused.value.code == CODE_ZIP_BOMB


def test_it_reads_the_zip_directory_extent_from_the_end_record():
    data = make_docx()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        expected_entries = len(archive.infolist())
    entries, directory_size = office_module.central_directory_extent(io.BytesIO(data))
    assert entries == expected_entries
    assert 0 < directory_size < 1024


def test_it_reads_the_zip64_end_record_too(monkeypatch):
    monkeypatch.setattr(zipfile, "ZIP_FILECOUNT_LIMIT", 2)  # makes zipfile write Zip64 records
    data = bytearray(make_docx())
    at = data.rindex(b"PK\x05\x06")
    struct.pack_into("<HH", data, at + 8, 0xFFFF, 0xFFFF)  # "look in the Zip64 record"
    monkeypatch.undo()
    assert office_module.central_directory_extent(io.BytesIO(bytes(data)))[0] == 3
    assert check_upload(NamedBytes("zip64.docx", bytes(data))).kind == "docx"


def test_it_does_not_parse_an_oversized_zip_directory(monkeypatch):
    """Few entries declared, megabytes of directory: refused before ZipFile reads it."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in docx_entries().items():
            archive.writestr(name, data)
        for i in range(40):
            info = zipfile.ZipInfo(f"customXml/item{i}.xml")
            info.comment = b"x" * 60_000
            archive.writestr(info, "<x/>")

    def fail(*args, **kwargs):
        raise AssertionError("ZipFile should not have been opened")

    monkeypatch.setattr(office_module.zipfile, "ZipFile", fail)
    with pytest.raises(UploadRejected) as refused:
        check_upload(NamedBytes("wide.docx", buffer.getvalue()), max_bytes=10 * 1024 * 1024)
    assert refused.value.code == CODE_ZIP_TOO_MANY_ENTRIES


def test_it_accepts_a_docx_with_a_large_picture():
    import os

    entries = {**docx_entries(), "word/media/image1.jpeg": os.urandom(5 * 1024 * 1024)}
    checked = check_upload(NamedBytes("ภาพประกอบ.docx", make_zip(entries)))
    assert checked.kind == "docx"


def test_it_refuses_by_the_declared_size_before_reading(settings):
    settings.UPLOAD_MAX_FILE_BYTES = 10 * 1024 * 1024

    class Unreadable(NamedBytes):
        def read(self, *args):
            raise AssertionError("should not be read")

    uploaded = Unreadable("big.pdf", b"")
    uploaded.size = 30 * 1024 * 1024
    with pytest.raises(UploadRejected) as refused:
        check_upload(uploaded)
    assert refused.value.message == MSG_TOO_LARGE.format(
        name="big.pdf", size="30 MB", limit="10 MB"
    )


def test_it_counts_the_real_size_rather_than_trusting_size():
    uploaded = NamedBytes("big.pdf", make_pdf())
    uploaded.size = 10
    with pytest.raises(UploadRejected) as refused:
        check_upload(uploaded, max_bytes=100)
    assert refused.value.message == MSG_TOO_LARGE_UNKNOWN.format(name="big.pdf", limit="1 KB")


def test_a_size_just_over_the_limit_does_not_read_as_equal_to_it():
    uploaded = NamedBytes("big.pdf", b"")
    uploaded.size = 20 * 1024 * 1024 + 100
    with pytest.raises(UploadRejected) as refused:
        check_upload(uploaded, max_bytes=20 * 1024 * 1024)
    assert refused.value.message == MSG_TOO_LARGE.format(
        name="big.pdf", size="20.1 MB", limit="20 MB"
    )


def test_upload_rejected_is_a_validation_error_with_a_readable_str():
    from django.core.exceptions import ValidationError

    error = UploadRejected("ข้อความ 100%", "code")
    assert isinstance(error, ValidationError)
    assert str(error) == "ข้อความ 100%"
    assert error.messages == ["ข้อความ 100%"]
    for copied in (copy.deepcopy(error), pickle.loads(pickle.dumps(error))):
        assert (copied.message, copied.code) == (error.message, error.code)


def test_a_form_shows_the_message_next_to_the_field():
    from django import forms

    class AttachmentForm(forms.Form):
        file = forms.FileField()

        def clean_file(self):
            check_upload(self.cleaned_data["file"])

    form = AttachmentForm(files={"file": SimpleUploadedFile("setup.pdf", b"MZ" + bytes(100))})
    assert not form.is_valid()
    assert form.errors["file"] == [
        MSG_UNSUPPORTED.format(name="setup.pdf", accepted=ACCEPTED_LABELS)
    ]
    assert form.errors.as_data()["file"][0].code == CODE_UNSUPPORTED


# --- good files ----------------------------------------------------------------------------


def test_it_accepts_a_real_pdf():
    data = make_pdf(2)
    checked = check_upload(SimpleUploadedFile("รายงานผลการดำเนินงาน.pdf", data))
    assert checked == CheckedUpload(
        kind="pdf",
        extension="pdf",
        content_type="application/pdf",
        original_name="รายงานผลการดำเนินงาน.pdf",
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        pages=2,
    )


def test_it_accepts_a_pdf_restricted_only_by_an_owner_password():
    checked = check_upload(NamedBytes("ประกาศ.pdf", make_pdf(user_password="", owner="owner")))
    assert checked.encrypted is True
    assert checked.pages == 1


def test_it_accepts_a_jpeg_and_reports_its_upright_size():
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    checked = check_upload(SimpleUploadedFile("ภาพกิจกรรม.JPG", make_jpeg((60, 40), exif=exif)))
    assert (checked.kind, checked.extension, checked.content_type) == ("jpeg", "jpg", "image/jpeg")
    assert (checked.width, checked.height) == (40, 60)


def test_it_accepts_a_jpeg_named_jpeg_or_jfif():
    for name in ("a.jpeg", "b.jfif"):
        assert check_upload(NamedBytes(name, make_jpeg())).extension == "jpg"


def test_it_accepts_a_png():
    checked = check_upload(NamedBytes("แผนผัง.png", make_png((30, 20), "RGBA")))
    assert (checked.kind, checked.width, checked.height) == ("png", 30, 20)


def test_it_accepts_a_docx():
    checked = check_upload(SimpleUploadedFile("บันทึกข้อความ.docx", make_docx()))
    assert (checked.kind, checked.content_type) == ("docx", DOCX_TYPE)


def test_it_accepts_an_xlsx():
    checked = check_upload(NamedBytes("งบประมาณ.xlsx", make_xlsx()))
    assert (checked.kind, checked.content_type) == ("xlsx", XLSX_TYPE)


def test_it_cleans_the_original_name():
    checked = check_upload(NamedBytes("  รายงาน\u202e.pdf  ", make_pdf()))
    assert checked.original_name == "รายงาน.pdf"


def test_it_leaves_the_file_at_the_start():
    uploaded = NamedBytes("a.pdf", make_pdf())
    uploaded.seek(17)
    check_upload(uploaded)
    assert uploaded.tell() == 0


def test_it_checks_a_file_django_streamed_to_disk():
    data = make_pdf()
    uploaded = TemporaryUploadedFile("คำสั่ง.pdf", "application/octet-stream", len(data), None)
    try:
        uploaded.write(data)
        uploaded.flush()
        checked = check_upload(uploaded)
    finally:
        uploaded.close()
    assert checked.sha256 == hashlib.sha256(data).hexdigest()


def make_big_pdf(target_bytes: int, out) -> None:
    """Write a valid PDF of about ``target_bytes``: pages showing 1 MiB grey-noise images."""
    import os

    offsets = []
    position = 0

    def emit(chunk: bytes) -> None:
        nonlocal position
        out.write(chunk)
        position += len(chunk)

    def start_object() -> int:
        offsets.append(position)
        return len(offsets)

    side = 1024
    pages = max(1, target_bytes // (side * side))
    emit(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    start_object()
    emit(b"1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n")
    start_object()
    kids = " ".join(f"{3 + 3 * i} 0 R" for i in range(pages))
    emit(f"2 0 obj << /Type /Pages /Kids [{kids}] /Count {pages} >> endobj\n".encode())
    drawing = b"q 500 0 0 500 50 150 cm /Im0 Do Q"
    for i in range(pages):
        page, content, picture = 3 + 3 * i, 4 + 3 * i, 5 + 3 * i
        start_object()
        emit(
            f"{page} 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            f"/Resources << /XObject << /Im0 {picture} 0 R >> >> /Contents {content} 0 R >> "
            "endobj\n".encode()
        )
        start_object()
        emit(f"{content} 0 obj << /Length {len(drawing)} >> stream\n".encode())
        emit(drawing + b"\nendstream endobj\n")
        start_object()
        emit(
            f"{picture} 0 obj << /Type /XObject /Subtype /Image /Width {side} /Height {side} "
            f"/ColorSpace /DeviceGray /BitsPerComponent 8 /Length {side * side} >> "
            "stream\n".encode()
        )
        for _ in range(16):
            emit(os.urandom(side * side // 16))
        emit(b"\nendstream endobj\n")
    xref_at = position
    emit(f"xref\n0 {len(offsets) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        emit(f"{offset:010d} 00000 n \n".encode())
    trailer = f"trailer << /Size {len(offsets) + 1} /Root 1 0 R >>"
    emit(f"{trailer}\nstartxref\n{xref_at}\n%%EOF\n".encode())


def test_it_never_holds_a_large_file_in_memory(settings):
    settings.UPLOAD_MAX_FILE_BYTES = 20 * 1024 * 1024
    uploaded = TemporaryUploadedFile("ใหญ่.pdf", "application/pdf", 0, None)
    try:
        make_big_pdf(12 * 1024 * 1024, uploaded)
        uploaded.flush()
        uploaded.size = uploaded.tell()
        tracemalloc.start()
        checked = check_upload(uploaded)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    finally:
        uploaded.close()
    assert checked.pages == 12
    assert peak < 4 * 1024 * 1024


# --- detection, names, totals ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("make", "kind"),
    [
        (make_pdf, "pdf"),
        (make_jpeg, "jpeg"),
        (make_png, "png"),
        (make_docx, "docx"),
        (make_xlsx, "xlsx"),
        (lambda: make_docx(macro=True), "docx"),
        (lambda: b"hello", None),
        (lambda: make_zip({"a.txt": "x"}), None),
        (lambda: b"PK\x03\x04 not really a zip", None),
    ],
)
def test_detect_kind_goes_by_content(make, kind):
    fileobj = io.BytesIO(make())
    fileobj.seek(3)
    assert detect_kind(fileobj) == kind
    assert fileobj.tell() == 3


def test_generated_names_are_random_and_carry_the_stored_extension():
    names = {generated_name("jpeg") for _ in range(100)}
    assert len(names) == 100
    assert all(re.fullmatch(r"[0-9a-f]{32}\.jpg", name) for name in names)
    assert generated_name("xlsx").endswith(".xlsx")


def test_check_request_total_allows_up_to_the_limit(settings):
    settings.UPLOAD_MAX_REQUEST_BYTES = 100 * 1024 * 1024
    assert check_request_total(60 * 1024 * 1024, [20 * 1024 * 1024, 20 * 1024 * 1024]) == (
        100 * 1024 * 1024
    )


def test_check_request_total_refuses_past_the_limit(settings):
    settings.UPLOAD_MAX_REQUEST_BYTES = 100 * 1024 * 1024
    with pytest.raises(UploadRejected) as refused:
        check_request_total(90 * 1024 * 1024, [5 * 1024 * 1024, 6 * 1024 * 1024])
    assert refused.value.code == CODE_REQUEST_TOO_LARGE
    assert refused.value.message == MSG_REQUEST_TOO_LARGE.format(limit="100 MB", total="101 MB")


def test_check_file_count_follows_the_setting(settings):
    settings.UPLOAD_MAX_FILES = 5
    assert check_file_count(3, 2) == 5
    with pytest.raises(UploadRejected) as refused:
        check_file_count(4, 2)
    assert refused.value.code == CODE_TOO_MANY_FILES
    assert refused.value.message == MSG_TOO_MANY_FILES.format(limit=5, existing=4, new=2)
    assert THAI.search(refused.value.message)
