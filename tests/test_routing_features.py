"""The routing real offices need, built on the declared steps (issue 15)."""

from __future__ import annotations

import datetime as dt

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
