"""One kind of digit per page: Thai pages print numbers, dates and counts in Thai digits, English
pages in Arabic digits (docs/ARCHITECTURE.md, "Digits"); no row mixes the two."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from catalog.models import Category
from esa_publish.office.models import User
from requests.states import State
from tests.digit_rows import mixed_rows
from tests.workflow import make_request

pytestmark = pytest.mark.django_db

TITLE = "ประชาสัมพันธ์กิจกรรมวันครู"  # no digits: what people type is shown as typed


@pytest.fixture
def busy_office(people):
    """Requests waiting, one overdue, one returned, one published, over two pages of a list."""
    # The factories number people's names ("ทดสอบ5"): names are shown as typed, not checked here.
    # Renamed first, as the history keeps the name each actor had when acting.
    User.objects.update(first_name="สมใจ")
    for person in vars(people).values():
        if isinstance(person, User):
            person.refresh_from_db()
    for state in (State.SUBMITTED, State.REVIEWED, State.RECOMMENDED, State.RETURNED):
        make_request(people, state, title=TITLE)
    people.requests_waiting = make_request(people, State.SUBMITTED, title=TITLE)
    overdue = make_request(people, State.SUBMITTED, title=TITLE)
    type(overdue).objects.filter(pk=overdue.pk).update(
        due_on=timezone.localdate() - dt.timedelta(days=12)
    )
    make_request(people, State.PUBLISHED, title=TITLE)
    return people


def pages(people):
    category = Category.objects.get(code="1.8")
    waiting = people.requests_waiting
    return [
        (people.requester, reverse("requests:detail", args=[waiting.pk])),
        (people.group_director, reverse("requests:detail", args=[waiting.pk])),
        (people.group_director, reverse("approvals:pending")),
        (people.requester, reverse("approvals:pending")),
        (people.requester, reverse("requests:mine")),
        (people.director, reverse("reports:dashboard")),
        (None, reverse("home")),
        (None, reverse("catalog:category", args=[category.slug])),
    ]


@pytest.mark.parametrize("language", ["th", "en"])
def test_no_row_mixes_thai_and_arabic_digits(client, busy_office, language):
    checked, mixed = 0, {}
    for user, url in pages(busy_office):
        client.logout()
        if user is not None:
            client.force_login(user)
        client.cookies["django_language"] = language
        response = client.get(url)
        assert response.status_code == 200, url
        rows = mixed_rows(response.content.decode())
        if rows:
            mixed[url] = rows
        checked += 1
    assert checked == 8
    assert not mixed


def test_the_checker_finds_a_mixed_row():
    html = "<table><tr><td>๓ วัน</td><td>15 มี.ค. 2569</td></tr><tr><td>๓</td></tr></table>"
    assert mixed_rows(html) == ["๓ วัน15 มี.ค. 2569"]


def test_text_in_another_language_keeps_its_digits():
    html = '<html lang="en"><p><span lang="th">เขต ๑</span> · Tel. 038</p></html>'
    assert mixed_rows(html) == []
