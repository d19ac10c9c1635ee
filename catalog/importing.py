"""Bringing an office's earlier publications into the catalog from a CSV manifest and a folder.

Offices move here with years of items already on their old website, which ITA evidence still
points to. An import is all or nothing: every row and every file is checked first, with the
same checks an upload gets, and every problem is reported at once with its row number, so the
person preparing the manifest fixes it in one pass instead of one error per run. Only a
manifest without problems is imported, in one transaction.

Each row gets a key (the ``key`` column, or a digest of title, date and file names) that is
stored as ``CatalogItem.imported_key``; running the same manifest again skips the rows already
imported, so an import that was stopped can simply be run again. The format is described in
docs/IMPORT.md.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.utils import timezone

from esa_publish.office.models import Unit
from esa_publish.thai.digits import to_arabic_digits
from esa_publish.thai.forms import MAX_BE_YEAR, MIN_BE_YEAR, BEDateField
from requests.uploads import IMAGE_KINDS, KINDS, UploadRejected, check_upload, process_image

REQUIRED_COLUMNS = ("title", "category", "fiscal_year", "date", "files")
OPTIONAL_COLUMNS = ("summary", "unit", "key", "ita")
KEY_MAX_LENGTH = 64
TITLE_MAX_LENGTH = 255
STORAGE_DIR = "private/items"

# Each message in Thai, then in English for whoever reads the log without Thai.
MSG_NO_HEADER = "ไฟล์ว่างหรือไม่มีแถวหัวตาราง / the manifest is empty or has no header row"
MSG_MISSING_COLUMNS = "ไม่มีคอลัมน์ {columns} / missing column(s): {columns}"
MSG_UNKNOWN_COLUMNS = "ไม่รู้จักคอลัมน์ {columns} / unknown column(s): {columns}"
MSG_NOT_UTF8 = "อ่านไฟล์ไม่ได้ ต้องบันทึกเป็น CSV แบบ UTF-8 / the manifest must be saved as UTF-8 CSV"
MSG_EMPTY = "ไม่ได้กรอก {column} / {column} is empty"
MSG_TITLE_TOO_LONG = "ชื่อเรื่องยาวเกิน {limit} ตัวอักษร / title longer than {limit} characters"
MSG_UNKNOWN_CATEGORY = (
    'ไม่พบหมวดหมู่ "{value}" (ใช้ข้อ เช่น 1.3 หรือชื่อในที่อยู่เว็บ) / unknown category "{value}"'
)
MSG_BAD_YEAR = (
    'ปีงบประมาณ "{value}" ไม่ถูกต้อง ต้องเป็นปี พ.ศ. {low}–{high} / '
    'fiscal_year "{value}" must be a Buddhist-Era year {low}–{high}'
)
MSG_BAD_DATE = 'วันที่ "{value}": {problem} / date "{value}" is not a B.E. date like 15/03/2566'
MSG_FUTURE_DATE = 'วันที่ "{value}" ยังมาไม่ถึง / date "{value}" is in the future'
MSG_UNKNOWN_ITA = (
    'ไม่พบข้อ ITA "{value}" ของปีงบประมาณ {year} / no ITA item "{value}" in fiscal year {year}'
)
MSG_KEY_TOO_LONG = "key ยาวเกิน {limit} ตัวอักษร / key longer than {limit} characters"
MSG_DUPLICATE_KEY = "key ซ้ำกับแถว {other} / same key as row {other}"
MSG_UNSAFE_PATH = 'ไฟล์ "{value}" อยู่นอกโฟลเดอร์ไฟล์ / file "{value}" is outside the files folder'
MSG_MISSING_FILE = 'ไม่พบไฟล์ "{value}" / file "{value}" not found'
MSG_REJECTED = "{message} / file refused ({code})"


@dataclass
class Problem:
    row: int  # as a spreadsheet numbers it: the header is row 1
    message: str

    def __str__(self) -> str:
        return f"แถว {self.row} (row {self.row}): {self.message}"


@dataclass
class Row:
    """One manifest row, checked and ready to import."""

    number: int
    title: str
    summary: str
    category: object
    fiscal_year: int
    published_at: dt.datetime
    unit: object | None
    unit_name: str
    files: list[Path]
    key: str
    ita_items: list = field(default_factory=list)


@dataclass
class Plan:
    """What an import would do: the rows to import, those already imported, the problems."""

    rows: list[Row] = field(default_factory=list)
    already_imported: list[Row] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


Progress = Callable[[str, int, int], None]


def _no_progress(stage: str, done: int, total: int) -> None:
    return None


def check_manifest(manifest: Path, files_dir: Path, *, progress: Progress = _no_progress) -> Plan:
    """Read and check every row and every file of ``manifest``; import nothing."""
    plan = Plan()
    try:
        records = list(_records(manifest, plan))
    except UnicodeDecodeError:
        plan.problems.append(Problem(1, MSG_NOT_UTF8))
        return plan
    if plan.problems:
        return plan
    lookups = _Lookups()
    files_dir = files_dir.resolve()
    keys: dict[str, int] = {}
    existing = _existing_keys()
    for index, (number, record) in enumerate(records, start=1):
        row = _check_row(number, record, files_dir, lookups, plan.problems, existing)
        if row is not None:
            if row.key in keys:
                plan.problems.append(Problem(number, MSG_DUPLICATE_KEY.format(other=keys[row.key])))
            keys.setdefault(row.key, number)
            (plan.already_imported if row.key in existing else plan.rows).append(row)
        progress("check", index, len(records))
    plan.problems.sort(key=lambda p: p.row)
    return plan


def _records(manifest: Path, plan: Plan) -> Iterator[tuple[int, dict]]:
    """(spreadsheet row number, {column: text}) for each data row; header problems go to plan."""
    # utf-8-sig: Excel's "CSV UTF-8" starts with a byte-order mark.
    with manifest.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        if not header:
            plan.problems.append(Problem(1, MSG_NO_HEADER))
            return
        columns = [c.strip().lower() for c in header]
        missing = [c for c in REQUIRED_COLUMNS if c not in columns]
        unknown = [c for c in columns if c and c not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS]
        if missing:
            plan.problems.append(Problem(1, MSG_MISSING_COLUMNS.format(columns=", ".join(missing))))
        if unknown:
            plan.problems.append(Problem(1, MSG_UNKNOWN_COLUMNS.format(columns=", ".join(unknown))))
        if missing or unknown:
            return
        for number, values in enumerate(reader, start=2):
            if not any(v.strip() for v in values):
                continue  # blank lines at the end of a spreadsheet export
            values += [""] * (len(columns) - len(values))
            yield number, {c: v.strip() for c, v in zip(columns, values, strict=False) if c}


class _Lookups:
    """Categories, units and ITA items, loaded once for the whole manifest."""

    def __init__(self):
        from catalog.models import Category, ITAItem

        self.categories = {}
        for category in Category.objects.all():
            self.categories.setdefault(category.slug.lower(), category)
            if category.code:
                self.categories.setdefault(category.code, category)
        self.units = {}
        for unit in Unit.objects.all():
            self.units.setdefault(unit.name, unit)
            if unit.short_name:
                self.units.setdefault(unit.short_name, unit)
        self.ita = {(i.fiscal_year, i.code.upper()): i for i in ITAItem.objects.all()}


def _existing_keys() -> set[str]:
    from catalog.models import CatalogItem

    return set(CatalogItem.objects.exclude(imported_key="").values_list("imported_key", flat=True))


def _check_row(number, record, files_dir, lookups, problems, existing) -> Row | None:
    """The row ready to import, or ``None`` with its problems added to ``problems``.

    Files are checked even when other columns have problems, so one run lists them all; only
    rows already imported (their key is in ``existing``) are not read again.
    """
    before = len(problems)

    def problem(message: str) -> None:
        problems.append(Problem(number, message))

    for column in REQUIRED_COLUMNS:
        if not record.get(column):
            problem(MSG_EMPTY.format(column=column))
    title = record.get("title", "")
    if len(title) > TITLE_MAX_LENGTH:
        problem(MSG_TITLE_TOO_LONG.format(limit=TITLE_MAX_LENGTH))

    category = None
    if text := record.get("category", ""):
        category = lookups.categories.get(to_arabic_digits(text)) or lookups.categories.get(
            text.lower()
        )
        if category is None:
            problem(MSG_UNKNOWN_CATEGORY.format(value=text))

    year = None
    if text := record.get("fiscal_year", ""):
        plain = to_arabic_digits(text).strip()
        if plain.isdigit() and MIN_BE_YEAR <= int(plain) <= MAX_BE_YEAR:
            year = int(plain)
        else:
            problem(MSG_BAD_YEAR.format(value=text, low=MIN_BE_YEAR, high=MAX_BE_YEAR))

    published_at = None
    if text := record.get("date", ""):
        try:
            day = BEDateField().clean(text)
        except ValidationError as exc:
            # A hostile cell may be megabytes long; the report quotes its start only.
            shown = text if len(text) <= 40 else text[:40] + "…"
            problem(MSG_BAD_DATE.format(value=shown, problem=" ".join(exc.messages)))
        else:
            published_at = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
            if published_at > timezone.now():
                problem(MSG_FUTURE_DATE.format(value=text))

    ita_items = []
    for code in _split(record.get("ita", "")):
        item = lookups.ita.get((year, code.upper()))
        if item is None:
            if year is not None:
                problem(MSG_UNKNOWN_ITA.format(value=code, year=year))
        else:
            ita_items.append(item)

    files = []
    for name in _split(record.get("files", "")):
        path = (files_dir / name).resolve()
        if Path(name).is_absolute() or not path.is_relative_to(files_dir):
            problem(MSG_UNSAFE_PATH.format(value=name))
        elif not path.is_file():
            problem(MSG_MISSING_FILE.format(value=name))
        else:
            files.append(path)

    key = record.get("key", "")
    if len(key) > KEY_MAX_LENGTH:
        problem(MSG_KEY_TOO_LONG.format(limit=KEY_MAX_LENGTH))
    if not key and published_at is not None:
        key = default_key(title, published_at.date(), record.get("files", ""))
    if key not in existing:
        _check_files(number, files, problems)
    if len(problems) > before:
        return None
    unit_name = record.get("unit", "")
    return Row(
        number=number,
        title=title,
        summary=record.get("summary", ""),
        category=category,
        fiscal_year=year,
        published_at=published_at,
        unit=lookups.units.get(unit_name),
        unit_name=unit_name,
        files=files,
        key=key,
        ita_items=ita_items,
    )


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(";") if part.strip()]


def default_key(title: str, day: dt.date, files: str) -> str:
    """The row's identity when the manifest gives none: the same row always gets the same key."""
    text = "\n".join([title, day.isoformat(), ";".join(_split(files))])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _check_files(number: int, files: list[Path], problems: list[Problem]) -> None:
    """The upload checks for every file; images are also decoded and re-encoded once."""

    for path in files:
        try:
            with path.open("rb") as handle:
                upload = File(handle, name=path.name)
                checked = check_upload(upload)
                if checked.kind in IMAGE_KINDS:
                    process_image(handle, checked.kind, name=path.name, thumbnail_sizes=())
        except UploadRejected as exc:
            problems.append(
                Problem(number, MSG_REJECTED.format(message=exc.message, code=exc.code))
            )


