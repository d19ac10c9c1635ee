"""Keep the current fiscal year's ITA list present after every migrate."""

from django.db.models.signals import post_migrate
from django.dispatch import receiver


@receiver(post_migrate, dispatch_uid="catalog.ensure_current_ita_year")
def ensure_current_ita_year(sender, app_config=None, using="default", **kwargs):
    if app_config is None or app_config.label != "catalog":
        return
    from catalog.services import ita_ensure_year

    ita_ensure_year(using=using)
