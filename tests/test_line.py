"""LINE: linking with a one-time code through the signed webhook, pushes for the same events
as e-mail against a local stand-in of the Messaging API, retries, preferences and digests."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import logging

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from approvals.digest import send_digests
from approvals.services import request_act
from notify import line
from notify.linking import link_code_create
from notify.models import Channel, DigestSent, Frequency, LineAccount, LineChannel, Preference
from requests.states import State
from tests.line_standin import LineStandIn
from tests.workflow import make_request

pytestmark = pytest.mark.django_db

SECRET = "standin-channel-secret"
WEBHOOK = "/notifications/line/webhook/"


def signed(body: dict, secret: str = SECRET) -> tuple[bytes, str]:
    """A webhook body and its X-Line-Signature, computed as LINE documents it."""
    raw = json.dumps(body, ensure_ascii=False).encode()
    sig = base64.b64encode(hmac.new(secret.encode(), raw, hashlib.sha256).digest()).decode()
    return raw, sig


def post_webhook(client, body: dict, signature: str | None = None, secret: str = SECRET):
    raw, good = signed(body, secret)
    headers = {} if signature == "" else {"HTTP_X_LINE_SIGNATURE": signature or good}
    return client.post(WEBHOOK, raw, content_type="application/json", **headers)


def text_event(line_user_id: str, text: str) -> dict:
    return {
        "destination": "Uoa",
        "events": [
            {
                "type": "message",
                "mode": "active",
                "timestamp": 1700000000000,
                "source": {"type": "user", "userId": line_user_id},
                "replyToken": "r",
                "message": {"id": "1", "type": "text", "text": text},
            }
        ],
    }


def link(user, line_user_id: str) -> LineAccount:
    return LineAccount.objects.create(user=user, line_user_id=line_user_id)


def act(req, user, action, comment=""):
    return request_act(request_id=req.pk, user=user, action=action, comment=comment)


# --- the webhook ---------------------------------------------------------------------------


def test_our_signature_is_lines_algorithm():
    raw, sig = signed({"events": []})
    assert line.signature(SECRET, raw) == sig
    assert line.signature_is_valid(SECRET, raw, sig)
    assert not line.signature_is_valid(SECRET, raw + b" ", sig)
    assert not line.signature_is_valid("other", raw, sig)


def test_a_message_with_the_code_links_the_account(
    client, people, line_api, django_capture_on_commit_callbacks
):
    code, _ = link_code_create(user=people.requester)
    with django_capture_on_commit_callbacks(execute=True):
        response = post_webhook(client, text_event("U" + "a" * 32, f"รหัส {code.lower()}"))
    assert response.status_code == 200
    account = LineAccount.objects.get(user=people.requester)
    assert account.line_user_id == "U" + "a" * 32
    # The confirmation went out through the queue to the stand-in.
    assert "เรียบร้อยแล้ว" in line_api.texts_to("U" + "a" * 32)[0]


def test_a_code_works_once_and_not_after_it_expires(client, people, line_api):
    code, _ = link_code_create(user=people.requester)
    post_webhook(client, text_event("U1", code))
    LineAccount.objects.all().delete()
    post_webhook(client, text_event("U1", code))
    assert not LineAccount.objects.exists()
    code, _ = link_code_create(user=people.requester)
    people.requester.line_link_code.__class__.objects.update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    post_webhook(client, text_event("U1", code))
    assert not LineAccount.objects.exists()


def test_the_code_is_not_stored_in_clear(people):
    code, _ = link_code_create(user=people.requester)
    stored = people.requester.line_link_code.__class__.objects.get()
    assert code.replace("-", "") not in stored.digest and code not in stored.digest


@pytest.mark.parametrize(
    ("signature", "secret"),
    [("", SECRET), ("bm90IGEgc2lnbmF0dXJl", SECRET), (None, "a-guessed-secret")],
    ids=["missing", "garbage", "wrong-secret"],
)
def test_unsigned_or_badly_signed_calls_are_refused_and_logged(
    client, people, line_api, caplog, signature, secret
):
    code, _ = link_code_create(user=people.requester)
    with caplog.at_level(logging.WARNING, logger="esa_publish.security"):
        response = post_webhook(client, text_event("U1", code), signature, secret)
    assert response.status_code == 403
    assert not LineAccount.objects.exists()
    assert "LINE webhook refused" in caplog.text


def test_the_webhook_refuses_get_and_answers_lines_verification(client, line_api):
    assert client.get(WEBHOOK).status_code == 405
    assert post_webhook(client, {"destination": "Uoa", "events": []}).status_code == 200


def test_without_a_secret_nothing_is_accepted(client, people, settings):
    settings.LINE_CHANNEL_SECRET = ""
    response = post_webhook(client, {"events": []})
    assert response.status_code == 503


def test_unfollow_unlinks_and_follow_alone_links_nothing(client, people, line_api):
    link(people.requester, "U1")
    event = {"type": "unfollow", "source": {"type": "user", "userId": "U1"}, "timestamp": 1}
    assert post_webhook(client, {"events": [event]}).status_code == 200
    assert not LineAccount.objects.exists()
    event = {"type": "follow", "source": {"type": "user", "userId": "U1"}, "replyToken": "r"}
    assert post_webhook(client, {"events": [event]}).status_code == 200
    assert not LineAccount.objects.exists()


# --- the person's page -----------------------------------------------------------------------


def test_the_page_shows_a_code_and_qr_and_unlinks(client, people, line_api):
    LineChannel.objects.create(basic_id="@esa-test")
    client.force_login(people.requester)
    response = client.post(reverse("notify:line_code"))
    assert response.status_code == 302
    page = client.get(reverse("notify:settings")).content.decode()
    assert "data:image/svg+xml" in page
    assert "https://line.me/R/oaMessage/%40esa-test/?" in page
    code = client.session["notify_link_code"]["code"]
    assert code in page
    post_webhook(client, text_event("U9", code))
    page = client.get(reverse("notify:settings")).content.decode()
    assert "เชื่อมบัญชี LINE แล้ว" in page
    client.post(reverse("notify:line_unlink"))
    assert not LineAccount.objects.filter(user=people.requester).exists()


def test_the_page_needs_a_login_and_post_for_changes(client, people):
    assert client.get(reverse("notify:settings")).status_code == 302
    client.force_login(people.requester)
    assert client.get(reverse("notify:line_unlink")).status_code == 405
    assert client.get(reverse("notify:line_code")).status_code == 405


def test_the_admin_never_shows_the_secret_or_token_back(client, people):
    channel = LineChannel.objects.create(
        basic_id="@x", channel_secret="s3cr3t-value", access_token="t0ken-value"
    )
    people.director.is_staff = people.director.is_superuser = True
    people.director.save()
    client.force_login(people.director)
    url = reverse("admin:notify_linechannel_change", args=[channel.pk])
    page = client.get(url).content.decode()
    assert "s3cr3t-value" not in page and "t0ken-value" not in page
    # Saving with the fields left blank keeps the stored values.
    client.post(url, {"basic_id": "@y", "channel_secret": "", "access_token": ""})
    channel.refresh_from_db()
    assert (channel.basic_id, channel.channel_secret, channel.access_token) == (
        "@y",
        "s3cr3t-value",
        "t0ken-value",
    )


# --- pushes for the same events as e-mail ----------------------------------------------------


def test_whose_turn_it_is_reaches_line_and_email(
    people, line_api, django_capture_on_commit_callbacks
):
    link(people.group_director, "Ugroupdir")
    req = make_request(people, State.DRAFT)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        act(req, people.requester, "submit")
    [text] = line_api.texts_to("Ugroupdir")
    assert "ถึงคราวท่านพิจารณา" in text and req.publish_title in text
    assert f"/requests/{req.pk}/" in text
    assert [m.to for m in mail.outbox] == [[people.group_director.email]]


def test_a_return_tells_the_requester_the_reason(
    people, line_api, django_capture_on_commit_callbacks
):
    link(people.requester, "Ureq")
    req = make_request(people, State.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True):
        act(req, people.group_director, "review.return", comment="กรุณาแนบภาพเพิ่ม")
    [text] = line_api.texts_to("Ureq")
    assert "ส่งกลับให้แก้ไข" in text and "เหตุผล: กรุณาแนบภาพเพิ่ม" in text


def test_refused_and_published_reach_the_requester(
    people, line_api, django_capture_on_commit_callbacks
):
    link(people.requester, "Ureq")
    with django_capture_on_commit_callbacks(execute=True):
        make_request(people, State.REJECTED)
        make_request(people, State.PUBLISHED)
    texts = line_api.texts_to("Ureq")
    assert any("ไม่ได้รับอนุญาต" in t for t in texts)
    assert any("เผยแพร่บนเว็บไซต์แล้ว" in t for t in texts)


def test_overdue_work_reaches_line(people, line_api):
    from approvals.reminders import send_reminders
    from requests.models import PublicationRequest

    link(people.group_director, "Ugroupdir")
    req = make_request(people, State.SUBMITTED)
    PublicationRequest.objects.filter(pk=req.pk).update(due_on=dt.date(2026, 1, 5))
    send_reminders(day=dt.date(2026, 1, 7))
    assert any("เกินกำหนด 2 วัน" in t for t in line_api.texts_to("Ugroupdir"))


def without_email(*users) -> None:
    for user in users:
        type(user).objects.filter(pk=user.pk).update(email="")
        user.email = ""


def test_people_with_line_and_no_email_address_are_told_every_event(
    people, line_api, django_capture_on_commit_callbacks
):
    without_email(people.group_director, people.requester)
    link(people.group_director, "Ugroupdir")
    link(people.requester, "Ureq")
    req = make_request(people, State.DRAFT)
    with django_capture_on_commit_callbacks(execute=True):
        act(req, people.requester, "submit")
    assert any("ถึงคราวท่านพิจารณา" in t for t in line_api.texts_to("Ugroupdir"))
    with django_capture_on_commit_callbacks(execute=True):
        act(req, people.group_director, "review.return", comment="แนบภาพเพิ่ม")
    assert any("เหตุผล: แนบภาพเพิ่ม" in t for t in line_api.texts_to("Ureq"))


def test_a_send_back_reaches_an_earlier_reviewer_with_line_only(
    people, line_api, django_capture_on_commit_callbacks
):
    without_email(people.group_director)
    link(people.group_director, "Ugroupdir")
    req = make_request(people, State.REVIEWED)
    with django_capture_on_commit_callbacks(execute=True):
        act(req, people.deputy, "deputy.return", comment="ขอรายละเอียดงบประมาณ")
    assert any("ขอรายละเอียดงบประมาณ" in t for t in line_api.texts_to("Ugroupdir"))


def test_overdue_work_reaches_someone_with_line_only_and_nobody_is_counted_twice(people, line_api):
    from approvals.reminders import send_reminders
    from requests.models import PublicationRequest

    without_email(people.group_director)
    link(people.group_director, "Ugroupdir")
    req = make_request(people, State.SUBMITTED)
    PublicationRequest.objects.filter(pk=req.pk).update(due_on=dt.date(2026, 1, 5))
    assert send_reminders(day=dt.date(2026, 1, 7)) == 1
    assert any("เกินกำหนด 2 วัน" in t for t in line_api.texts_to("Ugroupdir"))
    assert send_reminders(day=dt.date(2026, 1, 7)) == 0


def test_line_failing_does_not_stop_email(
    people, line_api, settings, django_capture_on_commit_callbacks
):
    settings.LINE_CHANNEL_ACCESS_TOKEN = "a-revoked-token"
    link(people.group_director, "Ugroupdir")
    req = make_request(people, State.DRAFT)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        act(req, people.requester, "submit")
    assert line_api.refused == [(401, "token")]
    assert [m.to for m in mail.outbox] == [[people.group_director.email]]


def test_an_unreachable_line_does_not_stop_email(
    people, settings, django_capture_on_commit_callbacks
):
    settings.LINE_CHANNEL_ACCESS_TOKEN = "token"
    settings.LINE_API_BASE_URL = "http://127.0.0.1:9"
    link(people.group_director, "Ugroupdir")
    req = make_request(people, State.DRAFT)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        act(req, people.requester, "submit")
    assert [m.to for m in mail.outbox] == [[people.group_director.email]]


# --- the stand-in's checks, the retries -----------------------------------------------------


def test_long_text_is_cut_into_messages_line_accepts(line_api):
    text = "\n".join(f"{i}. " + "ก" * 300 for i in range(100))  # ~30,000 characters
    line.push(token=line_api.token, to="U1", text=text, retry_key="k1")
    [payload] = line_api.received
    assert len(payload["messages"]) == 5
    assert all(len(m["text"]) <= 5000 for m in payload["messages"])


def test_the_standin_refuses_what_line_refuses(line_api):
    with pytest.raises(line.PushError) as error:
        line.push(token="wrong", to="U1", text="x", retry_key="k")
    assert error.value.status == 401
    assert line_api.problem({"to": "U1", "messages": [{"type": "text", "text": "x" * 5001}]})
    assert line_api.problem({"to": "U1", "messages": [{"type": "text", "text": "x"}] * 6})
    assert line_api.problem({"to": "U1", "messages": [{"type": "image"}]})
    assert line_api.problem({"messages": [{"type": "text", "text": "x"}]})


def test_a_retried_push_with_the_same_key_counts_once(line_api):
    line.push(token=line_api.token, to="U1", text="x", retry_key="same")
    line.push(token=line_api.token, to="U1", text="x", retry_key="same")
    assert len(line_api.received) == 1


def run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


@pytest.mark.django_db(transaction=True)  # the worker closes connections (test_task_queue.py)
@pytest.mark.parametrize(("status", "retry_after"), [(429, "7"), (503, None)])
def test_busy_line_is_retried_later_honouring_retry_after(
    people, line_api, settings, status, retry_after, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    link(people.group_director, "Ugroupdir")
    Preference.objects.create(user=people.group_director, channel=Channel.EMAIL, frequency="off")
    req = make_request(people, State.DRAFT)
    DBTaskResult.objects.all().delete()
    line_api.answer_busy(1, status=status, retry_after=retry_after)
    with django_capture_on_commit_callbacks(execute=True):
        act(req, people.requester, "submit")
    before = timezone.now()
    run_worker()
    assert line_api.received == []
    retry = DBTaskResult.objects.get(status="READY")
    wait = (retry.run_after - before).total_seconds()
    if retry_after:
        assert 6 <= wait <= 8
    else:
        assert 29 <= wait <= 34  # the first back-off step
    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())
    run_worker()
    assert len(line_api.texts_to("Ugroupdir")) == 1


@pytest.mark.django_db(transaction=True)
def test_a_push_gives_up_after_the_last_attempt(people, line_api, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.LINE_PUSH_ATTEMPTS = 2
    link(people.requester, "Ureq")
    from notify.tasks import push_line

    line_api.answer_busy(5, status=500)
    push_line.enqueue(people.requester.pk, "x", "key")
    run_worker()
    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())
    run_worker()
    assert not DBTaskResult.objects.filter(status="READY").exists()
    assert line_api.received == []


# --- preferences and the digest --------------------------------------------------------------


def test_each_channel_follows_the_persons_choice(
    people, line_api, django_capture_on_commit_callbacks
):
    link(people.group_director, "Ugroupdir")
    Preference.objects.create(user=people.group_director, channel=Channel.EMAIL, frequency="off")
    req = make_request(people, State.DRAFT)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        act(req, people.requester, "submit")
    assert mail.outbox == []
    assert len(line_api.texts_to("Ugroupdir")) == 1


def test_directors_get_the_digest_by_default(people, line_api, django_capture_on_commit_callbacks):
    link(people.director, "Udirector")
    with django_capture_on_commit_callbacks(execute=True):
        first = make_request(people, State.RECOMMENDED)
        second = make_request(people, State.RECOMMENDED)
    assert line_api.texts_to("Udirector") == []
    assert not [m for m in mail.outbox if m.to == [people.director.email]]
    mail.outbox.clear()
    assert send_digests() == 2  # e-mail and LINE
    [text] = line_api.texts_to("Udirector")
    assert "สรุปงานรอพิจารณา 2 เรื่อง" in text
    assert first.publish_title in text and second.publish_title in text
    assert "(รอ 0 วัน)" in text
    [message] = mail.outbox
    assert message.to == [people.director.email]
    assert send_digests() == 0  # once a day
    assert DigestSent.objects.count() == 2


def test_a_director_may_choose_each_event(people, line_api, django_capture_on_commit_callbacks):
    link(people.director, "Udirector")
    Preference.objects.create(user=people.director, channel=Channel.LINE, frequency=Frequency.EACH)
    with django_capture_on_commit_callbacks(execute=True):
        make_request(people, State.RECOMMENDED)
    assert len(line_api.texts_to("Udirector")) == 1


def test_the_preferences_form_saves_both_channels(client, people):
    client.force_login(people.director)
    page = client.get(reverse("notify:settings")).content.decode()
    assert 'value="digest" selected' in page
    client.post(reverse("notify:settings"), {"email": "each", "line": "off"})
    saved = dict(
        Preference.objects.filter(user=people.director).values_list("channel", "frequency")
    )
    assert saved == {"email": "each", "line": "off"}


def test_a_second_standin_token_is_refused(people):
    standin = LineStandIn(token="another").start()
    try:
        assert standin.problem({"to": "U", "messages": [{"type": "text", "text": "ok"}]}) is None
    finally:
        standin.stop()
