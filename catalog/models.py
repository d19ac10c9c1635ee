"""The information categories an office publishes under, and the ITA items they serve.

Both are data an administrator edits: offices differ in their categories, and the NACC changes
the ITA open-information list between fiscal years.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from esa_publish import text_limits
from esa_publish.text_limits import limit


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
    description = models.TextField(
        _("คำอธิบาย"), blank=True, validators=limit(text_limits.DESCRIPTION)
    )
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


class ITAListQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(confirmed_at__isnull=False)


class ITAList(models.Model):
    """The ITA open-information list of one fiscal year as a whole: where it comes from and whether
    the office has confirmed it.

    Only a confirmed list is shown to the public as the year's list. A year without one, or with a
    list nobody has confirmed (a shipped list still "to be checked", a copy of last year's), says
    on the public page that the list is not yet announced, so no O-number is ever presented as
    official for a year it was not confirmed for.
    """

    class Verification(models.TextChoices):
        VERIFIED = "verified", _("ตรวจสอบกับประกาศแล้ว")
        TO_CHECK = "to_check", _("ยังต้องตรวจสอบ")

    fiscal_year = models.PositiveIntegerField(_("ปีงบประมาณ (พ.ศ.)"), unique=True)
    source = models.TextField(_("ที่มาของรายการ"), blank=True)
    verification = models.CharField(
        _("สถานะการตรวจสอบ"),
        max_length=10,
        choices=Verification.choices,
        default=Verification.TO_CHECK,
    )
    notes = models.TextField(_("หมายเหตุ"), blank=True, help_text=_("เช่น แหล่งที่มาที่ขัดกัน"))
    confirmed_at = models.DateTimeField(_("ยืนยันเมื่อ"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ยืนยันโดย"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    confirmed_by_name = models.CharField(_("ชื่อผู้ยืนยัน"), max_length=255, blank=True)

    objects = ITAListQuerySet.as_manager()

    class Meta:
        ordering = ["-fiscal_year"]
        verbose_name = _("รายการ ITA ประจำปี")
        verbose_name_plural = _("รายการ ITA ประจำปี")
        constraints = [
            models.CheckConstraint(condition=Q(fiscal_year__gte=2500), name="ita_list_year_be")
        ]

    def __str__(self) -> str:
        return f"ITA {self.fiscal_year}"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None


class ITAItemQuerySet(models.QuerySet):
    def for_year(self, fiscal_year: int):
        return self.filter(fiscal_year=fiscal_year).order_by("order", "code")

    def confirmed(self):
        """Items of years whose list the office has confirmed."""
        years = ITAList.objects.confirmed().values("fiscal_year")
        return self.filter(fiscal_year__in=years)

    def for_data_year(self, data_year: int):
        """Items that data of fiscal year ``data_year`` can answer: that year's own items, and the
        next year's items that are answered from the previous year's data (annual reports)."""
        return self.filter(
            Q(fiscal_year=data_year, data_year_offset=0)
            | Q(fiscal_year=data_year + 1, data_year_offset=-1)
        ).order_by("-fiscal_year", "order", "code")


class ITAItem(models.Model):
    """One open-information item (OIT, "O1", "O2", …) of the ITA for one fiscal year (B.E.).

    Codes are renumbered from year to year (O10 was the PDPA policy in 2566 and E-Service in
    2569), so anything that refers to an item refers to this row, never to its code.
    ``needs_check`` marks an item nobody has yet compared with the NACC's list for this year.
    """

    class Parts(models.TextChoices):
        WHOLE = "", _("ทั้งปี")
        MONTHLY = "monthly", _("รายเดือน (ต.ค.–ก.ย.)")
        QUARTERLY = "quarterly", _("รายไตรมาส")
        FIRST_HALF = "first_half", _("รอบ ๖ เดือน (ต.ค.–มี.ค.)")

    fiscal_year = models.PositiveIntegerField(_("ปีงบประมาณ (พ.ศ.)"))
    code = models.CharField(_("รหัส"), max_length=10, help_text=_("เช่น O1"))
    order = models.PositiveIntegerField(_("ลำดับ"), default=0)
    name = models.CharField(_("ชื่อข้อ"), max_length=255)
    group = models.CharField(
        _("ตัวชี้วัด"), max_length=255, blank=True, help_text=_("เช่น 9.1 ข้อมูลพื้นฐาน")
    )
    description = models.TextField(
        _("สิ่งที่ใช้เป็นหลักฐาน"),
        blank=True,
        help_text=_("องค์ประกอบของข้อมูลตามคู่มือการประเมิน"),
        validators=limit(text_limits.DESCRIPTION),
    )
    data_year_offset = models.SmallIntegerField(
        _("ปีของข้อมูล"),
        default=0,
        choices=[(0, _("ปีงบประมาณเดียวกัน")), (-1, _("ปีงบประมาณก่อนหน้า (เช่น รายงานประจำปี)"))],
    )
    parts = models.CharField(
        _("แบ่งเป็นช่วง"), max_length=12, choices=Parts.choices, default="", blank=True
    )
    needs_check = models.BooleanField(
        _("ยังต้องตรวจสอบ"), default=False, help_text=_("ยังไม่ได้เทียบกับประกาศของปีนี้")
    )
    source_note = models.TextField(_("หมายเหตุที่มา"), blank=True)

    objects = ITAItemQuerySet.as_manager()

    class Meta:
        ordering = ["-fiscal_year", "order", "code"]
        verbose_name = _("ข้อ ITA (OIT)")
        verbose_name_plural = _("ข้อ ITA (OIT)")
        constraints = [
            models.UniqueConstraint(fields=["fiscal_year", "code"], name="ita_item_unique_code"),
            models.CheckConstraint(condition=Q(fiscal_year__gte=2500), name="ita_item_year_be"),
            models.CheckConstraint(
                condition=Q(data_year_offset__in=[0, -1]), name="ita_item_data_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name} ({self.fiscal_year})"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("catalog:ita_item", args=[self.fiscal_year, self.code])

    @property
    def data_year(self) -> int:
        """The fiscal year whose published items answer this item."""
        return self.fiscal_year + self.data_year_offset


class ITANilStatement(models.Model):
    """The office's explicit "none" for an ITA item or one part of it (no complaints this year, no
    procurement in November), which counts as the item's evidence.

    It is shown on the public page of the item with its date; the webmaster who recorded it and
    their name at the time are kept.
    """

    ita_item = models.ForeignKey(
        ITAItem, on_delete=models.CASCADE, related_name="nil_statements", verbose_name=_("ข้อ ITA")
    )
    part = models.PositiveSmallIntegerField(
        _("ช่วง"), null=True, blank=True, help_text=_("เดือนที่ 1–12 (ต.ค.–ก.ย.) หรือไตรมาส; ว่าง = ทั้งข้อ")
    )
    text = models.TextField(_("ข้อความชี้แจง"))
    stated_on = models.DateField(_("วันที่"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_by_name = models.CharField(max_length=255, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["ita_item", "part", "stated_on"]
        verbose_name = _("คำชี้แจงว่าไม่มีข้อมูล")
        verbose_name_plural = _("คำชี้แจงว่าไม่มีข้อมูล")
        constraints = [models.CheckConstraint(condition=~Q(text=""), name="ita_nil_has_text")]

    def __str__(self) -> str:
        return f"{self.ita_item.code}: {self.text[:40]}"


class ITAPartCoverage(models.Model):
    """Which part (month, quarter, half-year) of an ITA item a published item covers.

    A monthly procurement summary is published in the month after the one it reports, so the
    part cannot be read from the publication date: the webmaster says it.
    """

    ita_item = models.ForeignKey(ITAItem, on_delete=models.CASCADE, related_name="coverages")
    catalog_item = models.ForeignKey(
        "catalog.CatalogItem", on_delete=models.CASCADE, related_name="ita_coverages"
    )
    part = models.PositiveSmallIntegerField(_("ช่วง"))

    class Meta:
        ordering = ["ita_item", "part"]
        verbose_name = _("ช่วงที่รายการครอบคลุม")
        verbose_name_plural = _("ช่วงที่รายการครอบคลุม")
        constraints = [
            models.UniqueConstraint(
                fields=["ita_item", "catalog_item", "part"], name="ita_coverage_once"
            ),
            models.CheckConstraint(condition=Q(part__gte=1, part__lte=12), name="ita_part_range"),
        ]

    def __str__(self) -> str:
        return f"{self.ita_item.code} part {self.part}: {self.catalog_item_id}"


# --- the public catalog ---------------------------------------------------------------------


class CatalogItemQuerySet(models.QuerySet):
    def live(self, now=None):
        """Items the public may see now: published, not withdrawn."""
        from django.utils import timezone

        return self.filter(published_at__lte=now or timezone.now(), withdrawn_at__isnull=True)


class CatalogItem(models.Model):
    """A published item as citizens see it: its own record, copied from the request at
    publication, so internal comments, history and unpublished files never reach it.

    Its address ``/catalog/<id>/<slug>/`` is stable for years (ITA evidence lists it); the id
    decides, a wrong or old slug redirects. When taken down it keeps its row and answers 410 with
    the date and reason.
    """

    request = models.OneToOneField(
        "requests.PublicationRequest",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="catalog_item",
    )
    title = models.CharField(_("ชื่อเรื่อง"), max_length=255)
    slug = models.SlugField(_("ชื่อในที่อยู่เว็บ"), max_length=120, allow_unicode=True)
    summary = models.TextField(_("สรุปสาระสำคัญ"), blank=True, validators=limit(text_limits.SUMMARY))
    category = models.ForeignKey(
        Category, verbose_name=_("หมวดหมู่"), on_delete=models.PROTECT, related_name="items"
    )
    ita_items = models.ManyToManyField(
        ITAItem, verbose_name=_("ข้อ ITA"), blank=True, related_name="catalog_items"
    )
    fiscal_year = models.PositiveIntegerField(_("ปีงบประมาณ (พ.ศ.)"), db_index=True)
    unit = models.ForeignKey(
        "office.Unit",
        verbose_name=_("กลุ่ม/หน่วย"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="catalog_items",
    )
    unit_name = models.CharField(_("กลุ่ม/หน่วย"), max_length=255, blank=True)
    published_at = models.DateTimeField(_("เผยแพร่เมื่อ"), db_index=True)
    withdrawn_at = models.DateTimeField(_("ถอดออกเมื่อ"), null=True, blank=True)
    withdrawal_reason = models.TextField(
        _("เหตุผลที่ถอดออก"), blank=True, validators=limit(text_limits.COMMENT)
    )
    replaced_by = models.ForeignKey(
        "self",
        verbose_name=_("ฉบับแก้ไข"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replaces",
    )
    memo_file = models.FileField(_("บันทึกข้อความอนุญาต"), max_length=255, blank=True)
    memo_sha256 = models.CharField(max_length=64, blank=True)
    memo_is_public = models.BooleanField(_("เผยแพร่บันทึกข้อความ"), default=True)
    file_kinds = models.JSONField(_("ชนิดไฟล์"), default=list, blank=True)
    imported_key = models.CharField(
        _("รหัสนำเข้า"), max_length=64, blank=True, help_text=_("ใช้กันนำเข้าซ้ำ")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CatalogItemQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("รายการที่เผยแพร่")
        verbose_name_plural = _("รายการที่เผยแพร่")
        indexes = [
            models.Index(fields=["category", "-published_at"], name="item_category_latest"),
            models.Index(fields=["fiscal_year", "category"], name="item_year_category"),
            models.Index(fields=["unit", "-published_at"], name="item_unit_latest"),
            # Public pages only ever read live items. These two let the home page's counts per
            # category and the filtered lists come from the index alone instead of every item
            # row (100,000 items: 1 s to 80 ms on PostgreSQL, 7 times less CPU on SQLite; see
            # docs/BENCHMARKS.md).
            # withdrawn_at, always NULL here, is a column too: SQLite counts an index as
            # covering only if it holds every column the query names, the partial condition's
            # included, and otherwise read each item row to group a category by year and unit.
            models.Index(
                fields=["category", "-published_at", "fiscal_year", "unit", "withdrawn_at"],
                condition=Q(withdrawn_at__isnull=True),
                name="item_live_category",
            ),
            models.Index(
                fields=["-published_at"],
                condition=Q(withdrawn_at__isnull=True),
                name="item_live_latest",
            ),
            # The quarterly report counts items taken down in a period: few rows, no full scan.
            models.Index(
                fields=["withdrawn_at"],
                condition=Q(withdrawn_at__isnull=False),
                name="item_withdrawn",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["imported_key"], condition=~Q(imported_key=""), name="item_import_once"
            ),
            models.CheckConstraint(condition=~Q(title=""), name="item_has_title"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from catalog.links import item_url

        return item_url(self.pk, self.slug)

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    @property
    def kind_labels(self) -> list:
        """The item's file kinds by the names visitors know them ("ภาพกิจกรรม", not "photo")."""
        from catalog.selectors import KIND_LABELS

        return [KIND_LABELS.get(kind, kind.upper()) for kind in self.file_kinds]


