"""What people need to see at the decision points of a request (issue 16, "At the decision
points"): who holds the first review, the reason a request came back first, the earlier opinions
before one's own buttons, opinions called opinions, and a distinct label on every control."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from approvals import services, steps
from approvals.models import Capacity, Delegation, ReviewRoute
from catalog.models import Category
from requests.states import State
from tests.accessible_names import controls
from tests.workflow import make_request

pytestmark = pytest.mark.django_db


def _route(route: str, category_code: str = "1.8") -> None:
    ReviewRoute.objects.create(category=Category.objects.get(code=category_code), route=route)


def _page(client, user, req) -> str:
    client.force_login(user)
    response = client.get(reverse("requests:detail", args=[req.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _badge(html: str) -> str:
    return re.search(r'<span class="badge state [^"]*">([^<]*)</span>', html).group(1)


# --- the status names who holds the first review ------------------------------------------------


@pytest.mark.parametrize(
    ("route", "holder", "status"),
    [
        ("group_director", "group_director", "รอผู้อำนวยการกลุ่มพิจารณา"),
        ("legal_officer", "legal", "รอนิติกรพิจารณา"),
        ("both", "legal", "รอผู้อำนวยการกลุ่มและนิติกรพิจารณา"),
    ],
)
def test_the_status_names_who_holds_the_first_review(
    client, people, django_capture_on_commit_callbacks, route, holder, status
):
    _route(route)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        req = make_request(people, State.SUBMITTED)
    assert steps.status_label(req) == status
    assert _badge(_page(client, people.requester, req)) == status
    client.force_login(getattr(people, holder))
    pending = client.get(reverse("approvals:pending")).content.decode()
    assert f">{status}</span>" in pending
    told = [m for m in mail.outbox if getattr(people, holder).email in m.to]
    assert told and f"สถานะ: {status}" in told[0].body
    client.force_login(people.director)
    dashboard = client.get(reverse("reports:dashboard")).content.decode()
    assert f"<td>{status}</td>" in dashboard  # the waiting request's row
    assert "ผู้อำนวยการกลุ่ม/นิติกร" not in pending + told[0].body


def test_when_both_review_the_status_names_whoever_has_still_to_agree(client, people):
    _route("both")
    req = make_request(people, State.SUBMITTED)
    services.request_forward(request_id=req.pk, user=people.legal)
    req.refresh_from_db()
    assert _badge(_page(client, people.requester, req)) == "รอผู้อำนวยการกลุ่มพิจารณา"


def test_the_holders_status_in_english(people):
    # Steps whose holder needs no naming keep the state's own words.
    deputy_step = make_request(people, State.REVIEWED)
    assert steps.status_label(deputy_step) == State.REVIEWED.label
    _route("legal_officer")
    req = make_request(people, State.SUBMITTED)
    with translation.override("en"):
        assert str(steps.status_label(req)) == "Awaiting the legal officer's review"
        req.first_reviewer = "group_director"
        assert str(steps.status_label(req)) == "Awaiting the group director's review"


# --- the history calls an opinion an opinion ----------------------------------------------------


def _timeline(html: str) -> list[str]:
    """Each history row's text, tags and spacing removed."""
    section = html.split('id="history-title"', 1)[1]
    rows = re.findall(r"<li>(.*?)</li>", section, flags=re.S)
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip() for row in rows]


def _row_of(rows: list[str], name: str) -> str:
    (row,) = [row for row in rows if name in row]
    return row


