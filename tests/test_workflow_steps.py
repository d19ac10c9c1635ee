"""The waiting steps are declared once (approvals/steps.py): their three forms give one answer.

For every state, every person and a stand-in: "does this principal hold it" (the buttons), "what
waits for this user" (the pending page's queryset) and "who holds these requests" (e-mail,
reminders, dashboard, in bulk) must agree.
"""

import datetime as dt
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from approvals import steps
from approvals.models import Capacity, Delegation
from approvals.principals import principals_for
from approvals.selectors import pending_requests
from esa_publish.office.models import User
from requests.states import State
from tests.workflow import make_request

pytestmark = pytest.mark.django_db

WHO = ["requester", "colleague", "group_director", "legal", "deputy", "director", "webmaster"]


def _three_forms_agree(people, reqs):
    bulk = steps.holders_bulk(reqs, reviewer_only=False)
    for name in WHO:
        user = getattr(people, name)
        principals = principals_for(user)
        waiting = set(pending_requests(user, principals=principals).values_list("pk", flat=True))
        for req in reqs:
            step = steps.STEPS.get(req.state)
            held = any(steps.holds(p, req) for p in principals) and bool(step and step.waits)
            in_bulk = user.pk in {u.pk for u in bulk.get(req.pk, [])} and bool(step and step.waits)
            assert held == (req.pk in waiting) == in_bulk, (name, req.state)


def test_holds_waiting_and_bulk_agree_in_every_state(people):
    reqs = [
        make_request(people, state)
        for state in (
            State.SUBMITTED,
            State.REVIEWED,
            State.RECOMMENDED,
            State.APPROVED,
            State.RETURNED,
            State.PUBLISHED,
        )
    ]
    reqs.append(make_request(people, State.SUBMITTED, category_code="1.5"))  # a legal officer's
    for req in reqs:
        req.refresh_from_db()
    _three_forms_agree(people, reqs)


def test_a_stand_in_holds_what_the_principal_holds(people):
    req = make_request(people, State.REVIEWED)
    stand_in = people.colleague
    today = timezone.localdate()
    Delegation.objects.create(
        principal=people.deputy,
        delegate=stand_in,
        capacity=Capacity.ACTING,
        starts_on=today,
        ends_on=today + dt.timedelta(days=2),
    )
    principals = principals_for(stand_in)
    assert any(steps.holds(p, req) for p in principals)
    assert list(pending_requests(stand_in).values_list("pk", flat=True)) == [req.pk]
    assert {u.pk for u in steps.holders(req)} == {people.deputy.pk, stand_in.pk}


def test_every_waiting_state_has_a_step_and_only_steps_name_who_holds_it():
    waiting = {State.SUBMITTED, State.REVIEWED, State.RECOMMENDED, State.APPROVED}
    assert set(steps.REVIEW_STEPS) == waiting
    # No module but approvals/steps.py reads a unit's director or deputy or the legal officers'
    # group to decide who acts (visibility, in selectors.visible_requests, is another rule).
    pattern = re.compile(r"unit__(director|deputy)|unit\.(director|deputy)_id|roles\.LEGAL_OFFICER")
    base = Path(settings.BASE_DIR)
    offenders = []
    for path in (base / "approvals").rglob("*.py"):
        if path.name in {"steps.py", "selectors.py"} or "migrations" in path.parts:
            continue
        if pattern.search(path.read_text(encoding="utf-8")):
            offenders.append(str(path.relative_to(base)))
    assert offenders == [], offenders


def test_a_requester_with_no_holder_gets_no_one_to_mail(people):
    req = make_request(people, State.SUBMITTED)
    User.objects.filter(pk=people.group_director.pk).update(is_active=False)
    req.refresh_from_db()
    assert steps.holders(req) == []
