"""The public search page, mounted at ``/search/`` by the project's URL map."""

from django.urls import path

from catalog.search import views

app_name = "search"

urlpatterns = [path("", views.results, name="results")]
