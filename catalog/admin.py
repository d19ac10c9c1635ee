"""Admin pages for the category taxonomy and the ITA lists of each fiscal year: confirming a
year's list, importing one from a file (preview, then confirm), copying a year, and mapping
categories to the items of one year."""

import secrets

from django import forms
from django.contrib import admin, messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from catalog import ita_import
from catalog.models import Category, ITAItem, ITAList, ITANilStatement
from catalog.services import (
    ITAError,
    ita_confirm_year,
    ita_copy_year,
    ita_import_year,
    ita_list_for,
    ita_set_mapping,
    ita_unconfirm_year,
)
from esa_publish.admin_labels import LabelledControlsAdmin
from esa_publish.thai.admin import BEDates, be_date_column
from requests.uploads import content_disposition

SESSION_KEY = "catalog.ita_import"


@admin.register(Category)
class CategoryAdmin(LabelledControlsAdmin):
    list_display = ["code", "name", "order", "is_active", "needs_legal_review"]
    list_editable = ["order", "is_active", "needs_legal_review"]
    list_display_links = ["code", "name"]
    list_filter = ["is_active", "needs_legal_review"]
    search_fields = ["code", "name"]
    prepopulated_fields = {"slug": ["code"]}
    # Mapped per fiscal year on the year's own page (ITA lists → mapping): codes change meaning
    # from year to year, so one list of every year's items here would invite mistakes.
    exclude = ["ita_items"]

    def has_delete_permission(self, request, obj=None):
        # Retire instead of deleting, so published items keep their category.
        return False