# --- the import ----------------------------------------------------------------------------------


def import_rows(rows: list[Row], *, progress: Progress = _no_progress) -> list:
    """Create an item for each checked row, in one transaction; returns the items.

    Files are stored before the transaction commits; if it fails, they are deleted again so a
    failed import leaves nothing behind.
    """
    stored: list[str] = []
    try:
        with transaction.atomic():
            items = []
            for index, row in enumerate(rows, start=1):
                items.append(_import_row(row, stored))
                progress("import", index, len(rows))
    except BaseException:
        for name in stored:
            default_storage.delete(name)
        raise
    return items


def refresh_planner_statistics() -> None:
    """PostgreSQL: refresh the planner's statistics of the catalog tables after an import.

    An import can multiply the catalog at once, and until autovacuum gets to it the planner
    plans with the old counts: on a freshly filled catalog without statistics, a category page
    filtered by file kind took 90 ms instead of 25 ms (docs/BENCHMARKS.md). ANALYZE reads a
    sample of each table, a second or two for 100,000 items. SQLite keeps no statistics unless
    asked, and is left without them on purpose (see bench/catalog_pages.py).
    """
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE catalog_catalogitem, catalog_catalogfile, catalog_catalogphoto")


def _store(data, extension: str, stored: list[str], suffix: str = "") -> str:
    name = default_storage.save(f"{STORAGE_DIR}/{uuid.uuid4().hex}{suffix}.{extension}", data)
    stored.append(name)
    return name


