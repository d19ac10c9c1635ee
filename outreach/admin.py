from django.contrib import admin

from esa_publish.admin_labels import LabelledControlsAdmin
from outreach.forms import OutreachSettingsForm
from outreach.models import OutreachSettings, Share


@admin.register(OutreachSettings)
class OutreachSettingsAdmin(admin.ModelAdmin):
    form = OutreachSettingsForm
    list_display = ["__str__", "primary_colour", "accent_colour", "updated_at"]

    def has_add_permission(self, request):
        return not OutreachSettings.objects.exists()


@admin.register(Share)
class ShareAdmin(LabelledControlsAdmin):
    list_display = ["item", "channel", "shared_at", "shared_by_name"]
    list_filter = ["channel"]
    raw_id_fields = ["item", "shared_by"]
    date_hierarchy = "shared_at"
