"""What people type survives a post that does not go through (issue 14, items 9 and 10).

The real flows in Chromium: the session ends while someone writes (30 minutes idle), they press
save, sign in again and find their text back on the form; a form left open while they signed in
again in another tab fails its CSRF check, and the way back from the explaining page brings the
text back; a post of too many files gets the explaining page, not a bare English one.
"""

from __future__ import annotations

import re

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone
from playwright.sync_api import expect

from requests.models import PublicationRequest
from requests.states import State
from tests.browser.journey import DESKTOP, SERVER_TURN, login, logout, logout_button
from tests.conftest import PASSWORD, screenshot
from tests.workflow import make_request

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("patient_expect", "fresh_page_cache"),
]

PURPOSE = "รายละเอียดที่พิมพ์ไว้นานกว่าครึ่งชั่วโมง: กำหนดการ ผู้เข้าร่วม และผลที่ได้รับจากกิจกรรม"
RESTORED = "ถูกนำกลับมาใส่ให้แล้ว"


@pytest.fixture
def draft(people):
    with SERVER_TURN:
        return make_request(people)


def end_every_session() -> None:
    """As if 30 minutes passed without a request: every session has expired."""
    with SERVER_TURN:
        Session.objects.update(expire_date=timezone.now() - timezone.timedelta(seconds=1))


def purpose_box(page):
    return page.get_by_label("รายละเอียดและวัตถุประสงค์การเผยแพร่")


def test_text_typed_before_the_session_ended_comes_back_after_signing_in(
    live_server, page, people, draft
):
    login(page, live_server.url, people.requester)
    page.goto(f"{live_server.url}/requests/{draft.pk}/edit/")
    purpose_box(page).fill(PURPOSE)
    end_every_session()

    page.get_by_role("button", name="บันทึกการแก้ไข").click()

    page.wait_for_url(re.compile(r"/accounts/login/"))
    expect(page.get_by_text("ไม่ได้ใช้งานเกิน 30 นาที")).to_be_visible()
    screenshot(page, "drafts-01-signed-out")
    page.get_by_label("ชื่อผู้ใช้").fill(people.requester.get_username())
    page.get_by_label("รหัสผ่าน").fill(PASSWORD)
    page.get_by_role("button", name="เข้าสู่ระบบ", exact=True).click()

    page.wait_for_url(re.compile(rf"/requests/{draft.pk}/edit/$"))
    expect(purpose_box(page)).to_have_value(PURPOSE)
    expect(page.get_by_text(RESTORED)).to_be_visible()
    screenshot(page, "drafts-02-restored")
    with SERVER_TURN:
        assert PublicationRequest.objects.get(pk=draft.pk).purpose != PURPOSE

    # Saved this time: the draft is dropped, the form shows what the server has.
    page.get_by_role("button", name="บันทึกการแก้ไข").click()
    page.wait_for_url(re.compile(rf"/requests/{draft.pk}/$"))
    with SERVER_TURN:
        assert PublicationRequest.objects.get(pk=draft.pk).purpose == PURPOSE
    page.goto(f"{live_server.url}/requests/{draft.pk}/edit/")
    expect(purpose_box(page)).to_have_value(PURPOSE)
    expect(page.get_by_text(RESTORED)).to_have_count(0)


def test_a_comment_on_a_post_only_action_comes_back_to_the_request_page(live_server, page, people):
    """The approver's comment posts to /work/<id>/act/, which has no page of its own: after
    signing in again they land on the request page, comment restored."""
    with SERVER_TURN:
        draft = make_request(people, State.SUBMITTED)
    login(page, live_server.url, people.group_director)
    page.goto(f"{live_server.url}/requests/{draft.pk}/")
    comment = page.get_by_label("ความเห็น/เหตุผล").first
    comment.fill("ขอให้แนบคำสั่งแต่งตั้งคณะกรรมการเพิ่มเติม")
    end_every_session()
    page.locator("form.action-form button[type=submit]").first.click()

    page.wait_for_url(re.compile(r"/accounts/login/"))
    page.get_by_label("ชื่อผู้ใช้").fill(people.group_director.get_username())
    page.get_by_label("รหัสผ่าน").fill(PASSWORD)
    page.get_by_role("button", name="เข้าสู่ระบบ", exact=True).click()

    page.wait_for_url(re.compile(rf"/requests/{draft.pk}/$"))
    expect(page.get_by_label("ความเห็น/เหตุผล").first).to_have_value(
        "ขอให้แนบคำสั่งแต่งตั้งคณะกรรมการเพิ่มเติม"
    )


def test_a_form_left_open_while_signing_in_again_in_another_tab(
    live_server, browser, people, draft
):
    context = browser.new_context(**DESKTOP)
    try:
        first = context.new_page()
        login(first, live_server.url, people.requester)
        first.goto(f"{live_server.url}/requests/{draft.pk}/edit/")
        purpose_box(first).fill(PURPOSE)

        second = context.new_page()
        second.goto(live_server.url + "/")
        logout(second, people.requester)
        login(second, live_server.url, people.requester)

        first.get_by_role("button", name="บันทึกการแก้ไข").click()
        expect(first.get_by_role("heading", name="แบบฟอร์มนี้หมดอายุแล้ว")).to_be_visible()
        expect(logout_button(first, people.requester)).to_be_visible()  # the site's own page
        screenshot(first, "drafts-03-csrf")
        first.get_by_role("link", name="กลับไปที่แบบฟอร์ม").click()

        first.wait_for_url(re.compile(rf"/requests/{draft.pk}/edit/$"))
        expect(purpose_box(first)).to_have_value(PURPOSE)
        expect(first.get_by_text(RESTORED)).to_be_visible()
    finally:
        context.close()


def test_too_many_files_at_once_explains_and_keeps_the_text(
    live_server, page, people, draft, settings, tmp_path
):
    login(page, live_server.url, people.requester)
    page.goto(f"{live_server.url}/requests/{draft.pk}/edit/")
    purpose_box(page).fill(PURPOSE)
    files = []
    for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FILES + 1):
        path = tmp_path / f"{n}.pdf"
        path.write_bytes(b"%PDF-1.4\n%%EOF\n")
        files.append(str(path))
    page.locator("#id_attachments").set_input_files(files)
    page.locator("form[enctype='multipart/form-data'] button[type=submit]").first.click()

    expect(page.get_by_role("heading", name="เลือกไฟล์มากเกินไปในครั้งเดียว")).to_be_visible()
    screenshot(page, "drafts-04-too-many-files")
    page.get_by_role("link", name="กลับไปที่แบบฟอร์ม").click()
    expect(purpose_box(page)).to_have_value(PURPOSE)


def test_signing_out_forgets_the_drafts_of_the_tab(live_server, page, people, draft):
    login(page, live_server.url, people.requester)
    page.goto(f"{live_server.url}/requests/{draft.pk}/edit/")
    purpose_box(page).fill(PURPOSE)
    assert page.evaluate("Object.keys(sessionStorage).some(k => k.startsWith('esa-draft:'))")
    logout(page, people.requester)
    assert not page.evaluate("Object.keys(sessionStorage).some(k => k.startsWith('esa-draft:'))")
