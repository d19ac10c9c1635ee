"""The information centre's public addresses (/oia/)."""

from django.urls import path

from catalog.oia import views

app_name = "oia"

urlpatterns = [
    path("", views.centre, name="centre"),
    path("announcement.pdf", views.announcement_pdf, name="announcement_pdf"),
    path("order.pdf", views.order_pdf, name="order_pdf"),
]
