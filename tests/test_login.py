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


# --- where each person lands (approvals/landing.py) ----------------------------------------------


@pytest.mark.parametrize("who", ["group_director", "legal", "deputy", "director", "webmaster"])
def test_approvers_land_on_their_pending_work(client, people, who):
    response = login(client, getattr(people, who).username, PASSWORD)
    assert response["Location"] == reverse("approvals:pending")


def test_staff_land_on_their_own_requests(client, people):
    response = login(client, people.requester.username, PASSWORD)
    assert response["Location"] == reverse("requests:mine")
    assert "คำขอของฉัน" in client.get(response["Location"]).content.decode()


def test_a_delegate_acting_for_an_approver_lands_on_pending_work(client, people):
    import datetime as dt

    from django.utils import timezone

    from approvals.models import Capacity, Delegation

    today = timezone.localdate()
    Delegation.objects.create(
        principal=people.deputy,
        delegate=people.colleague,
        capacity=Capacity.ON_BEHALF,
        starts_on=today,
        ends_on=today + dt.timedelta(days=3),
    )
    response = login(client, people.colleague.username, PASSWORD)
    assert response["Location"] == reverse("approvals:pending")


def test_a_safe_next_wins_and_an_unsafe_one_is_ignored(client, people):
    url = reverse("login")
    data = {"username": people.director.username, "password": PASSWORD}
    response = client.post(f"{url}?next=/oia/", data)
    assert response["Location"] == "/oia/"
    client.logout()
    response = client.post(f"{url}?next=https://evil.example/", data)
    assert response["Location"] == reverse("approvals:pending")


def test_a_user_without_a_role_lands_on_the_home_page_with_the_notice(client, office):
    user = UserFactory()
    response = login(client, user.username, PASSWORD)
    assert response["Location"] == reverse("home")
    body = client.get(response["Location"]).content.decode()
    assert "บัญชีของท่านยังไม่ได้รับบทบาท" in body


def test_the_menu_login_link_carries_no_next(client, office):
    body = client.get("/oia/").content.decode()
    assert f'href="{reverse("login")}"' in body
