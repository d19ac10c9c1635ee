"""The public catalog: category pages, item pages, downloads and the ITA evidence pages.

Anyone may read these pages without an account. Every item comes from
:mod:`catalog.selectors`, which only hands out live items for lists; an item page decides between
404 (never or not yet published), 410 (taken down: the address stays meaningful for years because
ITA evidence lists link to it) and the page itself. Files are served only while their item is
live; the storage folder itself is never exposed.
"""

from __future__ import annotations

import hashlib
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from catalog import evidence, exports, selectors, stats
from catalog.cache import SETUP, cache_public_page, remember
from catalog.models import CatalogItem, Category, ITAList
from catalog.slot_images import SLOT_SIZES, slot_file
from catalog.staff_ita import is_webmaster
from esa_publish.thai.fiscal import fiscal_year as fiscal_year_of
from requests.uploads import content_disposition

PHOTO_TYPES = {"jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png"}
# Browsers and proxies may keep a live file this long. Short enough that a file taken down for
# a legal reason stops being handed out by shared caches within the hour.
FILE_MAX_AGE = 60 * 60
# Sane bounds for a B.E. fiscal year in an address; anything else is not a page.
YEAR_RANGE = range(2500, 2700)


def absolute(path: str) -> str:
    """``path`` on the public site's address (``SITE_URL``), for feeds, previews and exports."""
    return settings.SITE_URL + path


def search_url() -> str | None:
    """The search page's address once the search feature is installed, else ``None``."""
    try:
        return reverse("search:results")
    except NoReverseMatch:
        return None


def human_size(size: int) -> str:
    """ "850 B", "12 KB", "1.2 MB": short enough to read next to a file name on a phone."""
    if size < 1024:
        return f"{size} B"
    for unit in ("KB", "MB", "GB"):
        size /= 1024
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if size >= 10 else f"{size:.1f} {unit}"
    raise AssertionError("unreachable")


def current_fiscal_year() -> int:
    return fiscal_year_of(timezone.localdate())


