"""Give every fiscal year that has ITA items its list record, and confirm only the lists that
somebody checked.

Until now ``migrate`` copied the latest list into the current fiscal year, marked "still to be
checked", and the public pages showed those copied O-numbers as the year's own. A year with any
item still marked to check is left unconfirmed here, so its public page says the list is not yet
announced until the office confirms it. No item, mapping or published item is touched: once the
office confirms the list (after correcting it), everything mapped to it shows again.
"""

from django.db import migrations
from django.utils import timezone


def forwards(apps, schema_editor):
    ITAItem = apps.get_model("catalog", "ITAItem")
    ITAList = apps.get_model("catalog", "ITAList")
    db = schema_editor.connection.alias
    years = ITAItem.objects.using(db).values_list("fiscal_year", flat=True).distinct()
    now = timezone.now()
    for year in sorted(set(years)):
        if ITAList.objects.using(db).filter(fiscal_year=year).exists():
            continue
        checked = not ITAItem.objects.using(db).filter(fiscal_year=year, needs_check=True).exists()
        ITAList.objects.using(db).create(
            fiscal_year=year,
            verification="verified" if checked else "to_check",
            source="" if checked else "คัดลอกจากปีก่อนโดยอัตโนมัติ ยังไม่ได้ตรวจสอบ",
            confirmed_at=now if checked else None,
            confirmed_by_name="(รายการที่ตรวจสอบแล้วก่อนการปรับปรุง)" if checked else "",
        )


class Migration(migrations.Migration):
    dependencies = [("catalog", "0014_ita_lists_by_year")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
