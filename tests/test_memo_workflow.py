"""The memo PDF of a real request: downloadable at any state, watermarked until approved,
frozen once published, showing delegated decisions."""

import datetime as dt
import hashlib
import shutil
import subprocess

import pytest
from django.urls import reverse
from django.utils import timezone

from approvals.models import Capacity, Delegation
from approvals.services import request_act
from requests.states import State
from tests.pdfs import has_watermark
from tests.workflow import make_request

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler-utils"),
]


def text_of(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "memo.pdf"
    path.write_bytes(pdf)
    raw = subprocess.run(
        ["pdftotext", "-raw", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    return " ".join(raw.split())


def download(client, user, req):
    client.force_login(user)
    response = client.get(reverse("requests:memo", args=[req.pk]))
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response, body


def test_a_draft_memo_is_watermarked_and_blank_below_the_requester(client, people, tmp_path):
    req = make_request(people, State.DRAFT)
    response, pdf = download(client, people.requester, req)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = text_of(pdf, tmp_path)
    assert "บันทึกข้อความ" in text
    assert has_watermark(pdf) and "ร่าง" not in text  # seen, never read as text
    assert "จึงเรียนมาเพื่อโปรดพิจารณาอนุญาต" in text


def test_an_approved_memo_has_every_signature_and_no_watermark(client, people, tmp_path, office):
    req = make_request(people, State.APPROVED)
    response, pdf = download(client, people.director, req)
    text = text_of(pdf, tmp_path)
    year = str(timezone.localdate().year + 543).translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙"))
    number = req.doc_number.translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙"))
    assert number in text
    assert year in text
    assert people.director.full_name in text
    assert people.deputy.full_name in text
    assert people.group_director.full_name in text
    assert "สำนักงาน" in text
    assert not has_watermark(pdf)


def test_a_delegated_decision_shows_the_capacity(client, people, tmp_path):
    today = timezone.localdate()
    Delegation.objects.create(
        principal=people.director,
        delegate=people.deputy,
        capacity=Capacity.ON_BEHALF,
        starts_on=today - dt.timedelta(days=1),
        ends_on=today,
    )
    req = make_request(people, State.RECOMMENDED)
    request_act(request_id=req.pk, user=people.deputy, action="director.allow")
    _, pdf = download(client, people.requester, req)
    assert "ปฏิบัติราชการแทน" in text_of(pdf, tmp_path)


def test_the_published_memo_is_frozen(client, people, tmp_path):
    req = make_request(people, State.PUBLISHED)
    item = req.catalog_item
    stored = item.memo_file.read()
    item.memo_file.close()
    assert hashlib.sha256(stored).hexdigest() == item.memo_sha256
    people.director.first_name = "ชื่อใหม่หลังเผยแพร่"
    people.director.save()
    _, pdf = download(client, people.requester, req)
    assert pdf == stored
    text = text_of(pdf, tmp_path)
    assert "ชื่อใหม่หลังเผยแพร่" not in text
    assert people.webmaster.full_name in text  # the webmaster's certification is filled


def test_outsiders_cannot_download_the_memo(client, people):
    req = make_request(people, State.SUBMITTED)
    response, _ = download(client, people.outsider, req)
    assert response.status_code == 404
    client.logout()
    assert client.get(reverse("requests:memo", args=[req.pk])).status_code == 302
