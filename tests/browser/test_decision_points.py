"""At the decision points, in a real browser at a desktop and a phone width (issue 16): a request
sent back shows its reason first to the requester, who corrects and files it again; the deputy
and then the director read the earlier verdicts above their own buttons. Every comment box is
found by its own label (two boxes with one name would make ``get_by_label`` ambiguous)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from requests.states import State
from tests.browser.journey import (
    SERVER_TURN,
    Shots,
    login,
    logout,
    open_request,
    state_badge,
    success_message,
)
from tests.workflow import make_request

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("patient_expect"),
]

TITLE = "สรุปผลการประเมินคุณธรรมและความโปร่งใส ไตรมาสที่ ๑"
REASON = "กรุณาแนบรายชื่อคณะกรรมการประเมินให้ครบถ้วน"
FIRST_REVIEW = "ตรวจสอบเอกสารครบถ้วนแล้ว"
OPINION = "เห็นควรเผยแพร่ภายในสัปดาห์นี้"


def comment_box(page: Page, action: str):
    """The one comment box of ``action``, by its label, on the whole page."""
    return page.get_by_label(f"ความเห็น/เหตุผล สำหรับ “{action}”")


def press(page: Page, action: str, comment: str = "") -> None:
    if comment:
        comment_box(page, action).fill(comment)
    page.get_by_role("button", name=action, exact=True).click()
    expect(success_message(page, action)).to_be_visible()


def top(page: Page, locator) -> float:
    return locator.bounding_box()["y"]


def section(page: Page, heading: str):
    return page.locator("section").filter(has=page.get_by_role("heading", name=heading))


def walk(page: Page, base: str, people, name: str) -> Shots:
    shots = Shots(f"decision-points-{name}")
    with SERVER_TURN:
        make_request(people, State.DRAFT, title=TITLE)

    # The staff member files the request.
    login(page, base, people.requester)
    open_request(page, TITLE, entry="คำขอของฉัน", shots=shots, who="staff")
    press(page, "ยื่นคำขอ")
    expect(state_badge(page)).to_have_text("รอผู้อำนวยการกลุ่มพิจารณา")
    logout(page, people.requester)

    # The group director sends it back with a reason.
    login(page, base, people.group_director)
    open_request(page, TITLE, shots=shots, who="groupdir")
    press(page, "ส่งกลับแก้ไข", REASON)
    logout(page, people.group_director)

    # The staff member sees who sent it back and why, before anything else.
    login(page, base, people.requester)
    open_request(page, TITLE, entry="คำขอของฉัน", shots=shots, who="staff-returned")
    notice = section(page, "คำขอถูกส่งกลับให้แก้ไข")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text(REASON)
    expect(notice).to_contain_text(people.group_director.full_name)
    expect(notice.locator("time")).to_contain_text(re.compile(r"25[6-9]\d|๒๕[๖-๙]"))  # B.E.
    submit = page.get_by_role("button", name="ยื่นคำขอ", exact=True)
    ready = page.get_by_text("ข้อมูลครบถ้วน ยื่นคำขอได้")
    assert top(page, notice) < top(page, ready) < top(page, submit)
    # Above the fold on a phone too, with no reviewer's due date while it is the staff's turn.
    assert top(page, notice) < page.viewport_size["height"]
    expect(page.get_by_text("กำหนดพิจารณาให้แล้วเสร็จ")).to_have_count(0)
    shots(page, "staff-reads-the-reason", full_page=False)
    press(page, "ยื่นคำขอ", "แนบรายชื่อคณะกรรมการแล้ว")
    logout(page, people.requester)

    login(page, base, people.group_director)
    open_request(page, TITLE, shots=shots, who="groupdir-again")
    press(page, "เห็นชอบ เสนอต่อ", FIRST_REVIEW)
    logout(page, people.group_director)

    # The deputy reads the first review above the buttons, then gives an opinion.
    login(page, base, people.deputy)
    open_request(page, TITLE, shots=shots, who="deputy")
    earlier = section(page, "ความเห็นของผู้พิจารณาก่อนหน้า")
    expect(earlier).to_contain_text(FIRST_REVIEW)
    expect(earlier).to_contain_text("เห็นชอบ เสนอต่อ")
    expect(earlier).not_to_contain_text(REASON)  # the earlier round is history now
    assert top(page, earlier) < top(page, comment_box(page, "เห็นควรอนุญาต"))
    press(page, "เห็นควรอนุญาต", OPINION)
    logout(page, people.deputy)

    # The director sees the first review and the deputy's opinion before the buttons.
    login(page, base, people.director)
    open_request(page, TITLE, shots=shots, who="director")
    earlier = section(page, "ความเห็นของผู้พิจารณาก่อนหน้า")
    rows = earlier.get_by_role("listitem")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("เห็นชอบ เสนอต่อ")
    expect(rows.nth(0)).to_contain_text(people.group_director.full_name)
    expect(rows.nth(0)).to_contain_text(FIRST_REVIEW)
    expect(rows.nth(1)).to_contain_text("เห็นควรอนุญาต")
    expect(rows.nth(1)).to_contain_text(people.deputy.full_name)
    expect(rows.nth(1)).to_contain_text(OPINION)
    boxes = [comment_box(page, a) for a in ("อนุญาต", "ไม่อนุญาต", "ส่งกลับแก้ไข")]
    for box in boxes:
        expect(box).to_have_count(1)
        assert top(page, earlier) < top(page, box)
    expect(page.get_by_label("ความเห็น/เหตุผล สำหรับ “อนุญาต” (ถ้ามี)")).to_be_editable()
    page.get_by_role("heading", name="ความเห็นของผู้พิจารณาก่อนหน้า").scroll_into_view_if_needed()
    shots(page, "director-reads-the-opinions", full_page=False)
    shots(page, "director-page")
    # The history calls the deputy's opinion an opinion.
    history = page.locator(".timeline li").filter(has_text=people.deputy.full_name)
    expect(history).to_contain_text("ผล: เห็นควรอนุญาต")
    logout(page, people.director)
    return shots


def test_decision_points_desktop(page, live_server, people):
    shots = walk(page, live_server.url, people, "desktop")
    assert shots.too_wide == []


def test_decision_points_phone(phone_page, live_server, people):
    shots = walk(phone_page, live_server.url, people, "phone")
    assert shots.too_wide == []
