"""Pages of the shell that belong to no app: the public front page, the language switch and
signing in."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import check_for_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from approvals.landing import landing_url
from catalog import selectors
from catalog.cache import cache_public_page
from catalog.views import current_fiscal_year, search_url


@require_safe
@cache_public_page
def home(request):
    """The public front page: newest items, the categories with their counts, this fiscal
    year's ITA evidence list and a search box."""
    year = current_fiscal_year()
    return render(
        request,
        "home.html",
        {
            "latest": selectors.list_rows(selectors.latest_items()),
            "categories": list(selectors.categories_with_counts()),
            "ita_year": year,
            "ita_url": reverse("catalog:ita", args=[year]),
            "search_url": search_url(),
            "feed_url": reverse("catalog:feed"),
        },
    )


@require_safe
@never_cache
def set_language(request):
    """Remember the chosen language in its cookie and go back to the page the visitor was on.

    Django's own ``set_language`` takes a POST with a CSRF token; the switch sits on every page,
    so that token would make every public page personal and uncacheable. Choosing a language is
    harmless to be tricked into, so a plain GET form is enough. ``next`` must be on this site.
    """
    language = request.GET.get("language", "")
    target = request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = HttpResponseRedirect(target)
    if language in dict(settings.LANGUAGES) and check_for_language(language):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
    return response


class LoginView(auth_views.LoginView):
    """Signing in: a safe ``next`` wins; otherwise each person lands on what waits for them
    (approvals/landing.py) instead of the public home page."""

    def get_default_redirect_url(self):
        return landing_url(self.request.user)
