"""JSON Lines rows for backups, with times kept to the microsecond.

Django's JSON encoder cuts datetimes and times to milliseconds (a choice made for JavaScript), so a
dump taken with ``dumpdata`` and loaded back does not give the same rows: ``created_at``
12:00:00.123456 comes back as 12:00:00.123. A backup must give back exactly what it took, so this
serializer is Django's JSON Lines one with an encoder that writes full ISO 8601 times. The reading
side needs nothing special: the fields parse full ISO 8601 themselves.
"""

from __future__ import annotations

import datetime as dt

from django.core.serializers import jsonl
from django.core.serializers.json import DjangoJSONEncoder


class ExactJSONEncoder(DjangoJSONEncoder):
    def default(self, o):
        if isinstance(o, dt.datetime | dt.time):
            return o.isoformat()
        return super().default(o)


class Serializer(jsonl.Serializer):
    def _init_options(self):
        super()._init_options()
        self.json_kwargs["cls"] = ExactJSONEncoder


Deserializer = jsonl.Deserializer
