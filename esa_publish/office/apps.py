from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OfficeConfig(AppConfig):
    """The office, its units (กลุ่ม/หน่วย), its people and their roles."""

    name = "esa_publish.office"
    label = "office"
    verbose_name = _("สำนักงานและบุคลากร")

    def ready(self) -> None:
        from esa_publish.office import signals  # noqa: F401
