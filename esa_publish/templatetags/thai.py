"""Template filters for Thai dates, digits and fiscal years.

Registered as a template builtin in settings, so every template can use them without
``{% load %}``: ``{{ request.submitted_at|be_datetime }}``, ``{{ memo.date|be_date_thai }}``.
Like Django's own ``date`` filter they print nothing for ``None``, ``""`` or a value that is not a
date, so a missing optional date never breaks a page.
"""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils import timezone, translation

from esa_publish.thai import fiscal
from esa_publish.thai.dates import (
    DATETIME,
    LONG,
    SHORT,
    format_be_datetime,
    format_be_long,
    format_be_short,
    format_date_for_language,
)
from esa_publish.thai.digits import digits_for_page

register = template.Library()


def _date_filter(formatter, value, **kwargs) -> str:
    if not isinstance(value, dt.date):
        return ""
    return formatter(value, **kwargs)


def _english_page() -> bool:
    return (translation.get_language() or "th").split("-")[0] == "en"


def _page_date(formatter, style: str, value) -> str:
    """Thai forms in Thai digits on Thai pages ("๑๕ มี.ค. ๒๕๖๖"), so a date never sits in Arabic
    digits beside a Thai-digit count; "15 Mar 2566 BE" on English pages (always a B.E. year).
    The rule for digits is :func:`esa_publish.thai.digits.digits_for_page`'s."""
    if not isinstance(value, dt.date):
        return ""
    if _english_page():
        return format_date_for_language(value, style, "en")
    return formatter(value, thai_digits=True)


@register.filter(is_safe=True)
def thai_digits(value) -> str:
    """Arabic digits written as Thai digits on Thai pages (English pages keep Arabic digits);
    ``None`` prints nothing. Official documents use :func:`to_thai_digits` directly."""
    return digits_for_page(value)


@register.filter
def be_date(value) -> str:
    """ "๑๕ มีนาคม ๒๕๖๖" ("15 March 2566 BE" in English)."""
    return _page_date(format_be_long, LONG, value)


@register.filter
def be_date_short(value) -> str:
    """ "๑๕ มี.ค. ๒๕๖๖" ("15 Mar 2566 BE" in English)."""
    return _page_date(format_be_short, SHORT, value)


@register.filter
def be_datetime(value) -> str:
    """ "๑๕ มี.ค. ๒๕๖๖ ๑๔:๐๕ น." in local time ("15 Mar 2566 BE 14:05" in English)."""
    return _page_date(format_be_datetime, DATETIME, value)


@register.filter
def be_date_thai(value) -> str:
    """ "๑๕ มีนาคม ๒๕๖๖" — all Thai digits, as official documents write dates."""
    return _date_filter(format_be_long, value, thai_digits=True)


@register.filter
def fiscal_year(value) -> int | str:
    """The B.E. fiscal year of a date, e.g. 2569 for 1 Oct 2025; ``""`` for a non-date.

    An aware datetime counts on its local (Bangkok) date: 18:00 UTC on 30 September is already
    1 October, and so the next fiscal year, in the office.
    """
    if not isinstance(value, dt.date):
        return ""
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return fiscal.fiscal_year(value)


@register.filter
def html_datetime(value) -> str:
    """A datetime for ``<time datetime>``: ISO 8601 to the second ("2026-03-15T10:00:00+07:00").

    Django's ``date:'c'`` writes microseconds, and HTML's valid date strings allow at most three
    digits of a second's fraction: every item published through the app made the lists invalid.
    """
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(microsecond=0).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return ""


@register.filter
def canonical_url(request) -> str:
    """The page's one address on ``SITE_URL``: its path, with ``?page=`` beyond the first page
    and no other parameter (filters and tracking tags are the same page)."""
    from django.conf import settings
    from django.utils.http import urlencode

    page = request.GET.get("page", "")
    query = f"?{urlencode({'page': page})}" if page.isdigit() and page != "1" else ""
    return f"{settings.SITE_URL}{request.path}{query}"
