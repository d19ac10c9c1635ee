"""The request's whole path as people take it, in a real browser, by clicking and typing.

One journey goes from the requester's form to a citizen's download, at a desktop width and at a
phone width: the requester files a request with a PDF and three photos, the group director, the
deputy and the director agree (the director with the keyboard alone), the webmaster checks the
plan and publishes, and someone without an account finds the item by a Thai search, looks at the
photos and downloads the PDF and the memo. Shorter journeys cover the other ways a request ends:
sent back and filed again, not allowed, withdrawn, decided by a delegate, taken down.

After each step the database is checked too (the state and the history rows), and every page
is saved as a screenshot under artifacts/screenshots/journey-<journey>-<nn>-<step>.png. The
test's own queries take turns with the live server's requests (``SERVER_TURN``, see
tests/browser/conftest.py): on SQLite both use one in-memory database that fails, rather than
waits, when two connections use it at once.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from approvals.models import Capacity, Decision, Delegation, Verdict
from catalog.models import Category
from requests.models import PublicationRequest, RequestEvent
from requests.states import State
from tests.browser.journey import (
    DESKTOP,
    PDF_NAME,
    PHONE,
    PHOTO_CAPTIONS,
    QUERY,
    SERVER_TURN,
    TITLE,
    Shots,
    act,
    caption_photos,
    fill_request_form,
    login,
    logout,
    logout_button,
    open_from_menu,
    open_menu,
    open_request,
    pdf_text,
    squeezed,
    state_badge,
    success_message,
    tab_to,
    thai_pdf,
)
from tests.conftest import PASSWORD
from tests.workflow import make_request

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("patient_expect", "fresh_page_cache"),
]

REQUEST_PAGE = re.compile(r"/requests/\d+/$")


def history(req) -> list[str]:
    """The actions recorded for ``req`` (the requester's events and the decisions), oldest first."""
    rows = list(RequestEvent.objects.filter(request=req).values_list("created_at", "action"))
    rows += list(Decision.objects.filter(request=req).values_list("created_at", "action"))
    return [action for _, action in sorted(rows, key=lambda row: row[0])]


def assert_state(req, state: str, actions: list[str]) -> None:
    """The request's state and its whole history, as the database has them now."""
    with SERVER_TURN:
        req.refresh_from_db()
        recorded = history(req)
    assert req.state == state
    assert recorded == actions


def decision(req, action: str) -> Decision:
    with SERVER_TURN:
        return Decision.objects.get(request=req, action=action)


# --- steps of the full journey -------------------------------------------------------------------


def requester_files(page: Page, base: str, people, shots: Shots) -> PublicationRequest:
    login(page, base, people.requester, shots)
    open_from_menu(page, "ยื่นคำขอใหม่", "/requests/new/")
    with SERVER_TURN:
        category = Category.objects.get(code="1.8")
    fill_request_form(page, category_label=f"{category.code} {category.name}")
    shots(page, "request-form")

    page.get_by_role("button", name="บันทึกร่าง").click()
    page.wait_for_url(REQUEST_PAGE)
    expect(page.get_by_text("บันทึกร่างคำขอแล้ว")).to_be_visible()
    with SERVER_TURN:
        req = PublicationRequest.objects.get(publish_title=TITLE)
        attachments = list(req.attachments.values_list("original_name", flat=True))
        photo_count = req.photos.count()
    assert req.state == State.DRAFT
    assert req.requester_id == people.requester.pk
    assert attachments == [PDF_NAME]
    assert photo_count == 3
    shots(page, "draft-saved")

    # Captions for the photo set are written on the edit page.
    page.get_by_role("link", name="แก้ไขคำขอ").click()
    page.wait_for_url(re.compile(r"/requests/\d+/edit/"))
    caption_photos(page)
    shots(page, "photo-captions")
    with SERVER_TURN:
        captions = sorted(req.photos.values_list("caption", flat=True))
    assert captions == sorted(PHOTO_CAPTIONS)
    page.get_by_role("link", name="กลับไปหน้าคำขอ").click()
    page.wait_for_url(REQUEST_PAGE)
    expect(page.get_by_text("ข้อมูลครบถ้วน ยื่นคำขอได้")).to_be_visible()

    act(page, "ยื่นคำขอ")
    assert_state(req, State.SUBMITTED, ["create", "submit"])
    assert req.doc_number
    # The status names who holds the first review (category 1.8: the group director).
    expect(state_badge(page)).to_have_text("รอผู้อำนวยการกลุ่มพิจารณา")
    shots(page, "request-submitted")
    logout(page, people.requester)
    return req


def reviewer_acts(
    page: Page, base: str, user, shots: Shots, *, label: str, comment: str, who: str
) -> None:
    """A reviewer opens their pending work, opens the request and presses ``label``."""
    login(page, base, user)
    open_from_menu(page, "งานรอพิจารณา", "/work/")
    shots(page, f"{who}-pending")
    page.get_by_role("link", name=TITLE, exact=True).click()
    page.wait_for_url(REQUEST_PAGE)
    shots(page, f"{who}-request")
    act(page, label, comment)
    expect(page.locator(".timeline")).to_contain_text(comment)
    shots(page, f"{who}-done")
    logout(page, user)


def director_allows_by_keyboard(page: Page, base: str, director, shots: Shots) -> None:
    """The director's whole step without a mouse: sign in, find the request, allow it."""
    page.goto(base + "/")
    open_menu(page, keyboard=True)
    tab_to(page, page.get_by_role("link", name="เข้าสู่ระบบเจ้าหน้าที่"))
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/accounts/login/"))
    tab_to(page, page.get_by_label("ชื่อผู้ใช้"))
    page.keyboard.type(director.get_username())
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    # Approvers land on their pending work (approvals/landing.py).
    page.wait_for_url(re.compile(r"/work/$"))
    expect(logout_button(page, director, include_hidden=True)).to_have_count(1)
    shots(page, "director-pending")
    tab_to(page, page.get_by_role("link", name=TITLE, exact=True))
    page.keyboard.press("Enter")
    page.wait_for_url(REQUEST_PAGE)

    allow = page.locator("form.action-form").filter(
        has=page.get_by_role("button", name="อนุญาต", exact=True)
    )
    tab_to(page, allow.get_by_label("ความเห็น/เหตุผล"))
    page.keyboard.type("อนุญาตให้เผยแพร่")
    page.keyboard.press("Tab")
    expect(allow.get_by_role("button", name="อนุญาต", exact=True)).to_be_focused()
    shots(page, "director-keyboard")
    page.keyboard.press("Enter")
    expect(success_message(page, "อนุญาต")).to_be_visible()
    shots(page, "director-allowed")
    logout(page, director)


def webmaster_publishes(page: Page, base: str, webmaster, shots: Shots) -> None:
    login(page, base, webmaster)
    open_from_menu(page, "รอเผยแพร่", "/publishing/")
    shots(page, "publishing-queue")
    page.get_by_role("link", name=f"ตรวจสอบและเผยแพร่ {TITLE}").click()
    page.wait_for_url(re.compile(r"/publishing/\d+/$"))
    expect(page.get_by_label("ชื่อเรื่องที่แสดงต่อสาธารณะ")).to_have_value(TITLE)
    expect(page.get_by_role("checkbox", name=PDF_NAME)).to_be_checked()
    photos = page.get_by_role("group", name="ภาพที่เผยแพร่").get_by_role("checkbox")
    expect(photos).to_have_count(3)
    for box in photos.all():
        expect(box).to_be_checked()
    shots(page, "publishing-plan")

    # The PDPA questions about the photo set: wide shots of a ceremony with students, consent held.
    for question, answer in (
        ("ภาพเห็นหน้าบุคคลชัดเจนจนระบุตัวได้ (ไม่ใช่ภาพมุมกว้าง)", "ไม่ใช่"),
        ("มีภาพนักเรียนหรือผู้เยาว์", "ใช่"),
        ("ได้รับความยินยอมจากบุคคลในภาพหรือผู้ปกครองแล้ว", "ใช่"),
    ):
        page.get_by_role("group", name=question).get_by_label(answer, exact=True).check()
    page.get_by_role("button", name="ตรวจสอบและบันทึก").click()
    expect(page.get_by_text("บันทึกแล้ว ไม่พบเลขประจำตัวประชาชนหรือหมายเลขโทรศัพท์")).to_be_visible()
    shots(page, "publishing-plan-checked")
    page.get_by_role("button", name="รับรองและเผยแพร่ทันที").click()
    page.wait_for_url(re.compile(r"/publishing/$"))
    expect(page.get_by_text(f"เผยแพร่ “{TITLE}” บนเว็บไซต์แล้ว")).to_be_visible()
    shots(page, "published")
    logout(page, webmaster)


def citizen_finds_and_downloads(anon: Page, base: str, shots: Shots, tmp_path: Path) -> None:
    anon.goto(base + "/")
    search = anon.get_by_role("searchbox", name="ค้นหาข้อมูลที่เผยแพร่")
    search.fill(QUERY)
    shots(anon, "citizen-home")
    search.press("Enter")
    anon.wait_for_url(re.compile(r"/search/\?q="))
    expect(anon.locator(".search-count")).to_contain_text("พบ 1 รายการ")
    shots(anon, "search-results")

    # The title in the result has the query highlighted; its accessible name is still the title.
    anon.locator(".search-results").get_by_role("link", name=TITLE).click()
    anon.wait_for_url(re.compile(r"/catalog/\d+/[^/]+/$"))
    expect(anon.get_by_role("heading", level=1)).to_have_text(TITLE)
    shots(anon, "public-item")

    # The gallery with the keyboard: Enter on a thumbnail, the arrow keys, Escape.
    thumbs = anon.locator("[data-gallery] a")
    expect(thumbs).to_have_count(3)
    thumbs.first.focus()
    anon.keyboard.press("Enter")
    viewer = anon.get_by_role("dialog")
    expect(viewer).to_be_visible()
    expect(viewer.locator(".viewer-count")).to_have_text("1 จาก 3")
    expect(viewer.locator("figcaption")).to_have_text(PHOTO_CAPTIONS[0])
    anon.wait_for_function(
        "() => { const img = document.querySelector('dialog[open] img');"
        " return img && img.complete && img.naturalWidth > 0; }"
    )
    shots(anon, "gallery-open", full_page=False)
    anon.keyboard.press("ArrowRight")
    expect(viewer.locator(".viewer-count")).to_have_text("2 จาก 3")
    expect(viewer.locator("figcaption")).to_have_text(PHOTO_CAPTIONS[1])
    anon.keyboard.press("Escape")
    expect(viewer).to_be_hidden()
    expect(thumbs.first).to_be_focused()

    with anon.expect_download() as info:
        anon.get_by_role("link", name=PDF_NAME).click()
    download = info.value
    assert download.suggested_filename == PDF_NAME
    data = Path(download.path()).read_bytes()
    assert data == thai_pdf()
    assert squeezed(TITLE) in squeezed(pdf_text(data, tmp_path))

    memo_link = anon.get_by_role("link", name="บันทึกข้อความขออนุญาตเผยแพร่ (PDF)")
    with anon.expect_download() as info:
        memo_link.click()
    assert Path(info.value.path()).read_bytes().startswith(b"%PDF")
    response = anon.request.get(base + memo_link.get_attribute("href"))
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    memo_text = squeezed(pdf_text(response.body(), tmp_path))
    assert squeezed(TITLE) in memo_text
    shots(anon, "downloads-done")


def full_journey(
    page, visitor, live_server, people, tmp_path, *, name: str, options: dict
) -> Shots:
    base = live_server.url
    shots = Shots(name)

    req = requester_files(page, base, people, shots)

    reviewer_acts(
        page,
        base,
        people.group_director,
        shots,
        label="เห็นชอบ เสนอต่อ",
        comment="เห็นชอบ เสนอรองผู้อำนวยการ",
        who="groupdir",
    )
    assert_state(req, State.REVIEWED, ["create", "submit", "review.forward"])

    reviewer_acts(
        page,
        base,
        people.deputy,
        shots,
        label="เห็นควรอนุญาต",
        comment="เห็นควรอนุญาตให้เผยแพร่",
        who="deputy",
    )
    assert_state(req, State.RECOMMENDED, ["create", "submit", "review.forward", "deputy.allow"])

    director_allows_by_keyboard(page, base, people.director, shots)
    assert_state(
        req,
        State.APPROVED,
        ["create", "submit", "review.forward", "deputy.allow", "director.allow"],
    )
    allowed = decision(req, "director.allow")
    assert allowed.actor_id == people.director.pk
    assert allowed.on_behalf_of_id is None
    assert allowed.verdict == Verdict.ALLOW
    assert allowed.comment == "อนุญาตให้เผยแพร่"

    webmaster_publishes(page, base, people.webmaster, shots)
    assert_state(
        req,
        State.PUBLISHED,
        [
            "create",
            "submit",
            "review.forward",
            "deputy.allow",
            "director.allow",
            "webmaster.publish",
        ],
    )
    with SERVER_TURN:
        item = req.catalog_item
        counts = (item.files.count(), item.photos.count())
    assert item.title == TITLE
    assert counts == (1, 3)
    assert item.memo_file

    citizen_finds_and_downloads(visitor(options), base, shots, tmp_path)
    return shots


def test_whole_journey_desktop(page, visitor, live_server, people, tmp_path):
    shots = full_journey(
        page, visitor, live_server, people, tmp_path, name="desktop", options=DESKTOP
    )
    assert shots.too_wide == []


def test_whole_journey_phone(phone_page, visitor, live_server, people, tmp_path):
    shots = full_journey(
        phone_page, visitor, live_server, people, tmp_path, name="phone", options=PHONE
    )
    # No page on the way had to be scrolled sideways on the phone.
    assert shots.too_wide == []


# --- the other endings ---------------------------------------------------------------------------


def test_sent_back_and_filed_again(page, live_server, people):
    base = live_server.url
    shots = Shots("returned")
    title = "รายงานผลการดำเนินงานโครงการอาหารกลางวัน"
    req = make_request(people, State.SUBMITTED, title=title)
    reason = "กรุณาเพิ่มจำนวนนักเรียนที่ได้รับอาหารในสรุปสาระสำคัญ"

    login(page, base, people.group_director)
    open_request(page, title, shots=shots, who="groupdir")
    act(page, "ส่งกลับแก้ไข", reason)
    assert_state(req, State.RETURNED, ["create", "submit", "review.return"])
    shots(page, "groupdir-sent-back")
    logout(page, people.group_director)

    login(page, base, people.requester)
    open_request(page, title, entry="คำขอของฉัน", shots=shots, who="requester")
    expect(state_badge(page)).to_have_text(str(State.RETURNED.label))
    expect(page.locator(".timeline")).to_contain_text(reason)
    page.get_by_role("link", name="แก้ไขคำขอ").click()
    page.wait_for_url(re.compile(r"/requests/\d+/edit/$"))
    summary = page.get_by_label("สรุปสาระสำคัญที่แสดงต่อสาธารณะ")
    summary.fill("โรงเรียนในสังกัด ๑๒๐ แห่ง นักเรียนได้รับอาหารกลางวันครบทุกคน")
    shots(page, "requester-edits")
    page.get_by_role("button", name="บันทึกการแก้ไข").click()
    page.wait_for_url(REQUEST_PAGE)
    expect(page.get_by_text("บันทึกการแก้ไขแล้ว")).to_be_visible()
    with SERVER_TURN:
        req.refresh_from_db()
    assert "๑๒๐ แห่ง" in req.public_summary
    act(page, "ยื่นคำขอ")
    assert_state(req, State.SUBMITTED, ["create", "submit", "review.return", "edit", "resubmit"])
    shots(page, "requester-resubmitted")
    logout(page, people.requester)

    # The corrected request is back with the first reviewer, who can now pass it on.
    login(page, base, people.group_director)
    open_request(page, title, shots=shots, who="groupdir-again")
    act(page, "เห็นชอบ เสนอต่อ")
    assert_state(
        req,
        State.REVIEWED,
        ["create", "submit", "review.return", "edit", "resubmit", "review.forward"],
    )
    shots(page, "groupdir-forwarded")


def test_not_allowed(page, live_server, people):
    base = live_server.url
    shots = Shots("denied")
    title = "ประกาศรายชื่อผู้ผ่านการคัดเลือกลูกจ้างชั่วคราว"
    req = make_request(people, State.RECOMMENDED, title=title)
    reason = "มีข้อมูลส่วนบุคคลของผู้สมัคร ยังไม่ควรเผยแพร่"

    login(page, base, people.director)
    open_request(page, title, shots=shots, who="director")
    act(page, "ไม่อนุญาต", reason)
    assert_state(
        req, State.REJECTED, ["create", "submit", "review.forward", "deputy.allow", "director.deny"]
    )
    denied = decision(req, "director.deny")
    assert denied.verdict == Verdict.DENY
    assert denied.comment == reason
    shots(page, "director-denied")
    logout(page, people.director)

    login(page, base, people.requester)
    open_request(page, title, entry="คำขอของฉัน", shots=shots, who="requester")
    expect(state_badge(page)).to_have_text("ไม่อนุญาต")
    expect(page.locator(".timeline")).to_contain_text(reason)
    expect(page.locator("form.action-form")).to_have_count(0)


def test_withdrawn_by_the_requester(page, live_server, people):
    base = live_server.url
    shots = Shots("withdrawn")
    title = "ประชาสัมพันธ์การแข่งขันทักษะวิชาการ"
    req = make_request(people, State.SUBMITTED, title=title)

    login(page, base, people.requester)
    open_request(page, title, entry="คำขอของฉัน", shots=shots, who="requester")
    act(page, "ถอนคำขอ", "กิจกรรมเลื่อนออกไป จะยื่นใหม่ภายหลัง")
    assert_state(req, State.WITHDRAWN, ["create", "submit", "withdraw"])
    expect(state_badge(page)).to_have_text(str(State.WITHDRAWN.label))
    expect(page.locator("form.action-form")).to_have_count(0)
    shots(page, "requester-withdrew")
    logout(page, people.requester)

    # Nothing waits for the group director any more.
    login(page, base, people.group_director)
    open_from_menu(page, "งานรอพิจารณา", "/work/")
    expect(page.get_by_role("link", name=title, exact=True)).to_have_count(0)
    shots(page, "groupdir-nothing-pending")


def test_decided_by_a_delegate(page, live_server, people, tmp_path):
    base = live_server.url
    shots = Shots("delegate")
    title = "รายงานผลการดำเนินงานโครงการโรงเรียนคุณธรรม"
    req = make_request(people, State.RECOMMENDED, title=title)
    today = timezone.localdate()
    Delegation.objects.create(
        principal=people.director,
        delegate=people.deputy,
        capacity=Capacity.ON_BEHALF,
        starts_on=today,
        ends_on=today + dt.timedelta(days=7),
        reference="คำสั่งที่ ๑๐๓/๒๕๖๙",
    )

    login(page, base, people.deputy)
    open_from_menu(page, "งานรอพิจารณา", "/work/")
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=title, exact=True))
    expect(row).to_contain_text("ปฏิบัติราชการแทน")
    shots(page, "deputy-pending")
    page.get_by_role("link", name=title, exact=True).click()
    page.wait_for_url(REQUEST_PAGE)
    expect(page.locator(".action-form .acting-for").first).to_contain_text("ปฏิบัติราชการแทน")
    shots(page, "deputy-request")
    # The comment does not name the capacity: what the page and the memo show comes from the
    # delegation alone.
    act(page, "อนุญาต", "อนุญาตให้เผยแพร่ได้")
    assert_state(
        req,
        State.APPROVED,
        ["create", "submit", "review.forward", "deputy.allow", "director.allow"],
    )
    allowed = decision(req, "director.allow")
    assert allowed.actor_id == people.deputy.pk
    assert allowed.on_behalf_of_id == people.director.pk
    assert allowed.capacity == Capacity.ON_BEHALF
    expect(page.locator(".timeline .acting-for")).to_contain_text("ปฏิบัติราชการแทน")
    shots(page, "deputy-allowed")

    # The memo, fetched with the deputy's session, says in whose place the decision was taken.
    href = page.get_by_role("link", name="บันทึกข้อความ (PDF)").get_attribute("href")
    response = page.request.get(base + href)
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    text = squeezed(pdf_text(response.body(), tmp_path))
    assert "ปฏิบัติราชการแทน" in text
    assert squeezed(people.director.position_title) in text