@pytest.mark.parametrize(
    ("state", "opinion"),
    [(State.RECOMMENDED, "เห็นควรอนุญาต"), (State.REJECTED, "เห็นควรไม่อนุญาต")],
)
def test_the_deputys_history_row_reads_as_an_opinion(client, people, state, opinion):
    req = make_request(people, state)
    rows = _timeline(_page(client, people.requester, req))
    deputy = _row_of(rows, people.deputy.full_name)
    assert f"ผล: {opinion}" in deputy
    # Neither the director's word (อนุญาต) nor an agreement (เห็นชอบ) stands on its own.
    assert "เห็นชอบ" not in deputy
    assert not re.search(r"(?<!เห็นควร)(?<!เห็นควรไม่)อนุญาต", deputy)
    first = _row_of(rows, people.group_director.full_name)
    assert "เห็นชอบ เสนอต่อ" in first and "อนุญาต" not in first


def test_the_directors_history_row_keeps_the_decision(client, people):
    req = make_request(people, State.REJECTED)
    director = _row_of(_timeline(_page(client, people.requester, req)), people.director.full_name)
    assert "ผล: ไม่อนุญาต" in director and "เห็นควร" not in director


def test_the_deputys_opinion_in_english(client, people):
    from tests.test_english import english

    req = make_request(people, State.REJECTED)
    english(client)
    rows = _timeline(_page(client, people.requester, req))
    assert "Result: Recommends refusal" in _row_of(rows, people.deputy.full_name)
    assert "Result: Not allowed" in _row_of(rows, people.director.full_name)


# --- a returned or refused request puts the reason first ----------------------------------------


def _before(html: str, first: str, *others: str) -> bool:
    """Whether ``first`` occurs in ``html`` before each of ``others`` (missing ones pass)."""
    start = html.index(first)
    return all(start < html.index(other) for other in others if other in html)


def test_a_returned_request_shows_who_when_and_why_before_anything_else(client, people):
    req = make_request(people, State.SUBMITTED)
    services.request_return(
        request_id=req.pk, user=people.group_director, comment="ขอรายชื่อผู้เข้าร่วมกิจกรรมเพิ่มเติม"
    )
    html = _page(client, people.requester, req)
    notice = html.split('id="why-title"', 1)[1].split("</section>", 1)[0]
    assert "คำขอถูกส่งกลับให้แก้ไข" in notice
    assert people.group_director.full_name in notice
    assert "ขอรายชื่อผู้เข้าร่วมกิจกรรมเพิ่มเติม" in notice
    assert re.search(r"๒๕[๖-๙][๐-๙]", notice)  # when: a B.E. year, in the page's (Thai) digits
    # Above the links, the checklist or "ready" note, the submit button and the memo.
    assert _before(
        html,
        'id="why-title"',
        'class="link-row"',
        "ข้อมูลครบถ้วน",
        'id="actions-title"',
        'id="memo-title"',
        'id="history-title"',
    )
    # Being complete is a quiet note now, not a second green headline.
    assert "ข้อมูลครบถ้วน ยื่นคำขอได้" in html
    assert 'class="message success">ข้อมูลครบถ้วน' not in html


def test_a_refused_request_shows_who_when_and_why_first(client, people):
    req = make_request(people, State.REJECTED)
    html = _page(client, people.requester, req)
    notice = html.split('id="why-title"', 1)[1].split("</section>", 1)[0]
    assert "ไม่อนุญาตให้เผยแพร่" in notice
    assert people.director.full_name in notice and "ขอให้แก้ไขรายละเอียด" in notice
    assert _before(html, 'id="why-title"', 'class="link-row"', 'id="memo-title"')


def test_a_request_under_review_has_no_reason_box(client, people):
    req = make_request(people, State.REVIEWED)
    assert 'id="why-title"' not in _page(client, people.requester, req)


def test_no_reviewer_due_date_while_it_is_the_requesters_turn(client, people):
    req = make_request(people, State.RETURNED)
    assert req.due_on is not None  # the stored limit of the requester's step
    html = _page(client, people.requester, req)
    head = html.split('id="why-title"', 1)[0]
    assert "กำหนดพิจารณา" not in head and "เกินกำหนด" not in head
    mine = client.get(reverse("requests:mine")).content.decode()
    row = mine.split(req.publish_title, 1)[1].split("</tr>", 1)[0]
    assert re.search(r"กำหนดเสร็จ'?\"?>\s*—", row)
    # Refiled, the first reviewer's limit shows again.
    services.request_submit(request_id=req.pk, user=people.requester)
    assert "กำหนดพิจารณาให้แล้วเสร็จ" in _page(client, people.requester, req)


