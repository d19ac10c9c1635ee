"""The information centre page and the webmaster's photo questions in a real Chromium, at desktop
and phone width: screenshots under artifacts/screenshots/, no sideways scrolling, no axe
violations."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from catalog.models import Category
from catalog.oia import selectors
from catalog.oia.models import GazetteNotice, InformationCentre, OIAHeading
from requests.states import State
from tests.browser.axe import report, violations
from tests.browser.journey import DESKTOP, PHONE
from tests.browser.test_accessibility import session_cookie
from tests.conftest import screenshot
from tests.factories import UserFactory
from tests.test_catalog_pages import make_items
from tests.workflow import make_request

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def centre(transactional_db, people, fresh_page_cache):
    officer = UserFactory(
        username="oic",
        name_prefix="นางสาว",
        first_name="สมศรี",
        last_name="รักษ์ข้อมูล",
        position_title="เจ้าพนักงานธุรการชำนาญงาน",
    )
    InformationCentre.objects.create(
        officer=officer,
        location="ห้องประชาสัมพันธ์ ชั้น ๑ อาคารสำนักงานเขตพื้นที่การศึกษา",
        phone="038-511-000 ต่อ 12",
        email="oic@example.go.th",
        announcement_date=dt.date(2026, 10, 15),
    )
    year = selectors.current_fiscal_year()
    mapping = {"7(1)": "1.1", "7(4)": "1.5", "9(3)": "1.3", "9(4)": "1.6", "9(8)-3": "1.5"}
    for code, category_code in mapping.items():
        category = Category.objects.get(code=category_code)
        OIAHeading.objects.get(code=code).categories.add(category)
    make_items(1, Category.objects.get(code="1.1"), title="โครงสร้างการแบ่งส่วนราชการของสำนักงาน")
    make_items(
        1,
        Category.objects.get(code="1.3"),
        title=f"แผนปฏิบัติการประจำปีงบประมาณ {year}",
        fiscal_year=year,
    )
    make_items(2, Category.objects.get(code="1.5"), title="สรุปผลการดำเนินการจัดซื้อจัดจ้าง (แบบ สขร.๑)")
    GazetteNotice.objects.create(
        heading=OIAHeading.objects.get(code="7(1)"),
        title="ประกาศกระทรวงศึกษาธิการ เรื่อง การแบ่งส่วนราชการภายในสำนักงานเขตพื้นที่การศึกษา",
        volume=136,
        part="พิเศษ 97 ง",
        page="3",
        published_on=dt.date(2019, 4, 22),
    )
    return people


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_the_centre_page(live_server, visitor, centre, size):
    page = visitor(DESKTOP if size == "desktop" else PHONE)
    response = page.goto(live_server.url + reverse("oia:centre"))
    assert response.status == 200
    assert page.get_by_role("heading", name="ศูนย์ข้อมูลข่าวสารอิเล็กทรอนิกส์").is_visible()
    assert page.get_by_text("ราชกิจจานุเบกษา เล่ม ๑๓๖").is_visible()
    assert page.get_by_text("นางสาวสมศรี รักษ์ข้อมูล").is_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], "the page scrolls sideways"
    screenshot(page, f"oia-centre-{size}")
    problems = violations(page)
    assert not problems, report(problems, "the information centre")


def test_the_webmaster_sees_the_missing_plan_warning(
    live_server, visitor, people, fresh_page_cache
):
    page = visitor(PHONE)
    page.context.add_cookies([session_cookie(people.webmaster, live_server)])
    page.goto(live_server.url + reverse("publishing:queue"))
    assert page.get_by_role("alert").filter(has_text="มาตรา ๙ (๓)").is_visible()
    screenshot(page, "oia-plan-warning-phone")
    problems = violations(page)
    assert not problems, report(problems, "the queue with the warning")


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_the_photo_questions_on_the_plan(live_server, visitor, people, fresh_page_cache, size):
    req = make_request(people, State.APPROVED, title="ภาพกิจกรรมวันเด็ก", photos=2)
    page = visitor(DESKTOP if size == "desktop" else PHONE)
    page.context.add_cookies([session_cookie(people.webmaster, live_server)])
    page.goto(live_server.url + reverse("publishing:plan", args=[req.pk]))
    questions = page.locator("#photo-flags")
    assert questions.is_visible()
    page.get_by_role("radio").first.check()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], "the page scrolls sideways"
    questions.scroll_into_view_if_needed()
    screenshot(page, f"oia-photo-questions-{size}")
    problems = violations(page)
    assert not problems, report(problems, "the plan with the photo questions")
