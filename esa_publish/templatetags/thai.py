"""Template filters for Thai dates and digits (filled in by the Thai helpers)."""

from django import template

register = template.Library()
