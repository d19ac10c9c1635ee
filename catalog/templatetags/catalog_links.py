"""Template helpers for the public lists, made for speed (issue 18: cold pages lean).

- ``{{ item|thumb_url }}``: a list's cover thumbnail address (catalog/links.py), cheaper than
  ``{% url 'catalog:photo' item.pk item.cover_id 'thumb' %}`` and the same.
- ``{% item_row item show_category %}``: one row of a list (``catalog/_item_row.html``), rendered
  once and then remembered by this process. The row is the same wherever and whenever the item
  is listed: the key holds every value the row shows, so a changed title, date, unit, cover or
  category name is a new row, and nothing needs to be forgotten on a change. A publication makes
  every cached page cold (catalog/cache.py), but the lists rebuilt after it render only the new
  item's row: rendering the rows was two thirds of a cold category page's CPU.
- ``{% search_result row %}``: one search result (``search/_result.html``). Its title and snippet
  are marked for this query, so the row is remembered as a skeleton with two place-holders, keyed
  like the list rows, and the escaped title and snippet go into it each time.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict

from django import template
from django.template.loader import get_template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from catalog.links import photo_url

register = template.Library()

ROW_TEMPLATE = "catalog/_item_row.html"
RESULT_TEMPLATE = "search/_result.html"
# Private-use characters: never in a title or snippet, left as they are by escaping.
TITLE_MARK, SNIPPET_MARK = "\ue000title\ue000", "\ue000snippet\ue000"
_MARKS = re.compile(f"{TITLE_MARK}|{SNIPPET_MARK}")
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


def _remembered(key: tuple, template_name: str, context: dict) -> str:
    with _rows_lock:
        html = _rows.get(key)
        if html is not None:
            _rows.move_to_end(key)
            return html
    html = get_template(template_name).render(context)
    with _rows_lock:
        _rows[key] = html
        while len(_rows) > MAX_ROWS:
            _rows.popitem(last=False)
    return html


@register.simple_tag
def item_row(item, show_category=False):
    key = _row_key(item, bool(show_category))
    html = _remembered(key, ROW_TEMPLATE, {"item": item, "show_category": bool(show_category)})
    return mark_safe(html)  # noqa: S308 - our own template's output, escaped when rendered


@register.simple_tag
def search_result(row):
    item = row["item"]
    has_snippet = bool(row["snippet"])
    key = (
        "result",
        *_row_key(item, True),
        item.fiscal_year,
        tuple(item.file_kinds or ()),
        has_snippet,
    )
    marks = {"item": item, "title": TITLE_MARK, "snippet": SNIPPET_MARK if has_snippet else ""}
    skeleton = _remembered(key, RESULT_TEMPLATE, {"row": marks})
    values = {TITLE_MARK: row["title"], SNIPPET_MARK: row["snippet"]}
    # One pass, so a title that happened to hold a mark is never filled in itself.
    html = _MARKS.sub(lambda found: conditional_escape(values[found.group()]), skeleton)
    return mark_safe(html)  # noqa: S308 - the title and snippet are escaped as they go in


def forget_rows() -> None:
    """Drop every remembered row (tests)."""
    with _rows_lock:
        _rows.clear()
