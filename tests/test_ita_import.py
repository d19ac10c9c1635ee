"""Importing a fiscal year's ITA list from CSV or XLSX (preview with row errors, then one
transaction), mapping categories per year in the admin, and the plan form's data-year items."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from catalog import ita_import
from catalog.models import Category, ITAItem, ITAList
from catalog.services import ITAError, ita_copy_year, ita_import_year
from catalog.staff_forms import PlanForm
from requests.states import State
from tests.factories import UserFactory
from tests.test_catalog_pages import a_category, make_items
from tests.workflow import make_request

pytestmark = pytest.mark.django_db

YEAR = 2591
GOOD = (
    "code,name,group,evidence,data_year,parts\n"
    "O1,โครงสร้าง หน้าที่และอำนาจ,9.1 ข้อมูลพื้นฐาน,แผนผังโครงสร้าง,0,\n"
    "O2,สรุปผลการจัดซื้อจัดจ้างรายเดือน,9.3,,0,รายเดือน\n"
    "o3,รายงานผลการดำเนินงานประจำปี,9.2,,-1,\n"
)


def xlsx(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


# --- reading the file ---------------------------------------------------------------------------


def test_a_good_csv_reads_every_column():
    parsed = ita_import.parse("list.csv", GOOD.encode("utf-8-sig"), fiscal_year=YEAR)
    assert parsed.ok
    rows = parsed.clean_rows()
    assert [r["code"] for r in rows] == ["O1", "O2", "O3"]
    assert rows[0]["group"] == "9.1 ข้อมูลพื้นฐาน" and rows[0]["evidence"] == "แผนผังโครงสร้าง"
    assert rows[1]["parts"] == "monthly"
    assert rows[2]["data_year_offset"] == -1


def test_an_xlsx_with_thai_headers_and_a_be_data_year_reads_the_same():
    content = xlsx(
        [
            ["รหัส", "ชื่อข้อ", "ตัวชี้วัด", "หลักฐาน", "ปีของข้อมูล"],
            ["O1", "โครงสร้าง", "9.1", None, YEAR],
            ["O2", "รายงานประจำปี", "9.2", None, YEAR - 1],
        ]
    )
    parsed = ita_import.parse("list.xlsx", content, fiscal_year=YEAR)
    assert parsed.ok
    assert [r["data_year_offset"] for r in parsed.clean_rows()] == [0, -1]


def test_each_bad_row_says_what_is_wrong():
    text = (
        "code,name,data_year,parts\n"
        "O1,โครงสร้าง,0,\n"
        ",ไม่มีรหัส,0,\n"
        "X-1,รหัสผิด,0,\n"
        "O1,ซ้ำ,0,\n"
        "O5,,0,\n"
        "O6,ปีผิด,2500,\n"
        "O7,ช่วงผิด,0,รายสัปดาห์\n"
    )
    parsed = ita_import.parse("list.csv", text.encode(), fiscal_year=YEAR)
    assert not parsed.ok
    errors = {row.number: row.errors for row in parsed.rows}
    assert errors[2] == []
    assert errors[3] == [ita_import.MSG_NO_CODE]
    assert errors[4] == [ita_import.MSG_BAD_CODE % {"code": "X-1"}]
    assert errors[5] == [ita_import.MSG_DUPLICATE % {"code": "O1", "row": 2}]
    assert errors[6] == [ita_import.MSG_NO_NAME]
    assert "2500" in errors[7][0]
    assert "รายสัปดาห์" in errors[8][0]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("list.csv", b"", ita_import.MSG_NO_ROWS),
        ("list.csv", "ชื่อข้อ\nโครงสร้าง\n".encode(), ita_import.MSG_NO_COLUMN % {"column": "code"}),
        ("list.xlsx", b"PK\x03\x04 not really a workbook", ita_import.MSG_UNREADABLE),
        ("list.csv", b"\xff\xfe\x00broken", ita_import.MSG_UNREADABLE),
    ],
)
def test_a_file_that_is_not_a_list_is_refused_as_a_whole(name, content, message):
    parsed = ita_import.parse(name, content, fiscal_year=YEAR)
    assert parsed.errors == [message] and not parsed.ok


# --- saving -------------------------------------------------------------------------------------


def test_importing_replaces_an_unconfirmed_copy_all_at_once(people):
    ita_copy_year(from_year=2567, to_year=YEAR)
    rows = ita_import.parse("l.csv", GOOD.encode(), fiscal_year=YEAR).clean_rows()
    ita_import_year(fiscal_year=YEAR, rows=rows, source="คู่มือ ITA", user=people.webmaster)
    items = ITAItem.objects.for_year(YEAR)
    assert list(items.values_list("code", flat=True)) == ["O1", "O2", "O3"]
    ita_list = ITAList.objects.get(fiscal_year=YEAR)
    assert ita_list.source == "คู่มือ ITA" and not ita_list.is_confirmed


def test_importing_can_confirm_the_list_at_once(people):
    rows = ita_import.parse("l.csv", GOOD.encode(), fiscal_year=YEAR).clean_rows()
    ita_import_year(fiscal_year=YEAR, rows=rows, source="x", user=people.webmaster, confirm=True)
    assert ITAList.objects.get(fiscal_year=YEAR).is_confirmed


def test_importing_never_drops_an_item_something_cites(people):
    ita_copy_year(from_year=2567, to_year=YEAR)
    o7 = ITAItem.objects.get(fiscal_year=YEAR, code="O7")
    make_items(1, a_category(), fiscal_year=YEAR)[0].ita_items.add(o7)
    rows = ita_import.parse("l.csv", GOOD.encode(), fiscal_year=YEAR).clean_rows()
    with pytest.raises(ITAError, match="O7"):
        ita_import_year(fiscal_year=YEAR, rows=rows, source="x", user=people.webmaster)
    assert ITAItem.objects.for_year(YEAR).count() == 43  # nothing half-imported


def test_a_failing_row_rolls_the_whole_import_back(people):
    ita_copy_year(from_year=2567, to_year=YEAR)
    rows = [{"code": "O1", "name": "ก"}, {"code": "O1", "name": "ซ้ำ"}]  # unique constraint
    with pytest.raises(Exception):  # noqa: B017 (the database refuses; which error depends on it)
        ita_import_year(fiscal_year=YEAR, rows=rows, source="x", user=people.webmaster)
    assert ITAItem.objects.for_year(YEAR).count() == 43


def test_a_confirmed_year_is_not_replaced(people):
    with pytest.raises(ITAError):
        ita_import_year(fiscal_year=2567, rows=[{"code": "O1", "name": "x"}], source="x", user=None)
    assert ITAItem.objects.for_year(2567).count() == 43


# --- the admin pages ----------------------------------------------------------------------------


def test_the_admin_previews_then_imports_on_confirmation(admin_client):
    url = reverse("admin:catalog_italist_import")
    upload = SimpleUploadedFile("list.csv", GOOD.encode("utf-8"), content_type="text/csv")
    response = admin_client.post(
        url, {"fiscal_year": YEAR, "source": "คู่มือ ITA 2591", "file": upload}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="preview"' in html and "สรุปผลการจัดซื้อจัดจ้างรายเดือน" in html
    assert not ITAItem.objects.filter(fiscal_year=YEAR).exists()  # nothing saved by the preview
    token = response.context["token"]
    response = admin_client.post(url, {"token": token, "confirm_list": "1"})
    assert response.status_code == 302
    assert ITAItem.objects.for_year(YEAR).count() == 3
    assert ITAList.objects.get(fiscal_year=YEAR).is_confirmed
    # The same token cannot import twice.
    response = admin_client.post(url, {"token": token})
    assert response.status_code == 302 and ITAItem.objects.for_year(YEAR).count() == 3


def test_the_admin_preview_lists_row_errors_and_offers_no_import(admin_client):
    bad = "code,name\nO1,\nO1,ซ้ำ\n"
    upload = SimpleUploadedFile("list.csv", bad.encode(), content_type="text/csv")
    response = admin_client.post(
        reverse("admin:catalog_italist_import"),
        {"fiscal_year": YEAR, "source": "x", "file": upload},
    )
    html = response.content.decode()
    assert ita_import.MSG_NO_NAME in html
    assert 'name="token"' not in html
    assert not ITAItem.objects.filter(fiscal_year=YEAR).exists()


def test_a_forged_token_imports_nothing(admin_client):
    response = admin_client.post(reverse("admin:catalog_italist_import"), {"token": "forged"})
    assert response.status_code == 302
    assert not ITAItem.objects.filter(fiscal_year=YEAR).exists()


def test_the_admin_confirms_a_year_only_when_every_item_is_checked(admin_client):
    ita_list = ITAList.objects.get(fiscal_year=2569)
    changelist = reverse("admin:catalog_italist_changelist")
    admin_client.post(changelist, {"action": "confirm", "_selected_action": [ita_list.pk]})
    ita_list.refresh_from_db()
    assert not ita_list.is_confirmed
    ITAItem.objects.filter(fiscal_year=2569).update(needs_check=False)
    admin_client.post(changelist, {"action": "confirm", "_selected_action": [ita_list.pk]})
    ita_list.refresh_from_db()
    assert ita_list.is_confirmed


def test_categories_are_mapped_per_year_not_by_code(admin_client):
    ita_list = ITAList.objects.get(fiscal_year=2569)
    url = reverse("admin:catalog_italist_mapping", args=[ita_list.pk])
    assert admin_client.get(url).status_code == 200
    procurement = Category.objects.get(code="1.5")
    o11 = ITAItem.objects.get(fiscal_year=2569, code="O11")
    response = admin_client.post(url, {f"item-{o11.pk}": [procurement.pk]})
    assert response.status_code == 302
    assert set(procurement.ita_items.filter(fiscal_year=2569)) == {o11}
    # 2567's O11 (a different item with the same code) keeps its own mapping: 1.3, not 1.5.
    o11_2567 = ITAItem.objects.get(fiscal_year=2567, code="O11")
    assert list(o11_2567.categories.values_list("code", flat=True)) == ["1.3"]


def test_the_admin_pages_are_for_administrators(client, people):
    client.force_login(people.webmaster)
    response = client.get(reverse("admin:catalog_italist_import"))
    assert response.status_code == 302  # the admin's own login page, as for every admin page


# --- the plan form offers items by data year ----------------------------------------------------


def test_the_plan_form_offers_next_years_items_answered_from_this_years_data(people):
    ita_copy_year(from_year=2567, to_year=YEAR)
    ita_copy_year(from_year=2567, to_year=YEAR + 1)
    ITAItem.objects.filter(fiscal_year__in=[YEAR, YEAR + 1]).update(needs_check=False)
    for year in (YEAR, YEAR + 1):
        ITAList.objects.filter(fiscal_year=year).update(confirmed_at=timezone.now())
    req = make_request(people, State.APPROVED)
    form = PlanForm(req=req, initial={"fiscal_year": YEAR})
    offered = list(form.fields["ita_items"].queryset)
    annual = ITAItem.objects.get(fiscal_year=YEAR + 1, code="O13")
    assert annual.data_year == YEAR  # the annual report: last year's data
    next_year = {i.code for i in offered if i.fiscal_year == YEAR + 1}
    assert next_year == {"O13", "O22", "O26", "O38"}  # the annual reports, nothing else
    assert form.fields["ita_items"].label_from_instance(annual).endswith(f"(ITA {YEAR + 1})")


def test_the_plan_form_offers_no_item_of_an_unconfirmed_list(people):
    ita_copy_year(from_year=2567, to_year=YEAR)
    req = make_request(people, State.APPROVED)
    form = PlanForm(req=req, initial={"fiscal_year": YEAR})
    assert not form.fields["ita_items"].queryset.exists()


def test_a_none_statement_added_in_the_admin_keeps_who_recorded_it(admin_client):
    from catalog.models import ITANilStatement

    o18 = ITAItem.objects.get(fiscal_year=2569, code="O18")
    response = admin_client.post(
        reverse("admin:catalog_itanilstatement_add"),
        {"ita_item": o18.pk, "text": "ไม่มีเรื่องร้องเรียน", "stated_on": "1/10/2569"},
    )
    assert response.status_code == 302
    statement = ITANilStatement.objects.get()
    assert statement.recorded_by is not None and statement.recorded_by_name
    assert statement.stated_on == dt.date(2026, 10, 1)  # typed in B.E.


def test_the_plan_form_suggests_the_items_mapped_to_the_category_for_the_year(people):
    from esa_publish.thai.fiscal import fiscal_year

    year = fiscal_year(timezone.localdate())
    ITAItem.objects.filter(fiscal_year=year).delete()
    ita_copy_year(from_year=2567, to_year=year)  # no mappings carried over
    ITAItem.objects.filter(fiscal_year=year).update(needs_check=False)
    ITAList.objects.filter(fiscal_year=year).update(confirmed_at=timezone.now())
    req = make_request(people, State.APPROVED)
    assert PlanForm(req=req).initial["ita_items"] == []  # nothing mapped for this year yet
    o7 = ITAItem.objects.get(fiscal_year=year, code="O7")
    req.category.ita_items.add(o7)
    assert PlanForm(req=req).initial["ita_items"] == [o7.pk]


def test_a_years_list_exported_as_csv_imports_back_as_another_year(admin_client, people):
    ita_list = ITAList.objects.get(fiscal_year=2569)
    response = admin_client.get(reverse("admin:catalog_italist_export", args=[ita_list.pk]))
    assert response.status_code == 200
    assert "ita-list-2569.csv" in response["Content-Disposition"]
    parsed = ita_import.parse("ita-list-2569.csv", response.content, fiscal_year=YEAR)
    assert parsed.ok
    ita_import_year(fiscal_year=YEAR, rows=parsed.clean_rows(), source="แก้จาก 2569", user=None)
    fields = ("code", "name", "group", "description", "data_year_offset", "parts")
    copied = list(ITAItem.objects.for_year(YEAR).values_list(*fields))
    assert copied == list(ITAItem.objects.for_year(2569).values_list(*fields))


def test_an_item_added_by_hand_opens_its_years_list(admin_client):
    response = admin_client.post(
        reverse("admin:catalog_itaitem_add"),
        {"fiscal_year": 2595, "code": "O1", "order": 1, "name": "โครงสร้าง", "data_year_offset": 0},
    )
    assert response.status_code == 302
    assert ITAList.objects.filter(fiscal_year=2595, confirmed_at=None).exists()
