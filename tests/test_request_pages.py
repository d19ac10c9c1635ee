"""The requester's pages: create, edit, files, the request page, preview, copy and downloads."""

from __future__ import annotations

import io
import re
import time
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image
from pypdf import PdfWriter

from approvals import services as workflow
from approvals.permissions import available_actions
from catalog.models import Category
from requests import services
from requests.models import Attachment, Photo, PublicationRequest
from requests.states import State
from requests.validation import NEEDS_FORMATS, NEEDS_PURPOSE, submission_problems

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


# --- helpers (also used by test_approval_pages) ------------------------------------------------


def pdf_bytes() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def image_bytes(fmt: str = "JPEG") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (30, 120, 200)).save(buffer, format=fmt)
    return buffer.getvalue()


def pdf_file(name: str = "report.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf")


def jpeg_file(name: str = "photo.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, image_bytes("JPEG"), content_type="image/jpeg")


def png_file(name: str = "photo.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, image_bytes("PNG"), content_type="image/png")


def a_category() -> Category:
    return Category.objects.active().filter(needs_legal_review=False).first()


def complete_data(**overrides) -> dict:
    data = {
        "publish_title": "แผนปฏิบัติการประจำปีงบประมาณ พ.ศ. ๒๕๖๙",
        "purpose": "เพื่อเผยแพร่แผนปฏิบัติการให้สาธารณชนทราบ",
        "category": a_category(),
        "file_formats": ["pdf"],
        "channel": "amss",
        "urgency": "normal",
        "public_title": "แผนปฏิบัติการ ๒๕๖๙",
        "public_summary": "แผนปฏิบัติการประจำปีของสำนักงาน",
    }
    data.update(overrides)
    return data


def make_request(people, *, files=True, **overrides) -> PublicationRequest:
    """A complete draft of people.requester's, with one PDF unless ``files`` is false."""
    req = services.request_create(user=people.requester, data=complete_data(**overrides))
    if files:
        services.attachments_add(req=req, user=people.requester, files=[pdf_file()])
    return req


def submitted(people, **overrides) -> PublicationRequest:
    req = make_request(people, **overrides)
    workflow.request_submit(request_id=req.pk, user=people.requester)
    req.refresh_from_db()
    return req


def reviewed(people) -> PublicationRequest:
    req = submitted(people)
    workflow.request_forward(request_id=req.pk, user=people.group_director)
    req.refresh_from_db()
    return req


def form_data(**overrides) -> dict:
    """What the create/edit form posts for a complete request."""
    data = complete_data(**overrides)
    data["category"] = data["category"].pk
    return data


def action_names(response) -> list[str]:
    return re.findall(r'name="action" value="([^"]+)"', response.content.decode())


def detail_url(req) -> str:
    return reverse("requests:detail", args=[req.pk])


# --- create -----------------------------------------------------------------------------------


def test_it_creates_a_draft_with_a_pdf_and_photos(client, people):
    client.force_login(people.requester)
    data = form_data(wished_publish_date="15/03/2569")
    data["attachments"] = [pdf_file("แผนปฏิบัติการ.pdf")]
    data["photos"] = [jpeg_file("first.jpg"), png_file("second.png")]
    response = client.post(reverse("requests:create"), data)
    req = PublicationRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == detail_url(req)
    assert req.state == State.DRAFT
    assert req.requester == people.requester
    assert req.wished_publish_date.isoformat() == "2026-03-15"
    assert [a.original_name for a in req.attachments.all()] == ["แผนปฏิบัติการ.pdf"]
    photos = list(req.photos.all())
    assert [p.original_name for p in photos] == ["first.jpg", "second.png"]
    assert [p.is_cover for p in photos] == [True, False]


def test_the_create_form_has_labels_for_every_input(client, people):
    client.force_login(people.requester)
    body = client.get(reverse("requests:create")).content.decode()
    for name in ("publish_title", "purpose", "category", "attachments", "photos", "addressee"):
        assert f'for="id_{name}"' in body
    assert "<legend>" in body  # radio and checkbox groups are fieldsets
    assert 'type="file" name="attachments"' in body and "multiple" in body


def test_a_bad_file_keeps_the_typed_data_and_stores_nothing(client, people):
    client.force_login(people.requester)
    data = form_data(publish_title="เรื่องที่พิมพ์ไว้แล้ว")
    fake = SimpleUploadedFile("fake.pdf", b"not a pdf at all", content_type="application/pdf")
    data["attachments"] = [pdf_file("good.pdf"), fake]
    data["photos"] = [jpeg_file()]
    response = client.post(reverse("requests:create"), data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "fake.pdf" in body
    assert 'value="เรื่องที่พิมพ์ไว้แล้ว"' in body
    assert 'aria-describedby="id_attachments_helptext id_attachments_error"' in body
    assert 'id="id_attachments_error"' in body
    assert not PublicationRequest.objects.exists()
    assert not Attachment.objects.exists() and not Photo.objects.exists()


def test_a_photo_that_is_not_an_image_is_refused_by_name(client, people):
    client.force_login(people.requester)
    data = form_data()
    data["photos"] = [pdf_file("notaphoto.pdf")]
    response = client.post(reverse("requests:create"), data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "notaphoto.pdf" in body and "%(name)s" not in body
    assert not PublicationRequest.objects.exists()


def test_a_missing_title_is_linked_to_its_field(client, people):
    client.force_login(people.requester)
    response = client.post(reverse("requests:create"), form_data(publish_title=""))
    body = response.content.decode()
    assert response.status_code == 200
    assert 'href="#id_publish_title_field"' in body
    assert 'aria-describedby="id_publish_title_error"' in body
    assert not PublicationRequest.objects.exists()


def test_a_hostile_wished_date_is_refused_at_once_and_keeps_the_typing(client, people):
    # Issue 14.2: "1a" + 80,000 spaces + "b" kept a worker busy for a minute.
    client.force_login(people.requester)
    data = form_data(publish_title="เรื่องที่พิมพ์ไว้แล้ว", wished_publish_date="1a" + " " * 80_000 + "b")
    started = time.perf_counter()
    response = client.post(reverse("requests:create"), data)
    assert time.perf_counter() - started < 5
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_wished_publish_date_error"' in body
    assert 'value="เรื่องที่พิมพ์ไว้แล้ว"' in body
    assert not PublicationRequest.objects.exists()


# --- the request page -------------------------------------------------------------------------


def test_the_request_page_is_hidden_from_outsiders(client, people):
    req = submitted(people)
    client.force_login(people.outsider)
    assert client.get(detail_url(req)).status_code == 404


@pytest.mark.parametrize("who", ["requester", "group_director", "deputy"])
def test_the_request_page_opens_for_those_involved(client, people, who):
    req = submitted(people)
    client.force_login(getattr(people, who))
    response = client.get(detail_url(req))
    assert response.status_code == 200
    assert req.publish_title in response.content.decode()


def test_a_draft_is_visible_to_its_requester_only(client, people):
    req = make_request(people)
    client.force_login(people.group_director)
    assert client.get(detail_url(req)).status_code == 404
    client.force_login(people.requester)
    assert client.get(detail_url(req)).status_code == 200


@pytest.mark.parametrize("who", ["requester", "group_director", "deputy", "director"])
def test_the_buttons_are_the_available_actions(client, people, who):
    req = submitted(people)
    user = getattr(people, who)
    client.force_login(user)
    response = client.get(detail_url(req))
    expected = [a.action.name for a in available_actions(user, req)]
    assert action_names(response) == expected


def test_the_deputy_sees_should_allow_only_once_reviewed(client, people):
    req = submitted(people)
    client.force_login(people.deputy)
    assert "เห็นควรอนุญาต" not in client.get(detail_url(req)).content.decode()
    workflow.request_forward(request_id=req.pk, user=people.group_director)
    response = client.get(detail_url(req))
    body = response.content.decode()
    assert action_names(response) == ["deputy.allow", "deputy.deny", "deputy.return"]
    assert "เห็นควรอนุญาต" in body
    assert f'name="expected_state" value="{State.REVIEWED}"' in body


def test_the_history_shows_who_did_what(client, people):
    req = reviewed(people)
    client.force_login(people.requester)
    body = client.get(detail_url(req)).content.decode()
    assert "ยื่นคำขอ" in body
    assert "ผู้พิจารณาขั้นแรกเห็นชอบ เสนอต่อ" in body
    assert people.group_director.full_name in body
    assert people.group_director.position_title in body


def test_the_request_page_costs_the_same_with_more_files_and_history(client, people):
    small = submitted(people)
    big = make_request(people)
    services.attachments_add(req=big, user=people.requester, files=[pdf_file("a.pdf")])
    services.photos_add(req=big, user=people.requester, files=[jpeg_file(), png_file()])
    workflow.request_submit(request_id=big.pk, user=people.requester)
    workflow.request_forward(request_id=big.pk, user=people.group_director)
    client.force_login(people.requester)
    client.get(detail_url(small))
    counts = []
    for req in (small, big):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(detail_url(req)).status_code == 200
        counts.append(len(ctx))
    assert counts[0] == counts[1], counts


def test_the_draft_page_lists_what_is_missing(client, people):
    req = make_request(people, purpose="")
    client.force_login(people.requester)
    body = client.get(detail_url(req)).content.decode()
    assert str(NEEDS_PURPOSE) in body
    body = client.get(reverse("requests:edit", args=[req.pk])).content.decode()
    assert str(NEEDS_PURPOSE) in body
    assert 'href="#id_purpose_field"' in body


# --- edit -------------------------------------------------------------------------------------


def test_the_requester_edits_a_draft(client, people):
    req = make_request(people)
    client.force_login(people.requester)
    url = reverse("requests:edit", args=[req.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, form_data(publish_title="ชื่อใหม่"))
    assert response.status_code == 302
    req.refresh_from_db()
    assert req.publish_title == "ชื่อใหม่"


def test_edit_is_refused_to_others_who_can_see_the_request(client, people):
    req = submitted(people)
    url = reverse("requests:edit", args=[req.pk])
    client.force_login(people.group_director)
    assert client.get(url).status_code == 403
    assert client.post(url, form_data(publish_title="แก้โดยผู้อื่น")).status_code == 403
    req.refresh_from_db()
    assert req.publish_title != "แก้โดยผู้อื่น"


def test_edit_is_refused_to_the_requester_once_submitted(client, people):
    req = submitted(people)
    client.force_login(people.requester)
    response = client.get(reverse("requests:edit", args=[req.pk]))
    assert response.status_code == 403
    assert "แก้ไขคำขอได้เฉพาะ" in response.content.decode()


def test_edit_is_not_found_for_outsiders(client, people):
    req = make_request(people)
    client.force_login(people.outsider)
    assert client.get(reverse("requests:edit", args=[req.pk])).status_code == 404


def test_more_files_are_uploaded_to_a_draft(client, people):
    req = make_request(people)
    client.force_login(people.requester)
    response = client.post(
        reverse("requests:upload", args=[req.pk]),
        {"attachments": [pdf_file("second.pdf")], "photos": [jpeg_file()]},
    )
    assert response.status_code == 302
    assert req.attachments.count() == 2
    assert req.photos.count() == 1


def test_a_bad_upload_batch_stores_nothing_and_keeps_the_page(client, people):
    req = make_request(people)
    client.force_login(people.requester)
    bad = SimpleUploadedFile("broken.jpg", b"\xff\xd8\xff\xe0 nope", content_type="image/jpeg")
    response = client.post(
        reverse("requests:upload", args=[req.pk]),
        {"attachments": [pdf_file("fine.pdf")], "photos": [bad]},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "broken.jpg" in body and 'id="id_photos_error"' in body
    assert req.publish_title in body
    assert req.attachments.count() == 1
    assert not req.photos.exists()


def test_an_empty_upload_says_so(client, people):
    req = make_request(people)
    client.force_login(people.requester)
    response = client.post(reverse("requests:upload", args=[req.pk]), {})
    assert response.status_code == 200
    assert "กรุณาเลือกไฟล์" in response.content.decode()


def test_the_photo_set_is_edited(client, people):
    req = make_request(people)
    first, second = services.photos_add(
        req=req, user=people.requester, files=[jpeg_file(), png_file()]
    )
    client.force_login(people.requester)
    response = client.post(
        reverse("requests:photos_update", args=[req.pk]),
        {
            f"caption_{first.pk}": "ภาพบรรยากาศ",
            f"order_{first.pk}": 2,
            f"caption_{second.pk}": "ภาพหมู่",
            f"order_{second.pk}": 1,
            "cover": second.pk,
        },
    )
    assert response.status_code == 302
    photos = list(req.photos.all())
    assert [(p.pk, p.caption, p.is_cover) for p in photos] == [
        (second.pk, "ภาพหมู่", True),
        (first.pk, "ภาพบรรยากาศ", False),
    ]


def test_files_and_photos_are_removed(client, people):
    req = make_request(people)
    (photo,) = services.photos_add(req=req, user=people.requester, files=[jpeg_file()])
    attachment = req.attachments.get()
    client.force_login(people.requester)
    url = reverse("requests:attachment_delete", args=[req.pk, attachment.pk])
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 302
    assert client.post(reverse("requests:photo_delete", args=[req.pk, photo.pk])).status_code == 302
    assert not req.attachments.exists() and not req.photos.exists()
    assert client.post(url).status_code == 404


def test_files_of_a_submitted_request_cannot_be_removed(client, people):
    req = submitted(people)
    attachment = req.attachments.get()
    url = reverse("requests:attachment_delete", args=[req.pk, attachment.pk])
    for user in (people.requester, people.group_director):
        client.force_login(user)
        assert client.post(url).status_code == 403
    client.force_login(people.outsider)
    assert client.post(url).status_code == 404
    assert req.attachments.exists()


# --- preview and copy -------------------------------------------------------------------------


def test_the_preview_shows_the_public_title(client, people):
    req = submitted(people, public_title="ชื่อสำหรับประชาชน")
    client.force_login(people.deputy)
    body = client.get(reverse("requests:preview", args=[req.pk])).content.decode()
    assert "ตัวอย่างการแสดงผลต่อสาธารณะ (ยังไม่เผยแพร่)" in body
    assert "ชื่อสำหรับประชาชน" in body
    client.force_login(people.outsider)
    assert client.get(reverse("requests:preview", args=[req.pk])).status_code == 404


def test_the_requester_copies_a_request_as_a_new_draft(client, people):
    req = submitted(people)
    client.force_login(people.requester)
    url = reverse("requests:copy", args=[req.pk])
    assert client.get(url).status_code == 405
    response = client.post(url)
    copy = PublicationRequest.objects.exclude(pk=req.pk).get()
    assert response["Location"] == reverse("requests:edit", args=[copy.pk])
    assert copy.state == State.DRAFT and copy.copied_from == req
    assert copy.attachments.count() == 1


def test_only_the_requester_may_copy(client, people):
    req = submitted(people)
    client.force_login(people.group_director)
    assert client.post(reverse("requests:copy", args=[req.pk])).status_code == 403
    client.force_login(people.outsider)
    assert client.post(reverse("requests:copy", args=[req.pk])).status_code == 404
    assert PublicationRequest.objects.count() == 1


# --- downloads --------------------------------------------------------------------------------


def test_a_download_has_safe_headers_and_the_thai_name(client, people):
    req = make_request(people, files=False)
    name = "รายงานผลการดำเนินงาน 2568.pdf"
    (attachment,) = services.attachments_add(req=req, user=people.requester, files=[pdf_file(name)])
    client.force_login(people.requester)
    response = client.get(reverse("requests:attachment", args=[req.pk, attachment.pk]))
    assert response.status_code == 200
    assert response.streaming
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f"filename*=UTF-8''{quote(name, safe='')}" in disposition
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content) == pdf_bytes()


def test_downloads_are_hidden_from_outsiders(client, people):
    req = submitted(people)
    attachment = req.attachments.get()
    client.force_login(people.outsider)
    url = reverse("requests:attachment", args=[req.pk, attachment.pk])
    assert client.get(url).status_code == 404
    other = make_request(people)
    client.force_login(people.requester)
    wrong_pair = reverse("requests:attachment", args=[other.pk, attachment.pk])
    assert client.get(wrong_pair).status_code == 404


def test_photos_are_served_inline(client, people):
    req = make_request(people)
    (photo,) = services.photos_add(req=req, user=people.requester, files=[png_file()])
    client.force_login(people.requester)
    for size, content_type in (("full", "image/png"), ("thumb", "image/jpeg")):
        response = client.get(reverse("requests:photo", args=[req.pk, photo.pk, size]))
        assert response.status_code == 200
        assert response["Content-Type"] == content_type
        assert response["Content-Disposition"].startswith("inline;")
        assert response["X-Content-Type-Options"] == "nosniff"
    assert client.get(reverse("requests:photo", args=[req.pk, photo.pk, "huge"])).status_code == 404
    client.force_login(people.outsider)
    thumb = reverse("requests:photo", args=[req.pk, photo.pk, "thumb"])
    assert client.get(thumb).status_code == 404


# --- my requests ------------------------------------------------------------------------------


def test_my_requests_lists_only_mine(client, people):
    mine = submitted(people)
    services.request_create(user=people.colleague, data=complete_data(publish_title="ของเพื่อน"))
    client.force_login(people.requester)
    body = client.get(reverse("requests:mine")).content.decode()
    assert mine.publish_title in body
    assert "ของเพื่อน" not in body
    assert "๐๔๐๓๒" in body  # the memo number in Thai digits


def test_my_requests_costs_the_same_for_few_or_many(client, people):
    client.force_login(people.requester)
    counts = []
    for total in (2, 12):
        while PublicationRequest.objects.filter(requester=people.requester).count() < total:
            make_request(people, files=False)
        client.get(reverse("requests:mine"))
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("requests:mine"))
        assert response.status_code == 200
        counts.append(len(ctx))
    assert counts[0] == counts[1], counts


def test_pages_need_a_login(client, people):
    response = client.get(reverse("requests:mine"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# --- filing without losing work (issue 16) ------------------------------------------------------


def test_photo_captions_are_written_on_the_new_form_by_file_order(client, people):
    client.force_login(people.requester)
    data = form_data()
    data["photos"] = [jpeg_file("first.jpg"), png_file("second.png"), jpeg_file("third.jpg")]
    data["photo_captions"] = "พิธีเปิด\n\nมอบรางวัล\n"
    assert client.post(reverse("requests:create"), data).status_code == 302
    photos = PublicationRequest.objects.get().photos.all()
    assert [(p.original_name, p.caption) for p in photos] == [
        ("first.jpg", "พิธีเปิด"),
        ("second.png", ""),
        ("third.jpg", "มอบรางวัล"),
    ]


def test_a_caption_too_long_is_refused_and_keeps_the_typing(client, people):
    client.force_login(people.requester)
    data = form_data()
    data["photos"] = [jpeg_file()]
    data["photo_captions"] = "ก" * 501
    response = client.post(reverse("requests:create"), data)
    assert response.status_code == 200
    assert 'id="id_photo_captions_error"' in response.content.decode()
    assert not PublicationRequest.objects.exists()


def test_the_main_save_keeps_captions_typed_in_the_photo_section(client, people):
    req = make_request(people)
    first, second = services.photos_add(
        req=req, user=people.requester, files=[jpeg_file(), png_file()]
    )
    client.force_login(people.requester)
    data = form_data(publish_title="ชื่อใหม่")
    data.update({f"caption_{first.pk}": "ภาพบรรยากาศ", f"caption_{second.pk}": "ภาพหมู่"})
    data.update({f"order_{first.pk}": 1, f"order_{second.pk}": 2, "cover": first.pk})
    response = client.post(reverse("requests:edit", args=[req.pk]), data)
    assert response["Location"] == detail_url(req)
    req.refresh_from_db()
    assert req.publish_title == "ชื่อใหม่"
    assert [p.caption for p in req.photos.all()] == ["ภาพบรรยากาศ", "ภาพหมู่"]


def test_removing_a_file_from_the_edit_page_saves_what_was_typed(client, people):
    req = make_request(people)
    (photo,) = services.photos_add(req=req, user=people.requester, files=[jpeg_file()])
    attachment = req.attachments.get()
    client.force_login(people.requester)
    data = form_data(purpose="วัตถุประสงค์ที่พิมพ์ใหม่")
    data.update({f"caption_{photo.pk}": "คำบรรยายใหม่", f"order_{photo.pk}": 1})
    data["delete_attachment"] = attachment.pk
    response = client.post(reverse("requests:edit", args=[req.pk]), data)
    assert response["Location"] == reverse("requests:edit", args=[req.pk]) + "#files"
    req.refresh_from_db()
    assert req.purpose == "วัตถุประสงค์ที่พิมพ์ใหม่"
    assert not req.attachments.exists()
    assert req.photos.get().caption == "คำบรรยายใหม่"


def test_uploading_from_the_edit_page_saves_what_was_typed(client, people):
    req = make_request(people)
    client.force_login(people.requester)
    data = form_data(public_summary="สรุปที่พิมพ์ไว้")
    data.update({"photos": [jpeg_file("new.jpg")], "photo_captions": "ภาพใหม่", "next": "files"})
    response = client.post(reverse("requests:edit", args=[req.pk]), data)
    assert response["Location"] == reverse("requests:edit", args=[req.pk]) + "#files"
    req.refresh_from_db()
    assert req.public_summary == "สรุปที่พิมพ์ไว้"
    assert [(p.original_name, p.caption) for p in req.photos.all()] == [("new.jpg", "ภาพใหม่")]


def test_a_refused_upload_on_the_edit_page_saves_nothing_and_keeps_the_typing(client, people):
    req = make_request(people)
    client.force_login(people.requester)
    data = form_data(public_summary="สรุปที่พิมพ์ไว้")
    data["photos"] = [pdf_file("notaphoto.pdf")]
    response = client.post(reverse("requests:edit", args=[req.pk]), data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "notaphoto.pdf" in body and "สรุปที่พิมพ์ไว้" in body
    req.refresh_from_db()
    assert req.public_summary != "สรุปที่พิมพ์ไว้"


def test_removing_another_requests_file_is_not_found(client, people):
    req = make_request(people)
    other = make_request(people)
    client.force_login(people.requester)
    data = form_data(delete_attachment=other.attachments.get().pk)
    response = client.post(reverse("requests:edit", args=[req.pk]), data)
    assert response.status_code == 404
    assert other.attachments.exists()


def test_file_formats_follow_the_attached_files(client, people):
    req = make_request(people, file_formats=[])
    assert NEEDS_FORMATS not in [message for _, message in submission_problems(req)]
    services.photos_add(req=req, user=people.requester, files=[png_file()])
    req = PublicationRequest.objects.prefetch_related("attachments", "photos").get(pk=req.pk)
    assert req.all_file_formats() == ["pdf", "jpg"]
    services.request_update(req=req, user=people.requester, data={"file_formats": ["word"]})
    assert req.all_file_formats() == ["pdf", "jpg", "word"]
    client.force_login(people.requester)
    body = client.get(detail_url(req)).content.decode()
    assert "PDF, JPG, Word" in body
    edit = client.get(reverse("requests:edit", args=[req.pk])).content.decode()
    pdf_box = re.search(r'<input[^>]*name="file_formats" value="pdf"[^>]*>', edit).group(0)
    assert "checked" in pdf_box and "disabled" in pdf_box


def test_required_fields_are_marked_before_saving(client, people):
    client.force_login(people.requester)
    body = client.get(reverse("requests:create")).content.decode()
    assert re.search(r'<label[^>]*class="required"[^>]*for="id_publish_title"', body) or re.search(
        r'<label[^>]*for="id_publish_title"[^>]*class="required"', body
    )
    title = re.search(r'<input[^>]*name="publish_title"[^>]*>', body).group(0)
    assert "required" in title
    category = re.search(r'<select[^>]*name="category"[^>]*>', body).group(0)
    assert "required" in category
    purpose = re.search(r'<textarea[^>]*name="purpose"[^>]*>', body).group(0)
    assert "required" not in purpose  # a draft may be saved without it; the help text says when
    assert "ต้องกรอกก่อนยื่นคำขอ" in body
