"""Template filters for what the workflow says about a request, read from approvals.steps."""

from django import template

from approvals import steps

register = template.Library()


@register.filter
def status(req) -> str:
    """``{{ req|status }}``: the status as every page and message shows it (who holds the step)."""
    return steps.status_label(req)
