"""English mode in a real browser, at desktop and phone widths: a withdrawn request reads as a
state ("Withdrawn"), its history as events, its number in Arabic digits; the quarterly report
keeps no Thai of its own."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from requests.states import State
from tests.browser.journey import DESKTOP, PHONE, SERVER_TURN, Shots, login
from tests.workflow import make_request

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("patient_expect"),
]

SIZES = {"desktop": DESKTOP, "phone": PHONE}


@pytest.mark.parametrize("size", SIZES)
def test_a_withdrawn_request_and_the_report_in_english(browser, live_server, people, size):
    with SERVER_TURN:
        req = make_request(people, State.WITHDRAWN, title="คำขอที่ถอนแล้ว")
        number = req.doc_number.split("/")[-1]
    context = browser.new_context(**SIZES[size])
    page = context.new_page()
    shots = Shots(f"english-{size}")
    try:
        login(page, live_server.url, people.requester)
        page.get_by_role("button", name="English").click()
        page.wait_for_load_state()
        assert page.locator("html").get_attribute("lang") == "en"
        page.goto(live_server.url + f"/requests/{req.pk}/")
        badge = page.locator(".badge.state-withdrawn").first
        expect(badge).to_have_text("Withdrawn")
        expect(page.get_by_text("Request withdrawn").first).to_be_visible()
        expect(page.get_by_text(re.compile(rf"04032/{number}\b")).first).to_be_visible()
        assert "๐" not in page.locator("main").inner_text().replace("เขต ๑", "")
        shots(page, "withdrawn-request")
    finally:
        context.close()

    context = browser.new_context(**SIZES[size])
    page = context.new_page()
    try:
        login(page, live_server.url, people.director)
        page.get_by_role("button", name="English").click()
        page.wait_for_load_state()
        page.goto(live_server.url + "/reports/2569/q1/")
        heading = page.get_by_text(re.compile(r"^Quarter 1 of fiscal year 2569 BE"))
        expect(heading.first).to_be_visible()
        text = page.locator("main").inner_text()
        assert not re.search("[๐-๙]", text)
        assert "ไตรมาส" not in text and "ปีงบประมาณ" not in text
        shots(page, "report")
    finally:
        context.close()
