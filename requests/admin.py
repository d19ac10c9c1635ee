"""Admin view of requests: read-only, because state and content change only through the app."""

from django.contrib import admin

from esa_publish.admin_labels import LabelledControlsAdmin
from requests.models import Attachment, Photo, PublicationRequest


class AttachmentInline(admin.TabularInline):
    model = Attachment
    fields = ["original_name", "kind", "size", "sha256", "is_public"]
    readonly_fields = fields
    extra = 0
    can_delete = False


class PhotoInline(admin.TabularInline):
    model = Photo
    fields = ["original_name", "caption", "order", "is_cover", "is_public"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(PublicationRequest)
class PublicationRequestAdmin(LabelledControlsAdmin):
    list_display = ["pk", "publish_title", "state", "unit", "requester", "due_on", "created_at"]
    list_filter = ["state", "unit", "category", "urgency"]
    search_fields = ["publish_title", "public_title", "requester_name"]
    list_select_related = ["unit", "requester"]
    inlines = [AttachmentInline, PhotoInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
