"""The security log: failed logins and refused pages are recorded with who, where from and when.

The records are what an office reads after someone tried a colleague's password or poked at
requests of another group, so the tests check the fields, not just that something was logged, and
that the public catalog's visitors leave no trace there.
"""

from __future__ import annotations

import logging

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from requests.states import State
from tests.factories import PASSWORD, UserFactory
from tests.workflow import make_request

pytestmark = pytest.mark.django_db

LOGGER = "esa_publish.security"


@pytest.fixture
def security_log(caplog):
    caplog.set_level(logging.INFO, logger=LOGGER)

    def records(event=None):
        return [
            r
            for r in caplog.records
            if r.name == LOGGER and (event is None or getattr(r, "event", None) == event)
        ]

    return records


def signed_in(user, address="10.1.2.3") -> Client:
    client = Client(REMOTE_ADDR=address)
    client.force_login(user)
    return client


def test_a_failed_login_is_logged_with_the_name_tried_the_address_and_the_time(security_log):
    UserFactory(username="somchai")
    client = Client(REMOTE_ADDR="192.0.2.44")
    response = client.post(reverse("login"), {"username": "somchai", "password": "wrong-guess"})
    assert response.status_code == 200

    [record] = security_log("login_failed")
    assert record.levelno == logging.WARNING
    assert record.username == "somchai"
    assert record.address == "192.0.2.44"
    assert record.at[:4].isdigit() and "T" in record.at
    message = record.getMessage()
    assert "somchai" in message and "192.0.2.44" in message
    assert "wrong-guess" not in message and "wrong-guess" not in str(record.__dict__)


def test_a_name_full_of_control_characters_cannot_forge_log_lines(security_log):
    Client().post(reverse("login"), {"username": "x\nrefused: user=admin", "password": "p"})
    [record] = security_log("login_failed")
    assert "\n" not in record.getMessage()


def test_a_successful_login_logs_nothing(security_log):
    user = UserFactory()
    response = Client().post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    assert security_log() == []


def test_a_lockout_is_logged(security_log):
    user = UserFactory()
    client = Client(REMOTE_ADDR="198.51.100.7")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": user.username, "password": "nope"})
    [record] = security_log("locked_out")
    assert record.username == user.username
    assert record.address == "198.51.100.7"
    assert len(security_log("login_failed")) == settings.AXES_FAILURE_LIMIT


def test_a_403_on_a_staff_page_is_logged_with_user_address_and_reason(people, security_log):
    req = make_request(people, State.SUBMITTED)
    client = signed_in(people.requester, "10.9.8.7")
    # The request is with the reviewer now: its content can no longer be edited.
    response = client.get(reverse("requests:edit", args=[req.pk]))
    assert response.status_code == 403

    [record] = security_log("refused")
    assert record.username == people.requester.username
    assert record.user_id == people.requester.pk
    assert record.address == "10.9.8.7"
    assert record.status == 403
    assert record.path == f"/requests/{req.pk}/edit/"
    assert record.reason  # the view's own explanation
    assert "at=" in record.getMessage()


def test_acting_without_the_right_is_logged(people, security_log):
    req = make_request(people, State.SUBMITTED)
    client = signed_in(people.requester)
    # The requester sees the request but the first review is the group director's.
    response = client.post(
        reverse("approvals:act", args=[req.pk]), {"action": "review.forward", "comment": ""}
    )
    assert response.status_code == 403
    [record] = security_log("refused")
    assert (record.username, record.status, record.method) == ("requester", 403, "POST")


def test_another_groups_request_is_a_logged_404(people, security_log):
    req = make_request(people)
    client = signed_in(people.outsider)
    response = client.get(reverse("requests:detail", args=[req.pk]) + "?q=personal+data")
    assert response.status_code == 404
    [record] = security_log("refused")
    assert (record.username, record.status) == (people.outsider.username, 404)
    # The query string never reaches the log.
    assert "personal" not in record.getMessage()


def test_the_admin_refusing_a_signed_in_non_staff_user_is_logged(people, security_log):
    response = signed_in(people.requester).get("/admin/")
    assert response.status_code == 302
    [record] = security_log("refused")
    assert record.path == "/admin/"
    assert record.username == people.requester.username


def test_pages_served_normally_leave_no_record(people, security_log):
    client = signed_in(people.requester)
    assert client.get(reverse("requests:mine")).status_code == 200
    assert client.get(reverse("requests:create")).status_code == 200
    assert security_log() == []


def test_citizens_are_not_logged(people, security_log):
    """Anonymous visitors: a missing public page, a staff page (login redirect), a 404 under a
    staff prefix. None of it is a refusal of a signed-in person, so no address is kept."""
    req = make_request(people)
    citizen = Client(REMOTE_ADDR="203.0.113.9")
    assert citizen.get("/no-such-page/").status_code == 404
    assert citizen.get(reverse("requests:detail", args=[req.pk])).status_code == 302
    assert citizen.get("/requests/not-a-number/").status_code == 404
    assert security_log() == []


def test_a_signed_in_404_on_a_public_page_is_not_logged(people, security_log):
    assert signed_in(people.requester).get("/no-such-page/").status_code == 404
    assert security_log() == []
