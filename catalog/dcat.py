"""The catalog as open data: a DCAT catalogue in JSON-LD for CKAN harvesters (data.go.th).

The Government Data Catalog (data.go.th) runs CKAN and harvests agencies' catalogues with
ckanext-dcat's RDF harvester, which reads ``dcat:Dataset`` nodes with the DCAT-AP properties
(title, description, publisher, contact point, theme, keywords, update frequency, licence, issued
and modified dates, landing page) and their ``dcat:Distribution`` nodes (download URL, media type,
format, size), and follows paging through a ``hydra:PagedCollection``'s ``hydra:nextPage``
(newer harvesters: ``hydra:PartialCollectionView``'s ``hydra:next``; both are written).

Each live item is one dataset whose distributions are its published files; photos are not data
and stay out. Every address is absolute on ``SITE_URL``: behind a proxy the request's own host
name is the proxy's view, and a harvester stores these URIs as the datasets' identities.
"""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import EmptyPage, Paginator
from django.db.models import Prefetch
from django.http import JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from catalog import selectors
from catalog.cache import cache_public_page
from catalog.conditional import conditional_public
from catalog.models import CatalogFile
from catalog.views import absolute
from esa_publish.office.models import Office
from esa_publish.throttle import rate_limited

PAGE_SIZE = 100
CONTENT_TYPE = "application/ld+json"
#: The EU frequency vocabulary DCAT-AP uses; publications come when there is news.
FREQUENCY_IRREGULAR = "http://publications.europa.eu/resource/authority/frequency/IRREG"
IANA_MEDIA_TYPES = "https://www.iana.org/assignments/media-types/"
FORMAT_NAMES = {"pdf": "PDF", "docx": "DOCX", "xlsx": "XLSX", "jpeg": "JPEG", "png": "PNG"}

CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "hydra": "http://www.w3.org/ns/hydra/core#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}


def _uri(value: str) -> dict:
    return {"@id": value}


def _date_time(value) -> dict:
    return {"@value": value.isoformat(), "@type": "xsd:dateTime"}


def _text(value: str) -> dict:
    return {"@value": value, "@language": "th"}


def _publisher(office: Office) -> dict:
    node = {
        "@id": absolute("/") + "#publisher",
        "@type": "foaf:Organization",
        "foaf:name": _text(office.name_th),
    }
    if office.website:
        node["foaf:homepage"] = _uri(office.website)
    if office.email:
        node["foaf:mbox"] = _uri(f"mailto:{office.email}")
    return node


def _contact_point(office: Office) -> dict:
    node = {
        "@id": absolute("/") + "#contact",
        "@type": "vcard:Organization",
        "vcard:fn": _text(office.name_th),
    }
    if office.email:
        node["vcard:hasEmail"] = _uri(f"mailto:{office.email}")
    if office.phone:
        node["vcard:hasTelephone"] = office.phone
    return node


def _distribution(item, file: CatalogFile, licence: str) -> dict:
    download = absolute(reverse("catalog:download", args=[item.pk, file.pk]))
    return {
        "@id": f"{download}#distribution",
        "@type": "dcat:Distribution",
        "dct:title": _text(file.original_name),
        "dcat:accessURL": _uri(absolute(item.get_absolute_url())),
        "dcat:downloadURL": _uri(download),
        "dcat:mediaType": _uri(IANA_MEDIA_TYPES + file.content_type),
        "dct:format": FORMAT_NAMES.get(file.kind, file.kind.upper()),
        "dcat:byteSize": {"@value": str(file.size), "@type": "xsd:nonNegativeInteger"},
        "dct:license": _uri(licence),
    }


