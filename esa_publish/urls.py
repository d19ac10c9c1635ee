"""Top-level URL map: the public catalog at the root, staff pages under their apps."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from esa_publish import views

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("requests/", include("requests.urls")),
    path("work/", include("approvals.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

admin.site.site_header = "esa-publish"
admin.site.site_title = "esa-publish"
