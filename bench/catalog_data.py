"""Realistic live catalog items in bulk, for the benchmarks (not a test module, not the demo).

    sys.path.insert(0, "bench")
    from catalog_data import populate
    populate(100_000, 60)            # items, categories; returns the number of items created

Titles and summaries are combined from the words an ESA office really publishes under (plans,
procurement notices, activity news, ITA reports, school names), unspaced Thai as offices type
it, with Thai or Arabic digits, B.E. fiscal years 2566–2569 and the office's units. About 2% of
the items are taken down and 1% scheduled for later, so "live only" has something to exclude;
every item gets its published file rows (the kind filters read them) and one in six an activity
gallery whose photo rows carry captions (the image files themselves do not exist).

Rows go in with ``executemany`` in batches of ``batch`` items, one transaction each: 100,000
items take well under a minute on SQLite. ``index=True`` then indexes them for search
with ``catalog.search.index.run``. The random generator is seeded, so two runs build the same
catalog.

Needs Django set up (``bench/_measure.setup_django``) and a migrated database.
"""

from __future__ import annotations

import random
import re
from datetime import timedelta

# --- vocabulary ------------------------------------------------------------------------------

DOCUMENT_KINDS = [
    "ประกาศ",
    "รายงาน",
    "แผน",
    "ข่าวประชาสัมพันธ์",
    "คำสั่ง",
    "สรุปผล",
    "คู่มือ",
    "แนวปฏิบัติ",
    "มาตรการ",
    "บันทึกข้อความ",
]
TOPICS = [
    "ปฏิบัติการ",
    "การจัดซื้อจัดจ้าง",
    "กิจกรรมวันครู",
    "การป้องกันการทุจริต",
    "ผลการดำเนินงาน",
    "การใช้จ่ายงบประมาณ",
    "การบริหารทรัพยากรบุคคล",
    "การประเมินคุณธรรมและความโปร่งใส",
    "การรับสมัครนักเรียน",
    "การประชุมผู้บริหารสถานศึกษา",
    "โครงการพัฒนาครูและบุคลากรทางการศึกษา",
    "การนิเทศติดตามการจัดการเรียนการสอน",
    "การสอบคัดเลือกครูผู้ช่วย",
    "การจัดหาพัสดุ",
    "การคุ้มครองข้อมูลส่วนบุคคล",
    "เรื่องร้องเรียนการทุจริตและประพฤติมิชอบ",
    "การสำรวจความพึงพอใจการให้บริการ",
    "การขับเคลื่อนจริยธรรม",
    "ยุทธศาสตร์การพัฒนาการศึกษา",
    "การประเมินความเสี่ยงการทุจริต",
    "มาตรฐานการปฏิบัติงาน",
    "กิจกรรมวันเด็กแห่งชาติ",
    "การแข่งขันทักษะวิชาการ",
    "การรับนักเรียนทุนการศึกษา",
    "การซ่อมแซมอาคารเรียน",
    "การจ้างเหมาบริการรักษาความปลอดภัย",
    "การเบิกจ่ายเงินอุดหนุน",
    "การติดตามตรวจสอบและประเมินผลภายใน",
    "No Gift Policy",
    "ITA Online",
    "E-Service",
    "การอบรมเชิงปฏิบัติการ",
]
QUALIFIERS = [
    "ประจำปีงบประมาณ พ.ศ. {year}",
    "ประจำปีงบประมาณ {year}",
    "ปีงบประมาณ{year}",
    "ไตรมาสที่ {quarter} ปีงบประมาณ {year}",
    "รอบ ๖ เดือน ปีงบประมาณ {year}",
    "ของโรงเรียน{school}",
    "ณ โรงเรียน{school}",
    "ครั้งที่ {n}/{year}",
    "ประจำเดือน{month} {year}",
    "",
]
SCHOOLS = [
    "บ้านหนองไผ่",
    "วัดโพธิ์ทอง",
    "บ้านคลองสวน",
    "อนุบาลฉะเชิงเทรา",
    "บ้านท่าสะอ้าน",
    "วัดสามัคคีธรรม",
    "บ้านดงยาง",
    "ชุมชนบ้านแม่ระมาด",
    "บ้านห้วยกระโห้",
    "วัดบางพระ",
    "บ้านเนินสูง",
    "ไทยรัฐวิทยา ๑๒",
    "บ้านแม่สอด",
    "วัดใหม่บางคล้า",
    "บ้านหัวสำโรง",
    "ตชด.บ้านห้วยนกแล",
]
MONTHS = [
    "ตุลาคม",
    "พฤศจิกายน",
    "ธันวาคม",
    "มกราคม",
    "กุมภาพันธ์",
    "มีนาคม",
    "เมษายน",
    "พฤษภาคม",
    "มิถุนายน",
    "กรกฎาคม",
    "สิงหาคม",
    "กันยายน",
]
SUMMARY_SENTENCES = [
    "สำนักงานเขตพื้นที่การศึกษาประถมศึกษา{area}ได้ดำเนินการ{topic}ตามแผนที่กำหนด",
    "เพื่อเผยแพร่ประชาสัมพันธ์ให้ผู้รับบริการและประชาชนทั่วไปได้รับทราบ",
    "โดยมีผู้เข้าร่วมกิจกรรมจำนวน {n} คน ประกอบด้วยผู้บริหารสถานศึกษา ครู และบุคลากรทางการศึกษา",
    "ทั้งนี้ เป็นไปตามระเบียบกระทรวงการคลังว่าด้วยการจัดซื้อจัดจ้างและการบริหารพัสดุภาครัฐ พ.ศ. ๒๕๖๐",
    "ผู้สนใจสามารถดาวน์โหลดเอกสารรายละเอียดได้ที่เว็บไซต์ของสำนักงาน",
    "ผลการดำเนินงานบรรลุตามตัวชี้วัดร้อยละ {pct} ของเป้าหมาย",
    "กลุ่ม{unit}เป็นผู้รับผิดชอบและรายงานผลต่อผู้อำนวยการสำนักงานเขตพื้นที่การศึกษา",
    "ดำเนินการระหว่างวันที่ {day} {month} {year} ถึงวันที่ {day2} {month} {year}",
    "งบประมาณที่ได้รับจัดสรรทั้งสิ้น {money} บาท",
    "เพื่อส่งเสริมคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ",
    "ขอให้สถานศึกษาในสังกัดถือปฏิบัติโดยเคร่งครัด",
    "หากมีข้อสงสัยติดต่อสอบถามได้ที่กลุ่ม{unit} โทร. ๐ ๓๘๕๑ ๑๒๓๔",
]
CAPTIONS = [
    "ภาพบรรยากาศการประชุม",
    "ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษากล่าวเปิดกิจกรรม",
    "ครูและนักเรียนร่วมกิจกรรม",
    "มอบเกียรติบัตรแก่ผู้ได้รับรางวัล",
    "คณะกรรมการตรวจเยี่ยมโรงเรียน{school}",
    "การอบรมเชิงปฏิบัติการ",
]
AREAS = ["ฉะเชิงเทรา เขต ๑", "ตาก เขต ๒", "ชลบุรี เขต ๓", "นครราชสีมา เขต ๔"]
UNITS = [
    "อำนวยการ",
    "นโยบายและแผน",
    "บริหารงานการเงินและสินทรัพย์",
    "บริหารงานบุคคล",
    "ส่งเสริมการจัดการศึกษา",
    "นิเทศ ติดตามและประเมินผลการจัดการศึกษา",
    "พัฒนาครูและบุคลากรทางการศึกษา",
    "ส่งเสริมการศึกษาทางไกล เทคโนโลยีสารสนเทศและการสื่อสาร",
    "กฎหมายและคดี",
    "หน่วยตรวจสอบภายใน",
]
CATEGORY_WORDS = [
    "ข้อมูลพื้นฐาน",
    "ข่าวประชาสัมพันธ์",
    "แผนการดำเนินงาน",
    "การจัดซื้อจัดจ้าง",
    "การบริหารงานบุคคล",
    "การส่งเสริมความโปร่งใส",
    "รายงานผล",
    "คู่มือการปฏิบัติงาน",
    "กฎหมายที่เกี่ยวข้อง",
    "การให้บริการ",
]
FILE_KINDS = ["pdf", "pdf", "pdf", "docx", "xlsx", "jpeg", "png"]
THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
FISCAL_YEARS = (2566, 2567, 2568, 2569)


