"""Admin pages for the office profile, units, people, roles and holidays.

Setting up an office: the units (กลุ่ม/หน่วย) with, on each unit's page, who directs it and which
deputy oversees it (the one place for both); then the people, each with a unit and roles on their
own page. Roles are Django permission groups shown under their Thai names ("กลุ่มสิทธิ์"), so
the word "กลุ่ม" is left to the units.
"""

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from esa_publish.admin_labels import LabelledControlsAdmin, PersonChoiceField
from esa_publish.office import roles
from esa_publish.office.models import Holiday, Office, PermissionGroup, Unit, User
from esa_publish.thai.admin import BEDates, be_date_column

ROLES_HELP = _(
    "บทบาทบอกว่าบุคคลนี้ทำงานใดในระบบได้ ส่วนการเป็นผู้อำนวยการของกลุ่ม/หน่วยใด "
    "และรองผู้อำนวยการที่กำกับดูแลกลุ่ม/หน่วยใด กำหนดที่หน้า “กลุ่ม/หน่วย”"
)


@admin.register(Office)
class OfficeAdmin(admin.ModelAdmin):
    list_display = ["short_name", "name_th", "doc_prefix", "phone"]
    fieldsets = [
        (None, {"fields": ["name_th", "name_en", "short_name", "director_title"]}),
        (_("หนังสือราชการ"), {"fields": ["doc_prefix", "emblem", "memo_is_public"]}),
        (_("การติดต่อ"), {"fields": ["address", "phone", "email", "website"]}),
    ]

    def has_add_permission(self, request):
        # One installation, one office.
        return not Office.objects.exists() and super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Unit)
class UnitAdmin(LabelledControlsAdmin):
    list_display = ["name", "director", "deputy", "order", "is_active"]
    list_editable = ["order", "is_active"]
    list_filter = ["is_active", "deputy"]
    search_fields = ["name", "short_name"]
    # Plain select boxes rather than autocomplete widgets: each stays tied to its label (an
    # office has a few hundred people at most).
    PEOPLE_ROLES = {"director": roles.GROUP_DIRECTOR, "deputy": roles.DEPUTY}

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.PEOPLE_ROLES:
            role = self.PEOPLE_ROLES[db_field.name]
            kwargs["form_class"] = PersonChoiceField
            kwargs["queryset"] = User.objects.filter(is_active=True).order_by(
                "first_name", "last_name", "username"
            )
            kwargs["help_text"] = _("ผู้ที่เลือกควรมีบทบาท “%(role)s” ที่หน้าผู้ใช้") % {
                "role": roles.LABELS[role]
            }
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class RoleFilter(admin.SimpleListFilter):
    title = _("บทบาท")
    parameter_name = "role"

    def lookups(self, request, model_admin):
        return [(name, label) for name, label in roles.LABELS.items()]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(groups__name=self.value())
        return queryset


class RoleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return roles.LABELS.get(obj.name, obj.name)


@admin.register(User)
class UserAdmin(LabelledControlsAdmin, DjangoUserAdmin):
    list_display = ["username", "full_name", "position_title", "unit", "role_list", "is_active"]
    list_filter = ["unit", RoleFilter, "is_active", "is_staff"]
    search_fields = ["username", "first_name", "last_name", "email", "position_title"]
    readonly_fields = ["directs", "oversees"]
    fieldsets = [
        *DjangoUserAdmin.fieldsets[:1],
        (
            _("ข้อมูลบุคลากรและบทบาท"),
            {
                "fields": [
                    "name_prefix",
                    "first_name",
                    "last_name",
                    "position_title",
                    "unit",
                    "groups",
                    "directs",
                    "oversees",
                    "email",
                    "phone",
                ]
            },
        ),
        # Work is given through roles; per-user Django permissions (listed under their English
        # names from the database) would only confuse, so the page leaves them out.
        (_("สิทธิ์การใช้ระบบ"), {"fields": ["is_active", "is_staff", "is_superuser"]}),
        *DjangoUserAdmin.fieldsets[3:],
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": [
                    "username",
                    "name_prefix",
                    "first_name",
                    "last_name",
                    "position_title",
                    "unit",
                    "groups",
                    "password1",
                    "password2",
                ],
            },
        )
    ]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups":
            kwargs["form_class"] = RoleChoiceField
            kwargs["widget"] = forms.CheckboxSelectMultiple
            kwargs["queryset"] = Group.objects.order_by("name")
            kwargs["help_text"] = ROLES_HELP
            field = super().formfield_for_manytomany(db_field, request, **kwargs)
            field.label = _("บทบาท")
            return field
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("unit").prefetch_related("groups")

    @admin.display(description=_("ชื่อ-สกุล"))
    def full_name(self, obj):
        return obj.full_name

    @admin.display(description=_("บทบาท"))
    def role_list(self, obj):
        return ", ".join(str(roles.LABELS.get(g.name, g.name)) for g in obj.groups.all())

    def _units(self, units):
        if not units:
            return _("— (กำหนดที่หน้า “กลุ่ม/หน่วย”)")
        return format_html_join(
            ", ",
            '<a href="{}">{}</a>',
            ((reverse("admin:office_unit_change", args=[u.pk]), u.name) for u in units),
        )

    @admin.display(description=_("เป็นผู้อำนวยการของกลุ่ม/หน่วย"))
    def directs(self, obj):
        return self._units(list(obj.directed_units.all()) if obj.pk else [])

    @admin.display(description=_("กำกับดูแลกลุ่ม/หน่วย (รองผู้อำนวยการ)"))
    def oversees(self, obj):
        return self._units(list(obj.overseen_units.all()) if obj.pk else [])


admin.site.unregister(Group)


@admin.register(PermissionGroup)
class PermissionGroupAdmin(DjangoGroupAdmin):
    list_display = ["role_label", "name", "member_count"]

    def get_readonly_fields(self, request, obj=None):
        # The code finds each role by its group's name: renaming one would silently end it.
        if obj is not None and obj.name in roles.ALL:
            return ["name"]
        return []

    @admin.display(description=_("บทบาท"), ordering="name")
    def role_label(self, obj):
        return roles.LABELS.get(obj.name, obj.name)

    @admin.display(description=_("จำนวนผู้ใช้"))
    def member_count(self, obj):
        return format_html("{}", obj.user_set.count())


@admin.register(Holiday)
class HolidayAdmin(BEDates, LabelledControlsAdmin):
    list_display = [be_date_column("date", _("วันที่")), "name"]
    ordering = ["date"]
