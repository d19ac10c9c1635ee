"""Checking, re-encoding and thumbnailing image uploads: JPEG and PNG, and phone photos.

Every image is decoded and encoded again before it is stored. That removes EXIF (camera GPS
positions included), XMP and comments, turns the picture upright first (EXIF orientation is
applied, then dropped) and throws away anything smuggled after the image data, so a file that
is both a JPEG and something else does not survive. Store the bytes from
:func:`process_image`, never the upload itself. Only PNG transparency and the ICC colour
profile (colour accuracy, nothing personal) are carried over, and the profile only when
LittleCMS (Pillow's ``ImageCms``) reads it as a profile for the picture's colour space; it is
then written out again by LittleCMS, so bytes appended to it are dropped. Anything else in that
slot is thrown away. An animated PNG keeps its first frame.

Phone photos: HEIC/HEIF (iPhones, through ``pillow-heif``, whose wheel carries libheif and needs
nothing at run time), WebP, TIFF and GIF are taken and stored as JPEG, or as PNG when the
picture has transparency or a palette (GIF, drawings) that JPEG would blur. Animated GIF and
WebP keep their first frame, a TIFF its first page. The same pixel and decompression-bomb
limits apply before anything is decoded. :func:`photo_target` says which of the two a file
becomes; ``check_upload`` asks it, so the stored kind is known before the file is processed.

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

import pillow_heif
from django.conf import settings
from PIL import ExifTags, Image, ImageCms, ImageFile, ImageOps

from requests.uploads.errors import (
    CODE_CORRUPT,
    CODE_IMAGE_TOO_LARGE,
    MSG_CORRUPT,
    MSG_IMAGE_TOO_LARGE,
    UploadRejected,
    rejection,
)
from requests.uploads.kinds import KINDS, PHOTO_FORMATS, format_label
from requests.uploads.sniff import read_head, signature_kind

# Adds HEIF to the formats Pillow knows, for the whole process; nothing else opens as HEIF
# unless asked, since every open here names the one format expected.
pillow_heif.register_heif_opener()

DEFAULT_MAX_PIXELS = 60_000_000
THUMBNAIL_SIZES = (400, 1600)
JPEG_QUALITY = 88
THUMBNAIL_QUALITY = 82
PNG_COMPRESS_LEVEL = 6
HASH_CHUNK = 1024 * 1024
REDUCING_GAP = 1.5

_FORMATS = {
    "jpeg": ("JPEG",),
    "png": ("PNG",),
    **{fmt.name: (fmt.pillow_format,) for fmt in PHOTO_FORMATS.values()},
}
# ICC profile: bigger than any camera's or screen's (those are 0.5-60 KB) is not a colour profile.
MAX_ICC_BYTES = 1024 * 1024
# The colour space an ICC profile must describe for pictures of each mode.
_ICC_SPACES = {"RGB": "RGB", "RGBA": "RGB", "P": "RGB", "L": "GRAY", "LA": "GRAY", "CMYK": "CMYK"}
# Modes kept as they are in a PNG; anything else is converted to RGB(A).
_PNG_MODES = frozenset({"1", "L", "LA", "P", "RGB", "RGBA"})
_SWAPS_SIDES = frozenset({5, 6, 7, 8})  # EXIF orientations that turn the picture a quarter
# Formats whose reader reports the size already turned upright (pillow-heif applies HEIF's
# rotation boxes, Pillow's TIFF reader its orientation tag).
_UPRIGHT_ON_OPEN = frozenset({"heif", "tiff"})
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
    return rejection(MSG_CORRUPT, CODE_CORRUPT, name, real=format_label(kind))


def _source_format(fileobj: BinaryIO, kind: str) -> str:
    """The format to decode: ``kind`` itself, or the photo format the content says it is (a
    HEIC to become a JPEG). Anything else is opened as ``kind`` and fails as damaged."""
    found = signature_kind(read_head(fileobj))
    return found if found in PHOTO_FORMATS else kind


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

    ``kind`` is the format found (``"jpeg"``, ``"png"`` or a photo format such as ``"heif"``).
    Cheap on purpose for JPEG and PNG, since :func:`process_image` decodes it again: a JPEG is
    decoded at an eighth of its size with ``draft`` (libjpeg still reads every byte, so
    truncation shows), a PNG is walked chunk by chunk with ``verify`` (CRCs and the end marker,
    no inflating). WebP, TIFF and GIF are decoded in full, the only way to know they decode. A
    HEIC is not: pillow-heif has already checked its container and that every part of the
    picture lies inside the file while opening it, and decoding HEVC is what costs (about as
    much as the whole of :func:`process_image` for a JPEG), so it is decoded once, when it is
    converted, which refuses it as damaged if the picture data is.
    """
    with _opened(fileobj, kind, name) as (image, watch):
        width, height = image.size
        try:
            if _orientation(image) in _SWAPS_SIDES and kind not in _UPRIGHT_ON_OPEN:
                width, height = height, width
            if kind == "jpeg":
                image.draft(None, (max(1, image.width // 8), max(1, image.height // 8)))
                image.load()
            elif kind == "png":
                image.verify()
            elif kind != "heif":
                image.load()
        except _DECODE_ERRORS as exc:
            raise _corrupt(name, kind) from exc
        if watch.ran_out:
            raise _corrupt(name, kind)
    return width, height


def photo_target(fileobj: BinaryIO, source: str, name: str) -> str:
    """``"png"`` or ``"jpeg"``: what a picture in the photo format ``source`` is stored as.

    PNG for GIF (drawings, flat colours) and for anything with transparency or a palette,
    JPEG for the rest (photographs). Reads only the header.
    """
    with _opened(fileobj, source, name) as (image, _watch):
        has_alpha = "A" in image.mode or "transparency" in image.info
        if source == "gif" or has_alpha or image.mode in ("1", "P"):
            return "png"
        return "jpeg"


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

    A photo in another format (HEIC, WebP, TIFF, GIF) is converted to ``kind``, the one
    :func:`photo_target` chose for it.
    """
    name = name if name is not None else str(getattr(fileobj, "name", "") or "")
    source = _source_format(fileobj, kind)
    with _opened(fileobj, source, name) as (opened, watch):
        try:
            opened.load()
        except _DECODE_ERRORS as exc:
            raise _corrupt(name, source) from exc
        if watch.ran_out:
            raise _corrupt(name, source)
        if source not in _UPRIGHT_ON_OPEN:
            ImageOps.exif_transpose(opened, in_place=True)
        image = opened if source == kind else _converted(opened, kind)
        icc_profile = _valid_icc_profile(opened.info.get("icc_profile"), image.mode)
        info = image.info
        kept = {"transparency": info["transparency"]} if "transparency" in info else {}
        # Pillow copies some metadata (JPEG comments, XMP, PNG transparency) from .info when
        # saving.
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


def _converted(image: Image.Image, kind: str) -> Image.Image:
    """``image`` (a photo format) in a mode the ``kind`` encoder writes as people expect."""
    if kind == "jpeg":
        return image if image.mode in ("RGB", "L") else _flatten(image)
    if image.mode in _PNG_MODES:
        return image
    has_alpha = "A" in image.mode or "transparency" in image.info
    return image.convert("RGBA" if has_alpha else "RGB")


def _valid_icc_profile(profile: object, mode: str) -> bytes | None:
    """The ICC profile to write, or ``None``: only a profile LittleCMS reads, for ``mode``'s
    colour space, and as LittleCMS writes it again (so nothing appended survives)."""
    if not isinstance(profile, bytes) or not profile or len(profile) > MAX_ICC_BYTES:
        return None
    try:
        parsed = ImageCms.ImageCmsProfile(io.BytesIO(profile))
        if parsed.profile.xcolor_space.strip() != _ICC_SPACES.get(mode):
            return None
        return parsed.tobytes()
    except (OSError, ValueError, TypeError, ImageCms.PyCMSError):
        return None


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


def slot_thumbnail(fileobj: BinaryIO, width: int, height: int) -> bytes:
    """A JPEG of exactly ``width`` x ``height`` pixels from one of our own stored thumbnails,
    cropped to fill the slot as the page's ``object-fit: cover`` would show it: a list row's
    picture is 96x72 CSS pixels, so sending it the 400 px thumbnail wasted most of the bytes."""
    with Image.open(fileobj, formats=("JPEG", "PNG")) as opened:
        picture = _flatten(ImageOps.exif_transpose(opened))
        fitted = ImageOps.fit(picture, (width, height), Image.Resampling.LANCZOS)
        buffer = io.BytesIO()
        fitted.save(buffer, format="JPEG", quality=THUMBNAIL_QUALITY)
    return buffer.getvalue()
