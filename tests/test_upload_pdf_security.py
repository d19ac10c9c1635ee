"""PDF uploads: AES-256 encryption (issue 14, item 8) and active content (issue 14, item 11).

Every PDF is made here with pypdf, the way Acrobat and Word would save them: AES-256 with and
without a password to open, JavaScript run on opening, a /JavaScript name tree, a link that
launches a program.
"""

from __future__ import annotations

import html
import io
import subprocess
import sys
import textwrap

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    TextStringObject,
)

from requests.uploads import UploadRejected, check_upload
from requests.uploads.errors import (
    CODE_CORRUPT,
    CODE_PDF_ACTIVE_CONTENT,
    CODE_PDF_PASSWORD,
    MSG_PDF_ACTIVE_CONTENT,
    MSG_PDF_PASSWORD,
)
from tests.test_upload_checks import THAI, NamedBytes
from tests.workflow import make_request


def _writer(pages: int = 1) -> PdfWriter:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    return writer


def _bytes(writer: PdfWriter) -> bytes:
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def aes256_pdf(user_password: str) -> bytes:
    writer = _writer(2)
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm="AES-256")
    return _bytes(writer)


def _action(kind: str, **entries) -> DictionaryObject:
    action = DictionaryObject({NameObject("/Type"): NameObject("/Action")})
    action[NameObject("/S")] = NameObject(kind)
    for key, value in entries.items():
        action[NameObject(f"/{key}")] = value
    return action


def _link(page, action: DictionaryObject) -> None:
    annotation = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Link"),
            NameObject("/Rect"): ArrayObject([FloatObject(v) for v in (50, 50, 200, 80)]),
            NameObject("/A"): action,
        }
    )
    page[NameObject("/Annots")] = ArrayObject([annotation])


def open_action_javascript() -> bytes:
    writer = _writer()
    writer._root_object[NameObject("/OpenAction")] = _action(
        "/JavaScript", JS=TextStringObject("app.alert('x')")
    )
    return _bytes(writer)


def javascript_name_tree() -> bytes:
    writer = _writer()
    script = _action("/JavaScript", JS=TextStringObject("app.launchURL('https://x.invalid/');"))
    tree = DictionaryObject(
        {NameObject("/Names"): ArrayObject([TextStringObject("open"), writer._add_object(script)])}
    )
    writer._root_object[NameObject("/Names")] = DictionaryObject(
        {NameObject("/JavaScript"): writer._add_object(tree)}
    )
    return _bytes(writer)


def launch_link() -> bytes:
    writer = _writer()
    _link(writer.pages[0], _action("/Launch", F=TextStringObject("C:\\Windows\\calc.exe")))
    return _bytes(writer)


def javascript_after_a_jump() -> bytes:
    """A harmless-looking /GoTo on opening whose /Next runs JavaScript."""
    writer = _writer()
    script = _action("/JavaScript", JS=TextStringObject("this.print()"))
    jump = _action("/GoTo", D=ArrayObject([writer.pages[0].indirect_reference, NameObject("/Fit")]))
    jump[NameObject("/Next")] = writer._add_object(script)
    writer._root_object[NameObject("/OpenAction")] = jump
    return _bytes(writer)


def page_open_launch() -> bytes:
    writer = _writer(3)
    writer.pages[2][NameObject("/AA")] = DictionaryObject(
        {NameObject("/O"): _action("/Launch", F=TextStringObject("cmd.exe"))}
    )
    return _bytes(writer)


def web_link() -> bytes:
    writer = _writer()
    _link(writer.pages[0], _action("/URI", URI=TextStringObject("https://www.obec.go.th/")))
    return _bytes(writer)


# --- item 8: AES-256 ------------------------------------------------------------------------


def test_it_accepts_an_aes256_pdf_that_opens_without_a_password():
    checked = check_upload(NamedBytes("คำสั่ง.pdf", aes256_pdf("")))
    assert (checked.kind, checked.encrypted, checked.pages) == ("pdf", True, 2)


def test_it_refuses_an_aes256_pdf_that_needs_a_password_with_its_own_message():
    with pytest.raises(UploadRejected) as refused:
        check_upload(NamedBytes("ลับ.pdf", aes256_pdf("secret")))
    assert refused.value.code == CODE_PDF_PASSWORD
    assert refused.value.message == MSG_PDF_PASSWORD.format(name="ลับ.pdf")
    assert "เสียหาย" not in refused.value.message


