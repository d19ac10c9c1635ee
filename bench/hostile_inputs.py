"""Benchmark: how long the hostile inputs of issue 14 (items 2, 3 and 4) take, in any tree.

Run from the repository root, against this tree or another checkout (e.g. the base commit
extracted with ``git archive`` into /tmp, with a ``.venv`` link)::

    .venv/bin/python bench/hostile_inputs.py
    .venv/bin/python bench/hostile_inputs.py --tree /tmp/base --timeout 90

Each case runs in a fresh process of that tree's Python, from that tree's directory, and is
killed after ``--timeout`` seconds (reported as "> N s"), so a quadratic "before" cannot hold the
shared machine for long. The cases:

* ``date``: ``"1a" + 80,000 spaces + "b"`` cleaned by ``BEDateField`` (the request form's
  ``wished_publish_date`` and ``import_items`` use it).
* ``pdpa``: a Word file with 2,000,000 characters of text and a phone number on every line
  (about 36,000 numbers), scanned as a file chosen for publication.
* ``purpose``: a 2.1 MB purpose, first through the request form's field (the limit refuses it
  after the change; before it was accepted), then rendered into the memo PDF (what the publish
  step does). ``purpose_max`` renders the memo with the longest purpose the form now accepts.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent

PRELUDE = """
import os, sys, time
sys.path.insert(0, os.getcwd())
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "esa_publish.settings")
os.environ.setdefault("PYTHAINLP_READ_ONLY", "1")
import django
django.setup()
"""

CASES = {
    "date": """
from django.core.exceptions import ValidationError
from esa_publish.thai.forms import BEDateField
text = "1a" + " " * 80_000 + "b"
start = time.perf_counter()
try:
    BEDateField().clean(text)
    outcome = "accepted"
except ValidationError as exc:
    outcome = "refused: " + exc.code
print(f"{time.perf_counter() - start:.4f} {outcome}")
""",
    "pdpa": """
import io, zipfile
from types import SimpleNamespace
from django.core.files.base import ContentFile
from catalog import pdpa
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
line = "ติดต่อผู้ประสานงาน 081-234-{:04d} เรื่องทั่วไปของสำนักงาน"
lines, chars = [], 0
while chars < 2_000_000:
    text = line.format(len(lines) % 10_000)
    lines.append(f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>")
    chars += len(text) + 1
document = f'<?xml version="1.0"?><w:document {W}><w:body>{"".join(lines)}</w:body></w:document>'
out = io.BytesIO()
with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
    archive.writestr("[Content_Types].xml", "<Types/>")
    archive.writestr("word/document.xml", document)
data = out.getvalue()
attachment = SimpleNamespace(original_name="x.docx", kind="docx", file=ContentFile(data, "x.docx"))
collector = pdpa._Collector(set())
start = time.perf_counter()
pdpa._scan_file(collector, attachment)
kinds = sorted({f["kind"] for f in collector.findings})
took = time.perf_counter() - start
print(f"{took:.4f} {len(lines)} numbers, {len(data)} bytes, findings {kinds}")
""",
    "purpose": """
import logging
logging.disable(logging.WARNING)
from django.core.exceptions import ValidationError
from requests.forms import RequestForm
from requests.memo import MemoData, render_memo_pdf
purpose = "เพื่อเผยแพร่ " * 57_000
size = len(purpose.encode())
start = time.perf_counter()
try:
    RequestForm.base_fields["purpose"].clean(purpose)
    outcome = "accepted by the form"
except ValidationError:
    outcome = "refused by the form"
form_s = time.perf_counter() - start
print(f"form {form_s:.4f} s: {size} bytes {outcome}", flush=True)
if outcome == "refused by the form":
    sys.exit(0)  # it never reaches the memo
start = time.perf_counter()
pdf = render_memo_pdf(MemoData("สพป.ทดสอบ", "สำนักงานทดสอบ", purpose=purpose))
print(f"{time.perf_counter() - start:.4f} memo of the 2.1 MB purpose, {len(pdf)} bytes")
""",
    "purpose_max": """
import logging
logging.disable(logging.WARNING)
from requests.memo import MemoData, render_memo_pdf
try:
    from esa_publish.text_limits import PURPOSE
except ImportError:
    PURPOSE = 2000
purpose = ("เพื่อเผยแพร่ " * PURPOSE)[:PURPOSE]
render_memo_pdf(MemoData("สพป.ทดสอบ", "สำนักงานทดสอบ"))  # fonts loaded before timing
start = time.perf_counter()
pdf = render_memo_pdf(MemoData("สพป.ทดสอบ", "สำนักงานทดสอบ", purpose=purpose))
took = time.perf_counter() - start
print(f"{took:.4f} memo with a {PURPOSE}-character purpose, {len(pdf)} bytes")
""",
}


def run_case(tree: Path, name: str, timeout: float) -> str:
    python = tree / ".venv" / "bin" / "python"
    try:
        done = subprocess.run(
            [str(python), "-c", PRELUDE + CASES[name]],
            cwd=tree,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        partial = exc.stdout or ""
        if isinstance(partial, bytes):
            partial = partial.decode()
        said = partial.strip().replace("\n", " | ")
        return f"{said + ' | ' if said else ''}> {timeout:.0f} s (killed)"
    if done.returncode != 0:
        return "error: " + (done.stderr.strip().splitlines() or ["?"])[-1]
    return done.stdout.strip().replace("\n", " | ")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tree", type=Path, default=HERE, help="checkout to measure")
    parser.add_argument("--timeout", type=float, default=90, help="seconds per case")
    parser.add_argument("cases", nargs="*", default=list(CASES), help=", ".join(CASES))
    args = parser.parse_args()
    print(f"tree: {args.tree}")
    for name in args.cases:
        load = open("/proc/loadavg").read().split()[0]  # noqa: SIM115
        result = run_case(args.tree.resolve(), name, args.timeout)
        print(f"{name:12} load {load:>5}  {result}", flush=True)
    sys.exit(0)


if __name__ == "__main__":
    os.environ.setdefault("PYTHAINLP_READ_ONLY", "1")
    main()
