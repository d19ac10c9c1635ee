"""The DCAT catalogue (JSON-LD) as a CKAN harvester reads it: parsed with rdflib, walked page by
page through hydra:nextPage, every address absolute on SITE_URL."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse
from django.utils import timezone
from rdflib import RDF, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, SKOS

from catalog import dcat
from catalog.models import CatalogFile
from tests.test_catalog_pages import (
    _fresh_cache,  # noqa: F401 (autouse: empty page cache)
    a_category,
    make_items,
)

pytestmark = pytest.mark.django_db

SITE = "https://data.esa.example.go.th"
DCAT = Namespace("http://www.w3.org/ns/dcat#")
HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")


@pytest.fixture(autouse=True)
def _site_url(settings):
    # The request arrives from a proxy on another host name; only SITE_URL may appear.
    settings.SITE_URL = SITE


def fetch(client, url) -> Graph:
    response = client.get(url, HTTP_HOST="127.0.0.1")
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/ld+json"
    graph = Graph()
    graph.parse(data=response.content.decode(), format="json-ld")
    return graph


def next_page(graph: Graph) -> str | None:
    """What ckanext-dcat's RDF parser does: the hydra:PagedCollection's hydra:nextPage."""
    for node in graph.subjects(RDF.type, HYDRA.PagedCollection):
        for target in graph.objects(node, HYDRA.nextPage):
            return str(target)
    return None


def test_each_live_item_is_a_dataset_with_the_fields_a_harvester_reads(client, people, office):
    office.email = "saraban@example.go.th"
    office.website = "https://www.example.go.th"
    office.save()
    category = a_category()
    (item,) = make_items(1, category, summary="แผนการจัดซื้อจัดจ้างประจำปี", unit_name="กลุ่มพัสดุ")
    make_items(1, category, title="ถอดแล้ว", withdrawn_at=timezone.now())

    graph = fetch(client, reverse("catalog:dcat"))
    datasets = list(graph.subjects(RDF.type, DCAT.Dataset))
    assert datasets == [URIRef(SITE + item.get_absolute_url())]
    ds = datasets[0]
    assert graph.value(ds, DCTERMS.title) == Literal(item.title, lang="th")
    assert graph.value(ds, DCTERMS.description) == Literal("แผนการจัดซื้อจัดจ้างประจำปี", lang="th")
    assert graph.value(ds, DCTERMS.identifier) == Literal(str(item.pk))
    assert graph.value(ds, DCAT.landingPage) == ds
    assert graph.value(ds, DCTERMS.issued).toPython() == item.published_at
    assert graph.value(ds, DCTERMS.accrualPeriodicity) == URIRef(dcat.FREQUENCY_IRREGULAR)
    assert str(graph.value(ds, DCTERMS.license)).startswith("https://creativecommons.org/")
    keywords = {str(k) for k in graph.objects(ds, DCAT.keyword)}
    assert keywords == {category.name, "กลุ่มพัสดุ"}

    theme = graph.value(ds, DCAT.theme)
    assert theme == URIRef(SITE + reverse("catalog:category", args=[category.slug]))
    assert graph.value(theme, SKOS.prefLabel) == Literal(category.name, lang="th")

    publisher = graph.value(ds, DCTERMS.publisher)
    assert (publisher, RDF.type, FOAF.Organization) in graph
    assert graph.value(publisher, FOAF.name) == Literal(office.name_th, lang="th")
    assert graph.value(publisher, FOAF.mbox) == URIRef("mailto:saraban@example.go.th")
    contact = graph.value(ds, DCAT.contactPoint)
    assert graph.value(contact, VCARD.fn) == Literal(office.name_th, lang="th")
    assert graph.value(contact, VCARD.hasEmail) == URIRef("mailto:saraban@example.go.th")

    (dist,) = graph.objects(ds, DCAT.distribution)
    assert (dist, RDF.type, DCAT.Distribution) in graph
    file = item.files.get()
    download = SITE + reverse("catalog:download", args=[item.pk, file.pk])
    assert graph.value(dist, DCAT.downloadURL) == URIRef(download)
    assert graph.value(dist, DCAT.accessURL) == ds
    assert graph.value(dist, DCAT.mediaType) == URIRef(
        "https://www.iana.org/assignments/media-types/application/pdf"
    )
    assert graph.value(dist, DCTERMS.format) == Literal("PDF")
    assert graph.value(dist, DCAT.byteSize).toPython() == 1234
    assert graph.value(dist, DCTERMS.title) == Literal(file.original_name, lang="th")

    (catalog,) = graph.subjects(RDF.type, DCAT.Catalog)
    assert list(graph.objects(catalog, DCAT.dataset)) == [ds]
    assert graph.value(catalog, DCTERMS.title) == Literal(office.name_th, lang="th")


def test_a_harvester_walks_every_page_by_absolute_links(client, people, settings):
    category = a_category()
    items = make_items(dcat.PAGE_SIZE + 5, category)
    url, seen, pages = reverse("catalog:dcat"), set(), 0
    while url:
        graph = fetch(client, url)
        pages += 1
        seen |= set(graph.subjects(RDF.type, DCAT.Dataset))
        (view,) = graph.subjects(RDF.type, HYDRA.PagedCollection)
        assert (view, RDF.type, HYDRA.PartialCollectionView) in graph
        assert graph.value(view, HYDRA.totalItems).toPython() == len(items)
        following = next_page(graph)
        if following:
            assert following.startswith(SITE + "/catalog/dcat.jsonld?page=")
            assert graph.value(view, HYDRA.next) == URIRef(following)
            url = following.removeprefix(SITE)
        else:
            url = None
    assert pages == 2
    assert seen == {URIRef(SITE + item.get_absolute_url()) for item in items}


def test_a_page_past_the_end_is_404_and_a_bad_number_400(client, people):
    assert client.get(reverse("catalog:dcat"), {"page": 9}).status_code == 404
    assert client.get(reverse("catalog:dcat"), {"page": "x"}).status_code == 400


def test_the_catalogue_is_valid_json_ld_even_when_empty(client, people):
    graph = fetch(client, reverse("catalog:dcat"))
    assert list(graph.subjects(RDF.type, DCAT.Dataset)) == []
    assert next_page(graph) is None
    assert len(list(graph.subjects(RDF.type, DCAT.Catalog))) == 1


def test_photos_and_unpublished_files_are_not_distributions(client, people):
    (item,) = make_items(1, a_category())
    body = client.get(reverse("catalog:dcat")).content.decode()
    data = json.loads(body)
    assert "/photos/" not in body
    distributions = [d for node in data["@graph"] for d in node.get("dcat:distribution", [])]
    assert len(distributions) == CatalogFile.objects.filter(item=item).count() == 1
