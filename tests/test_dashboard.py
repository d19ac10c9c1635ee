"""The workflow dashboard: waiting work and its holders, throughput per week, time per step, and
who may see which units."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from approvals import dashboard
from approvals.models import Capacity, Delegation, ReportPeriod
from approvals.notifications import holders
from approvals.reports.periods import Period
from esa_publish.office import roles
from requests.models import PublicationRequest
from requests.states import State
from tests.factories import UserFactory
from tests.reporting import act, at, bkk, new_request
from tests.workflow import make_request

NOW = bkk(2026, 3, 18, 10, 0)  # a Wednesday
Q2 = Period(2569, ReportPeriod.Q2)


@pytest.fixture
def waiting(people):
    """One request waiting at each step; the old ones are overdue."""
    stand_in = UserFactory(username="standin", roles=[roles.DEPUTY])
    Delegation.objects.create(
        principal=people.director,
        delegate=stand_in,
        capacity=Capacity.ON_BEHALF,
        starts_on=dt.date(2026, 3, 1),
        ends_on=dt.date(2026, 3, 31),
    )
    with at(bkk(2026, 3, 2)):
        old_submitted = make_request(people, State.SUBMITTED, title="รอ ผอ.กลุ่ม นานแล้ว")
        old_recommended = make_request(people, State.RECOMMENDED, title="รอ ผอ. นานแล้ว")
        legal = make_request(people, State.SUBMITTED, category_code="1.5", title="รอนิติกร")
    with at(NOW):
        fresh = make_request(people, State.REVIEWED, title="รอรอง ผอ. วันนี้")
        approved = make_request(people, State.APPROVED, title="รอเผยแพร่")
    return {
        "old_submitted": old_submitted,
        "old_recommended": old_recommended,
        "legal": legal,
        "fresh": fresh,
        "approved": approved,
        "stand_in": stand_in,
    }


def _build(**kw):
    kw.setdefault("unit_ids", None)
    kw.setdefault("period", Q2)
    with at(NOW):
        return dashboard.build(**kw)


def test_holders_in_bulk_are_the_same_people_as_one_by_one(people, waiting):
    reqs = list(PublicationRequest.objects.select_related("unit"))
    with at(NOW):
        bulk = dashboard.holders_bulk(reqs)
        for req in reqs:
            assert {u.pk for u in bulk[req.pk]} == {u.pk for u in holders(req)}, req.state
    assert waiting["stand_in"].pk in {u.pk for u in bulk[waiting["old_recommended"].pk]}
    assert {u.pk for u in bulk[waiting["legal"].pk]} == {people.legal.pk}


def test_holders_in_bulk_cost_two_queries(people, waiting):
    reqs = list(PublicationRequest.objects.select_related("unit"))
    with CaptureQueriesContext(connection) as captured, at(NOW):
        dashboard.holders_bulk(reqs)
    assert len(captured) == 2  # the people holding the steps, and the delegations in force


def test_overdue_work_comes_first_then_the_oldest(people, waiting):
    board = _build()
    titles = [row.req.publish_title for row in board.waiting]
    overdue = [row.overdue for row in board.waiting]
    assert overdue == sorted(overdue, reverse=True)
    assert set(titles[:3]) == {"รอ ผอ.กลุ่ม นานแล้ว", "รอ ผอ. นานแล้ว", "รอนิติกร"}
    first = board.waiting[0]
    assert first.age == 16
    per_state = Counter()
    for step in board.by_step:
        per_state[step["state"]] += step["count"]
    assert per_state == {"submitted": 2, "reviewed": 1, "recommended": 1, "approved": 1}
    assert board.waiting_total == 5


def test_the_step_counts_name_who_holds_the_first_review(people, waiting):
    """Counted per status as the pages word it: the group director's and the legal officer's
    first reviews are two rows, not one "group director/legal officer" row."""
    with translation.override("th"):
        labels = {str(step["label"]): step["count"] for step in _build().by_step}
    assert labels["รอผู้อำนวยการกลุ่มพิจารณา"] == 1
    assert labels["รอนิติกรพิจารณา"] == 1
    assert not any("/" in label for label in labels)


def test_who_holds_the_most_overdue_work(people, waiting):
    board = _build()
    ranking = {person.pk: n for person, n in board.overdue_holders}
    assert ranking == {
        people.group_director.pk: 1,
        people.legal.pk: 1,
        people.director.pk: 1,
        waiting["stand_in"].pk: 1,
    }


def test_throughput_counts_requests_finished_per_iso_week(people):
    for when in (bkk(2026, 3, 16, 0, 30), bkk(2026, 3, 15, 23, 30), bkk(2025, 12, 28)):
        req = new_request(people.requester)
        act(req, people.requester, "submit", when - dt.timedelta(hours=1))
        act(req, people.requester, "withdraw", when)
    board = _build()
    weeks = board.throughput
    assert len(weeks) == dashboard.WEEKS
    assert weeks[-1]["start"] == dt.date(2026, 3, 16) and weeks[-1]["count"] == 1
    assert weeks[-2]["start"] == dt.date(2026, 3, 9) and weeks[-2]["count"] == 1
    assert sum(w["count"] for w in weeks) == 2  # 28 Dec 2025 is before the twelve weeks
    assert weeks[-1]["week"] == 12


def test_median_and_90th_percentile_per_step(people):
    for days in (1, 3):
        req = new_request(people.requester)
        act(req, people.requester, "submit", bkk(2026, 2, 2))
        act(req, people.group_director, "review.forward", bkk(2026, 2, 2) + dt.timedelta(days=days))
    times = {t.step: t for t in _build().step_times}
    assert times["submitted"].count == 2
    assert times["submitted"].median == pytest.approx(2.0)
    assert times["submitted"].p90 == pytest.approx(2.8)
    assert times["reviewed"].median is None


def test_a_unit_filter_limits_everything(people, waiting):
    board = _build(unit_ids=frozenset({people.other_unit.pk}))
    assert board.waiting == [] and board.overdue_holders == []


def test_the_page_costs_the_same_queries_with_more_waiting_requests(client, people, waiting):
    client.force_login(people.director)

    def load():
        with CaptureQueriesContext(connection) as captured, at(NOW):
            assert client.get(reverse("reports:dashboard")).status_code == 200
        return len(captured)

    before = load()
    with at(NOW):
        for _ in range(3):
            make_request(people, State.SUBMITTED)
    assert load() == before


def test_the_group_director_sees_only_their_units(client, people, waiting):
    other_director = UserFactory(username="otherdir", roles=[roles.GROUP_DIRECTOR])
    people.other_unit.director = other_director
    people.other_unit.save()
    with at(NOW):
        req = new_request(people.outsider, title="งานของอีกกลุ่ม", when=NOW)
        act(req, people.outsider, "submit", NOW)
    client.force_login(people.group_director)
    with at(NOW):
        page = client.get(reverse("reports:dashboard")).content.decode()
    assert "รอ ผอ.กลุ่ม นานแล้ว" in page
    assert "งานของอีกกลุ่ม" not in page
    client.force_login(people.director)
    with at(NOW):
        page = client.get(reverse("reports:dashboard")).content.decode()
    assert "งานของอีกกลุ่ม" in page


def test_titles_link_only_to_requests_the_viewer_may_open(client, people, waiting):
    client.force_login(people.director)
    with at(NOW):
        page = client.get(reverse("reports:dashboard")).content.decode()
    # The director may open what reached their step, not what still waits at the first review.
    assert reverse("requests:detail", args=[waiting["old_recommended"].pk]) in page
    assert reverse("requests:detail", args=[waiting["old_submitted"].pk]) not in page
    assert "รอ ผอ.กลุ่ม นานแล้ว" in page


@pytest.mark.parametrize(
    "who, expected",
    [
        ("director", 200),
        ("deputy", 200),
        ("group_director", 200),
        ("webmaster", 404),
        ("legal", 404),
        ("requester", 404),
        ("outsider", 404),
    ],
)
def test_who_may_see_the_dashboard(client, people, who, expected):
    client.force_login(getattr(people, who))
    assert client.get(reverse("reports:dashboard")).status_code == expected


def test_a_bad_filter_falls_back_to_the_defaults(client, people):
    client.force_login(people.director)
    response = client.get(reverse("reports:dashboard"), {"year": "abc", "unit": "999999"})
    assert response.status_code == 200
