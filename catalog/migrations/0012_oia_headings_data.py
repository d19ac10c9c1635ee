"""Ship the Official Information Act headings (section 7 (1)–(5), section 9 (1)–(8) and the
9(8) procurement items) as data."""

from django.db import migrations

from catalog.oia.data import load_headings


def forwards(apps, schema_editor):
    load_headings(apps.get_model("catalog", "OIAHeading"), using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0011_oia_centre")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
