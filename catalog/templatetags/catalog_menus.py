"""``{% options choices chosen %}``: the ``<option>`` lines of a filter menu.

The category and search pages offer the same menus (fiscal year, unit, file kind; search adds the
category). Written as a template loop, each option cost four variable lookups and a comparison,
and the menus were most of the template work of the first page after a publication (issue 18);
here they are one joined string, escaped the same way.
"""

from __future__ import annotations

from django import template
from django.utils.html import format_html_join

register = template.Library()


@register.simple_tag
def options(choices, chosen):
    """``<option value="…">label</option>`` for each (value, label) pair; the one equal to
    ``chosen`` (compared as given: a number with a number) is marked selected."""
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((value, " selected" if value == chosen else "", label) for value, label in choices),
    )
