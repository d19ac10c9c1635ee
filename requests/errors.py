"""The errors of a request's services and of the workflow that moves it (``approvals.errors``
adds the workflow's own messages). ``message`` is shown to the user as it is."""


class WorkflowError(Exception):
    """An action that cannot happen; ``message`` is shown to the user as it is."""

    def __init__(self, message, *, field: str | None = None):
        super().__init__(str(message))
        self.message = message
        self.field = field


class NotAllowed(WorkflowError):
    """The user may see the request but may not take this action now (HTTP 403)."""


class AlreadyDecided(WorkflowError):
    """The request moved on since the user loaded the page (someone else acted first)."""


class Incomplete(WorkflowError):
    """The request lacks something it needs before it can go on (shown on the form)."""
