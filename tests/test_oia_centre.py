"""The Official Information Act centre: the shipped headings, the administrator's mapping, the
public page, the webmaster's warning about the current year's plan, and the two documents."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from io import BytesIO
from pathlib import Path

import pypdf
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from catalog.models import Category
from catalog.oia import documents, selectors
from catalog.oia.data import headings as shipped_headings
from catalog.oia.models import PLAN_CODE, Appointee, GazetteNotice, InformationCentre, OIAHeading
from requests.memo.text import restore_sara_am
from tests.factories import UserFactory
from tests.test_catalog_pages import make_items

pytestmark = pytest.mark.django_db

ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts" / "oia"
needs_poppler = pytest.mark.skipif(
    not (shutil.which("pdftotext") and shutil.which("pdftoppm")), reason="needs poppler-utils"
)


def heading(code: str) -> OIAHeading:
    return OIAHeading.objects.get(code=code)


def map_to(code: str, category: Category) -> None:
    heading(code).categories.add(category)


# --- the shipped taxonomy -------------------------------------------------------------------------


def test_the_act_headings_ship_as_data():
    codes = list(OIAHeading.objects.values_list("code", flat=True))
    assert codes[:5] == ["7(1)", "7(2)", "7(3)", "7(4)", "7(5)"]
    assert [c for c in codes if c.startswith("9(") and "-" not in c] == [
        f"9({n})" for n in range(1, 9)
    ]
    procurement = heading("9(8)").children.order_by("order")
    assert [h.code for h in procurement] == ["9(8)-1", "9(8)-2", "9(8)-3", "9(8)-4"]
    assert "สขร.๑" in procurement[2].name
    assert "แผน" in procurement[0].name and "ประจำปี" in procurement[3].name
    assert len(codes) == len(shipped_headings()) == 17


def test_headings_read_as_the_act_numbers_them():
    assert heading("7(3)").label == "มาตรา ๗ (๓)"
    assert heading("9(8)-3").label == "มาตรา ๙ (๘) ๓"
    assert heading(PLAN_CODE).name.startswith("แผนงาน โครงการ และงบประมาณรายจ่ายประจำปี")


def test_loading_again_keeps_the_administrators_mapping():
    from catalog.oia.data import load_headings

    category = Category.objects.first()
    map_to("7(1)", category)
    assert load_headings(OIAHeading) == 0
    assert list(heading("7(1)").categories.all()) == [category]


# --- the administrator maps categories ------------------------------------------------------


@pytest.fixture
def admin_client(client, people):
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(admin)
    return client


def test_the_admin_maps_categories_to_a_heading(admin_client):
    plan = heading(PLAN_CODE)
    category = Category.objects.get(code="1.3")
    url = reverse("admin:catalog_oiaheading_change", args=[plan.pk])
    assert admin_client.get(url).status_code == 200
    response = admin_client.post(url, {"categories": [category.pk]})
    assert response.status_code == 302
    assert list(plan.categories.all()) == [category]
    assert plan.name == heading(PLAN_CODE).name  # the law's text is not editable


def test_the_admin_cannot_add_or_delete_headings(admin_client):
    assert admin_client.get(reverse("admin:catalog_oiaheading_add")).status_code == 403
    delete = reverse("admin:catalog_oiaheading_delete", args=[heading("7(1)").pk])
    assert admin_client.get(delete).status_code == 403
    listing = admin_client.get(reverse("admin:catalog_oiaheading_changelist"))
    assert listing.status_code == 200 and "มาตรา ๙ (๘) ๓" in listing.content.decode()


def test_section_7_headings_take_royal_gazette_references_in_the_admin(admin_client):
    body = admin_client.get(
        reverse("admin:catalog_oiaheading_change", args=[heading("7(1)").pk])
    ).content.decode()
    assert "gazette_notices-TOTAL_FORMS" in body
    body = admin_client.get(
        reverse("admin:catalog_oiaheading_change", args=[heading("9(1)").pk])
    ).content.decode()
    assert "gazette_notices-TOTAL_FORMS" not in body


def test_the_centre_settings_are_one_row(admin_client):
    add = reverse("admin:catalog_informationcentre_add")
    assert admin_client.get(add).status_code == 200
    InformationCentre.objects.create()
    assert admin_client.get(add).status_code == 403


# --- the public page ------------------------------------------------------------------------------


def test_the_page_lists_live_items_under_their_headings(client, people):
    structure = Category.objects.get(code="1.1")
    news = Category.objects.get(code="1.8")
    map_to("7(1)", structure)
    map_to("9(8)-3", news)
    (chart,) = make_items(1, structure, title="แผนภูมิโครงสร้างสำนักงาน")
    (summary,) = make_items(1, news, title="สรุปผลการจัดซื้อจัดจ้าง ตุลาคม")
    make_items(1, news, title="รายการที่ถอดแล้ว", withdrawn_at=timezone.now())
    make_items(1, news, title="รายการในอนาคต", published_at=timezone.now() + dt.timedelta(days=1))

    response = client.get(reverse("oia:centre"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "มาตรา ๗ ข้อมูลข่าวสารที่ต้องลงพิมพ์ในราชกิจจานุเบกษา" in html
    assert "มาตรา ๙ ข้อมูลข่าวสารที่ต้องจัดไว้ให้ประชาชนเข้าตรวจดู" in html
    section_7, section_9 = html.split("มาตรา ๙ ข้อมูลข่าวสารที่ต้องจัดไว้")
    assert chart.get_absolute_url() in section_7
    assert summary.get_absolute_url() in section_9
    assert "รายการที่ถอดแล้ว" not in html and "รายการในอนาคต" not in html
    assert reverse("catalog:category", args=[news.slug]) in section_9


def test_under_9_3_only_the_current_years_plans_are_listed(client, people):
    plans = Category.objects.get(code="1.3")
    map_to(PLAN_CODE, plans)
    year = selectors.current_fiscal_year()
    make_items(1, plans, title="แผนปฏิบัติการปีนี้", fiscal_year=year)
    make_items(1, plans, title="แผนปฏิบัติการปีก่อน", fiscal_year=year - 1)
    html = client.get(reverse("oia:centre")).content.decode()
    assert "แผนปฏิบัติการปีนี้" in html
    assert "แผนปฏิบัติการปีก่อน" not in html


def test_the_page_shows_the_officer_contact_rules_and_gazette_reference(client, people):
    officer = UserFactory(
        username="oic", first_name="สมศรี", last_name="รักษ์ข้อมูล", name_prefix="นางสาว"
    )
    InformationCentre.objects.create(
        officer=officer,
        location="ห้องประชาสัมพันธ์ ชั้น ๑",
        phone="038-111-222",
        email="oic@example.test",
    )
    GazetteNotice.objects.create(
        heading=heading("7(1)"),
        title="ประกาศกระทรวงศึกษาธิการ เรื่อง การแบ่งส่วนราชการภายในสำนักงานเขตพื้นที่การศึกษา",
        volume=136,
        part="พิเศษ 97 ง",
        page="3",
        published_on=dt.date(2019, 4, 22),
    )
    html = client.get(reverse("oia:centre")).content.decode()
    assert "นางสาวสมศรี รักษ์ข้อมูล" in html
    assert "ห้องประชาสัมพันธ์ ชั้น ๑" in html and "038-111-222" in html
    assert "หลักเกณฑ์การตรวจดูและขอสำเนาข้อมูลข่าวสาร" in html
    assert "สำเนาที่มีคำรับรองถูกต้อง" in html
    # One kind of digit in the row: the page's (docs/ARCHITECTURE.md, "Digits").
    assert "ราชกิจจานุเบกษา เล่ม ๑๓๖ ตอน พิเศษ ๙๗ ง หน้า ๓ วันที่ ๒๒ เมษายน ๒๕๖๒" in html


def test_the_page_takes_a_fixed_number_of_queries(client, people):
    categories = list(Category.objects.all()[:4])
    for code, category in zip(["7(1)", "7(4)", "9(3)", "9(8)-3"], categories, strict=True):
        map_to(code, category)
    for category in categories:
        make_items(3, category, fiscal_year=selectors.current_fiscal_year())
    client.get(reverse("oia:centre"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("oia:centre"))
    for category in categories:
        make_items(12, category, fiscal_year=selectors.current_fiscal_year())
    with CaptureQueriesContext(connection) as many:
        html = client.get(reverse("oia:centre")).content.decode()
    assert len(many) == len(few) <= 8
    assert html.count('class="oia-items"') == 4
    assert html.count("รายการทดสอบ") == 4 * selectors.ITEMS_PER_HEADING


# --- the webmaster's warning about 9(3) -----------------------------------------------------------


def test_the_webmaster_is_warned_when_this_years_plan_is_missing(client, people):
    assert selectors.plan_missing()
    client.force_login(people.webmaster)
    warning = "(มาตรา ๙ (๓)) ที่เผยแพร่อยู่"
    assert warning in client.get(reverse("oia:centre")).content.decode()
    assert warning in client.get(reverse("publishing:queue")).content.decode()

    plans = Category.objects.get(code="1.3")
    map_to(PLAN_CODE, plans)
    make_items(1, plans, fiscal_year=selectors.current_fiscal_year() - 1)
    assert selectors.plan_missing()  # last year's plan does not count
    make_items(1, plans, fiscal_year=selectors.current_fiscal_year())
    assert not selectors.plan_missing()
    assert warning not in client.get(reverse("publishing:queue")).content.decode()
    assert warning not in client.get(reverse("oia:centre")).content.decode()


def test_the_public_never_sees_the_warning(client, people):
    assert selectors.plan_missing()
    assert "(มาตรา ๙ (๓)) ที่เผยแพร่อยู่" not in client.get(reverse("oia:centre")).content.decode()


# --- the two documents ----------------------------------------------------------------------------


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    result = subprocess.run(
        ["pdftotext", "-raw", str(path), "-"], capture_output=True, check=True, text=True
    )
    return restore_sara_am(result.stdout)


def save_pages(pdf: bytes, name: str) -> list[Path]:
    """The PDF and its pages as PNG under artifacts/oia/, for people to look at."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.pdf"
    path.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(path), str(ARTIFACTS / name)], check=True)
    return sorted(ARTIFACTS.glob(f"{name}-*.png"))


