"""Working-day time frames, overdue work and the daily reminders."""

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command

from approvals.models import Reminder, TimeFrame
from approvals.reminders import send_reminders
from approvals.timeframes import add_working_days, due_date, working_days_between
from esa_publish.office.models import Holiday
from requests.models import PublicationRequest
from requests.states import State
from tests.workflow import make_request

FRI = dt.date(2026, 4, 10)  # the Friday before Songkran 2026


def test_weekends_are_not_working_days():
    assert add_working_days(FRI, 1, set()) == dt.date(2026, 4, 13)  # Monday
    assert add_working_days(FRI, 5, set()) == dt.date(2026, 4, 17)


def test_holidays_are_skipped():
    songkran = {dt.date(2026, 4, 13), dt.date(2026, 4, 14), dt.date(2026, 4, 15)}
    assert add_working_days(FRI, 1, songkran) == dt.date(2026, 4, 16)
    assert working_days_between(FRI, dt.date(2026, 4, 17), songkran) == 2


def test_zero_days_is_the_same_day():
    assert add_working_days(FRI, 0, set()) == FRI
    assert working_days_between(FRI, FRI, set()) == 0


@pytest.mark.django_db
def test_due_date_uses_the_admins_limit_and_holidays():
    TimeFrame.objects.create(state=State.SUBMITTED, working_days=3)
    Holiday.objects.create(date=dt.date(2026, 4, 13), name="วันสงกรานต์")
    entered = dt.datetime(2026, 4, 10, 9, 0, tzinfo=dt.UTC)
    assert due_date(State.SUBMITTED, entered) == dt.date(2026, 4, 16)
    assert due_date(State.PUBLISHED, entered) is None


@pytest.mark.django_db
def test_reminders_go_once_a_day_to_whoever_holds_overdue_work(people):
    late = make_request(people, State.SUBMITTED)
    on_time = make_request(people, State.SUBMITTED)
    PublicationRequest.objects.filter(pk=late.pk).update(due_on=dt.date(2026, 1, 5))
    PublicationRequest.objects.filter(pk=on_time.pk).update(due_on=dt.date(2026, 1, 30))
    mail.outbox.clear()
    assert send_reminders(day=dt.date(2026, 1, 7)) == 1
    assert mail.outbox[0].to == [people.group_director.email]
    assert "เกินกำหนด" in mail.outbox[0].subject
    assert "2 วัน" in mail.outbox[0].body
    assert send_reminders(day=dt.date(2026, 1, 7)) == 0
    assert send_reminders(day=dt.date(2026, 1, 8)) == 1
    assert Reminder.objects.count() == 2


@pytest.mark.django_db
def test_send_reminders_command_runs(people):
    make_request(people, State.SUBMITTED)
    call_command("send_reminders")
