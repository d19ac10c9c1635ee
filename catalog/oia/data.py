"""The Act's headings as shipped data (catalog/data/oia_headings.json).

Loaded by a data migration and again after every migrate (a test database flushed between tests
loses what migrations put in it), each time adding only the codes that are missing, so an
administrator's mapping and edits are never overwritten.
"""

from __future__ import annotations

import json
from pathlib import Path

HEADINGS_FILE = Path(__file__).resolve().parent.parent / "data" / "oia_headings.json"


def headings() -> list[dict]:
    return json.loads(HEADINGS_FILE.read_text(encoding="utf-8"))["headings"]


def load_headings(model, *, using: str = "default") -> int:
    """Create the headings missing from ``model``'s table (the real or a migration's model)."""
    manager = model.objects.using(using)
    existing = {heading.code: heading for heading in manager.all()}
    created = 0
    for order, row in enumerate(headings(), start=1):
        if row["code"] in existing:
            continue
        parent = existing.get(row.get("parent", ""))
        existing[row["code"]] = manager.create(
            code=row["code"], section=row["section"], name=row["name"], order=order, parent=parent
        )
        created += 1
    return created
