"""PDPA questions about a photo set: the webmaster answers them before photos go public, they are
kept in the publish decision (the audit), and the public page shows nothing of them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from approvals.errors import Incomplete
from approvals.models import Decision
from approvals.services import request_act
from catalog import publishing
from catalog.models import CatalogItem, PublishPlan
from requests.states import State
from tests.test_publishing import form_data, plan_url
from tests.workflow import make_request, plan_everything

pytestmark = pytest.mark.django_db

UNANSWERED = {"photo_identifiable": "", "photo_minors": "", "photo_consent": ""}


@pytest.fixture
def approved(people):
    return make_request(people, State.APPROVED, photos=2)


@pytest.fixture
def webmaster_client(client, people):
    client.force_login(people.webmaster)
    return client


def test_the_plan_page_asks_the_three_questions(webmaster_client, approved):
    html = webmaster_client.get(plan_url(approved)).content.decode()
    for name in ("photo_identifiable", "photo_minors", "photo_consent"):
        assert f'name="{name}"' in html
    assert "มีภาพนักเรียนหรือผู้เยาว์" in html


def test_photos_cannot_go_without_answers(webmaster_client, approved):
    response = webmaster_client.post(
        plan_url(approved), form_data(approved, intent="publish", **UNANSWERED)
    )
    assert response.status_code == 400
    form = response.context["form"]
    for name in ("photo_identifiable", "photo_minors", "photo_consent"):
        assert form.errors[name] == [str(publishing.PHOTO_FLAGS_MISSING)]
    assert not CatalogItem.objects.exists()


@pytest.mark.parametrize("who", ["photo_identifiable", "photo_minors"])
def test_identifiable_people_or_minors_need_consent(webmaster_client, approved, who):
    data = form_data(approved, intent="publish", **{who: "yes", "photo_consent": "no"})
    response = webmaster_client.post(plan_url(approved), data)
    assert response.status_code == 400
    assert response.context["form"].errors["photo_consent"] == [
        str(publishing.PHOTO_CONSENT_NEEDED)
    ]
    assert not CatalogItem.objects.exists()


def test_the_answers_go_into_the_publish_decision_not_the_public_page(
    webmaster_client, approved, client
):
    data = form_data(
        approved,
        intent="publish",
        photo_identifiable="yes",
        photo_minors="yes",
        photo_consent="yes",
    )
    response = webmaster_client.post(plan_url(approved), data)
    assert response.status_code == 302
    decision = Decision.objects.get(request=approved, action="webmaster.publish")
    assert decision.details["photo_flags"] == {
        "identifiable": True,
        "minors": True,
        "consent": True,
    }
    item = CatalogItem.objects.get(request=approved)
    assert item.photos.count() == 2
    client.logout()
    public = client.get(item.get_absolute_url()).content.decode()
    assert "ผู้เยาว์" not in public and "ความยินยอม" not in public and "PDPA" not in public


def test_the_answers_are_shown_again_when_the_plan_is_reopened(webmaster_client, approved):
    data = form_data(approved, photo_identifiable="yes", photo_minors="no", photo_consent="yes")
    assert webmaster_client.post(plan_url(approved), data).status_code == 302
    form = webmaster_client.get(plan_url(approved)).context["form"]
    assert form.initial["photo_identifiable"] == "yes"
    assert form.initial["photo_minors"] == "no"


def test_without_photos_no_answer_is_needed(webmaster_client, approved):
    data = form_data(approved, photos=[], intent="publish", **UNANSWERED)
    assert webmaster_client.post(plan_url(approved), data).status_code == 302
    assert CatalogItem.objects.get(request=approved).photos.count() == 0


def test_the_service_refuses_a_plan_whose_photos_were_never_answered(people, approved):
    plan = plan_everything(approved, people.webmaster)
    PublishPlan.objects.filter(pk=plan.pk).update(photo_flags={})
    with pytest.raises(Incomplete) as refused:
        request_act(
            request_id=approved.pk,
            user=people.webmaster,
            action="webmaster.publish",
            expected_state=State.APPROVED,
        )
    assert refused.value.message == publishing.PHOTO_FLAGS_MISSING


def test_a_schedule_is_not_kept_for_photos_without_consent(people, approved):
    plan = publishing.plan_save(
        req=approved,
        user=people.webmaster,
        title="ภาพกิจกรรม",
        summary="",
        category=approved.category,
        fiscal_year=2570,
        photo_ids=approved.photos.values_list("pk", flat=True),
        publish_at=timezone.now() + dt.timedelta(days=1),
        photo_flags={"identifiable": True, "minors": False, "consent": False},
    )
    assert plan.publish_at is None
    assert publishing.due_plans(timezone.now() + dt.timedelta(days=2)).count() == 0
