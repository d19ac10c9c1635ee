"""Notifications and the PR unit's files: a burst of 500 notifications, the LINE webhook, the
share image and the poster.

Builds a throw-away database (SQLite file in /tmp, or the PostgreSQL server named by
BENCH_DATABASE_URL, which is emptied first) and a local stand-in of the LINE API
(tests/line_standin.py), then measures:

1. a burst of 500 notifications (500 people, each by e-mail and LINE: 1,000 queued tasks):
   the time to queue them, the time one ``db_worker`` process (a separate process, as in
   production) takes to send them all, and the notification settings page's time while the
   worker drains the queue, against the same page with the queue empty;
2. the LINE webhook through Django's test client: signed follow events and signed messages that
   link an account (a write and a queued confirmation);
3. the share image (1200×630, with a 2000×1500 cover) and the A4 poster PDF: the first render
   in the process (fonts, PyThaiNLP's dictionary) and warm renders.

    .venv/bin/python bench/notify_outreach.py
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/esa_bench \\
        .venv/bin/python bench/notify_outreach.py
    .venv/bin/python bench/notify_outreach.py renders     # only part 3 (or burst, webhook)

E-mail goes to Django's in-memory backend in the worker: the figure is the queue's and LINE's
cost, not an SMTP server's.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

PEOPLE = 500
ROOT = Path(__file__).resolve().parent.parent

db_dir = tempfile.mkdtemp(prefix="esa-bench-")
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{db_dir}/bench.sqlite3"
os.environ["DATABASE_URL"] = DATABASE_URL
os.environ["MEDIA_ROOT"] = db_dir
os.environ["TASKS_BACKEND"] = "database"
os.environ["LINE_CHANNEL_SECRET"] = "bench-secret"
os.environ["EMAIL_URL"] = "locmem://"
os.environ["LOG_LEVEL"] = "WARNING"  # one log line per request would be most of the output
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from tests.line_standin import TOKEN  # noqa: E402

# The stand-in runs in a process of its own, as LINE would: in this one it would wait for the
# GIL while the page loop below runs, and slow the worker down for nothing.
standin = subprocess.Popen(
    [
        sys.executable,
        "-c",
        "import time\nfrom tests.line_standin import LineStandIn\n"
        "s = LineStandIn().start()\nprint(s.base_url, flush=True)\ntime.sleep(3600)",
    ],
    cwd=ROOT,
    stdout=subprocess.PIPE,
    text=True,
)
os.environ["LINE_API_BASE_URL"] = standin.stdout.readline().strip()
os.environ["LINE_CHANNEL_ACCESS_TOKEN"] = TOKEN

from _measure import setup_django  # noqa: E402

setup_django()

from _measure import client_environment  # noqa: E402
from django.core.files.base import ContentFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_tasks_db.models import DBTaskResult  # noqa: E402
from PIL import Image  # noqa: E402

from catalog.models import CatalogItem, CatalogPhoto, Category  # noqa: E402
from esa_publish.office.models import Office, User  # noqa: E402
from notify.delivery import Notice, deliver  # noqa: E402
from notify.linking import link_code_create  # noqa: E402
from notify.models import LineAccount  # noqa: E402
from outreach import kit  # noqa: E402


def loadavg() -> str:
    return Path("/proc/loadavg").read_text().split(" ")[0]


def ms(values: list[float]) -> str:
    values = sorted(values)
    p = lambda q: values[min(len(values) - 1, int(q * len(values)))]  # noqa: E731
    return (
        f"p50 {statistics.median(values) * 1000:.1f} ms, p95 {p(0.95) * 1000:.1f} ms, "
        f"p99 {p(0.99) * 1000:.1f} ms, max {values[-1] * 1000:.1f} ms (n={len(values)})"
    )


def empty_database() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    call_command("migrate", verbosity=0)


def people() -> list[User]:
    User.objects.bulk_create(
        User(username=f"person{n}", email=f"person{n}@example.go.th", first_name=f"คน{n}")
        for n in range(PEOPLE)
    )
    users = list(User.objects.filter(username__startswith="person").order_by("pk"))
    LineAccount.objects.bulk_create(
        LineAccount(user=u, line_user_id=f"U{u.pk:032x}") for u in users
    )
    return users


def page_times(client: Client, url: str, *, until=None, count: int = 100) -> list[float]:
    times = []
    while True:
        start = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - start)
        assert response.status_code == 200, response.status_code
        if until is not None:
            if until():
                return times
        elif len(times) >= count:
            return times


def burst(users: list[User], viewer: User) -> None:
    client = Client()
    client.force_login(viewer)
    page = "/notifications/"
    page_times(client, page, count=20)  # warm
    before = page_times(client, page, count=100)
    print(f"  settings page, queue empty: {ms(before)}  [load {loadavg()}]")

    notices = [
        Notice(
            recipient=u,
            subject="[สพป.] คำขอเผยแพร่ข้อมูลรอการพิจารณา: ทดสอบ",
            body="เรียน ท่าน\n\nมีคำขอเผยแพร่ข้อมูลรอการพิจารณาของท่าน\n",
            line_text="ถึงคราวท่านพิจารณาคำขอเผยแพร่ข้อมูล\nhttps://publish.example.go.th/requests/1/",
        )
        for u in users
    ]
    start = time.perf_counter()
    queued = deliver(notices)
    queue_seconds = time.perf_counter() - start
    print(
        f"  queued {queued} tasks for {len(notices)} notifications in {queue_seconds:.2f} s "
        f"[load {loadavg()}]"
    )

    env = {**os.environ, "PYTHAINLP_READ_ONLY": "1"}
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--no-reload", "--interval", "0.1"]
        + ["--no-startup-delay", "-v0"],
        cwd=ROOT,
        env=env,
    )
    start = time.perf_counter()

    def drained() -> bool:
        return not DBTaskResult.objects.filter(status__in=["READY", "RUNNING"]).exists()

    try:
        during = page_times(client, page, until=drained)
        drain_seconds = time.perf_counter() - start
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    statuses = dict(DBTaskResult.objects.values_list("status").annotate(n=Count("pk")).order_by())
    pushed = sum(
        r.return_value == "sent"
        for r in DBTaskResult.objects.filter(task_path="notify.tasks.push_line")
    )
    print(
        f"  one worker sent them in {drain_seconds:.1f} s "
        f"({queued / drain_seconds:.0f} tasks/s, incl. its start-up); statuses {statuses}; "
        f"LINE pushes accepted by the stand-in: {pushed}  [load {loadavg()}]"
    )
    print(f"  settings page while draining: {ms(during)}")


def webhook_times() -> None:
    client = Client()
    secret = "bench-secret"

    def post(event: dict) -> float:
        body = json.dumps({"destination": "U", "events": [event]}).encode()
        sig = base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()
        start = time.perf_counter()
        response = client.post(
            "/notifications/line/webhook/",
            body,
            content_type="application/json",
            HTTP_X_LINE_SIGNATURE=sig,
        )
        elapsed = time.perf_counter() - start
        assert response.status_code == 200, response.status_code
        return elapsed

    follow = {"type": "follow", "source": {"type": "user", "userId": "Ufollow"}, "replyToken": "r"}
    for _ in range(20):
        post(follow)
    follows = [post(follow) for _ in range(300)]
    print(f"  webhook, follow event: {ms(follows)}  [load {loadavg()}]")
    linkers = list(User.objects.filter(username__startswith="person").order_by("pk")[:200])
    LineAccount.objects.filter(user__in=linkers).delete()
    codes = [link_code_create(user=u)[0] for u in linkers]
    links = [
        post(
            {
                "type": "message",
                "source": {"type": "user", "userId": f"Ulink{n:028d}"},
                "replyToken": "r",
                "message": {"id": str(n), "type": "text", "text": code},
            }
        )
        for n, code in enumerate(codes)
    ]
    assert LineAccount.objects.filter(user__in=linkers).count() == len(linkers)
    print(f"  webhook, message with a link code (links, queues a reply): {ms(links)}")


def item_with_cover() -> CatalogItem:
    Office.objects.create(
        name_th="สำนักงานเขตพื้นที่การศึกษาประถมศึกษาฉะเชิงเทรา เขต ๑",
        short_name="สพป.ฉะเชิงเทรา เขต ๑",
        doc_prefix="ศธ ๐๔๐๓๒",
    )
    category = Category.objects.order_by("pk").first()
    item = CatalogItem.objects.create(
        title="ประกาศสำนักงานเขตพื้นที่การศึกษาประถมศึกษาฉะเชิงเทรา เขต ๑ เรื่อง รายงานผลการ"
        "ดำเนินงานตามแผนปฏิบัติการประจำปีงบประมาณ พ.ศ. ๒๕๖๙ รอบ ๖ เดือน",
        slug="รายงานผล",
        summary="สรุปผลการดำเนินงานตามแผนปฏิบัติการประจำปี " * 12,
        category=category,
        fiscal_year=2569,
        published_at=timezone.now(),
    )
    photo = io.BytesIO()
    Image.effect_mandelbrot((2000, 1500), (-2, -1.2, 1, 1.2), 60).convert("RGB").save(
        photo, "JPEG", quality=85
    )
    from django.core.files.storage import default_storage

    name = default_storage.save("bench/cover.jpg", ContentFile(photo.getvalue()))
    CatalogPhoto.objects.create(item=item, is_cover=True, image=name, thumbnail=name)
    return item


def timed(render, runs: int) -> tuple[float, list[float], list[float], bytes]:
    """The first call's wall time, then ``runs`` calls' wall and CPU times (the CPU time of
    this process says more than the wall time on a machine others are loading)."""
    start = time.perf_counter()
    data = render()
    first = time.perf_counter() - start
    wall, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        data = render()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return first, wall, cpu, data


def render_times(item: CatalogItem) -> None:
    for name, render, runs in (
        ("share image", lambda: kit.render_share_image_for(item), 30),
        ("poster PDF", lambda: kit.poster_pdf(item), 20),
    ):
        first, wall, cpu, data = timed(render, runs)
        print(
            f"  {name}: first {first * 1000:.0f} ms; warm wall {ms(wall)}; "
            f"warm CPU p50 {statistics.median(cpu) * 1000:.1f} ms; {len(data) // 1024} KB "
            f"[load {loadavg()}]"
        )


def main() -> None:
    try:
        run()
    finally:
        standin.terminate()


def run() -> None:
    parts = set(sys.argv[1:]) or {"burst", "webhook", "renders"}  # any of the three
    client_environment()
    empty_database()
    print(f"database: {connection.vendor}; load average at start {loadavg()}")
    users = people()
    viewer = users[0]
    if "burst" in parts:
        print("1. burst of notifications")
        burst(users, viewer)
    if "webhook" in parts:
        print("2. LINE webhook")
        webhook_times()
    if "renders" in parts:
        print("3. share image and poster")
        render_times(item_with_cover())


if __name__ == "__main__":
    threading.current_thread().name = "bench"
    main()
