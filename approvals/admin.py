"""Admin for delegations and time frames; decisions are shown read-only (append-only history)."""

from django.contrib import admin

from approvals.models import Decision, Delegation, ReviewRoute, TimeFrame
from esa_publish.admin_labels import PeopleSelects


@admin.register(Delegation)
class DelegationAdmin(PeopleSelects, admin.ModelAdmin):
    list_display = ["delegate", "capacity", "principal", "starts_on", "ends_on", "is_cancelled"]
    list_filter = ["capacity", "is_cancelled"]
    people_fields = ("principal", "delegate")
    date_hierarchy = "starts_on"


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
