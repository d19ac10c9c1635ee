"""Benchmark: how long `manage.py backup` and `manage.py restore` take for a populated office.

Run from the repository root::

    .venv/bin/python bench/backup_restore.py                     # 100 requests, 3 photos each
    .venv/bin/python bench/backup_restore.py --requests 500 --photos 5
    .venv/bin/python bench/backup_restore.py --postgres postgres://postgres@127.0.0.1:5432

Everything happens in a temporary folder (and, with ``--postgres``, in two scratch databases that
are dropped at the end): a database is migrated and filled through the real services (requests in
every workflow state, each with a PDF and photos), then ``backup`` and ``restore`` run as
separate processes, as an operator would run them. ``restore`` includes migrating the empty
target database, which is timed on its own too.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

POPULATE = """
import sys
from django.conf import settings
settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
from tests.factories import OfficeFactory, make_people
from tests.workflow import PATHS, make_request
count, photos, pixels = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
if pixels:
    # Camera-sized photos: noise does not compress, like real pictures (~0.5 MB at 1600 px).
    import io
    import tests.workflow as workflow
    from PIL import Image
    noise = Image.effect_noise((pixels, pixels * 3 // 4), 60).convert("RGB")
    buffer = io.BytesIO()
    noise.save(buffer, "JPEG", quality=85)
    big = buffer.getvalue()
    workflow.jpeg_bytes = lambda *args, **kwargs: big
OfficeFactory()
people = make_people()
states = list(PATHS)
for n in range(count):
    make_request(people, states[n % len(states)], photos=photos)
"""


def env_for(url: str, media: Path) -> dict:
    return {
        **os.environ,
        "PYTHAINLP_READ_ONLY": "1",
        "DJANGO_SETTINGS_MODULE": "esa_publish.settings",
        "DATABASE_URL": url,
        "MEDIA_ROOT": str(media),
        "EMAIL_URL": "locmem://",
        "LOG_LEVEL": "WARNING",
    }


def timed(label: str, command: list[str], env: dict) -> float:
    """Wall-clock and CPU seconds (CPU time is steadier on a busy machine)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if result.returncode != 0:
        raise SystemExit(f"{label} failed:\n{result.stderr[-2000:]}")
    print(f"{label:<28} {elapsed:7.1f} s wall {cpu:7.1f} s CPU   {result.stdout.strip()[:90]}")
    return elapsed


def psql(base: str, sql: str) -> None:
    subprocess.run(["psql", f"{base}/postgres", "-qc", sql], check=True)


def run(args) -> None:
    work = Path(tempfile.mkdtemp(prefix="esa-bench-backup-"))
    names = [f"esa_bench_{uuid.uuid4().hex[:8]}_{n}" for n in range(3)]
    if args.postgres:
        urls = [f"{args.postgres}/{name}" for name in names]
        for name in names:
            psql(args.postgres, f'CREATE DATABASE "{name}"')
    else:
        urls = [f"sqlite:///{work / f'{name}.sqlite3'}" for name in names]
    source, target, empty = urls
    manage = [sys.executable, "manage.py"]
    python = [sys.executable, "-c", "import django\ndjango.setup()\n" + POPULATE]
    try:
        print(f"CPUs {os.cpu_count()}, load average {os.getloadavg()[0]:.2f}")
        print(f"{args.requests} requests x ({args.photos} photos + 1 PDF), {source.split(':')[0]}")
        src_env = env_for(source, work / "media-source")
        timed("migrate (source)", manage + ["migrate", "--noinput", "-v0"], src_env)
        timed(
            "populate",
            python + [str(args.requests), str(args.photos), str(args.photo_px)],
            src_env,
        )
        archive = work / "backup.tar.gz"
        timed("backup", manage + ["backup", "--output", str(archive)], src_env)
        print(f"{'archive size':<28} {archive.stat().st_size / 1e6:7.1f} MB")
        timed("restore --check", manage + ["restore", "--check", str(archive)], src_env)
        timed(
            "migrate an empty database",
            manage + ["migrate", "--noinput", "-v0"],
            env_for(empty, work / "media-empty"),
        )
        timed(
            "restore (migrate included)",
            manage + ["restore", str(archive)],
            env_for(target, work / "media-target"),
        )
    finally:
        if args.postgres:
            for name in names:
                psql(args.postgres, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--photos", type=int, default=3)
    parser.add_argument(
        "--photo-px", type=int, default=1600, help="photo width in pixels (0: tiny test images)"
    )
    parser.add_argument("--postgres", help="server URL without a database name, for scratch DBs")
    args = parser.parse_args()
    run(args)


if __name__ == "__main__":
    main()