class CatalogFile(models.Model):
    """A file that went public with an item (the webmaster chose it)."""

    item = models.ForeignKey(CatalogItem, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(max_length=255)
    original_name = models.CharField(max_length=255)
    kind = models.CharField(max_length=10)
    content_type = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("ไฟล์ที่เผยแพร่")
        verbose_name_plural = _("ไฟล์ที่เผยแพร่")

    def __str__(self) -> str:
        return self.original_name


class CatalogPhoto(models.Model):
    """A photo of a published item's gallery."""

    item = models.ForeignKey(CatalogItem, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(max_length=255, width_field="width", height_field="height")
    thumbnail = models.ImageField(max_length=255)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    caption = models.CharField(max_length=500, blank=True)
    order = models.PositiveIntegerField(default=0)
    is_cover = models.BooleanField(default=False)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("ภาพที่เผยแพร่")
        verbose_name_plural = _("ภาพที่เผยแพร่")
        constraints = [
            models.UniqueConstraint(
                fields=["item"], condition=Q(is_cover=True), name="catalog_photo_one_cover"
            )
        ]

    def __str__(self) -> str:
        return self.caption or f"photo {self.pk}"


class DailyStat(models.Model):
    """Views and downloads of an item on one day. Counts only: no address, no cookie, nothing
    that identifies a visitor (PDPA); obvious bots are not counted."""

    item = models.ForeignKey(CatalogItem, on_delete=models.CASCADE, related_name="daily_stats")
    day = models.DateField()
    views = models.PositiveIntegerField(default=0)
    downloads = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("สถิติรายวัน")
        verbose_name_plural = _("สถิติรายวัน")
        constraints = [
            models.UniqueConstraint(fields=["item", "day"], name="daily_stat_once_per_day")
        ]
        # The report sums a period's days; without this it walked every item's counts.
        indexes = [models.Index(fields=["day", "item"], name="daily_stat_day")]

    def __str__(self) -> str:
        return f"{self.item_id} {self.day}: {self.views}/{self.downloads}"


class PublishPlan(models.Model):
    """What the webmaster decided to publish for an approved request, and when.

    Saved before publishing so a scheduled publication (``manage.py publish_scheduled``) uses
    exactly what the webmaster checked; the personal-data findings and the confirmation to publish
    anyway are kept with it and copied into the publish decision.
    """

    request = models.OneToOneField(
        "requests.PublicationRequest", on_delete=models.CASCADE, related_name="publish_plan"
    )
    webmaster = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("ชื่อเรื่องที่แสดงต่อสาธารณะ"), max_length=255)
    summary = models.TextField(_("สรุปสาระสำคัญ"), blank=True, validators=limit(text_limits.SUMMARY))
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="+")
    ita_items = models.ManyToManyField(ITAItem, blank=True, related_name="+")
    fiscal_year = models.PositiveIntegerField(_("ปีงบประมาณ (พ.ศ.)"))
    attachment_ids = models.JSONField(default=list, blank=True)
    photo_ids = models.JSONField(default=list, blank=True)
    publish_at = models.DateTimeField(_("เผยแพร่เมื่อ"), null=True, blank=True)
    pdpa_findings = models.JSONField(default=list, blank=True)
    pdpa_confirmed = models.BooleanField(default=False)
    # When the webmaster last saved (checked) the plan. Publishing refuses a plan confirmed before
    # the request's latest approval: what was checked then is not what was approved now.
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # The webmaster's answers about the photo set (catalog.publishing.PHOTO_FLAGS), e.g.
    # {"identifiable": true, "minors": false, "consent": true}; copied into the publish decision.
    photo_flags = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("แผนการเผยแพร่")
        verbose_name_plural = _("แผนการเผยแพร่")

    def __str__(self) -> str:
        return self.title