# --- the earlier reviewers' verdicts before one's own buttons ----------------------------------


def _opinions(html: str) -> str:
    return html.split('id="opinions-title"', 1)[1].split("</section>", 1)[0]


def _to_director_with_comments(people):
    req = make_request(people, State.SUBMITTED)
    services.request_forward(
        request_id=req.pk, user=people.group_director, comment="ตรวจสอบเนื้อหาแล้ว ถูกต้อง"
    )
    services.request_recommend(
        request_id=req.pk, user=people.deputy, verdict="allow", comment="เห็นควรเผยแพร่โดยเร็ว"
    )
    req.refresh_from_db()
    return req


def test_the_director_sees_the_first_review_and_the_deputys_opinion_above_the_buttons(
    client, people
):
    req = _to_director_with_comments(people)
    html = _page(client, people.director, req)
    assert _before(html, 'id="opinions-title"', 'id="actions-title"', 'id="memo-title"')
    opinions = _opinions(html)
    first, deputy = re.findall(r"<li>(.*?)</li>", opinions, flags=re.S)
    assert "เห็นชอบ เสนอต่อ" in first and people.group_director.full_name in first
    assert "ตรวจสอบเนื้อหาแล้ว ถูกต้อง" in first
    assert "เห็นควรอนุญาต" in deputy and people.deputy.full_name in deputy
    assert "เห็นควรเผยแพร่โดยเร็ว" in deputy and "<time" in deputy


def test_the_deputy_sees_the_first_review_and_the_webmaster_the_directors_decision(client, people):
    req = make_request(people, State.REVIEWED)
    opinions = _opinions(_page(client, people.deputy, req))
    assert people.group_director.full_name in opinions and "เห็นชอบ เสนอต่อ" in opinions
    req = make_request(people, State.APPROVED)
    html = _page(client, people.webmaster, req)
    assert _before(html, 'id="opinions-title"', 'id="actions-title"')
    assert people.director.full_name in _opinions(html)
    assert "ผู้อำนวยการอนุญาต" not in _opinions(html)  # the verdict, not the history line
    assert re.search(r"verdict-allow\">อนุญาต<", _opinions(html))


def test_a_new_round_starts_with_no_earlier_opinions(client, people):
    req = make_request(people, State.RETURNED)
    services.request_submit(request_id=req.pk, user=people.requester)
    assert 'id="opinions-title"' not in _page(client, people.group_director, req)
    services.request_forward(request_id=req.pk, user=people.group_director, comment="รอบใหม่")
    opinions = _opinions(_page(client, people.deputy, req))
    assert opinions.count("<li>") == 1 and "รอบใหม่" in opinions


def test_both_first_reviewers_are_shown_to_the_deputy(client, people):
    _route("both")
    req = make_request(people, State.SUBMITTED)
    services.request_forward(request_id=req.pk, user=people.legal, comment="ข้อกฎหมายครบ")
    services.request_forward(request_id=req.pk, user=people.group_director)
    opinions = _opinions(_page(client, people.deputy, req))
    assert people.legal.full_name in opinions and people.group_director.full_name in opinions


# --- every control on the request page has its own visible name ---------------------------------

EVERYONE = ("requester", "colleague", "group_director", "legal", "deputy", "director", "webmaster")


def _requests_in_every_state(people):
    """One request per state (with a photo, so the gallery is on the page too)."""
    return [make_request(people, state, photos=1) for state in State.values]