@pytest.fixture
def centre(people):
    centre = InformationCentre.objects.create(
        location="ห้องศูนย์ข้อมูลข่าวสาร ชั้น 1",
        phone="038-511-000 ต่อ 12",
        announcement_date=dt.date(2026, 10, 15),
        order_number="245/2569",
        order_date=dt.date(2026, 10, 16),
        signer_name="นายสมชาย ใจดี",
    )
    Appointee.objects.create(centre=centre, user=people.webmaster, duty="ผู้ดูแลระบบและเผยแพร่ข้อมูล")
    Appointee.objects.create(
        centre=centre, name="นางสาวมาลี ศรีสุข", position="เจ้าพนักงานธุรการ", duty="เจ้าหน้าที่ประจำศูนย์"
    )
    return centre


@needs_poppler
def test_the_announcement_lists_the_offices_categories_and_steps(centre, office, tmp_path):
    pdf = documents.render_announcement_pdf()
    save_pages(pdf, "announcement")
    text = pdf_text(pdf, tmp_path)
    flat = " ".join(text.split())
    assert f"ประกาศ{office.name_th}" in flat
    assert "เรื่อง มาตรการเผยแพร่ข้อมูลต่อสาธารณะ" in flat
    for number, category in enumerate(Category.objects.active().order_by("order", "code")[:3], 1):
        assert f"๑.{'๐๑๒๓๔๕๖๗๘๙'[number]}" in flat
        assert " ".join(category.name.split())[:25] in flat
    assert "๑) เจ้าของข้อมูลข่าวสารยื่นบันทึกข้อความ" in flat
    assert "ที่ ๒๔๕/๒๕๖๙ ลงวันที่ ๑๖ ตุลาคม ๒๕๖๙" in flat
    assert "ประกาศ ณ วันที่ ๑๕ ตุลาคม ๒๕๖๙" in flat
    assert "(นายสมชาย ใจดี)" in flat
    assert office.director_title.replace(" ", "") in flat.replace(" ", "")
    assert "ร่าง" not in text.split()
    assert not any(ch in "0123456789" for ch in flat.replace(office.phone, ""))  # Thai digits


