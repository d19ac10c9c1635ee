"""B.E. dates in the admin, typed and shown the way the office writes them.

Django's own date field reads "5/12/2569" as the year 2569 C.E. and its change lists print C.E.
years; an administrator entering a holiday or a delegation must not have to convert.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db import models

from esa_publish.thai.dates import SHORT, format_date_for_language
from esa_publish.thai.forms import BEDateField


class BEDates:
    """Mixin for a ``ModelAdmin``, before it: date inputs read B.E. years (``BEDateField``)."""

    formfield_overrides = {models.DateField: {"form_class": BEDateField, "widget": forms.TextInput}}


def be_date_column(field: str, description: str):
    """A change-list column showing ``field`` with its B.E. year, sortable by the field."""

    @admin.display(description=description, ordering=field)
    def column(obj):
        return format_date_for_language(getattr(obj, field), SHORT)

    column.__name__ = f"{field}_be"
    return column
