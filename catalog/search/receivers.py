"""Keeping the index current as items are published and taken down.

``catalog.signals.item_changed`` is sent inside the publishing transaction; the entry is written
after the commit, from the item as committed, so a rolled-back publication never reaches the
index. A failure here is logged (``robust``) rather than shown to the webmaster whose
publication already succeeded; ``manage.py index_items`` picks the item up later because its
entry is missing or older than the item.
"""

from __future__ import annotations

from django.db import transaction
from django.dispatch import receiver

from catalog.signals import item_changed


@receiver(item_changed, dispatch_uid="catalog.search.reindex")
def reindex_changed_item(sender, item, **kwargs) -> None:
    from catalog.search.index import refresh

    item_id = item.pk
    transaction.on_commit(lambda: refresh(item_id), robust=True)
