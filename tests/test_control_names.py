"""Every form control of the signed-in pages we list has a name, and no two different controls
on a page share one (a screen reader's list of controls, or get_by_label, could not tell them
apart)."""

import pytest
from django.urls import reverse

from requests.states import State
from tests.form_controls import controls_with_names, shared_names, unnamed_controls
from tests.workflow import make_request

pytestmark = pytest.mark.django_db

SAME_TITLE = "ประกาศผลการคัดเลือก"


@pytest.fixture
def waiting(people):
    """Two requests with one title at the director's step (the bulk form), one returned."""
    for _ in range(2):
        make_request(people, State.RECOMMENDED, title=SAME_TITLE)
    make_request(people, State.RETURNED, title=SAME_TITLE)


@pytest.mark.parametrize(
    "who, url",
    [
        ("director", reverse("approvals:pending")),
        ("requester", reverse("approvals:pending")),
        ("requester", reverse("requests:mine")),
        ("director", reverse("home")),
    ],
)
@pytest.mark.parametrize("language", ["th", "en"])
def test_no_two_controls_share_a_name_and_none_is_unnamed(
    client, people, waiting, who, url, language
):
    client.force_login(getattr(people, who))
    client.cookies["django_language"] = language
    html = client.get(url).content.decode()
    assert controls_with_names(html), "the page has no controls to check"
    assert not unnamed_controls(html)
    assert not shared_names(html)


def test_the_bulk_checkboxes_say_which_request(client, people, waiting):
    client.force_login(people.director)
    html = client.get(reverse("approvals:pending")).content.decode()
    boxes = [name for c, name in controls_with_names(html) if c.attrs.get("type") == "checkbox"]
    assert len(boxes) == 2
    assert all(SAME_TITLE in name and name.startswith("เลือก ที่ ") for name in boxes)


def test_the_checker_finds_shared_and_missing_names():
    html = """
      <label for="a">ความเห็น</label><textarea id="a" name="a"></textarea>
      <label>ความเห็น <input name="b"></label>
      <input name="c">
      <label><input type="radio" name="v" value="1"> อนุญาต</label>
      <label><input type="radio" name="v" value="2"> ไม่อนุญาต</label>
    """
    assert shared_names(html) == {
        "ความเห็น": ["<textarea name='a' value=None>", "<input name='b' value=None>"]
    }
    assert unnamed_controls(html) == ["<input name='c' id=None>"]
