"""Demo requests in every workflow state and a public catalog worth browsing.

Everything is made the way people would make it: drafts through ``requests.services``, every
step through ``approvals.services.request_act``, the webmaster's choices through
``catalog.publishing.plan_save``. So the demo's history, memos and items agree with each other
exactly as real ones would. Only the publication dates are moved afterwards (spread over fiscal
years 2568 and 2569), since a demo made in one minute would otherwise show one day's news.

Idempotent: when the marker request exists, nothing is added. Files are generated here (PDFs
with WeasyPrint, photos with Pillow) so the demo needs no download; each distinct PDF and photo
is made once and reused.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from contextlib import contextmanager
from unittest import mock

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from approvals.services import request_act, request_publish
from esa_publish.office.models import User
from esa_publish.thai.digits import to_thai_digits
from esa_publish.thai.fiscal import fiscal_year, fiscal_year_range
from requests.memo.fetcher import FONT_DIR, MemoURLFetcher
from requests.memo.render import font_css  # also maps the text layer (esa_publish.pdf_text)
from requests.models import PublicationRequest
from requests.services import attachments_add, photos_add, request_create, request_update

# The draft made last; when it exists the demo is complete.
MARKER_TITLE = "ร่าง: ประชาสัมพันธ์โครงการห้องเรียนคุณภาพ (ตัวอย่าง)"
YEARS = (2568, 2569)
# The demo office's categories (seed 000) mapped to the items of each year's list: by the item's
# meaning, which is why each year has its own table.
DEMO_ITA_MAPPING = {
    2568: {
        "1.1": ["O1", "O2", "O3"],
        "1.3": ["O5", "O6", "O7"],
        "1.4": ["O23", "O24", "O25", "O26"],
        "1.5": ["O12", "O13"],
        "1.6": ["O8", "O9"],
        "1.8": ["O4"],
        "1.9": ["O4"],
    },
    2569: {
        "1.1": ["O1", "O2", "O3"],
        "1.3": ["O5", "O6", "O7"],
        "1.4": ["O21", "O22", "O23", "O24"],
        "1.5": ["O11", "O12"],
        "1.6": ["O8", "O9"],
        "1.8": ["O4"],
        "1.9": ["O4"],
    },
}

# What the PDFs are about, by kind: (heading, paragraphs).
PDF_KINDS = {
    "announcement": (
        "ประกาศสำนักงานเขตพื้นที่การศึกษา",
        [
            "ด้วยสำนักงานเขตพื้นที่การศึกษาประถมศึกษาฉะเชิงเทรา เขต ๑ มีความประสงค์จะประชาสัมพันธ์"
            "ข้อมูลข่าวสารให้ผู้รับบริการและประชาชนทั่วไปทราบ จึงประกาศให้ทราบโดยทั่วกัน",
            "ผู้สนใจสามารถสอบถามรายละเอียดเพิ่มเติมได้ที่กลุ่มที่รับผิดชอบ ในวันและเวลาราชการ",
        ],
    ),
    "plan": (
        "แผนปฏิบัติการประจำปีงบประมาณ",
        [
            "แผนปฏิบัติการฉบับนี้จัดทำขึ้นเพื่อเป็นกรอบและทิศทางในการดำเนินงานของสำนักงานเขตพื้นที่การศึกษา "
            "ให้สอดคล้องกับนโยบายของกระทรวงศึกษาธิการและสำนักงานคณะกรรมการการศึกษาขั้นพื้นฐาน",
            "ประกอบด้วยโครงการตามยุทธศาสตร์ ๖ ด้าน งบประมาณที่ได้รับจัดสรร และตัวชี้วัดความสำเร็จ",
        ],
    ),
    "report": (
        "รายงานผลการดำเนินงาน",
        [
            "รายงานฉบับนี้สรุปผลการดำเนินงานตามแผนปฏิบัติการ ผลการใช้จ่ายงบประมาณ "
            "ปัญหาอุปสรรค และข้อเสนอแนะเพื่อการพัฒนาในปีงบประมาณถัดไป",
            "ผลการดำเนินงานบรรลุเป้าหมายร้อยละ ๙๒ ของโครงการทั้งหมด",
        ],
    ),
    "manual": (
        "คู่มือการปฏิบัติงาน",
        [
            "คู่มือนี้อธิบายขั้นตอนการปฏิบัติงาน ระยะเวลา ผู้รับผิดชอบ และแบบฟอร์มที่เกี่ยวข้อง "
            "เพื่อให้การให้บริการเป็นมาตรฐานเดียวกัน",
            "ขั้นตอนที่ ๑ รับเรื่อง ขั้นตอนที่ ๒ ตรวจสอบเอกสาร ขั้นตอนที่ ๓ เสนอผู้บังคับบัญชา",
        ],
    ),
    "procurement": (
        "ประกาศผลการจัดซื้อจัดจ้าง",
        [
            "ตามที่สำนักงานเขตพื้นที่การศึกษาได้ดำเนินการจัดซื้อจัดจ้างโดยวิธีเฉพาะเจาะจง "
            "บัดนี้ได้ผู้ชนะการเสนอราคาแล้ว รายละเอียดตามตารางแนบท้ายประกาศนี้",
            "ทั้งนี้ ผู้มีส่วนได้เสียสามารถตรวจสอบข้อมูลได้ตามระเบียบกระทรวงการคลังว่าด้วยการจัดซื้อจัดจ้าง",
        ],
    ),
    "recruitment": (
        "ประกาศรับสมัครบุคคลเพื่อเลือกสรร",
        [
            "ด้วยสำนักงานเขตพื้นที่การศึกษาจะดำเนินการสรรหาและเลือกสรรบุคคลเพื่อจ้างเป็นพนักงานราชการทั่วไป "
            "ตำแหน่งครูผู้สอน จึงประกาศรับสมัครตามรายละเอียดดังนี้",
            "ผู้ประสานงาน โทร 081-234-5678 ในวันและเวลาราชการ",
        ],
    ),
}

# (category code, title with {year}, summary, PDF kind or "", photos, years it appears in)
CATALOG = [
    ("1.1", "โครงสร้างการบริหารงานของสำนักงานเขตพื้นที่การศึกษา ปีงบประมาณ {year}",
     "แผนภูมิโครงสร้างการแบ่งส่วนราชการ กลุ่ม/หน่วย และผู้บริหาร", "announcement", 0, YEARS),
    ("1.1", "ข้อมูลผู้บริหารและอำนาจหน้าที่ของสำนักงานเขตพื้นที่การศึกษา ปีงบประมาณ {year}",
     "รายชื่อ ตำแหน่ง และช่องทางติดต่อผู้บริหาร พร้อมอำนาจหน้าที่ตามกฎหมาย", "announcement", 0,
     YEARS),
    ("1.2", "นโยบายและจุดเน้นการพัฒนาการศึกษา ประจำปีงบประมาณ {year}",
     "นโยบาย จุดเน้น และกลยุทธ์การขับเคลื่อนคุณภาพการศึกษาของเขตพื้นที่", "plan", 0, YEARS),
    ("1.3", "แผนปฏิบัติการประจำปีงบประมาณ {year}",
     "แผนปฏิบัติการประจำปี โครงการ งบประมาณ และตัวชี้วัดความสำเร็จ", "plan", 0, YEARS),
    ("1.3", "รายงานการกำกับติดตามการดำเนินงานและการใช้งบประมาณ รอบ ๖ เดือน ปีงบประมาณ {year}",
     "ผลการดำเนินงานและการเบิกจ่ายงบประมาณ ตุลาคม – มีนาคม", "report", 0, YEARS),
    ("1.3", "รายงานผลการดำเนินงานประจำปีงบประมาณ {previous}",
     "สรุปผลการดำเนินงานตามแผนปฏิบัติการประจำปี ปัญหาอุปสรรคและข้อเสนอแนะ", "report", 0, YEARS),
    ("1.4", "แผนปฏิบัติการป้องกันการทุจริต ประจำปีงบประมาณ {year}",
     "มาตรการและโครงการป้องกันการทุจริตและส่งเสริมคุณธรรมความโปร่งใส", "plan", 0, YEARS),
    ("1.4", "ประกาศเจตนารมณ์นโยบายไม่รับของขวัญ (No Gift Policy) ประจำปี {year}",
     "ผู้บริหารและบุคลากรทุกคนงดให้และงดรับของขวัญและของกำนัลทุกชนิด", "announcement", 0, YEARS),
    ("1.5", "แผนการจัดซื้อจัดจ้าง ประจำปีงบประมาณ {year}",
     "รายการจัดซื้อจัดจ้างที่คาดว่าจะดำเนินการ วงเงิน และช่วงเวลาที่คาดว่าจะประกาศ", "procurement",
     0, YEARS),
    ("1.5", "สรุปผลการจัดซื้อจัดจ้างประจำเดือนมีนาคม {year}",
     "ผลการจัดซื้อจัดจ้างรายเดือน (แบบ สขร.๑) ตามพระราชบัญญัติข้อมูลข่าวสารของราชการ", "procurement",
     0, YEARS),
    ("1.6", "คู่มือการปฏิบัติงานกลุ่มส่งเสริมการจัดการศึกษา ปี {year}",
     "ขั้นตอนการปฏิบัติงาน ระยะเวลา และแบบฟอร์มของงานส่งเสริมการจัดการศึกษา", "manual", 0, YEARS),
    ("1.6", "คู่มือการให้บริการประชาชน การขอย้ายนักเรียนระหว่างโรงเรียน",
     "ขั้นตอน เอกสารประกอบ และระยะเวลาให้บริการ ตามพระราชบัญญัติการอำนวยความสะดวกฯ", "manual", 0,
     (2569,)),
    ("1.7", "ประกาศรับสมัครบุคคลเพื่อเลือกสรรเป็นพนักงานราชการ ตำแหน่งครูผู้สอน ปี {year}",
     "รับสมัครพนักงานราชการทั่วไป ตำแหน่งครูผู้สอน คุณสมบัติ วิธีการสมัคร และกำหนดการ",
     "recruitment", 0, YEARS),
    ("1.8", "ประกาศรับนักเรียนเข้าเรียนชั้นอนุบาลและประถมศึกษาปีที่ ๑ ปีการศึกษา {school_year}",
     "นโยบายและแนวปฏิบัติการรับนักเรียน กำหนดการรับสมัคร และเอกสารหลักฐาน", "announcement", 0,
     YEARS),
    ("1.8", "ประชาสัมพันธ์การแข่งขันงานศิลปหัตถกรรมนักเรียน ครั้งที่ {round}",
     "กำหนดการ สนามแข่งขัน และหลักเกณฑ์การแข่งขันระดับเขตพื้นที่การศึกษา", "announcement", 2,
     YEARS),
    ("1.9", "ภาพกิจกรรมวันครู ครั้งที่ {teachers_day}",
     "พิธีรำลึกพระคุณบูรพาจารย์และมอบรางวัลครูดีเด่น ณ หอประชุมสำนักงานเขตพื้นที่การศึกษา", "", 4,
     YEARS),
    ("1.9", "ภาพกิจกรรมประชุมผู้บริหารสถานศึกษา ประจำเดือน ปีงบประมาณ {year}",
     "ประชุมผู้บริหารสถานศึกษาเพื่อชี้แจงนโยบายและแนวทางการดำเนินงาน", "", 3, YEARS),
    ("1.9", "ภาพกิจกรรมนิเทศ ติดตาม การจัดการเรียนการสอนในสถานศึกษา ปี {year}",
     "ศึกษานิเทศก์ลงพื้นที่นิเทศ ติดตาม และให้กำลังใจครูในสถานศึกษา", "report", 3, (2569,)),
]  # fmt: skip

PHOTO_CAPTIONS = [
    "ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษาเป็นประธานในพิธี",
    "ผู้บริหารสถานศึกษาและครูร่วมกิจกรรม",
    "มอบเกียรติบัตรแก่ผู้ได้รับรางวัล",
    "บรรยากาศการดำเนินกิจกรรม",
]
PHOTO_COLOURS = [
    ((23, 64, 122), (120, 180, 230)),
    ((11, 107, 80), (170, 225, 190)),
    ((138, 83, 0), (250, 210, 140)),
    ((163, 22, 26), (245, 170, 160)),
    ((70, 40, 120), (200, 180, 240)),
    ((20, 90, 110), (160, 220, 230)),
]

TAKEDOWN_REASON = "พบข้อมูลส่วนบุคคลของผู้สมัครในเอกสารแนบ จึงถอดออกเพื่อตรวจสอบและแก้ไข"


def seed_publications(write: Callable[[str], None] = print) -> None:
    """Add the demo requests and catalog unless they are there already."""

    if PublicationRequest.objects.filter(publish_title=MARKER_TITLE).exists():
        write("Demo requests and catalog: already there.")
        return
    names = ["staff1", "staff2", "groupdir", "plandir", "legal", "deputy1", "director", "webmaster"]
    people = {u.username: u for u in User.objects.filter(username__in=names)}
    if len(people) != len(names):
        write("Demo requests and catalog: skipped (demo people missing).")
        return
    started = timezone.now()
    with _quiet_mail():
        builder = _Builder(people)
        builder.ensure_ita_years()
        count = builder.catalog()
        builder.special_cases()
        builder.every_state()
    seconds = (timezone.now() - started).total_seconds()
    write(f"Demo requests and catalog: {count} published items added in {seconds:.0f} s.")


@contextmanager
def _quiet_mail():
    """No e-mail for demo decisions: the demo addresses are fake, and with the development
    console backend a hundred messages would bury the login list ``seed_demo`` prints."""
    with mock.patch("approvals.services.notify_after_commit", lambda *args, **kwargs: None):
        yield


class _Builder:
    def __init__(self, people):
        self.people = people
        self._pdfs: dict[str, bytes] = {}
        self._jpegs: dict[int, bytes] = {}

    # --- files ---------------------------------------------------------------------------------

    def pdf(self, kind: str) -> bytes:
        if kind not in self._pdfs:
            self._pdfs[kind] = _render_pdf(*PDF_KINDS[kind])
        return self._pdfs[kind]

    def jpeg(self, number: int) -> bytes:
        if number not in self._jpegs:
            self._jpegs[number] = _draw_photo(number)
        return self._jpegs[number]

    # --- requests ------------------------------------------------------------------------------

    def draft(self, *, owner, code, title, summary, pdf="", photos=0, first_photo=0):
        from catalog.models import Category

        category = Category.objects.get(code=code)
        req = request_create(
            user=owner,
            data={
                "publish_title": title,
                "purpose": f"เพื่อเผยแพร่{title}ให้ผู้รับบริการและประชาชนทั่วไปทราบ",
                "category": category,
                "file_formats": (["pdf"] if pdf else []) + (["jpg"] if photos else []),
                "public_title": title,
                "public_summary": summary,
            },
        )
        if pdf:
            name = f"{title[:60].strip()}.pdf"
            attachments_add(req=req, user=owner, files=[_upload(name, self.pdf(pdf))])
        if photos:
            numbers = [first_photo + n for n in range(photos)]
            photos_add(
                req=req,
                user=owner,
                files=[_upload(f"IMG_{2000 + n}.jpg", self.jpeg(n)) for n in numbers],
                captions=[PHOTO_CAPTIONS[n % len(PHOTO_CAPTIONS)] for n in range(photos)],
            )
        return req

    def advance(self, req, steps: list[tuple[str, str]]) -> None:

        for who, action, *comment in steps:
            if who == "requester":
                user = req.requester
            elif who == "first":
                user = self.first_reviewer(req)
            else:
                user = self.people[who]
            request_act(
                request_id=req.pk, user=user, action=action, comment=comment[0] if comment else ""
            )

    def first_reviewer(self, req):
        if req.category.needs_legal_review:
            return self.people["legal"]
        return self.people["groupdir" if req.requester.username == "staff1" else "plandir"]

    def approve(self, req) -> None:
        self.advance(
            req,
            [
                ("requester", "submit"),
                ("first", "review.forward"),
                ("deputy1", "deputy.allow"),
                ("director", "director.allow"),
            ],
        )

    def plan(self, req, year: int, *, publish_at=None, confirmed: bool = False):
        from catalog.publishing import plan_save

        req.refresh_from_db()
        ita = list(req.category.ita_items.filter(fiscal_year=year)[:1])
        return plan_save(
            req=req,
            user=self.people["webmaster"],
            title=req.public_title or req.publish_title,
            summary=req.public_summary,
            category=req.category,
            fiscal_year=year,
            ita_items=ita,
            attachment_ids=req.attachments.values_list("pk", flat=True),
            photo_ids=req.photos.values_list("pk", flat=True),
            publish_at=publish_at,
            pdpa_confirmed=confirmed,
            # Demo photos are wide shots of activities, with the participants' consent.
            photo_flags={"identifiable": False, "minors": False, "consent": True},
        )

    def publish(self, req, year: int, when: dt.datetime):
        """Approve, plan and publish ``req``, then date its item ``when``."""
        from catalog.models import CatalogItem
        from catalog.signals import item_changed

        self.approve(req)
        plan = self.plan(req, year)
        if plan.pdpa_findings:  # the recruitment notice's contact number: public on purpose
            plan = self.plan(req, year, confirmed=True)
        request_publish(request_id=req.pk, user=self.people["webmaster"], via="publishing_page")
        item = CatalogItem.objects.get(request=req)
        item.published_at = min(when, timezone.now() - dt.timedelta(hours=1))
        item.save(update_fields=["published_at"])
        item_changed.send(sender=CatalogItem, item=item)
        return item

    # --- the demo ------------------------------------------------------------------------------

    def ensure_ita_years(self) -> None:
        """Confirm the shipped 2568 and 2569 lists as the demo office's and map its categories.

        The shipped lists are still "to be checked" against the NACC's manual; a real office
        checks each item before confirming. The demo confirms them so that its items can cite an
        ITA item and the public ITA pages have something to show.
        """
        from catalog.models import Category, ITAItem
        from catalog.services import ita_confirm_year, ita_copy_year, ita_set_mapping

        for year in YEARS:
            if not ITAItem.objects.filter(fiscal_year=year).exists():
                earlier = (
                    ITAItem.objects.filter(fiscal_year__lt=year)
                    .order_by("-fiscal_year")
                    .values_list("fiscal_year", flat=True)
                    .first()
                )
                if earlier:
                    ita_copy_year(from_year=earlier, to_year=year)
            items = {i.code: i for i in ITAItem.objects.for_year(year)}
            codes_by_category = DEMO_ITA_MAPPING.get(year, {})
            mapping = {}
            for category in Category.objects.filter(code__in=codes_by_category):
                for code in codes_by_category[category.code]:
                    if code in items:
                        mapping.setdefault(items[code].pk, []).append(category)
            ita_set_mapping(fiscal_year=year, mapping=mapping)
            ITAItem.objects.filter(fiscal_year=year).update(needs_check=False)
            ita_confirm_year(fiscal_year=year, user=self.people["webmaster"])

    def catalog(self) -> int:
        """The published items, spread over both fiscal years."""
        count = 0
        photo_cursor = 0
        for year in YEARS:
            rows = [row for row in CATALOG if year in row[5]]
            start, _end = fiscal_year_range(year)
            for index, (code, title, summary, pdf, photos, _years) in enumerate(rows):
                title = _fill(title, year)
                owner = self.people["staff2" if code in ("1.2", "1.3", "1.4") else "staff1"]
                req = self.draft(
                    owner=owner,
                    code=code,
                    title=title,
                    summary=summary,
                    pdf=pdf,
                    photos=photos,
                    first_photo=photo_cursor,
                )
                photo_cursor += photos
                day = start + dt.timedelta(days=(index * 353) // len(rows) + 3)
                when = timezone.make_aware(dt.datetime.combine(day, dt.time(9 + index % 7, 30)))
                self.publish(req, year, when)
                count += 1
        return count

    def special_cases(self) -> None:
        """One item taken down with its reason, and one corrected (old replaced by new)."""
        from catalog.publishing import item_correct

        staff = self.people["staff1"]
        start, _end = fiscal_year_range(2569)
        wrong = self.draft(
            owner=staff,
            code="1.8",
            title="ประกาศรายชื่อผู้มีสิทธิ์เข้ารับการประเมิน ครูผู้ช่วย",
            summary="รายชื่อผู้มีสิทธิ์เข้ารับการประเมิน วัน เวลา และสถานที่",
            pdf="announcement",
        )
        item = self.publish(wrong, 2569, _at(start + dt.timedelta(days=40)))
        request_act(
            request_id=wrong.pk,
            user=self.people["webmaster"],
            action="webmaster.unpublish",
            comment=TAKEDOWN_REASON,
        )
        item.refresh_from_db()

        original = self.draft(
            owner=staff,
            code="1.8",
            title="ประกาศกำหนดการสอบคัดเลือกนักเรียนเข้าร่วมโครงการห้องเรียนพิเศษ",
            summary="กำหนดการสอบวันที่ ๑๕ กุมภาพันธ์ (คลาดเคลื่อน)",
            pdf="announcement",
        )
        old = self.publish(original, 2569, _at(start + dt.timedelta(days=100)))
        correction = item_correct(item=old, user=staff)
        title = "ประกาศกำหนดการสอบคัดเลือกนักเรียนเข้าร่วมโครงการห้องเรียนพิเศษ (ฉบับแก้ไข)"
        request_update(
            req=correction,
            user=staff,
            data={
                "publish_title": title,
                "public_title": title,
                "public_summary": "แก้ไขกำหนดการสอบเป็นวันที่ ๒๒ กุมภาพันธ์",
            },
        )
        self.publish(correction, 2569, _at(start + dt.timedelta(days=103)))

    def every_state(self) -> None:
        """One request in each state that is not "published", for the lists and the queue."""
        staff1, staff2 = self.people["staff1"], self.people["staff2"]
        ask = self.draft
        year = fiscal_year(timezone.localdate())
        thai_year = to_thai_digits(year)
        submitted = ask(
            owner=staff1,
            code="1.8",
            title="ประชาสัมพันธ์โครงการโรงเรียนคุณธรรม ปีการศึกษา ๒๕๖๙",
            summary="เชิญชวนสถานศึกษาเข้าร่วมโครงการโรงเรียนคุณธรรม",
            pdf="announcement",
        )
        self.advance(submitted, [("requester", "submit")])
        reviewed = ask(
            owner=staff2,
            code="1.3",
            title=f"รายงานผลการใช้จ่ายงบประมาณ ไตรมาสที่ ๑ ปีงบประมาณ {thai_year}",
            summary="ผลการเบิกจ่ายงบประมาณ ตุลาคม – ธันวาคม",
            pdf="report",
        )
        self.advance(reviewed, [("requester", "submit"), ("first", "review.forward")])
        recommended = ask(
            owner=staff1,
            code="1.9",
            title="ภาพกิจกรรมวันเด็กแห่งชาติ ประจำปี ๒๕๖๙",
            summary="กิจกรรมวันเด็กแห่งชาติ ณ สำนักงานเขตพื้นที่การศึกษา",
            photos=3,
        )
        self.advance(
            recommended,
            [("requester", "submit"), ("first", "review.forward"), ("deputy1", "deputy.allow")],
        )
        approved = ask(
            owner=staff2,
            code="1.3",
            title=f"แผนปฏิบัติการประจำปีงบประมาณ {thai_year}",
            summary="แผนปฏิบัติการประจำปี โครงการ งบประมาณ และตัวชี้วัด",
            pdf="plan",
        )
        self.approve(approved)
        scheduled = ask(
            owner=staff1,
            code="1.8",
            title=f"ประชาสัมพันธ์วันหยุดราชการประจำปี {thai_year}",
            summary="วันหยุดราชการและวันหยุดชดเชย ประจำปี",
            pdf="announcement",
        )
        self.approve(scheduled)
        self.plan(scheduled, year, publish_at=timezone.now() + dt.timedelta(days=3))
        returned = ask(
            owner=staff1,
            code="1.6",
            title="คู่มือการขอรับเงินสวัสดิการค่าการศึกษาบุตร",
            summary="ขั้นตอนและเอกสารการเบิกค่าการศึกษาบุตร",
            pdf="manual",
        )
        self.advance(
            returned,
            [
                ("requester", "submit"),
                ("first", "review.return", "กรุณาแนบแบบฟอร์ม ๗๒๘๔ ฉบับปรับปรุงล่าสุด"),
            ],
        )
        rejected = ask(
            owner=staff2,
            code="1.2",
            title="ร่างนโยบายการจัดสรรงบประมาณ (ฉบับยังไม่ผ่านคณะกรรมการ)",
            summary="ร่างนโยบายเพื่อรับฟังความคิดเห็น",
            pdf="plan",
        )
        self.advance(
            rejected,
            [
                ("requester", "submit"),
                ("first", "review.forward"),
                ("deputy1", "deputy.deny", "ยังไม่ผ่านความเห็นชอบของคณะกรรมการ ไม่ควรเผยแพร่"),
                ("director", "director.deny", "ให้รอมติคณะกรรมการก่อน"),
            ],
        )
        withdrawn = ask(
            owner=staff1,
            code="1.8",
            title="ประชาสัมพันธ์การอบรมครูออนไลน์ (ยกเลิกการจัด)",
            summary="การอบรมครูออนไลน์",
            pdf="announcement",
        )
        self.advance(withdrawn, [("requester", "submit"), ("requester", "withdraw")])
        # Last, so that its existence means the whole demo is there.
        ask(
            owner=staff1,
            code="1.8",
            title=MARKER_TITLE,
            summary="เชิญชวนสถานศึกษาสมัครเข้าร่วมโครงการห้องเรียนคุณภาพ",
            pdf="announcement",
        )


def _fill(title: str, year: int) -> str:
    values = {
        "year": year,
        "previous": year - 1,
        "school_year": year,
        "round": year - 2496,  # the 72nd competition was held in fiscal year 2568
        "teachers_day": year - 2499,  # the 69th Teachers' Day was 16 January 2568
    }
    return title.format(**{k: to_thai_digits(v) for k, v in values.items()})


def _at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10, 0)))


def _upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def _render_pdf(heading: str, paragraphs: list[str]) -> bytes:
    """A two-page Thai document in the bundled Sarabun, through the memo's locked-down fetcher."""
    from weasyprint import HTML

    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    html = (
        "<html lang='th'><head><style>"
        + font_css("Sarabun")
        + "@page { size: A4; margin: 2.5cm 2cm 2cm 3cm; }"
        " h1 { font-size: 20pt; text-align: center; }"
        " p { text-indent: 2.5cm; line-height: 1.5; } .next { break-before: page; }"
        "</style></head><body>"
        f"<h1>{heading}</h1><p>สำนักงานเขตพื้นที่การศึกษาประถมศึกษาฉะเชิงเทรา เขต ๑</p>{body}"
        f"<div class='next'><h1>{heading} (ต่อ)</h1>{body}"
        "<p>ประกาศ ณ วันที่ ๑ ตุลาคม พ.ศ. ๒๕๖๘</p><p>(เอกสารตัวอย่างสำหรับระบบสาธิต)</p></div>"
        "</body></html>"
    )
    return HTML(string=html, url_fetcher=MemoURLFetcher()).write_pdf()


def _draw_photo(number: int) -> bytes:
    """A 960×640 gradient with a few shapes and "ภาพ <number>", as a JPEG."""
    from PIL import Image, ImageDraw, ImageFont

    width, height = 960, 640
    dark, light = PHOTO_COLOURS[number % len(PHOTO_COLOURS)]
    mask = Image.linear_gradient("L").rotate(number * 37 % 360).resize((width, height))
    image = Image.composite(
        Image.new("RGB", mask.size, dark), Image.new("RGB", mask.size, light), mask
    )
    draw = ImageDraw.Draw(image)
    for n in range(5):
        x = (number * 131 + n * 197) % width
        y = (number * 89 + n * 151) % height
        radius = 40 + (number * 17 + n * 29) % 90
        draw.ellipse((x - radius, y - radius, x + radius, y + radius), outline=light, width=6)
    font = ImageFont.truetype(str(FONT_DIR / "Sarabun-Bold.ttf"), 120)
    label = f"ภาพ {to_thai_digits(number + 1)}"
    draw.text((width // 2, height // 2), label, font=font, fill="white", anchor="mm")
    out = io.BytesIO()
    image.save(out, "JPEG", quality=82)
    return out.getvalue()


__all__ = ["MARKER_TITLE", "seed_publications"]
