"""The public catalog's addresses. ``/catalog/<id>/<slug>/`` must stay valid for years: ITA
evidence lists and other offices' pages link to it."""

import os

from django.urls import path
from django.views.generic import RedirectView

from catalog import api, dcat, feeds, staff_ita, views

app_name = "catalog"

# The catalog's categories are listed on the home page; a shortened address leads there.
to_home = RedirectView.as_view(pattern_name="home", permanent=True)

urlpatterns = [
    path("", to_home),
    path("category/", to_home),
    path("category/<str:slug>/", views.category, name="category"),
    path("category/<str:slug>/feed/", feeds.CategoryFeed(), name="category_feed"),
    path("feed/", feeds.LatestItemsFeed(), name="feed"),
    path("ita/gaps/", views.ita_gaps_current, name="ita_gaps_current"),
    path("ita/<int:fiscal_year>/", views.ita_evidence, name="ita"),
    path("ita/<int:fiscal_year>/gaps/", views.ita_gaps, name="ita_gaps"),
    path("ita/<int:fiscal_year>.csv", views.ita_csv, name="ita_csv"),
    path("ita/<int:fiscal_year>/itas.xlsx", views.itas_export, {"fmt": "xlsx"}, name="itas_xlsx"),
    path("ita/<int:fiscal_year>/itas.csv", views.itas_export, {"fmt": "csv"}, name="itas_csv"),
    path("ita/<int:fiscal_year>/<str:code>/", views.ita_item, name="ita_item"),
    path("ita/<int:fiscal_year>/<str:code>/manage/", staff_ita.manage, name="ita_manage"),
    path("api/categories/", api.categories, name="api_categories"),
    path("api/items/", api.items, name="api_items"),
    path("api/items/<int:pk>/", api.item, name="api_item"),
    path("dcat.jsonld", dcat.catalog, name="dcat"),
    path("api/", api.not_found),
    path("api/<path:rest>", api.not_found),
    path("<int:pk>/files/<int:file_pk>/", views.download, name="download"),
    path("<int:pk>/photos/<int:photo_pk>/<str:size>/", views.photo, name="photo"),
    path("<int:pk>/memo.pdf", views.memo, name="memo"),
    path("<int:pk>/<str:slug>/", views.item, name="item"),
    # A shortened address (a slug lost in a chat message): redirects to the item's own.
    path("<int:pk>/", views.item, {"slug": ""}, name="item_by_id"),
]

# Only for bench/catalog_throughput.py: the yardstick page, never routed in normal running.
if os.environ.get("BENCH_BARE_VIEW") == "1":
    urlpatterns.append(path("bench/bare/", views.bare, name="bench_bare"))
