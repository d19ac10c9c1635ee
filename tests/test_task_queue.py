"""The task queue: notifications wait in the database until the worker sends them, survive a
restart, and an unreachable mail server is tried again later instead of losing the message."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from approvals.services import request_act
from notify.models import Preference
from requests.states import State
from tests.workflow import make_request

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# The worker closes stale connections between tasks, as a long-running process must; inside a
# test's transaction that would close the test's own connection on PostgreSQL, so these tests
# commit for real.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def queue(settings):
    settings.TASKS = DATABASE_QUEUE


def run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def test_a_decision_is_mailed_by_the_worker_not_by_the_page(
    people, queue, django_capture_on_commit_callbacks
):
    req = make_request(people, State.DRAFT)
    DBTaskResult.objects.all().delete()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        request_act(request_id=req.pk, user=people.requester, action="submit")
    assert mail.outbox == []
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "notify.tasks.send_email"
    assert queued.args_kwargs["args"][2] == people.group_director.email
    run_worker()
    assert [m.to for m in mail.outbox] == [[people.group_director.email]]
    queued.refresh_from_db()
    assert queued.status == "SUCCESSFUL"


@pytest.mark.django_db  # inside the test's transaction: nothing commits, nothing is queued
def test_nothing_is_queued_before_commit(people, queue, django_capture_on_commit_callbacks):
    req = make_request(people, State.DRAFT)
    DBTaskResult.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=False):
        request_act(request_id=req.pk, user=people.requester, action="submit")
    assert not DBTaskResult.objects.exists()


def test_an_unreachable_mail_server_is_tried_again_later(
    people, queue, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 1
    req = make_request(people, State.DRAFT)
    DBTaskResult.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        request_act(request_id=req.pk, user=people.requester, action="submit")
    run_worker()
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.args_kwargs["args"][-1] == 2  # the second attempt
    assert retry.run_after > timezone.now() + dt.timedelta(seconds=20)
    # The mail server is back and the delay has passed: the worker sends it.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())
    mail.outbox.clear()
    run_worker()
    assert [m.to for m in mail.outbox] == [[people.group_director.email]]


def test_the_weekly_prune_removes_old_finished_tasks_and_keeps_the_rest(
    people, queue, django_capture_on_commit_callbacks
):
    """docs/DEPLOY.md's prune timer runs the command with its defaults: 14 days."""
    req = make_request(people, State.DRAFT)
    DBTaskResult.objects.all().delete()
    steps = [(people.requester, "submit"), (people.group_director, "review.forward")]
    for user, action in steps:
        with django_capture_on_commit_callbacks(execute=True):
            request_act(request_id=req.pk, user=user, action=action)
        run_worker()
    # The director reads each event (not the default digest), so this one waits in the queue.
    Preference.objects.create(user=people.director, channel="email", frequency="each")
    with django_capture_on_commit_callbacks(execute=True):
        request_act(request_id=req.pk, user=people.deputy, action="deputy.allow")
    old, *recent = DBTaskResult.objects.finished().order_by("enqueued_at", "pk")
    waiting = list(DBTaskResult.objects.exclude(finished_at__isnull=False))
    assert recent and waiting
    two_weeks_ago = timezone.now() - dt.timedelta(days=15)
    DBTaskResult.objects.filter(pk=old.pk).update(finished_at=two_weeks_ago)
    call_command("prune_db_task_results", verbosity=0)
    assert set(DBTaskResult.objects.values_list("pk", flat=True)) == {
        t.pk for t in recent + waiting
    }
