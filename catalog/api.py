"""A small read-only JSON API over the public catalog (documented in docs/API.md).

Plain Django views returning ``JsonResponse``, not Django REST framework: three GET endpoints
over data that is public anyway need no authentication, content negotiation or browsable pages,
and a dependency that large would be one more thing for every office to keep patched. A
per-visitor limit (``RATELIMIT_API``, esa_publish/throttle.py) keeps one harvester from taking
every worker; past it the answer is 429 with ``Retry-After``. Answers carry ETag, Last-Modified
and Cache-Control, and a poll that finds nothing new gets 304 (catalog/conditional.py).

The serialisers below are written out field by field on purpose: a field reaches the API only
when someone adds it here, so internal data (the request, its comments and history, the
requester's name, unpublished files) cannot slip out through a new model field.
"""

from __future__ import annotations

import functools

from django.core.paginator import EmptyPage, Paginator
from django.http import JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from catalog import selectors
from catalog.cache import cache_public_page
from catalog.conditional import conditional_public
from catalog.models import Category
from catalog.views import absolute
from esa_publish.throttle import rate_limited

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


def _json(data, status: int = 200) -> JsonResponse:
    # Thai stays readable in the response instead of \u0e2a escapes.
    return JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})


def _error(message: str, status: int) -> JsonResponse:
    return _json({"detail": message}, status=status)


def require_safe(view):
    """GET and HEAD only, like Django's ``require_safe``, but the 405 for any other method is
    JSON with ``detail`` (docs/API.md) and names the allowed methods in ``Allow``.

    Exempt from the CSRF check, which would otherwise answer a POST with the HTML 403 page
    before the view could: the API never changes anything, whatever the method.
    """

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            response = _error(f"method {request.method} not allowed: use GET", 405)
            response["Allow"] = "GET, HEAD"
            return response
        return view(request, *args, **kwargs)

    wrapper.csrf_exempt = True
    return wrapper


def not_found(request, rest: str = ""):
    """Any other address under the API: 404 in JSON, as every API error."""
    return _error("not found", 404)


def _category(category: Category) -> dict:
    return {"code": category.code, "name": category.name, "slug": category.slug}


def _item_summary(item) -> dict:
    return {
        "id": item.pk,
        "title": item.title,
        "summary": item.summary,
        "url": absolute(item.get_absolute_url()),
        "api_url": absolute(reverse("catalog:api_item", args=[item.pk])),
        "published_at": item.published_at.isoformat(),
        "fiscal_year": item.fiscal_year,
        "category": _category(item.category),
        "unit": {"id": item.unit_id, "name": item.unit_name} if item.unit_name else None,
        "file_kinds": list(item.file_kinds),
        "cover_thumbnail_url": (
            absolute(reverse("catalog:photo", args=[item.pk, item.cover_id, "thumb"]))
            if getattr(item, "cover_id", None)
            else None
        ),
    }


@require_safe
@rate_limited("api", "RATELIMIT_API", as_json=True)
@conditional_public
@cache_public_page
def categories(request):
    """Active categories with the number of their live items."""
    results = [
        {
            **_category(category),
            "description": category.description,
            "live_items": category.live_count,
            "url": absolute(reverse("catalog:category", args=[category.slug])),
            "items_url": absolute(reverse("catalog:api_items"))
            + "?"
            + urlencode({"category": category.slug}),
        }
        for category in selectors.categories_with_counts()
    ]
    return _json({"count": len(results), "results": results})


def _page_link(request, page_number: int | None) -> str | None:
    if page_number is None:
        return None
    params = request.GET.copy()
    params["page"] = page_number
    return absolute(reverse("catalog:api_items")) + "?" + params.urlencode()


@require_safe
@rate_limited("api", "RATELIMIT_API", as_json=True)
@conditional_public
@cache_public_page
def items(request):
    """Live items, newest first; the same filters as the category pages, plus ``category``.

    Cached like the category pages: the total ``count`` is the costly part of a large catalog.
    """
    try:
        page_size = int(request.GET.get("page_size", DEFAULT_PAGE_SIZE))
        page_number = int(request.GET.get("page", 1))
    except ValueError:
        return _error("page and page_size must be whole numbers", 400)
    if not 1 <= page_size <= MAX_PAGE_SIZE:
        return _error(f"page_size must be between 1 and {MAX_PAGE_SIZE}", 400)
    qs = selectors.live_items().order_by("-published_at", "-pk")
    slug = request.GET.get("category")
    if slug:
        qs = qs.filter(category__slug=slug)
    qs = selectors.filter_items(qs, selectors.ItemFilters.from_query(request.GET))
    paginator = Paginator(qs, page_size, allow_empty_first_page=True)
    try:
        page = paginator.page(page_number)
    except EmptyPage:
        return _error("no such page", 404)
    return _json(
        {
            "count": paginator.count,
            "next": _page_link(request, page.next_page_number() if page.has_next() else None),
            "previous": _page_link(
                request, page.previous_page_number() if page.has_previous() else None
            ),
            "results": [_item_summary(item) for item in page.object_list],
        }
    )


@require_safe
@rate_limited("api", "RATELIMIT_API", as_json=True)
@conditional_public
def item(request, pk: int):
    """One live item with absolute links to its files, photos and (when public) memo."""
    obj = selectors.item_for_page(pk)
    if obj is None or obj.published_at > timezone.now():
        return _error("not found", 404)
    if obj.is_withdrawn:
        replacement = selectors.live_replacement(obj)
        return _json(
            {
                "id": obj.pk,
                "withdrawn_at": obj.withdrawn_at.isoformat(),
                "withdrawal_reason": obj.withdrawal_reason,
                "replaced_by": (
                    absolute(reverse("catalog:api_item", args=[replacement.pk]))
                    if replacement
                    else None
                ),
            },
            status=410,
        )
    photos = list(obj.photos.all())
    data = _item_summary(obj)
    cover = next((p for p in photos if p.is_cover), photos[0] if photos else None)
    data["cover_thumbnail_url"] = (
        absolute(reverse("catalog:photo", args=[obj.pk, cover.pk, "thumb"])) if cover else None
    )
    data["ita_items"] = [
        {"fiscal_year": ita.fiscal_year, "code": ita.code, "name": ita.name}
        for ita in obj.ita_items.all()
    ]
    data["files"] = [
        {
            "name": f.original_name,
            "kind": f.kind,
            "content_type": f.content_type,
            "size": f.size,
            "sha256": f.sha256,
            "url": absolute(reverse("catalog:download", args=[obj.pk, f.pk])),
        }
        for f in obj.files.all()
    ]
    data["photos"] = [
        {
            "caption": p.caption,
            "width": p.width,
            "height": p.height,
            "is_cover": p.is_cover,
            "url": absolute(reverse("catalog:photo", args=[obj.pk, p.pk, "full"])),
            "thumbnail_url": absolute(reverse("catalog:photo", args=[obj.pk, p.pk, "thumb"])),
        }
        for p in photos
    ]
    data["memo_url"] = (
        absolute(reverse("catalog:memo", args=[obj.pk]))
        if obj.memo_is_public and obj.memo_file
        else None
    )
    replacement = selectors.live_replacement(obj)
    data["replaced_by"] = (
        absolute(reverse("catalog:api_item", args=[replacement.pk])) if replacement else None
    )
    data["replaces"] = [
        absolute(reverse("catalog:api_item", args=[old.pk])) for old in obj.live_replaces
    ]
    return _json(data)
