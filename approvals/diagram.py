"""Draw the workflow from the state machine itself, so docs/WORKFLOW.md cannot drift from code."""

from __future__ import annotations

from django.utils import translation

from approvals.actions import ACTIONS
from approvals.steps import STEPS
from requests.models import PublicationRequest
from requests.states import State

SPECIAL_EDGES = {
    "pass_first_review_to_director": "review.forward (no deputy)",
    "agree_first_review": "review.forward (the first of both)",
}


def transitions() -> list[tuple[str, str, str]]:
    """(source, target, method name) for every transition of the request's state field."""
    field = PublicationRequest._meta.get_field("state")
    rows = set()
    for transition in field.get_all_transitions(PublicationRequest):
        rows.add((transition.source, transition.target, transition.name))
    return sorted(rows)


def mermaid() -> str:
    """A Mermaid state diagram: each edge labelled with the actions that take it."""
    lines = ["stateDiagram-v2", "    [*] --> draft"]
    with translation.override("th"):
        for value, label in State.choices:
            lines.append(f"    {value} : {value} ({label})")
    for source, target, method in transitions():
        names = ", ".join(
            sorted(
                a.name for a in ACTIONS.values() if a.transition == method and source in a.sources
            )
            or [SPECIAL_EDGES.get(method, method)]
        )
        lines.append(f"    {source} --> {target} : {names}")
    for final in (State.REJECTED, State.WITHDRAWN, State.UNPUBLISHED):
        lines.append(f"    {final} --> [*]")
    return "\n".join(lines) + "\n"


def steps_table() -> str:
    """The waiting steps as declared in approvals/steps.py: who holds each, its time limit."""
    lines = [
        "| state | who holds it (delegates included, except the requester's) "
        "| limit (working days) | reminders, dashboard |",
        "|---|---|---|---|",
    ]
    for step in STEPS.values():
        days = str(step.days) if step.days is not None else "—"
        lines.append(
            f"| `{step.state}` | {step.holder.describe()} | {days} "
            f"| {'yes' if step.reviewer else 'no'} |"
        )
    return "\n".join(lines) + "\n"


def document() -> str:
    return (
        "# The workflow of a request\n\n"
        "Generated from the state machine and the declared steps (`approvals/steps.py`) by "
        "`python manage.py workflow_diagram`; a test fails when this file and the code "
        "disagree.\n\n"
        "## Who holds each step\n\n" + steps_table() + "\n"
        "An administrator may change a limit (Time frames in the admin). "
        "A published item waits for nobody; the webmaster's group may take it down.\n\n"
        "## States and transitions\n\n"
        "`review.forward` goes to `recommended` instead of `reviewed` when no deputy oversees "
        "the requester's unit (`pass_first_review_to_director`); the decision row says so. "
        "Where both the group director and a legal officer review (`first_reviewer=both`, "
        "chosen per category in the admin), the first to agree leaves it in `submitted` "
        "(`agree_first_review`) until the other agrees.\n\n"
        "```mermaid\n" + mermaid() + "```\n"
    )
