"""Put the Act's headings back after a migrate or a test database flush (see oia/data.py)."""

from django.db.models.signals import post_migrate
from django.dispatch import receiver


@receiver(post_migrate, dispatch_uid="catalog.oia.ensure_headings")
def ensure_headings(sender, app_config=None, using="default", **kwargs):
    if app_config is None or app_config.label != "catalog":
        return
    from catalog.oia.data import load_headings
    from catalog.oia.models import OIAHeading

    load_headings(OIAHeading, using=using)
