"""Load at start what a worker would otherwise load on its first request of each kind.

A new worker used to answer its first search in 1-4 s (PyThaiNLP's dictionary and its trie are
built on first use) and its first memo in 3-5 s (WeasyPrint parses the memo's stylesheets and
loads the fonts on the first PDF). gunicorn loads the application in its master process
(``preload_app``) and calls :func:`warm_up` there before any worker is forked, so every worker,
the first ones and those that replace a recycled one, starts with all of it in memory (shared
with the master until written to).

Nothing here may leave a database connection open or start a thread: both would be shared with
the forked workers. :func:`warm_up` closes the connections it opened; Pango and fontconfig
start no thread for a layout.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from pathlib import Path

logger = logging.getLogger(__name__)

# Our own templates (admin's are compiled on first use: staff can wait a few milliseconds).
TEMPLATE_SUFFIXES = (".html", ".txt", ".xml")


def _templates() -> int:
    from django.conf import settings
    from django.template.loader import get_template

    names = set()
    for folder in settings.TEMPLATES[0]["DIRS"]:
        root = Path(folder)
        names.update(
            str(path.relative_to(root))
            for path in root.rglob("*")
            if path.suffix in TEMPLATE_SUFFIXES
        )
    for name in sorted(names):
        get_template(name)  # compiled once, kept by the cached loader
    return len(names)


def _translations_and_urls() -> None:
    from django.conf import settings
    from django.urls import reverse
    from django.utils import translation

    for code, _ in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("หน้าแรก")
            reverse("home")


def _segmenter() -> None:
    from catalog.search import segment

    segment.query_terms("แผนปฏิบัติการประจำปีงบประมาณ")
    segment.index_text("สำนักงานเขตพื้นที่การศึกษาประถมศึกษา ข่าวประชาสัมพันธ์กิจกรรม")


def _memo() -> None:
    from requests.memo import MemoData, SignatureBlock, render_memo_pdf

    day = dt.date(2026, 1, 1)
    render_memo_pdf(
        MemoData(
            office_short_name="สพป.",
            office_name_th="สำนักงานเขตพื้นที่การศึกษาประถมศึกษา",
            unit_name="กลุ่มอำนวยการ",
            unit_phone="0",
            doc_number="ศธ 0/1",
            date=day,
            requester_name="ผู้ขอ",
            requester_position="ครู",
            requester_group="กลุ่มอำนวยการ",
            publish_title="ทดสอบ ๑๒๓ ตัวหนา",
            delivery_channel="email",
            delivery_email="a@example.go.th",
            director=SignatureBlock("ผู้อำนวยการ", "ผู้อำนวยการ", date=day),
            director_decision="allow",
        )
    )


STEPS = (
    ("templates", _templates),
    ("translations and URLs", _translations_and_urls),
    ("Thai segmentation dictionary", _segmenter),
    ("memo fonts and stylesheets", _memo),
)


def warm_up() -> dict[str, float]:
    """Run every step; seconds each took. A step that fails is logged and skipped: a cold
    first request is better than a server that does not start."""
    from django.db import connections

    took = {}
    for name, step in STEPS:
        start = time.perf_counter()
        try:
            step()
        except Exception:
            logger.exception("warm-up step %r failed; it loads on first use instead", name)
        took[name] = time.perf_counter() - start
    connections.close_all()
    return took
