"""The quarterly monitoring report: periods, figures across quarter boundaries, the narrative,
acknowledgment and reopening, the PDF, the workbook, the CSV and who may see what.

The fixture places items and decisions on both sides of the fiscal year's turn (30 Sep / 1 Oct,
in Bangkok time, which is still 30 Sep in UTC until 07:00) and of the calendar year's
(31 Dec / 1 Jan), and has the director's decision taken by a delegate from another unit.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
import subprocess
from html.parser import HTMLParser
from types import SimpleNamespace

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from approvals.errors import NotAllowed
from approvals.models import (
    Capacity,
    Delegation,
    QuarterlyReport,
    ReportEvent,
    ReportEventKind,
    ReportPeriod,
)
from approvals.reports import figures, services
from approvals.reports.periods import Period
from approvals.reports.selectors import load_report
from approvals.reports.tables import build_tables, display
from catalog.models import Category, DailyStat
from esa_publish.office import roles
from esa_publish.spreadsheet import safe_cell
from esa_publish.thai.digits import to_arabic_digits, to_thai_digits
from requests.models import PublicationRequest
from tests.factories import UnitFactory, UserFactory
from tests.pdfs import all_texts, document_info, watermarked_pages
from tests.reporting import act, at, bkk, item, new_request

Q1 = Period(2569, ReportPeriod.Q1)
Q2 = Period(2569, ReportPeriod.Q2)
AFTER_Q1 = bkk(2026, 1, 5)  # when the director acknowledges Q1

needs_pdftotext = pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler-utils")


# --- periods ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "code, first, last",
    [
        ("q1", dt.date(2025, 10, 1), dt.date(2025, 12, 31)),
        ("q2", dt.date(2026, 1, 1), dt.date(2026, 3, 31)),
        ("q3", dt.date(2026, 4, 1), dt.date(2026, 6, 30)),
        ("q4", dt.date(2026, 7, 1), dt.date(2026, 9, 30)),
        ("h1", dt.date(2025, 10, 1), dt.date(2026, 3, 31)),
        ("h2", dt.date(2026, 4, 1), dt.date(2026, 9, 30)),
        ("year", dt.date(2025, 10, 1), dt.date(2026, 9, 30)),
    ],
)
def test_periods_are_inclusive_local_date_ranges(code, first, last):
    period = Period(2569, code)
    assert (period.first, period.last) == (first, last)
    assert period.start == bkk(first.year, first.month, first.day, 0, 0)
    assert period.end == bkk(last.year, last.month, last.day, 0, 0) + dt.timedelta(days=1)


def test_a_period_starts_at_bangkok_midnight_which_is_the_previous_evening_in_utc():
    assert Q1.start.astimezone(dt.UTC) == dt.datetime(2025, 9, 30, 17, 0, tzinfo=dt.UTC)


def test_the_heading_is_in_thai_digits_and_buddhist_era():
    assert Q1.heading() == "ไตรมาสที่ ๑ ปีงบประมาณ พ.ศ. ๒๕๖๙ (๑ ตุลาคม ๒๕๖๘ – ๓๑ ธันวาคม ๒๕๖๘)"


def test_an_unknown_period_is_refused():
    with pytest.raises(ValueError):
        Period(2569, "q5")


# --- the fixture --------------------------------------------------------------------------------


@pytest.fixture
def office_data(people):
    """Items, daily counts and decisions around the quarter boundaries of FY 2569.

    Expected for FY 2569 Q1 (1 Oct – 31 Dec 2025, Bangkok):
      unit: published 3 (b, c, the published request), withdrawn 0, views 10, downloads 2,
            filed 2 (r2, r3), allowed 1 (r1, by a delegate from other_unit), denied 1 (r3)
      other_unit: published 1, withdrawn 1 (e)
      no unit: published 1 (f)
    """
    unit, other = people.unit, people.other_unit
    acting = UserFactory(
        username="acting", unit=other, roles=[roles.DEPUTY], position_title="รองผู้อำนวยการ"
    )
    Delegation.objects.create(
        principal=people.director,
        delegate=acting,
        capacity=Capacity.ACTING,
        starts_on=dt.date(2025, 10, 1),
        ends_on=dt.date(2025, 10, 31),
    )
    a = item(unit, "1.8", bkk(2025, 9, 30, 23, 30))  # FY 2568 Q4
    b = item(unit, "1.8", bkk(2025, 10, 1, 0, 10))  # FY 2569 Q1, still 30 Sep in UTC
    c = item(unit, "1.3", bkk(2025, 12, 31, 23, 59), withdrawn=bkk(2026, 1, 1, 0, 5))
    item(unit, "1.8", bkk(2026, 1, 1, 0, 0))  # Q2
    item(other, "1.3", bkk(2025, 11, 15), withdrawn=bkk(2025, 12, 1))
    item(None, "1.1", bkk(2025, 10, 5))
    DailyStat.objects.create(item=a, day=dt.date(2025, 9, 30), views=5)
    DailyStat.objects.create(item=b, day=dt.date(2025, 10, 1), views=7, downloads=2)
    DailyStat.objects.create(item=c, day=dt.date(2025, 12, 31), views=3)
    DailyStat.objects.create(item=c, day=dt.date(2026, 1, 1), views=11)

    r1 = new_request(people.requester, title="คำขอหนึ่ง")
    act(r1, people.requester, "submit", bkk(2025, 9, 30, 23, 0))  # FY 2568 Q4
    act(r1, people.group_director, "review.forward", bkk(2025, 10, 1, 1, 0))
    act(r1, people.deputy, "deputy.allow", bkk(2025, 10, 2, 1, 0))
    act(r1, acting, "director.allow", bkk(2025, 10, 3, 1, 0))
    act(r1, people.webmaster, "webmaster.publish", bkk(2025, 10, 5, 1, 0))

    r2 = new_request(people.requester, title="คำขอสอง")
    act(r2, people.requester, "submit", bkk(2025, 12, 31, 23, 30))
    act(r2, people.group_director, "review.return", bkk(2026, 1, 1, 0, 30))  # Q2

    r3 = new_request(people.requester, title="คำขอสาม", category_code="1.3")
    act(r3, people.requester, "submit", bkk(2025, 10, 10))
    act(r3, people.group_director, "review.forward", bkk(2025, 10, 11))
    act(r3, people.deputy, "deputy.deny", bkk(2025, 10, 13))
    act(r3, people.director, "director.deny", bkk(2025, 10, 20))
    return SimpleNamespace(acting=acting, r1=r1, r2=r2, r3=r3)


def _row(rows, name):
    return next(r for r in rows if r.name == name)


# --- figures ------------------------------------------------------------------------------------


def test_q1_counts_per_unit(people, office_data):
    figs = figures.compute(Q1)
    unit = _row(figs.units, people.unit.name)
    assert unit.counts == {
        "published": 3,
        "withdrawn": 0,
        "views": 10,
        "downloads": 2,
        "shared": 0,
        "filed": 2,
        "allowed": 1,
        "denied": 1,
        "returned": 0,
    }
    other = _row(figs.units, people.other_unit.name)
    assert (other.counts["published"], other.counts["withdrawn"]) == (1, 1)
    assert other.counts["allowed"] == 0  # the delegate's unit gets nothing for deciding
    assert _row(figs.units, str(figures.NO_UNIT_NAME)).counts["published"] == 1
    assert figs.total.counts["published"] == 5


def test_q1_counts_per_category(people, office_data):
    figs = figures.compute(Q1)
    news = _row(figs.categories, str(Category.objects.get(code="1.8")))
    plans = _row(figs.categories, str(Category.objects.get(code="1.3")))
    assert (news.counts["published"], news.counts["filed"], news.counts["allowed"]) == (2, 1, 1)
    assert (plans.counts["published"], plans.counts["withdrawn"]) == (2, 1)
    assert (plans.counts["filed"], plans.counts["denied"]) == (1, 1)
    assert sum(r.counts["published"] for r in figs.categories) == figs.total.counts["published"]


def test_the_other_side_of_each_boundary(people, office_data):
    before = figures.compute(Period(2568, ReportPeriod.Q4))
    unit = _row(before.units, people.unit.name)
    assert (unit.counts["published"], unit.counts["views"], unit.counts["filed"]) == (1, 5, 1)
    q2 = _row(figures.compute(Q2).units, people.unit.name)
    # Item c, published 31 Dec 23:59, is taken down in Q2 (1 Jan 00:05): counted in each quarter.
    assert (q2.counts["published"], q2.counts["withdrawn"]) == (1, 1)
    assert (q2.counts["views"], q2.counts["returned"]) == (11, 1)


def test_a_half_year_is_the_sum_of_its_quarters(office_data):
    q1, q2 = figures.compute(Q1).total.counts, figures.compute(Q2).total.counts
    h1 = figures.compute(Period(2569, ReportPeriod.H1)).total.counts
    assert h1 == {name: q1[name] + q2[name] for name in figures.COUNTS}


def test_median_days_per_step(people, office_data):
    unit = _row(figures.compute(Q1).units, people.unit.name)
    # r1 left "submitted" 2 hours after entering it (across the fiscal year's turn), r3 a day.
    assert unit.medians["submitted"] == pytest.approx((2 / 24 + 1) / 2, abs=1e-3)
    assert unit.medians["reviewed"] == pytest.approx(1.5)
    assert unit.medians["recommended"] == pytest.approx(4.0)
    assert unit.medians["approved"] == pytest.approx(2.0)
    assert unit.measured["submitted"] == 2
    q2 = _row(figures.compute(Q2).units, people.unit.name)
    assert q2.medians["submitted"] == pytest.approx(1 / 24, abs=1e-3)


def test_the_trend_runs_from_the_first_quarter_to_the_end_of_the_period(office_data):
    trend = figures.compute(Q2).trend
    assert [r.key for r in trend] == ["q1", "q2"]
    assert [r.counts["published"] for r in trend] == [5, 1]
    assert len(figures.compute(Period(2569, ReportPeriod.YEAR)).trend) == 4


def _count_queries(func) -> int:
    with CaptureQueriesContext(connection) as captured:
        func()
    return len(captured)


def test_the_number_of_queries_does_not_grow_with_units_and_categories(people, office_data):
    few = _count_queries(lambda: figures.compute(Q1))
    for n in range(8):
        unit = UnitFactory()
        category = Category.objects.create(name=f"หมวดเพิ่ม {n}", slug=f"extra-{n}")
        item(unit, "1.8", bkk(2025, 11, 1))
        item(unit, category.code or "1.8", bkk(2025, 11, 2))
    assert _count_queries(lambda: figures.compute(Q1)) == few


# --- narratives, acknowledgment, reopening -------------------------------------------------------


def _submit(people, user=None, unit=None, **texts):
    values = {"outcomes": "ผู้รับบริการรับรู้ข่าวสารมากขึ้น", "problems": "", "suggestions": ""}
    values.update(texts)
    return services.narrative_submit(
        period=Q1, unit=unit or people.unit, user=user or people.group_director, **values
    )


def test_the_unit_director_submits_the_narrative(people):
    narrative = _submit(people, problems="ไฟล์มีขนาดใหญ่")
    assert narrative.problems == "ไฟล์มีขนาดใหญ่"
    event = ReportEvent.objects.get()
    assert (event.kind, event.unit, event.actor) == (
        "submitted",
        people.unit,
        people.group_director,
    )
    assert event.details["problems"] == "ไฟล์มีขนาดใหญ่"


def test_only_the_units_director_may_write_its_narrative(people):
    for user in (people.deputy, people.director, people.requester):
        with pytest.raises(NotAllowed):
            _submit(people, user=user)
    with pytest.raises(NotAllowed):
        _submit(people, unit=people.other_unit)


def test_a_delegate_writes_the_narrative_in_the_directors_name(people):
    stand_in = UserFactory(username="standin", unit=people.unit, roles=[roles.STAFF])
    Delegation.objects.create(
        principal=people.group_director,
        delegate=stand_in,
        capacity=Capacity.ON_BEHALF,
        starts_on=dt.date(2020, 1, 1),
        ends_on=dt.date(2040, 1, 1),
    )
    narrative = _submit(people, user=stand_in)
    assert narrative.capacity == Capacity.ON_BEHALF
    assert narrative.principal_name == people.group_director.full_name
    event = ReportEvent.objects.get()
    assert (event.actor, event.on_behalf_of) == (stand_in, people.group_director)


def test_an_empty_narrative_is_refused(people):
    with pytest.raises(services.ReportError):
        _submit(people, outcomes=" ")


def _acknowledge(people, user=None):
    with at(AFTER_Q1):
        return services.report_acknowledge(period=Q1, user=user or people.director)


def test_acknowledging_freezes_figures_and_narratives(people, office_data):
    _submit(people)
    report = _acknowledge(people)
    assert report.is_frozen
    assert report.signer_name == people.director.full_name
    assert report.snapshot["figures"]["total"]["counts"]["published"] == 5
    # Later changes to the data do not alter the acknowledged report.
    item(people.unit, "1.8", bkk(2025, 11, 20))
    assert figures.compute(Q1).total.counts["published"] == 6
    data = load_report(Q1)
    assert data.figures.total.counts["published"] == 5
    with pytest.raises(services.ReportError) as caught:
        _submit(people, outcomes="แก้ไขหลังรับทราบ")
    assert caught.value.message == services.FROZEN
    assert load_report(Q1).narratives[0]["outcomes"] == "ผู้รับบริการรับรู้ข่าวสารมากขึ้น"


def test_only_the_director_acknowledges(people):
    for user in (people.deputy, people.group_director, people.webmaster):
        with pytest.raises(NotAllowed):
            _acknowledge(people, user)


def test_an_acting_director_acknowledges_and_the_capacity_is_printed(people):
    stand_in = UserFactory(username="actingdir", roles=[roles.DEPUTY], position_title="รอง ผอ.")
    Delegation.objects.create(
        principal=people.director,
        delegate=stand_in,
        capacity=Capacity.ACTING,
        starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2026, 1, 31),
    )
    report = _acknowledge(people, stand_in)
    assert report.capacity == Capacity.ACTING
    assert report.capacity_line.startswith("รักษาราชการแทน")
    event = ReportEvent.objects.get(kind=ReportEventKind.ACKNOWLEDGED)
    assert event.on_behalf_of == people.director


def test_a_period_that_has_not_ended_cannot_be_acknowledged(people):
    with at(bkk(2025, 12, 31, 23, 0)), pytest.raises(services.ReportError):
        services.report_acknowledge(period=Q1, user=people.director)


def test_acknowledging_twice_is_refused(people):
    _acknowledge(people)
    with pytest.raises(services.ReportError):
        _acknowledge(people)


def test_reopening_is_recorded_and_allows_edits_again(people, office_data):
    _submit(people)
    _acknowledge(people)
    with pytest.raises(services.ReportError):
        services.report_reopen(period=Q1, user=people.director, reason="  ")
    with at(bkk(2026, 1, 10)):
        report = services.report_reopen(period=Q1, user=people.director, reason="ตัวเลขกลุ่มผิด")
    assert not report.is_frozen and report.snapshot is None
    reopened = ReportEvent.objects.get(kind=ReportEventKind.REOPENED)
    assert (reopened.actor, reopened.reason) == (people.director, "ตัวเลขกลุ่มผิด")
    assert reopened.created_at == bkk(2026, 1, 10)
    _submit(people, outcomes="แก้ไขแล้ว")
    kinds = list(ReportEvent.objects.order_by("pk").values_list("kind", flat=True))
    assert kinds == ["submitted", "acknowledged", "reopened", "submitted"]


def test_reopening_an_open_report_is_refused(people):
    with pytest.raises(services.ReportError):
        services.report_reopen(period=Q1, user=people.director, reason="ทดสอบ")


def test_report_events_are_append_only(people):
    _submit(people)
    event = ReportEvent.objects.get()
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        ReportEvent.objects.update(reason="x")
    with pytest.raises(TypeError):
        ReportEvent.objects.all().delete()


# --- pages --------------------------------------------------------------------------------------


def _client(client, user):
    client.force_login(user)
    return client


def _url(name, *args):
    return reverse(f"reports:{name}", args=args)


Q1_ARGS = (2569, "q1")


class _Tables(HTMLParser):
    """The cells of every <table> on a page, by table id."""

    def __init__(self):
        super().__init__()
        self.tables, self._id, self._cell = {}, None, None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self._id = dict(attrs).get("id")
            self.tables[self._id] = []
        elif tag == "tr" and self._id:
            self.tables[self._id].append([])
        elif tag in ("td", "th") and self._id:
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.tables[self._id][-1].append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "table":
            self._id = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def _page_tables(html: str) -> dict:
    parser = _Tables()
    parser.feed(html)
    return parser.tables


def test_the_page_shows_the_tables_and_accessible_charts(client, people, office_data):
    response = _client(client, people.director).get(_url("report", *Q1_ARGS))
    assert response.status_code == 200
    html = response.content.decode()
    tables = _page_tables(html)
    units = tables["table-units"]
    row = next(r for r in units if r[0] == people.unit.name)
    assert row[1:] == ["๓", "๐", "๑๐", "๒", "๐", "๒", "๑", "๑", "๐"]
    assert html.count('role="img"') == 3
    assert "<title>" in html and 'aria-label="' in html
    assert "style=" not in html.split("<main", 1)[1]  # CSP: no inline styles


def test_the_index_opens_the_quarter_that_ended_last(client, people):
    client = _client(client, people.director)
    response = client.get(_url("index"), {"year": 2569, "period": "h1"})
    assert response["Location"] == _url("report", 2569, "h1")
    with at(bkk(2026, 2, 10)):
        response = client.get(_url("index"))
    assert response.status_code == 302
    assert response["Location"] == _url("report", *Q1_ARGS)


def test_the_workbook_matches_the_page(client, people, office_data):
    client = _client(client, people.director)
    page = _page_tables(client.get(_url("report", *Q1_ARGS)).content.decode())
    response = client.get(_url("xlsx", *Q1_ARGS))
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    tables = build_tables(load_report(Q1).figures)
    assert book.sheetnames[: len(tables)] == [t.sheet for t in tables]
    for table in tables:
        sheet = [list(r) for r in book[table.sheet].iter_rows(values_only=True)]
        assert sheet[0] == table.headers
        on_screen = page[f"table-{table.slug}"]
        assert on_screen[0] == table.headers
        # The same rows, number for number: the page writes them in Thai digits.
        assert [_numbers(r) for r in sheet[1:]] == [_numbers(r) for r in on_screen[1:]]
    unit_row = next(
        r for r in book[tables[0].sheet].iter_rows(values_only=True) if r[0] == people.unit.name
    )
    assert unit_row[1:] == (3, 0, 10, 2, 0, 2, 1, 1, 0)


HYPERLINK = '=HYPERLINK("https://example.org/x","คลิก")'


def test_typed_text_never_becomes_a_formula_in_the_exports(client, people, office_data):
    # Issue 14.7: a narrative starting with "=" was stored in report.xlsx as a live formula.
    people.unit.name = "=1+2 กลุ่มทดสอบ"
    people.unit.save(update_fields=["name"])
    _submit(people, outcomes=HYPERLINK, problems="+66 81 234 5678", suggestions="@SUM(A1)\x01")
    client = _client(client, people.director)
    book = openpyxl.load_workbook(io.BytesIO(client.get(_url("xlsx", *Q1_ARGS)).content))
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
    notes = [list(r) for r in book.worksheets[-1].iter_rows(values_only=True)]
    assert ["'=1+2 กลุ่มทดสอบ", "'" + HYPERLINK, "'+66 81 234 5678", "'@SUM(A1)"] in [
        r[:4] for r in notes
    ]
    units = book.worksheets[0]
    assert "'=1+2 กลุ่มทดสอบ" in [r[0] for r in units.iter_rows(values_only=True)]
    text = client.get(_url("csv", *Q1_ARGS, "units")).content.decode("utf-8-sig")
    names = [r[0] for r in csv.reader(io.StringIO(text))]
    assert "'=1+2 กลุ่มทดสอบ" in names and "=1+2 กลุ่มทดสอบ" not in names


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+2", "'=1+2"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@A1", "'@A1"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("กลุ่ม = หน่วย", "กลุ่ม = หน่วย"),
        ("ก\x00ข\x1f", "กข"),
        (-3, -3),
        (2.5, 2.5),
        (None, None),
    ],
)
def test_one_function_makes_every_export_cell_safe(value, expected):
    assert safe_cell(value) == expected


def test_the_csv_is_utf8_with_a_bom(client, people, office_data):
    response = _client(client, people.director).get(_url("csv", *Q1_ARGS, "units"))
    assert response.status_code == 200
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "กลุ่ม/หน่วย"
    assert next(r for r in rows if r[0] == people.unit.name)[1:] == [
        "3",
        "0",
        "10",
        "2",
        "0",
        "2",
        "1",
        "1",
        "0",
    ]
    assert client.get(_url("csv", *Q1_ARGS, "nothing")).status_code == 404


def _numbers(row) -> list:
    """A table row with every number as a float, whether it came as 4, 4.0 or "๔.๐"."""
    out = []
    for value in row:
        text = to_arabic_digits(value).replace(",", "") if isinstance(value, str) else value
        try:
            out.append(round(float(text), 1))
        except (TypeError, ValueError):
            out.append(None if text in (None, "—") else text)
    return out


def _pdf_text(pdf: bytes) -> str:
    out = subprocess.run(
        ["pdftotext", "-raw", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    return " ".join(out.split())


@needs_pdftotext
def test_the_pdf_has_the_heading_figures_narratives_and_signature(client, people, office_data):
    _submit(people, problems="บุคลากรไม่เพียงพอ")
    _acknowledge(people)
    response = _client(client, people.director).get(_url("pdf", *Q1_ARGS))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = _pdf_text(response.content)
    flat = text.replace(" ", "")  # lines break inside long Thai words
    assert "รายงานผลการเผยแพร่ข้อมูลต่อสาธารณะผ่านเว็บไซต์สำนักงานเขตพื้นที่การศึกษา" in flat
    assert "ไตรมาสที่ ๑ ปีงบประมาณ พ.ศ. ๒๕๖๙" in text
    assert "จำนวน ๕ รายการ" in text  # published, in Thai digits
    assert "ไม่อนุญาต ๑ เรื่อง" in text
    assert f"{people.unit.name}๓๐๑๐๒๐๒๑๑๐" in flat
    assert "บุคลากรไม่เพียงพอ" in text
    assert f"({people.director.full_name})" in text
    assert "๕ มกราคม ๒๕๖๙" in text  # acknowledged on 5 Jan 2026
    assert watermarked_pages(response.content) == []  # no draft watermark once acknowledged
    for name, extracted in all_texts(response.content).items():  # ำ as typed, in every reader
        squashed = "".join(extracted.split())
        assert "สำนักงานเขตพื้นที่การศึกษา" in squashed and "\u0e4d" not in squashed, name
    info = document_info(response.content)  # tagged PDF/UA-1 with its metadata
    assert info["tagged"] and info["pdfua"] and info["lang"] == "th"
    assert info["title"].startswith("รายงานผลการเผยแพร่") and info["author"] and info["created"]


@needs_pdftotext
def test_an_unacknowledged_pdf_is_a_draft_without_a_signer(client, people):
    response = _client(client, people.director).get(_url("pdf", *Q1_ARGS))
    text = _pdf_text(response.content)
    assert watermarked_pages(response.content) and "ร่าง" not in text
    assert people.director.full_name not in text


def test_the_director_acknowledges_and_reopens_on_the_page(client, people):
    client = _client(client, people.director)
    response = client.post(_url("acknowledge", *Q1_ARGS))
    assert response.status_code == 302
    assert QuarterlyReport.objects.get().is_frozen
    client.post(_url("reopen", *Q1_ARGS), {"reason": ""})
    assert QuarterlyReport.objects.get().is_frozen  # no reason, no reopening
    client.post(_url("reopen", *Q1_ARGS), {"reason": "ขอแก้ไขรายงานของกลุ่ม"})
    assert not QuarterlyReport.objects.get().is_frozen
    page = client.get(_url("report", *Q1_ARGS)).content.decode()
    assert "ขอแก้ไขรายงานของกลุ่ม" in page


def test_the_group_director_writes_on_the_page(client, people):
    client = _client(client, people.group_director)
    url = _url("narrative", *Q1_ARGS, people.unit.pk)
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"outcomes": "ประชาชนเข้าถึงข้อมูลได้ง่าย", "problems": "", "suggestions": ""}
    )
    assert response.status_code == 302
    page = client.get(_url("report", *Q1_ARGS)).content.decode()
    assert "ประชาชนเข้าถึงข้อมูลได้ง่าย" in page


def test_a_frozen_report_sends_the_narrative_form_back(client, people):
    _acknowledge(people)
    client = _client(client, people.group_director)
    response = client.post(_url("narrative", *Q1_ARGS, people.unit.pk), {"outcomes": "ใหม่"})
    assert response.status_code == 302
    assert not ReportEvent.objects.filter(kind="submitted").exists()


def test_the_report_becomes_a_draft_publication_request(client, people, office_data):
    _acknowledge(people)
    client = _client(client, people.group_director)
    response = client.post(_url("publish_request", *Q1_ARGS))
    req = PublicationRequest.objects.get(requester=people.group_director)
    assert response.status_code == 302
    assert response["Location"] == reverse("requests:edit", args=[req.pk])
    assert req.state == "draft"
    assert "รายงานผลการเผยแพร่ข้อมูล" in req.publish_title
    attachment = req.attachments.get()
    assert attachment.kind == "pdf"
    assert attachment.original_name.endswith(".pdf")


def test_an_unacknowledged_report_is_not_sent_for_publication(client, people):
    client = _client(client, people.group_director)
    client.post(_url("publish_request", *Q1_ARGS))
    assert not PublicationRequest.objects.filter(requester=people.group_director).exists()


def test_the_report_page_costs_the_same_queries_with_more_units(client, people, office_data):
    client = _client(client, people.director)
    client.get(_url("report", *Q1_ARGS))
    few = _count_queries(lambda: client.get(_url("report", *Q1_ARGS)))
    for _ in range(6):
        item(UnitFactory(), "1.8", bkk(2025, 11, 1))
    assert _count_queries(lambda: client.get(_url("report", *Q1_ARGS))) == few


# --- permissions --------------------------------------------------------------------------------


PAGES = [
    ("report", "get", Q1_ARGS),
    ("pdf", "get", Q1_ARGS),
    ("xlsx", "get", Q1_ARGS),
    ("csv", "get", (*Q1_ARGS, "units")),
    ("dashboard", "get", ()),
]


@pytest.mark.parametrize(
    "who, allowed",
    [
        ("director", True),
        ("deputy", True),
        ("group_director", True),
        ("requester", False),
        ("webmaster", False),
        ("legal", False),
        ("outsider", False),
    ],
)
@pytest.mark.parametrize("name, method, args", PAGES)
def test_who_may_see_reports(client, people, who, allowed, name, method, args):
    if name == "pdf" and not shutil.which("pdftotext"):
        pass  # rendering needs no poppler; only reading back does
    response = getattr(_client(client, getattr(people, who)), method)(_url(name, *args))
    assert response.status_code == (200 if allowed else 404)


@pytest.mark.parametrize(
    "who, unit, expected",
    [
        ("group_director", "unit", 200),
        ("group_director", "other_unit", 404),
        ("director", "unit", 404),
        ("deputy", "unit", 404),
        ("requester", "unit", 404),
        ("outsider", "other_unit", 404),
    ],
)
def test_who_may_write_a_units_narrative(client, people, who, unit, expected):
    url = _url("narrative", *Q1_ARGS, getattr(people, unit).pk)
    assert _client(client, getattr(people, who)).get(url).status_code == expected


@pytest.mark.parametrize(
    "who, expected",
    [("director", 302), ("deputy", 403), ("group_director", 403), ("outsider", 404)],
)
@pytest.mark.parametrize("name", ["acknowledge", "reopen"])
def test_who_may_acknowledge_and_reopen(client, people, who, expected, name):
    response = _client(client, getattr(people, who)).post(_url(name, *Q1_ARGS), {"reason": "ทดสอบ"})
    assert response.status_code == expected


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(_url("report", *Q1_ARGS))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_a_bad_period_is_not_found(client, people):
    client = _client(client, people.director)
    assert client.get(_url("report", 2569, "q9")).status_code == 404
    assert client.get(_url("report", 1999, "q1")).status_code == 404


def test_the_menu_offers_reports_to_reviewers_only(client, people):
    client.force_login(people.group_director)
    assert _url("index") in client.get(reverse("approvals:pending")).content.decode()
    client.force_login(people.requester)
    assert _url("index") not in client.get(reverse("approvals:pending")).content.decode()


def test_thai_digits_helper_matches_the_page_format():
    assert display(1234) == to_thai_digits("1,234")
    assert display(1.25) == "๑.๒"
    assert display(None) == "—"
