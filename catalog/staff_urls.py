"""The webmaster's publishing pages, under /publishing/."""

from django.urls import path

from catalog import staff_views

app_name = "publishing"

urlpatterns = [
    path("", staff_views.queue, name="queue"),
    path("<int:request_pk>/", staff_views.plan, name="plan"),
    path("item/<int:item_pk>/takedown/", staff_views.takedown, name="takedown"),
    path("item/<int:item_pk>/correct/", staff_views.correct, name="correct"),
]
