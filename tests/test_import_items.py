"""``manage.py import_items``: earlier publications into the catalog, all or nothing."""

from __future__ import annotations

import importlib.util
import io
import shutil
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.utils import timezone

from catalog.models import CatalogFile, CatalogItem, CatalogPhoto

pytestmark = pytest.mark.django_db

SAMPLE = Path(settings.BASE_DIR) / "docs" / "sample-import"
HEADER = "title,summary,category,fiscal_year,date,unit,files\n"


@pytest.fixture
def files(tmp_path) -> Path:
    """The sample's files, made by the script docs/IMPORT.md points to."""
    spec = importlib.util.spec_from_file_location(
        "make_sample_files", SAMPLE / "make_sample_files.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    folder = tmp_path / "files"
    module.main(folder)
    return folder


def run(manifest: Path, files: Path, *args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "import_items", str(manifest), "--files", str(files), *args, stdout=out, stderr=err
    )
    return out.getvalue(), err.getvalue()


def stored_item_files() -> list[Path]:
    folder = Path(settings.MEDIA_ROOT) / "private" / "items"
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


def test_the_sample_manifest_imports(files):
    out, err = run(SAMPLE / "manifest.csv", files)
    assert "imported 3" in out
    assert "3/3" in err
    plan, photos, news = CatalogItem.objects.order_by("published_at")
    assert plan.title == "แผนปฏิบัติการประจำปีงบประมาณ พ.ศ. ๒๕๖๗"
    assert plan.category.code == "1.3"
    assert plan.fiscal_year == 2567
    assert timezone.localtime(plan.published_at).date().isoformat() == "2023-11-15"
    assert list(plan.ita_items.values_list("code", flat=True)) == ["O11"]
    assert plan.request is None and not plan.memo_is_public
    assert plan.file_kinds == ["pdf"]
    stored = plan.files.get()
    assert stored.original_name == "แผนปฏิบัติการ-2567.pdf"
    assert stored.file.name.startswith("private/items/") and stored.file.name.endswith(".pdf")
    assert stored.file.size == stored.size

    assert photos.category.slug == "1-9" and photos.fiscal_year == 2567
    assert photos.file_kinds == ["photo"]
    assert photos.photos.count() == 2
    assert photos.photos.get(is_cover=True).order == 1
    assert all(p.thumbnail.name.startswith("private/items/") for p in photos.photos.all())

    assert news.imported_key == "old-site-news-1234"
    assert timezone.localtime(news.published_at).date().isoformat() == "2024-03-01"
    assert len(plan.imported_key) == 64  # the digest of title, date and files


def test_running_again_adds_nothing(files):
    run(SAMPLE / "manifest.csv", files)
    before = (CatalogItem.objects.count(), CatalogFile.objects.count(), len(stored_item_files()))
    out, _err = run(SAMPLE / "manifest.csv", files)
    assert "imported 0, skipped 3" in out
    after = (CatalogItem.objects.count(), CatalogFile.objects.count(), len(stored_item_files()))
    assert after == before


def test_a_dry_run_imports_nothing(files):
    out, _err = run(SAMPLE / "manifest.csv", files, "--dry-run")
    assert "3 to import" in out
    assert not CatalogItem.objects.exists()
    assert stored_item_files() == []


def test_every_problem_is_reported_at_once_and_nothing_imported(files, tmp_path):
    shutil.copy(files / "แผนปฏิบัติการ-2567.pdf", files / "ดี.pdf")
    (files / "รายงาน.pdf").write_bytes(b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200)  # an .exe
    (tmp_path / "นอกโฟลเดอร์.pdf").write_bytes((files / "ดี.pdf").read_bytes())
    manifest = tmp_path / "manifest.csv"
    manifest.write_text(
        HEADER
        + "เรื่องที่ถูกต้อง,,1.3,2567,15/11/2566,,ดี.pdf\n"
        + "หมวดหมู่ผิด,,9.9,2567,15/11/2566,,ดี.pdf\n"
        + "ปีผิด,,1.3,2024,15/11/2566,,ดี.pdf\n"
        + "ไฟล์หาย,,1.3,2567,15/11/2566,,ไม่มีไฟล์นี้.pdf\n"
        + "ไฟล์ปลอม,,1.3,2567,15/11/2566,,รายงาน.pdf\n"
        + "ออกนอกโฟลเดอร์,,1.3,2567,15/11/2566,,../นอกโฟลเดอร์.pdf\n"
        + "วันที่ผิด,,1.3,2567,2023-11-15,,ดี.pdf\n"
        + ",,1.3,2567,15/11/2566,,\n"
        + "สองปัญหาในแถวเดียว,,9.9,2567,15/11/2566,,รายงาน.pdf\n",
        encoding="utf-8",
    )
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing imported"):
        call_command(
            "import_items", str(manifest), "--files", str(files), stdout=io.StringIO(), stderr=err
        )
    lines = [line for line in err.getvalue().splitlines() if line.startswith("แถว")]
    rows = [line.split(" ")[1] for line in lines]
    assert rows == ["3", "4", "5", "6", "7", "8", "9", "9", "10", "10"]
    text = "\n".join(lines)
    assert 'unknown category "9.9"' in text
    assert 'fiscal_year "2024"' in text
    assert "not found" in text and "ไม่มีไฟล์นี้.pdf" in text
    assert "unsupported_type" in text
    assert "outside the files folder" in text
    assert "ดูเหมือนเป็นคริสต์ศักราช" in text  # the date field's own message
    assert "title is empty" in text and "files is empty" in text
    assert not CatalogItem.objects.exists()
    assert stored_item_files() == []


def test_it_refuses_a_manifest_without_the_columns_it_needs(files, tmp_path):
    manifest = tmp_path / "manifest.csv"
    manifest.write_text("title,category,year\nก,1.3,2567\n", encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_items", str(manifest), "--files", str(files), stdout=io.StringIO(), stderr=err
        )
    assert "missing column(s): fiscal_year, date, files" in err.getvalue()
    assert "unknown column(s): year" in err.getvalue()


def test_the_same_key_twice_is_a_problem(files, tmp_path):
    manifest = tmp_path / "manifest.csv"
    row = "เรื่องเดียวกัน,,1.3,2567,15/11/2566,,แผนปฏิบัติการ-2567.pdf\n"
    manifest.write_text(HEADER + row + row, encoding="utf-8")
    with pytest.raises(CommandError):
        run(manifest, files)
    assert not CatalogItem.objects.exists()


def test_a_date_in_the_future_is_a_problem(files, tmp_path):
    manifest = tmp_path / "manifest.csv"
    year = timezone.localdate().year + 544
    manifest.write_text(
        HEADER + f"เรื่อง,,1.3,{year},1/1/{year},,แผนปฏิบัติการ-2567.pdf\n", encoding="utf-8"
    )
    with pytest.raises(CommandError):
        run(manifest, files)


def test_a_hostile_date_is_a_problem_found_at_once(files, tmp_path):
    # Issue 14.2: the date parser of the request form runs here too.
    manifest = tmp_path / "manifest.csv"
    hostile = "1a" + " " * 80_000 + "b"
    manifest.write_text(
        HEADER + f"เรื่อง,,1.3,2567,{hostile},,แผนปฏิบัติการ-2567.pdf\n", encoding="utf-8"
    )
    started = time.perf_counter()
    with pytest.raises(CommandError):
        _out, err = run(manifest, files)
    assert time.perf_counter() - started < 5
    assert not CatalogItem.objects.exists()


def test_the_user_must_be_a_webmaster(files, people):
    with pytest.raises(CommandError, match="not an active webmaster"):
        run(SAMPLE / "manifest.csv", files, "--user", people.requester.username)
    out, _err = run(SAMPLE / "manifest.csv", files, "--user", people.webmaster.username)
    assert "imported 3" in out
    assert CatalogPhoto.objects.count() == 2


@pytest.mark.postgres
def test_an_import_refreshes_postgresqls_statistics_of_the_catalog(files):
    """Until autovacuum runs, a planner without statistics chose a plan 3-4 times slower for
    filtered category pages on a freshly filled catalog: the import analyzes the tables itself."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        run(SAMPLE / "manifest.csv", files)
    analyzed = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("ANALYZE")]
    assert analyzed == ["ANALYZE catalog_catalogitem, catalog_catalogfile, catalog_catalogphoto"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'catalog_catalogfile'")
        assert cursor.fetchone()[0] >= 1  # the planner now knows the files imported


@pytest.mark.postgres
def test_a_dry_run_or_an_import_of_nothing_analyzes_nothing(files):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def analyzed(*args) -> list:
        with CaptureQueriesContext(connection) as queries:
            run(SAMPLE / "manifest.csv", files, *args)
        return [q for q in queries.captured_queries if q["sql"].startswith("ANALYZE")]

    assert analyzed("--dry-run") == []
    assert len(analyzed()) == 1
    assert analyzed() == []  # every row imported already: nothing new to plan for
