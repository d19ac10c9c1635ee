"""The append-only rule, written once: rows of a history are never changed or deleted.

Models whose rows are records of what happened (decisions, a requester's edits, report events)
inherit :class:`AppendOnlyModel`: saving an existing row, deleting one, and the queryset's bulk
``update``/``delete`` all raise ``TypeError``. Migrations use plain managers, so a data migration
may still move rows between tables.
"""

from __future__ import annotations

from django.db import models


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError(f"{self.model.__name__} rows are append-only.")

    def delete(self):
        raise TypeError(f"{self.model.__name__} rows are append-only.")


class AppendOnlyModel(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError(f"{type(self).__name__} rows are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError(f"{type(self).__name__} rows are append-only.")
