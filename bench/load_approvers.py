"""Twenty approvers acting at once on the same requests, through HTTP (not a test).

What it proves: under real concurrency (several gunicorn workers, PostgreSQL row locks, people
clicking on pages that are already stale) every decision is recorded exactly once, no request
skips or repeats a step, and nobody gets a server error. bench/check_consistency.py then checks
the database against what the clients saw.

Set-up, on a scratch PostgreSQL database (dropped at the end unless --keep-db):

- the demo office and people (``esa_publish.demo``, without its sample catalog);
- four people acting for each of the group director, the deputy and the director through
  delegations in force, and four more webmasters: 5 people per step, 20 approvers in all;
- 100 requests of staff1 waiting at every step (submitted, reviewed, recommended, approved),
  built by the real services, each with the webmaster's publication plan already made so that
  "publish" can succeed whenever a request reaches that step.

Then gunicorn runs with the production settings on a loopback port, and for 60 s each approver
(a thread with its own session, signed in through the login form) repeatedly opens its pending
work page, picks one of the three oldest requests (so the five people of a step collide on the
same ones), opens the request page for the CSRF token and the action buttons, and presses one:
mostly allow/forward/publish, sometimes send back, rarely deny, with the state the page showed
as ``expected_state``, exactly as the browser form sends it. Two more sessions of the requester
resubmit what was sent back, so work keeps flowing. Each POST's outcome is read from the message
on the page it redirects to: done, already decided by someone else, or refused as incomplete.

    .venv/bin/python bench/load_approvers.py [--seconds 60] [--keep-db]

Exit status 1 on any server error or any inconsistency found by check_consistency.py.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import random
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

from load_pages import (  # noqa: E402  (bench/ is not a package)
    PYTHON,
    ROOT,
    free_port,
    gunicorn,
    log,
    machine_load,
    manage,
    prepare_static,
    production_env,
    run_python,
    scratch_database,
)

PER_STATE = {"submitted": 30, "reviewed": 25, "recommended": 25, "approved": 20}
HOT = 3  # each approver picks among the oldest few waiting requests, so they collide
REQUESTER_SESSIONS = 2
LOGINS_AT_ONCE = 3
COMMENT = "ทดสอบภาระงานพร้อมกัน กรุณาแก้ไขรายละเอียด"

SETUP_CODE = r"""
import datetime as dt, json
from types import SimpleNamespace
from django.contrib.auth.models import Group
from django.utils import timezone
from approvals.models import Capacity, Delegation
from esa_publish import demo
from esa_publish.office import roles
from esa_publish.office.models import Unit, User
from tests.workflow import make_request

per_state = json.loads(__PER_STATE__)
demo.EXTRA_SEEDERS.clear()  # the people only: the requests come next
people = demo.seed(lambda _: None)
staff = people["staff1"]
unit = Unit.objects.get(pk=staff.unit_id)  # seed() sets directors with update()
today = timezone.localdate()
cast = SimpleNamespace(
    requester=staff,
    group_director=unit.director,
    deputy=unit.deputy,
    director=people["director"],
    webmaster=people["webmaster"],
)

def new_user(username, role=None):
    user = User.objects.create(username=username, first_name=username, last_name="ทดสอบภาระ")
    user.set_password(demo.DEMO_PASSWORD)
    user.save()
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user

approvers = []
for step, principal in (
    ("review", cast.group_director), ("deputy", cast.deputy), ("director", cast.director)
):
    approvers.append({"username": principal.username, "step": step})
    for n in range(1, 5):
        delegate = new_user(f"{step}_for_{n}", roles.STAFF)
        Delegation.objects.create(
            principal=principal, delegate=delegate, capacity=Capacity.ON_BEHALF,
            starts_on=today - dt.timedelta(days=1), ends_on=today + dt.timedelta(days=30),
            reference=f"คำสั่งทดสอบภาระงาน {n}",
        )
        approvers.append({"username": delegate.username, "step": step})
approvers.append({"username": cast.webmaster.username, "step": "webmaster"})
for n in range(2, 6):
    approvers.append({"username": new_user(f"webmaster{n}", roles.WEBMASTER).username,
                      "step": "webmaster"})