@require_safe
@cache_public_page
def category(request, slug: str):
    """A category's live items, newest first, 20 to a page, narrowed by year, unit and kind."""
    # What the page shows comes from the catalog and changes only with it (a publication, a
    # takedown or an edit raises the catalog version): the category, the item count, each page's
    # rows and the filter menus are kept per version, so any query string that defeats the page
    # cache (tracking tags, a crawler's variations) costs a render, not the queries.
    # The category itself changes only with a setup edit, so it outlives publications.
    cat = remember(
        f"category:{_digest(slug)}",
        lambda: Category.objects.filter(slug=slug).first(),
        until=SETUP,
    )
    if cat is None:
        raise Http404
    filters = selectors.ItemFilters.from_query(request.GET)
    narrowed = f"{filters.fiscal_year}:{filters.unit_id}:{filters.kind}"
    summary = remember(f"summary:{cat.pk}", lambda: selectors.category_summary(cat))
    count = summary.count(filters)
    if count is None:  # narrowed by file kind, which the summary does not group by
        count = remember(
            f"count:{cat.pk}:{narrowed}", lambda: selectors.category_items(cat, filters).count()
        )
    # Paged by number alone: the item query is built only when its rows are not kept (building
    # and cloning it was a sixth of a page whose rows were).
    page = Paginator(range(count), selectors.LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    offset = (page.number - 1) * selectors.LIST_PAGE_SIZE
    page.object_list = remember(
        f"rows:{cat.pk}:{narrowed}:{page.number}",
        lambda: selectors.list_rows(
            selectors.category_items(cat, filters)[offset : offset + selectors.LIST_PAGE_SIZE]
        ),
    )
    # The menus as HTML: three loops over years, units and kinds were a fifth of the page's
    # template work.
    filter_form = remember(
        f"filters:{cat.pk}:{narrowed}:{get_language()}:{_digest(request.path)}",
        lambda: _filter_form(request, summary, filters),
    )
    return render(
        request,
        "catalog/category.html",
        {
            "category": cat,
            "page": page,
            "filters": filters,
            "filter_form": mark_safe(filter_form),  # noqa: S308 - our template's output
            "feed_url": reverse("catalog:category_feed", args=[cat.slug]),
        },
    )


def _digest(text: str) -> str:
    """``text`` (from the address) made safe and short for a cache key."""
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def _filter_form(request, summary: selectors.CategorySummary, filters) -> str:
    """The filter menus, offering only the years and units that find something."""
    found = summary.unit_ids
    units = remember("units", selectors.units_in_order, until=SETUP)
    context = {
        "filters": filters,
        # (value, label) pairs for {% options %}.
        "years": [(year, year) for year in summary.years],
        "units": [(pk, name) for pk, name in units if pk in found],
        "kinds": selectors.KIND_LABELS.items(),
        "path": request.path,
    }
    return render_to_string("catalog/_filters.html", context)


@require_safe
def item(request, pk: int, slug: str):
    """One published item. A wrong or outdated slug redirects for good to the canonical one.

    Anonymous visitors get the page from the page cache (:mod:`catalog.cache`), which a takedown
    or a correction empties through ``item_changed``. The view is counted on every page served,
    cached or not, in memory or Redis (:mod:`catalog.stats`): no database write on the way.
    """
    response = _item_page(request, pk, slug)
    if response.status_code == 200:
        stats.count_view(request, pk)
    return response


@cache_public_page
def _item_page(request, pk: int, slug: str):
    obj = selectors.item_for_page(pk)
    if obj is None or obj.published_at > timezone.now():
        raise Http404
    if obj.is_withdrawn:
        return _withdrawn(request, obj)
    if slug != (obj.slug or "-"):  # get_absolute_url writes an empty slug as "-"
        return HttpResponsePermanentRedirect(obj.get_absolute_url())
    files = list(obj.files.all())
    for f in files:
        f.size_label = human_size(f.size)
        f.kind_label = selectors.KIND_LABELS.get(f.kind, f.kind.upper())
    photos = list(obj.photos.all())
    cover = next((p for p in photos if p.is_cover), photos[0] if photos else None)
    replacement = selectors.live_replacement(obj)
    return render(
        request,
        "catalog/item.html",
        {
            "item": obj,
            "files": files,
            "photos": photos,
            "cover": cover,
            "ita_items": list(obj.ita_items.all()),
            "replaces": obj.live_replaces,
            "replacement": replacement,
            "memo_available": bool(obj.memo_is_public and obj.memo_file),
            "page_url": absolute(obj.get_absolute_url()),
            # The share image (outreach): title on the office's colours, the cover beside it.
            "og_image": absolute(reverse("outreach:share_image", args=[obj.pk])),
            "oembed_url": absolute(reverse("outreach:oembed"))
            + "?"
            + urlencode({"url": absolute(obj.get_absolute_url()), "format": "json"}),
        },
    )


def _withdrawn(request, obj: CatalogItem):
    """410 Gone: when and why the item was taken down, and where its correction is."""
    return render(
        request,
        "catalog/withdrawn.html",
        {"item": obj, "replacement": selectors.live_replacement(obj)},
        status=410,
    )


def _serve(field, *, content_type: str, name: str, inline: bool) -> FileResponse:
    """Stream a stored file under its original name, with its recorded type and no sniffing."""
    if not field:
        raise Http404
    try:
        handle = field.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type=content_type)
    response["Content-Disposition"] = content_disposition(name, inline=inline)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = f"public, max-age={FILE_MAX_AGE}"
    return response


def _live_or_404(pk: int) -> CatalogItem:
    obj = selectors.live_item_or_none(pk)
    if obj is None:
        raise Http404
    return obj


@require_safe
def download(request, pk: int, file_pk: int):
    obj = _live_or_404(pk)
    f = get_object_or_404(obj.files, pk=file_pk)
    response = _serve(f.file, content_type=f.content_type, name=f.original_name, inline=False)
    stats.count_download(request, obj.pk)
    return response


@require_safe
def photo(request, pk: int, photo_pk: int, size: str):
    if size not in ("full", "thumb", *SLOT_SIZES):
        raise Http404
    obj = _live_or_404(pk)
    picture = get_object_or_404(obj.photos, pk=photo_pk)
    field = picture.image if size == "full" else picture.thumbnail
    if size in SLOT_SIZES and field:
        try:  # a list row's picture: made from the thumbnail on first use
            field = FieldFile(picture, field.field, slot_file(field, size))
        except OSError:  # missing, or not an image Pillow reads
            raise Http404 from None
    extension = field.name.rsplit(".", 1)[-1].lower() if field else ""
    content_type = PHOTO_TYPES.get(extension)
    if content_type is None:
        raise Http404
    name = f"{obj.slug}-{picture.pk}{'' if size == 'full' else '-' + size}.{extension}"
    return _serve(field, content_type=content_type, name=name, inline=True)


