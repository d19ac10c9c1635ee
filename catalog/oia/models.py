"""The Official Information Act centre (ศูนย์ข้อมูลข่าวสารอิเล็กทรอนิกส์): a second taxonomy.

The Official Information Act B.E. 2540 names what an agency publishes in the Royal Gazette
(section 7) and what it keeps open for inspection (section 9, including the procurement items
the Information Commission added under 9(8)). Unlike the ITA list, these headings do not change
with the fiscal year, so an item never carries a year here: the administrator maps the office's
own categories to headings once, and every live item of a mapped category is listed under them.

Imported by :mod:`catalog.models`, so the models belong to the catalog app.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from esa_publish.thai.digits import to_thai_digits

#: The heading whose current-year items the webmaster is warned about when missing (9(3)).
PLAN_CODE = "9(3)"


class OIAHeading(models.Model):
    """One heading of section 7 or 9 of the Act, e.g. ``9(3)`` or the 9(8) item ``9(8)-3``.

    Shipped as data (``catalog/data/oia_headings.json``); ``code`` is the stable key the data
    and the code refer to.
    """

    SECTION_CHOICES = [(7, _("มาตรา ๗")), (9, _("มาตรา ๙"))]

    code = models.CharField(_("รหัส"), max_length=20, unique=True, help_text=_("เช่น 7(1), 9(8)-3"))
    section = models.PositiveSmallIntegerField(_("มาตรา"), choices=SECTION_CHOICES)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("อยู่ภายใต้"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    order = models.PositiveIntegerField(_("ลำดับ"), default=0)
    name = models.TextField(_("ชื่อหัวข้อ"))
    categories = models.ManyToManyField(
        "catalog.Category",
        verbose_name=_("หมวดหมู่ข้อมูลที่จัดอยู่ในหัวข้อนี้"),
        blank=True,
        related_name="oia_headings",
    )

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("หัวข้อตาม พ.ร.บ.ข้อมูลข่าวสารฯ")
        verbose_name_plural = _("หัวข้อตาม พ.ร.บ.ข้อมูลข่าวสารฯ")
        constraints = [
            models.CheckConstraint(condition=Q(section__in=[7, 9]), name="oia_heading_section"),
            models.CheckConstraint(condition=~Q(name=""), name="oia_heading_has_name"),
        ]

    def __str__(self) -> str:
        return f"{self.label} {self.name}"

    @property
    def label(self) -> str:
        """ "มาตรา ๙ (๓)"; a 9(8) item reads "มาตรา ๙ (๘) ๓"."""
        main, _sep, sub = self.code.partition("-")
        number, _paren, clause = main.partition("(")
        text = f"มาตรา {number} ({clause}"
        if sub:
            text += f" {sub}"
        return to_thai_digits(text)


class GazetteNotice(models.Model):
    """Where a section 7 heading's information was published in the Royal Gazette."""

    heading = models.ForeignKey(
        OIAHeading,
        verbose_name=_("หัวข้อ"),
        on_delete=models.CASCADE,
        related_name="gazette_notices",
        limit_choices_to={"section": 7},
    )
    title = models.CharField(_("เรื่อง"), max_length=500)
    volume = models.PositiveIntegerField(_("เล่ม"))
    part = models.CharField(_("ตอน"), max_length=50, help_text=_("เช่น 45 ง หรือ พิเศษ 120 ง"))
    page = models.CharField(_("หน้า"), max_length=20)
    published_on = models.DateField(_("วันที่ลงประกาศ"))
    url = models.URLField(_("ลิงก์ราชกิจจานุเบกษา"), blank=True)

    class Meta:
        ordering = ["heading__order", "-published_on"]
        verbose_name = _("การประกาศในราชกิจจานุเบกษา")
        verbose_name_plural = _("การประกาศในราชกิจจานุเบกษา")
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="gazette_notice_has_title"),
        ]

    def __str__(self) -> str:
        return self.title


DEFAULT_RULES = (
    "ผู้ประสงค์จะตรวจดูข้อมูลข่าวสาร ติดต่อเจ้าหน้าที่ศูนย์ข้อมูลข่าวสารในวันและเวลาราชการ "
    "แจ้งข้อมูลข่าวสารที่ต้องการตรวจดูหรือยื่นคำขอเป็นหนังสือ\n"
    "ข้อมูลข่าวสารตามมาตรา ๙ ตรวจดูได้ที่ศูนย์ข้อมูลข่าวสารและที่หน้านี้โดยไม่ต้องมีส่วนได้เสีย\n"
    "การขอสำเนาหรือสำเนาที่มีคำรับรองถูกต้อง เสียค่าธรรมเนียมตามที่หน่วยงานกำหนด "
    "โดยคำนึงถึงการช่วยเหลือผู้มีรายได้น้อย"
)

DEFAULT_STEPS = (
    "เจ้าของข้อมูลข่าวสารยื่นบันทึกข้อความขออนุญาตเผยแพร่ข้อมูลบนเว็บไซต์พร้อมไฟล์ผ่านระบบ\n"
    "ผู้อำนวยการกลุ่ม/หน่วย หรือนิติกร พิจารณาขั้นแรก\n"
    "รองผู้อำนวยการที่กำกับดูแลให้ความเห็น\n"
    "ผู้อำนวยการพิจารณาอนุญาตหรือไม่อนุญาต\n"
    "ผู้มีหน้าที่เผยแพร่ข้อมูลตรวจสอบความถูกต้อง ข้อมูลส่วนบุคคล และเผยแพร่บนเว็บไซต์\n"
    "ผู้อำนวยการกลุ่ม/หน่วยกำกับติดตาม และรายงานผลการเผยแพร่ทุกสิ้นไตรมาส"
)

