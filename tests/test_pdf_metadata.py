"""The memo and the report are tagged PDF/UA-1 with Title, Author, Language and creation date;
the memo frozen at publication is PDF/A-3 (level a: also tagged), read back with pypdf."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from requests.memo import render_memo_pdf
from requests.memo.freeze import render_for
from requests.states import State
from tests.pdfs import document_info
from tests.test_memo_render import full_memo
from tests.workflow import make_request


def _recent(value: dt.datetime) -> bool:
    return abs(timezone.now() - value) < dt.timedelta(minutes=5)


def test_the_memo_is_a_tagged_pdf_ua_with_its_metadata():
    info = document_info(render_memo_pdf(full_memo()))
    assert info["title"] == "ขออนุญาตเผยแพร่ข้อมูลบนเว็บไซต์ สพป.ฉะเชิงเทรา เขต ๑"
    assert info["author"] == "นางสาวสมศรี ใจดี"
    assert info["lang"] == "th"
    assert _recent(info["created"])
    assert info["tagged"] and info["pdfua"] and not info["pdfa"]


@pytest.mark.django_db
def test_the_frozen_memo_is_pdf_a_and_tagged(people):
    req = make_request(people, State.PUBLISHED)
    stored = req.catalog_item.memo_file.read()
    req.catalog_item.memo_file.close()
    info = document_info(stored)
    assert info["pdfa"] and info["tagged"] and info["lang"] == "th"
    assert info["title"] and info["author"] == req.requester_name
    assert _recent(info["created"])
    # The memo downloaded before publication is the accessible one, not the archival one.
    assert document_info(render_for(req))["pdfua"]