@require_safe
def memo(request, pk: int):
    obj = _live_or_404(pk)
    if not obj.memo_is_public:
        raise Http404
    name = _("บันทึกข้อความขออนุญาตเผยแพร่-%(pk)s.pdf") % {"pk": obj.pk}
    response = _serve(obj.memo_file, content_type="application/pdf", name=name, inline=False)
    stats.count_download(request, obj.pk)
    return response


# --- ITA evidence -------------------------------------------------------------------------------


def _year_or_404(fiscal_year: int) -> int:
    if fiscal_year not in YEAR_RANGE:
        raise Http404
    return fiscal_year


def _public_list_or_404(fiscal_year: int):
    ita_list = evidence.public_list(_year_or_404(fiscal_year))
    if ita_list is None:
        raise Http404
    return ita_list


@require_safe
def ita_evidence(request, fiscal_year: int):
    """Each ITA item of the year with the published items and "none" statements that answer it.

    Only a list the office confirmed for this year is shown; otherwise the page says that the
    year's list is not yet announced and shows no O-number at all. An item with nothing mapped is
    shown on its own: the public page must not claim "none" on the office's behalf, since an
    explicit "none" statement is itself something the office records.
    """
    year = _year_or_404(fiscal_year)
    ita_list = evidence.public_list(year)
    years = evidence.years()
    return render(
        request,
        "catalog/ita.html",
        {
            "year": year,
            "ita_list": ita_list,
            "ita_items": evidence.for_year(year) if ita_list else [],
            "years": years,
            "latest_year": next((y for y in years if y < year), years[0] if years else None),
            "csv_url": reverse("catalog:ita_csv", args=[year]),
        },
    )


@require_safe
def ita_item(request, fiscal_year: int, code: str):
    """The stable landing page of one O-item of one year: what ITAS reviewers are sent to."""
    ita_list = _public_list_or_404(fiscal_year)
    found = evidence.for_year(fiscal_year, code=code)
    if not found:
        raise Http404
    return render(
        request,
        "catalog/ita_item.html",
        {"year": fiscal_year, "ita_list": ita_list, "ita": found[0]},
    )


@login_required
@require_safe
def ita_gaps(request, fiscal_year: int):
    """For staff: the ITA items of the year that nothing answers yet, months and half-years
    included, and whether the year's list is confirmed."""
    year = _year_or_404(fiscal_year)
    ita_items = evidence.for_year(year)
    return render(
        request,
        "catalog/ita_gaps.html",
        {
            "year": year,
            "ita_list": ITAList.objects.filter(fiscal_year=year).first(),
            "gaps": evidence.gaps(ita_items),
            "total": len(ita_items),
            "years": evidence.staff_years(),
            "can_manage": is_webmaster(request.user),
        },
    )


@login_required
@require_safe
def ita_gaps_current(request):
    """The gap list of the fiscal year we are in (the link on the webmaster's pages)."""
    return redirect("catalog:ita_gaps", current_fiscal_year())


@require_safe
def ita_csv(request, fiscal_year: int):
    year = _public_list_or_404(fiscal_year).fiscal_year
    response = HttpResponse(evidence.csv_text(year), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition(f"ita-{year}.csv")
    return response


@login_required
@require_safe
def itas_export(request, fiscal_year: int, fmt: str):
    """For staff: the year's answers as ITAS asks for them (มี/ไม่มี, URLs, explanation)."""
    year = _public_list_or_404(fiscal_year).fiscal_year
    if fmt == "xlsx":
        response = HttpResponse(exports.itas_xlsx(year), content_type=exports.XLSX_TYPE)
    else:
        response = HttpResponse(exports.itas_csv(year), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition(f"itas-{year}.{fmt}")
    return response


# --- robots.txt ---------------------------------------------------------------------------------


@require_safe
def robots_txt(request):
    return render(
        request,
        "robots.txt",
        {"sitemap_url": absolute(reverse("sitemap"))},
        content_type="text/plain; charset=utf-8",
    )


@require_safe
def favicon_ico(request):
    """Browsers ask for /favicon.ico whatever the page says: send them to the static icon."""
    from django.templatetags.static import static

    response = redirect(static("favicon.ico"))
    patch_cache_control(response, public=True, max_age=86400)
    return response


def bare(request):
    """Benchmark only (``BENCH_BARE_VIEW=1``): a page of ``?bytes=`` bytes and no work at all, the
    yardstick the catalog pages' throughput is compared with."""
    try:
        size = min(int(request.GET.get("bytes", "20000")), 2_000_000)
    except ValueError:
        size = 20000
    return HttpResponse(b"x" * max(size, 0), content_type="text/html; charset=utf-8")
