"""Search over the public catalog: matching unspaced Thai, ranking, filters, live items only,
the index following publication and takedown, the rebuild command, and a page that never fails.

Every test here runs on SQLite (FTS5) and again on PostgreSQL (tsvector) in CI: the two index
implementations must give the same answers.
"""

from __future__ import annotations

import random
import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from approvals.services import request_act
from catalog.cache import page_cache
from catalog.models import CatalogFile, CatalogItem, CatalogPhoto, CatalogSearchEntry, Category
from catalog.search import Filters, index, index_item, remove_item, search
from catalog.search.highlight import highlight, snippet
from catalog.search.segment import query_terms
from requests.states import State
from tests.factories import UnitFactory
from tests.workflow import make_request

pytestmark = pytest.mark.django_db

URL = "/search/"


def make_item(
    title: str,
    summary: str = "",
    *,
    code: str = "1.8",
    fiscal_year: int = 2569,
    unit=None,
    published_at=None,
    withdrawn_at=None,
    kinds=("pdf",),
    captions=(),
    indexed: bool = True,
) -> CatalogItem:
    """A catalog item written directly (the workflow is tested elsewhere), then indexed."""
    item = CatalogItem.objects.create(
        title=title,
        slug="-",
        summary=summary,
        category=Category.objects.get(code=code),
        fiscal_year=fiscal_year,
        unit=unit,
        unit_name=unit.name if unit else "",
        published_at=published_at or timezone.now() - timedelta(days=1),
        withdrawn_at=withdrawn_at,
        file_kinds=[*kinds, *(["photo"] if captions else [])],
    )
    for order, kind in enumerate(kinds):
        CatalogFile.objects.create(
            item=item,
            file=f"x/{item.pk}-{order}.{kind}",
            original_name=f"f.{kind}",
            kind=kind,
            content_type="application/octet-stream",
            size=1,
            sha256="0" * 64,
            order=order,
        )
    for order, caption in enumerate(captions):
        CatalogPhoto.objects.create(
            item=item,
            image=f"x/{item.pk}-{order}.jpg",
            thumbnail=f"x/{item.pk}-{order}-t.jpg",
            width=10,
            height=10,
            caption=caption,
            order=order,
        )
    if indexed:
        index_item(item)
    return item


def found(query: str, **filters) -> list[int]:
    return search(query, filters=Filters(**filters), limit=100).ids


# --- matching Thai ---------------------------------------------------------------------------


def test_unspaced_query_finds_unspaced_title():
    plan = make_item("แผนปฏิบัติการประจำปี๒๕๖๙")
    make_item("ประกาศรับสมัครนักเรียน")
    assert found("แผนปฏิบัติการ") == [plan.pk]


def test_word_inside_a_dictionary_compound_is_found():
    news = make_item("ข่าวประชาสัมพันธ์กิจกรรม")
    assert found("ประชาสัมพันธ์") == [news.pk]
    assert found("สัมพันธ์") == [news.pk]


def test_query_compound_finds_its_parts_in_other_words():
    # The document is cut as แผน|ปฏิบัติ|การป้องกัน|การ|ทุจริต: "ปฏิบัติการ" is nowhere whole.
    item = make_item("แผนปฏิบัติการป้องกันการทุจริต")
    assert found("แผนปฏิบัติการ") == [item.pk]


def test_all_words_must_match():
    both = make_item("รายงานการประชุมคณะกรรมการ")
    make_item("รายงานผลการดำเนินงาน")
    assert found("รายงาน ประชุม") == [both.pk]


def test_partial_last_word_matches_as_prefix():
    news = make_item("ข่าวประชาสัมพันธ์กิจกรรม")
    assert found("ประชาสัม") == [news.pk]
    assert found("กิจกร") == [news.pk]


@pytest.mark.parametrize(
    ("title", "typed"),
    [
        ("ประกาศผลผู้ชนะการเสนอราคา", "การเสนอรา"),  # indexed as การ เสนอ ราคา
        ("รายงานการประชุมกรรมการ", "ประชุมกร"),  # ประชุม กรรมการ
        ("แผนงบประมาณ2569", "งบประมาณ256"),  # งบประมาณ 2569
    ],
)
def test_a_word_being_typed_after_another_is_found_where_they_were_indexed_apart(title, typed):
    item = make_item(title)
    assert found(typed) == [item.pk]


