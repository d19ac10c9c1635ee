"""The ITA evidence pages: the public list of a confirmed year, the not-yet-announced year, an
item's landing page, data years, "none" statements, months and half-years, the staff gap list,
the webmaster's item page and the CSV and ITAS exports."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from catalog import evidence
from catalog.models import ITAItem, ITAList, ITANilStatement, ITAPartCoverage
from catalog.services import ita_copy_year, ita_record_nil
from esa_publish.thai.digits import to_thai_digits
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
    one, O3 with nothing mapped; the year's list confirmed by the office."""
    settings.SITE_URL = SITE
    ITAList.objects.create(fiscal_year=YEAR, confirmed_at=timezone.now(), source="ทดสอบ")
    o1 = ITAItem.objects.create(fiscal_year=YEAR, code="O1", order=1, name="โครงสร้าง")
    o2 = ITAItem.objects.create(fiscal_year=YEAR, code="O2", order=2, name="ข้อมูลผู้บริหาร")
    o3 = ITAItem.objects.create(fiscal_year=YEAR, code="O3", order=3, name="อำนาจหน้าที่")
    category = a_category()
    evidence_item = make_items(1, category, fiscal_year=YEAR, title="=แผนภูมิโครงสร้าง")[0]
    evidence_item.ita_items.add(o1)
    other_year = make_items(1, category, fiscal_year=YEAR - 1, title="ผู้บริหารปีก่อน")[0]
    withdrawn = make_items(
        1, category, fiscal_year=YEAR, title="ผู้บริหารที่ถอดแล้ว", withdrawn_at=timezone.now()
    )[0]
    other_year.ita_items.add(o2)
    withdrawn.ita_items.add(o2)
    return {"o1": o1, "o2": o2, "o3": o3, "evidence": evidence_item, "other_year": other_year}


def _o_numbers(html: str) -> set[str]:
    return set(re.findall(r"\bO\d+\b", html))


# --- the public page ----------------------------------------------------------------------------


def test_the_public_page_links_live_evidence_of_the_year(client, ita):
    html = client.get(reverse("catalog:ita", args=[YEAR])).content.decode()
    assert ita["evidence"].get_absolute_url() in html
    assert "ผู้บริหารปีก่อน" not in html
    assert "ผู้บริหารที่ถอดแล้ว" not in html
    for code in ("O1", "O2", "O3"):
        assert f'id="ita-{code}"' in html
        assert reverse("catalog:ita_item", args=[YEAR, code]) in html


def test_the_public_page_claims_nothing_for_items_without_evidence(client, ita):
    html = client.get(reverse("catalog:ita", args=[YEAR])).content.decode()
    o3 = html[html.index('id="ita-O3"') :]
    o3 = o3[: o3.index("</li>")]
    assert "อำนาจหน้าที่" in o3
    assert "ไม่มี" not in o3


def test_the_public_page_costs_the_same_with_more_evidence(client, ita, django_assert_num_queries):
    url = reverse("catalog:ita", args=[YEAR])
    client.get(url)  # the office, kept per catalog version, is read on the first page only
    # the confirmed list, ITA items, their items, "none" statements, part coverage, years; the
    # catalog version the office is kept under (read once a second in production)
    with django_assert_num_queries(7) as first:
        client.get(url)
    for item in make_items(10, a_category(), fiscal_year=YEAR):
        item.ita_items.add(ita["o3"])
    ita_record_nil(ita_item=ita["o2"], text="ไม่มี", stated_on=dt.date(2589, 1, 1), user=None)
    with django_assert_num_queries(len(first.captured_queries)):
        client.get(url)


def test_an_absurd_year_is_not_a_page(client, people):
    assert client.get("/catalog/ita/12/").status_code == 404
    assert client.get("/catalog/ita/99999/").status_code == 404


# --- a year whose list is not announced ---------------------------------------------------------