DEFAULT_DUTIES = (
    "รับบันทึกข้อความขออนุญาตเผยแพร่ที่ผู้อำนวยการอนุญาตแล้ว ตรวจสอบความถูกต้องและข้อมูลส่วนบุคคล\n"
    "เผยแพร่ข้อมูลข่าวสารบนเว็บไซต์ของหน่วยงานและปรับปรุงให้เป็นปัจจุบัน\n"
    "จัดข้อมูลข่าวสารตามมาตรา ๗ และมาตรา ๙ ไว้ในศูนย์ข้อมูลข่าวสารอิเล็กทรอนิกส์\n"
    "รายงานผลการเผยแพร่ข้อมูลต่อผู้บังคับบัญชา"
)


class InformationCentre(models.Model):
    """The office's information centre and its two founding documents. A single row.

    The announcement of the publication measures and the order appointing the people
    responsible (seed 003 §3.1 steps 1–2) are generated from these fields; until the issue date
    is filled in they print as drafts that only staff may download.
    """

    name = models.CharField(_("ชื่อศูนย์"), max_length=255, default="ศูนย์ข้อมูลข่าวสารอิเล็กทรอนิกส์")
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("เจ้าหน้าที่ประจำศูนย์"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    location = models.TextField(_("สถานที่ตั้งศูนย์"), blank=True)
    phone = models.CharField(_("โทรศัพท์"), max_length=100, blank=True)
    email = models.EmailField(_("อีเมล"), blank=True)
    hours = models.CharField(
        _("วันและเวลาให้บริการ"),
        max_length=255,
        default="วันจันทร์ถึงวันศุกร์ เวลา 08.30–16.30 น. เว้นวันหยุดราชการ",
    )
    rules = models.TextField(
        _("หลักเกณฑ์การตรวจดูและขอสำเนา"),
        default=DEFAULT_RULES,
        help_text=_("บรรทัดละหนึ่งข้อ"),
    )
    # The announcement ประกาศมาตรการเผยแพร่ข้อมูลต่อสาธารณะ
    steps = models.TextField(
        _("ขั้นตอนการเผยแพร่ข้อมูล (ในประกาศ)"), default=DEFAULT_STEPS, help_text=_("บรรทัดละหนึ่งขั้นตอน")
    )
    announcement_date = models.DateField(_("ประกาศ ณ วันที่"), null=True, blank=True)
    # The order คำสั่งแต่งตั้งผู้รับผิดชอบการเผยแพร่ข้อมูล
    order_number = models.CharField(
        _("เลขที่คำสั่ง"), max_length=50, blank=True, help_text=_("เช่น 123/2569")
    )
    order_date = models.DateField(_("สั่ง ณ วันที่"), null=True, blank=True)
    duties = models.TextField(
        _("หน้าที่ของผู้ได้รับแต่งตั้ง (ในคำสั่ง)"), default=DEFAULT_DUTIES, help_text=_("บรรทัดละหนึ่งข้อ")
    )
    signer_name = models.CharField(
        _("ชื่อผู้ลงนาม"), max_length=255, blank=True, help_text=_("เช่น นายสมชาย ใจดี")
    )
    signer_position = models.CharField(
        _("ตำแหน่งผู้ลงนาม"),
        max_length=255,
        blank=True,
        help_text=_("ว่างไว้: ใช้ตำแหน่งผู้อำนวยการจากข้อมูลหน่วยงาน"),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("ศูนย์ข้อมูลข่าวสาร")
        verbose_name_plural = _("ศูนย์ข้อมูลข่าวสาร")

    def __str__(self) -> str:
        return self.name

    @classmethod
    def current(cls) -> InformationCentre:
        """The centre's settings; an unsaved row with the defaults before the admin saves one."""
        return cls.objects.select_related("officer").order_by("pk").first() or cls()

    def rule_lines(self) -> list[str]:
        return _lines(self.rules)

    def step_lines(self) -> list[str]:
        return _lines(self.steps)

    def duty_lines(self) -> list[str]:
        return _lines(self.duties)


class Appointee(models.Model):
    """A person the order appoints to publish information, with the task the order gives them."""

    centre = models.ForeignKey(
        InformationCentre, on_delete=models.CASCADE, related_name="appointees"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ผู้ใช้"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("ว่างไว้ได้ ถ้ากรอกชื่อและตำแหน่งเอง"),
    )
    name = models.CharField(_("ชื่อ"), max_length=255, blank=True)
    position = models.CharField(_("ตำแหน่ง"), max_length=255, blank=True)
    duty = models.CharField(_("หน้าที่"), max_length=255, default="ผู้รับผิดชอบการเผยแพร่ข้อมูลบนเว็บไซต์")
    order = models.PositiveIntegerField(_("ลำดับ"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("ผู้ได้รับแต่งตั้ง")
        verbose_name_plural = _("ผู้ได้รับแต่งตั้ง")
        constraints = [
            models.CheckConstraint(
                condition=~Q(name="") | Q(user__isnull=False), name="appointee_named"
            )
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.name or (self.user.full_name if self.user else "")

    @property
    def display_position(self) -> str:
        return self.position or (self.user.position_title if self.user else "")


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]
