"""Benchmark: how fast the memo PDF renders and whether a long-lived worker's memory stays flat.

Run from the repository root::

    .venv/bin/python bench/memo_render.py                 # HarfBuzz subsetting (default)
    .venv/bin/python bench/memo_render.py --subset fonttools
    .venv/bin/python bench/memo_render.py --compare       # both, each in a fresh process

Targets: warm p50 under 150 ms for a one- to two-page memo, and less than 50 MB RSS growth over
200 renders in one process. WeasyPrint subsets the embedded fonts with libharfbuzz-subset when it
can load it and falls back to fontTools (slower, and deprecated by WeasyPrint) otherwise;
``--subset fonttools`` forces the fallback in this process so the difference can be measured on a
machine that has the library.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import logging
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "esa_publish.settings")

import django  # noqa: E402

django.setup()

import weasyprint.pdf.fonts  # noqa: E402
from weasyprint.text import ffi  # noqa: E402

from requests.memo import MemoData, SignatureBlock, render_memo_pdf  # noqa: E402

OFFICE = "สำนักงานเขตพื้นที่การศึกษาประถมศึกษาฉะเชิงเทรา เขต ๑"
DAY = dt.date(2023, 3, 15)


def memo(attachments: int) -> MemoData:
    """A memo with every step taken; ``attachments`` > 0 adds the list (a second page)."""
    return MemoData(
        office_short_name="สพป.ฉะเชิงเทรา เขต ๑",
        office_name_th=OFFICE,
        unit_name="กลุ่มนโยบายและแผน",
        unit_phone="0 3851 1234",
        doc_number="ศธ 04032/123",
        date=DAY,
        requester_name="นางสาวสมศรี ใจดี",
        requester_position="นักวิเคราะห์นโยบายและแผนชำนาญการ",
        requester_group="กลุ่มนโยบายและแผน",
        publish_title="แผนปฏิบัติการประจำปีงบประมาณ พ.ศ. 2566",
        delivery_channel="email",
        delivery_email="plan@example.go.th",
        attachments=[(f"ภาพกิจกรรม-{n}.jpg", 400_000 + n) for n in range(attachments)],
        first_review=SignatureBlock("นายประเสริฐ มั่นคง", "ผู้อำนวยการกลุ่มนโยบายและแผน", date=DAY),
        first_review_role="group_director",
        webmaster=SignatureBlock("นายวิทยา เว็บไซต์", "นักวิชาการคอมพิวเตอร์", date=DAY),
        deputy=SignatureBlock(
            "นายสมชาย รองเขต",
            f"รองผู้อำนวยการ{OFFICE}",
            acting_capacity=f"ปฏิบัติราชการแทน ผู้อำนวยการ{OFFICE}",
            date=DAY,
        ),
        deputy_opinion="allow",
        director=SignatureBlock("นายเอกวัฒน์ ล้อสุนิรันดร์", f"ผู้อำนวยการ{OFFICE}", date=DAY),
        director_decision="allow",
    )


def rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


def timed(data: MemoData, count: int) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU milliseconds per render (CPU time is steadier on a busy machine)."""
    wall, cpu = [], []
    for _ in range(count):
        start, start_cpu = time.perf_counter(), time.process_time()
        render_memo_pdf(data)
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return wall, cpu


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def run(subset: str, renders: int, memory_renders: int) -> None:
    logging.getLogger("weasyprint").setLevel(logging.WARNING)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    if subset == "fonttools":
        weasyprint.pdf.fonts.harfbuzz_subset = None
        # WeasyPrint warns about the fallback on every render.
        logging.getLogger("weasyprint").setLevel(logging.ERROR)
    loaded = weasyprint.pdf.fonts.harfbuzz_subset is not None
    print(f"libharfbuzz-subset loaded by WeasyPrint: {ffi.harfbuzz_subset is not None}")
    print(f"subsetting with: {'HarfBuzz' if loaded else 'fontTools'}")
    print(f"load average: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")

    one_page, two_pages = memo(0), memo(12)
    start = time.perf_counter()
    first = render_memo_pdf(one_page)
    print(f"cold first render: {(time.perf_counter() - start) * 1000:.0f} ms ({len(first)} bytes)")
    timed(one_page, 3)  # warm-up

    for label, data in (("1 page ", one_page), ("2 pages", two_pages)):
        wall, cpu = timed(data, renders)
        print(
            f"warm {label}: p50 {statistics.median(wall):.0f} ms, "
            f"p90 {percentile(wall, 0.9):.0f} ms, max {max(wall):.0f} ms over {renders} "
            f"(CPU p50 {statistics.median(cpu):.0f} ms)"
        )

    gc.collect()
    before = rss_mb()
    for n in range(memory_renders):
        render_memo_pdf(two_pages if n % 2 else one_page)
    gc.collect()
    after = rss_mb()
    print(
        f"RSS {before:.1f} MB -> {after:.1f} MB after {memory_renders} renders "
        f"(growth {after - before:+.1f} MB)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--subset", choices=("harfbuzz", "fonttools"), default="harfbuzz")
    parser.add_argument("--renders", type=int, default=50)
    parser.add_argument("--memory-renders", type=int, default=200)
    parser.add_argument("--compare", action="store_true", help="run both modes, fresh processes")
    args = parser.parse_args()
    if args.compare:
        for subset in ("harfbuzz", "fonttools"):
            print(f"== {subset} ==", flush=True)
            subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--subset",
                    subset,
                    "--renders",
                    str(args.renders),
                    "--memory-renders",
                    str(args.memory_renders),
                ],
                check=True,
            )
        return
    run(args.subset, args.renders, args.memory_renders)


if __name__ == "__main__":
    main()
