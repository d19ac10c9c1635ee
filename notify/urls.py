from django.urls import path

from notify import views, webhook

app_name = "notify"

urlpatterns = [
    path("", views.settings_page, name="settings"),
    path("line/code/", views.line_code, name="line_code"),
    path("line/unlink/", views.line_unlink_view, name="line_unlink"),
    path("line/webhook/", webhook.webhook, name="line_webhook"),
]