def test_an_unconfirmed_year_shows_no_o_number_and_says_the_list_is_not_announced(client, ita):
    ita_copy_year(from_year=2567, to_year=YEAR + 1)  # what the old migrate did each new year
    response = client.get(reverse("catalog:ita", args=[YEAR + 1]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "ยังไม่ประกาศ" in html
    main = html[html.index("<main") : html.index("</main>")]
    assert _o_numbers(main) == set()
    assert reverse("catalog:ita", args=[YEAR]) in main  # the latest confirmed year instead
    assert client.get(reverse("catalog:ita_item", args=[YEAR + 1, "O7"])).status_code == 404
    assert client.get(reverse("catalog:ita_csv", args=[YEAR + 1])).status_code == 404


def test_an_item_page_hides_the_o_numbers_of_an_unconfirmed_year(client, ita):
    ita_copy_year(from_year=2567, to_year=YEAR + 1)
    o7 = ITAItem.objects.get(fiscal_year=YEAR + 1, code="O7")
    ita["evidence"].ita_items.add(o7)
    html = client.get(ita["evidence"].get_absolute_url()).content.decode()
    assert "O7 ข่าวประชาสัมพันธ์" not in html
    assert f"(ปีงบประมาณ {YEAR + 1})" not in html
    assert reverse("catalog:ita_item", args=[YEAR, "O1"]) in html  # the confirmed one stays


def test_a_fresh_install_shows_no_ita_number_for_the_current_year(client, people):
    from esa_publish.thai.fiscal import fiscal_year

    year = fiscal_year(timezone.localdate())
    if year <= 2569:
        pytest.skip("the current year has a shipped list")
    html = client.get(reverse("catalog:ita", args=[year])).content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    assert _o_numbers(main) == set()
    assert "ยังไม่ประกาศ" in main
    home = client.get(reverse("home")).content.decode()
    assert _o_numbers(home) == set()


# --- an item's landing page, data years, "none", parts ------------------------------------------


def test_each_item_has_a_stable_landing_page(client, ita):
    url = reverse("catalog:ita_item", args=[YEAR, "O1"])
    assert url == f"/catalog/ita/{YEAR}/O1/"
    html = client.get(url).content.decode()
    assert "โครงสร้าง" in html and ita["evidence"].get_absolute_url() in html
    assert client.get(reverse("catalog:ita_item", args=[YEAR, "O99"])).status_code == 404


def test_an_annual_report_counts_from_the_previous_fiscal_year(client, ita):
    ita["o2"].data_year_offset = -1
    ita["o2"].save()
    o2 = next(i for i in evidence.for_year(YEAR) if i.code == "O2")
    assert [e.pk for e in o2.evidence] == [ita["other_year"].pk]
    html = client.get(reverse("catalog:ita_item", args=[YEAR, "O2"])).content.decode()
    assert "ผู้บริหารปีก่อน" in html and f"ใช้ข้อมูลของปีงบประมาณ {to_thai_digits(YEAR - 1)}" in html


def test_a_none_statement_answers_an_item_and_is_shown_with_its_date(client, ita, people):
    ita_record_nil(
        ita_item=ita["o3"],
        text="ในปีงบประมาณนี้ไม่มีเรื่องร้องเรียน",
        stated_on=dt.date(2047, 3, 31),
        user=people.webmaster,
    )
    items = evidence.for_year(YEAR)
    assert [i.code for i in evidence.gaps(items)] == ["O2"]
    html = client.get(reverse("catalog:ita", args=[YEAR])).content.decode()
    o3 = html[html.index('id="ita-O3"') :]
    assert "ในปีงบประมาณนี้ไม่มีเรื่องร้องเรียน" in o3[: o3.index("</li>")]
    assert "2590" in o3[: o3.index("</li>")]  # 31 มี.ค. 2590
    statement = ITANilStatement.objects.get()
    assert statement.recorded_by_name and statement.recorded_by == people.webmaster


@pytest.fixture
def monthly(ita):
    """O4, monthly: October and November published, December stated as none."""
    o4 = ITAItem.objects.create(
        fiscal_year=YEAR, code="O4", order=4, name="สรุปผลการจัดซื้อจัดจ้างรายเดือน", parts="monthly"
    )
    october, november = make_items(2, a_category("1.5"), fiscal_year=YEAR, title="สขร.1")
    for part, item in ((1, october), (2, november)):
        item.ita_items.add(o4)
        ITAPartCoverage.objects.create(ita_item=o4, catalog_item=item, part=part)
    ita_record_nil(
        ita_item=o4, part=3, text="ไม่มีการจัดซื้อจัดจ้าง", stated_on=dt.date(2047, 1, 5), user=None
    )
    return o4


def test_monthly_items_list_the_months_still_missing(monthly):
    today = dt.date(2047, 3, 15)  # FY 2590: January and February are over, March is not
    o4 = next(i for i in evidence.for_year(YEAR, today=today) if i.code == "O4")
    assert [p.number for p in o4.part_list if p.answered] == [1, 2, 3]
    assert [p.label for p in o4.missing_parts] == ["ม.ค. 2590", "ก.พ. 2590"]
    assert o4 in evidence.gaps(evidence.for_year(YEAR, today=today))


def test_the_public_page_shows_each_month(client, monthly):
    html = client.get(reverse("catalog:ita_item", args=[YEAR, "O4"])).content.decode()
    for label in ("ต.ค. 2589", "พ.ย. 2589", "ธ.ค. 2589", "ก.ย. 2590"):
        assert to_thai_digits(label) in html  # the page's digits
    assert "ไม่มีการจัดซื้อจัดจ้าง" in html


def test_a_six_month_report_is_one_part_oct_to_march(ita):
    o5 = ITAItem.objects.create(
        fiscal_year=YEAR, code="O5", order=5, name="รอบ 6 เดือน", parts="first_half"
    )
    labels = evidence.part_labels(o5)
    assert len(labels) == 1
    assert labels[0][2:] == (dt.date(2046, 10, 1), dt.date(2047, 3, 31))


# --- staff pages --------------------------------------------------------------------------------


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


def test_the_gap_list_warns_that_a_year_is_not_confirmed(client, people):
    client.force_login(people.requester)
    html = client.get(reverse("catalog:ita_gaps", args=[2569])).content.decode()
    assert "ยังไม่ได้รับการยืนยัน" in html
    assert "rtrdasmartrailway" in html  # where the shipped list comes from


def test_the_webmaster_records_a_none_statement(client, ita, people):
    client.force_login(people.webmaster)
    url = reverse("catalog:ita_manage", args=[YEAR, "O3"])
    assert client.get(url).status_code == 200
    response = client.post(url, {"nil-text": "ไม่มีข้อมูลในปีนี้", "nil-stated_on": "5/1/2590"})
    assert response.status_code == 302
    statement = ITANilStatement.objects.get(ita_item=ita["o3"])
    assert statement.stated_on == dt.date(2047, 1, 5)


def test_the_webmaster_says_which_month_an_item_covers(client, monthly, people):
    item = make_items(1, a_category("1.5"), fiscal_year=YEAR, title="สขร.1 มกราคม")[0]
    client.force_login(people.webmaster)
    url = reverse("catalog:ita_manage", args=[YEAR, "O4"])
    response = client.post(url, {"cover-catalog_item": item.pk, "cover-part": 4})
    assert response.status_code == 302
    assert ITAPartCoverage.objects.filter(ita_item=monthly, catalog_item=item, part=4).exists()
    assert monthly in item.ita_items.all()


@pytest.mark.parametrize(
    ("who", "status"), [("requester", 403), ("director", 403), ("webmaster", 200)]
)
def test_only_the_webmaster_manages_an_item(client, ita, people, who, status):
    client.force_login(getattr(people, who))
    assert client.get(reverse("catalog:ita_manage", args=[YEAR, "O3"])).status_code == status


def test_managing_an_unknown_item_is_404(client, ita, people):
    client.force_login(people.webmaster)
    assert client.get(reverse("catalog:ita_manage", args=[YEAR, "O99"])).status_code == 404


# --- exports ------------------------------------------------------------------------------------


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


def test_the_itas_export_answers_each_item_with_urls_and_an_explanation(client, ita, people):
    ita_record_nil(
        ita_item=ita["o3"], text="ไม่มีเรื่องร้องเรียน", stated_on=dt.date(2047, 2, 1), user=None
    )
    client.force_login(people.webmaster)
    response = client.get(reverse("catalog:itas_xlsx", args=[YEAR]))
    assert response.status_code == 200
    assert "itas-2590.xlsx" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    rows = [[c or "" for c in row] for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == ["รหัส", "ข้อ ITA", "มี/ไม่มี", "URL", "คำอธิบาย"]
    body = {row[0]: row for row in rows[1:]}
    assert body["O1"][2] == "มี" and body["O2"][2] == "ไม่มี" and body["O3"][2] == "มี"
    urls = body["O1"][3].split("\n")
    assert urls == [SITE + f"/catalog/ita/{YEAR}/O1/", SITE + ita["evidence"].get_absolute_url()]
    assert "=แผนภูมิโครงสร้าง" in body["O1"][4]
    assert "ไม่มีเรื่องร้องเรียน" in body["O3"][4]

    text = client.get(reverse("catalog:itas_csv", args=[YEAR])).content.decode("utf-8-sig")
    csv_rows = list(csv.reader(io.StringIO(text)))
    assert csv_rows[1:] == [[str(c) for c in row] for row in rows[1:]]


def test_the_itas_export_never_writes_a_formula(client, ita, people):
    ita["o2"].name = '=HYPERLINK("http://evil.example")'
    ita["o2"].save()
    client.force_login(people.webmaster)
    response = client.get(reverse("catalog:itas_xlsx", args=[YEAR]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    names = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert '\'=HYPERLINK("http://evil.example")' in names


def test_the_itas_export_lists_missing_months(client, monthly, people):
    client.force_login(people.webmaster)
    text = client.get(reverse("catalog:itas_csv", args=[YEAR])).content.decode("utf-8-sig")
    row = next(r for r in csv.reader(io.StringIO(text)) if r[0] == "O4")
    assert row[2] == "มี" and "ต.ค. 2589: สขร.1" in row[4]


def test_the_itas_export_is_for_staff_and_confirmed_years(client, ita, people):
    assert client.get(reverse("catalog:itas_xlsx", args=[YEAR])).status_code == 302
    client.force_login(people.webmaster)
    assert client.get(reverse("catalog:itas_xlsx", args=[2569])).status_code == 404


def test_the_year_page_lists_ten_items_per_item_and_the_landing_page_all(client, ita):
    for item in make_items(11, a_category(), fiscal_year=YEAR, title="ข่าวโครงสร้าง"):
        item.ita_items.add(ita["o1"])
    html = client.get(reverse("catalog:ita", args=[YEAR])).content.decode()
    o1 = html[html.index('id="ita-O1"') :]
    o1 = o1[: o1.index('id="ita-O2"')]
    assert o1.count("<li><a href=") == evidence.ON_YEAR_PAGE
    assert "ดูทั้งหมด 12 รายการ" in o1
    page = client.get(reverse("catalog:ita_item", args=[YEAR, "O1"])).content.decode()
    assert page.count("ข่าวโครงสร้าง") == 11


def test_the_webmasters_queue_links_this_years_gap_list(client, people):
    from esa_publish.thai.fiscal import fiscal_year

    client.force_login(people.webmaster)
    html = client.get(reverse("publishing:queue")).content.decode()
    assert reverse("catalog:ita_gaps_current") in html
    response = client.get(reverse("catalog:ita_gaps_current"))
    year = fiscal_year(timezone.localdate())
    assert response.status_code == 302
    assert response["Location"] == reverse("catalog:ita_gaps", args=[year])


def test_the_gap_list_of_an_open_year_without_a_list_claims_nothing(client, people):
    from catalog.services import ita_rollover

    ita_rollover(today=dt.date(2035, 10, 1))  # FY 2579, opened, no list
    client.force_login(people.webmaster)
    html = client.get(reverse("catalog:ita_gaps", args=[2579])).content.decode()
    assert "ปีงบประมาณนี้ยังไม่มีรายการ ITA" in html
    assert "ทุกข้อมีรายการที่เผยแพร่แล้ว" not in html
    assert "ยังไม่ได้รับการยืนยัน" in html


def test_months_are_named_in_the_pages_language_with_be_years(monthly):
    from django.utils import translation

    with translation.override("en"):
        labels = [label for _n, label, _a, _b in evidence.part_labels(monthly)]
    assert labels[0] == "Oct 2589 BE" and labels[-1] == "Sep 2590 BE"
