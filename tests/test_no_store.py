"""Nothing a signed-in user saw stays in a shared computer's browser cache (issue 14, item 13).

Every answer to a signed-in user says ``no-store``: staff pages, private files (downloads and
inline previews), even public pages seen while signed in. Anonymous visitors keep the public
caching of the catalog.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from requests.states import State
from tests.workflow import make_request

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def never_stored(response) -> bool:
    cache_control = {part.strip() for part in response.get("Cache-Control", "").split(",")}
    return {"no-store", "private"} <= cache_control and "public" not in cache_control


def test_signed_in_pages_are_never_stored(client, people):
    req = make_request(people, State.SUBMITTED)
    client.force_login(people.requester)
    for url in (
        reverse("home"),
        reverse("requests:mine"),
        reverse("requests:create"),
        reverse("requests:detail", args=[req.pk]),
        reverse("password_change"),
    ):
        response = client.get(url, HTTP_USER_AGENT=BROWSER)
        assert response.status_code == 200, url
        assert never_stored(response), (url, response.get("Cache-Control"))


def test_the_approvers_pages_are_never_stored(client, people):
    make_request(people, State.SUBMITTED)
    client.force_login(people.group_director)
    response = client.get(reverse("approvals:pending"), HTTP_USER_AGENT=BROWSER)
    assert response.status_code == 200
    assert never_stored(response)


def test_private_files_are_never_stored_even_as_an_inline_preview(client, people):
    req = make_request(people, State.SUBMITTED, photos=1)
    attachment = req.attachments.get()
    photo = req.photos.get()
    client.force_login(people.requester)
    for url in (
        reverse("requests:attachment", args=[req.pk, attachment.pk]),
        reverse("requests:photo", args=[req.pk, photo.pk, "full"]),
        reverse("requests:photo", args=[req.pk, photo.pk, "thumb"]),
        reverse("requests:memo", args=[req.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert never_stored(response), (url, response["Cache-Control"])
        assert "max-age=600" not in response["Cache-Control"]


def test_a_refusal_to_a_signed_in_user_is_not_stored_either(client, people):
    req = make_request(people, State.SUBMITTED)
    client.force_login(people.outsider)
    response = client.get(reverse("requests:detail", args=[req.pk]))
    assert response.status_code == 404
    assert never_stored(response)


def test_anonymous_public_pages_and_files_keep_their_caching(client, people):
    item = make_request(people, State.PUBLISHED, photos=1).catalog_item
    page = client.get(item.get_absolute_url(), HTTP_USER_AGENT=BROWSER)
    assert page.status_code == 200
    assert "no-store" not in page.get("Cache-Control", "")
    f = item.files.get()
    download = client.get(reverse("catalog:download", args=[item.pk, f.pk]))
    assert "public" in download["Cache-Control"]


def test_public_pages_seen_while_signed_in_are_not_stored(client, people):
    item = make_request(people, State.PUBLISHED).catalog_item
    client.force_login(people.webmaster)
    page = client.get(item.get_absolute_url(), HTTP_USER_AGENT=BROWSER)
    assert page.status_code == 200
    assert never_stored(page)
    f = item.files.get()
    assert never_stored(client.get(reverse("catalog:download", args=[item.pk, f.pk])))


def test_after_signing_out_the_same_browser_gets_public_caching_again(client, people):
    item = make_request(people, State.PUBLISHED).catalog_item
    client.force_login(people.requester)
    client.post(reverse("logout"))
    f = item.files.get()
    download = client.get(reverse("catalog:download", args=[item.pk, f.pk]))
    assert "public" in download["Cache-Control"]
