"""When a staff session ends: logout, inactivity, a password change elsewhere, a disabled account.

Shared office computers are common, so each way a session should end is checked with the cookie
someone could have kept: after the event, that very cookie must no longer open a staff page.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Sam-Rap-Kwam-2569!"


def log_in(user) -> Client:
    """A client signed in through the real login form (not force_login), as a browser would."""
    client = Client()
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, "login failed"
    return client


def session_key(client: Client) -> str:
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def can_open_staff_page(client: Client) -> bool:
    response = client.get(reverse("requests:mine"))
    if response.status_code == 200:
        return True
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    return False


def replay(cookie_value: str) -> Client:
    """A fresh client carrying only an old session cookie: someone who copied it."""
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = cookie_value
    return client


def test_logout_ends_the_session_and_the_old_cookie_is_worthless():
    client = log_in(UserFactory())
    old = session_key(client)
    assert can_open_staff_page(client)

    client.post(reverse("logout"))
    assert not Session.objects.filter(session_key=old).exists()
    assert not can_open_staff_page(client)
    assert not can_open_staff_page(replay(old))


def test_logout_needs_a_post():
    """A link or an image on another site must not be able to sign staff out (or in)."""
    client = log_in(UserFactory())
    assert client.get(reverse("logout")).status_code == 405
    assert can_open_staff_page(client)


def test_each_request_moves_the_idle_deadline_forward():
    client = log_in(UserFactory())
    key = session_key(client)
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() + dt.timedelta(seconds=30)
    )
    assert can_open_staff_page(client)
    expires = Session.objects.get(session_key=key).expire_date
    remaining = (expires - timezone.now()).total_seconds()
    assert settings.SESSION_COOKIE_AGE - 60 < remaining <= settings.SESSION_COOKIE_AGE


def test_the_session_ends_after_the_idle_time():
    client = log_in(UserFactory())
    key = session_key(client)
    assert can_open_staff_page(client)
    # As if SESSION_COOKIE_AGE seconds went by without a request.
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1)
    )
    assert not can_open_staff_page(client)
    assert not can_open_staff_page(replay(key))


def test_a_password_change_signs_out_the_users_other_sessions_only():
    user = UserFactory()
    here, elsewhere = log_in(user), log_in(user)
    bystander = log_in(UserFactory())
    assert session_key(here) != session_key(elsewhere)
    elsewhere_cookie = session_key(elsewhere)

    response = here.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("password_change_done")

    assert can_open_staff_page(here)
    assert not can_open_staff_page(elsewhere)
    assert not can_open_staff_page(replay(elsewhere_cookie))
    assert can_open_staff_page(bystander)


def test_a_password_set_by_an_administrator_signs_the_user_out_everywhere():
    user = UserFactory()
    client = log_in(user)
    user.set_password(NEW_PASSWORD)
    user.save()
    assert not can_open_staff_page(client)


def test_an_account_made_inactive_loses_access_at_once():
    user = UserFactory()
    client = log_in(user)
    assert can_open_staff_page(client)

    user.is_active = False
    user.save(update_fields=["is_active"])
    assert not can_open_staff_page(client)
    # Nor can it sign in again.
    again = Client()
    response = again.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 200
    assert "_auth_user_id" not in again.session


def test_an_inactive_reviewer_can_no_longer_act(people):
    from requests.states import State
    from tests.workflow import make_request

    req = make_request(people, State.SUBMITTED)
    client = log_in(people.group_director)
    assert client.get(reverse("requests:detail", args=[req.pk])).status_code == 200

    people.group_director.is_active = False
    people.group_director.save(update_fields=["is_active"])
    response = client.post(
        reverse("approvals:act", args=[req.pk]),
        {"action": "review.forward", "comment": "", "expected_state": State.SUBMITTED},
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    req.refresh_from_db()
    assert req.state == State.SUBMITTED
