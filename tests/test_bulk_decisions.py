"""Routing 2: a deputy or the director decides several requests at once from the pending page.

Each request gets its own history row and e-mail; one that changed meanwhile is skipped and named;
nothing is half done. The race against a single decision runs on PostgreSQL (real row locks).
"""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from approvals import services
from approvals.models import Decision
from requests.states import State
from tests.test_workflow_races import run_at_once
from tests.workflow import make_request


def _post(client, user, reqs, verdict="allow", comment="เห็นชอบทุกรายการ"):
    client.force_login(user)
    return client.post(
        reverse("approvals:decide_many"),
        {
            "requests": [f"{req.pk}:{req.state}" for req in reqs],
            "verdict": verdict,
            "comment": comment,
        },
        follow=True,
    )


@pytest.mark.django_db
def test_the_pending_page_offers_the_batch_with_each_ones_opinions(client, people):
    reqs = [make_request(people, State.RECOMMENDED, title=f"เรื่องที่ {n}") for n in range(3)]
    client.force_login(people.director)
    html = client.get(reverse("approvals:pending")).content.decode()
    assert reverse("approvals:decide_many") in html
    for req in reqs:
        assert f'value="{req.pk}:recommended"' in html
    assert "ผู้พิจารณาขั้นแรกเห็นชอบ เสนอต่อ" in html and "รองผู้อำนวยการเห็นควรอนุญาต" in html


@pytest.mark.django_db
def test_each_gets_its_own_row_and_mail_and_a_changed_one_is_skipped_and_named(
    client, people, django_capture_on_commit_callbacks
):
    reqs = [make_request(people, State.RECOMMENDED, title=f"เรื่องที่ {n}") for n in range(3)]
    moved = reqs[1]
    services.request_send_back(request_id=moved.pk, user=people.director, comment="แก้ไขก่อน")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, people.director, reqs)
    text = response.content.decode()
    assert "ดำเนินการแล้ว ๒ รายการ" in text
    assert "“เรื่องที่ 1”" in text  # named as skipped
    for req in (reqs[0], reqs[2]):
        req.refresh_from_db()
        assert req.state == State.APPROVED
        decision = Decision.objects.get(request=req, action="director.allow")
        assert decision.comment == "เห็นชอบทุกรายการ"
    moved.refresh_from_db()
    assert moved.state == State.RETURNED
    assert not Decision.objects.filter(request=moved, action="director.allow").exists()
    to_webmaster = [m for m in mail.outbox if m.to == [people.webmaster.email]]
    assert len(to_webmaster) == 2  # one e-mail per decided request
    assert {m.body.count("เรื่องที่") for m in to_webmaster} == {1}


@pytest.mark.django_db
def test_nothing_is_half_done(client, people):
    reqs = [make_request(people, State.RECOMMENDED) for _ in range(3)]
    _post(client, people.director, reqs, verdict="deny", comment="")  # a denial needs a reason
    assert not Decision.objects.filter(action="director.deny").exists()
    assert {r.state for r in type(reqs[0]).objects.filter(pk__in=[r.pk for r in reqs])} == {
        State.RECOMMENDED
    }


@pytest.mark.django_db
def test_someone_elses_requests_are_skipped_not_decided(client, people):
    reqs = [make_request(people, State.REVIEWED) for _ in range(2)]
    _post(client, people.director, reqs)  # reviewed waits for the deputy, not the director
    assert not Decision.objects.filter(action__startswith="deputy.", actor=people.director).exists()


def _queries_for(people, n: int) -> int:
    reqs = [make_request(people, State.RECOMMENDED) for _ in range(n)]
    with CaptureQueriesContext(connection) as captured:
        result = services.request_decide_many(
            seen={r.pk: State.RECOMMENDED for r in reqs}, user=people.director, verdict="allow"
        )
    assert len(result.decided) == n
    return len(captured)


@pytest.mark.django_db
def test_the_queries_per_request_are_constant(people):
    five, ten = _queries_for(people, 5), _queries_for(people, 10)
    per_request = (ten - five) / 5
    assert per_request == int(per_request) and per_request <= 15  # a fixed cost + n × constant


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_batch_and_a_single_decision_on_one_of_its_requests_race(people):
    for _ in range(10):
        reqs = [make_request(people, State.RECOMMENDED) for _ in range(5)]
        contested = reqs[2]
        results = run_at_once(
            [
                lambda reqs=reqs: services.request_decide_many(
                    seen={r.pk: State.RECOMMENDED for r in reqs},
                    user=people.director,
                    verdict="allow",
                ),
                lambda contested=contested: services.request_send_back(
                    request_id=contested.pk,
                    user=people.director,
                    comment="ขอแก้ไข",
                    expected_state=State.RECOMMENDED,
                ),
            ]
        )
        (bulk_kind, bulk), (single_kind, _single) = results
        assert bulk_kind == "ok", results
        assert (
            Decision.objects.filter(request=contested)
            .exclude(action__in=["submit", "review.forward", "deputy.allow"])
            .count()
            == 1
        )
        if single_kind == "ok":  # the single decision won: the batch skipped and named it
            assert [pk for pk, _why in bulk.skipped] == [contested.pk]
            assert len(bulk.decided) == 4
        else:
            assert single_kind == "AlreadyDecided"
            assert bulk.skipped == [] and len(bulk.decided) == 5
        for req in reqs:
            assert (
                Decision.objects.filter(request=req, to_state__in=["approved", "returned"]).count()
                == 1
            )