def _import_row(row: Row, stored: list[str]):
    from catalog.models import CatalogFile, CatalogItem, CatalogPhoto
    from catalog.publishing import _after_change, make_slug

    item = CatalogItem.objects.create(
        title=row.title,
        slug=make_slug(row.title),
        summary=row.summary,
        category=row.category,
        fiscal_year=row.fiscal_year,
        unit=row.unit,
        unit_name=row.unit.name if row.unit else row.unit_name,
        published_at=row.published_at,
        memo_is_public=False,  # an imported item has no memo of this system
        imported_key=row.key,
    )
    item.ita_items.set(row.ita_items)
    kinds, file_order, photo_order = set(), 0, 0
    for path in row.files:
        with path.open("rb") as handle:
            upload = File(handle, name=path.name)
            checked = check_upload(upload)
            if checked.kind in IMAGE_KINDS:
                image = process_image(handle, checked.kind, name=path.name)
                thumb = image.thumbnails[0]
                photo_order += 1
                CatalogPhoto.objects.create(
                    item=item,
                    image=_store(ContentFile(image.data), image.extension, stored),
                    thumbnail=_store(ContentFile(thumb.data), thumb.extension, stored, "-t"),
                    width=image.width,
                    height=image.height,
                    order=photo_order,
                    is_cover=photo_order == 1,
                )
                kinds.add("photo")
            else:
                handle.seek(0)
                CatalogFile.objects.create(
                    item=item,
                    file=_store(File(handle), KINDS[checked.kind].extension, stored),
                    original_name=checked.original_name,
                    kind=checked.kind,
                    content_type=checked.content_type,
                    size=checked.size,
                    sha256=checked.sha256,
                    order=file_order,
                )
                file_order += 1
                kinds.add(checked.kind)
    item.file_kinds = sorted(kinds)
    item.save(update_fields=["file_kinds"])
    _after_change(item)
    return item
