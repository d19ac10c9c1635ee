"""``manage.py publish_scheduled``: publishing at the planned time, once, from cron."""

from __future__ import annotations

import datetime as dt
import io
import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from approvals.errors import Incomplete
from approvals.models import Decision
from approvals.services import request_act
from catalog.models import CatalogItem, PublishPlan
from catalog.publishing import PLAN_OUTDATED
from requests.states import State
from tests.workflow import make_request, plan_everything


def schedule(req, people, at):
    plan = plan_everything(req, people.webmaster)
    plan.publish_at = at
    plan.save(update_fields=["publish_at"])
    return plan


def run() -> str:
    out = io.StringIO()
    call_command("publish_scheduled", stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.mark.django_db
def test_it_publishes_what_is_due_and_leaves_the_rest(people):
    due = make_request(people, State.APPROVED, title="ถึงเวลาแล้ว")
    later = make_request(people, State.APPROVED, title="ยังไม่ถึงเวลา")
    unplanned = make_request(people, State.APPROVED, title="ยังไม่ได้วางแผน")
    schedule(due, people, timezone.now() - dt.timedelta(minutes=1))
    schedule(later, people, timezone.now() + dt.timedelta(hours=1))
    assert f"published request {due.pk}" in run()
    for req, state in [
        (due, State.PUBLISHED),
        (later, State.APPROVED),
        (unplanned, State.APPROVED),
    ]:
        req.refresh_from_db()
        assert req.state == state
    decision = due.decisions.get(action="webmaster.publish")
    assert decision.actor == people.webmaster
    assert decision.details["scheduled"] is True


@pytest.mark.django_db
def test_running_twice_publishes_once(people):
    req = make_request(people, State.APPROVED)
    schedule(req, people, timezone.now() - dt.timedelta(minutes=5))
    run()
    assert run() == ""
    assert CatalogItem.objects.filter(request=req).count() == 1
    assert Decision.objects.filter(request=req, action="webmaster.publish").count() == 1


@pytest.mark.django_db
def test_it_reports_a_publication_it_cannot_make(people):
    req = make_request(people, State.APPROVED)
    schedule(req, people, timezone.now() - dt.timedelta(minutes=5))
    people.webmaster.groups.clear()  # the webmaster moved to other work meanwhile
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("publish_scheduled", stdout=io.StringIO(), stderr=err)
    assert f"request {req.pk} not published" in err.getvalue()
    req.refresh_from_db()
    assert req.state == State.APPROVED


APPROVE_AGAIN = [
    ("requester", "submit"),
    ("group_director", "review.forward"),
    ("deputy", "deputy.allow"),
    ("director", "director.allow"),
]


def send_back_and_approve_again(req, people):
    request_act(
        request_id=req.pk,
        user=people.webmaster,
        action="webmaster.return",
        comment="ขอให้ตัดภาพที่มีหน้านักเรียนออก",
    )
    for who, action in APPROVE_AGAIN:
        request_act(request_id=req.pk, user=getattr(people, who), action=action)


@pytest.mark.django_db
def test_a_send_back_voids_the_scheduled_plan(people):
    # Issue 14.1: the webmaster schedules, then sends the request back; once it is corrected
    # and approved again, the old plan (with the photo the webmaster asked to remove) must not
    # be published by cron as if the webmaster had acted.
    req = make_request(people, State.APPROVED, photos=1)
    schedule(req, people, timezone.now() - dt.timedelta(minutes=1))
    send_back_and_approve_again(req, people)
    assert run() == ""
    req.refresh_from_db()
    assert req.state == State.APPROVED
    assert not PublishPlan.objects.filter(request=req).exists()
    assert not CatalogItem.objects.filter(request=req).exists()
    assert not req.decisions.filter(action="webmaster.publish").exists()


@pytest.mark.django_db
def test_a_plan_confirmed_before_the_latest_approval_is_refused(people):
    # A plan that escaped voiding (one saved before this rule existed) still cannot publish: it
    # was confirmed before the approval now in force.
    req = make_request(people, State.APPROVED)
    plan = schedule(req, people, timezone.now() - dt.timedelta(minutes=1))
    approval = req.decisions.get(action="director.allow").created_at
    PublishPlan.objects.filter(pk=plan.pk).update(confirmed_at=approval - dt.timedelta(hours=1))
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("publish_scheduled", stdout=io.StringIO(), stderr=err)
    assert str(PLAN_OUTDATED) in err.getvalue()
    with pytest.raises(Incomplete) as caught:
        request_act(request_id=req.pk, user=people.webmaster, action="webmaster.publish")
    assert caught.value.message == PLAN_OUTDATED
    req.refresh_from_db()
    assert req.state == State.APPROVED
    assert not CatalogItem.objects.filter(request=req).exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_machines_running_at_once_publish_each_request_once(people):
    requests_ = [make_request(people, State.APPROVED, title=f"เรื่องที่ {n}") for n in range(5)]
    for req in requests_:
        schedule(req, people, timezone.now() - dt.timedelta(minutes=1))
    barrier = threading.Barrier(2)
    failures = []

    def machine():
        try:
            barrier.wait(timeout=10)
            run()
        except BaseException as exc:  # the assertion below shows it
            failures.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=machine) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert failures == []
    for req in requests_:
        req.refresh_from_db()
        assert req.state == State.PUBLISHED
        assert CatalogItem.objects.filter(request=req).count() == 1
        assert Decision.objects.filter(request=req, action="webmaster.publish").count() == 1
