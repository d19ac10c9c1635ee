"""The information categories an office publishes under, and the ITA items they serve.

Both are data an administrator edits: offices differ in their categories, and the NACC changes
the ITA open-information list between fiscal years.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class CategoryQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class Category(models.Model):
    """An information category of the office's announcement (e.g. ๑.๓ แผนปฏิบัติการประจำปี).

    Categories are retired, never deleted, so that published items keep their category.
    """

    code = models.CharField(_("ข้อ"), max_length=20, blank=True, help_text=_("เช่น 1.3"))
    name = models.CharField(_("ชื่อหมวดหมู่"), max_length=255)
    slug = models.SlugField(_("ชื่อในที่อยู่เว็บ"), max_length=80, unique=True, allow_unicode=True)
    description = models.TextField(_("คำอธิบาย"), blank=True)
    order = models.PositiveIntegerField(_("ลำดับ"), default=0)
    is_active = models.BooleanField(
        _("ใช้งานอยู่"), default=True, help_text=_("เลิกใช้แทนการลบ เพื่อให้รายการเดิมยังอยู่ในหมวดเดิม")
    )
    needs_legal_review = models.BooleanField(
        _("ต้องผ่านนิติกร"),
        default=False,
        help_text=_("คำขอในหมวดนี้ให้นิติกรพิจารณาขั้นแรก เช่น กฎหมาย ระเบียบ การจัดซื้อจัดจ้าง"),
    )
    ita_items = models.ManyToManyField(
        "catalog.ITAItem",
        verbose_name=_("ข้อ ITA ที่เกี่ยวข้อง"),
        blank=True,
        related_name="categories",
    )

    objects = CategoryQuerySet.as_manager()

    class Meta:
        ordering = ["order", "code", "name"]
        verbose_name = _("หมวดหมู่ข้อมูล")
        verbose_name_plural = _("หมวดหมู่ข้อมูล")
        constraints = [models.CheckConstraint(condition=~Q(name=""), name="category_has_name")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}".strip()


class ITAItemQuerySet(models.QuerySet):
    def for_year(self, fiscal_year: int):
        return self.filter(fiscal_year=fiscal_year).order_by("order", "code")


class ITAItem(models.Model):
    """One open-information item (OIT, "O1", "O2", …) of the ITA for one fiscal year (B.E.).

    ``needs_check`` marks a list copied forward from an earlier year that nobody has yet compared
    with the NACC's published list for this year.
    """

    fiscal_year = models.PositiveIntegerField(_("ปีงบประมาณ (พ.ศ.)"))
    code = models.CharField(_("รหัส"), max_length=10, help_text=_("เช่น O1"))
    order = models.PositiveIntegerField(_("ลำดับ"), default=0)
    name = models.CharField(_("ชื่อข้อ"), max_length=255)
    description = models.TextField(_("คำอธิบาย"), blank=True)
    needs_check = models.BooleanField(
        _("ยังต้องตรวจสอบ"), default=False, help_text=_("คัดลอกจากปีก่อน ยังไม่ได้เทียบกับประกาศของปีนี้")
    )

    objects = ITAItemQuerySet.as_manager()

    class Meta:
        ordering = ["-fiscal_year", "order", "code"]
        verbose_name = _("ข้อ ITA (OIT)")
        verbose_name_plural = _("ข้อ ITA (OIT)")
        constraints = [
            models.UniqueConstraint(fields=["fiscal_year", "code"], name="ita_item_unique_code"),
            models.CheckConstraint(condition=Q(fiscal_year__gte=2500), name="ita_item_year_be"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name} ({self.fiscal_year})"
