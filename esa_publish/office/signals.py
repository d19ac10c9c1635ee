"""Make sure the role groups exist after every migrate (and after test-database flushes)."""

from django.db.models.signals import post_migrate
from django.dispatch import receiver


@receiver(post_migrate, dispatch_uid="office.ensure_role_groups")
def ensure_role_groups(sender, app_config=None, using="default", **kwargs):
    if app_config is None or app_config.label != "office":
        return
    from django.contrib.auth.models import Group

    from esa_publish.office import roles

    for name in roles.ALL:
        Group.objects.using(using).get_or_create(name=name)
