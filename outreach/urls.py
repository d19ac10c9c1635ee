from django.urls import path

from outreach import views

app_name = "outreach"

urlpatterns = [
    path("share/<int:pk>.jpg", views.share_image, name="share_image"),
    path("embed/latest/", views.embed_latest, name="embed_latest"),
    path("embed/category/<str:slug>/", views.embed_category, name="embed_category"),
    path("embed/ita/<int:fiscal_year>/", views.embed_ita, name="embed_ita"),
    path("embed/item/<int:pk>/", views.embed_item, name="embed_item"),
    path("oembed/", views.oembed, name="oembed"),
    path("publishing/share/", views.kits, name="kits"),
    path("publishing/share/<int:item_pk>/", views.kit_page, name="kit"),
    path("publishing/share/<int:item_pk>/poster.pdf", views.poster, name="poster"),
]
