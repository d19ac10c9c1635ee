"""Keep the default taxonomy and the shipped ITA lists present after every migrate.

A new fiscal year gets no list here (that would show last year's O-numbers as this year's):
``manage.py ita_rollover`` opens the year, and the office imports or copies and confirms its list.

post_migrate also runs after the test runner flushes a database, so tests see the same defaults
as a fresh installation.
"""

from django.db.models.signals import post_migrate
from django.dispatch import Signal, receiver


@receiver(post_migrate, dispatch_uid="catalog.ensure_defaults")
def ensure_defaults(sender, app_config=None, using="default", **kwargs):
    if app_config is None or app_config.label != "catalog":
        return
    from catalog.defaults import load_categories, load_ita_lists

    load_ita_lists(using=using)
    load_categories(using=using)


# Sent inside the publishing transaction when an item appears or is taken down; receivers that
# touch anything outside the database should defer their work with transaction.on_commit.
item_changed = Signal()