def _number(rng: random.Random, value) -> str:
    """Offices write numbers in Thai digits about half the time."""
    text = str(value)
    return text.translate(THAI_DIGITS) if rng.random() < 0.5 else text


_FIELDS = re.compile(r"{(\w+)}")
_MAKERS = {
    "year": lambda rng: _number(rng, rng.choice(FISCAL_YEARS)),
    "quarter": lambda rng: _number(rng, rng.randint(1, 4)),
    "school": lambda rng: rng.choice(SCHOOLS),
    "n": lambda rng: _number(rng, rng.randint(1, 350)),
    "month": lambda rng: rng.choice(MONTHS),
    "area": lambda rng: rng.choice(AREAS),
    "topic": lambda rng: rng.choice(TOPICS),
    "pct": lambda rng: _number(rng, rng.randint(60, 100)),
    "unit": lambda rng: rng.choice(UNITS),
    "day": lambda rng: _number(rng, rng.randint(1, 14)),
    "day2": lambda rng: _number(rng, rng.randint(15, 28)),
    "money": lambda rng: _number(rng, f"{rng.randint(5, 2_000) * 1000:,}"),
}


def _fill(rng: random.Random, template: str, **known) -> str:
    """``template`` with each ``{field}`` filled: from ``known`` if given, else at random."""
    values = {}
    for name in _FIELDS.findall(template):
        if name in known:
            value = known[name]
            values[name] = _number(rng, value) if isinstance(value, int) else value
        else:
            values[name] = _MAKERS[name](rng)
    return template.format(**values)