def test_digits_and_spellings_match_across_forms():
    item = make_item("ประกาศผลการสอบ ปี ๒๕๖๙ ทำเนียบ ITA Online")
    assert found("2569") == [item.pk]
    assert found("ท\u0e4d\u0e32เนียบ") == [item.pk]  # sara am typed in two keystrokes
    assert found("ita online") == [item.pk]
    assert found("ＩＴＡ") == [item.pk]


def test_summary_and_captions_are_searched():
    by_summary = make_item("ประกาศ", "สรุปผลการจัดซื้อจัดจ้างประจำเดือน")
    by_caption = make_item("ภาพกิจกรรม", "", captions=["มอบเกียรติบัตรแก่นักเรียน"])
    assert found("จัดซื้อ") == [by_summary.pk]
    assert found("เกียรติบัตร") == [by_caption.pk]


def test_nothing_matches_nothing():
    make_item("ข่าวประชาสัมพันธ์กิจกรรม")
    result = search("ไม่มีคำนี้ในเอกสาร")
    assert (result.ids, result.total) == ([], 0)


# --- ranking ---------------------------------------------------------------------------------


def test_title_match_ranks_above_summary_match_above_caption_match():
    in_caption = make_item("ภาพกิจกรรม", "ภาพบรรยากาศ", captions=["การประชุมครู"])
    in_summary = make_item("บันทึกการดำเนินงาน", "สรุปการประชุมครูประจำเดือน")
    in_title = make_item("รายงานการประชุมครู", "สรุปผลการดำเนินงานประจำเดือน")
    assert found("ประชุมครู") == [in_title.pk, in_summary.pk, in_caption.pk]


def test_whole_word_ranks_above_its_scattered_parts():
    whole = make_item("ปฏิบัติการ")
    scattered = make_item("การ ปฏิบัติ")
    assert found("ปฏิบัติการ ") == [whole.pk, scattered.pk]


# --- filters and live items ------------------------------------------------------------------


def test_filters_narrow_in_sql():
    unit = UnitFactory(name="กลุ่มนโยบายและแผน")
    a = make_item("แผนงานโครงการ", code="1.3", fiscal_year=2569, unit=unit, kinds=("pdf",))
    b = make_item("แผนงานโครงการ", code="1.8", fiscal_year=2568, kinds=("docx",))
    c = make_item("แผนงานโครงการ", code="1.8", fiscal_year=2569, captions=["ภาพ"], kinds=())
    category = Category.objects.get(code="1.3")
    assert set(found("แผนงาน")) == {a.pk, b.pk, c.pk}
    assert found("แผนงาน", category_id=category.pk) == [a.pk]
    assert set(found("แผนงาน", fiscal_year=2569)) == {a.pk, c.pk}
    assert found("แผนงาน", unit_id=unit.pk) == [a.pk]
    assert found("แผนงาน", kind="docx") == [b.pk]
    assert found("แผนงาน", kind="photo") == [c.pk]
    assert found("แผนงาน", kind="pdf", fiscal_year=2568) == []


def test_filters_are_facets_of_the_entry_that_no_typed_word_can_match():
    unit = UnitFactory(name="กลุ่มนโยบายและแผน")
    item = make_item(
        "แผนงานโครงการ", code="1.3", unit=unit, kinds=("pdf", "xlsx"), captions=["ภาพ"]
    )
    entry = CatalogSearchEntry.objects.get(pk=item.pk)
    assert entry.facets.split() == [
        f"c:{item.category_id}",
        "y:2569",
        f"u:{unit.pk}",
        "k:pdf",
        "k:photo",
        "k:xlsx",
    ]
    for typed in ["k:pdf", "kpdf", "y:2569", "y 2569", f"c:{item.category_id}", "pdf"]:
        assert found(typed) == [], typed


def test_withdrawn_and_scheduled_items_are_never_returned():
    now = timezone.now()
    live = make_item("ประกาศรับสมัครครู")
    withdrawn = make_item("ประกาศรับสมัครครู", withdrawn_at=now)
    scheduled = make_item("ประกาศรับสมัครครู", published_at=now + timedelta(days=3))
    # Even an entry that should not be there (left by a crash) must not leak.
    index.save_entries(index.segment_sources(index.sources_of([withdrawn])))
    assert CatalogSearchEntry.objects.filter(pk=withdrawn.pk).exists()
    assert found("รับสมัครครู") == [live.pk]
    # The scheduled item is indexed already and appears once its time comes, with no re-index.
    assert CatalogSearchEntry.objects.filter(pk=scheduled.pk).exists()
    later = search("รับสมัครครู", now=now + timedelta(days=4)).ids
    assert set(later) == {live.pk, scheduled.pk}


