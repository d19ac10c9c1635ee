"""Top-level URL map: the public catalog at the root, staff pages under their apps."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path

from catalog import sitemaps
from catalog import views as catalog_views
from esa_publish import health, views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("catalog/", include("catalog.urls")),
    path("oia/", include("catalog.oia.urls")),
    path("search/", include("catalog.search.urls")),
    path("robots.txt", catalog_views.robots_txt, name="robots_txt"),
    path("favicon.ico", catalog_views.favicon_ico, name="favicon"),
    path("sitemap.xml", sitemaps.index, name="sitemap"),
    path(
        "sitemap-<section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": sitemaps.SITEMAPS},
        name="sitemap-section",
    ),
    path("language/", views.set_language, name="language"),
    path("accounts/login/", views.LoginView.as_view(), name="login"),
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
    path("reports/", include("approvals.reports.urls")),
    # Before publishing/: the share kit lives under publishing/share/.
    path("", include("outreach.urls")),
    path("publishing/", include("catalog.staff_urls")),
    path("notifications/", include("notify.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

admin.site.site_header = "esa-publish"
admin.site.site_title = "esa-publish"

# Parser refusals (too many files, fields or bytes) explained in the page's language.
handler400 = "esa_publish.errors.bad_request"
