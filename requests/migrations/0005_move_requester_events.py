"""Move the requester's create/edit rows out of the decisions into RequestEvent, losing nothing.

Only fields that such rows always leave at their defaults are dropped (role "requester", the same
state before and after, no verdict, comment, delegation or note); a row that has anything in them
stops the migration instead of losing it. Reversible: the rows go back as they were.
"""

from django.db import migrations

MOVED = ("create", "edit")
ALWAYS_EMPTY = {
    "role": "requester",
    "verdict": "",
    "comment": "",
    "on_behalf_of_id": None,
    "principal_name": "",
    "principal_position": "",
    "capacity": "",
    "note": "",
}


def forward(apps, schema_editor):
    Decision = apps.get_model("approvals", "Decision")
    RequestEvent = apps.get_model("requests", "RequestEvent")
    rows = list(Decision.objects.filter(action__in=MOVED).order_by("created_at", "pk"))
    events = []
    for row in rows:
        kept = {name: getattr(row, name) for name in ALWAYS_EMPTY}
        if kept != ALWAYS_EMPTY or row.from_state != row.to_state:
            raise RuntimeError(f"decision {row.pk} ({row.action}) holds more than an event can")
        events.append(
            RequestEvent(
                request_id=row.request_id,
                action=row.action,
                state=row.from_state,
                actor_id=row.actor_id,
                actor_name=row.actor_name,
                actor_position=row.actor_position,
                details=row.details,
                created_at=row.created_at,
            )
        )
    RequestEvent.objects.bulk_create(events, batch_size=500)
    Decision.objects.filter(pk__in=[row.pk for row in rows]).delete()


def backward(apps, schema_editor):
    Decision = apps.get_model("approvals", "Decision")
    RequestEvent = apps.get_model("requests", "RequestEvent")
    for event in RequestEvent.objects.order_by("created_at", "pk"):
        decision = Decision.objects.create(
            request_id=event.request_id,
            action=event.action,
            from_state=event.state,
            to_state=event.state,
            actor_id=event.actor_id,
            actor_name=event.actor_name,
            actor_position=event.actor_position,
            details=event.details,
            **ALWAYS_EMPTY,
        )
        # created_at is auto_now_add on Decision: put the original time back.
        Decision.objects.filter(pk=decision.pk).update(created_at=event.created_at)
    RequestEvent.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("requests", "0004_request_events"),
        ("approvals", "0003_quarterly_reports"),
    ]

    operations = [migrations.RunPython(forward, backward)]
