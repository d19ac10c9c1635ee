"""The share kit of a published item: post text, share image, poster; and recording shares."""

from __future__ import annotations

import logging
import re
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from PIL import Image, UnidentifiedImageError

from catalog.models import CatalogItem
from esa_publish.office.models import Office
from outreach.images import render_share_image
from outreach.models import OutreachSettings, Share
from outreach.poster import render_poster_pdf, short_url

log = logging.getLogger(__name__)

_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
DEFAULT_PRIMARY, DEFAULT_ACCENT = "#17407a", "#f0b400"
POST_SUMMARY_CHARS = 400
IMAGE_CACHE_SECONDS = 24 * 60 * 60


def colours() -> tuple[str, str]:
    """The office's colours, checked again here since they end up in CSS and images."""
    style = OutreachSettings.current()
    primary = style.primary_colour if _COLOUR.match(style.primary_colour) else DEFAULT_PRIMARY
    accent = style.accent_colour if _COLOUR.match(style.accent_colour) else DEFAULT_ACCENT
    return primary, accent


def page_url(item: CatalogItem) -> str:
    return settings.SITE_URL + item.get_absolute_url()


def readable_url(item: CatalogItem) -> str:
    """The page's address as people read it (Thai letters, not percent-escapes)."""
    return unquote(page_url(item))


def post_text(item: CatalogItem) -> str:
    """Ready to paste into Facebook or LINE: title, summary, link, the office's tag."""
    summary = " ".join(item.summary.split())
    if len(summary) > POST_SUMMARY_CHARS:
        summary = summary[:POST_SUMMARY_CHARS].rsplit(" ", 1)[0] + " …"
    office = Office.current()
    tag = "#" + re.sub(r"[\s.]+", "", office.short_name) if office.short_name else ""
    # The short address: a Thai slug percent-encoded is nine characters a letter.
    link = short_url(item)
    parts = [item.title, summary, f"อ่านรายละเอียดและดาวน์โหลดเอกสาร: {link}", tag]
    return "\n\n".join(p for p in parts if p)


def _cover(item: CatalogItem) -> Image.Image | None:
    photo = item.photos.order_by("-is_cover", "order", "pk").first()
    if photo is None or not photo.image:
        return None
    try:
        with photo.image.open("rb") as handle:
            picture = Image.open(handle)
            picture.draft("RGB", (900, 1260))  # JPEG: decode at reduced size, much faster
            picture.load()
            return picture
    except (OSError, UnidentifiedImageError, ValueError) as error:
        log.warning("cover of item %s unreadable: %s", item.pk, error)
        return None


def share_image(item: CatalogItem) -> bytes:
    """The item's share image, kept in the cache until the item or the colours change."""
    style = OutreachSettings.current()
    stamp = f"{item.updated_at.timestamp()}:{style.updated_at.timestamp() if style.pk else 0}"
    key = f"outreach:share-image:{item.pk}:{stamp}"
    data = cache.get(key)
    if data is None:
        data = render_share_image_for(item)
        cache.set(key, data, IMAGE_CACHE_SECONDS)
    return data


def render_share_image_for(item: CatalogItem) -> bytes:
    primary, accent = colours()
    office = Office.current()
    return render_share_image(
        title=item.title,
        office_name=office.short_name or office.name_th,
        category=str(item.category),
        published_at=item.published_at,
        host=urlsplit(settings.SITE_URL).netloc,
        primary=primary,
        accent=accent,
        cover=_cover(item),
    )


def poster_pdf(item: CatalogItem) -> bytes:
    primary, accent = colours()
    return render_poster_pdf(item, page_url=short_url(item), primary=primary, accent=accent)


def share_record(*, item: CatalogItem, user, channel: str, shared_at, url="", note="") -> Share:
    """Record that ``item`` went out on ``channel`` (append-only; the name is kept as it was)."""
    with transaction.atomic():
        return Share.objects.create(
            item=item,
            channel=channel,
            url=url,
            note=note,
            shared_by=user,
            shared_by_name=user.full_name or user.get_username(),
            shared_at=shared_at,
        )
