"""``manage.py index_items``: bring the search index up to date, or rebuild it.

Without options it indexes only what needs it: items with no entry, an entry older than the item,
or one made by older segmenting rules; entries of withdrawn items are dropped. Every batch is
committed on its own, so Ctrl-C loses at most one batch and running the command again carries on
where it stopped. ``--rebuild`` marks every entry out of date first (search keeps answering from
the old entries meanwhile) and, on SQLite, has FTS5 rebuild its own index from the entry table.

Progress goes to stderr as one line redrawn in place, so it stays out of piped output.
``--jobs N`` segments in N worker processes; on a busy 2-core server one process was as fast
(docs/BENCHMARKS.md), so it is not the default.
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from catalog.search import index


class ProgressBar:
    """``[########        ] 45,000/100,000 3,200/s`` redrawn with ``\\r`` on a terminal; on
    anything else (a log file, CI) a plain line at most every ten seconds and at the end.

    ``stream`` is a file or Django's ``OutputWrapper`` (``self.stderr``); bench scripts reuse it.
    """

    def __init__(self, stream, width: int = 30):
        self.stream = stream
        self.width = width
        self.start = time.monotonic()
        self.last_line = 0.0
        self.tty = hasattr(stream, "isatty") and stream.isatty()

    def _write(self, text: str) -> None:
        if hasattr(self.stream, "style_func"):  # Django's OutputWrapper adds its own newline
            self.stream.write(text, ending="")
        else:
            self.stream.write(text)
        self.stream.flush()

    def __call__(self, done: int, total: int) -> None:
        elapsed = time.monotonic() - self.start
        rate = done / elapsed if elapsed > 0 else 0.0
        filled = self.width if total == 0 else self.width * done // total
        bar = "#" * filled + " " * (self.width - filled)
        text = f"[{bar}] {done:,}/{total:,} {rate:,.0f}/s"
        finished = done >= total
        if self.tty:
            self._write("\r" + text + ("\n" if finished else ""))
        elif finished or time.monotonic() - self.last_line >= 10:
            self._write(text + "\n")
            self.last_line = time.monotonic()


class Command(BaseCommand):
    help = "Index catalog items for search: those missing or out of date, or all with --rebuild."

    def add_arguments(self, parser):
        parser.add_argument(
            "--rebuild",
            action="store_true",
            help="re-index every item (the old entries keep answering searches meanwhile)",
        )
        parser.add_argument(
            "--batch", type=int, default=1000, help="items per batch and commit (default 1000)"
        )
        parser.add_argument(
            "--jobs",
            type=int,
            default=1,
            help="processes that segment text (default 1; see docs/BENCHMARKS.md)",
        )

    def handle(self, *args, rebuild=False, batch=1000, jobs=1, verbosity=1, **options):
        if batch < 1:
            raise CommandError("--batch must be at least 1")
        if rebuild and connection.vendor == "sqlite":
            # Repairs the FTS5 index itself, should it ever disagree with the entry table.
            with connection.cursor() as cursor:
                cursor.execute(
                    "INSERT INTO catalog_search_fts(catalog_search_fts) VALUES('rebuild')"
                )
        if jobs < 1:
            raise CommandError("--jobs must be at least 1")
        progress = ProgressBar(self.stderr) if verbosity > 0 else None
        start = time.monotonic()
        done = index.run(batch=batch, rebuild=rebuild, jobs=jobs, progress=progress)
        seconds = time.monotonic() - start
        if verbosity > 0:
            self.stdout.write(f"{done:,} items indexed in {seconds:.1f} s ({jobs} process(es)).")
