"""The default taxonomy: seed 000's nine categories and the 2566–2567 ITA list.

Loaded after every migrate, but only where nothing is there yet, so an office's own edits are
never overwritten: the categories only into an empty table, an ITA year only when it has no items.
The data lives in catalog/data/*.json (seed 003's eighteen categories are a second sample, loadable
with ``manage.py load_categories catalog/data/categories_tak2.json``).
"""

from __future__ import annotations

import json
from pathlib import Path

from django.db import transaction

DATA = Path(__file__).resolve().parent / "data"
DEFAULT_CATEGORIES = DATA / "categories_chachoengsao1.json"
ITA_LISTS = {2566: DATA / "ita_2566.json", 2567: DATA / "ita_2566.json"}


def load_json(path: Path):
    return json.loads(Path(path).read_text(encoding="utf-8"))


@transaction.atomic
def load_ita_lists(using="default") -> int:
    from catalog.models import ITAItem

    created = 0
    for year, path in ITA_LISTS.items():
        if ITAItem.objects.using(using).filter(fiscal_year=year).exists():
            continue
        ITAItem.objects.using(using).bulk_create(
            ITAItem(fiscal_year=year, code=code, name=name, order=order)
            for order, (code, name) in enumerate(load_json(path), start=1)
        )
        created += 1
    return created


@transaction.atomic
def load_categories(path: Path = DEFAULT_CATEGORIES, *, using="default", only_if_empty=True) -> int:
    """Create the categories in ``path``; each row may name ITA codes it maps to (all years)."""
    from catalog.models import Category, ITAItem

    categories = Category.objects.using(using)
    if only_if_empty and categories.exists():
        return 0
    created = 0
    start = categories.count()
    for order, row in enumerate(load_json(path), start=start + 1):
        category, made = categories.get_or_create(
            slug=row["slug"],
            defaults={
                "code": row["code"],
                "name": row["name"],
                "order": order,
                "needs_legal_review": row.get("legal", False),
            },
        )
        if made:
            created += 1
            category.ita_items.set(ITAItem.objects.using(using).filter(code__in=row["ita"]))
    return created
