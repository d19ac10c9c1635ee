from django.urls import path

from approvals import views

app_name = "approvals"

urlpatterns = [
    path("", views.pending, name="pending"),
    path("<int:pk>/act/", views.act, name="act"),
    path("decide/", views.decide_many, name="decide_many"),
    path("<int:pk>/claim/", views.claim, name="claim"),
    path("delegations/", views.delegations, name="delegations"),
]
