"""The Nu Html Checker (vnu.jar, the W3C validator's engine, from npm's vnu-jar) reports no error
on any public page type (home, category, item, search, ITA; feeds are XML) nor on the main
signed-in pages. The pages are saved as the Django test client gets them and checked in one run
of the checker (one Java start for all of them)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse

from requests.states import State
from tests.test_catalog_pages import _fresh_cache  # noqa: F401 (autouse: empty page cache)
from tests.workflow import make_request

VNU = (
    Path(__file__).resolve().parent.parent
    / "node_modules"
    / "vnu-jar"
    / "build"
    / "dist"
    / "vnu.jar"
)

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.validator,
    pytest.mark.skipif(
        not (VNU.is_file() and shutil.which("java")),
        reason="needs vnu-jar (npm ci) and Java (default-jre-headless)",
    ),
]


def check_html(files: list[Path]) -> list[dict]:
    """The checker's errors (type "error", and fatal "non-document-error") for ``files``."""
    result = subprocess.run(
        ["java", "-Xss4m", "-jar", str(VNU), "--format", "json", "--errors-only", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    return [m for m in messages if m.get("type") in ("error", "non-document-error")]


def _save(client, url: str, folder: Path, name: str) -> Path:
    response = client.get(url)
    assert response.status_code == 200, (name, url, response.status_code)
    path = folder / f"{name}.html"
    path.write_bytes(response.content)
    return path


def test_public_and_signed_in_pages_have_no_html_errors(client, people, tmp_path):
    published = make_request(people, State.PUBLISHED, photos=2)
    item = published.catalog_item
    returned = make_request(people, State.RETURNED)
    approved = make_request(people, State.APPROVED)
    submitted = make_request(people, State.SUBMITTED)
    recommended = make_request(people, State.RECOMMENDED)
    rejected = make_request(people, State.REJECTED)
    year = item.fiscal_year

    public = {
        "home": "/",
        "category": reverse("catalog:category", args=[item.category.slug]),
        "item": item.get_absolute_url(),
        "search": reverse("search:results") + "?q=วันครู",
        "ita": reverse("catalog:ita", args=[year]),
        "login": reverse("login"),
    }
    files = [_save(client, url, tmp_path, name) for name, url in public.items()]
    client.cookies["django_language"] = "en"
    files += [_save(client, item.get_absolute_url(), tmp_path, "item-en")]
    files += [_save(client, "/", tmp_path, "home-en")]
    del client.cookies["django_language"]

    signed_in = [
        (people.requester, "mine", reverse("requests:mine")),
        (people.requester, "new-request", reverse("requests:create")),
        (people.requester, "returned-request", reverse("requests:detail", args=[returned.pk])),
        (people.requester, "edit-request", reverse("requests:edit", args=[returned.pk])),
        (people.requester, "preview", reverse("requests:preview", args=[returned.pk])),
        (people.group_director, "pending", reverse("approvals:pending")),
        (people.group_director, "to-review", reverse("requests:detail", args=[submitted.pk])),
        (people.director, "opinions", reverse("requests:detail", args=[recommended.pk])),
        (people.requester, "rejected-request", reverse("requests:detail", args=[rejected.pk])),
        (people.director, "delegations", reverse("approvals:delegations")),
        (people.webmaster, "publishing-queue", reverse("publishing:queue")),
        (people.webmaster, "publishing-plan", reverse("publishing:plan", args=[approved.pk])),
        (people.director, "dashboard", reverse("reports:dashboard")),
        (people.director, "report", reverse("reports:report", args=[year, "q1"])),
    ]
    for user, name, url in signed_in:
        client.force_login(user)
        files.append(_save(client, url, tmp_path, name))

    errors = check_html(files)
    assert errors == [], "\n".join(
        f"{Path(m.get('url', '')).name}:{m.get('lastLine')}: {m.get('message')}" for m in errors
    )
