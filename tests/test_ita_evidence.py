"""The ITA evidence page, the staff gap list and the CSV export."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from catalog.models import ITAItem
from tests.test_catalog_pages import (
    _fresh_cache,  # noqa: F401 (autouse: empty page cache)
    a_category,
    make_items,
)

pytestmark = pytest.mark.django_db

YEAR = 2590  # a year no default list uses, so the test owns every ITA item in it
SITE = "https://esa.example.go.th"


@pytest.fixture
def ita(people, settings):
    """O1 with a live item of the year, O2 with only an item of another year and a withdrawn
    one, O3 with nothing mapped."""
    settings.SITE_URL = SITE
    o1 = ITAItem.objects.create(fiscal_year=YEAR, code="O1", order=1, name="โครงสร้าง")
    o2 = ITAItem.objects.create(fiscal_year=YEAR, code="O2", order=2, name="ข้อมูลผู้บริหาร")
    o3 = ITAItem.objects.create(fiscal_year=YEAR, code="O3", order=3, name="อำนาจหน้าที่")
    category = a_category()
    evidence = make_items(1, category, fiscal_year=YEAR, title="=แผนภูมิโครงสร้าง")[0]
    evidence.ita_items.add(o1)
    other_year = make_items(1, category, fiscal_year=YEAR - 1, title="ผู้บริหารปีก่อน")[0]
    withdrawn = make_items(
        1, category, fiscal_year=YEAR, title="ผู้บริหารที่ถอดแล้ว", withdrawn_at=timezone.now()
    )[0]
    other_year.ita_items.add(o2)
    withdrawn.ita_items.add(o2)
    return {"o1": o1, "o2": o2, "o3": o3, "evidence": evidence}


def test_the_public_page_links_live_evidence_of_the_year(client, ita):
    html = client.get(reverse("catalog:ita", args=[YEAR])).content.decode()
    assert ita["evidence"].get_absolute_url() in html
    assert "ผู้บริหารปีก่อน" not in html
    assert "ผู้บริหารที่ถอดแล้ว" not in html
    for code in ("O1", "O2", "O3"):
        assert f'id="ita-{code}"' in html


def test_the_public_page_claims_nothing_for_items_without_evidence(client, ita):
    html = client.get(reverse("catalog:ita", args=[YEAR])).content.decode()
    o3 = html[html.index('id="ita-O3"') :]
    o3 = o3[: o3.index("</li>")]
    assert "อำนาจหน้าที่" in o3
    assert "ไม่มี" not in o3


def test_the_public_page_costs_the_same_with_more_evidence(client, ita, django_assert_num_queries):
    url = reverse("catalog:ita", args=[YEAR])
    with django_assert_num_queries(4) as first:  # ITA items, their items, years, office
        client.get(url)
    for item in make_items(10, a_category(), fiscal_year=YEAR):
        item.ita_items.add(ita["o3"])
    with django_assert_num_queries(len(first.captured_queries)):
        client.get(url)


def test_an_absurd_year_is_not_a_page(client, people):
    assert client.get("/catalog/ita/12/").status_code == 404
    assert client.get("/catalog/ita/99999/").status_code == 404


def test_the_gap_list_names_items_without_evidence(client, ita, people):
    client.force_login(people.requester)
    response = client.get(reverse("catalog:ita_gaps", args=[YEAR]))
    gaps = [i.code for i in response.context["gaps"]]
    assert gaps == ["O2", "O3"]
    html = response.content.decode()
    assert "ข้อมูลผู้บริหาร" in html and "อำนาจหน้าที่" in html
    assert "ยังไม่มีรายการที่เผยแพร่ 2 ข้อ จากทั้งหมด 3 ข้อ" in html


def test_the_gap_list_is_for_staff_only(client, ita):
    response = client.get(reverse("catalog:ita_gaps", args=[YEAR]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_csv_opens_in_excel_with_thai_and_absolute_links(client, ita):
    response = client.get(reverse("catalog:ita_csv", args=[YEAR]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "ita-2590.csv" in response["Content-Disposition"]
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["รหัส", "ข้อ ITA", "รายการที่เผยแพร่", "ที่อยู่เว็บ"]
    body = {row[0]: row for row in rows[1:]}
    assert body["O1"][1] == "โครงสร้าง"
    # A title that looks like a formula is written as text.
    assert body["O1"][2] == "'=แผนภูมิโครงสร้าง"
    assert body["O1"][3] == SITE + ita["evidence"].get_absolute_url()
    assert body["O2"][2:] == ["", ""]
    assert body["O3"][2:] == ["", ""]


def test_several_items_share_a_cell_one_per_line(client, ita):
    extra = make_items(1, a_category(), fiscal_year=YEAR, title="โครงสร้างฉบับปรับปรุง")[0]
    extra.ita_items.add(ita["o1"])
    text = client.get(reverse("catalog:ita_csv", args=[YEAR])).content.decode("utf-8-sig")
    row = next(r for r in csv.reader(io.StringIO(text)) if r[0] == "O1")
    assert len(row[2].split("\n")) == 2
    assert len(row[3].split("\n")) == 2