def test_taken_down_after_publication(page, visitor, live_server, people):
    base = live_server.url
    shots = Shots("takedown")
    title = "ประกาศผลการสอบคัดเลือกบุคลากร"
    req = make_request(people, State.PUBLISHED, title=title, photos=1)
    item = req.catalog_item
    item_url = base + item.get_absolute_url()
    file_url = base + f"/catalog/{item.pk}/files/{item.files.get().pk}/"
    reason = "พบข้อมูลส่วนบุคคลในเอกสารแนบ ถอดออกเพื่อแก้ไข"

    anon = visitor(DESKTOP)
    assert anon.goto(item_url).status == 200
    expect(anon.get_by_role("heading", level=1)).to_have_text(title)
    shots(anon, "citizen-item-before")

    login(page, base, people.webmaster)
    open_from_menu(page, "รอเผยแพร่", "/publishing/")
    shots(page, "publishing-queue")
    page.get_by_role("link", name=f"ถอดออก {title}").click()
    page.wait_for_url(re.compile(r"/publishing/item/\d+/takedown/$"))
    page.get_by_label("เหตุผลที่ถอดออกจากการเผยแพร่").fill(reason)
    shots(page, "takedown-form")
    page.get_by_role("button", name="ถอดออกจากการเผยแพร่").click()
    page.wait_for_url(re.compile(r"/publishing/$"))
    expect(page.get_by_text(f"ถอด “{title}” ออกจากการเผยแพร่แล้ว")).to_be_visible()
    shots(page, "taken-down")
    assert_state(
        req,
        State.UNPUBLISHED,
        [
            "create",
            "submit",
            "review.forward",
            "deputy.allow",
            "director.allow",
            "webmaster.publish",
            "webmaster.unpublish",
        ],
    )
    with SERVER_TURN:
        item.refresh_from_db()
    assert item.withdrawn_at is not None

    response = anon.goto(item_url)
    assert response.status == 410
    expect(anon.get_by_role("heading", level=1)).to_have_text("รายการนี้ถอดออกจากการเผยแพร่แล้ว")
    expect(anon.get_by_text(reason)).to_be_visible()
    shots(anon, "citizen-sees-410")
    assert anon.request.get(file_url).status == 404
