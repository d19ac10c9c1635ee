"""The routing real offices need, built on the declared steps (issue 15)."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest
from django.core import mail
from django.utils import timezone

from approvals import services
from approvals.models import Capacity, Delegation
from requests.states import State
from tests.workflow import make_request

pytestmark = pytest.mark.django_db


def test_send_back_tells_everyone_who_already_acted(people, django_capture_on_commit_callbacks):
    """Routing 4: not only the requester hears of a send-back, but every reviewer before."""
    req = make_request(people, State.RECOMMENDED)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.request_send_back(
            request_id=req.pk, user=people.director, comment="ขอเอกสารประกอบเพิ่มเติม"
        )
    by_recipient = {m.to[0]: m for m in mail.outbox}
    assert set(by_recipient) == {
        people.requester.email,
        people.group_director.email,
        people.deputy.email,
    }
    told = by_recipient[people.deputy.email]
    assert "ถูกส่งกลับให้แก้ไข" in told.subject
    assert "ขอเอกสารประกอบเพิ่มเติม" in told.body
    assert people.director.full_name in told.body


def test_a_stand_in_who_acted_and_the_person_they_stood_in_for_are_both_told(
    people, django_capture_on_commit_callbacks
):
    req = make_request(people, State.REVIEWED)
    today = timezone.localdate()
    Delegation.objects.create(
        principal=people.deputy,
        delegate=people.colleague,
        capacity=Capacity.ON_BEHALF,
        starts_on=today,
        ends_on=today + dt.timedelta(days=1),
    )
    services.request_recommend(request_id=req.pk, user=people.colleague, verdict="allow")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.request_send_back(request_id=req.pk, user=people.director, comment="แก้ไข")
    told = {m.to[0] for m in mail.outbox if "ถูกส่งกลับให้แก้ไข" in m.subject}
    assert {people.colleague.email, people.deputy.email, people.group_director.email} <= told
    assert people.director.email not in {m.to[0] for m in mail.outbox}


# --- routing 1: the group director and the legal officer, both ---------------------------------


def _route(category_code: str | None, route: str):
    from approvals.models import ReviewRoute
    from catalog.models import Category

    category = Category.objects.get(code=category_code) if category_code else None
    ReviewRoute.objects.create(category=category, route=route)


def _pending_ids(user):
    from approvals.selectors import pending_requests

    return set(pending_requests(user).values_list("pk", flat=True))


def test_an_administrator_routes_per_category_and_by_office_default(people):
    _route("1.8", "both")
    _route(None, "legal_officer")
    both = make_request(people, State.SUBMITTED, category_code="1.8")
    by_default = make_request(people, State.SUBMITTED, category_code="1.1")
    assert (both.first_reviewer, by_default.first_reviewer) == ("both", "legal_officer")


def test_both_must_agree_before_the_deputy(people):
    from approvals import steps
    from approvals.errors import NotAllowed

    _route("1.8", "both")
    req = make_request(people, State.SUBMITTED)
    assert req.pk in _pending_ids(people.group_director) and req.pk in _pending_ids(people.legal)
    assert {u.pk for u in steps.holders(req)} == {people.group_director.pk, people.legal.pk}

    first = services.request_forward(request_id=req.pk, user=people.legal)
    req.refresh_from_db()
    assert (first.role, first.from_state, first.to_state) == (
        "legal_officer",
        "submitted",
        "submitted",
    )
    assert req.state == State.SUBMITTED
    assert req.pk not in _pending_ids(people.legal)
    assert req.pk in _pending_ids(people.group_director)
    assert {u.pk for u in steps.holders(req)} == {people.group_director.pk}
    with pytest.raises(NotAllowed):  # agreed already: it is the other's turn
        services.request_forward(request_id=req.pk, user=people.legal)

    second = services.request_forward(request_id=req.pk, user=people.group_director)
    req.refresh_from_db()
    assert (second.role, second.to_state) == ("group_director", State.REVIEWED)
    assert req.state == State.REVIEWED


def test_either_may_send_it_back_and_a_resubmission_asks_both_again(people):
    _route("1.8", "both")
    req = make_request(people, State.SUBMITTED)
    services.request_forward(request_id=req.pk, user=people.group_director)
    services.request_return(request_id=req.pk, user=people.legal, comment="ขาดหนังสืออนุมัติ")
    req.refresh_from_db()
    assert req.state == State.RETURNED
    services.request_submit(request_id=req.pk, user=people.requester)
    req.refresh_from_db()
    assert req.first_review_agreed == ""
    assert req.pk in _pending_ids(people.group_director) and req.pk in _pending_ids(people.legal)


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler-utils")
def test_the_memo_prints_both_signature_blocks(client, people, tmp_path):
    from tests.test_memo_workflow import download, text_of

    _route("1.8", "both")
    req = make_request(people, State.SUBMITTED)
    services.request_forward(request_id=req.pk, user=people.legal, comment="ถูกต้องตามระเบียบ")
    services.request_forward(request_id=req.pk, user=people.group_director)
    _, pdf = download(client, people.requester, req)
    text = text_of(pdf, tmp_path)
    assert people.group_director.full_name in text
    assert people.legal.full_name in text
    assert "ความเห็นของนิติกร" in text and "ถูกต้องตามระเบียบ" in text


# --- routing 3: claim, release, hand on ----------------------------------------------------------


@pytest.fixture
def second_legal(people):
    from esa_publish.office import roles
    from tests.factories import UserFactory

    return UserFactory(username="legal2", roles=[roles.LEGAL_OFFICER], position_title="นิติกร")


def _detail(client, user, req) -> str:
    from django.urls import reverse

    client.force_login(user)
    return client.get(reverse("requests:detail", args=[req.pk])).content.decode()


def _claim(client, user, req, op, **extra):
    from django.urls import reverse

    client.force_login(user)
    return client.post(reverse("approvals:claim", args=[req.pk]), {"op": op, **extra})


def test_a_legal_officer_claims_and_the_others_see_who_has_it(client, people, second_legal):
    from django.urls import reverse

    req = make_request(people, State.SUBMITTED, category_code="1.5")
    assert "รับเรื่องไว้พิจารณา" in _detail(client, second_legal, req)
    assert _claim(client, people.legal, req, "claim").status_code == 302
    name = people.legal.full_name
    assert f"กำลังพิจารณาโดย {name}" in _detail(client, second_legal, req)
    client.force_login(second_legal)
    pending = client.get(reverse("approvals:pending")).content.decode()
    assert f"กำลังพิจารณาโดย {name}" in pending
    # The other one cannot take it over while it is claimed.
    _claim(client, second_legal, req, "claim")
    assert req.claim.holder == people.legal


def test_the_claimant_releases_or_hands_it_on(client, people, second_legal):
    from approvals.models import Claim

    req = make_request(people, State.SUBMITTED, category_code="1.5")
    _claim(client, people.legal, req, "claim")
    assert f'value="{second_legal.pk}"' in _detail(client, people.legal, req)
    assert _claim(client, people.legal, req, "hand_on", to=second_legal.pk).status_code == 302
    assert Claim.objects.get(request=req).holder == second_legal
    assert _claim(client, people.legal, req, "release").status_code == 403  # no longer theirs
    assert _claim(client, second_legal, req, "release").status_code == 302
    assert not Claim.objects.filter(request=req).exists()


def test_a_claim_is_only_for_those_who_hold_the_step_and_ends_with_it(client, people):
    req = make_request(people, State.SUBMITTED, category_code="1.5")
    assert _claim(client, people.director, req, "claim").status_code == 404  # not an insider yet
    assert _claim(client, people.group_director, req, "claim").status_code == 403  # sees, no step
    _claim(client, people.legal, req, "claim")
    services.request_forward(request_id=req.pk, user=people.legal)
    req.refresh_from_db()
    assert "กำลังพิจารณาโดย" not in _detail(client, people.deputy, req)  # the next step is free


def test_the_second_first_reviewer_is_not_mailed_twice(people, django_capture_on_commit_callbacks):
    _route("1.8", "both")
    req = make_request(people, State.DRAFT)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.request_submit(request_id=req.pk, user=people.requester)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [people.group_director.email, people.legal.email]
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.request_forward(request_id=req.pk, user=people.legal)
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        services.request_forward(request_id=req.pk, user=people.group_director)
    assert [m.to[0] for m in mail.outbox] == [people.deputy.email]


def test_the_pending_page_costs_the_same_with_both_first_reviewers(client, people):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    _route("1.8", "both")
    client.force_login(people.legal)
    counts = []
    for n in (1, 4):
        while len(_pending_ids(people.legal)) < n:
            req = make_request(people, State.SUBMITTED)
            services.request_forward(request_id=req.pk, user=people.group_director)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("approvals:pending")).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]
