"""Each role sees the menu entries it can use."""

import pytest

from esa_publish.office.navigation import navigation_for

pytestmark = pytest.mark.django_db


def labels(user):
    return [str(item.label) for item in navigation_for(user)]


def test_anonymous_visitors_see_only_public_entries():
    from django.contrib.auth.models import AnonymousUser

    assert labels(AnonymousUser()) == ["หน้าแรก", "ศูนย์ข้อมูลข่าวสาร"]


def test_the_home_page_shows_the_staff_login_link(client, office):
    body = client.get("/").content.decode()
    assert "เข้าสู่ระบบเจ้าหน้าที่" in body
    assert office.short_name in body


def test_each_role_sees_the_pages_it_can_use(people):
    staff = labels(people.requester)
    assert "ยื่นคำขอใหม่" in staff and "รอเผยแพร่" not in staff
    assert "ภาพรวมงานพิจารณา" not in staff and "รายงานรายไตรมาส" not in staff
    assert "รอเผยแพร่" in labels(people.webmaster)
    for approver in (people.director, people.deputy, people.group_director):
        assert {"รายงานรายไตรมาส", "ภาพรวมงานพิจารณา"} <= set(labels(approver))


def test_every_menu_entry_opens_for_the_role_that_sees_it(client, people):
    for who in ("requester", "group_director", "deputy", "director", "webmaster"):
        user = getattr(people, who)
        client.force_login(user)
        for item in navigation_for(user):
            assert client.get(item.url, follow=True).status_code == 200, (who, item.url_name)
