from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApprovalsConfig(AppConfig):
    """The approval workflow: transitions, decisions, delegations and time frames."""

    name = "approvals"
    verbose_name = _("การพิจารณาอนุญาต")
