"""The queued work: one e-mail or one LINE push per task, retried with back-off when the other
side is busy or down. Tasks take plain values (ids, text) so they can wait in the database."""

from __future__ import annotations

import datetime as dt
import logging
import random
import smtplib

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone
from django_tasks import task

from notify import line
from notify.models import LineAccount, LineChannel

log = logging.getLogger(__name__)

EMAIL_ATTEMPTS = 5
FIRST_DELAY_SECONDS = 30
LONGEST_DELAY_SECONDS = 60 * 60


def backoff(attempt: int, retry_after: float | None = None) -> float:
    """Seconds before try ``attempt + 1``: what the server asked for, else doubling from 30 s
    (with a little jitter so a burst of refused pushes does not come back all at once)."""
    if retry_after is not None:
        return max(retry_after, 1.0)
    delay = min(FIRST_DELAY_SECONDS * 2 ** (attempt - 1), LONGEST_DELAY_SECONDS)
    return delay * random.uniform(1.0, 1.1)


def retry_later(queued_task, delay: float, *args, **kwargs) -> bool:
    """Enqueue ``queued_task`` again to run in ``delay`` seconds; False when the backend cannot
    defer (the immediate backend of tests and machines without a worker)."""
    if not queued_task.get_backend().supports_defer:
        log.warning("cannot retry %s later without a deferring task backend", queued_task.name)
        return False
    run_after = timezone.now() + dt.timedelta(seconds=delay)
    queued_task.using(run_after=run_after).enqueue(*args, **kwargs)
    return True


@task()
def send_email(subject: str, body: str, to: str, attempt: int = 1) -> str:
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to], fail_silently=False)
    except (smtplib.SMTPException, OSError) as error:
        if attempt >= EMAIL_ATTEMPTS:
            log.error("gave up e-mailing %s after %s attempts: %s", to, attempt, error)
            return "gave up"
        log.warning("e-mail to %s failed (attempt %s): %s", to, attempt, error)
        retry_later(send_email, backoff(attempt), subject, body, to, attempt + 1)
        return "retrying"
    return "sent"


@task()
def push_line(user_id: int, text: str, retry_key: str, attempt: int = 1) -> str:
    """Push ``text`` to the person's linked LINE. A person who unlinked meanwhile gets nothing."""
    account = LineAccount.objects.filter(user_id=user_id).first()
    if account is None:
        return "not linked"
    token = LineChannel.current().token
    if not token:
        log.warning("LINE is not set up (no channel access token); message to user %s", user_id)
        return "not configured"
    try:
        line.push(token=token, to=account.line_user_id, text=text, retry_key=retry_key)
    except line.RetryLater as error:
        if attempt >= settings.LINE_PUSH_ATTEMPTS:
            log.error("gave up pushing to user %s after %s attempts: %s", user_id, attempt, error)
            return "gave up"
        delay = backoff(attempt, error.retry_after)
        log.warning("LINE push to user %s: %s; again in %.0f s", user_id, error, delay)
        retry_later(push_line, delay, user_id, text, retry_key, attempt + 1)
        return "retrying"
    except line.PushError as error:
        log.error("LINE refused the push to user %s: %s", user_id, error)
        return "refused"
    return "sent"
