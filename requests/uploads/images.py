"""Checking, re-encoding and thumbnailing JPEG and PNG uploads.

Every image is decoded and encoded again before it is stored. That removes EXIF (camera GPS
positions included), XMP and comments, turns the picture upright first (EXIF orientation is
applied, then dropped) and throws away anything smuggled after the image data, so a file that
is both a JPEG and something else does not survive. Store the bytes from
:func:`process_image`, never the upload itself. Only the ICC colour profile (colour accuracy,
nothing personal) and PNG transparency are carried over. An animated PNG keeps its first frame.

Size limits: we compare the pixel count with our own :data:`DEFAULT_MAX_PIXELS` (60 MP, setting
``UPLOAD_MAX_IMAGE_PIXELS``) rather than lowering ``PIL.Image.MAX_IMAGE_PIXELS``, which is
process-wide and also governs images WeasyPrint loads for the memos. Pillow's own
``DecompressionBombWarning`` is turned into an error while we open uploads; since that warning
fires above 89 MP, past our limit, the explicit check is what guarantees the refusal even if
another thread's ``warnings`` juggling were to drop the filter.

Truncated files: WeasyPrint sets ``PIL.ImageFile.LOAD_TRUNCATED_IMAGES = True`` when imported,
for the whole process, after which Pillow quietly pads a cut-off image with grey instead of
failing. So we do not rely on Pillow for this: the upload is read through :class:`_EndWatch`,
and a decoder that asks for data past the end means the file is incomplete.

Thumbnails are JPEG, 400 and 1600 pixels on the long side, never enlarged. JPEG rather than
WebP: libjpeg-turbo encodes several times faster, which keeps a 24 MP photo within its time
budget; LINE and Facebook link previews, WeasyPrint and every browser take it; and at these sizes
WebP would save a few kilobytes. Transparent areas are flattened onto white, as pages are white.
"""

from __future__ import annotations

import hashlib
import io
import os
import struct
import warnings
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import BinaryIO

from django.conf import settings
from PIL import ExifTags, Image, ImageFile, ImageOps

from requests.uploads.errors import (
    CODE_CORRUPT,
    CODE_IMAGE_TOO_LARGE,
    MSG_CORRUPT,
    MSG_IMAGE_TOO_LARGE,
    UploadRejected,
    rejection,
)
from requests.uploads.kinds import KINDS

DEFAULT_MAX_PIXELS = 60_000_000
THUMBNAIL_SIZES = (400, 1600)
JPEG_QUALITY = 88
THUMBNAIL_QUALITY = 82
PNG_COMPRESS_LEVEL = 6
HASH_CHUNK = 1024 * 1024
REDUCING_GAP = 1.5

_FORMATS = {"jpeg": ("JPEG",), "png": ("PNG",)}
_SWAPS_SIDES = frozenset({5, 6, 7, 8})  # EXIF orientations that turn the picture a quarter
# What Pillow raises on damaged image data.
_DECODE_ERRORS = (OSError, SyntaxError, ValueError, EOFError, IndexError, struct.error, zlib.error)


@dataclass(frozen=True)
class Thumbnail:
    long_side: int  # the bound asked for; the picture is never enlarged to reach it
    width: int
    height: int
    data: bytes
    content_type: str = "image/jpeg"
    extension: str = "jpg"


@dataclass(frozen=True)
class ProcessedImage:
    """A re-encoded image: what to store, its fingerprint and its thumbnails, smallest first."""

    kind: str
    width: int
    height: int
    content_type: str
    extension: str
    data: bytes | None  # None when written to the ``out`` path
    size: int
    sha256: str  # of the re-encoded bytes, i.e. of the stored file, not of the upload
    thumbnails: tuple[Thumbnail, ...]


def max_pixels() -> int:
    return getattr(settings, "UPLOAD_MAX_IMAGE_PIXELS", DEFAULT_MAX_PIXELS)


