"""Writes to the taxonomy: copying the ITA list from one fiscal year to the next."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from catalog.models import ITAItem
from esa_publish.thai.fiscal import fiscal_year


def ita_copy_year(
    *, from_year: int, to_year: int, needs_check: bool = True, using="default"
) -> int:
    """Copy fiscal year ``from_year``'s ITA items to ``to_year``; returns how many were created.

    Items whose code already exists in ``to_year`` are left as they are, so running it twice, or
    after an administrator has started editing the new year, never overwrites their work. Category
    mappings are copied with the items, so an office's mapping carries forward too.
    """
    created = 0
    with transaction.atomic(using=using):
        existing = set(
            ITAItem.objects.using(using).filter(fiscal_year=to_year).values_list("code", flat=True)
        )
        for item in ITAItem.objects.using(using).for_year(from_year).prefetch_related("categories"):
            if item.code in existing:
                continue
            copy = ITAItem.objects.using(using).create(
                fiscal_year=to_year,
                code=item.code,
                order=item.order,
                name=item.name,
                description=item.description,
                needs_check=needs_check,
            )
            copy.categories.set(item.categories.all())
            created += 1
    return created


def ita_ensure_year(*, today: dt.date | None = None, using="default") -> int:
    """Give the current fiscal year a copy of the latest list, marked as still to be checked.

    Does nothing when the year already has items or there is no earlier list to copy.
    """
    year = fiscal_year(today or timezone.localdate())
    items = ITAItem.objects.using(using)
    if items.filter(fiscal_year=year).exists():
        return 0
    latest = (
        items.filter(fiscal_year__lt=year)
        .order_by("-fiscal_year")
        .values_list("fiscal_year", flat=True)
        .first()
    )
    if latest is None:
        return 0
    return ita_copy_year(from_year=latest, to_year=year, needs_check=True, using=using)
