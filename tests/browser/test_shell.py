"""The shell in a real browser: the home page, signing in as a demo user, a phone width."""

import pytest
from playwright.sync_api import expect

from esa_publish import demo
from requests.states import State
from tests.browser.journey import SERVER_TURN, login, menu_button, menu_entry, open_menu
from tests.conftest import screenshot
from tests.workflow import make_request

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_people(transactional_db):
    return demo.seed(lambda _: None, extras=False)


def test_home_page_and_demo_login(live_server, page, demo_people):
    page.goto(live_server.url + "/")
    assert page.locator("html").get_attribute("lang") == "th"
    assert "สพป.ฉะเชิงเทรา เขต ๑" in page.locator("header").inner_text()
    screenshot(page, "shell-01-home")

    page.get_by_role("link", name="เข้าสู่ระบบเจ้าหน้าที่").click()
    page.get_by_label("ชื่อผู้ใช้").fill("staff1")
    page.get_by_label("รหัสผ่าน").fill(demo.DEMO_PASSWORD)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    # Staff land on their own requests (approvals/landing.py).
    page.wait_for_url(live_server.url + "/requests/")
    assert "ออกจากระบบ" in page.locator("header").inner_text()
    screenshot(page, "shell-02-signed-in")

    # The page font is Sarabun from the installed package, served as a static file.
    family = page.evaluate("getComputedStyle(document.body).fontFamily")
    assert family.startswith('"Sarabun"') or family.startswith("Sarabun")
    assert page.evaluate("document.fonts.check('16px Sarabun')")


def test_english_can_be_chosen(live_server, page, demo_people):
    page.goto(live_server.url + "/")
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    screenshot(page, "shell-03-english")


def test_home_page_fits_a_phone(live_server, phone_page, demo_people):
    phone_page.goto(live_server.url + "/")
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    # A visitor's menu is three short links: open, with no button, and small.
    assert not menu_button(phone_page).is_visible()
    assert _nav(phone_page).get_by_role("link", name="ศูนย์ข้อมูลข่าวสาร").is_visible()
    assert _header_height(phone_page) <= 844 / 7
    screenshot(phone_page, "shell-04-phone")


def _nav(page):
    return page.get_by_role("navigation", name="เมนูหลัก")


def _header_height(page) -> float:
    return page.locator("header").bounding_box()["height"]


def test_the_phone_menu_is_one_button_until_opened(live_server, phone_page, demo_people):
    page = phone_page
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("ชื่อผู้ใช้").fill("staff1")
    page.get_by_label("รหัสผ่าน").fill(demo.DEMO_PASSWORD)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    page.wait_for_url(live_server.url + "/requests/")
    menu = menu_button(page)
    assert menu.get_attribute("aria-expanded") == "false"
    assert not _nav(page).get_by_role("link", name="ยื่นคำขอใหม่").is_visible()
    closed = _header_height(page)
    assert closed <= 844 / 8, closed  # was about a third of the screen
    screenshot(page, "shell-05-phone-menu-closed")

    menu.click()
    assert menu.get_attribute("aria-expanded") == "true"
    assert _nav(page).get_by_role("link", name="ยื่นคำขอใหม่").is_visible()
    assert page.get_by_role("button", name="ออกจากระบบ").is_visible()
    screenshot(page, "shell-06-phone-menu-open")

    # The keyboard: Escape closes it and returns to the button; Enter opens it again.
    _nav(page).get_by_role("link", name="ยื่นคำขอใหม่").focus()
    page.keyboard.press("Escape")
    assert menu.get_attribute("aria-expanded") == "false"
    assert page.evaluate("document.activeElement.dataset.menuToggle !== undefined")
    page.keyboard.press("Enter")
    assert _nav(page).get_by_role("link", name="ยื่นคำขอใหม่").is_visible()
    _nav(page).get_by_role("link", name="ยื่นคำขอใหม่").click()
    page.wait_for_url(live_server.url + "/requests/new/")


def test_the_desktop_menu_stays_open(live_server, page, demo_people):
    page.goto(live_server.url + "/")
    assert not menu_button(page).is_visible()
    assert _nav(page).get_by_role("link", name="ศูนย์ข้อมูลข่าวสาร").is_visible()
    assert _header_height(page) < 80


def test_without_javascript_the_phone_menu_links_stay_reachable(live_server, browser, demo_people):
    context = browser.new_context(
        locale="th-TH",
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        java_script_enabled=False,
    )
    page = context.new_page()
    try:
        page.goto(live_server.url + "/")
        assert not menu_button(page).is_visible()
        screenshot(page, "shell-07-phone-no-script")
        assert _nav(page).get_by_role("link", name="ศูนย์ข้อมูลข่าวสาร").is_visible()
    finally:
        context.close()


def test_the_menu_count_is_part_of_the_links_name(live_server, page, phone_page, people):
    with SERVER_TURN:
        for _ in range(2):
            make_request(people, State.SUBMITTED, title="ประชาสัมพันธ์กิจกรรมวันครู")
    for shown, name in ((page, "desktop"), (phone_page, "phone")):
        login(shown, live_server.url, people.group_director)
        shown.wait_for_url(live_server.url + "/work/")  # approvers land on their pending work
        if name == "phone":  # the closed menu's button says that work waits, and how much
            expect(menu_button(shown)).to_have_accessible_name("เมนู ๒ รายการรอท่าน")
            screenshot(shown, "shell-08-pending-count-phone-closed")
        open_menu(shown)
        assert _nav(shown).get_by_role("link", name="งานรอพิจารณา ๒ รายการ").is_visible()
        assert menu_entry(shown, "งานรอพิจารณา").get_attribute("aria-current") == "page"
        screenshot(shown, f"shell-08-pending-count-{name}")
