from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    """The category taxonomy, ITA items and (later) the public catalog."""

    name = "catalog"
    verbose_name = _("หมวดหมู่และแคตตาล็อก")

    def ready(self) -> None:
        from catalog import publishing, signals  # noqa: F401
        from catalog.oia import signals as oia_signals  # noqa: F401
        from catalog.search import receivers  # noqa: F401