class ImportForm(forms.Form):
    fiscal_year = forms.IntegerField(label=_("ปีงบประมาณ (พ.ศ.)"), min_value=2500, max_value=2699)
    source = forms.CharField(
        label=_("ที่มาของรายการ"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("เช่น คู่มือการประเมิน ITA ของสำนักงาน ป.ป.ช. ปีงบประมาณ … หน้า …"),
    )
    file = forms.FileField(label=_("ไฟล์ CSV หรือ Excel (.xlsx)"))


class CopyForm(forms.Form):
    from_year = forms.IntegerField(label=_("คัดลอกจากปีงบประมาณ"), min_value=2500, max_value=2699)
    to_year = forms.IntegerField(label=_("ไปยังปีงบประมาณ"), min_value=2500, max_value=2699)
    with_mappings = forms.BooleanField(
        label=_("คัดลอกการจับคู่หมวดหมู่ไปด้วย"),
        required=False,
        help_text=_("เลือกเมื่อแน่ใจว่ารหัสข้อของปีใหม่มีความหมายเดียวกับปีเดิม"),
    )


@admin.register(ITAList)
class ITAListAdmin(admin.ModelAdmin):
    list_display = [
        "fiscal_year",
        "item_count",
        "verification",
        "confirmed",
        "confirmed_by_name",
        "mapping_link",
    ]
    readonly_fields = ["confirmed_at", "confirmed_by_name"]
    fields = ["fiscal_year", "source", "verification", "notes", "confirmed_at", "confirmed_by_name"]
    actions = ["confirm", "unconfirm"]
    change_list_template = "admin/catalog/italist/change_list.html"

    @admin.display(description=_("จำนวนข้อ"))
    def item_count(self, obj):
        return ITAItem.objects.filter(fiscal_year=obj.fiscal_year).count()

    def get_readonly_fields(self, request, obj=None):
        # The year is what ties the list to its items; it is never changed afterwards.
        return [*self.readonly_fields, "fiscal_year"] if obj else self.readonly_fields

    @admin.display(description=_("จับคู่หมวดหมู่"))
    def mapping_link(self, obj):
        url = reverse("admin:catalog_italist_mapping", args=[obj.pk])
        csv_url = reverse("admin:catalog_italist_export", args=[obj.pk])
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">CSV</a>', url, _("จับคู่หมวดหมู่"), csv_url
        )

    def export_view(self, request, pk: int):
        """The year's list in the import's own format: edit it in a spreadsheet, import it as
        another year's list."""
        ita_list = get_object_or_404(ITAList, pk=pk)
        if not self.has_view_permission(request, ita_list):
            return TemplateResponse(request, "403.html", status=403)
        response = HttpResponse(
            ita_import.export_csv(ITAItem.objects.for_year(ita_list.fiscal_year)),
            content_type="text/csv; charset=utf-8",
        )
        response["Content-Disposition"] = content_disposition(
            f"ita-list-{ita_list.fiscal_year}.csv"
        )
        return response

    @admin.display(description=_("ยืนยันแล้ว"), boolean=True)
    def confirmed(self, obj):
        return obj.is_confirmed

    @admin.action(description=_("ยืนยันรายการของปีที่เลือก (แสดงต่อสาธารณะ)"))
    def confirm(self, request, queryset):
        for ita_list in queryset:
            try:
                ita_confirm_year(fiscal_year=ita_list.fiscal_year, user=request.user)
            except ITAError as error:
                self.message_user(request, str(error), messages.ERROR)
            else:
                self.message_user(
                    request,
                    _("ยืนยันรายการ ITA ปี %(year)s แล้ว") % {"year": ita_list.fiscal_year},
                    messages.SUCCESS,
                )

    @admin.action(description=_("ยกเลิกการยืนยัน (ซ่อนจากหน้าสาธารณะเพื่อแก้ไข)"))
    def unconfirm(self, request, queryset):
        for ita_list in queryset:
            ita_unconfirm_year(fiscal_year=ita_list.fiscal_year)

    def get_urls(self):
        own = [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="catalog_italist_import",
            ),
            path("copy/", self.admin_site.admin_view(self.copy_view), name="catalog_italist_copy"),
            path(
                "<int:pk>/list.csv",
                self.admin_site.admin_view(self.export_view),
                name="catalog_italist_export",
            ),
            path(
                "<int:pk>/mapping/",
                self.admin_site.admin_view(self.mapping_view),
                name="catalog_italist_mapping",
            ),
        ]
        return own + super().get_urls()

    def _context(self, request, title, **extra):
        return {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": title,
            **extra,
        }

    def import_view(self, request):
        """Upload → preview with each row's problems → confirm: one transaction, all or nothing."""
        if not self.has_add_permission(request):
            return TemplateResponse(request, "403.html", status=403)
        changelist = reverse("admin:catalog_italist_changelist")
        pending = request.session.get(SESSION_KEY)
        if request.method == "POST" and "token" in request.POST:
            if not pending or not secrets.compare_digest(pending["token"], request.POST["token"]):
                self.message_user(
                    request, _("การนำเข้านี้หมดอายุแล้ว กรุณาอัปโหลดไฟล์อีกครั้ง"), messages.ERROR
                )
                return redirect("admin:catalog_italist_import")
            try:
                ita_import_year(
                    fiscal_year=pending["fiscal_year"],
                    rows=pending["rows"],
                    source=pending["source"],
                    user=request.user,
                    confirm=bool(request.POST.get("confirm_list")),
                )
            except ITAError as error:
                self.message_user(request, str(error), messages.ERROR)
                return redirect("admin:catalog_italist_import")
            del request.session[SESSION_KEY]
            self.message_user(
                request,
                ngettext(
                    "นำเข้า %(n)d ข้อของปี %(year)s แล้ว",
                    "นำเข้า %(n)d ข้อของปี %(year)s แล้ว",
                    len(pending["rows"]),
                )
                % {"n": len(pending["rows"]), "year": pending["fiscal_year"]},
                messages.SUCCESS,
            )
            return redirect(changelist)
        form = ImportForm(request.POST or None, request.FILES or None)
        parsed = None
        token = ""
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            year = form.cleaned_data["fiscal_year"]
            parsed = ita_import.parse(upload.name, upload.read(), fiscal_year=year)
            if parsed.ok:
                token = secrets.token_urlsafe(16)
                request.session[SESSION_KEY] = {
                    "token": token,
                    "fiscal_year": year,
                    "source": form.cleaned_data["source"],
                    "rows": parsed.clean_rows(),
                }
        return TemplateResponse(
            request,
            "admin/catalog/italist/import.html",
            self._context(
                request,
                _("นำเข้ารายการ ITA ของปีงบประมาณ"),
                form=form,
                parsed=parsed,
                preview=self._preview(parsed, form),
                token=token,
            ),
        )

    @staticmethod
    def _preview(parsed, form) -> list:
        """Each row with its data year as a B.E. year and its parts by name, as people read them."""
        if parsed is None:
            return []
        year = form.cleaned_data["fiscal_year"]
        parts = dict(ITAItem.Parts.choices)
        return [
            (row, year + row.values["data_year_offset"], parts.get(row.values["parts"], ""))
            for row in parsed.rows
        ]

    def copy_view(self, request):
        if not self.has_add_permission(request):
            return TemplateResponse(request, "403.html", status=403)
        form = CopyForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                created = ita_copy_year(
                    from_year=data["from_year"],
                    to_year=data["to_year"],
                    with_mappings=data["with_mappings"],
                )
            except ITAError as error:
                self.message_user(request, str(error), messages.ERROR)
            else:
                self.message_user(
                    request,
                    _("คัดลอก %(n)d ข้อไปยังปี %(y)d แล้ว แก้ไขให้ตรงกับประกาศ แล้วยืนยันรายการ")
                    % {"n": created, "y": data["to_year"]},
                    messages.SUCCESS,
                )
                return redirect("admin:catalog_italist_changelist")
        return TemplateResponse(
            request,
            "admin/catalog/italist/copy.html",
            self._context(request, _("คัดลอกรายการ ITA จากปีก่อน"), form=form),
        )

    def mapping_view(self, request, pk: int):
        """Which categories feed each item of this one year."""
        ita_list = get_object_or_404(ITAList, pk=pk)
        if not self.has_change_permission(request, ita_list):
            return TemplateResponse(request, "403.html", status=403)
        items = list(ITAItem.objects.for_year(ita_list.fiscal_year).prefetch_related("categories"))
        categories = list(Category.objects.active())
        if request.method == "POST":
            by_pk = {c.pk: c for c in categories}
            mapping = {
                item.pk: [
                    by_pk[int(v)]
                    for v in request.POST.getlist(f"item-{item.pk}")
                    if v.isdigit() and int(v) in by_pk
                ]
                for item in items
            }
            ita_set_mapping(fiscal_year=ita_list.fiscal_year, mapping=mapping)
            self.message_user(request, _("บันทึกการจับคู่แล้ว"), messages.SUCCESS)
            return redirect("admin:catalog_italist_mapping", pk=pk)
        rows = [(item, {c.pk for c in item.categories.all()}) for item in items]
        return TemplateResponse(
            request,
            "admin/catalog/italist/mapping.html",
            self._context(
                request,
                _("จับคู่หมวดหมู่กับข้อ ITA ปีงบประมาณ %(year)s") % {"year": ita_list.fiscal_year},
                ita_list=ita_list,
                rows=rows,
                categories=categories,
            ),
        )


