"""Public: the share image, the embeds and oEmbed. Staff: the share kit and the poster."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from catalog import evidence, selectors
from catalog.models import CatalogItem, Category
from esa_publish.office import roles
from esa_publish.office.models import Office
from outreach import kit
from outreach.embeds import framable
from outreach.forms import ShareForm
from outreach.models import Share

EMBED_DEFAULT_ITEMS, EMBED_MAX_ITEMS = 10, 30
OEMBED_WIDTH, OEMBED_HEIGHT = 600, 220
KITS_PAGE_SIZE = 20


def _live_or_404(pk: int) -> CatalogItem:
    item = selectors.live_item_or_none(pk)
    if item is None:
        raise Http404
    return item


# --- public --------------------------------------------------------------------------------


@require_safe
def share_image(request, pk: int):
    """The item's og:image. Only while it is live, like its photos."""
    item = _live_or_404(pk)
    response = HttpResponse(kit.share_image(item), content_type="image/jpeg")
    response["Cache-Control"] = "public, max-age=3600"
    return response


def _count(request) -> int:
    try:
        n = int(request.GET.get("n", EMBED_DEFAULT_ITEMS))
    except ValueError:
        n = EMBED_DEFAULT_ITEMS
    return min(max(n, 1), EMBED_MAX_ITEMS)


def _embed(request, template: str, context: dict):
    context = {"office": Office.current(), "site_url": settings.SITE_URL, **context}
    return framable(render(request, f"outreach/embed/{template}", context))


@require_safe
def embed_latest(request):
    items = selectors.latest_items(_count(request))
    return _embed(request, "list.html", {"heading": _("ข้อมูลเผยแพร่ล่าสุด"), "items": items})


@require_safe
def embed_category(request, slug: str):
    category = get_object_or_404(Category, slug=slug)
    items = selectors.category_items(category)[: _count(request)]
    return _embed(
        request,
        "list.html",
        {"heading": str(category), "items": items, "more_url": category_url(category)},
    )


def category_url(category: Category) -> str:
    return settings.SITE_URL + reverse("catalog:category", args=[category.slug])


@require_safe
def embed_ita(request, fiscal_year: int):
    if not 2500 <= fiscal_year < 2700:
        raise Http404
    return _embed(
        request,
        "ita.html",
        {
            "year": fiscal_year,
            "ita_items": evidence.for_year(fiscal_year),
            "more_url": settings.SITE_URL + reverse("catalog:ita", args=[fiscal_year]),
        },
    )


@require_safe
def embed_item(request, pk: int):
    item = _live_or_404(pk)
    return _embed(request, "item.html", {"item": item, "page_url": kit.page_url(item)})


@require_safe
def oembed(request):
    """oEmbed 1.0 (JSON) for item pages: a "rich" iframe of the item's card."""
    if request.GET.get("format", "json") != "json":
        return HttpResponse(status=501)
    url = request.GET.get("url", "")
    site = urlsplit(settings.SITE_URL)
    parts = urlsplit(url)
    if (parts.scheme, parts.netloc) != (site.scheme, site.netloc):
        raise Http404
    try:
        match = resolve(parts.path)
    except Resolver404:
        raise Http404 from None
    if match.view_name != "catalog:item":
        raise Http404
    item = _live_or_404(match.kwargs["pk"])
    width = _bounded(request.GET.get("maxwidth"), OEMBED_WIDTH)
    height = _bounded(request.GET.get("maxheight"), OEMBED_HEIGHT)
    src = settings.SITE_URL + reverse("outreach:embed_item", args=[item.pk])
    office = Office.current()
    iframe = (
        f'<iframe src="{src}" width="{width}" height="{height}" title="{_escape(item.title)}" '
        'loading="lazy" style="border:0;max-width:100%"></iframe>'
    )
    return JsonResponse(
        {
            "version": "1.0",
            "type": "rich",
            "title": item.title,
            "provider_name": office.short_name or office.name_th,
            "provider_url": settings.SITE_URL + "/",
            "html": iframe,
            "width": width,
            "height": height,
            "thumbnail_url": settings.SITE_URL + reverse("outreach:share_image", args=[item.pk]),
            "thumbnail_width": 1200,
            "thumbnail_height": 630,
            "cache_age": 3600,
        },
        json_dumps_params={"ensure_ascii": False},
    )


def _bounded(value, default: int) -> int:
    try:
        return max(100, min(int(value), default))
    except (TypeError, ValueError):
        return default


def _escape(text: str) -> str:
    from django.utils.html import escape

    return escape(text)


# --- staff: the share kit --------------------------------------------------------------------


def _pr_staff_or_403(user) -> None:
    """The webmaster publishes and does the PR unit's posting (seed 003 §2.2)."""
    if not (user.is_superuser or user.has_role(roles.WEBMASTER)):
        raise PermissionDenied


@login_required
@require_safe
def kits(request):
    _pr_staff_or_403(request.user)
    items = (
        CatalogItem.objects.live()
        .select_related("category")
        .annotate(share_count=Count("shares"))
        .order_by("-published_at", "-pk")
    )
    page = Paginator(items, KITS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "outreach/kits.html", {"page": page})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def kit_page(request, item_pk: int):
    _pr_staff_or_403(request.user)
    item = get_object_or_404(CatalogItem.objects.live().select_related("category"), pk=item_pk)
    form = ShareForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        kit.share_record(item=item, user=request.user, **form.cleaned_data)
        messages.success(request, _("บันทึกการเผยแพร่แล้ว"))
        return redirect("outreach:kit", item_pk=item.pk)
    return render(
        request,
        "outreach/kit.html",
        {
            "item": item,
            "post_text": kit.post_text(item),
            "page_url": kit.readable_url(item),
            "image_url": reverse("outreach:share_image", args=[item.pk]),
            "form": form,
            "shares": Share.objects.filter(item=item),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_safe
def poster(request, item_pk: int):
    _pr_staff_or_403(request.user)
    item = get_object_or_404(CatalogItem.objects.live().select_related("category"), pk=item_pk)
    response = HttpResponse(kit.poster_pdf(item), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="poster-{item.pk}.pdf"'
    return response
