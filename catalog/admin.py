"""Admin pages for the category taxonomy and the ITA lists."""

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from catalog.models import Category, ITAItem
from catalog.services import ita_copy_year


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "order", "is_active", "needs_legal_review"]
    list_editable = ["order", "is_active", "needs_legal_review"]
    list_display_links = ["code", "name"]
    list_filter = ["is_active", "needs_legal_review"]
    search_fields = ["code", "name"]
    prepopulated_fields = {"slug": ["code"]}
    filter_horizontal = ["ita_items"]

    def has_delete_permission(self, request, obj=None):
        # Retire instead of deleting, so published items keep their category.
        return False


class CopyYearForm(forms.Form):
    to_year = forms.IntegerField(label=_("คัดลอกไปยังปีงบประมาณ (พ.ศ.)"), min_value=2500)


@admin.register(ITAItem)
class ITAItemAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "fiscal_year", "needs_check"]
    list_filter = ["fiscal_year", "needs_check"]
    list_editable = ["needs_check"]
    search_fields = ["code", "name"]
    ordering = ["-fiscal_year", "order"]
    actions = ["copy_to_next_year", "mark_checked"]

    @admin.action(description=_("คัดลอกรายการของปีที่เลือกไปยังปีถัดไป"))
    def copy_to_next_year(self, request, queryset):
        years = sorted(set(queryset.values_list("fiscal_year", flat=True)))
        if len(years) != 1:
            self.message_user(request, _("เลือกรายการจากปีงบประมาณเดียว"), messages.ERROR)
            return
        created = ita_copy_year(from_year=years[0], to_year=years[0] + 1, needs_check=True)
        self.message_user(
            request,
            ngettext(
                "คัดลอก %(n)d ข้อไปยังปี %(y)d แล้ว (ทำเครื่องหมายว่ายังต้องตรวจสอบ)",
                "คัดลอก %(n)d ข้อไปยังปี %(y)d แล้ว (ทำเครื่องหมายว่ายังต้องตรวจสอบ)",
                created,
            )
            % {"n": created, "y": years[0] + 1},
            messages.SUCCESS,
        )

    @admin.action(description=_("ยืนยันว่าตรวจสอบแล้ว"))
    def mark_checked(self, request, queryset):
        queryset.update(needs_check=False)


# The information centre (catalog/oia/) registers its own pages.
from catalog.oia import admin as oia_admin  # noqa: E402, F401
