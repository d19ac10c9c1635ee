"""Template helpers for the public lists, made for speed (issue 18: cold pages lean).

- ``{{ item|thumb_url }}``: a list's cover thumbnail address (catalog/links.py), cheaper than
  ``{% url 'catalog:photo' item.pk item.cover_id 'thumb' %}`` and the same.
- ``{% item_row item show_category %}``: one row of a list (``catalog/_item_row.html``), rendered
  once and then remembered by this process. The row is the same wherever and whenever the item
  is listed: the key holds every value the row shows, so a changed title, date, unit, cover or
  category name is a new row, and nothing needs to be forgotten on a change. A publication makes
  every cached page cold (catalog/cache.py), but the lists rebuilt after it render only the new
  item's row: rendering the rows was two thirds of a cold category page's CPU.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from django import template
from django.template.loader import get_template
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from catalog.links import photo_url

register = template.Library()

ROW_TEMPLATE = "catalog/_item_row.html"
MAX_ROWS = 5000  # per process: ~1 KB each, so ~5 MB for the rows of the busiest lists

_rows: OrderedDict = OrderedDict()
_rows_lock = threading.Lock()


@register.filter
def thumb_url(item, size: str = "thumb") -> str:
    """The address of ``item``'s cover photo (``item.cover_id``) in ``size``."""
    return photo_url(item.pk, item.cover_id, size)


def _row_key(item, show_category: bool) -> tuple:
    return (
        get_language(),
        item.pk,
        item.slug,
        item.title,
        item.published_at,
        item.unit_name,
        item.cover_id,
        item.category.name if show_category else None,
    )


@register.simple_tag
def item_row(item, show_category=False):
    key = _row_key(item, bool(show_category))
    with _rows_lock:
        html = _rows.get(key)
        if html is not None:
            _rows.move_to_end(key)
            return html
    html = mark_safe(  # noqa: S308 - our own template's output, escaped when rendered
        get_template(ROW_TEMPLATE).render({"item": item, "show_category": bool(show_category)})
    )
    with _rows_lock:
        _rows[key] = html
        while len(_rows) > MAX_ROWS:
            _rows.popitem(last=False)
    return html


def forget_rows() -> None:
    """Drop every remembered row (tests)."""
    with _rows_lock:
        _rows.clear()
