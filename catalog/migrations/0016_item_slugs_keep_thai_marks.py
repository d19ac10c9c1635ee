"""Item slugs written again with their Thai vowels and tone marks (esa_publish.thai.slugs).

Slugs made by Django's slugify lost every combining mark ("ประกาศรายชอโรงเรยน"). The item's id
decides which page is shown and any other slug redirects permanently to the current one, so the
old addresses keep working after this.
"""

from django.db import migrations


def rewrite_slugs(apps, schema_editor):
    from esa_publish.thai.slugs import thai_slugify

    CatalogItem = apps.get_model("catalog", "CatalogItem")
    changed = []
    for item in CatalogItem.objects.only("pk", "title", "slug").iterator(chunk_size=2000):
        slug = thai_slugify(item.title, max_length=100)
        if item.slug and slug != item.slug:
            item.slug = slug
            changed.append(item)
        if len(changed) >= 2000:
            CatalogItem.objects.bulk_update(changed, ["slug"])
            changed = []
    CatalogItem.objects.bulk_update(changed, ["slug"])


class Migration(migrations.Migration):
    dependencies = [("catalog", "0015_unconfirm_copied_ita_lists")]

    operations = [migrations.RunPython(rewrite_slugs, migrations.RunPython.noop, elidable=True)]
