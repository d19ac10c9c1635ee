"""Posts Django refuses get a page that explains, in Thai or English (issue 14, item 9).

More than ``DATA_UPLOAD_MAX_NUMBER_FILES`` files, text over ``DATA_UPLOAD_MAX_MEMORY_SIZE``, more
than ``DATA_UPLOAD_MAX_NUMBER_FIELDS`` fields and a stale CSRF token (signed in again in another
tab) each used to give a bare English page. Now each is the site's own page with the reason, a
link back to the form and word that the typed text is kept (the browser half of that is
tests/browser/test_keep_drafts.py). Also the 404, 403 and 500 pages are the site's own.
"""

from __future__ import annotations

import re

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import filesizeformat
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import translation

from esa_publish.errors import CSRF_STALE, TOO_MANY_FIELDS, TOO_MANY_FILES, TOO_MUCH_TEXT
from requests.states import State
from tests.workflow import make_request

pytestmark = pytest.mark.django_db

THAI = re.compile(r"[\u0E00-\u0E7F]")
KEPT = "ข้อความที่ท่านพิมพ์ไว้ยังเก็บอยู่ในเบราว์เซอร์นี้"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def page_text(response) -> str:
    return response.content.decode()


def assert_own_page(response, explanation: str, *, back: str) -> None:
    body = page_text(response)
    assert 'class="site-header"' in body  # the site's shell, not Django's bare page
    assert explanation in body
    assert KEPT in body
    assert f'href="{back}"' in body


def test_more_files_than_the_parser_takes(client, people):
    req = make_request(people)
    client.force_login(people.requester)
    edit = "http://testserver" + reverse("requests:edit", args=[req.pk])
    sent = django_settings.DATA_UPLOAD_MAX_NUMBER_FILES + 1
    files = [SimpleUploadedFile(f"{n}.pdf", b"%PDF-1.4 x") for n in range(sent)]

    response = client.post(
        reverse("requests:upload", args=[req.pk]), {"attachments": files}, HTTP_REFERER=edit
    )

    assert response.status_code == 400
    limits = {
        "sent": django_settings.DATA_UPLOAD_MAX_NUMBER_FILES,
        "limit": django_settings.UPLOAD_MAX_FILES,
    }
    assert_own_page(response, str(TOO_MANY_FILES) % limits, back=edit)
    assert req.attachments.count() == 1  # nothing of the post was stored


def test_text_over_the_memory_limit(client, people, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 64 * 1024
    req = make_request(people)
    client.force_login(people.requester)
    edit = "http://testserver" + reverse("requests:edit", args=[req.pk])

    response = client.post(
        edit, {"publish_title": "เรื่อง", "purpose": "ก" * 70_000}, HTTP_REFERER=edit
    )

    assert response.status_code == 400
    size = filesizeformat(64 * 1024)
    assert_own_page(response, str(TOO_MUCH_TEXT) % {"size": size}, back=edit)


def test_more_fields_than_the_parser_takes(client, people):
    req = make_request(people)
    client.force_login(people.requester)
    edit = "http://testserver" + reverse("requests:edit", args=[req.pk])
    fields = {f"f{n}": "x" for n in range(django_settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}

    response = client.post(edit, fields, HTTP_REFERER=edit)

    assert response.status_code == 400
    limit = {"limit": django_settings.DATA_UPLOAD_MAX_NUMBER_FIELDS}
    assert_own_page(response, str(TOO_MANY_FIELDS) % limit, back=edit)


def test_a_stale_csrf_token_after_signing_in_again_elsewhere(people):
    req = make_request(people)
    client = Client(enforce_csrf_checks=True)
    client.force_login(people.requester)
    edit = "http://testserver" + reverse("requests:edit", args=[req.pk])
    form = page_text(client.get(edit))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    # Another tab signs in again: Django gives the browser a new CSRF secret.
    client.cookies[django_settings.CSRF_COOKIE_NAME] = "x" * 32

    response = client.post(
        edit,
        {"csrfmiddlewaretoken": token, "publish_title": "แก้ไขแล้ว"},
        HTTP_REFERER=edit,
    )

    assert response.status_code == 403
    assert_own_page(response, str(CSRF_STALE), back=edit)
    req.refresh_from_db()
    assert req.publish_title != "แก้ไขแล้ว"


def test_the_pages_are_english_on_the_english_site(client, people):
    req = make_request(people)
    client.force_login(people.requester)
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    edit = "http://testserver" + reverse("requests:edit", args=[req.pk])
    fields = {f"f{n}": "x" for n in range(django_settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}

    response = client.post(edit, fields, HTTP_REFERER=edit)

    body = page_text(response)
    assert response.status_code == 400
    assert "The form sent has more than 1000 fields" in body
    assert "Back to the form" in body
    assert not THAI.search(body.split('<main id="main"', 1)[1].split("</main>")[0])


def test_a_link_from_another_site_is_not_offered_as_the_way_back(client, people):
    req = make_request(people)
    client.force_login(people.requester)
    fields = {f"f{n}": "x" for n in range(django_settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}
    response = client.post(
        reverse("requests:edit", args=[req.pk]), fields, HTTP_REFERER="https://evil.example/"
    )
    assert response.status_code == 400
    assert "evil.example" not in page_text(response)


def test_a_bad_request_from_a_visitor_is_the_sites_own_page_too(client):
    response = client.get("/search/?q=%00")
    assert response.status_code == 400
    body = page_text(response)
    assert 'class="site-header"' in body
    assert "คำขอไม่ถูกต้อง" in body
    assert KEPT not in body  # nothing to keep for someone who is not signed in


def test_the_500_page_is_thai_and_english_and_needs_nothing_but_templates():
    with translation.override("th"):
        thai = render_to_string("500.html")
    with translation.override("en"):
        english = render_to_string("500.html")
    assert "ระบบขัดข้องชั่วคราว" in thai
    assert "css/app.css" in thai
    assert not THAI.search(english)


def test_404_and_403_pages_are_the_sites_own(client, people):
    req = make_request(people, State.SUBMITTED)
    client.force_login(people.outsider)
    missing = client.get(reverse("requests:detail", args=[req.pk]))
    assert missing.status_code == 404
    assert "ไม่พบหน้าที่ต้องการ" in page_text(missing)
    client.force_login(people.group_director)
    refused = client.get(reverse("requests:edit", args=[req.pk]))
    assert refused.status_code == 403
    assert "ไม่มีสิทธิ์ดำเนินการ" in page_text(refused)
