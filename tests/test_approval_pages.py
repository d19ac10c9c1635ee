"""Reviewers' pages: the action buttons' view, the pending list and delegations."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from approvals.errors import ALREADY_DECIDED, COMMENT_REQUIRED, NOT_ALLOWED
from approvals.models import Capacity, Decision, Delegation
from requests.models import PublicationRequest
from requests.states import State
from tests.test_request_pages import detail_url, make_request, reviewed, submitted
from tests.workflow import plan_everything

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def act(client, req, action, *, comment="", expected_state=None):
    data = {"action": action, "comment": comment}
    data["expected_state"] = req.state if expected_state is None else expected_state
    return client.post(reverse("approvals:act", args=[req.pk]), data)


def texts(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


# --- act --------------------------------------------------------------------------------------


def test_a_request_goes_through_every_step_by_the_buttons(client, people):
    req = make_request(people)
    steps = [
        (people.requester, "submit", State.SUBMITTED),
        (people.group_director, "review.forward", State.REVIEWED),
        (people.deputy, "deputy.allow", State.RECOMMENDED),
        (people.director, "director.allow", State.APPROVED),
        (people.webmaster, "webmaster.publish", State.PUBLISHED),
    ]
    for user, action, after in steps:
        if action == "webmaster.publish":
            plan_everything(req, people.webmaster)  # the webmaster's choice of what goes public
        client.force_login(user)
        page = client.get(detail_url(req))
        assert f'value="{action}"' in page.content.decode()
        response = act(client, req, action, comment="ตรวจแล้ว")
        assert response.status_code == 302
        assert response["Location"] == detail_url(req)
        assert any("เรียบร้อยแล้ว" in text for text in texts(response))
        req.refresh_from_db()
        assert req.state == after
    actions = list(req.decisions.exclude(action="create").values_list("action", flat=True))
    assert actions == [action for _, action, _ in steps]
    body = client.get(detail_url(req)).content.decode()
    assert "ผู้อำนวยการอนุญาต" in body and "เผยแพร่บนเว็บไซต์" in body


def test_a_stale_page_is_told_someone_else_decided(client, people):
    req = submitted(people)
    client.force_login(people.group_director)
    before = Decision.objects.count()
    response = act(client, req, "review.forward", expected_state=State.REVIEWED)
    assert response.status_code == 302
    assert texts(response) == [str(ALREADY_DECIDED)]
    assert Decision.objects.count() == before
    req.refresh_from_db()
    assert req.state == State.SUBMITTED


def test_a_second_click_after_the_step_moved_on_writes_nothing(client, people):
    req = submitted(people)
    client.force_login(people.group_director)
    act(client, req, "review.forward")
    count = Decision.objects.count()
    response = act(client, req, "review.forward")  # req.state is still "submitted" here
    assert texts(response)[-1] == str(ALREADY_DECIDED)
    assert Decision.objects.count() == count


def test_act_refuses_get(client, people):
    req = submitted(people)
    client.force_login(people.group_director)
    assert client.get(reverse("approvals:act", args=[req.pk])).status_code == 405


def test_act_is_not_found_for_outsiders(client, people):
    req = submitted(people)
    client.force_login(people.outsider)
    assert act(client, req, "review.forward").status_code == 404
    req.refresh_from_db()
    assert req.state == State.SUBMITTED


def test_act_is_forbidden_to_those_who_see_but_may_not_act(client, people):
    req = submitted(people)
    client.force_login(people.deputy)
    response = act(client, req, "review.forward")
    assert response.status_code == 403
    assert str(NOT_ALLOWED) in response.content.decode()
    req.refresh_from_db()
    assert req.state == State.SUBMITTED


def test_a_reason_is_required_to_deny(client, people):
    req = reviewed(people)
    client.force_login(people.deputy)
    response = act(client, req, "deputy.deny", comment="   ")
    assert response.status_code == 302
    (message,) = texts(response)
    assert str(COMMENT_REQUIRED) in message and "เห็นควรไม่อนุญาต" in message
    req.refresh_from_db()
    assert req.state == State.REVIEWED


def test_the_comment_box_is_marked_required_where_needed(client, people):
    req = reviewed(people)
    client.force_login(people.deputy)
    body = client.get(detail_url(req)).content.decode()
    assert body.count("ความเห็น/เหตุผล") >= 3
    assert body.count(" required></textarea>") == 2  # deny and return, not allow


def test_an_incomplete_draft_cannot_be_submitted(client, people):
    req = make_request(people, purpose="")
    client.force_login(people.requester)
    response = act(client, req, "submit")
    assert response.status_code == 302
    assert "กรุณาระบุรายละเอียด" in texts(response)[0]
    req.refresh_from_db()
    assert req.state == State.DRAFT


def test_an_unknown_action_is_a_bad_request(client, people):
    req = submitted(people)
    client.force_login(people.group_director)
    assert act(client, req, "director.everything").status_code == 400


def test_a_delegate_acts_in_the_principals_place(client, people):
    req = reviewed(people)
    today = timezone.localdate()
    Delegation.objects.create(
        principal=people.deputy,
        delegate=people.colleague,
        capacity=Capacity.ON_BEHALF,
        starts_on=today,
        ends_on=today + dt.timedelta(days=3),
    )
    client.force_login(people.colleague)
    page = client.get(reverse("approvals:pending")).content.decode()
    assert req.publish_title in page
    assert f"ในฐานะ ปฏิบัติราชการแทน {people.deputy.full_name}" in page
    detail = client.get(detail_url(req)).content.decode()
    assert f"ในฐานะ ปฏิบัติราชการแทน {people.deputy.full_name}" in detail
    act(client, req, "deputy.allow")
    decision = req.decisions.get(action="deputy.allow")
    assert decision.on_behalf_of == people.deputy
    history = client.get(detail_url(req)).content.decode()
    assert f"ในฐานะ ปฏิบัติราชการแทน {people.deputy.full_name}" in history


# --- pending ----------------------------------------------------------------------------------


def test_the_pending_page_lists_work_for_this_user_only(client, people):
    mine = submitted(people)
    client.force_login(people.group_director)
    body = client.get(reverse("approvals:pending")).content.decode()
    assert mine.publish_title in body
    client.force_login(people.deputy)
    body = client.get(reverse("approvals:pending")).content.decode()
    assert mine.publish_title not in body


def test_the_pending_page_puts_overdue_work_first(client, people):
    first = submitted(people, publish_title="เรื่องแรก")
    late = submitted(people, publish_title="เรื่องที่เกินกำหนด")
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    PublicationRequest.objects.filter(pk=late.pk).update(due_on=yesterday)
    client.force_login(people.group_director)
    body = client.get(reverse("approvals:pending")).content.decode()
    assert body.index("เรื่องที่เกินกำหนด") < body.index(first.publish_title)
    assert "เกินกำหนด</span>" in body


def test_the_pending_page_costs_the_same_for_5_or_30_requests(client, people):
    client.force_login(people.group_director)
    counts = []
    for total in (5, 30):
        while PublicationRequest.objects.filter(state=State.SUBMITTED).count() < total:
            submitted(people)
        client.get(reverse("approvals:pending"))
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("approvals:pending"))
        assert response.status_code == 200
        assert response.content.decode().count('href="/requests/') >= total
        counts.append(len(ctx))
    assert counts[0] == counts[1], counts


# --- delegations ------------------------------------------------------------------------------


def test_the_delegations_page_lists_both_directions(client, people):
    today = timezone.localdate()
    Delegation.objects.create(
        principal=people.director,
        delegate=people.deputy,
        capacity=Capacity.ACTING,
        starts_on=today + dt.timedelta(days=5),
        ends_on=today + dt.timedelta(days=9),
        reference="คำสั่งที่ ๑๐๓/๒๕๖๙",
    )
    Delegation.objects.create(
        principal=people.deputy,
        delegate=people.colleague,
        capacity=Capacity.ON_BEHALF,
        starts_on=today - dt.timedelta(days=30),
        ends_on=today - dt.timedelta(days=1),
    )
    client.force_login(people.deputy)
    body = client.get(reverse("approvals:delegations")).content.decode()
    assert people.director.full_name in body
    assert "รักษาราชการแทน" in body and "คำสั่งที่ ๑๐๓/๒๕๖๙" in body
    assert people.colleague.full_name not in body  # ended yesterday
