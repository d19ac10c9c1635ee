"""The role groups exist after every migrate (and test-database flushes); people without a role
are told so when they sign in."""

from django.contrib.auth.signals import user_logged_in
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


@receiver(user_logged_in, dispatch_uid="office.tell_people_without_a_role")
def tell_people_without_a_role(sender, request, user, **kwargs):
    """Someone signed in with no role learns at once what they may do, and whom to ask."""
    if request is None or user.is_superuser or not hasattr(request, "_messages"):
        return
    from django.contrib import messages

    from esa_publish.office.roles import no_role_notice

    notice = no_role_notice(user)
    if notice:
        messages.info(request, notice)
