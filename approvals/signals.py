"""What the workflow tells the layers above it, so that it imports nothing from them.

Both are sent inside the action's transaction, with the request row locked: a receiver that
raises a :class:`~approvals.errors.WorkflowError` stops the action and nothing is recorded.
Receivers that reach outside the database defer that work with ``transaction.on_commit``.
"""

from django.dispatch import Signal

#: Before a request is published (``req``): receivers check it may be (the catalog's publishing
#: plan) and return a dict of audit details to record with the decision.
publishing = Signal()

#: After every transition, once its history row is written (``req``, ``decision``): the catalog
#: creates or takes down the public item here.
transitioned = Signal()