def _assert_named_apart(html: str, where: str) -> int:
    found = controls(html)
    unnamed = [c for c in found if not c.name]
    assert unnamed == [], f"{where}: controls without a name: {unnamed}"
    # Fields are named by visible text tied to them, not by an aria-label alone.
    hidden_names = [c for c in found if c.tag != "button" and not c.labelled_by_visible_text]
    assert hidden_names == [], f"{where}: fields without a visible label: {hidden_names}"
    names = Counter(c.name for c in found)
    shared = {name: n for name, n in names.items() if n > 1}
    assert shared == {}, f"{where}: different controls share a name: {shared}"
    return len(found)


def test_every_control_has_a_distinct_visible_label_for_every_role(client, people):
    seen = 0
    for req in _requests_in_every_state(people):
        for who in EVERYONE:
            client.force_login(getattr(people, who))
            response = client.get(reverse("requests:detail", args=[req.pk]))
            if response.status_code == 404:
                continue
            seen += _assert_named_apart(response.content.decode(), f"{req.state} as {who}")
    assert seen > 60  # the pages were really read


def test_comment_boxes_name_their_action(client, people):
    req = make_request(people, State.RECOMMENDED)
    labels = {c.name for c in controls(_page(client, people.director, req)) if c.tag == "textarea"}
    assert labels == {
        "ความเห็น/เหตุผล สำหรับ “อนุญาต” (ถ้ามี)",
        "ความเห็น/เหตุผล สำหรับ “ไม่อนุญาต” (ต้องระบุ)",
        "ความเห็น/เหตุผล สำหรับ “ส่งกลับแก้ไข” (ต้องระบุ)",
    }


def test_the_claim_controls_are_named_apart_too(client, people):
    from esa_publish.office import roles
    from tests.factories import UserFactory

    UserFactory(username="legal2", roles=[roles.LEGAL_OFFICER], position_title="นิติกร")
    _route("legal_officer")
    req = make_request(people, State.SUBMITTED)
    services.request_claim(request_id=req.pk, user=people.legal)
    html = _page(client, people.legal, req)
    names = {c.name for c in controls(html)}
    assert {"คืนเรื่อง", "ส่งต่อให้", "ส่งต่อ"} <= names
    _assert_named_apart(html, "claimed, as the claimant")


def test_a_stand_in_and_the_english_page_keep_names_apart(client, people):
    from tests.test_english import english

    req = make_request(people, State.RECOMMENDED)
    today = timezone.localdate()
    Delegation.objects.create(
        principal=people.director,
        delegate=people.colleague,
        capacity=Capacity.ON_BEHALF,
        starts_on=today,
        ends_on=today,
    )
    html = _page(client, people.colleague, req)
    assert "ความเห็น/เหตุผล สำหรับ “อนุญาต”" in html
    _assert_named_apart(html, "a stand-in for the director")
    english(client)
    _assert_named_apart(_page(client, people.director, req), "in English")


def test_the_edit_page_of_a_returned_request_names_each_photo_field_apart(client, people):
    """Correcting after a send-back: each photo's caption and order box says which photo."""
    req = make_request(people, State.RETURNED, photos=2)
    client.force_login(people.requester)
    html = client.get(reverse("requests:edit", args=[req.pk])).content.decode()
    orders = {c.name for c in controls(html) if c.name.startswith("ลำดับภาพที่")}
    assert len(orders) == 2
    _assert_named_apart(html, "the edit page")


def test_the_reason_and_the_earlier_verdicts_in_english(client, people):
    from tests.test_english import english

    english(client)
    returned = make_request(people, State.RETURNED)
    html = _page(client, people.requester, returned)
    assert "This request was sent back for correction" in html and "Sent back by" in html
    labels = {c.name for c in controls(html) if c.tag == "textarea"}
    assert all(label.startswith("Comment/reason for “") for label in labels), labels
    html = _page(client, people.director, make_request(people, State.RECOMMENDED))
    opinions = _opinions(html)
    assert "What the earlier reviewers said" in html
    assert "Agreed, forwarded" in opinions and "Recommends approval" in opinions
