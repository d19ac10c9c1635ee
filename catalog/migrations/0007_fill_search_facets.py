"""Fill the search entries' ``facets`` for entries made before migration 0004.

0004 added the column empty, so until ``manage.py index_items`` had run, a search with a
category, year, unit or file-kind filter found nothing on an upgraded installation. The values
come from the item and its file and photo rows, in the format of ``catalog.search.facets_of``
(written out here, as a migration must not depend on code that may change): ``c:<category id>
y:<fiscal year> [u:<unit id>] k:<kind>…``, kinds sorted, "photo" for a gallery. The update goes
through the ORM, so the SQLite full-text triggers and PostgreSQL's generated column follow.
"""

from collections import defaultdict

from django.db import migrations

BATCH = 1000


def facets(item, kinds) -> str:
    tokens = [f"c:{item.category_id}", f"y:{item.fiscal_year}"]
    if item.unit_id is not None:
        tokens.append(f"u:{item.unit_id}")
    tokens += [f"k:{kind}" for kind in sorted(kinds) if kind and " " not in kind]
    return " ".join(tokens)


def fill(apps, schema_editor):
    entries = apps.get_model("catalog", "CatalogSearchEntry")
    items = apps.get_model("catalog", "CatalogItem")
    files = apps.get_model("catalog", "CatalogFile")
    photos = apps.get_model("catalog", "CatalogPhoto")
    empty = entries.objects.filter(facets="").order_by("item_id")
    last = 0
    while True:
        batch = list(empty.filter(item_id__gt=last)[:BATCH])
        if not batch:
            return
        ids = [entry.item_id for entry in batch]
        kinds = defaultdict(set)
        for item_id in photos.objects.filter(item_id__in=ids).values_list("item_id", flat=True):
            kinds[item_id].add("photo")
        for item_id, kind in files.objects.filter(item_id__in=ids).values_list("item_id", "kind"):
            kinds[item_id].add(kind)
        by_id = items.objects.in_bulk(ids)
        for entry in batch:
            item = by_id.get(entry.item_id)
            if item is not None:
                entry.facets = facets(item, kinds[entry.item_id])
        entries.objects.bulk_update(batch, ["facets"])
        last = ids[-1]


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0006_page_version"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
