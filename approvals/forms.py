"""The small form behind every action button on the request page."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from approvals.actions import ACTIONS
from esa_publish import text_limits
from requests.states import State

COMMENT_MAX_LENGTH = text_limits.COMMENT


class ActForm(forms.Form):
    """Which action, the comment, and the state the person saw when they clicked.

    ``expected_state`` lets the service refuse an action on a request that moved on since the
    page was drawn, instead of applying it to a step the person never saw.
    """

    action = forms.ChoiceField(choices=[(name, a.label) for name, a in ACTIONS.items()])
    comment = text_limits.text_field(COMMENT_MAX_LENGTH, rows=2, label=_("ความเห็น/เหตุผล"))
    expected_state = forms.ChoiceField(choices=State.choices, required=False)