def test_withdrawn_item_is_not_indexed():
    item = make_item("ประกาศรับสมัครครู", withdrawn_at=timezone.now())
    assert not CatalogSearchEntry.objects.filter(pk=item.pk).exists()


def test_pages_and_total():
    items = [make_item(f"ข่าวกิจกรรมลำดับที่ {n}") for n in range(25)]
    first = search("กิจกรรม", limit=20)
    second = search("กิจกรรม", offset=20, limit=20)
    assert (first.total, second.total) == (25, 25)
    assert len(first.ids) == 20 and len(second.ids) == 5
    assert set(first.ids) | set(second.ids) == {i.pk for i in items}
    past = search("กิจกรรม", offset=40, limit=20)
    assert (past.ids, past.total) == ([], 25)


def test_only_the_newest_matches_are_ranked(monkeypatch, client):
    monkeypatch.setattr("catalog.search.MAX_RESULTS", 5)
    items = [make_item(f"ข่าวกิจกรรมที่ {n}") for n in range(8)]
    result = search("กิจกรรม", limit=20)
    assert (result.total, result.more) == (5, True)
    assert set(result.ids) == {i.pk for i in items[-5:]}
    assert search("กิจกรรม", offset=5).ids == []
    html = client.get(URL, {"q": "กิจกรรม"}).content.decode()
    assert "พบมากกว่า 5 รายการ" in html
    exact = search("กิจกรรมที่ 7")
    assert (exact.ids, exact.total, exact.more) == ([items[7].pk], 1, False)


@pytest.mark.postgres
@pytest.mark.parametrize("window", [2, 5000])
def test_postgres_finds_the_same_newest_matches_inside_or_beyond_the_window(monkeypatch, window):
    monkeypatch.setattr("catalog.search.MAX_RESULTS", 5)
    monkeypatch.setattr("catalog.search.postgres.WINDOW", window)
    items = [make_item(f"ข่าวกิจกรรมที่ {n}") for n in range(8)]
    make_item("ประกาศรับสมัครครู")  # the newest item does not match
    result = search("กิจกรรม", limit=20)
    assert (result.total, result.more) == (5, True)
    assert set(result.ids) == {i.pk for i in items[-5:]}
    assert search("กิจกรรม", offset=20).total == 5


# --- keeping the index current ---------------------------------------------------------------


def test_reindexing_replaces_the_old_words():
    item = make_item("ประกาศรับสมัครครู")
    item.title = "ประกาศผลการคัดเลือก"
    item.save()
    index_item(item)
    assert found("รับสมัคร") == []
    assert found("คัดเลือก") == [item.pk]
    remove_item(item.pk)
    assert found("คัดเลือก") == []
    remove_item(item.pk)  # removing twice is harmless


