"""Admin for delegations and time frames; decisions are shown read-only (append-only history)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from approvals.models import Decision, Delegation, ReviewRoute, TimeFrame
from esa_publish.admin_labels import PeopleSelects
from esa_publish.thai.admin import BEDates, be_date_column


@admin.register(Delegation)
class DelegationAdmin(BEDates, PeopleSelects, admin.ModelAdmin):
    list_display = [
        "delegate",
        "capacity",
        "principal",
        be_date_column("starts_on", _("ตั้งแต่วันที่")),
        be_date_column("ends_on", _("ถึงวันที่")),
        "is_cancelled",
    ]
    list_filter = ["capacity", "is_cancelled"]
    people_fields = ("principal", "delegate")
    ordering = ["-starts_on"]


@admin.register(TimeFrame)
class TimeFrameAdmin(admin.ModelAdmin):
    list_display = ["state", "working_days"]


@admin.register(ReviewRoute)
class ReviewRouteAdmin(admin.ModelAdmin):
    list_display = ["category", "route"]
    list_select_related = ["category"]


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    list_display = ["created_at", "request", "action", "actor_name", "principal_name", "verdict"]
    list_filter = ["action", "verdict"]
    search_fields = ["actor_name", "principal_name", "comment"]
    list_select_related = ["request"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
