from django.apps import AppConfig


class EsaPublishConfig(AppConfig):
    """The project package as an app: Thai template tags, shell templates, demo data command."""

    name = "esa_publish"
    verbose_name = "esa-publish"

    def ready(self):
        from esa_publish import checks  # noqa: F401  (registers the deployment checks)
