"""English mode: states are not verbs, one Thai word used twice gets two English words, report
pages keep no Thai of their own, and numbers take the digits of the page's language."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import translation

from approvals import services as workflow
from approvals.actions import ACTIONS, HISTORY_LABELS
from approvals.reports.figures import COUNT_LABELS
from esa_publish.office.models import Office
from requests.states import State
from tests.test_reports import Q1_ARGS, office_data  # noqa: F401 (fixture)
from tests.test_request_pages import make_request, submitted

pytestmark = pytest.mark.django_db

THAI = re.compile("[\u0e00-\u0e7f]")


class VisibleText(HTMLParser):
    """Text a person sees or hears: text nodes and the accessible-name attributes."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        self.parts += [v for k, v in attrs if k in ("aria-label", "title", "alt") and v]

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.parts.append(" ".join(data.split()))


def visible_text(html: str) -> list[str]:
    parser = VisibleText()
    parser.feed(html)
    return parser.parts


def english(client):
    client.cookies["django_language"] = "en"
    return client


def test_a_word_used_as_action_and_as_state_has_two_english_strings():
    with translation.override("en"):
        assert str(State.WITHDRAWN.label) == "Withdrawn"
        assert str(State.REJECTED.label) == "Not allowed"
        assert str(State.UNPUBLISHED.label) == "Taken down"
        assert str(HISTORY_LABELS["withdraw"]) == "Request withdrawn"
        assert str(HISTORY_LABELS["review.return"]) == "Sent back for correction"
        assert str(COUNT_LABELS["allowed"]) == "Allowed"
        buttons = {name: str(a.label) for name, a in ACTIONS.items()}
    assert buttons["withdraw"] == "Withdraw request"
    assert buttons["director.allow"] == "Allow"
    assert buttons["director.deny"] == "Do not allow"
    with translation.override("th"):
        # The same Thai word for the button and the state.
        assert str(State.WITHDRAWN.label) == str(ACTIONS["withdraw"].label) == "ถอนคำขอ"
        assert str(State.REJECTED.label) == str(ACTIONS["director.deny"].label) == "ไม่อนุญาต"


def test_no_state_reads_as_an_order_in_english():
    verbs = ("Withdraw ", "Take down", "Send back", "Submit", "Publish ", "Allow ", "Do not")
    with translation.override("en"):
        for state in State:
            assert not str(state.label).startswith(verbs), state


def test_a_withdrawn_request_shows_a_state_not_a_verb(client, people):
    req = submitted(people)
    workflow.request_withdraw(request_id=req.pk, user=people.requester)
    english(client).force_login(people.requester)
    body = client.get(reverse("requests:detail", args=[req.pk])).content.decode()
    assert "Withdrawn" in body
    assert "Request withdrawn" in body  # the history entry


def test_document_numbers_take_the_digits_of_the_page(client, people):
    req = submitted(people)
    number = req.doc_number.split("/")[-1]
    client.force_login(people.requester)
    url = reverse("requests:detail", args=[req.pk])
    thai = client.get(url).content.decode()
    assert f"๐๔๐๓๒/{number.translate(str.maketrans('0123456789', '๐๑๒๓๔๕๖๗๘๙'))}" in thai
    body = english(client).get(url).content.decode()
    assert f"04032/{number}" in body
    assert "๐๔๐๓๒" not in body


def test_the_report_page_in_english_keeps_no_thai_of_its_own(client, people, office_data):  # noqa: F811
    english(client).force_login(people.director)
    html = client.get(reverse("reports:report", args=Q1_ARGS)).content.decode()
    # Names typed by the office (units, categories, the office) are Thai data, not interface.
    office = Office.current()
    data = [people.unit.name, people.other_unit.name, office.short_name, office.name_th, "ภาษาไทย"]
    leftovers = []
    for part in visible_text(html):
        text = part
        for name in data:
            text = text.replace(name, "")
        # Category names follow their code ("1.3 แผนปฏิบัติการ…"): data too.
        text = re.sub(r"\d+\.\d+ [^;:]*", "", text)
        text = re.sub(r"[\u0e00-\u0e7f]+(?: [\u0e00-\u0e7f]+)* (?=\d+ items)", "", text)
        if THAI.search(text):
            leftovers.append(part)
    assert leftovers == []
    assert "Quarter 1 of fiscal year 2569 BE" in html
    assert not re.search("[๐-๙]", html.split("<main", 1)[1].split("</main>")[0])


def test_the_report_pdf_stays_thai_with_thai_digits(client, people, office_data):  # noqa: F811
    from tests.test_reports import _pdf_text

    english(client).force_login(people.director)
    pdf = client.get(reverse("reports:pdf", args=Q1_ARGS)).content
    assert "ไตรมาสที่ ๑ ปีงบประมาณ พ.ศ. ๒๕๖๙" in _pdf_text(pdf)


def test_the_draft_page_in_english(client, people):
    req = make_request(people)
    english(client).force_login(people.requester)
    body = client.get(reverse("requests:detail", args=[req.pk])).content.decode()
    assert ">Draft<" in body
