"""``PublishPlan.confirmed_at``: when the webmaster last checked the plan.

Existing plans count as confirmed when they were last saved; publishing compares that with the
request's latest approval, so a plan left over from before a send-back is refused rather than
carried out.
"""

from django.db import migrations, models
from django.db.models import F


def fill(apps, schema_editor):
    PublishPlan = apps.get_model("catalog", "PublishPlan")
    PublishPlan.objects.update(confirmed_at=F("updated_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0008_search_entry_published_at"),
    ]

    operations = [
        migrations.AddField(
            model_name="publishplan",
            name="confirmed_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
