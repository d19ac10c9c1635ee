"""Every role × state × action, through the real view.

The expected table is written out here by hand (not derived from the code under test): the cells
it lists make the transition and write exactly one decision; every other cell answers 403 or 404
and changes nothing.
"""

import pytest
from django.urls import reverse

from approvals.actions import ACTIONS
from approvals.models import Decision
from requests.states import State
from tests.workflow import make_request

pytestmark = pytest.mark.django_db

ROLES = [
    "requester",
    "colleague",
    "group_director",
    "legal",
    "deputy",
    "director",
    "webmaster",
    "outsider",
]

# (state, action) -> the one role that may take it; anything not listed is refused for everyone.
ALLOWED = {
    (State.DRAFT, "submit"): "requester",
    (State.DRAFT, "withdraw"): "requester",
    (State.RETURNED, "submit"): "requester",
    (State.RETURNED, "withdraw"): "requester",
    (State.SUBMITTED, "withdraw"): "requester",
    (State.SUBMITTED, "review.forward"): "group_director",
    (State.SUBMITTED, "review.return"): "group_director",
    (State.REVIEWED, "withdraw"): "requester",
    (State.REVIEWED, "deputy.allow"): "deputy",
    (State.REVIEWED, "deputy.deny"): "deputy",
    (State.REVIEWED, "deputy.return"): "deputy",
    (State.RECOMMENDED, "withdraw"): "requester",
    (State.RECOMMENDED, "director.allow"): "director",
    (State.RECOMMENDED, "director.deny"): "director",
    (State.RECOMMENDED, "director.return"): "director",
    (State.APPROVED, "webmaster.publish"): "webmaster",
    (State.APPROVED, "webmaster.return"): "webmaster",
    (State.PUBLISHED, "webmaster.unpublish"): "webmaster",
}

TARGET = {
    "submit": State.SUBMITTED,
    "withdraw": State.WITHDRAWN,
    "review.forward": State.REVIEWED,
    "review.return": State.RETURNED,
    "deputy.allow": State.RECOMMENDED,
    "deputy.deny": State.RECOMMENDED,
    "deputy.return": State.RETURNED,
    "director.allow": State.APPROVED,
    "director.deny": State.REJECTED,
    "director.return": State.RETURNED,
    "webmaster.publish": State.PUBLISHED,
    "webmaster.return": State.RETURNED,
    "webmaster.unpublish": State.UNPUBLISHED,
}


def post_action(client, user, req, action):
    client.force_login(user)
    return client.post(
        reverse("approvals:act", args=[req.pk]),
        {"action": action, "comment": "เหตุผลประกอบการพิจารณา", "expected_state": req.state},
    )


@pytest.mark.parametrize("state", [s.value for s in State])
def test_every_role_and_action_in_state(client, people, state):
    shared = make_request(people, state)
    mistakes = []
    for action in ACTIONS:
        for role in ROLES:
            allowed = ALLOWED.get((state, action)) == role
            req = make_request(people, state) if allowed else shared
            before = Decision.objects.filter(request=req).count()
            response = post_action(client, getattr(people, role), req, action)
            req.refresh_from_db()
            after = Decision.objects.filter(request=req).count()
            if allowed:
                ok = (
                    response.status_code == 302
                    and req.state == TARGET[action]
                    and after == before + 1
                )
            else:
                ok = response.status_code in (403, 404) and req.state == state and after == before
            if not ok:
                mistakes.append((role, action, allowed, response.status_code, req.state))
    assert mistakes == []


def test_the_legal_officer_takes_the_first_review_of_legal_categories(client, people):
    for action, target in (("review.forward", State.REVIEWED), ("review.return", State.RETURNED)):
        req = make_request(people, State.DRAFT, category_code="1.5")
        post_action(client, people.requester, req, "submit")
        req.refresh_from_db()
        assert post_action(client, people.group_director, req, action).status_code in (403, 404)
        assert post_action(client, people.legal, req, action).status_code == 302
        req.refresh_from_db()
        assert req.state == target


def test_actions_must_be_posted(client, people):
    req = make_request(people, State.RECOMMENDED)
    client.force_login(people.director)
    assert client.get(reverse("approvals:act", args=[req.pk])).status_code == 405


def test_an_unknown_action_changes_nothing(client, people):
    req = make_request(people, State.RECOMMENDED)
    response = post_action(client, people.director, req, "director.obliterate")
    assert response.status_code in (400, 403)
    req.refresh_from_db()
    assert req.state == State.RECOMMENDED