def _too_large(name: str) -> UploadRejected:
    limit = max_pixels() / 1_000_000
    return rejection(MSG_IMAGE_TOO_LARGE, CODE_IMAGE_TOO_LARGE, name, limit=f"{limit:g}")


class _EndWatch:
    """A read-only view of the upload that notes when someone reads past its end.

    A complete JPEG or PNG stops the decoder at its end marker; only a cut-off one makes it ask
    for more. This tells us so whatever ``LOAD_TRUNCATED_IMAGES`` says.
    """

    def __init__(self, raw: BinaryIO) -> None:
        self._raw = raw
        self.ran_out = False

    def read(self, size: int = -1) -> bytes:
        data = self._raw.read(size)
        if size != 0 and not data:
            self.ran_out = True
        return data

    def seek(self, offset: int, whence: int = 0) -> int:
        return self._raw.seek(offset, whence)

    def tell(self) -> int:
        return self._raw.tell()


def _corrupt(name: str, kind: str) -> UploadRejected:
    return rejection(MSG_CORRUPT, CODE_CORRUPT, name, real=KINDS[kind].label)


@contextmanager
def _opened(
    fileobj: BinaryIO, kind: str, name: str
) -> Iterator[tuple[ImageFile.ImageFile, _EndWatch]]:
    """Open ``fileobj`` as exactly ``kind`` with the bomb checks on; refuse what fails.

    Yields the image and its :class:`_EndWatch`; check ``ran_out`` right after decoding.
    """
    fileobj.seek(0)
    watch = _EndWatch(fileobj)
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(watch, formats=_FORMATS[kind])  # type: ignore[arg-type]
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise _too_large(name) from exc
        except _DECODE_ERRORS as exc:
            raise _corrupt(name, kind) from exc
    with image:
        if image.width * image.height > max_pixels():
            raise _too_large(name)
        watch.ran_out = False  # identifying may peek past a short header; decoding may not
        yield image, watch
    fileobj.seek(0)


def _orientation(image: Image.Image) -> int:
    # A PNG's getexif() decodes the whole picture when the EXIF chunk has not been seen yet;
    # orientation is only read from what the header already gave us.
    if image.format == "PNG" and "exif" not in image.info:
        return 1
    return image.getexif().get(ExifTags.Base.Orientation, 1)