def make_text(rng: random.Random, year: int, unit: str) -> tuple[str, str]:
    """A (title, summary) pair as an office would write them."""
    topic = rng.choice(TOPICS)
    qualifier = _fill(rng, rng.choice(QUALIFIERS), year=year)
    joiner = "" if rng.random() < 0.6 else " "  # mostly unspaced, as typed
    before = " " if qualifier.startswith("ณ") else joiner
    title = f"{rng.choice(DOCUMENT_KINDS)}{joiner}{topic}{before}{qualifier}".strip()[:250]
    sentences = rng.sample(SUMMARY_SENTENCES, rng.randint(2, 5))
    summary = " ".join(_fill(rng, s, topic=topic, year=year, unit=unit) for s in sentences)
    return title, summary


def ensure_categories(count: int) -> list:
    """At least ``count`` active categories: the office's defaults, then numbered extras."""
    from catalog.models import Category

    existing = list(Category.objects.order_by("order", "pk"))
    extra = []
    for n in range(len(existing), count):
        word = CATEGORY_WORDS[n % len(CATEGORY_WORDS)]
        extra.append(
            Category(
                code=f"9.{n + 1}",
                name=f"{word} ชุดที่ {n + 1}",
                slug=f"bench-{n + 1}",
                order=1000 + n,
            )
        )
    Category.objects.bulk_create(extra)
    return list(Category.objects.order_by("order", "pk"))[:count]


def ensure_units() -> list:
    from esa_publish.office.models import Unit

    for order, name in enumerate(UNITS):
        Unit.objects.get_or_create(name=f"กลุ่ม{name}", defaults={"order": order})
    return list(Unit.objects.all())


class _Inserter:
    """``INSERT … VALUES`` for one model through ``executemany``, bypassing the ORM's per-value
    preparation (most of ``bulk_create``'s time at this scale).

    Columns come from the model, so a field added later still gets its default; the values we
    give must already be what the database takes (adapted datetimes, prepared JSON).
    """

    def __init__(self, model, connection):
        self.fields = list(model._meta.concrete_fields)
        self.defaults = {
            f.attname: f.get_db_prep_save(f.get_default(), connection) for f in self.fields
        }
        quote = connection.ops.quote_name
        columns = ", ".join(quote(f.column) for f in self.fields)
        marks = ", ".join(["%s"] * len(self.fields))
        self.sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({marks})"
        self.rows: list[tuple] = []

    def add(self, **values) -> None:
        defaults = self.defaults
        self.rows.append(tuple(values.get(f.attname, defaults[f.attname]) for f in self.fields))

    def flush(self, cursor) -> None:
        if self.rows:
            cursor.executemany(self.sql, self.rows)
            self.rows = []


