"""Static files in production: whitenoise's compressed manifest storage, minus needless work.

whitenoise compresses every collected file with Brotli (quality 11) and gzip on every
``collectstatic``. For this project that is mostly the sixteen Sarabun TTFs, which alone take
about ten seconds of CPU on a small server, every deploy, for files that never change. Its
compressor stamps each ``.br``/``.gz`` with the modification time of the file it was made from, so
a compressed file whose time still matches its source is the compressed form of that exact source
and is kept; anything new or rewritten is compressed as before.
"""

from __future__ import annotations

import os

from whitenoise.compress import Compressor
from whitenoise.storage import CompressedManifestStaticFilesStorage

# whitenoise copies the source's time with float seconds; allow for the rounding on the way back.
_SAME_TIME = 0.001


class ReusingCompressor(Compressor):
    """A :class:`Compressor` that leaves up-to-date compressed files alone."""

    def compress(self, path):
        suffixes = [s for s, used in ((".br", self.use_brotli), (".gz", self.use_gzip)) if used]
        try:
            source_time = os.stat(path).st_mtime
            if suffixes and all(
                abs(os.stat(path + suffix).st_mtime - source_time) < _SAME_TIME
                for suffix in suffixes
            ):
                return [path + suffix for suffix in suffixes]
        except FileNotFoundError:
            pass  # one of them is missing: compress (again)
        return super().compress(path)


class CompressedManifestStorage(CompressedManifestStaticFilesStorage):
    """Hashed names, a manifest and pre-compressed files, as whitenoise's storage."""

    def create_compressor(self, **kwargs):
        return ReusingCompressor(**kwargs)
