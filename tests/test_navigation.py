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


# --- what waits, counted in the menu (approvals.selectors.waiting_counts) ------------------------


def _menu(client, url="/"):
    import re

    body = client.get(url).content.decode()
    nav = body.split('<nav class="menu"', 1)[1].split("</nav>", 1)[0]
    return re.sub(r"<[^>]+>", "", re.sub(r"\s+", " ", nav))


def test_the_menu_counts_what_waits_for_a_reviewer(client, people):
    from requests.states import State
    from tests.workflow import make_request

    for _ in range(3):
        make_request(people, State.SUBMITTED)
    client.force_login(people.group_director)
    assert "งานรอพิจารณา ๓ รายการ" in _menu(client)
    client.force_login(people.director)
    assert "งานรอพิจารณา ๓" not in _menu(client)  # nothing waits for the director yet


def test_staff_see_how_many_of_their_requests_are_returned(client, people):
    from requests.states import State
    from tests.workflow import make_request

    make_request(people, State.RETURNED)
    make_request(people, State.RETURNED)
    make_request(people, State.SUBMITTED)
    client.force_login(people.requester)
    assert "คำขอของฉัน ส่งกลับให้แก้ไข ๒ รายการ" in _menu(client)


def test_the_count_is_in_english_digits_on_english_pages(client, people):
    from requests.states import State
    from tests.workflow import make_request

    make_request(people, State.SUBMITTED)
    client.force_login(people.group_director)
    client.cookies["django_language"] = "en"
    assert "My pending work 1 waiting" in _menu(client)


def test_the_menu_counts_in_one_query_however_many_wait(client, people):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from requests.states import State
    from tests.workflow import make_request

    def queries_for_a_page():
        client.get("/")  # warm the office and session caches
        with CaptureQueriesContext(connection) as queries:
            client.get("/")
        counting = [
            q for q in queries if "COUNT(" in q["sql"].upper() and "publicationrequest" in q["sql"]
        ]
        assert len(counting) == 1, [q["sql"] for q in counting]
        return len(queries)

    make_request(people, State.SUBMITTED)
    client.force_login(people.group_director)
    one = queries_for_a_page()
    for _ in range(11):
        make_request(people, State.SUBMITTED)
    assert queries_for_a_page() == one
    assert "งานรอพิจารณา ๑๒ รายการ" in _menu(client)