@needs_poppler
def test_the_order_names_the_appointees_and_their_duties(centre, office, people, tmp_path):
    pdf = documents.render_order_pdf()
    save_pages(pdf, "order")
    flat = " ".join(pdf_text(pdf, tmp_path).split())
    assert f"คำสั่ง{office.name_th}" in flat
    assert "ที่ ๒๔๕/๒๕๖๙" in flat
    assert "เรื่อง แต่งตั้งผู้รับผิดชอบการเผยแพร่ข้อมูลต่อสาธารณะ" in flat
    assert "ลงวันที่ ๑๕ ตุลาคม ๒๕๖๙" in flat
    assert people.webmaster.full_name in flat
    assert "เป็นผู้ดูแลระบบและเผยแพร่ข้อมูล" in flat.replace(" ", "")
    assert "นางสาวมาลี ศรีสุข" in flat and "เจ้าพนักงานธุรการ" in flat
    assert "สั่ง ณ วันที่ ๑๖ ตุลาคม ๒๕๖๙" in flat
    assert pypdf.PdfReader(BytesIO(pdf)).metadata.title.startswith("คำสั่ง")


@needs_poppler
def test_an_undated_order_is_a_draft_listing_todays_webmasters(people, tmp_path):
    text = pdf_text(documents.render_order_pdf(), tmp_path)
    assert "ร่าง" in text.split()
    assert people.webmaster.full_name in " ".join(text.split())


