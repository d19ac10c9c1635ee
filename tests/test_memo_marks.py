"""What the memo says about itself: a refused or withdrawn request is marked as such (not as a
draft), steps taken in the system say so with who and when, a QR code and reference lead to the
request's history (for those allowed: outsiders get 404), short attachment lists never sit alone
on a page, and office names and compounds do not break inside."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest
from django.urls import reverse

from requests.memo import SignatureBlock, render_memo_pdf
from requests.memo.build import memo_data_for
from requests.memo.render import CLOSED_NOTICES, keep_together
from requests.states import State
from tests.pdfs import has_watermark, poppler_text
from tests.test_memo_render import MARCH_15, OFFICE, full_memo, save_previews
from tests.workflow import make_request

pytestmark = pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler-utils")

AT = dt.datetime(2023, 3, 15, 10, 32)


def _flat(pdf: bytes) -> str:
    return " ".join(poppler_text(pdf, "-raw").split())


@pytest.mark.parametrize("closed_as", ["rejected", "withdrawn"])
def test_a_refused_or_withdrawn_memo_says_so_instead_of_draft(closed_as):
    pdf = render_memo_pdf(full_memo(closed_as=closed_as, draft=False))
    text = _flat(pdf)
    assert CLOSED_NOTICES[closed_as] in text
    assert has_watermark(pdf)  # render.WATERMARKS[closed_as], as outlines
    assert "ร่าง" not in text  # neither as text nor as the mark: not a draft
    save_previews(pdf, f"closed-{closed_as}")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("state", "closed_as"), [(State.REJECTED, "rejected"), (State.WITHDRAWN, "withdrawn")]
)
def test_requests_that_ended_unallowed_are_not_drafts(people, state, closed_as):
    data = memo_data_for(make_request(people, state))
    assert data.closed_as == closed_as and not data.draft


def test_a_step_taken_in_the_system_says_so_with_who_and_when():
    director = SignatureBlock(
        name="นายเอกวัฒน์ ล้อสุนิรันดร์", position=f"ผู้อำนวยการ{OFFICE}", signed_at=AT
    )
    text = _flat(render_memo_pdf(full_memo(director=director)))
    assert "ลงนามในระบบแล้ว (นายเอกวัฒน์ ล้อสุนิรันดร์)" in text
    assert "วันที่ ๑๕ มีนาคม ๒๕๖๖ เวลา ๑๐.๓๒ น." in text
    # Blocks filled in by hand keep the dotted line.
    assert text.count("ลงชื่อ") == 4


@pytest.mark.django_db
def test_the_memo_of_a_request_leads_to_its_history_for_those_allowed(client, people):
    req = make_request(people, State.APPROVED)
    client.force_login(people.requester)
    response = client.get(reverse("requests:memo", args=[req.pk]))
    pdf = b"".join(response.streaming_content) if response.streaming else response.content
    text = _flat(pdf)
    url = reverse("requests:detail", args=[req.pk])
    assert url in text and "ตรวจสอบการพิจารณาในระบบ" in text
    assert text.count("ลงนามในระบบแล้ว") >= 4  # requester, first review, deputy, director
    save_previews(pdf, "approved-in-system")
    assert client.get(url).status_code == 200
    client.force_login(people.outsider)
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("files", [2, 6, 40])
def test_no_page_holds_only_a_line_or_two_of_the_attachment_list(files):
    many = [(f"ไฟล์แนบลำดับที่-{n:02d}.pdf", 10_000 + n) for n in range(files)]
    director = SignatureBlock(
        name="นายเอก", position=f"ผู้อำนวยการ{OFFICE}", date=MARCH_15, signed_at=AT
    )
    pdf = render_memo_pdf(full_memo(closed_as="rejected", attachments=many, director=director))
    pages = poppler_text(pdf, "-raw").split("\f")[:-1]
    for page in pages[1:]:
        listed = page.count("ไฟล์แนบลำดับที่-")
        if listed:
            assert listed >= 3 or "ลงนามในระบบแล้ว" in page or "ลงชื่อ" in page, page
    if files == 2:
        save_previews(pdf, "short-attachment-list")


def test_office_names_and_compounds_do_not_break_inside():
    pdf = render_memo_pdf(
        full_memo(webmaster=SignatureBlock(name="นายวิทยา", position=f"รองผู้อำนวยการ{OFFICE}"))
    )
    lines = poppler_text(pdf, "-raw").splitlines()
    for before, after in zip(lines, lines[1:], strict=False):
        assert not (before.endswith("ประถม") and after.startswith("ศึกษา")), (before, after)
        assert not (before.endswith("เขต") and after.startswith("๑")), (before, after)
        assert not before.endswith(("ผู้อำนวย", "สำนักงานเขตพื้นที่การ"))


def test_keep_together_escapes_what_it_wraps():
    html = keep_together("<b>ผู้อำนวยการ</b> สพป. เขต ๑")
    assert html == (
        '&lt;b&gt;<span class="word">ผู้อำนวยการ</span>&lt;/b&gt; สพป. '
        '<span class="word">เขต ๑</span>'
    )
