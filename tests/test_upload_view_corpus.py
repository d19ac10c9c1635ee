"""Every file of the bad-upload corpus, sent through the upload page the way a browser sends it.

``test_upload_checks`` proves the checker refuses each file; this proves the page shows the
person the same clear message next to the field, keeps the draft as it was and leaves nothing
behind on disk, in Thai and in English.
"""

from __future__ import annotations

import html

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from requests.uploads import UploadRejected, check_upload
from requests.uploads.errors import CODE_UNSAFE_NAME
from tests.test_upload_checks import CORPUS
from tests.workflow import make_request

pytestmark = pytest.mark.django_db

# Django's multipart parser keeps only the last part of a sent name ("../../etc/passwd.pdf"
# arrives as "passwd.pdf"), so a traversal name never reaches our checker through a form;
# the checker's own refusal of such names is tested in test_upload_checks.
THROUGH_THE_PAGE = [case for case in CORPUS if case.values[2] != CODE_UNSAFE_NAME]


@pytest.fixture(autouse=True)
def _limits(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.UPLOAD_MAX_FILE_BYTES = 1024 * 1024


def stored_files(root) -> list:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.mark.parametrize(("name", "make", "code"), THROUGH_THE_PAGE)
def test_the_page_refuses_each_bad_file_with_its_message(client, people, name, make, code):
    data = make()
    # The name as Django hands it over (a 300-character name arrives cut to 255).
    with pytest.raises(UploadRejected) as refused:
        check_upload(SimpleUploadedFile(name, data))
    assert refused.value.code == code
    req = make_request(people)
    before = stored_files(django_settings.MEDIA_ROOT)
    attachments_before = req.attachments.count()
    client.force_login(people.requester)

    response = client.post(
        reverse("requests:upload", args=[req.pk]),
        {"attachments": [SimpleUploadedFile(name, data, content_type="application/pdf")]},
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert html.escape(refused.value.message) in body
    assert 'id="id_attachments_error"' in body
    assert 'aria-invalid="true"' in body
    assert req.attachments.count() == attachments_before
    assert stored_files(django_settings.MEDIA_ROOT) == before


def test_the_refusal_is_in_english_on_the_english_page(client, people):
    req = make_request(people)
    client.force_login(people.requester)
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(
        reverse("requests:upload", args=[req.pk]),
        {"attachments": [SimpleUploadedFile("setup.pdf", b"MZ\x90\x00" + b"\x00" * 200)]},
    )
    body = response.content.decode()
    assert "The file &quot;setup.pdf&quot; is not a type the system accepts" in body
    assert "ไม่ใช่ไฟล์ที่ระบบรับ" not in body


def pdf_upload(name: str) -> SimpleUploadedFile:
    from tests.test_upload_checks import make_pdf

    return SimpleUploadedFile(name, make_pdf(), content_type="application/pdf")


def test_too_many_files_for_one_request_are_refused_and_nothing_is_stored(client, people, settings):
    settings.UPLOAD_MAX_FILES = 3
    req = make_request(people)
    before = req.attachments.count()
    client.force_login(people.requester)
    response = client.post(
        reverse("requests:upload", args=[req.pk]),
        {"attachments": [pdf_upload(f"ไฟล์-{n}.pdf") for n in range(3 - before + 1)]},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "แนบไฟล์ได้ไม่เกิน 3 ไฟล์ต่อคำขอ" in body
    assert req.attachments.count() == before


def test_picking_too_many_files_at_once_gets_the_form_back_not_a_bare_400(client, people):
    """The default limits: 31 files in one post are refused by our check, on the form."""
    from django.conf import settings

    req = make_request(people)
    before = req.attachments.count()
    client.force_login(people.requester)
    response = client.post(
        reverse("requests:upload", args=[req.pk]),
        {"attachments": [pdf_upload(f"{n}.pdf") for n in range(settings.UPLOAD_MAX_FILES + 1)]},
    )
    assert response.status_code == 200
    assert f"แนบไฟล์ได้ไม่เกิน {settings.UPLOAD_MAX_FILES} ไฟล์ต่อคำขอ" in response.content.decode()
    assert req.attachments.count() == before


def test_a_batch_over_the_limits_is_refused_before_any_file_is_opened(client, people, settings):
    """Judged from what was sent: the broken file among them is never read, so the only
    message is the one about the batch."""
    settings.UPLOAD_MAX_FILES = 3
    req = make_request(people)
    client.force_login(people.requester)
    broken = SimpleUploadedFile(
        "broken.pdf", b"%PDF-1.7 not really", content_type="application/pdf"
    )
    response = client.post(
        reverse("requests:upload", args=[req.pk]),
        {"attachments": [broken, *(pdf_upload(f"{n}.pdf") for n in range(3))]},
    )
    body = response.content.decode()
    assert "แนบไฟล์ได้ไม่เกิน 3 ไฟล์ต่อคำขอ" in body
    assert "broken.pdf" not in body


def test_too_many_bytes_in_one_post_are_refused_before_the_files_are_checked(
    client, people, settings
):
    settings.UPLOAD_MAX_REQUEST_BYTES = 1024
    req = make_request(people)
    before = req.attachments.count()
    client.force_login(people.requester)
    response = client.post(
        reverse("requests:upload", args=[req.pk]),
        {"attachments": [pdf_upload("ใหญ่.pdf")], "photos": [pdf_upload("ไม่ใช่ภาพ.pdf")]},
    )
    body = response.content.decode()
    assert "ไฟล์แนบทั้งหมดของคำขอหนึ่งรวมกันต้องไม่เกิน" in body
    assert 'id="id_attachments_error"' in body
    assert 'id="id_photos_error"' not in body  # said once, on the first input with files
    assert "ไม่ใช่ภาพ.pdf" not in body  # the photo check never ran
    assert req.attachments.count() == before
