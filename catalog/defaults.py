"""The default taxonomy: seed 000's nine categories and the ITA lists shipped as data.

Loaded after every migrate, but only where nothing is there yet, so an office's own edits are
never overwritten: the categories only into an empty table, an ITA year only when it has no items.
The data lives in catalog/data/*.json (seed 003's eighteen categories are a second sample, loadable
with ``manage.py load_categories catalog/data/categories_tak2.json``).

Each ITA file says where its list comes from and whether it was checked against the NACC's
announcement. Only a "verified" list is confirmed on loading; one still "to be checked" is
loaded for the office to check and confirm, and until then its year's public page says the list
is not yet announced. Nothing here creates a list for a year no file covers: the rollover to a new
fiscal year is ``manage.py ita_rollover``, not a side effect of ``migrate``.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.db import transaction
from django.utils import timezone

DATA = Path(__file__).resolve().parent / "data"
DEFAULT_CATEGORIES = DATA / "categories_chachoengsao1.json"
ITA_FILES = (DATA / "ita_2566.json", DATA / "ita_2568.json", DATA / "ita_2569.json")
# The category files name ITA codes of the 2566–2567 list; codes mean other things in other years.
CATEGORY_ITA_YEARS = (2566, 2567)


def load_json(path: Path):
    return json.loads(Path(path).read_text(encoding="utf-8"))


def shipped_ita_lists() -> dict[int, dict]:
    """Every shipped ITA list by fiscal year (a file may serve several years)."""
    lists = {}
    for path in ITA_FILES:
        data = load_json(path)
        for year in [data["fiscal_year"], *data.get("also_for", [])]:
            lists[year] = data
    return lists


def list_notes(data: dict) -> str:
    """The file's "not found" and "sources disagree" notes as one text for the admin."""
    lines = [data.get("not_found", "")] + [f"• {d}" for d in data.get("disagreements", [])]
    if data.get("group_note"):
        lines.append(f"• {data['group_note']}")
    return "\n".join(line for line in lines if line)


@transaction.atomic
def load_ita_lists(using="default") -> int:
    """Load each shipped year that has no items yet; returns how many years were loaded."""
    from catalog.models import ITAItem, ITAList

    created = 0
    for year, data in shipped_ita_lists().items():
        if ITAItem.objects.using(using).filter(fiscal_year=year).exists():
            continue
        verified = data["verification"] == ITAList.Verification.VERIFIED
        ita_list, _ = ITAList.objects.using(using).get_or_create(fiscal_year=year)
        ita_list.source = "\n".join(data["source"])
        ita_list.notes = list_notes(data)
        ita_list.verification = data["verification"]
        if verified and ita_list.confirmed_at is None:
            ita_list.confirmed_at = timezone.now()
            ita_list.confirmed_by_name = "(รายการที่มากับโปรแกรม ตรวจสอบแล้ว)"
        ita_list.save()
        ITAItem.objects.using(using).bulk_create(
            ITAItem(
                fiscal_year=year,
                code=row["code"],
                name=row["name"],
                order=order,
                group=row.get("group", ""),
                description=row.get("evidence", ""),
                data_year_offset=row.get("data_year", 0),
                parts=row.get("parts", ""),
                needs_check=row.get("status") != ITAList.Verification.VERIFIED,
                source_note=row.get("note", ""),
            )
            for order, row in enumerate(data["items"], start=1)
        )
        created += 1
    return created


@transaction.atomic
def load_categories(path: Path = DEFAULT_CATEGORIES, *, using="default", only_if_empty=True) -> int:
    """Create the categories in ``path``; each row may name the 2566–2567 ITA codes it maps to."""
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
            category.ita_items.set(
                ITAItem.objects.using(using).filter(
                    code__in=row["ita"], fiscal_year__in=CATEGORY_ITA_YEARS
                )
            )
    return created