def inspect_image(fileobj: BinaryIO, kind: str, name: str) -> tuple[int, int]:
    """Check the image decodes completely; return (width, height) as it will be shown.

    Cheap on purpose, since :func:`process_image` decodes it again: a JPEG is decoded at an
    eighth of its size with ``draft`` (libjpeg still reads every byte, so truncation shows), a
    PNG is walked chunk by chunk with ``verify`` (CRCs and the end marker, no inflating).
    """
    with _opened(fileobj, kind, name) as (image, watch):
        width, height = image.size
        try:
            if _orientation(image) in _SWAPS_SIDES:
                width, height = height, width
            if kind == "jpeg":
                image.draft(None, (max(1, image.width // 8), max(1, image.height // 8)))
                image.load()
            else:
                image.verify()
        except _DECODE_ERRORS as exc:
            raise _corrupt(name, kind) from exc
        if watch.ran_out:
            raise _corrupt(name, kind)
    return width, height


def process_image(
    fileobj: BinaryIO,
    kind: str,
    *,
    out: str | os.PathLike[str] | None = None,
    name: str | None = None,
    thumbnail_sizes: tuple[int, ...] = THUMBNAIL_SIZES,
) -> ProcessedImage:
    """Re-encode the ``kind`` image in ``fileobj`` without metadata, and make its thumbnails.

    The main image keeps its kind and pixel size (after turning it upright). With ``out`` it is
    written to that path and ``data`` is ``None``; otherwise ``data`` holds it. ``name`` is for
    messages, defaulting to ``fileobj.name``. Raises ``UploadRejected`` for images that do not
    decode or are over the pixel limit.
    """
    name = name if name is not None else str(getattr(fileobj, "name", "") or "")
    with _opened(fileobj, kind, name) as (image, watch):
        try:
            image.load()
        except _DECODE_ERRORS as exc:
            raise _corrupt(name, kind) from exc
        if watch.ran_out:
            raise _corrupt(name, kind)
        ImageOps.exif_transpose(image, in_place=True)
        icc_profile = image.info.get("icc_profile")
        kept = {"transparency": image.info["transparency"]} if "transparency" in image.info else {}
        # Pillow copies some metadata (JPEG comments, PNG transparency) from .info when saving.
        image.info = kept if kind == "png" else {}
        data, size, sha256 = _save_main(image, kind, icc_profile, out)
        thumbnails = _thumbnails(image, thumbnail_sizes)
        width, height = image.size
    return ProcessedImage(
        kind=kind,
        width=width,
        height=height,
        content_type=KINDS[kind].content_type,
        extension=KINDS[kind].extension,
        data=data,
        size=size,
        sha256=sha256,
        thumbnails=thumbnails,
    )


def _save_main(
    image: Image.Image, kind: str, icc_profile: bytes | None, out: str | os.PathLike[str] | None
) -> tuple[bytes | None, int, str]:
    if kind == "jpeg":
        options = {"format": "JPEG", "quality": JPEG_QUALITY}
    else:
        options = {"format": "PNG", "compress_level": PNG_COMPRESS_LEVEL}
    if icc_profile:
        options["icc_profile"] = icc_profile
    if out is None:
        buffer = io.BytesIO()
        image.save(buffer, **options)
        data = buffer.getvalue()
        return data, len(data), hashlib.sha256(data).hexdigest()
    image.save(out, **options)
    digest = hashlib.sha256()
    size = 0
    with open(out, "rb") as written:
        while chunk := written.read(HASH_CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return None, size, digest.hexdigest()


def _fit(size: tuple[int, int], long_side: int) -> tuple[int, int]:
    width, height = size
    scale = long_side / max(width, height)
    if scale >= 1:
        return width, height
    return max(1, round(width * scale)), max(1, round(height * scale))


def _resizable(image: Image.Image) -> Image.Image:
    """``image`` in a mode Pillow resamples well: L, LA, RGB or RGBA."""
    if image.mode in ("L", "LA", "RGB", "RGBA"):
        return image
    has_alpha = "A" in image.mode or "transparency" in image.info
    return image.convert("RGBA" if has_alpha else "RGB")


def _flatten(image: Image.Image) -> Image.Image:
    """An RGB or L image for JPEG: transparent areas onto white."""
    if image.mode in ("RGB", "L"):
        return image
    rgba = image.convert("RGBA")
    white = Image.new("RGB", rgba.size, "white")
    white.paste(rgba, mask=rgba.getchannel("A"))
    return white


def _thumbnails(image: Image.Image, sizes: tuple[int, ...]) -> tuple[Thumbnail, ...]:
    """Thumbnails, largest made first from the full image and each next from the one before.

    ``reducing_gap`` lets Pillow first shrink by a whole factor with a fast box filter and run
    Lanczos only on the rest. At 1.5 a 6000 px photo is halved before Lanczos takes it to
    1600 px: about 160 ms instead of 400 ms (at Pillow's usual 2.0 or more no halving happens
    for this ratio), with no difference visible at thumbnail size.
    """
    source = _resizable(image)
    made = []
    for long_side in sorted(sizes, reverse=True):
        target = _fit(source.size, long_side)
        if target != source.size:
            source = source.resize(target, Image.Resampling.LANCZOS, reducing_gap=REDUCING_GAP)
        picture = _flatten(source)
        buffer = io.BytesIO()
        picture.save(buffer, format="JPEG", quality=THUMBNAIL_QUALITY)
        made.append(Thumbnail(long_side, picture.width, picture.height, buffer.getvalue()))
    return tuple(reversed(made))
