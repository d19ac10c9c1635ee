"""axe-core (WCAG 2.0/2.1 A and AA) on every kind of page, in Thai and in English.

Government sites in Thailand are held to WCAG; staff include people who use screen readers or
zoom, and citizens reach the catalog from any device. Every page below must have zero
violations. Pages are visited in one browser per language with the data each role would see,
and all violations are reported together, page by page, so one run shows everything to fix.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import NoReverseMatch, reverse

from requests.states import State
from tests.browser.axe import report, violations
from tests.workflow import make_request

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def session_cookie(user, live_server) -> dict:
    """A signed-in session made on the server side, handed to the browser as its cookie."""
    client = Client()
    client.force_login(user)
    return {
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": live_server.url,
    }


def routed(name: str, *args) -> str | None:
    """The page's address, or None while another part of the project has not added it yet."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


@pytest.fixture
def site(transactional_db, people):
    """Requests in the states each page needs: a draft, one waiting for review, one waiting for
    the webmaster, and a published item with photos."""
    draft = make_request(people, State.DRAFT, title="ร่างประกาศรับสมัครครูอัตราจ้าง")
    waiting = make_request(people, State.SUBMITTED, title="รายงานผลการดำเนินงานไตรมาส ๑")
    approved = make_request(people, State.APPROVED, title="ประกาศผู้ชนะการเสนอราคา")
    # The decision points: the reason first, the earlier verdicts above the buttons.
    returned = make_request(people, State.RETURNED, title="สรุปผลการจัดซื้อจัดจ้างประจำเดือน")
    recommended = make_request(people, State.RECOMMENDED, title="ประกาศเจตนารมณ์ต่อต้านการทุจริต")
    published = make_request(people, State.PUBLISHED, photos=2)
    item = published.catalog_item
    return {
        "people": people,
        "draft": draft,
        "waiting": waiting,
        "approved": approved,
        "returned": returned,
        "recommended": recommended,
        "item": item,
    }


def pages_by_role(site) -> list[tuple[str | None, str, str]]:
    """(who is signed in, page name, address) for every page checked; None is a citizen."""
    people, item = site["people"], site["item"]
    pages = [
        (None, "home", reverse("home")),
        (None, "login", reverse("login")),
        (None, "category", reverse("catalog:category", args=[item.category.slug])),
        (None, "item", item.get_absolute_url()),
        (None, "information centre", routed("oia:centre")),
        (None, "search", routed("search:results") and routed("search:results") + "?q=วันครู"),
        (None, "not found", "/catalog/category/no-such-category/"),
        ("requester", "my requests", reverse("requests:mine")),
        ("requester", "new request", reverse("requests:create")),
        ("requester", "request page", reverse("requests:detail", args=[site["draft"].pk])),
        ("requester", "edit request", reverse("requests:edit", args=[site["draft"].pk])),
        ("requester", "returned request", reverse("requests:detail", args=[site["returned"].pk])),
        ("requester", "preview", reverse("requests:preview", args=[site["draft"].pk])),
        ("requester", "password change", reverse("password_change")),
        ("requester", "notifications", routed("notify:settings")),
        ("group_director", "pending", reverse("approvals:pending")),
        (
            "group_director",
            "request to review",
            reverse("requests:detail", args=[site["waiting"].pk]),
        ),
        ("group_director", "delegations", reverse("approvals:delegations")),
        ("webmaster", "publishing queue", routed("publishing:queue")),
        ("webmaster", "publishing plan", routed("publishing:plan", site["approved"].pk)),
        ("webmaster", "share kits", routed("outreach:kits")),
        ("webmaster", "share kit", routed("outreach:kit", item.pk)),
        (
            "director",
            "request with earlier opinions",
            reverse("requests:detail", args=[site["recommended"].pk]),
        ),
        ("director", "reports", routed("reports:index")),
        ("director", "dashboard", routed("reports:dashboard")),
    ]
    del people
    return [(who, name, url) for who, name, url in pages if url]


def check_pages(page, live_server, site, language: str) -> dict[str, list]:
    context = page.context
    found: dict[str, list] = {}
    current = object()
    for who, name, url in pages_by_role(site):
        if who != current:
            context.clear_cookies()
            cookies = [{"name": "django_language", "value": language, "url": live_server.url}]
            if who:
                cookies.append(session_cookie(getattr(site["people"], who), live_server))
            context.add_cookies(cookies)
            current = who
        response = page.goto(live_server.url + url)
        expected = 404 if name == "not found" else 200
        assert response is not None and response.status == expected, f"{name}: {response.status}"
        assert page.locator("html").get_attribute("lang") == language, name
        problems = violations(page)
        if problems:
            found[f"{name} ({url}, {who or 'citizen'})"] = problems
    return found


def test_the_request_form_with_errors_and_the_message_after_saving(live_server, page, people):
    """The error summary and the messages next to each field, as a requester first sees them;
    then the confirmation message shown after the draft is saved."""
    page.context.add_cookies([session_cookie(people.requester, live_server)])
    page.goto(live_server.url + reverse("requests:create"))
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state()
    assert page.locator(".errorlist li").count()
    problems = violations(page)
    assert not problems, report(problems, "the request form with errors")

    page.locator("#id_publish_title").fill("ประกาศรับสมัครนักเรียน")
    page.locator("#id_category").select_option(index=1)
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url("**/requests/*/")
    assert page.locator(".messages li").count()
    problems = violations(page)
    assert not problems, report(problems, "the request page with a message")


def test_axe_really_reports_problems(page):
    """The helper must fail a page with known faults, or a green run would prove nothing."""
    page.set_content('<html><body><img src="x.png"><a href="#"></a></body></html>')
    found = {v["id"] for v in violations(page)}
    assert {"html-has-lang", "image-alt", "link-name"} <= found


def test_every_page_has_no_wcag_violations_in_thai_and_english(live_server, page, site):
    """One test for both languages: the data takes longer to build than the pages to check."""
    found = {}
    for language in ("th", "en"):
        for where, problems in check_pages(page, live_server, site, language).items():
            found[f"[{language}] {where}"] = problems
    assert not found, "\n\n".join(report(problems, where) for where, problems in found.items())
