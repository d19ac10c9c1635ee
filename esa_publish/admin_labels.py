"""Every control of our admin forms carries a name people and screen readers can find it by.

Django's admin leaves two kinds of control without a label: the date and time boxes of a date-time
field (the field's <label> points at neither since MultiWidget has no single id) and the cells of
a tabular inline (the column heading is not a label). These give each its name as aria-label.
People are chosen from plain select boxes (:class:`PeopleSelects`): the autocomplete widget's box
is not tied to the field's label, and an office has a few hundred people at most.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.forms import MultiWidget
from django.utils.translation import gettext as _


def _name_parts(widget, label: str) -> None:
    """Name the parts of a date-time field: "วันที่เผยแพร่ (วันที่)", "… (เวลา)"."""
    inner = getattr(widget, "widget", widget)  # the admin's related-object wrapper
    if isinstance(inner, MultiWidget):
        parts = [_("วันที่"), _("เวลา")] if len(inner.widgets) == 2 else []
        for index, part in enumerate(inner.widgets):
            suffix = parts[index] if parts else str(index + 1)
            part.attrs.setdefault("aria-label", f"{label} ({suffix})")


def label_controls(form_class, *, every_field: bool = False) -> None:
    """Add the names to ``form_class``'s fields (its own copies, made for this request);
    ``every_field`` also names single controls (a tabular inline's cells)."""
    for field in form_class.base_fields.values():
        label = str(field.label or "")
        _name_parts(field.widget, label)
        if every_field and label:
            field.widget.attrs.setdefault("aria-label", label)


class LabelledControlsAdmin(admin.ModelAdmin):
    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        label_controls(form)
        return form

    def get_changelist_form(self, request, **kwargs):
        """The list's editable cells: each named by its column and its row ("ลำดับ กลุ่ม…")."""
        base = super().get_changelist_form(request, **kwargs)

        class RowForm(base):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                for field in self.fields.values():
                    row = f" {self.instance}" if self.instance.pk else ""
                    field.widget.attrs["aria-label"] = f"{field.label}{row}"

        return RowForm


class LabelledTabularInline(admin.TabularInline):
    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        label_controls(formset.form, every_field=True)
        return formset


class PersonChoiceField(forms.ModelChoiceField):
    """People by name and position, so the right "ผู้อำนวยการกลุ่ม" is easy to pick."""

    def label_from_instance(self, obj):
        name = obj.full_name or obj.get_username()
        return f"{name} — {obj.position_title}" if obj.position_title else name


class PeopleSelects:
    """Mixin for a ModelAdmin or inline: the fields in ``people_fields`` are plain select boxes
    of the active people by name and position."""

    people_fields: tuple[str, ...] = ()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.people_fields:
            kwargs["form_class"] = PersonChoiceField
            kwargs["queryset"] = db_field.related_model.objects.filter(is_active=True).order_by(
                "first_name", "last_name", "username"
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
