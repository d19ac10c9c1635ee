"""Setting up a new office in the admin, in a real browser at desktop and phone widths: a unit
with its director and deputy chosen by their labels, a person's roles ticked by their Thai
names, the admin in the app's Thai font; and a person without a role told what they may do."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from approvals.models import Delegation
from esa_publish.office import roles
from esa_publish.office.models import Unit, User
from tests.browser.journey import DESKTOP, PHONE, SERVER_TURN, Shots, login
from tests.conftest import PASSWORD
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("patient_expect"),
]

SIZES = {"desktop": DESKTOP, "phone": PHONE}


def person_label(user) -> str:
    return f"{user.full_name} — {user.position_title}"


@pytest.mark.parametrize("size", SIZES)
def test_an_administrator_sets_up_a_unit_and_a_person(browser, live_server, people, size):
    with SERVER_TURN:
        admin = UserFactory(username="office-admin", is_staff=True, is_superuser=True)
    context = browser.new_context(**SIZES[size])
    page = context.new_page()
    shots = Shots(f"admin-setup-{size}")
    try:
        page.goto(live_server.url + "/admin/")
        page.get_by_label("ชื่อผู้ใช้").fill(admin.username)
        page.get_by_label("รหัสผ่าน").fill(PASSWORD)
        page.get_by_role("button", name="เข้าสู่ระบบ").click()
        expect(page.get_by_role("link", name="กลุ่มสิทธิ์ (บทบาท)").first).to_be_visible()
        font = page.evaluate("getComputedStyle(document.body).fontFamily")
        assert font.startswith('"Sarabun"') or font.startswith("Sarabun"), font
        assert page.evaluate("document.fonts.check('16px Sarabun', 'ก')")
        shots(page, "index")

        # A unit: who directs it and which deputy oversees it, in one place.
        page.goto(live_server.url + "/admin/office/unit/add/")
        page.get_by_label("ชื่อกลุ่ม/หน่วย").fill("กลุ่มบริหารงานบุคคล")
        page.get_by_label("ผู้อำนวยการกลุ่ม/หน่วย").select_option(
            label=person_label(people.group_director)
        )
        page.get_by_label("รองผู้อำนวยการที่กำกับดูแล").select_option(label=person_label(people.deputy))
        shots(page, "unit-add")
        page.get_by_role("button", name="บันทึก", exact=True).click()
        expect(page.get_by_text("เรียบร้อยแล้ว")).to_be_visible()
        with SERVER_TURN:
            unit = Unit.objects.get(name="กลุ่มบริหารงานบุคคล")
        assert (unit.director_id, unit.deputy_id) == (people.group_director.pk, people.deputy.pk)

        # A person: unit and roles on their own page, roles by their Thai names.
        page.goto(live_server.url + f"/admin/office/user/{people.colleague.pk}/change/")
        page.get_by_label(re.compile(r"^กลุ่ม/หน่วย:?$")).select_option(label=unit.name)
        page.get_by_label(str(roles.LABELS[roles.WEBMASTER])).check()
        expect(page.get_by_text("กำหนดที่หน้า “กลุ่ม/หน่วย”").first).to_be_visible()
        shots(page, "user-roles")
        page.get_by_role("button", name="บันทึก", exact=True).click()
        expect(page.get_by_text("เรียบร้อยแล้ว")).to_be_visible()
        with SERVER_TURN:
            person = User.objects.get(pk=people.colleague.pk)
        assert person.unit_id == unit.pk
        assert person.role_names() == {roles.STAFF, roles.WEBMASTER}

        # A delegation: both people in plain select boxes tied to their labels.
        page.goto(live_server.url + "/admin/approvals/delegation/add/")
        page.get_by_label(re.compile(r"^ผู้มอบหมาย:?$")).select_option(
            label=person_label(people.deputy)
        )
        page.get_by_label(re.compile(r"^ผู้ได้รับมอบหมาย:?$")).select_option(
            label=person_label(people.colleague)
        )
        page.get_by_label("ฐานะ").select_option(index=1)
        page.get_by_label("ตั้งแต่วันที่").fill("1/12/2569")
        page.get_by_label("ถึงวันที่").fill("5/12/2569")
        shots(page, "delegation-add")
        page.get_by_role("button", name="บันทึก", exact=True).click()
        expect(page.get_by_text("เรียบร้อยแล้ว")).to_be_visible()
        with SERVER_TURN:
            delegation = Delegation.objects.get()
        assert (delegation.principal_id, delegation.delegate_id) == (
            people.deputy.pk,
            people.colleague.pk,
        )
    finally:
        context.close()


@pytest.mark.parametrize("size", SIZES)
def test_a_person_without_a_role_is_told_what_they_may_do(browser, live_server, people, size):
    with SERVER_TURN:
        newcomer = UserFactory(username="newcomer", unit=None, roles=[])
    context = browser.new_context(**SIZES[size])
    page = context.new_page()
    try:
        login(page, live_server.url, newcomer)
        notice = page.get_by_text(re.compile("ยังไม่ได้รับบทบาท"))
        expect(notice).to_be_visible()
        expect(notice).to_contain_text("ติดต่อผู้ดูแลระบบ")
        Shots(f"no-role-{size}")(page, "after-sign-in")
    finally:
        context.close()