made = []
for state, count in per_state.items():
    for n in range(count):
        req = make_request(cast, state, title=f"คำขอทดสอบภาระงาน {state} {n + 1}")
        made.append(req.pk)
print(json.dumps({
    "password": demo.DEMO_PASSWORD,
    "requester": staff.username,
    "approvers": approvers,
    "requests": made,
}))
"""


# --- a browser-like HTTP session -------------------------------------------------------------


@dataclass
class Session:
    port: int
    cookies: dict[str, str] = field(default_factory=dict)
    statuses: Counter = field(default_factory=Counter)

    def request(self, method: str, path: str, data: dict | list | None = None):
        headers = {"X-Forwarded-Proto": "https", "Accept-Language": "th"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urlencode(data)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"https://127.0.0.1:{self.port}{path}"
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            text = response.read().decode("utf-8", "replace")
        finally:
            conn.close()
        self.statuses[response.status] += 1
        for line in response.headers.get_all("Set-Cookie") or []:
            jar = SimpleCookie()
            jar.load(line)
            for name, morsel in jar.items():
                if morsel.value and morsel["max-age"] != "0":
                    self.cookies[name] = morsel.value
                else:
                    self.cookies.pop(name, None)
        return response.status, response.headers, text

    def login(self, username: str, password: str) -> None:
        _, _, page = self.request("GET", "/accounts/login/")
        status, _, _ = self.request(
            "POST",
            "/accounts/login/",
            {"csrfmiddlewaretoken": csrf(page), "username": username, "password": password},
        )
        if status != 302:
            raise SystemExit(f"{username} could not sign in ({status})")


def csrf(page: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


ACTION_FORM = re.compile(r'<form method="post" action="/work/(\d+)/act/".*?</form>', re.S)


def action_forms(page: str) -> list[dict]:
    forms = []
    for match in ACTION_FORM.finditer(page):
        block = match.group(0)
        forms.append(
            {
                "csrfmiddlewaretoken": csrf(block),
                "action": re.search(r'name="action" value="([^"]+)"', block).group(1),
                "expected_state": re.search(r'name="expected_state" value="([^"]*)"', block).group(
                    1
                ),
            }
        )
    return forms


class FormFields(HTMLParser):
    """The values a browser would submit from the first ``<form>`` whose class has ``css``:
    inputs, checked boxes and radios, textareas and selected options; no buttons."""

    def __init__(self, css: str):
        super().__init__(convert_charrefs=True)
        self.css = css
        self.inside = False
        self.done = False
        self.fields: list[tuple[str, str]] = []
        self._textarea: str | None = None
        self._select: str | None = None
        self._select_first: str | None = None
        self._selected = False

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and not self.done and self.css in a.get("class", "").split():
            self.inside = True
        if not self.inside:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind in ("submit", "button", "image", "file", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self.fields.append((name, a.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "textarea" and name:
            self._textarea = name
            self.fields.append((name, ""))
        elif tag == "select" and name:
            self._select, self._select_first, self._selected = name, None, False
        elif tag == "option" and self._select:
            value = a.get("value", "")
            if self._select_first is None:
                self._select_first = value
            if "selected" in a:
                self.fields.append((self._select, value))
                self._selected = True

    def handle_data(self, data):
        if self._textarea is not None:
            name, text = self.fields[-1]
            self.fields[-1] = (name, text + data)

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select" and self._select:
            if not self._selected and self._select_first is not None:
                self.fields.append((self._select, self._select_first))
            self._select = None
        elif tag == "form" and self.inside:
            self.inside, self.done = False, True


def form_fields(page: str, css: str) -> list[tuple[str, str]]:
    parser = FormFields(css)
    parser.feed(page)
    return parser.fields


def outcome(page: str) -> str:
    """What the message on the page says happened; two different kinds of message at once
    would mean one was left over from another page, so that is reported, not guessed."""
    kinds = set(re.findall(r'class="message (success|warning|error|info)"', page))
    if len(kinds) > 1:
        return "ambiguous"
    if "success" in kinds:
        return "done"
    if "warning" in kinds:
        return "already decided"
    if "error" in kinds:
        return "incomplete"
    return "no message"


# Choosing like people would: mostly yes, sometimes back for corrections, rarely no.
WEIGHTS = {
    "review.forward": 85,
    "review.return": 15,
    "deputy.allow": 80,
    "deputy.return": 12,
    "deputy.deny": 8,
    "director.allow": 80,
    "director.return": 12,
    "director.deny": 8,
    "webmaster.publish": 85,
    "webmaster.return": 15,
    "submit": 100,
}
NEEDS_COMMENT = {a for a in WEIGHTS if a.endswith((".return", ".deny"))}


@dataclass
class Actor:
    name: str
    session: Session
    rng: random.Random
    log: list = field(default_factory=list)  # one entry per POST to /act/
    idle: int = 0
    login_error: str = ""

    def act_on(self, pk: int, allowed: set[str]) -> None:
        status, _, page = self.session.request("GET", f"/requests/{pk}/")
        if status != 200:
            self.log.append({"request": pk, "get_status": status})
            return
        forms = [f for f in action_forms(page) if f["action"] in allowed]
        if not forms:
            self.idle += 1
            return
        form = self.rng.choices(forms, weights=[WEIGHTS[f["action"]] for f in forms])[0]
        if form["action"] == "webmaster.publish":
            self.save_plan(pk)
        data = {**form, "comment": COMMENT if form["action"] in NEEDS_COMMENT else ""}
        posted_at = time.time()
        status, headers, _ = self.session.request("POST", f"/work/{pk}/act/", data)
        entry = {
            "request": pk,
            "actor": self.name,
            "action": form["action"],
            "expected_state": form["expected_state"],
            "status": status,
            "at": posted_at,
        }
        if status == 302:
            follow_status, after = self.follow(headers)
            entry["outcome"] = outcome(after) if follow_status == 200 else "unknown"
            entry["follow_status"] = follow_status
        else:
            entry["outcome"] = f"http {status}"
        self.log.append(entry)

    def save_plan(self, pk: int) -> None:
        """What a webmaster does first on the publishing page: check and save the plan as the
        page proposes it (all files and photos the requester marked public)."""
        status, _, page = self.session.request("GET", f"/publishing/{pk}/")
        if status != 200:
            return
        fields = form_fields(page, "plan-form")
        if not fields:
            return
        status, headers, _ = self.session.request(
            "POST", f"/publishing/{pk}/", [*fields, ("intent", "check")]
        )
        if status == 302:  # show the page it leads to, so its message is not left for later
            self.follow(headers)

    def follow(self, headers) -> tuple[int, str]:
        """Follow redirects as a browser does, to the page that finally shows the messages. (A
        plan saved just as another webmaster published leads to the plan page, which redirects
        again with its own message; stopping after one hop left that message for a later page.)
        """
        status = 302
        page = ""
        for _ in range(5):
            if status != 302:
                break
            target = urlsplit(headers.get("Location", "")).path
            status, headers, page = self.session.request("GET", target)
        return status, page


ROW = re.compile(r"<tr\b.*?</tr>", re.S)


def approver_loop(actor: Actor, deadline: float) -> None:
    allowed = {a for a in WEIGHTS if a != "submit"}
    while time.monotonic() < deadline:
        status, _, page = actor.session.request("GET", "/work/")
        waiting = [] if status != 200 else re.findall(r'href="/requests/(\d+)/"', page)
        waiting = list(dict.fromkeys(int(pk) for pk in waiting))
        if not waiting:
            actor.idle += 1
            time.sleep(0.5)
            continue
        actor.act_on(actor.rng.choice(waiting[:HOT]), allowed)


def requester_loop(actor: Actor, deadline: float) -> None:
    while time.monotonic() < deadline:
        status, _, page = actor.session.request("GET", "/requests/")
        returned = [
            int(m.group(1))
            for row in ROW.findall(page)
            if "state-returned" in row and (m := re.search(r'href="/requests/(\d+)/"', row))
        ]
        if status != 200 or not returned:
            actor.idle += 1
            time.sleep(0.5)
            continue
        actor.act_on(actor.rng.choice(returned[:HOT]), {"submit"})


def run_load(port: int, setup: dict, seconds: float) -> tuple[list[Actor], float, float]:
    """Sign everyone in first (a few at a time: each login hashes a password on purpose, slowly),
    then let them all loose for ``seconds``; returns the actors, the wall-clock start and the
    seconds it really took."""
    people = [(p["username"], p["username"], approver_loop) for p in setup["approvers"]]
    people += [
        (setup["requester"], f"{setup['requester']}#{n + 1}", requester_loop)
        for n in range(REQUESTER_SESSIONS)
    ]
    actors = [Actor(name, Session(port), random.Random(n)) for n, (_, name, _) in enumerate(people)]

    def sign_in(pair) -> None:
        actor, username = pair
        try:
            actor.session.login(username, setup["password"])
        except (SystemExit, OSError) as exc:
            actor.login_error = str(exc)

    with ThreadPoolExecutor(max_workers=LOGINS_AT_ONCE) as pool:
        pairs = [(a, username) for a, (username, _, _) in zip(actors, people, strict=True)]
        list(pool.map(sign_in, pairs))
    for actor in actors:
        actor.session.statuses.clear()  # count the load only

    started, begin = time.time(), time.monotonic()
    deadline = begin + seconds
    threads = [
        threading.Thread(target=loop, args=(actor, deadline))
        for actor, (_, _, loop) in zip(actors, people, strict=True)
        if not actor.login_error
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return actors, started, time.monotonic() - begin


def summarise(actors: list[Actor], started: float, seconds: float) -> dict:
    statuses = Counter()
    outcomes = Counter()
    by_action = Counter()
    for actor in actors:
        statuses.update(actor.session.statuses)
        for entry in actor.log:
            if "outcome" in entry:
                outcomes[entry["outcome"]] += 1
                if entry["outcome"] == "done":
                    by_action[entry["action"]] += 1
    posts = sum(outcomes.values())
    return {
        "actors": len(actors),
        "seconds": seconds,
        "http_requests": sum(statuses.values()),
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "server_errors": sum(v for k, v in statuses.items() if k >= 500),
        "login_errors": [f"{a.name}: {a.login_error}" for a in actors if a.login_error],
        "action_posts": posts,
        "action_posts_per_second": round(posts / seconds, 1),
        "outcomes": dict(outcomes),
        "decisions_by_action": dict(by_action),
        "started": dt.datetime.fromtimestamp(started, dt.UTC).isoformat(),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--keep-db", action="store_true", help="do not drop the scratch database")
    args = parser.parse_args()

    with (
        tempfile.TemporaryDirectory(prefix="esa-approvers-") as tmp,
        scratch_database("esa_load_approvers", keep=args.keep_db) as database_url,
    ):
        tmp = Path(tmp)
        env = production_env(database_url, tmp / "media")
        log("migrate")
        manage(env, "migrate", "--noinput", "-v0")
        log(f"people, delegations and {sum(PER_STATE.values())} requests waiting at every step")
        code = SETUP_CODE.replace("__PER_STATE__", repr(json.dumps(PER_STATE)))
        setup_out = run_python(env, code)
        setup = json.loads(setup_out.strip().splitlines()[-1])
        prepare_static(env)
        port = free_port()
        env["GUNICORN_BIND"] = f"127.0.0.1:{port}"
        with gunicorn(env, port, tmp / "gunicorn.log"):
            before = machine_load()
            log(f"{len(setup['approvers'])} approvers for {args.seconds:.0f} s ({before})")
            actors, started, elapsed = run_load(port, setup, args.seconds)
        server_log = (tmp / "gunicorn.log").read_text()
        summary = summarise(actors, started, elapsed)
        summary.update(load_before=before, load_after=machine_load())
        client_log = tmp / "client.json"
        client_log.write_text(
            json.dumps({"started": started, "posts": [e for a in actors for e in a.log]})
        )
        log("checking the database against what the clients saw")
        check = subprocess.run(
            [
                str(PYTHON),
                str(ROOT / "bench" / "check_consistency.py"),
                "--client-log",
                str(client_log),
            ],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
    print(json.dumps(summary, ensure_ascii=False, indent=2))
    print(check.stdout, end="")
    if check.stderr:
        print(check.stderr[-3000:], file=sys.stderr)
    tracebacks = server_log.count("Traceback")
    if tracebacks:
        log(f"{tracebacks} traceback(s) in the server log:\n{server_log[-3000:]}")
    failed = summary["server_errors"] or summary["login_errors"] or tracebacks or check.returncode
    log("FAILED" if failed else "no server errors, database consistent")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