def _dataset(item, *, licence: str) -> dict:
    url = absolute(item.get_absolute_url())
    keywords = [_text(item.category.name)]
    if item.unit_name:
        keywords.append(_text(item.unit_name))
    return {
        "@id": url,
        "@type": "dcat:Dataset",
        "dct:identifier": str(item.pk),
        "dct:title": _text(item.title),
        "dct:description": _text(item.summary or item.title),
        "dct:issued": _date_time(item.published_at),
        "dct:modified": _date_time(max(item.published_at, item.updated_at)),
        "dcat:landingPage": _uri(url),
        "dcat:theme": _uri(absolute(reverse("catalog:category", args=[item.category.slug]))),
        "dcat:keyword": keywords,
        "dct:accrualPeriodicity": _uri(FREQUENCY_IRREGULAR),
        "dct:license": _uri(licence),
        "dct:language": _uri("http://publications.europa.eu/resource/authority/language/THA"),
        "dct:publisher": _uri(absolute("/") + "#publisher"),
        "dcat:contactPoint": _uri(absolute("/") + "#contact"),
        "dcat:distribution": [_distribution(item, f, licence) for f in item.files.all()],
    }


def _themes(items) -> list[dict]:
    seen = {}
    for item in items:
        seen.setdefault(item.category.pk, item.category)
    return [
        {
            "@id": absolute(reverse("catalog:category", args=[category.slug])),
            "@type": "skos:Concept",
            "skos:prefLabel": _text(category.name),
        }
        for category in seen.values()
    ]


def _page_url(number: int) -> str:
    base = absolute(reverse("catalog:dcat"))
    return base if number == 1 else f"{base}?page={number}"


def _paging(page, paginator) -> dict:
    node = {
        "@id": _page_url(page.number),
        "@type": ["hydra:PagedCollection", "hydra:PartialCollectionView"],
        "hydra:totalItems": {"@value": str(paginator.count), "@type": "xsd:integer"},
        "hydra:itemsPerPage": {"@value": str(PAGE_SIZE), "@type": "xsd:integer"},
        "hydra:firstPage": _uri(_page_url(1)),
        "hydra:first": _uri(_page_url(1)),
        "hydra:lastPage": _uri(_page_url(paginator.num_pages)),
        "hydra:last": _uri(_page_url(paginator.num_pages)),
    }
    if page.has_next():
        node["hydra:nextPage"] = node["hydra:next"] = _uri(_page_url(page.next_page_number()))
    if page.has_previous():
        previous = _uri(_page_url(page.previous_page_number()))
        node["hydra:previousPage"] = node["hydra:previous"] = previous
    return node


@require_safe
@rate_limited("api", "RATELIMIT_API", as_json=True)
@conditional_public
@cache_public_page
def catalog(request):
    """One page (``?page=N``, ``PAGE_SIZE`` items, newest first) of the DCAT catalogue."""
    try:
        number = int(request.GET.get("page", 1))
    except ValueError:
        return JsonResponse({"detail": "page must be a whole number"}, status=400)
    items = (
        selectors.live_items()
        .order_by("-published_at", "-pk")
        .prefetch_related(Prefetch("files", queryset=CatalogFile.objects.order_by("order", "pk")))
    )
    paginator = Paginator(items, PAGE_SIZE, allow_empty_first_page=True)
    try:
        page = paginator.page(number)
    except EmptyPage:
        return JsonResponse({"detail": "no such page"}, status=404)
    office = Office.current()
    licence = settings.OPEN_DATA_LICENSE
    datasets = [_dataset(item, licence=licence) for item in page.object_list]
    catalogue = {
        "@id": absolute("/") + "#catalog",
        "@type": "dcat:Catalog",
        "dct:title": _text(office.name_th),
        "dct:description": _text(f"ข้อมูลที่{office.name_th}เผยแพร่ต่อสาธารณะ"),
        "foaf:homepage": _uri(absolute("/")),
        "dct:language": _uri("http://publications.europa.eu/resource/authority/language/THA"),
        "dct:license": _uri(licence),
        "dct:publisher": _uri(absolute("/") + "#publisher"),
        "dcat:dataset": [_uri(dataset["@id"]) for dataset in datasets],
    }
    graph = [
        catalogue,
        _publisher(office),
        _contact_point(office),
        *_themes(page.object_list),
        *datasets,
        _paging(page, paginator),
    ]
    return JsonResponse(
        {"@context": CONTEXT, "@graph": graph},
        content_type=CONTENT_TYPE,
        json_dumps_params={"ensure_ascii": False},
    )
