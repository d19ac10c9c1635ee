"""Each role sees the menu entries it can use."""

import pytest

from esa_publish.office.navigation import navigation_for

pytestmark = pytest.mark.django_db


def labels(user):
    return [str(item.label) for item in navigation_for(user)]


def test_anonymous_visitors_see_only_public_entries():
    from django.contrib.auth.models import AnonymousUser

    assert labels(AnonymousUser()) == ["หน้าแรก"]


def test_the_home_page_shows_the_staff_login_link(client, office):
    body = client.get("/").content.decode()
    assert "เข้าสู่ระบบเจ้าหน้าที่" in body
    assert office.short_name in body
