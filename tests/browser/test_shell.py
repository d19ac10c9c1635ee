"""The shell in a real browser: the home page, signing in as a demo user, a phone width."""

import pytest

from esa_publish import demo
from tests.conftest import screenshot

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
    page.wait_for_url(live_server.url + "/")
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
    screenshot(phone_page, "shell-04-phone")