def test_publishing_indexes_and_unpublishing_removes(people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        req = make_request(people, State.PUBLISHED, photos=1)
    item = CatalogItem.objects.get(request=req)
    entry = CatalogSearchEntry.objects.get(pk=item.pk)
    assert "กิจกรรม" in entry.title.split()
    assert "กิจกรรม" in entry.captions.split()  # "ภาพกิจกรรมที่ 1"
    assert found("วันครู") == [item.pk]

    with django_capture_on_commit_callbacks(execute=True):
        request_act(
            request_id=req.pk,
            user=people.webmaster,
            action="webmaster.unpublish",
            comment="ข้อมูลไม่ถูกต้อง ขอถอดออก",
        )
    assert not CatalogSearchEntry.objects.filter(pk=item.pk).exists()
    assert found("วันครู") == []


def test_a_takedown_leaves_the_kept_results_of_a_search_at_once(
    client, people, django_capture_on_commit_callbacks
):
    """A search's results are kept per catalog version (the same words are searched again and
    again); the takedown raises the version, so the same search no longer finds the item."""
    with django_capture_on_commit_callbacks(execute=True):
        req = make_request(people, State.PUBLISHED, photos=1)
    item = CatalogItem.objects.get(request=req)
    for _ in range(2):  # the second answer comes from what was kept
        assert item.get_absolute_url() in client.get(URL, {"q": "วันครู"}).content.decode()
    request_act(
        request_id=req.pk, user=people.webmaster, action="webmaster.unpublish", comment="ถอดออก"
    )  # before the commit: the version goes up inside the transaction too
    html = client.get(URL, {"q": "วันครู"}).content.decode()
    assert item.get_absolute_url() not in html and 'class="search-result"' not in html


def test_nothing_is_indexed_before_the_commit(people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        make_request(people, State.PUBLISHED)
    assert callbacks, "publishing must schedule the indexing for after the commit"
    assert not CatalogSearchEntry.objects.exists()


# --- the command -----------------------------------------------------------------------------


def run_command(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("index_items", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_command_indexes_only_what_is_missing_or_stale():
    items = [make_item(f"ข่าวกิจกรรมที่ {n}", indexed=False) for n in range(5)]
    out, err = run_command("--batch", "2")
    assert "5 items indexed" in out
    assert re.search(r"\[#+\] 5/5 ", err)
    assert CatalogSearchEntry.objects.count() == 5
    assert "0 items indexed" in run_command()[0]

    CatalogItem.objects.filter(pk=items[0].pk).update(
        title="ประกาศผลการคัดเลือก", updated_at=timezone.now() + timedelta(seconds=1)
    )
    assert "1 items indexed" in run_command()[0]
    assert found("คัดเลือก") == [items[0].pk]

    CatalogItem.objects.filter(pk=items[1].pk).update(withdrawn_at=timezone.now())
    run_command()
    assert not CatalogSearchEntry.objects.filter(pk=items[1].pk).exists()

    assert "4 items indexed" in run_command("--rebuild")[0]
    assert set(found("กิจกรรม")) == {i.pk for i in items[2:]}


def test_interrupted_indexing_resumes_where_it_stopped():
    for n in range(6):
        make_item(f"ข่าวกิจกรรมที่ {n}", indexed=False)
    calls = []

    def stop_after_first_batch(done, total):
        calls.append(done)
        if done:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        index.run(batch=2, progress=stop_after_first_batch)
    assert CatalogSearchEntry.objects.count() == 2
    assert index.pending().count() == 4
    assert index.run(batch=2) == 4
    assert search("กิจกรรม").total == 6


def test_parallel_segmenting_gives_the_same_entries():
    for n in range(7):
        make_item(f"ข่าวประชาสัมพันธ์กิจกรรมที่ {n}", f"สรุปผลการดำเนินงาน {n}", indexed=False)
    assert index.run(batch=3, jobs=2) == 7
    parallel = {e.pk: (e.title, e.summary) for e in CatalogSearchEntry.objects.all()}
    assert index.run(batch=3, rebuild=True, jobs=1) == 7
    serial = {e.pk: (e.title, e.summary) for e in CatalogSearchEntry.objects.all()}
    assert parallel == serial


@pytest.mark.skipif(connection.vendor != "sqlite", reason="FTS5 is SQLite's")
def test_fts_table_follows_the_entry_table():
    item = make_item("ประกาศรับสมัครครู")

    def fts_rows(word):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT rowid FROM catalog_search_fts WHERE catalog_search_fts MATCH %s",
                [f'"{word}"'],
            )
            return [row[0] for row in cursor.fetchall()]

    assert fts_rows("รับสมัคร") == [item.pk]
    CatalogSearchEntry.objects.filter(pk=item.pk).update(title="คัดเลือก")
    assert fts_rows("รับสมัคร") == [] and fts_rows("คัดเลือก") == [item.pk]
    CatalogSearchEntry.objects.filter(pk=item.pk).update(indexed_at=timezone.now())
    assert fts_rows("คัดเลือก") == [item.pk]
    item.delete()
    assert fts_rows("คัดเลือก") == []
    run_command("--rebuild")  # FTS5's own rebuild from the (now empty) entry table
    assert fts_rows("คัดเลือก") == []


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's query planner")
def test_full_text_match_drives_the_sqlite_plan_even_with_filters():
    """With a filter on an indexed item column SQLite once walked the items and re-ran the
    MATCH for each (minutes on 100,000 items); the FTS table must be the outer loop."""
    make_item("ข่าวกิจกรรม", fiscal_year=2569, captions=["ภาพ"])
    with CaptureQueriesContext(connection) as captured:
        search("กิจกรรม", filters=Filters(fiscal_year=2569, category_id=1, kind="photo"))
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + captured.captured_queries[-1]["sql"])
        plan = [row[-1] for row in cursor.fetchall()]
    steps = [step for step in plan if step.startswith(("SCAN", "SEARCH"))]
    assert steps[0].startswith("SCAN catalog_search_fts"), plan


@pytest.mark.postgres
def test_postgres_document_is_generated_and_weighted():
    item = make_item("ประกาศรับสมัครครู", "สรุปผล", captions=["ภาพกิจกรรม"])
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT document::text FROM catalog_catalogsearchentry WHERE item_id = %s", [item.pk]
        )
        document = cursor.fetchone()[0]
    assert "'รับสมัคร':" in document and "A" in document.split("'รับสมัคร':")[1].split(" ")[0]
    assert "'สรุป':" in document or "'สรุปผล':" in document


# --- highlighting ----------------------------------------------------------------------------


def test_highlight_marks_words_inside_unspaced_thai_and_escapes():
    terms = query_terms("ประชาสัมพันธ์ ")
    marked = highlight("<b>ข่าวประชาสัมพันธ์</b>", terms)
    assert marked == "&lt;b&gt;ข่าว<mark>ประชาสัมพันธ์</mark>&lt;/b&gt;"


def test_highlight_maps_back_across_digit_and_sara_am_spellings():
    assert highlight("ปี ๒๕๖๙", query_terms("2569 ")) == "ปี <mark>๒๕๖๙</mark>"
    assert highlight("ท\u0e4d\u0e32เนียบ", query_terms("ทำเนียบ ")) == (
        "<mark>ท\u0e4d\u0e32เนียบ</mark>"
    )


def test_snippet_is_cut_around_the_first_match():
    summary = "ก" * 300 + " สรุปผลการจัดซื้อจัดจ้าง " + "ข" * 300
    cut = snippet(summary, query_terms("จัดซื้อจัดจ้าง "))
    assert cut.startswith("… ") and cut.endswith(" …")
    assert "<mark>จัดซื้อจัดจ้าง</mark>" in cut
    assert len(cut) < 300


# --- the page --------------------------------------------------------------------------------


def test_search_page_is_routed(client):
    assert reverse("search:results") == URL


def test_page_shows_ranked_results_with_marks(client):
    item = make_item("ข่าวประชาสัมพันธ์กิจกรรม", "เพื่อเผยแพร่ประชาสัมพันธ์ให้ประชาชนทราบ")
    response = client.get(URL, {"q": "ประชาสัมพันธ์"})
    assert response.status_code == 200
    html = response.content.decode()
    assert item.get_absolute_url() in html
    assert "ข่าว<mark>ประชาสัมพันธ์</mark>กิจกรรม" in html
    assert "css/search.css" in html
    assert 'style="' not in html  # the CSP allows no inline styles
    assert '<meta name="robots" content="noindex">' in html


def test_each_query_marks_its_own_words_in_a_remembered_result(client):
    """A result's skeleton is kept per item (catalog_links.search_result); the marks and the
    snippet are this query's, and what a title holds is escaped, markers included."""
    title = "<b>ข่าว</b>ประชาสัมพันธ์กิจกรรม \ue000snippet\ue000"
    make_item(title, "สรุปกิจกรรมเพื่อเผยแพร่")
    first = client.get(URL, {"q": "ประชาสัมพันธ์"}).content.decode()
    second = client.get(URL, {"q": "กิจกรรม"}).content.decode()
    assert "<mark>ประชาสัมพันธ์</mark>" in first and "<mark>ประชาสัมพันธ์</mark>" not in second
    assert "<mark>กิจกรรม</mark>" in second
    assert "<b>" not in first and "&lt;b&gt;" in first
    assert "\ue000snippet\ue000" in first  # left as typed, never filled with the snippet
    assert second.count('class="search-snippet"') == 1


def test_page_names_file_kinds_as_visitors_know_them(client):
    make_item("ภาพกิจกรรมวันครู", kinds=("pdf", "xlsx"), captions=["ครูเข้าแถว"])
    html = client.get(URL, {"q": "วันครู"}).content.decode()
    badges = html.split('class="search-kinds"')[1].split("</p>")[0]
    assert ">PDF<" in badges and ">Excel (XLSX)<" in badges and ">ภาพกิจกรรม<" in badges
    assert "PHOTO" not in badges


def test_page_messages_in_thai(client):
    make_item("ข่าวประชาสัมพันธ์กิจกรรม")
    assert "พิมพ์คำที่ต้องการค้นหา" in client.get(URL).content.decode()
    assert "ไม่พบคำที่ใช้ค้นหาได้" in client.get(URL, {"q": "!!!"}).content.decode()
    assert "ไม่พบรายการที่ตรงกับ" in client.get(URL, {"q": "ไม่มีคำนี้"}).content.decode()
    long_query = client.get(URL, {"q": "ข่าว" * 100}).content.decode()
    assert "คำค้นยาวเกิน" in long_query


def test_page_filters_and_keeps_them_in_paging_links(client):
    for n in range(22):
        make_item(f"ข่าวกิจกรรมที่ {n}", code="1.8", fiscal_year=2569)
    make_item("ข่าวกิจกรรมพิเศษ", code="1.3")
    response = client.get(URL, {"q": "กิจกรรม", "category": "1-8", "fiscal_year": "2569"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "พบ 22 รายการ" in html
    assert "page=2" in html and "category=1-8" in html.split("page=2")[0].rsplit("href", 1)[1]
    last = client.get(URL, {"q": "กิจกรรม", "category": "1-8", "page": "99"})
    assert last.status_code == 200 and "หน้า 2 จาก 2" in last.content.decode()


def test_page_query_count_does_not_grow_with_results(client):
    def queries_for(count):
        CatalogItem.objects.all().delete()
        for n in range(count):
            make_item(f"ประกาศรับสมัครครูรอบที่ {n}", captions=["ภาพ"] if n % 2 else ())
        page_cache().clear()  # the menus and the office are kept per catalog version
        with CaptureQueriesContext(connection) as captured:
            response = client.get(URL, {"q": "รับสมัคร"})
        assert response.status_code == 200
        assert response.content.decode().count('class="search-result"') == min(count, 20)
        return len(captured.captured_queries)

    few = queries_for(5)
    assert 0 < few == queries_for(25)


HOSTILE = [
    '"',
    '""',
    "'",
    "*",
    "**",
    "a*",
    "*ก",
    "^",
    "^ข่าว",
    "-",
    "-ข่าว",
    "+",
    ":",
    "title:ข่าว",
    "{title summary}:ข่าว",
    "NEAR",
    "NEAR(ข่าว กิจกรรม, 2)",
    "ข่าว AND",
    "AND OR NOT",
    "OR",
    "NOT ข่าว",
    "(ข่าว",
    "ข่าว)",
    "()",
    "&|!<->:*",
    "'ข่าว':*",
    "ข่าว & | !",
    "\\",
    "%",
    "_",
    "%_%",
    "'; DROP TABLE catalog_catalogitem; --",
    "<script>alert(1)</script>",
    "\x00",
    "ข่าว\x00กิจกรรม",
    "\u200b",
    "\u202eข่าว",
    "\ufeff",
    "ั่",
    "ๆๆๆ",
    "ฯ",
    "🎉",
    "👨‍👩‍👧",
    "ก" * 5000,
    "ข่าว " * 300,
    "๒๕๖๙",
    "ＡＮＤ",
    "\t\n\r",
    "?" * 50,
]


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_never_fail(client, query):
    make_item("ข่าวประชาสัมพันธ์กิจกรรม")
    response = client.get(URL, {"q": query})
    # A NUL is refused for every page before any view (esa_publish.security.RefuseNulMiddleware).
    assert response.status_code == (400 if "\x00" in query else 200)


@pytest.mark.parametrize(
    "params",
    [
        {"category": "../../etc"},
        {"category": "ไม่มีหมวดนี้"},
        {"fiscal_year": "-1"},
        {"fiscal_year": "99999999999999999999999"},
        {"fiscal_year": "๒๕๖๙"},
        {"unit": "abc"},
        {"unit": "0"},
        {"kind": "<x>"},
        {"kind": "exe"},
        {"page": "-5"},
        {"page": "abc"},
        {"page": "99999999999999999999"},
        {"page": "1e9"},
    ],
)
def test_hostile_filters_never_fail(client, params):
    make_item("ข่าวประชาสัมพันธ์กิจกรรม")
    response = client.get(URL, {"q": "ข่าว", **params})
    assert response.status_code == 200


def test_random_strings_never_fail(client):
    """A small fixed-seed fuzz: random mixes of Thai, FTS5/tsquery syntax and odd characters."""
    make_item("ข่าวประชาสัมพันธ์กิจกรรม", "สรุปผล ๒๕๖๙", captions=["ภาพ"])
    rng = random.Random(2569)
    alphabet = (
        [chr(c) for c in range(0x0E01, 0x0E5C)]
        + list("\"'*^-+:(){}[]&|!<>~%_\\/.,;=?@#$` \t\n")
        + ["NEAR", "AND", "OR", "NOT", "\u200b", "\u200d", "\ufeff", "🎉", "ＡＢ", "é", "a", "1"]
    )
    for _ in range(300):
        query = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 30)))
        search(query)  # must not raise
    for _ in range(40):
        query = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 30)))
        assert client.get(URL, {"q": query}).status_code == 200


