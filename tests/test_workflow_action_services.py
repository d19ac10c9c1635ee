"""One service per action over one core: keyword-only, one history row each, bounded queries,
and a publication recorded with the same detail whichever page or command started it."""

from __future__ import annotations

import datetime as dt
import inspect

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from approvals import services
from approvals.models import Decision, Verdict
from catalog import publishing
from requests.states import State
from tests.test_publishing import form_data, plan_url
from tests.workflow import make_request

pytestmark = pytest.mark.django_db

SERVICE_NAMES = [
    "request_submit",
    "request_withdraw",
    "request_forward",
    "request_return",
    "request_recommend",
    "request_decide",
    "request_send_back",
    "request_publish",
    "request_unpublish",
]
MAX_QUERIES = 15


@pytest.mark.parametrize("name", SERVICE_NAMES)
def test_every_service_takes_keywords_only(name):
    params = inspect.signature(getattr(services, name)).parameters.values()
    assert params and all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in params)


def test_every_posted_action_has_its_service():
    from approvals.actions import ACTIONS

    assert set(services.SERVICES) == set(ACTIONS)


@pytest.mark.parametrize(
    ("state", "who", "call", "to_state"),
    [
        (State.DRAFT, "requester", lambda **kw: services.request_submit(**kw), State.SUBMITTED),
        (State.SUBMITTED, "group_director", services.request_forward, State.REVIEWED),
        (
            State.SUBMITTED,
            "group_director",
            lambda **kw: services.request_return(comment="แก้ไขชื่อเรื่อง", **kw),
            State.RETURNED,
        ),
        (
            State.REVIEWED,
            "deputy",
            lambda **kw: services.request_recommend(verdict=Verdict.ALLOW, **kw),
            State.RECOMMENDED,
        ),
        (
            State.RECOMMENDED,
            "director",
            lambda **kw: services.request_decide(verdict=Verdict.DENY, comment="ไม่ควร", **kw),
            State.REJECTED,
        ),
        (
            State.RECOMMENDED,
            "director",
            lambda **kw: services.request_send_back(comment="ขอเอกสารเพิ่ม", **kw),
            State.RETURNED,
        ),
        (
            State.APPROVED,
            "webmaster",
            lambda **kw: services.request_publish(**kw),
            State.PUBLISHED,
        ),
        (
            State.PUBLISHED,
            "webmaster",
            lambda **kw: services.request_unpublish(comment="ข้อมูลเก่า", **kw),
            State.UNPUBLISHED,
        ),
        (State.SUBMITTED, "requester", services.request_withdraw, State.WITHDRAWN),
    ],
)
def test_a_transition_writes_one_row_within_the_query_budget(people, state, who, call, to_state):
    req = make_request(people, state)
    before = Decision.objects.filter(request=req).count()
    with CaptureQueriesContext(connection) as captured:
        decision = call(request_id=req.pk, user=getattr(people, who), expected_state=state)
    req.refresh_from_db()
    assert req.state == to_state
    assert Decision.objects.filter(request=req).count() == before + 1
    assert (decision.from_state, decision.to_state) == (state, to_state)
    if to_state not in (State.PUBLISHED, State.SUBMITTED):  # creating the item / numbering: more
        assert len(captured) <= MAX_QUERIES, [q["sql"] for q in captured]


def test_a_plain_transition_costs_at_most_fifteen_queries(people):
    req = make_request(people, State.REVIEWED)
    with CaptureQueriesContext(connection) as captured:
        services.request_recommend(request_id=req.pk, user=people.deputy, verdict=Verdict.ALLOW)
    assert len(captured) <= MAX_QUERIES


def test_send_back_from_a_button_only_sends_back_from_its_own_step(people):
    req = make_request(people, State.SUBMITTED)
    from approvals.errors import NotAllowed

    with pytest.raises(NotAllowed):
        services.SERVICES["deputy.return"](
            request_id=req.pk, user=people.group_director, comment="ส่งกลับ"
        )
    req.refresh_from_db()
    assert req.state == State.SUBMITTED


def test_a_verdict_other_than_allow_or_deny_is_a_programming_error(people):
    req = make_request(people, State.REVIEWED)
    with pytest.raises(ValueError):
        services.request_recommend(request_id=req.pk, user=people.deputy, verdict="return")


AUDIT_KEYS = {
    "via",
    "scheduled",
    "certified",
    "planned_by",
    "planned_by_name",
    "publish_at",
    "pdpa_findings",
    "pdpa_confirmed",
    "photo_flags",
}


def test_a_publication_records_the_same_detail_from_every_page_and_the_command(client, people):
    client.force_login(people.webmaster)
    from_request_page = make_request(people, State.APPROVED)
    client.post(
        reverse("approvals:act", args=[from_request_page.pk]),
        {"action": "webmaster.publish", "comment": "", "expected_state": State.APPROVED},
    )
    from_plan_page = make_request(people, State.APPROVED)
    client.post(plan_url(from_plan_page), form_data(from_plan_page, intent="publish"))
    scheduled = make_request(people, State.APPROVED)
    at = timezone.now() + dt.timedelta(hours=2)
    plan = scheduled.publish_plan
    type(plan).objects.filter(pk=plan.pk).update(publish_at=at)
    assert publishing.publish_due(now=at).published == [scheduled.pk]

    details = {}
    for req in (from_request_page, from_plan_page, scheduled):
        req.refresh_from_db()
        assert req.state == State.PUBLISHED
        details[req.pk] = req.decisions.get(action="webmaster.publish").details
        assert set(details[req.pk]) == AUDIT_KEYS
        assert details[req.pk]["certified"] is True
        assert details[req.pk]["planned_by"] == people.webmaster.pk
    assert details[from_request_page.pk]["via"] == "request_page"
    assert details[from_plan_page.pk]["via"] == "publishing_page"
    assert details[scheduled.pk]["via"] == "publish_scheduled"
    assert [details[r.pk]["scheduled"] for r in (from_request_page, from_plan_page, scheduled)] == [
        False,
        False,
        True,
    ]
    assert details[scheduled.pk]["publish_at"] == at.isoformat()
