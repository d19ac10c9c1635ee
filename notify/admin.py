from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from notify.forms import LineChannelForm
from notify.models import LineAccount, LineChannel, Preference


@admin.register(LineChannel)
class LineChannelAdmin(admin.ModelAdmin):
    form = LineChannelForm
    list_display = ["__str__", "secret_set", "token_set", "updated_at"]
    fields = ["basic_id", "channel_secret", "access_token", "clear_credentials"]

    @admin.display(boolean=True, description=_("มี secret"))
    def secret_set(self, obj):
        return bool(obj.secret)

    @admin.display(boolean=True, description=_("มี token"))
    def token_set(self, obj):
        return bool(obj.token)

    def has_add_permission(self, request):
        return not LineChannel.objects.exists()


@admin.register(LineAccount)
class LineAccountAdmin(admin.ModelAdmin):
    list_display = ["user", "linked_at"]
    fields = ["user", "linked_at"]  # the LINE user id is not needed by anyone reading this
    readonly_fields = ["user", "linked_at"]

    def has_add_permission(self, request):
        return False


@admin.register(Preference)
class PreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "channel", "frequency"]
    list_filter = ["channel", "frequency"]
