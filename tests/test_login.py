"""Signing in and out, the lockout after repeated failures, and idle sessions."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def login(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_it_signs_in_and_out():
    user = UserFactory()
    client = Client()
    response = login(client, user.username, PASSWORD)
    assert response.status_code == 302
    assert client.session.get("_auth_user_id") == str(user.pk)
    client.post(reverse("logout"))
    assert "_auth_user_id" not in client.session


def test_the_login_page_is_thai(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert "เข้าสู่ระบบเจ้าหน้าที่" in response.content.decode()
    assert '<html lang="th">' in response.content.decode()


def test_it_locks_out_after_repeated_failures(client):
    user = UserFactory()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = login(client, user.username, "wrong-password")
        assert response.status_code in (200, 429)
    response = login(client, user.username, PASSWORD)
    assert response.status_code == 429
    assert "บัญชีถูกระงับชั่วคราว" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_lockout_of_one_user_leaves_others_alone(client):
    locked, other = UserFactory(), UserFactory()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, locked.username, "wrong-password")
    assert login(client, other.username, PASSWORD).status_code == 302


def test_sessions_expire_after_inactivity(client):
    user = UserFactory()
    login(client, user.username, PASSWORD)
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE <= 3600


def test_password_change_works_and_keeps_the_user_signed_in(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Kh0ng-Y@ng-Lyum",
            "new_password2": "Kh0ng-Y@ng-Lyum",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Kh0ng-Y@ng-Lyum")


def test_password_change_needs_a_login(client):
    response = client.get(reverse("password_change"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]