def test_the_upgrade_fills_the_facets_of_entries_made_before_them():
    """Migration 0007: entries that 0004 left without facets get them, in the indexer's format,
    so filtered searches work on an upgraded installation before index_items has run."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("catalog.migrations.0007_fill_search_facets")
    unit = UnitFactory(name="กลุ่มส่งเสริมการศึกษา")
    items = [
        make_item("แผนงานโครงการ", code="1.3", unit=unit, kinds=("pdf", "xlsx"), captions=["ภาพ"]),
        make_item("ประกาศรับสมัคร", kinds=("docx",)),
    ]
    expected = {e.item_id: e.facets for e in CatalogSearchEntry.objects.all()}
    CatalogSearchEntry.objects.update(facets="")
    assert found("แผนงาน", kind="pdf") == []
    migration.fill(apps, None)
    assert {e.item_id: e.facets for e in CatalogSearchEntry.objects.all()} == expected
    assert found("แผนงาน", kind="pdf", fiscal_year=2569) == [items[0].pk]


def test_the_upgrade_gives_every_entry_its_items_publication_time():
    """Migration 0008: the entry carries ``published_at`` so PostgreSQL need not join every match
    to the item table; entries made before it get the value from their item."""
    import importlib
    from types import SimpleNamespace

    from django.apps import apps

    migration = importlib.import_module("catalog.migrations.0008_search_entry_published_at")
    items = [make_item("แผนงานโครงการ"), make_item("แผนงานประจำปี")]
    CatalogSearchEntry.objects.update(published_at=None)
    migration.fill_published_at(apps, SimpleNamespace(connection=connection))
    assert {e.item_id: e.published_at for e in CatalogSearchEntry.objects.all()} == {
        item.pk: item.published_at for item in items
    }
    assert sorted(found("แผนงาน")) == sorted(item.pk for item in items)


def test_a_moved_publication_time_reaches_the_entry():
    """An item whose publication time moves into the future (corrected by hand) leaves search
    until then, once the index has caught up with the item."""
    item = make_item("ประกาศรับสมัครครู")
    item.published_at = timezone.now() + timedelta(days=2)
    item.save()
    index.run()
    assert CatalogSearchEntry.objects.get(pk=item.pk).published_at == item.published_at
    assert found("รับสมัครครู") == []
    assert search("รับสมัครครู", now=timezone.now() + timedelta(days=3)).ids == [item.pk]


@pytest.mark.postgres
def test_postgres_keeps_the_vectors_in_lz4_and_scans_the_entries_without_workers():
    """Migration 0008's tuning is in place: both measured to shorten the search statements."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reloptions FROM pg_class WHERE relname = 'catalog_catalogsearchentry'"
        )
        assert "parallel_workers=0" in cursor.fetchone()[0]
        cursor.execute(
            "SELECT 'lz4' = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'"
        )
        if cursor.fetchone()[0]:  # a PostgreSQL built with lz4, as Debian's
            cursor.execute(
                "SELECT attname, attcompression FROM pg_attribute WHERE attrelid ="
                " 'catalog_catalogsearchentry'::regclass AND attname IN"
                " ('document', 'title', 'summary', 'captions')"
            )
            assert dict(cursor.fetchall()) == dict.fromkeys(
                ("document", "title", "summary", "captions"), "l"
            )
