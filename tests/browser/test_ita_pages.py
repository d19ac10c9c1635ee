"""The public ITA pages in a real browser, at desktop and phone width: a confirmed year with its
months, "none" statements and last year's reports; an O-item's landing page; and the current
year whose list is not yet announced. Screenshots go to artifacts/screenshots/ita-*.png."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from catalog.models import ITAItem, ITAPartCoverage
from catalog.services import ita_confirm_year, ita_record_nil
from esa_publish import demo
from esa_publish.thai.digits import to_thai_digits
from esa_publish.thai.fiscal import fiscal_year
from tests.browser.axe import assert_accessible
from tests.conftest import screenshot
from tests.test_catalog_pages import a_category, make_items

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

YEAR = 2569
SIZES = {"desktop": "page", "phone": "phone_page"}


@pytest.fixture
def confirmed_2569(transactional_db, fresh_page_cache):
    people = demo.seed(lambda _: None, extras=False)
    ITAItem.objects.filter(fiscal_year=YEAR).update(needs_check=False)
    ita_confirm_year(fiscal_year=YEAR, user=people["webmaster"])
    items = {i.code: i for i in ITAItem.objects.for_year(YEAR)}
    structure = make_items(1, a_category("1.1"), fiscal_year=YEAR, title="แผนภูมิโครงสร้างสำนักงาน")[0]
    structure.ita_items.add(items["O1"])
    annual = make_items(
        1, a_category("1.5"), fiscal_year=YEAR - 1, title="รายงานสรุปผลการจัดซื้อจัดจ้าง ปี 2568"
    )
    annual[0].ita_items.add(items["O12"])
    months = make_items(3, a_category("1.5"), fiscal_year=YEAR, title="สรุปผลการจัดซื้อจัดจ้าง (สขร.1)")
    for part, item in enumerate(months, start=1):
        item.ita_items.add(items["O11"])
        ITAPartCoverage.objects.create(ita_item=items["O11"], catalog_item=item, part=part)
    ita_record_nil(
        ita_item=items["O11"],
        part=4,
        text="เดือนมกราคม 2569 ไม่มีการจัดซื้อจัดจ้าง",
        stated_on=dt.date(2026, 2, 5),
        user=people["webmaster"],
    )
    ita_record_nil(
        ita_item=items["O18"],
        text="ปีงบประมาณ 2568 ไม่มีเรื่องร้องเรียนการทุจริตและประพฤติมิชอบ",
        stated_on=dt.date(2025, 10, 15),
        user=people["webmaster"],
    )
    return items


@pytest.mark.parametrize("size", SIZES)
def test_a_confirmed_years_list(live_server, request, confirmed_2569, size, patient_expect):
    page = request.getfixturevalue(SIZES[size])
    page.goto(f"{live_server.url}/catalog/ita/{YEAR}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(to_thai_digits(YEAR))
    o11 = page.locator("#ita-O11")
    expect(o11.locator(".part-done")).to_have_count(4)
    expect(o11).to_contain_text("ไม่มีการจัดซื้อจัดจ้าง")
    expect(page.locator("#ita-O12")).to_contain_text("ใช้ข้อมูลของปีงบประมาณ ๒๕๖๘")
    expect(page.locator("#ita-O18")).to_contain_text("ไม่มีเรื่องร้องเรียน")
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
    assert_accessible(page)
    screenshot(page, f"ita-01-year-{size}")

    page.locator("#ita-O11 h2 a").click()
    page.wait_for_url(re.compile(rf"/catalog/ita/{YEAR}/O11/$"))
    expect(page.locator(".ita-parts li")).to_have_count(12)
    if fiscal_year(timezone.localdate()) > YEAR:  # the whole year is over: its gaps are listed
        expect(page.locator(".ita-missing")).to_contain_text("ก.พ. ๒๕๖๙")
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
    assert_accessible(page)
    screenshot(page, f"ita-02-item-{size}")


@pytest.mark.parametrize("size", SIZES)
def test_a_year_without_a_confirmed_list(
    live_server, request, confirmed_2569, size, patient_expect
):
    page = request.getfixturevalue(SIZES[size])
    year = YEAR + 1
    page.goto(f"{live_server.url}/catalog/ita/{year}/")
    notice = page.locator(".ita-not-announced")
    expect(notice).to_contain_text("ยังไม่ประกาศ")
    assert not re.search(r"\bO\d+\b", page.locator("main").inner_text())
    assert_accessible(page)
    screenshot(page, f"ita-03-not-announced-{size}")
    notice.get_by_role("link").click()
    page.wait_for_url(re.compile(rf"/catalog/ita/{YEAR}/$"))


def test_the_webmaster_answers_an_item_with_a_none_statement(
    live_server, page, confirmed_2569, patient_expect
):
    from esa_publish.office.models import User
    from tests.browser.journey import login
    from tests.conftest import PASSWORD

    webmaster = User.objects.get(username="webmaster")
    webmaster.set_password(PASSWORD)
    webmaster.save()
    login(page, live_server.url, webmaster)
    page.goto(f"{live_server.url}/catalog/ita/{YEAR}/gaps/")
    expect(page.get_by_role("link", name="ส่งออกสำหรับ ITAS (Excel)")).to_be_visible()
    screenshot(page, "ita-04-gaps")
    page.get_by_role("link", name="O16", exact=True).click()
    page.wait_for_url(re.compile(rf"/catalog/ita/{YEAR}/O16/manage/$"))
    page.get_by_label("ข้อความชี้แจง").fill("ปีงบประมาณ 2569 ใช้แนวปฏิบัติฉบับเดิม ไม่มีการปรับปรุง")
    page.get_by_label("วันที่").fill("1/11/2568")
    assert_accessible(page)
    screenshot(page, "ita-05-manage")
    page.get_by_role("button", name="บันทึกคำชี้แจง").click()
    expect(page.locator(".message")).to_contain_text("บันทึกคำชี้แจงแล้ว")

    page.goto(f"{live_server.url}/catalog/ita/{YEAR}/O16/")
    expect(page.locator(".ita-nil")).to_contain_text("ไม่มีการปรับปรุง")
    expect(page.locator(".ita-nil")).to_contain_text("๒๕๖๘")  # the date, in the page's digits


def test_an_administrator_imports_a_years_list(
    live_server, page, tmp_path, transactional_db, patient_expect
):
    from tests.conftest import PASSWORD
    from tests.factories import UserFactory

    admin_user = UserFactory(username="itaadmin", is_staff=True, is_superuser=True)
    admin_user.set_password(PASSWORD)
    admin_user.save()
    bad = tmp_path / "ita-2571.csv"
    bad.write_text("code,name,data_year\nO1,โครงสร้าง,0\nO1,ซ้ำ,0\nO3,,2569\n", encoding="utf-8")
    good = tmp_path / "ita-2571-fixed.csv"
    good.write_text(
        "code,name,group,evidence,data_year,parts\n"
        "O1,โครงสร้าง หน้าที่และอำนาจ,9.1,,0,\n"
        "O2,สรุปผลการจัดซื้อจัดจ้างรายเดือน,9.3,,0,รายเดือน\n"
        "O3,รายงานผลการดำเนินงานประจำปี,9.2,,2570,\n",
        encoding="utf-8",
    )
    page.goto(f"{live_server.url}/admin/login/?next=/admin/catalog/italist/import/")
    page.fill("#id_username", "itaadmin")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(re.compile(r"/admin/catalog/italist/import/$"))

    page.fill("#id_fiscal_year", "2571")
    page.fill("#id_source", "คู่มือการประเมิน ITA ประจำปีงบประมาณ พ.ศ. 2571 (ทดสอบ)")
    page.set_input_files("#id_file", str(bad))
    page.click("input[value='ตรวจสอบไฟล์']")
    expect(page.locator("#preview .row-error")).to_have_count(2)
    expect(page.locator("input[name=token]")).to_have_count(0)
    screenshot(page, "ita-06-import-errors")

    page.fill("#id_fiscal_year", "2571")
    page.fill("#id_source", "คู่มือการประเมิน ITA ประจำปีงบประมาณ พ.ศ. 2571 (ทดสอบ)")
    page.set_input_files("#id_file", str(good))
    page.click("input[value='ตรวจสอบไฟล์']")
    expect(page.locator("#preview tbody tr")).to_have_count(3)
    screenshot(page, "ita-07-import-preview")
    assert not ITAItem.objects.filter(fiscal_year=2571).exists()
    page.check("input[name=confirm_list]")
    page.click("input[value='นำเข้า']")
    page.wait_for_url(re.compile(r"/admin/catalog/italist/$"))
    expect(page.locator(".messagelist")).to_contain_text("2571")
    assert ITAItem.objects.filter(fiscal_year=2571).count() == 3

    page.goto(f"{live_server.url}/catalog/ita/2571/")
    expect(page.locator("#ita-O2 .ita-parts li")).to_have_count(12)
