"""Filing without losing work, in a real browser at phone and desktop widths.

Photo captions are typed on the new-request form (one box per chosen photo; without JavaScript,
one line per photo); on the edit page every button saves everything typed; file formats follow
the files; the fields a draft needs are marked before anything is saved.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from catalog.models import Category
from requests.models import PublicationRequest
from tests.browser.journey import (
    DESKTOP,
    PHONE,
    SERVER_TURN,
    Shots,
    field,
    login,
    open_from_menu,
    photo_jpeg,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("patient_expect"),
]

TITLE = "ภาพกิจกรรมวันเด็กแห่งชาติ ๒๕๖๙"
CAPTIONS = ("เด็ก ๆ ร่วมกิจกรรมหน้าเสาธง", "มอบของขวัญให้นักเรียน")
SIZES = {"desktop": DESKTOP, "phone": PHONE}


def photos(count: int) -> list[dict]:
    return [
        {"name": f"วันเด็ก-{n + 1}.jpg", "mimeType": "image/jpeg", "buffer": photo_jpeg(n)}
        for n in range(count)
    ]


def category_label() -> str:
    with SERVER_TURN:
        category = Category.objects.get(code="1.8")
    return f"{category.code} {category.name}"


def the_request() -> PublicationRequest:
    with SERVER_TURN:
        return PublicationRequest.objects.prefetch_related("photos").get(publish_title=TITLE)


def new_request_form(page: Page, base: str, people) -> None:
    login(page, base, people.requester)
    open_from_menu(page, "ยื่นคำขอใหม่", "/requests/new/")


@pytest.mark.parametrize("size", SIZES)
def test_captions_are_typed_on_the_new_form_and_kept_by_any_button(
    browser, live_server, people, size
):
    context = browser.new_context(**SIZES[size])
    page = context.new_page()
    shots = Shots(f"filing-{size}")
    try:
        new_request_form(page, live_server.url, people)

        # Required fields are marked before saving: a star, and `required` on the input.
        title = page.get_by_label(field("เรื่องที่ขอเผยแพร่"))
        expect(title).to_have_attribute("required", "")
        expect(page.get_by_label(field("หมวดหมู่ข้อมูล"))).to_have_attribute("required", "")
        star = page.locator('label[for="id_publish_title"]').evaluate(
            "label => getComputedStyle(label, '::after').content"
        )
        assert "*" in star
        expect(page.get_by_text("ช่องที่มีเครื่องหมาย")).to_be_visible()
        expect(page.get_by_text("ต้องกรอกก่อนยื่นคำขอ").first).to_be_visible()

        title.fill(TITLE)
        page.get_by_label(field("หมวดหมู่ข้อมูล")).select_option(label=category_label())
        page.get_by_label(field("ภาพกิจกรรม")).set_input_files(photos(2))
        # One caption box per chosen photo, by its visible label; JPG is ticked from the files.
        for number, caption in enumerate(CAPTIONS, start=1):
            page.get_by_label(f"คำบรรยายภาพที่ {number} (วันเด็ก-{number}.jpg)").fill(caption)
        formats = page.get_by_role("group", name="รูปแบบไฟล์")
        expect(formats.get_by_label("JPG", exact=True)).to_be_checked()
        shots(page, "new-form-captions")
        page.get_by_role("button", name="บันทึกร่าง").click()
        page.wait_for_url(re.compile(r"/requests/\d+/$"))
        req = the_request()
        assert [p.caption for p in req.photos.all()] == list(CAPTIONS)
        assert req.all_file_formats() == ["jpg"]

        # The edit page: the main save button keeps captions typed in the photo section.
        page.get_by_role("link", name="แก้ไขคำขอ").click()
        page.wait_for_url(re.compile(r"/requests/\d+/edit/$"))
        formats = page.get_by_role("group", name="รูปแบบไฟล์")
        expect(formats.get_by_label("JPG", exact=True)).to_be_checked()
        expect(formats.get_by_label("JPG", exact=True)).to_be_disabled()
        page.get_by_label(field("คำบรรยายภาพที่ 2")).fill("นักเรียนรับของขวัญ")
        page.get_by_label("สรุปสาระสำคัญที่แสดงต่อสาธารณะ").fill("กิจกรรมวันเด็กของสำนักงาน")
        shots(page, "edit-before-save")
        page.get_by_role("button", name="บันทึกการแก้ไข").click()
        page.wait_for_url(re.compile(r"/requests/\d+/$"))
        req = the_request()
        assert [p.caption for p in req.photos.all()] == [CAPTIONS[0], "นักเรียนรับของขวัญ"]
        assert req.public_summary == "กิจกรรมวันเด็กของสำนักงาน"

        # The "wrong" button: removing a photo still saves what was typed above it.
        page.get_by_role("link", name="แก้ไขคำขอ").click()
        page.wait_for_url(re.compile(r"/requests/\d+/edit/$"))
        page.get_by_label("รายละเอียดและวัตถุประสงค์การเผยแพร่").fill("เผยแพร่ภาพกิจกรรม")
        page.get_by_label(field("คำบรรยายภาพที่ 1")).fill("กิจกรรมหน้าเสาธง")
        page.get_by_role("button", name="ลบภาพนี้ 2").click()
        page.wait_for_url(re.compile(r"/requests/\d+/edit/#photos$"))
        expect(page.get_by_text("ลบภาพแล้ว")).to_be_visible()
        shots(page, "edit-after-remove")
        req = the_request()
        assert req.purpose == "เผยแพร่ภาพกิจกรรม"
        assert [p.caption for p in req.photos.all()] == ["กิจกรรมหน้าเสาธง"]
        assert not shots.too_wide, shots.too_wide
    finally:
        context.close()


def test_captions_by_file_order_without_javascript(browser, live_server, people):
    context = browser.new_context(**PHONE, java_script_enabled=False)
    page = context.new_page()
    try:
        new_request_form(page, live_server.url, people)
        page.get_by_label(field("เรื่องที่ขอเผยแพร่")).fill(TITLE)
        page.get_by_label(field("หมวดหมู่ข้อมูล")).select_option(label=category_label())
        page.get_by_label(field("ภาพกิจกรรม")).set_input_files(photos(2))
        page.get_by_label(field("คำบรรยายภาพ")).fill("\n".join(CAPTIONS))
        Shots("filing-nojs")(page, "new-form")
        page.get_by_role("button", name="บันทึกร่าง").click()
        page.wait_for_url(re.compile(r"/requests/\d+/$"))
        req = the_request()
        assert [p.caption for p in req.photos.all()] == list(CAPTIONS)
        # Formats come from the files on the server too.
        assert req.all_file_formats() == ["jpg"]
    finally:
        context.close()
