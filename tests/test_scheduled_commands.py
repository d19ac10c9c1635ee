"""Scheduled commands are safe when two runs overlap (two machines, or a slow run and the next).

``send_reminders`` is started twice at the same moment, as two separate processes against one
database (a SQLite file or a scratch PostgreSQL database), each with its own mail folder. Every
overdue request's holder must get exactly one reminder between them: one Reminder row and one
message, whichever process sent it. A third run the same day sends nothing.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.instances import ROOT, clean_env, manage, python, scratch_database

pytestmark = pytest.mark.django_db(transaction=True)

POPULATE = """
import datetime as dt, json
from django.conf import settings
settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
from approvals.notifications import holders
from requests.models import PublicationRequest
from requests.states import State
from tests.factories import OfficeFactory, make_people
from tests.workflow import make_request

OfficeFactory()
people = make_people()
# Directors default to the daily digest; here every holder is reminded by e-mail at once.
from notify.models import Preference
Preference.objects.create(user=people.director, channel="email", frequency="each")
states = [State.SUBMITTED, State.REVIEWED, State.RECOMMENDED, State.APPROVED]
made = [make_request(people, state) for state in states * 4]
make_request(people, State.DRAFT)  # never reminded: nobody holds a draft but its author
PublicationRequest.objects.filter(pk__in=[r.pk for r in made]).update(
    due_on=dt.date.today() - dt.timedelta(days=3)
)
pairs = [[r.pk, p.pk] for r in made for p in holders(r) if p.email]
print(json.dumps(pairs))
"""

RUN_AT = """
import sys, time
from django.core.management import call_command
time.sleep(max(0.0, float(sys.argv[1]) - time.time()))
call_command("send_reminders")
"""

COUNT = """
import json
from approvals.models import Reminder
rows = list(Reminder.objects.values_list("request_id", "recipient_id", "sent_on"))
print(json.dumps([[r, p] for r, p, _ in rows]))
"""


def messages_in(folder: Path) -> int:
    """Messages written by Django's file e-mail backend (one Message-ID header each)."""
    if not folder.exists():
        return 0
    return sum(
        line.startswith("Message-ID:")
        for path in folder.iterdir()
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines()
    )


def sent_count(stdout: str) -> int:
    return int(stdout.strip().split()[0])


def test_send_reminders_twice_at_once_sends_each_reminder_once(tmp_path):
    with scratch_database(tmp_path) as url:
        # Reminders leave through the task queue; sent inside each run here, so each run's
        # e-mail lands in its own folder and can be counted.
        base = {
            "DATABASE_URL": url,
            "MEDIA_ROOT": str(tmp_path / "media"),
            "TASKS_BACKEND": "immediate",
        }
        migrated = manage(clean_env(**base), "migrate", "--noinput", "-v0")
        assert migrated.returncode == 0, migrated.stderr
        populated = python(clean_env(EMAIL_URL="locmem://", **base), POPULATE)
        assert populated.returncode == 0, populated.stderr
        expected = sorted(map(tuple, json.loads(populated.stdout.strip().splitlines()[-1])))
        assert len(expected) >= 16

        start = str(time.time() + 4)  # long enough for both interpreters to load Django
        mail = [tmp_path / "mail-a", tmp_path / "mail-b"]
        runs = [
            subprocess.Popen(
                [sys.executable, "-c", "import django\ndjango.setup()\n" + RUN_AT, start],
                cwd=ROOT,
                env=clean_env(EMAIL_URL=f"file://{folder}", **base),
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for folder in mail
        ]
        outputs = []
        for run in runs:
            out, err = run.communicate(timeout=180)
            assert run.returncode == 0, err
            outputs.append(out)

        rows = python(clean_env(**base), COUNT)
        assert rows.returncode == 0, rows.stderr
        reminded = sorted(map(tuple, json.loads(rows.stdout)))
        assert reminded == expected  # each holder of each overdue request, once
        assert sum(sent_count(out) for out in outputs) == len(expected)
        assert sum(messages_in(folder) for folder in mail) == len(expected)

        again = manage(
            clean_env(EMAIL_URL=f"file://{tmp_path / 'mail-c'}", **base), "send_reminders"
        )
        assert again.returncode == 0, again.stderr
        assert sent_count(again.stdout) == 0
        assert messages_in(tmp_path / "mail-c") == 0
