"""History: the requester's events and the decisions are two models, each with one writer, both
append-only by one rule; the migration that split them loses nothing.

The migration test runs Django's own MigrationExecutor on a database holding the demo data: back
to before the split (every requester event becomes a decision row again), then forward, and every
row of both tables must come back with exactly the content it had.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from approvals.models import Decision, ReportEvent
from esa_publish import demo
from requests.models import RequestEvent
from tests.workflow import make_request

BEFORE = [("requests", "0004_request_events")]
AFTER = [("requests", "0005_move_requester_events")]
EVENT_FIELDS = ("request_id", "action", "state", "actor_id", "actor_name", "actor_position")
DECISION_FIELDS = tuple(
    f.attname for f in Decision._meta.concrete_fields if f.attname not in {"id", "details"}
)


def _events(model) -> list[tuple]:
    rows = model.objects.order_by("created_at", "pk").values_list(
        *EVENT_FIELDS, "created_at", "details"
    )
    return [(*row[:-1], repr(sorted(row[-1].items()))) for row in rows]


def _decisions(model) -> list[tuple]:
    rows = model.objects.order_by("created_at", "pk").values_list(*DECISION_FIELDS, "details")
    return [(*row[:-1], repr(sorted(row[-1].items()))) for row in rows]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    executor.loader.build_graph()
    others = [n for n in executor.loader.graph.leaf_nodes() if n[0] != "requests"]
    return executor.loader.project_state([*others, *targets]).apps


@pytest.mark.django_db(transaction=True)
def test_the_demo_history_survives_the_migration_row_for_row():
    demo.seed(lambda line: None)
    events, decisions = _events(RequestEvent), _decisions(Decision)
    assert {e[1] for e in events} == {"create", "edit"}
    assert not Decision.objects.filter(action__in=["create", "edit"]).exists()

    try:
        old = _migrate(BEFORE)  # also takes back the later migrations that depend on it
        OldDecision = old.get_model("approvals", "Decision")
        assert old.get_model("requests", "RequestEvent").objects.count() == 0
        assert OldDecision.objects.count() == len(events) + len(decisions)
        moved_back = OldDecision.objects.filter(action__in=["create", "edit"])
        assert sorted(
            (d.request_id, d.action, d.from_state, d.to_state, d.actor_id, d.created_at)
            for d in moved_back
        ) == sorted((e[0], e[1], e[2], e[2], e[3], e[6]) for e in events)

        new = _migrate(AFTER)
        assert _events(new.get_model("requests", "RequestEvent")) == events
        assert _decisions(new.get_model("approvals", "Decision")) == decisions
    finally:  # leave the database fully migrated for the tests that follow
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db
@pytest.mark.parametrize("model", [Decision, RequestEvent, ReportEvent])
def test_history_rows_are_never_changed_or_deleted(people, model):
    req = make_request(people, "submitted")
    row = model.objects.first() if model is not ReportEvent else None
    if row is None:
        assert model is ReportEvent  # no report event here; the queryset rule is enough
    else:
        with pytest.raises(TypeError):
            row.save()
        with pytest.raises(TypeError):
            row.delete()
    with pytest.raises(TypeError):
        model.objects.all().update(actor_name="x")
    with pytest.raises(TypeError):
        model.objects.all().delete()
    assert req.decisions.count() == 1 and req.events.count() == 1


def test_each_history_has_one_writer():
    base = Path(settings.BASE_DIR)
    writers = {"Decision": set(), "RequestEvent": set()}
    for folder in ("approvals", "catalog", "requests", "esa_publish"):
        for path in (base / folder).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            text = path.read_text(encoding="utf-8")
            for model in writers:
                if re.search(rf"\b{model}\.objects\.(create|bulk_create)|\b{model}\(", text):
                    writers[model].add(str(path.relative_to(base)))
    writers["Decision"].discard("approvals/models.py")
    writers["RequestEvent"].discard("requests/models.py")
    assert writers == {
        "Decision": {"approvals/services.py"},
        "RequestEvent": {"requests/services.py"},
    }


def test_the_append_only_rule_is_written_once():
    base = Path(settings.BASE_DIR)
    found = [
        str(path.relative_to(base))
        for folder in ("approvals", "catalog", "requests", "esa_publish")
        for path in (base / folder).rglob("*.py")
        if "append-only" in path.read_text(encoding="utf-8")
        and "raise TypeError" in path.read_text(encoding="utf-8")
    ]
    assert found == ["esa_publish/append_only.py"]
