"""The office that runs the installation, its units and its people.

One installation serves one office: :class:`Office` is a single row that the admin edits, holding
the wording and numbers that appear on every memo and public page.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser, Group
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from esa_publish import text_limits
from esa_publish.office import roles
from esa_publish.text_limits import limit
from esa_publish.thai.dates import SHORT, format_date_for_language


class Office(models.Model):
    """The office's profile. A single row: the installation's identity on memos and pages."""

    name_th = models.CharField(_("ชื่อหน่วยงาน (ไทย)"), max_length=255)
    name_en = models.CharField(_("ชื่อหน่วยงาน (อังกฤษ)"), max_length=255, blank=True)
    short_name = models.CharField(_("ชื่อย่อ"), max_length=100, help_text=_("เช่น สพป.ฉะเชิงเทรา เขต ๑"))
    doc_prefix = models.CharField(
        _("เลขที่หนังสือ (รหัสส่วนราชการ)"),
        max_length=50,
        help_text=_("เช่น ศธ ๐๔๐๓๒ ใช้นำหน้าเลขที่บันทึกข้อความ"),
    )
    address = models.TextField(_("ที่อยู่"), blank=True, validators=limit(text_limits.ADDRESS))
    phone = models.CharField(_("โทรศัพท์"), max_length=100, blank=True)
    email = models.EmailField(_("อีเมล"), blank=True)
    website = models.URLField(_("เว็บไซต์"), blank=True)
    emblem = models.ImageField(
        _("ตราสัญลักษณ์/โลโก้"),
        upload_to="office/",
        blank=True,
        help_text=_("ภาพตราครุฑหรือโลโก้สำหรับบันทึกข้อความ (PNG หรือ JPEG)"),
    )
    director_title = models.CharField(
        _("ตำแหน่งผู้อำนวยการ (ใช้ในช่อง เรียน)"),
        max_length=255,
        blank=True,
        help_text=_("เช่น ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษาประถมศึกษาฉะเชิงเทรา เขต ๑"),
    )
    memo_is_public = models.BooleanField(
        _("เผยแพร่บันทึกข้อความอนุญาตพร้อมรายการ"),
        default=True,
        help_text=_("แนบบันทึกข้อความที่อนุมัติแล้วเป็นหลักฐานในหน้ารายการสาธารณะ"),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("ข้อมูลหน่วยงาน")
        verbose_name_plural = _("ข้อมูลหน่วยงาน")

    def __str__(self) -> str:
        return self.short_name or self.name_th

    @classmethod
    def current(cls) -> Office:
        """The installation's office; an unsaved placeholder before the admin fills it in."""
        office = cls.objects.order_by("pk").first()
        return office or cls(name_th="สำนักงานเขตพื้นที่การศึกษา", short_name="สพท.", doc_prefix="ศธ")

    @property
    def addressee(self) -> str:
        return self.director_title or f"ผู้อำนวยการ{self.name_th}"


class Unit(models.Model):
    """A group or unit (กลุ่ม/หน่วย) of the office.

    ``director`` gives the first review of requests filed from the unit; ``deputy`` is the deputy
    director who oversees it (blank: requests go straight from the first review to the director).
    """

    name = models.CharField(_("ชื่อกลุ่ม/หน่วย"), max_length=255, unique=True)
    short_name = models.CharField(_("ชื่อย่อ"), max_length=100, blank=True)
    phone = models.CharField(_("โทรศัพท์"), max_length=100, blank=True)
    director = models.ForeignKey(
        "office.User",
        verbose_name=_("ผู้อำนวยการกลุ่ม/หน่วย"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="directed_units",
    )
    deputy = models.ForeignKey(
        "office.User",
        verbose_name=_("รองผู้อำนวยการที่กำกับดูแล"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="overseen_units",
    )
    order = models.PositiveIntegerField(_("ลำดับ"), default=0)
    is_active = models.BooleanField(_("ใช้งานอยู่"), default=True)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("กลุ่ม/หน่วย")
        verbose_name_plural = _("กลุ่ม/หน่วย")

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A member of staff. Citizens never have accounts.

    The position title (ตำแหน่ง) and name prefix are printed on memos; decisions snapshot them,
    so later changes here do not rewrite history.
    """

    name_prefix = models.CharField(
        _("คำนำหน้าชื่อ"), max_length=50, blank=True, help_text=_("เช่น นาย นาง นางสาว ดร.")
    )
    position_title = models.CharField(_("ตำแหน่ง"), max_length=255, blank=True)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("กลุ่ม/หน่วย"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
    )
    phone = models.CharField(
        _("โทรศัพท์"),
        max_length=50,
        blank=True,
        validators=[
            RegexValidator(r"^[0-9๐-๙ +\-,()]*$", _("กรอกได้เฉพาะตัวเลขและเครื่องหมาย + - ( ) ,"))
        ],
    )

    class Meta:
        verbose_name = _("ผู้ใช้")
        verbose_name_plural = _("ผู้ใช้")

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def full_name(self) -> str:
        """Name as printed on a memo, e.g. "นายเอกวัฒน์ ล้อสุนิรันดร์" (no space after the prefix)."""
        name = " ".join(part for part in (self.first_name, self.last_name) if part)
        return f"{self.name_prefix}{name}" if name else ""

    def role_names(self) -> set[str]:
        """The role groups this user belongs to (cached per instance)."""
        if not hasattr(self, "_role_cache"):
            self._role_cache = set(
                self.groups.filter(name__in=roles.ALL).values_list("name", flat=True)
            )
        return self._role_cache

    def has_role(self, role: str) -> bool:
        return self.is_active and role in self.role_names()


class PermissionGroup(Group):
    """Django's permission group, under a name of its own in the admin.

    The office's roles are kept as these groups (``roles``); in Thai, Django calls them "กลุ่ม",
    the word people use for the office's units (กลุ่ม/หน่วย), so the admin shows them as
    "กลุ่มสิทธิ์ (บทบาท)" instead.
    """

    class Meta:
        proxy = True
        verbose_name = _("กลุ่มสิทธิ์ (บทบาท)")
        verbose_name_plural = _("กลุ่มสิทธิ์ (บทบาท)")

    def __str__(self) -> str:
        return str(roles.LABELS.get(self.name, self.name))


class Holiday(models.Model):
    """A public or office holiday: not a working day when counting time frames."""

    date = models.DateField(_("วันที่"), unique=True)
    name = models.CharField(_("ชื่อวันหยุด"), max_length=255)

    class Meta:
        ordering = ["date"]
        verbose_name = _("วันหยุด")
        verbose_name_plural = _("วันหยุด")
        constraints = [models.CheckConstraint(condition=~Q(name=""), name="holiday_has_name")]

    def __str__(self) -> str:
        return f"{format_date_for_language(self.date, SHORT)} {self.name}"
