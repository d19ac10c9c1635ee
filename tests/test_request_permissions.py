"""Permissions in one place (approvals.permissions.request_permissions / held_roles): every link
and button on the request page and the menu come from the same answer, delegations included.

Two separate tables pin the refusals: someone who may not see the request gets exactly 404;
someone who may see it but lacks the role gets exactly 403. Never "403 or 404".
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from approvals.models import Capacity, Delegation
from requests.states import State
from tests.workflow import make_request

pytestmark = pytest.mark.django_db


def _urls(req) -> dict[str, tuple[str, str]]:
    """Every page about one request, as (method, url)."""
    item = getattr(req, "catalog_item", None) if req.state == State.PUBLISHED else None
    urls = {
        "detail": ("get", reverse("requests:detail", args=[req.pk])),
        "edit": ("get", reverse("requests:edit", args=[req.pk])),
        "copy": ("post", reverse("requests:copy", args=[req.pk])),
        "memo": ("get", reverse("requests:memo", args=[req.pk])),
        "plan": ("get", reverse("publishing:plan", args=[req.pk])),
        "act": ("post", reverse("approvals:act", args=[req.pk])),
    }
    if item is not None:
        urls["takedown"] = ("post", reverse("publishing:takedown", args=[item.pk]))
        urls["correct"] = ("post", reverse("publishing:correct", args=[item.pk]))
    return urls


def _status(client, user, req, page: str) -> int:
    method, url = _urls(req)[page]
    client.force_login(user)
    data = {"action": "director.allow", "comment": "ตรวจแล้ว", "expected_state": req.state}
    if page == "takedown":
        data = {"reason": "ทดสอบ"}
    return getattr(client, method)(url, data if method == "post" else None).status_code


# Outsiders: they may not see the request at all -> exactly 404 on every page about it.
OUTSIDER_404 = [
    (State.RETURNED, "outsider", page) for page in ("detail", "edit", "copy", "memo", "plan", "act")
] + [
    (State.PUBLISHED, "colleague", page)
    for page in ("detail", "edit", "copy", "memo", "plan", "act", "takedown", "correct")
]


@pytest.mark.parametrize(("state", "who", "page"), OUTSIDER_404)
def test_an_outsider_gets_exactly_404(client, people, state, who, page):
    req = make_request(people, state)
    assert _status(client, getattr(people, who), req, page) == 404


# Insiders with the wrong role: they see the request, the page is not theirs -> exactly 403.
INSIDER_403 = [
    (State.RETURNED, "group_director", "edit"),
    (State.RETURNED, "group_director", "copy"),
    (State.REVIEWED, "group_director", "act"),  # director.allow is not the unit director's
    (State.APPROVED, "requester", "plan"),
    (State.APPROVED, "director", "plan"),
    (State.APPROVED, "deputy", "plan"),
    (State.APPROVED, "group_director", "plan"),
    (State.PUBLISHED, "requester", "takedown"),
    (State.PUBLISHED, "webmaster", "correct"),
    (State.PUBLISHED, "webmaster", "edit"),
    (State.PUBLISHED, "director", "copy"),
]


@pytest.mark.parametrize(("state", "who", "page"), INSIDER_403)
def test_an_insider_with_the_wrong_role_gets_exactly_403(client, people, state, who, page):
    req = make_request(people, state)
    assert _status(client, getattr(people, who), req, page) == 403


# What the request page offers each person, from the same answer as the pages above.
LINKS = [
    (State.RETURNED, "requester", {"edit", "copy", "memo"}),
    (State.RETURNED, "group_director", {"memo"}),
    (State.APPROVED, "webmaster", {"memo", "plan"}),
    (State.APPROVED, "director", {"memo"}),
    (State.PUBLISHED, "requester", {"copy", "correct", "memo"}),
    (State.PUBLISHED, "webmaster", {"memo"}),
]


def _links(html: str, req) -> set[str]:
    found = set()
    for name, (_, url) in _urls(req).items():
        if name in {"detail", "act", "takedown"}:
            continue
        if f'href="{url}"' in html or f'action="{url}"' in html:
            found.add(name)
    return found


@pytest.mark.parametrize(("state", "who", "expected"), LINKS)
def test_the_request_page_offers_exactly_what_the_pages_allow(client, people, state, who, expected):
    req = make_request(people, state)
    user = getattr(people, who)
    client.force_login(user)
    html = client.get(reverse("requests:detail", args=[req.pk])).content.decode()
    assert _links(html, req) == expected
    for page in expected - {"memo"}:
        assert _status(client, user, req, page) in (200, 302)  # offered, so it works


def _delegate(principal, delegate):
    today = timezone.localdate()
    Delegation.objects.create(
        principal=principal,
        delegate=delegate,
        capacity=Capacity.ACTING,
        starts_on=today,
        ends_on=today + dt.timedelta(days=2),
    )


def test_a_delegate_webmaster_gets_the_menu_entry_and_the_plan_link(client, people):
    req = make_request(people, State.APPROVED)
    queue = reverse("publishing:queue")
    client.force_login(people.colleague)
    assert f'href="{queue}"' not in client.get(reverse("requests:mine")).content.decode()
    _delegate(people.webmaster, people.colleague)
    assert f'href="{queue}"' in client.get(reverse("requests:mine")).content.decode()
    assert client.get(queue).status_code == 200
    html = client.get(reverse("requests:detail", args=[req.pk])).content.decode()
    assert "plan" in _links(html, req)
    assert client.get(reverse("publishing:plan", args=[req.pk])).status_code == 200


def test_a_delegate_director_gets_the_report_entries(client, people):
    dashboard = reverse("reports:dashboard")
    client.force_login(people.colleague)
    assert f'href="{dashboard}"' not in client.get(reverse("requests:mine")).content.decode()
    _delegate(people.director, people.colleague)
    assert f'href="{dashboard}"' in client.get(reverse("requests:mine")).content.decode()
    assert client.get(dashboard).status_code == 200


def test_publish_on_the_request_page_leads_to_its_plan_with_the_comment(client, people):
    """Routing feature 5: no plan yet, so the publish button goes straight to this request's
    plan, keeping what the webmaster typed; publishing there records it."""
    from catalog.models import PublishPlan
    from tests.test_publishing import form_data

    req = make_request(people, State.APPROVED)
    PublishPlan.objects.filter(request=req).delete()
    client.force_login(people.webmaster)
    comment = "ตรวจสอบชื่อไฟล์แล้ว"
    response = client.post(
        reverse("approvals:act", args=[req.pk]),
        {"action": "webmaster.publish", "comment": comment, "expected_state": State.APPROVED},
    )
    plan = reverse("publishing:plan", args=[req.pk])
    assert response.status_code == 302
    assert response["Location"] == plan
    page = client.get(plan).content.decode()
    assert f">{comment}</textarea>" in page
    response = client.post(plan, {**form_data(req, intent="publish"), "comment": comment})
    assert response.status_code == 302
    req.refresh_from_db()
    assert req.state == State.PUBLISHED
    assert req.decisions.get(action="webmaster.publish").comment == comment