# --- search ----------------------------------------------------------------------------------


class CatalogSearchEntry(models.Model):
    """An item's words as the search index sees them: Thai text already cut into words.

    Neither SQLite nor PostgreSQL can find the word boundaries in Thai, so ``catalog.search``
    segments the title, summary and photo captions once, here, and the database indexes the
    space-separated result: on SQLite an FTS5 table kept in step with this table by triggers, on
    PostgreSQL a generated ``tsvector`` column with a GIN index. Both are created by migrations
    0003 and 0004 for the database in use only, which is why neither appears as a field. An
    entry older than its item's ``updated_at``, or made by an older ``version`` of the rules, is
    re-done by ``manage.py index_items``.
    """

    item = models.OneToOneField(
        CatalogItem, on_delete=models.CASCADE, primary_key=True, related_name="search_entry"
    )
    title = models.TextField(blank=True)
    summary = models.TextField(blank=True)
    captions = models.TextField(blank=True)
    # What the filters ask about, as index tokens ("c:12 y:2569 u:3 k:pdf k:photo"), so that
    # the full-text index narrows by category, year, unit and file kind itself instead of the
    # database joining every match to the item, file and photo tables. Normalized text never
    # holds ":", so no typed word can match one.
    facets = models.TextField(blank=True)
    # The item's publication time, copied so that PostgreSQL finds the newest live matches
    # without joining every match to the item table (10–20 ms for a few thousand matches).
    # Entries of taken-down items are removed, so "has an entry, published by now" is "live";
    # the search page still loads the items it shows through the live-items queryset.
    published_at = models.DateTimeField(null=True)
    version = models.PositiveSmallIntegerField(default=0)
    indexed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("ดัชนีค้นหา")
        verbose_name_plural = _("ดัชนีค้นหา")

    def __str__(self) -> str:
        return f"search entry of item {self.item_id}"


class PageVersion(models.Model):
    """The public page cache's version, for caches that live inside each server process.

    With the in-process memory cache every gunicorn worker has its own copy of the cached pages,
    so a version kept in that cache would go up only in the worker that took an item down, and
    the others would go on listing it until their copies expired. Kept here, in one row every
    process reads, a takedown reaches every worker's next request. (A shared cache such as Redis
    keeps the version itself; see :mod:`catalog.cache`.) Row 1 is the catalog's version, row 2
    the setup's (categories, units, the office), which publications leave alone.
    """

    value = models.PositiveBigIntegerField(default=1)

    class Meta:
        verbose_name = _("รุ่นของหน้าที่เก็บไว้")
        verbose_name_plural = _("รุ่นของหน้าที่เก็บไว้")

    def __str__(self) -> str:
        return str(self.value)


# --- the Official Information Act centre (catalog/oia/) -------------------------------------

from catalog.oia.models import (  # noqa: E402, F401
    Appointee,
    GazetteNotice,
    InformationCentre,
    OIAHeading,
)
