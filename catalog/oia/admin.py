"""Admin pages of the information centre: mapping categories to the Act's headings, the Royal
Gazette references of section 7, and the centre's settings with the people the order appoints."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from catalog.oia.models import Appointee, GazetteNotice, InformationCentre, OIAHeading
from esa_publish.admin_labels import LabelledTabularInline, PeopleSelects


class GazetteNoticeInline(LabelledTabularInline):
    model = GazetteNotice
    extra = 0


@admin.register(OIAHeading)
class OIAHeadingAdmin(admin.ModelAdmin):
    """The headings are the law's: the administrator maps categories, never adds or removes."""

    list_display = ["label", "name", "mapped_categories"]
    list_filter = ["section"]
    fields = ["code", "section", "parent", "name", "categories"]
    readonly_fields = ["code", "section", "parent", "name"]
    filter_horizontal = ["categories"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("categories")

    def get_inlines(self, request, obj):
        return [GazetteNoticeInline] if obj is not None and obj.section == 7 else []

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("มาตรา"), ordering="order")
    def label(self, obj):
        return obj.label

    @admin.display(description=_("หมวดหมู่ที่จัดไว้"))
    def mapped_categories(self, obj):
        return ", ".join(str(c) for c in obj.categories.all()) or "—"


class AppointeeInline(PeopleSelects, LabelledTabularInline):
    model = Appointee
    extra = 1
    people_fields = ("user",)


@admin.register(InformationCentre)
class InformationCentreAdmin(PeopleSelects, admin.ModelAdmin):
    inlines = [AppointeeInline]
    people_fields = ("officer",)
    readonly_fields = ["documents"]
    fieldsets = [
        (None, {"fields": ["name", "officer", "location", "phone", "email", "hours", "rules"]}),
        (
            _("ประกาศมาตรการเผยแพร่ข้อมูลต่อสาธารณะ"),
            {"fields": ["steps", "announcement_date"]},
        ),
        (
            _("คำสั่งแต่งตั้งผู้รับผิดชอบการเผยแพร่ข้อมูล"),
            {"fields": ["order_number", "order_date", "duties"]},
        ),
        (_("ผู้ลงนาม"), {"fields": ["signer_name", "signer_position", "documents"]}),
    ]

    def has_add_permission(self, request):
        # One centre per installation.
        return not InformationCentre.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("เอกสาร (PDF)"))
    def documents(self, obj):
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a>',
            reverse("oia:announcement_pdf"),
            _("ประกาศมาตรการ"),
            reverse("oia:order_pdf"),
            _("คำสั่งแต่งตั้ง"),
        )
