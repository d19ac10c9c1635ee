"""docs/WORKFLOW.md is generated from the declared steps and the state machine; a stale copy fails
here. ``manage.py workflow_diagram --stdout`` prints the same text."""

from io import StringIO
from pathlib import Path

from django.conf import settings
from django.core.management import call_command

from approvals.diagram import document


def test_workflow_md_is_what_the_code_generates():
    path = Path(settings.BASE_DIR) / "docs" / "WORKFLOW.md"
    assert path.read_text(encoding="utf-8") == document(), (
        "docs/WORKFLOW.md is stale: run `python manage.py workflow_diagram`"
    )


def test_the_command_prints_with_stdout():
    out = StringIO()
    call_command("workflow_diagram", "--stdout", stdout=out)
    assert out.getvalue() == document()
    assert "| `reviewed` | the unit's `deputy`" in out.getvalue()
