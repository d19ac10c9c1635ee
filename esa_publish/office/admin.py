"""Admin pages for the office profile, units, people and holidays."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from esa_publish.office.models import Holiday, Office, Unit, User


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
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "director", "deputy", "order", "is_active"]
    list_editable = ["order", "is_active"]
    list_filter = ["is_active", "deputy"]
    search_fields = ["name", "short_name"]
    autocomplete_fields = ["director", "deputy"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "full_name", "position_title", "unit", "is_active"]
    list_filter = ["unit", "groups", "is_active", "is_staff"]
    search_fields = ["username", "first_name", "last_name", "email", "position_title"]
    fieldsets = [
        *DjangoUserAdmin.fieldsets[:1],
        (
            _("ข้อมูลบุคลากร"),
            {
                "fields": [
                    "name_prefix",
                    "first_name",
                    "last_name",
                    "position_title",
                    "unit",
                    "email",
                    "phone",
                ]
            },
        ),
        *DjangoUserAdmin.fieldsets[2:],
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
                    "password1",
                    "password2",
                ],
            },
        )
    ]

    @admin.display(description=_("ชื่อ-สกุล"))
    def full_name(self, obj):
        return obj.full_name


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    list_display = ["date", "name"]
    date_hierarchy = "date"