def _next_id(model) -> int:
    from django.db.models import Max

    return (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1


def populate(
    count: int = 100_000,
    categories: int = 60,
    *,
    batch: int = 5000,
    index: bool = False,
    seed: int = 2569,
    progress=None,
) -> int:
    """Create ``count`` catalog items across ``categories`` categories; returns ``count``.

    ``index=True`` also builds their search entries (``catalog.search.index.run``);
    ``progress(done, total)`` is called after each batch of items. Rows are written with
    explicit ids (the sequences are moved past them at the end, for PostgreSQL), so nothing
    else may write catalog items meanwhile.
    """
    from django.core.management.color import no_style
    from django.db import connection, transaction
    from django.utils import timezone

    from catalog.models import CatalogFile, CatalogItem, CatalogPhoto
    from catalog.publishing import make_slug

    rng = random.Random(seed)
    cats = [c.pk for c in ensure_categories(categories)]
    units = [(u.pk, u.name) for u in ensure_units()]
    now = timezone.now()
    adapt = connection.ops.adapt_datetimefield_value
    stamp = adapt(now)
    kinds_field = CatalogItem._meta.get_field("file_kinds")
    items = _Inserter(CatalogItem, connection)
    files = _Inserter(CatalogFile, connection)
    photos = _Inserter(CatalogPhoto, connection)
    item_id, file_id, photo_id = (
        _next_id(CatalogItem),
        _next_id(CatalogFile),
        _next_id(CatalogPhoto),
    )
    done = 0
    while done < count:
        size = min(batch, count - done)
        for _ in range(size):
            unit_id, unit_name = rng.choice(units)
            year = rng.choice(FISCAL_YEARS)
            title, summary = make_text(rng, year, unit_name.removeprefix("กลุ่ม"))
            published = now - timedelta(days=rng.uniform(1, 1100))
            fate = rng.random()
            if fate < 0.01:
                published = now + timedelta(days=rng.uniform(1, 30))  # scheduled
            withdrawn = 0.01 <= fate < 0.03
            file_kinds = sorted(set(rng.sample(FILE_KINDS, rng.randint(1, 2))))
            gallery = rng.randint(1, 3) if rng.random() < 1 / 6 else 0
            items.add(
                id=item_id,
                title=title,
                slug=make_slug(title),
                summary=summary,
                category_id=rng.choice(cats),
                fiscal_year=year,
                unit_id=unit_id,
                unit_name=unit_name,
                published_at=adapt(published),
                withdrawn_at=adapt(published + timedelta(days=1)) if withdrawn else None,
                withdrawal_reason="ข้อมูลไม่ถูกต้อง" if withdrawn else "",
                file_kinds=kinds_field.get_db_prep_save(
                    file_kinds + (["photo"] if gallery else []), connection
                ),
                created_at=stamp,
                updated_at=stamp,
            )
            for order, kind in enumerate(file_kinds):
                files.add(
                    id=file_id,
                    item_id=item_id,
                    file=f"bench/{item_id}-{order}.{kind}",
                    original_name=f"เอกสาร{order + 1}.{kind}",
                    kind=kind,
                    content_type="application/octet-stream",
                    size=rng.randint(20_000, 5_000_000),
                    sha256="0" * 64,
                    order=order,
                )
                file_id += 1
            for order in range(gallery):
                photos.add(
                    id=photo_id,
                    item_id=item_id,
                    image=f"bench/{item_id}-{order}.jpg",
                    thumbnail=f"bench/{item_id}-{order}-t.jpg",
                    width=1600,
                    height=1200,
                    caption=_fill(rng, rng.choice(CAPTIONS)),
                    order=order,
                    is_cover=order == 0,
                )
                photo_id += 1
            item_id += 1
        with transaction.atomic(), connection.cursor() as cursor:
            items.flush(cursor)
            files.flush(cursor)
            photos.flush(cursor)
        done += size
        if progress:
            progress(done, count)
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(
            no_style(), [CatalogItem, CatalogFile, CatalogPhoto]
        ):
            cursor.execute(sql)
    if index:
        from catalog.search import index as search_index

        search_index.run()
    return count