@admin.register(ITAItem)
class ITAItemAdmin(LabelledControlsAdmin):
    list_display = ["code", "name", "fiscal_year", "data_year_offset", "parts", "needs_check"]
    list_filter = ["fiscal_year", "needs_check"]
    list_editable = ["needs_check"]
    search_fields = ["code", "name"]
    ordering = ["-fiscal_year", "order"]
    actions = ["mark_checked"]

    @admin.action(description=_("ยืนยันว่าตรวจสอบแล้ว"))
    def mark_checked(self, request, queryset):
        queryset.update(needs_check=False)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # An item typed in by hand opens its year's list, so the year can be confirmed.
        ita_list_for(obj.fiscal_year)


@admin.register(ITANilStatement)
class ITANilStatementAdmin(BEDates, LabelledControlsAdmin):
    list_display = [
        "ita_item",
        "part",
        "text",
        be_date_column("stated_on", _("วันที่")),
        "recorded_by_name",
    ]
    list_filter = ["ita_item__fiscal_year"]
    readonly_fields = ["recorded_by_name", "recorded_at"]
    raw_id_fields = ["ita_item"]
    exclude = ["recorded_by"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.recorded_by = request.user
            obj.recorded_by_name = request.user.full_name or request.user.get_username()
        super().save_model(request, obj, form, change)


# The information centre (catalog/oia/) registers its own pages.
from catalog.oia import admin as oia_admin  # noqa: E402, F401
