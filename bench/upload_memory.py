"""How much memory check_upload needs for a 50 MB PDF streamed to disk by Django.

Run from the project root: ``.venv/bin/python bench/upload_memory.py``. The PDF is real (50
pages, each showing a 1 MiB grey-noise image) and is written in 64 KiB pieces straight into a
``TemporaryUploadedFile``, as Django's upload handler does, so the script itself never holds it.
The target is a peak growth under 30 MB; the script exits 1 when it is missed.
"""

from __future__ import annotations

import gc
import os
import sys
import time
import tracemalloc

from _measure import MIB, maxrss_kib, reset_peak, setup_django, status_kib

TARGET_BYTES = 50 * MIB
LIMIT_MIB = 30
SIDE = 1024  # each page's image is SIDE x SIDE 8-bit grey: 1 MiB


def write_pdf(out, target_bytes: int) -> int:
    """Write a valid PDF of about ``target_bytes`` to ``out``; return its page count."""
    offsets: list[int] = []
    position = 0

    def emit(chunk: bytes) -> None:
        nonlocal position
        out.write(chunk)
        position += len(chunk)

    def begin() -> None:
        offsets.append(position)

    pages = max(1, target_bytes // (SIDE * SIDE))
    emit(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    begin()
    emit(b"1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n")
    begin()
    kids = " ".join(f"{3 + 3 * i} 0 R" for i in range(pages))
    emit(f"2 0 obj << /Type /Pages /Kids [{kids}] /Count {pages} >> endobj\n".encode())
    drawing = b"q 500 0 0 500 50 150 cm /Im0 Do Q"
    for i in range(pages):
        page, content, picture = 3 + 3 * i, 4 + 3 * i, 5 + 3 * i
        begin()
        emit(
            f"{page} 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            f"/Resources << /XObject << /Im0 {picture} 0 R >> >> /Contents {content} 0 R >> "
            "endobj\n".encode()
        )
        begin()
        emit(f"{content} 0 obj << /Length {len(drawing)} >> stream\n".encode())
        emit(drawing + b"\nendstream endobj\n")
        begin()
        emit(
            f"{picture} 0 obj << /Type /XObject /Subtype /Image /Width {SIDE} /Height {SIDE} "
            f"/ColorSpace /DeviceGray /BitsPerComponent 8 /Length {SIDE * SIDE} >> "
            "stream\n".encode()
        )
        for _ in range(SIDE * SIDE // (64 * 1024)):
            emit(os.urandom(64 * 1024))
        emit(b"\nendstream endobj\n")
    xref_at = position
    emit(f"xref\n0 {len(offsets) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        emit(f"{offset:010d} 00000 n \n".encode())
    trailer = f"trailer << /Size {len(offsets) + 1} /Root 1 0 R >>"
    emit(f"{trailer}\nstartxref\n{xref_at}\n%%EOF\n".encode())
    return pages


def main() -> int:
    setup_django()
    from django.core.files.uploadedfile import TemporaryUploadedFile

    from requests.uploads import check_upload

    uploaded = TemporaryUploadedFile("รายงานประจำปี.pdf", "application/pdf", 0, None)
    try:
        pages = write_pdf(uploaded, TARGET_BYTES)
        uploaded.flush()
        uploaded.size = uploaded.tell()

        # Warm-up on a small PDF so imports and pypdf's lazy set-up are not counted.
        small = TemporaryUploadedFile("warm.pdf", "application/pdf", 0, None)
        write_pdf(small, 1)
        small.flush()
        small.size = small.tell()
        check_upload(small)
        small.close()

        gc.collect()
        can_reset = reset_peak()
        rss_before, maxrss_before = status_kib("VmRSS"), maxrss_kib()
        tracemalloc.start()
        started = time.perf_counter()
        checked = check_upload(uploaded, max_bytes=64 * MIB)
        elapsed = time.perf_counter() - started
        _, traced_peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        hwm_growth = (status_kib("VmHWM") - rss_before) / 1024
        maxrss_growth = (maxrss_kib() - maxrss_before) / 1024
    finally:
        uploaded.close()

    print(f"file:                 {checked.size / MIB:.1f} MiB PDF, {pages} pages")
    print(f"result:               kind={checked.kind} pages={checked.pages}")
    print(f"time:                 {elapsed * 1000:.0f} ms")
    print(f"tracemalloc peak:     {traced_peak / MIB:.2f} MiB")
    print(f"peak RSS growth:      {hwm_growth:.2f} MiB (VmHWM)")
    print(f"ru_maxrss growth:     {maxrss_growth:.2f} MiB")
    if not can_reset:
        print("note: /proc/self/clear_refs not writable; RSS figures include earlier peaks")
    worst = max(traced_peak / MIB, hwm_growth, maxrss_growth)
    verdict = "OK" if worst < LIMIT_MIB else "OVER"
    print(f"target:               < {LIMIT_MIB} MiB growth: {verdict}")
    return 0 if worst < LIMIT_MIB else 1


if __name__ == "__main__":
    sys.exit(main())
