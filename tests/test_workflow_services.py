"""The workflow services: routing, decisions, numbering, delegation, notifications."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from approvals import errors
from approvals.models import Capacity, Decision, Delegation
from approvals.permissions import available_actions
from approvals.selectors import pending_requests, visible_requests
from approvals.services import request_act
from esa_publish.office.models import Unit
from requests.states import State
from tests.workflow import make_request

pytestmark = pytest.mark.django_db


def act(req, user, action, comment="", **kw):
    return request_act(request_id=req.pk, user=user, action=action, comment=comment, **kw)


def test_the_whole_path_records_one_decision_per_step(people):
    req = make_request(people, State.PUBLISHED)
    assert list(req.events.values_list("action", "state")) == [("create", "draft")]
    actions = list(req.decisions.values_list("action", "role", "from_state", "to_state"))
    assert actions == [
        ("submit", "requester", "draft", "submitted"),
        ("review.forward", "group_director", "submitted", "reviewed"),
        ("deputy.allow", "deputy_director", "reviewed", "recommended"),
        ("director.allow", "director", "recommended", "approved"),
        ("webmaster.publish", "webmaster", "approved", "published"),
    ]


def test_submission_numbers_and_snapshots(people, office):
    req = make_request(people, State.SUBMITTED)
    assert req.doc_prefix == office.doc_prefix
    assert req.doc_seq == 1
    assert req.doc_year == timezone.localdate().year + 543
    assert req.requester_name == people.requester.full_name
    assert req.unit_name == people.unit.name
    assert req.addressee == office.addressee
    assert req.memo_date == timezone.localdate()
    second = make_request(people, State.SUBMITTED)
    assert second.doc_seq == 2


def test_resubmission_keeps_the_number_and_history(people):
    req = make_request(people, State.RETURNED)
    number = req.doc_number
    people.requester.position_title = "ตำแหน่งใหม่"
    people.requester.save()
    act(req, people.requester, "submit")
    req.refresh_from_db()
    assert req.state == State.SUBMITTED
    assert req.doc_number == number
    assert req.requester_position == "ตำแหน่งใหม่"
    assert list(req.decisions.values_list("action", flat=True))[-3:] == [
        "submit",
        "review.return",
        "resubmit",
    ]


def test_legal_categories_go_to_the_legal_officer(people):
    req = make_request(people, State.DRAFT, category_code="1.5")
    act(req, people.requester, "submit")
    req.refresh_from_db()
    assert req.first_reviewer == "legal_officer"
    assert [a.action.name for a in available_actions(people.group_director, req)] == []
    assert pending_requests(people.legal).filter(pk=req.pk).exists()
    decision = act(req, people.legal, "review.forward")
    assert decision.role == "legal_officer"


def test_without_a_deputy_it_goes_straight_to_the_director_and_says_so(people):
    Unit.objects.filter(pk=people.unit.pk).update(deputy=None)
    req = make_request(people, State.SUBMITTED)
    decision = act(req, people.group_director, "review.forward")
    req.refresh_from_db()
    assert req.state == State.RECOMMENDED
    assert decision.to_state == State.RECOMMENDED
    assert decision.note == str(errors.NO_DEPUTY_NOTE)


def test_a_unit_without_a_director_cannot_submit(people):
    Unit.objects.filter(pk=people.unit.pk).update(director=None)
    req = make_request(people, State.DRAFT)
    with pytest.raises(errors.Incomplete) as caught:
        act(req, people.requester, "submit")
    assert caught.value.message == errors.NO_UNIT_DIRECTOR
    req.refresh_from_db()
    assert req.state == State.DRAFT
    assert req.doc_seq is None


def test_deny_and_return_need_a_comment(people):
    req = make_request(people, State.RECOMMENDED)
    for action in ("director.deny", "director.return"):
        with pytest.raises(errors.Incomplete):
            act(req, people.director, action, comment="   ")
    req.refresh_from_db()
    assert req.state == State.RECOMMENDED


def test_the_deputys_opinion_goes_on_to_the_director_either_way(people):
    req = make_request(people, State.REVIEWED)
    act(req, people.deputy, "deputy.deny", comment="เอกสารยังไม่ครบถ้วน")
    req.refresh_from_db()
    assert req.state == State.RECOMMENDED
    assert req.decisions.last().verdict == "deny"


def test_a_stale_page_is_refused_as_already_decided(people):
    req = make_request(people, State.RECOMMENDED)
    act(req, people.director, "director.allow", expected_state=State.RECOMMENDED)
    before = Decision.objects.count()
    with pytest.raises(errors.AlreadyDecided):
        act(req, people.director, "director.deny", "ไม่ควร", expected_state=State.RECOMMENDED)
    assert Decision.objects.count() == before


def test_a_delegate_decides_in_the_principals_place(people):
    today = timezone.localdate()
    Delegation.objects.create(
        principal=people.director,
        delegate=people.deputy,
        capacity=Capacity.ON_BEHALF,
        starts_on=today - dt.timedelta(days=1),
        ends_on=today + dt.timedelta(days=1),
    )
    req = make_request(people, State.RECOMMENDED)
    assert pending_requests(people.deputy).filter(pk=req.pk).exists()
    assert visible_requests(people.deputy).filter(pk=req.pk).exists()
    decision = act(req, people.deputy, "director.allow")
    assert decision.actor == people.deputy
    assert decision.on_behalf_of == people.director
    assert decision.capacity == Capacity.ON_BEHALF
    assert decision.principal_name == people.director.full_name
    assert decision.capacity_line == f"ปฏิบัติราชการแทน {people.director.position_title}"


def test_an_expired_delegation_gives_nothing(people):
    today = timezone.localdate()
    Delegation.objects.create(
        principal=people.director,
        delegate=people.deputy,
        capacity=Capacity.ACTING,
        starts_on=today - dt.timedelta(days=10),
        ends_on=today - dt.timedelta(days=1),
    )
    req = make_request(people, State.RECOMMENDED)
    assert not pending_requests(people.deputy).filter(pk=req.pk).exists()
    with pytest.raises(errors.NotAllowed):
        act(req, people.deputy, "director.allow")


def test_a_delegate_cannot_submit_for_the_requester(people):
    today = timezone.localdate()
    Delegation.objects.create(
        principal=people.requester,
        delegate=people.colleague,
        capacity=Capacity.ON_BEHALF,
        starts_on=today,
        ends_on=today,
    )
    req = make_request(people, State.DRAFT)
    with pytest.raises(errors.NotAllowed):
        act(req, people.colleague, "submit")


def test_decisions_are_append_only(people):
    req = make_request(people, State.SUBMITTED)
    decision = req.decisions.last()
    decision.comment = "rewritten"
    with pytest.raises(TypeError):
        decision.save()
    with pytest.raises(TypeError):
        decision.delete()
    with pytest.raises(TypeError):
        Decision.objects.filter(pk=decision.pk).update(comment="x")
    with pytest.raises(TypeError):
        Decision.objects.filter(pk=decision.pk).delete()


def test_the_next_actor_is_emailed_in_thai_after_commit(people, django_capture_on_commit_callbacks):
    req = make_request(people, State.DRAFT)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        act(req, people.requester, "submit")
    assert [m.to for m in mail.outbox] == [[people.group_director.email]]
    assert "รอการพิจารณา" in mail.outbox[0].subject
    assert req.publish_title in mail.outbox[0].body


def test_the_requester_is_told_about_a_return(people, django_capture_on_commit_callbacks):
    req = make_request(people, State.SUBMITTED)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        act(req, people.group_director, "review.return", comment="กรุณาแนบภาพเพิ่ม")
    recipients = [m.to[0] for m in mail.outbox]
    assert people.requester.email in recipients
    message = next(m for m in mail.outbox if m.to == [people.requester.email])
    assert "กรุณาแนบภาพเพิ่ม" in message.body


def test_no_mail_leaves_before_commit(people, django_capture_on_commit_callbacks):
    req = make_request(people, State.DRAFT)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        act(req, people.requester, "submit")
    assert mail.outbox == []
    assert len(callbacks) == 1


def test_a_transition_takes_at_most_15_queries(people, django_assert_max_num_queries):
    req = make_request(people, State.RECOMMENDED)
    with django_assert_max_num_queries(15):
        act(req, people.director, "director.allow", expected_state=State.RECOMMENDED)


def test_submission_takes_at_most_15_queries(people, django_assert_max_num_queries):
    req = make_request(people, State.DRAFT)
    with django_assert_max_num_queries(15):
        act(req, people.requester, "submit")


def test_edits_are_recorded_in_the_history(people):
    from requests.services import request_update

    req = make_request(people, State.DRAFT)
    request_update(req=req, user=people.requester, data={"publish_title": "เรื่องใหม่"})
    request_update(req=req, user=people.requester, data={"publish_title": "เรื่องใหม่"})
    edits = req.events.filter(action="edit")
    assert edits.count() == 1
    assert edits.get().details == {"fields": ["publish_title"]}


def test_a_batch_that_fails_half_way_leaves_no_files(people, settings, monkeypatch):
    from pathlib import Path

    from requests import services
    from tests.workflow import pdf_bytes, upload

    req = make_request(people, State.DRAFT)
    before = {p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()}
    real_save = services.Attachment.save
    calls = {"n": 0}

    def failing_save(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("disk full")
        return real_save(self, *args, **kwargs)

    monkeypatch.setattr(services.Attachment, "save", failing_save)
    with pytest.raises(RuntimeError):
        services.attachments_add(
            req=req,
            user=people.requester,
            files=[upload("a.pdf", pdf_bytes()), upload("b.pdf", pdf_bytes())],
        )
    after = {p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()}
    assert after == before
    assert req.attachments.count() == 1
