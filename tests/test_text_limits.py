"""Every long text has a length that fits the memo, checked by the form and by the model."""

from __future__ import annotations

import time

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from approvals.forms import ActForm
from approvals.models import Decision, ReportEvent, UnitNarrative
from approvals.reports.forms import NarrativeForm, ReopenForm
from catalog.models import CatalogItem, Category, ITAItem, PublishPlan
from catalog.staff_forms import PlanForm, TakedownForm
from esa_publish import text_limits
from esa_publish.office.models import Office
from requests.forms import RequestForm
from requests.models import PublicationRequest

MODEL_FIELDS = [
    (PublicationRequest, "purpose", text_limits.PURPOSE),
    (PublicationRequest, "public_summary", text_limits.SUMMARY),
    (Decision, "comment", text_limits.COMMENT),
    (UnitNarrative, "outcomes", text_limits.REPORT_TEXT),
    (UnitNarrative, "problems", text_limits.REPORT_TEXT),
    (UnitNarrative, "suggestions", text_limits.REPORT_TEXT),
    (ReportEvent, "reason", text_limits.REPORT_REASON),
    (PublishPlan, "summary", text_limits.SUMMARY),
    (CatalogItem, "summary", text_limits.SUMMARY),
    (CatalogItem, "withdrawal_reason", text_limits.COMMENT),
    (Category, "description", text_limits.DESCRIPTION),
    (ITAItem, "description", text_limits.DESCRIPTION),
    (Office, "address", text_limits.ADDRESS),
]

FORM_FIELDS = [
    (RequestForm, "publish_title", text_limits.LINE),
    (RequestForm, "purpose", text_limits.PURPOSE),
    (RequestForm, "public_title", text_limits.LINE),
    (RequestForm, "public_summary", text_limits.SUMMARY),
    (RequestForm, "channel_other", text_limits.LINE),
    (RequestForm, "addressee", text_limits.LINE),
    (ActForm, "comment", text_limits.COMMENT),
    (PlanForm, "title", text_limits.LINE),
    (PlanForm, "summary", text_limits.SUMMARY),
    (TakedownForm, "reason", text_limits.COMMENT),
    (NarrativeForm, "outcomes", text_limits.REPORT_TEXT),
    (NarrativeForm, "problems", text_limits.REPORT_TEXT),
    (NarrativeForm, "suggestions", text_limits.REPORT_TEXT),
    (ReopenForm, "reason", text_limits.REPORT_REASON),
]


def too_long_message(limit: int, length: int) -> str:
    return str(text_limits.TOO_LONG) % {"limit_value": limit, "show_value": length}


@pytest.mark.parametrize(("model", "name", "limit"), MODEL_FIELDS)
def test_the_model_refuses_a_text_over_its_limit(model, name, limit):
    field = model._meta.get_field(name)
    field.run_validators("ก" * limit)
    with pytest.raises(ValidationError) as caught:
        field.run_validators("ก" * (limit + 1))
    assert caught.value.messages == [too_long_message(limit, limit + 1)]


@pytest.mark.parametrize(("form", "name", "limit"), FORM_FIELDS)
def test_the_form_refuses_a_text_over_its_limit_in_thai(form, name, limit):
    field = form.base_fields[name]
    assert field.clean("ก" * limit) == "ก" * limit
    with pytest.raises(ValidationError) as caught:
        field.clean("ก" * (limit + 1))
    assert caught.value.messages == [too_long_message(limit, limit + 1)]


@pytest.mark.django_db
def test_a_text_area_never_cuts_a_paste_short():
    html = str(RequestForm()["purpose"])
    assert "<textarea" in html and "maxlength" not in html


@pytest.mark.django_db
def test_a_huge_purpose_is_refused_and_everything_typed_stays(client, people):
    # Issue 14.4: a 2.1 MB purpose was stored, and its memo outlasted the worker's time-out.
    client.force_login(people.requester)
    purpose = "เพื่อเผยแพร่ " * 56_000 + "จบข้อความ"
    data = {
        "publish_title": "เรื่องที่พิมพ์ไว้แล้ว",
        "purpose": purpose,
        "category": Category.objects.active().filter(needs_legal_review=False).first().pk,
        "file_formats": ["pdf"],
        "channel": "amss",
        "urgency": "normal",
        "public_summary": "สรุปที่พิมพ์ไว้แล้ว",
    }
    assert len(purpose.encode()) > 2_000_000
    started = time.perf_counter()
    response = client.post(reverse("requests:create"), data)
    assert time.perf_counter() - started < 10
    body = response.content.decode()
    assert response.status_code == 200
    assert too_long_message(text_limits.PURPOSE, len(purpose)) in body
    assert 'value="เรื่องที่พิมพ์ไว้แล้ว"' in body
    assert "สรุปที่พิมพ์ไว้แล้ว</textarea>" in body
    assert "จบข้อความ</textarea>" in body  # the purpose comes back whole, to be shortened
    assert not PublicationRequest.objects.exists()
