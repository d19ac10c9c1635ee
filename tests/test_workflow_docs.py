"""docs/WORKFLOW.md is generated from the declared steps and the state machine; a stale copy fails
here. ``manage.py workflow_diagram --stdout`` prints the same text."""

import subprocess
import sys
from pathlib import Path

from django.conf import settings

from approvals.diagram import document


def test_workflow_md_is_what_the_code_generates():
    path = Path(settings.BASE_DIR) / "docs" / "WORKFLOW.md"
    assert path.read_text(encoding="utf-8") == document(), (
        "docs/WORKFLOW.md is stale: run `python manage.py workflow_diagram`"
    )


def test_the_command_prints_with_stdout():
    """As typed at the shell (the option once collided with Django's own ``stdout``)."""
    done = subprocess.run(
        [sys.executable, "manage.py", "workflow_diagram", "--stdout"],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == document()
    assert "| `reviewed` | the unit's `deputy`" in done.stdout