def test_without_cryptography_an_aes256_pdf_is_not_called_damaged(tmp_path):
    """A server missing ``cryptography`` still takes the file, as the docstring promises: pypdf
    raises its DependencyError while opening, which must not read as a damaged file."""
    sample = tmp_path / "aes.pdf"
    sample.write_bytes(aes256_pdf(""))
    script = textwrap.dedent(
        f"""
        import sys
        sys.modules["cryptography"] = None  # as if it were not installed
        import django
        django.setup()
        from django.core.files import File
        from requests.uploads import check_upload
        with open({str(sample)!r}, "rb") as handle:
            checked = check_upload(File(handle, name="aes.pdf"))
        print(checked.kind, checked.encrypted, checked.pages)
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["pdf", "True", "None"]


# --- item 11: active content ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("make", "found"),
    [
        pytest.param(open_action_javascript, "JavaScript", id="openaction-js"),
        pytest.param(javascript_name_tree, "JavaScript", id="javascript-name-tree"),
        pytest.param(launch_link, "Launch", id="launch-link"),
        pytest.param(javascript_after_a_jump, "JavaScript", id="next-chain"),
        pytest.param(page_open_launch, "Launch", id="page-aa-launch"),
    ],
)
def test_it_refuses_a_pdf_with_active_content(make, found):
    with pytest.raises(UploadRejected) as refused:
        check_upload(NamedBytes("ประกาศ.pdf", make()))
    assert refused.value.code == CODE_PDF_ACTIVE_CONTENT
    assert refused.value.message == MSG_PDF_ACTIVE_CONTENT.format(name="ประกาศ.pdf", found=found)
    assert THAI.search(refused.value.message)


def test_it_refuses_active_content_behind_an_owner_password_too():
    writer = PdfWriter(clone_from=io.BytesIO(open_action_javascript()))
    writer.encrypt(user_password="", owner_password="owner", algorithm="AES-256")
    with pytest.raises(UploadRejected) as refused:
        check_upload(NamedBytes("a.pdf", _bytes(writer)))
    assert refused.value.code == CODE_PDF_ACTIVE_CONTENT


def test_it_keeps_a_pdf_with_ordinary_web_links():
    checked = check_upload(NamedBytes("ลิงก์.pdf", web_link()))
    assert (checked.kind, checked.pages) == ("pdf", 1)


def test_it_walks_a_pdf_whose_links_point_at_each_other_once(monkeypatch):
    """Cycles (an action whose /Next is itself) end the walk instead of looping."""
    writer = _writer()
    jump = writer._add_object(_action("/GoTo", D=ArrayObject([NameObject("/x")])))
    jump.get_object()[NameObject("/Next")] = jump
    writer._root_object[NameObject("/OpenAction")] = jump
    assert check_upload(NamedBytes("loop.pdf", _bytes(writer))).pages == 1


def test_it_refuses_a_pdf_too_large_to_walk(monkeypatch):
    from requests.uploads import pdf

    monkeypatch.setattr(pdf, "MAX_WALKED", 3)
    with pytest.raises(UploadRejected) as refused:
        check_upload(NamedBytes("many.pdf", _bytes(_writer(5))))
    assert refused.value.code == CODE_CORRUPT


@pytest.mark.django_db
def test_the_requester_is_told_on_the_upload_page(client, people, settings, tmp_path):
    """Through the page: the Thai message next to the file input, nothing stored."""
    settings.MEDIA_ROOT = tmp_path / "media"
    req = make_request(people)
    before = req.attachments.count()
    client.force_login(people.requester)
    response = client.post(
        reverse("requests:upload", args=[req.pk]),
        {"attachments": [SimpleUploadedFile("คำสั่ง.pdf", launch_link(), "application/pdf")]},
    )
    assert response.status_code == 200
    message = MSG_PDF_ACTIVE_CONTENT.format(name="คำสั่ง.pdf", found="Launch")
    assert html.escape(message) in response.content.decode()
    assert req.attachments.count() == before


@pytest.mark.django_db
def test_pdfs_stored_before_the_check_are_listed_for_the_webmaster(people, settings, tmp_path):
    """A PDF with JavaScript that got in before uploads were checked for it: the command finds
    it, published or only attached, and fails so a timer notices."""
    from django.core.files.base import ContentFile
    from django.core.management import CommandError, call_command

    from requests.states import State

    settings.MEDIA_ROOT = tmp_path / "media"
    item = make_request(people, State.PUBLISHED).catalog_item
    published = item.files.get()
    published.file.save("old.pdf", ContentFile(open_action_javascript()), save=True)
    clean = io.StringIO()
    req = make_request(people)
    with pytest.raises(CommandError):
        call_command("find_active_pdfs", stdout=clean)
    assert f'เผยแพร่แล้ว รายการ #{item.pk} ไฟล์ "{published.original_name}": มี JavaScript' in (
        clean.getvalue()
    )
    assert f"คำขอ #{req.pk}" not in clean.getvalue()

    published.file.save("new.pdf", ContentFile(web_link()), save=True)
    out = io.StringIO()
    call_command("find_active_pdfs", stdout=out)
    assert "ไม่พบ PDF ที่มีคำสั่งทำงานอัตโนมัติ" in out.getvalue()
