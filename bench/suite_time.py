"""Time the same test files in two checkouts, in turn (A B A B …), and print CPU and wall ratios.

Used for issue 15 ("the whole suite time does not grow by more than 10%"): the test files of the
commit before the redesign, run against that commit and against the redesign. Running the two in
turn and pairing each A with the B next to it keeps a drift of the machine's speed out of the
ratio; CPU seconds (user + system of pytest and every process it waited for) are the figure to
quote on a busy machine, wall seconds move with whatever else runs.

    git worktree add --detach /tmp/before <commit-before>
    git worktree add --detach /tmp/after <commit-after>
    (cd /tmp/before && ls tests/test_*.py tests/browser/test_*.py) > /tmp/files.txt
    .venv/bin/python bench/suite_time.py /tmp/after /tmp/before --files /tmp/files.txt --pairs 3
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/esa_suite_time \\
        .venv/bin/python bench/suite_time.py /tmp/after /tmp/before --files /tmp/files.txt

Each checkout needs its own ``.venv`` (a link to this one's will do) and compiled messages.
With ``DATABASE_URL`` set, pytest gets ``--create-db``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path


def run_once(tree: Path, files: list[str], log: Path) -> tuple[float, float, int]:
    """CPU and wall seconds of one pytest run in ``tree``, and its exit status."""
    args = [str(tree / ".venv/bin/python"), "-m", "pytest", "-q", "-p", "no:cacheprovider"]
    if os.environ.get("DATABASE_URL"):
        args.append("--create-db")
    env = {
        **os.environ,
        "PYTHAINLP_READ_ONLY": "1",
        "DJANGO_SETTINGS_MODULE": "esa_publish.settings",
    }
    start = time.monotonic()
    with log.open("a") as out:
        proc = subprocess.Popen(args + files, cwd=tree, env=env, stdout=out, stderr=out)
        _pid, status, usage = os.wait4(proc.pid, 0)
    wall = time.monotonic() - start
    # wait4 gives the child's usage with that of its own reaped children (servers, browsers).
    return usage.ru_utime + usage.ru_stime, wall, os.waitstatus_to_exitcode(status)


def load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("a", type=Path, help="checkout A (e.g. after the change)")
    parser.add_argument("b", type=Path, help="checkout B (e.g. before the change)")
    parser.add_argument("--files", type=Path, required=True, help="test files, one per line")
    parser.add_argument("--pairs", type=int, default=3)
    opts = parser.parse_args()
    files = opts.files.read_text().split()
    db = "PostgreSQL" if os.environ.get("DATABASE_URL") else "SQLite"
    print(f"{len(files)} test files, {opts.pairs} pairs, {db}, {os.cpu_count()} CPUs")
    ratios_cpu, ratios_wall = [], []
    for pair in range(1, opts.pairs + 1):
        row = []
        for tree in (opts.a, opts.b):
            before = load()
            cpu, wall, code = run_once(tree, files, Path(f"/tmp/suite_time_{tree.name}.log"))
            row.append((cpu, wall))
            print(
                f"pair {pair} {tree.name}: cpu {cpu:.1f} s, wall {wall:.1f} s, exit {code}, "
                f"load before {before}",
                flush=True,
            )
        (cpu_a, wall_a), (cpu_b, wall_b) = row
        ratios_cpu.append(cpu_a / cpu_b)
        ratios_wall.append(wall_a / wall_b)
    for name, ratios in (("cpu", ratios_cpu), ("wall", ratios_wall)):
        print(
            f"A/B {name}: median {statistics.median(ratios):.3f} "
            f"(min {min(ratios):.3f}, max {max(ratios):.3f})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