def test_issued_documents_are_public_drafts_are_not(client, people):
    for name in ("oia:announcement_pdf", "oia:order_pdf"):
        assert client.get(reverse(name)).status_code == 404
    client.force_login(people.requester)
    assert client.get(reverse("oia:order_pdf")).status_code == 404
    client.force_login(people.webmaster)
    draft = client.get(reverse("oia:order_pdf"))
    assert draft.status_code == 200 and draft["Content-Type"] == "application/pdf"
    assert "no-store" in draft["Cache-Control"]
    client.logout()
    InformationCentre.objects.create(announcement_date=dt.date(2026, 10, 15))
    issued = client.get(reverse("oia:announcement_pdf"))
    assert issued.status_code == 200 and issued.content.startswith(b"%PDF")
    assert client.get(reverse("oia:order_pdf")).status_code == 404
    html = client.get(reverse("oia:centre")).content.decode()
    assert reverse("oia:announcement_pdf") in html and reverse("oia:order_pdf") not in html


def test_documents_answer_get_only(client, people):
    client.force_login(people.webmaster)
    assert client.post(reverse("oia:order_pdf")).status_code == 405


def test_the_demo_maps_categories_and_sets_up_the_centre(people, client):
    from catalog.oia.demo import seed_centre

    webmaster = people.webmaster
    seed_centre(lambda line: None)
    seed_centre(lambda line: None)  # again: nothing doubled
    assert heading(PLAN_CODE).categories.get().slug == "1-3"
    centre = InformationCentre.objects.get()
    assert centre.officer == webmaster
    assert [a.user for a in centre.appointees.all()] == [webmaster]
    assert client.get(reverse("oia:order_pdf")).status_code == 200  # issued: public
