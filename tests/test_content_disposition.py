"""Download names: cleaning users' file names and the Content-Disposition header (RFC 6266)."""

from __future__ import annotations

from email.message import Message
from urllib.parse import quote, unquote

import pytest
from django.http import HttpResponse

from requests.uploads import MAX_NAME_LENGTH, clean_original_name, content_disposition

THAI_NAME = "บันทึกข้อความ ขออนุญาตเผยแพร่ข้อมูล ปีงบประมาณ 2568.pdf"


def filename_from(header: str) -> str:
    """The name a browser takes from the header: ``filename*`` when present (RFC 6266 4.3)."""
    parameters = dict(part.strip().split("=", 1) for part in header.split(";")[1:] if "=" in part)
    charset, _, encoded = parameters["filename*"].partition("''")
    assert charset == "UTF-8"
    return unquote(encoded, encoding="utf-8", errors="strict")


def fallback_from(header: str) -> str:
    """The name an old client that knows only ``filename=`` would use (via the stdlib)."""
    message = Message()
    message["Content-Disposition"] = header.split("; filename*=")[0]
    return message.get_filename()


def test_a_thai_name_survives_the_round_trip():
    assert filename_from(content_disposition(THAI_NAME)) == THAI_NAME


def test_it_sends_an_ascii_fallback_first_and_the_utf8_name_second():
    header = content_disposition("รายงานประจำปี 2568.pdf")
    assert header == (
        'attachment; filename="2568.pdf"; '
        f"filename*=UTF-8''{quote('รายงานประจำปี 2568.pdf', safe='')}"
    )


def test_an_all_thai_name_falls_back_to_file():
    header = content_disposition("คำสั่ง.docx")
    assert header.startswith('attachment; filename="file.docx";')
    assert fallback_from(header) == "file.docx"
    assert filename_from(header) == "คำสั่ง.docx"


def test_accents_fold_in_the_fallback():
    assert 'filename="resume final.pdf"' in content_disposition("résumé final.pdf")


def test_it_can_ask_to_show_the_file_inline():
    assert content_disposition("ภาพ.jpg", inline=True).startswith('inline; filename="file.jpg";')


def test_the_header_is_plain_ascii_and_django_sends_it_unchanged():
    header = content_disposition(THAI_NAME)
    header.encode("ascii")
    response = HttpResponse()
    response["Content-Disposition"] = header
    assert response["Content-Disposition"] == header


@pytest.mark.parametrize(
    "name",
    [
        'a"b.pdf',
        "evil\r\nSet-Cookie: x=1.pdf",
        "back\\slash.pdf",
        "per%20cent.pdf",
        "semi;colon.pdf",
    ],
)
def test_nothing_from_the_name_can_break_out_of_the_header(name):
    header = content_disposition(name)
    assert "\r" not in header and "\n" not in header
    fallback = header.split('filename="', 1)[1].split('"', 1)[0]
    assert not set(fallback) & set('"\\%')
    assert header.count('"') == 2
    assert filename_from(header) == clean_original_name(name)


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("รายงาน.pdf", "รายงาน.pdf"),
        (THAI_NAME, THAI_NAME),
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\ครู\\Desktop\\แผนงาน.xlsx", "แผนงาน.xlsx"),
        ("bad\x00name\x1f.pdf", "badname.pdf"),
        ("invoice\u202efdp.exe", "invoicefdp.exe"),  # right-to-left override spoofing
        ("zero\u200bwidth.pdf", "zerowidth.pdf"),
        ("  lots   of\tspace  .pdf ", "lots of space.pdf"),
        ("line\nbreak.pdf", "line break.pdf"),
        ("report.pdf. . ", "report.pdf"),
        (".hidden.pdf", "hidden.pdf"),
        ("what?<>|*:.png", "what______.png"),
        ("CON.pdf", "_CON.pdf"),
        ("e\u0301cole.pdf", "\u00e9cole.pdf"),  # NFC
        ("....pdf", "file.pdf"),
        ("../../.pdf", "file.pdf"),
        ("", "file"),
        ("report.final.v2.docx", "report.final.v2.docx"),
    ],
)
def test_clean_original_name(raw, clean):
    assert clean_original_name(raw) == clean


def test_it_falls_back_to_file_with_the_given_extension():
    assert clean_original_name("", default_extension="pdf") == "file.pdf"
    assert clean_original_name("///", default_extension=".jpg") == "file.jpg"
    assert clean_original_name("scan", default_extension="pdf") == "scan"


def test_it_trims_a_long_name_but_keeps_the_extension():
    cleaned = clean_original_name("ประกาศ" * 100 + ".docx")
    assert len(cleaned) == MAX_NAME_LENGTH
    assert cleaned == ("ประกาศ" * 100)[: MAX_NAME_LENGTH - 5] + ".docx"


def test_a_long_name_still_round_trips_through_the_header():
    cleaned = clean_original_name("ก" * 500 + ".pdf")
    assert filename_from(content_disposition(cleaned)) == cleaned
