"""Pages of the shell that belong to no app."""

from django.shortcuts import render

from catalog.models import Category


def home(request):
    """The public front page: the office's categories (the catalog fills in items later)."""
    categories = Category.objects.active()
    return render(request, "home.html", {"categories": categories})
