"""A request to publish (บันทึกข้อความ ขออนุญาตเผยแพร่ข้อมูลบนเว็บไซต์) and its files.

The request carries the one state machine of the project (django-fsm-2, protected field): only the
transition methods below change ``state``, and only the service functions in
``approvals.services`` call them, inside a transaction with the row locked.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from esa_publish import text_limits
from esa_publish.append_only import AppendOnlyModel
from esa_publish.text_limits import limit
from requests.states import WITHDRAWABLE, State


class FileFormat(models.TextChoices):
    PDF = "pdf", "PDF"
    JPG = "jpg", "JPG"
    WORD = "word", "Word"
    EXCEL = "excel", "Excel"


# What the memo's "รูปแบบไฟล์" says for each kind of stored file (``requests.uploads.kinds``).
FORMAT_OF_KIND = {
    "pdf": FileFormat.PDF,
    "jpeg": FileFormat.JPG,
    "png": FileFormat.JPG,
    "docx": FileFormat.WORD,
    "xlsx": FileFormat.EXCEL,
}


class Channel(models.TextChoices):
    EMAIL = "email", _("e-mail")
    AMSS = "amss", _("ระบบ AMSS++")
    OTHER = "other", _("อื่น ๆ")


class Urgency(models.TextChoices):
    NORMAL = "normal", _("ปกติ")
    URGENT = "urgent", _("ด่วน")


class FirstReviewer(models.TextChoices):
    GROUP_DIRECTOR = "group_director", _("ผู้อำนวยการกลุ่ม/หน่วย")
    LEGAL_OFFICER = "legal_officer", _("นิติกร")
    # Seed 000 §2.1: the legal officer's ruling and the group director, both before the deputy.
    BOTH = "both", _("ผู้อำนวยการกลุ่ม/หน่วย และนิติกร")


class PublicationRequestQuerySet(models.QuerySet):
    def with_list_data(self):
        return self.select_related("requester", "unit", "category")


class PublicationRequest(ConcurrentTransitionMixin, models.Model):
    """One request to publish information on the office website, from draft to publication.

    Fields that the memo prints about the requester (name, position, unit) are copied at each
    submission, so the memo keeps showing who asked even after people move or are renamed.
    """

    state = FSMField(_("สถานะ"), default=State.DRAFT, choices=State.choices, protected=True)

    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ผู้ขออนุญาต"),
        on_delete=models.PROTECT,
        related_name="publication_requests",
    )
    unit = models.ForeignKey(
        "office.Unit", verbose_name=_("กลุ่ม/หน่วย"), on_delete=models.PROTECT, related_name="requests"
    )
    requester_name = models.CharField(_("ชื่อผู้ขออนุญาต"), max_length=255, blank=True)
    requester_position = models.CharField(_("ตำแหน่งผู้ขออนุญาต"), max_length=255, blank=True)
    unit_name = models.CharField(_("ชื่อกลุ่ม/หน่วย"), max_length=255, blank=True)

    # ที่ ศธ ๐๔๐๓๒/๑๒๓: prefix from the office profile, running number per B.E. year.
    doc_prefix = models.CharField(_("รหัสหนังสือ"), max_length=50, blank=True)
    doc_year = models.PositiveIntegerField(_("ปีของเลขที่หนังสือ (พ.ศ.)"), null=True, blank=True)
    doc_seq = models.PositiveIntegerField(_("ลำดับเลขที่หนังสือ"), null=True, blank=True)
    memo_date = models.DateField(_("วันที่"), null=True, blank=True)
    addressee = models.CharField(_("เรียน"), max_length=255, blank=True)
    subject = models.CharField(_("เรื่อง"), max_length=255, blank=True)

    publish_title = models.CharField(_("เรื่องที่ขอเผยแพร่"), max_length=255)
    purpose = models.TextField(
        _("รายละเอียดและวัตถุประสงค์การเผยแพร่"), blank=True, validators=limit(text_limits.PURPOSE)
    )
    category = models.ForeignKey(
        "catalog.Category",
        verbose_name=_("หมวดหมู่ข้อมูล"),
        on_delete=models.PROTECT,
        related_name="requests",
    )
    ita_items = models.ManyToManyField(
        "catalog.ITAItem", verbose_name=_("ข้อ ITA ที่เกี่ยวข้อง"), blank=True, related_name="requests"
    )
    file_formats = models.JSONField(_("รูปแบบไฟล์"), default=list, blank=True)
    channel = models.CharField(
        _("ช่องทางส่งข้อมูล"), max_length=10, choices=Channel.choices, default=Channel.AMSS
    )
    channel_email = models.EmailField(_("อีเมลที่ส่งข้อมูล"), blank=True)
    channel_other = models.CharField(_("ช่องทางอื่น (ระบุ)"), max_length=255, blank=True)
    urgency = models.CharField(
        _("ความเร่งด่วน"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL
    )
    wished_publish_date = models.DateField(_("วันที่ต้องการให้เผยแพร่"), null=True, blank=True)
    public_title = models.CharField(_("ชื่อเรื่องที่แสดงต่อสาธารณะ"), max_length=255, blank=True)
    public_summary = models.TextField(
        _("สรุปสาระสำคัญที่แสดงต่อสาธารณะ"), blank=True, validators=limit(text_limits.SUMMARY)
    )

    first_reviewer = models.CharField(
        _("ผู้พิจารณาขั้นแรก"), max_length=20, choices=FirstReviewer.choices, blank=True
    )
    # With both first reviewers: which of the two has agreed in this round (cleared on filing).
    first_review_agreed = models.CharField(_("ผู้พิจารณาขั้นแรกที่เห็นชอบแล้ว"), max_length=60, blank=True)
    replaces = models.ForeignKey(
        "catalog.CatalogItem",
        verbose_name=_("แทนรายการที่เผยแพร่แล้ว"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="correction_requests",
        help_text=_("กรณีเป็นฉบับแก้ไขของรายการที่เผยแพร่ไปแล้ว"),
    )
    copied_from = models.ForeignKey(
        "self",
        verbose_name=_("คัดลอกจาก"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="copies",
    )

    created_at = models.DateTimeField(_("สร้างเมื่อ"), auto_now_add=True)
    updated_at = models.DateTimeField(_("แก้ไขล่าสุด"), auto_now=True)
    submitted_at = models.DateTimeField(_("ยื่นครั้งแรกเมื่อ"), null=True, blank=True)
    state_changed_at = models.DateTimeField(_("เข้าสู่สถานะปัจจุบันเมื่อ"), null=True, blank=True)
    due_on = models.DateField(_("กำหนดพิจารณาให้แล้วเสร็จ"), null=True, blank=True)

    objects = PublicationRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("คำขอเผยแพร่ข้อมูล")
        verbose_name_plural = _("คำขอเผยแพร่ข้อมูล")
        constraints = [
            models.UniqueConstraint(
                fields=["doc_year", "doc_seq"],
                condition=Q(doc_seq__isnull=False),
                name="request_doc_number_unique_per_year",
            ),
            models.CheckConstraint(
                condition=Q(doc_seq__isnull=True) | Q(doc_year__isnull=False),
                name="request_doc_number_has_year",
            ),
            models.CheckConstraint(condition=~Q(publish_title=""), name="request_has_title"),
        ]
        indexes = [
            models.Index(fields=["state", "unit"]),
            models.Index(fields=["requester", "state"]),
        ]

    def __str__(self) -> str:
        return self.doc_number or self.publish_title

    @property
    def doc_number(self) -> str:
        """The memo number as printed, e.g. "ศธ 04032/15" (Thai digits are applied when printed)."""
        if self.doc_seq is None:
            return ""
        return f"{self.doc_prefix}/{self.doc_seq}"

    @property
    def display_title(self) -> str:
        return self.public_title or self.publish_title

    def formats_from_files(self) -> set[str]:
        """The formats the attached files and photos are in (reads the prefetched files)."""
        kinds = {a.kind for a in self.attachments.all()}
        formats = {FORMAT_OF_KIND[kind] for kind in kinds if kind in FORMAT_OF_KIND}
        if self.photos.all():
            formats.add(FileFormat.JPG)
        return formats

    def all_file_formats(self) -> list[str]:
        """The formats of the files plus any the requester added, in the memo's order."""
        chosen = self.formats_from_files() | set(self.file_formats)
        return [value for value in FileFormat.values if value in chosen]

    # --- transitions: only approvals.services calls these -----------------------------------

    @transition(field=state, source=[State.DRAFT, State.RETURNED], target=State.SUBMITTED)
    def submit(self):
        """Filed (or re-filed after correction): waits for the first review."""

    @transition(field=state, source=State.SUBMITTED, target=State.REVIEWED)
    def pass_first_review(self):
        """The group director or legal officer agrees; the deputy gives an opinion next."""

    @transition(field=state, source=State.SUBMITTED, target=State.SUBMITTED)
    def agree_first_review(self):
        """One of two first reviewers agrees; it waits for the other (the state stays)."""

    @transition(field=state, source=State.SUBMITTED, target=State.RECOMMENDED)
    def pass_first_review_to_director(self):
        """As :meth:`pass_first_review`, for units no deputy oversees: straight to the director."""

    @transition(field=state, source=State.REVIEWED, target=State.RECOMMENDED)
    def recommend(self):
        """The deputy's opinion (เห็นควรอนุญาต or not) is recorded; the director decides next."""

    @transition(field=state, source=State.RECOMMENDED, target=State.APPROVED)
    def approve(self):
        """The director allows (อนุญาต); the webmaster publishes next."""

    @transition(field=state, source=State.RECOMMENDED, target=State.REJECTED)
    def reject(self):
        """The director does not allow (ไม่อนุญาต). Final."""

    @transition(
        field=state,
        source=[State.SUBMITTED, State.REVIEWED, State.RECOMMENDED, State.APPROVED],
        target=State.RETURNED,
    )
    def send_back(self):
        """A reviewer (or the webmaster, before publishing) asks the requester to correct it."""

    @transition(field=state, source=list(WITHDRAWABLE), target=State.WITHDRAWN)
    def withdraw(self):
        """The requester takes the request back before the director decides. Final."""

    @transition(field=state, source=State.APPROVED, target=State.PUBLISHED)
    def publish(self):
        """The webmaster certifies the data and publishes it."""

    @transition(field=state, source=State.PUBLISHED, target=State.UNPUBLISHED)
    def unpublish(self):
        """Taken down after publication, with a reason."""


class RequestEvent(AppendOnlyModel):
    """Something the requester did to their request that moves nothing: created the draft,
    changed its details. The workflow's transitions (submit, withdraw and every reviewer's
    action) are ``approvals.models.Decision``; the request page shows both, by time.

    Written only by ``requests.services``; never changed or deleted.
    """

    class Action(models.TextChoices):
        CREATE = "create", _("สร้างร่างคำขอ")
        EDIT = "edit", _("แก้ไขรายละเอียดคำขอ")

    request = models.ForeignKey(PublicationRequest, on_delete=models.PROTECT, related_name="events")
    action = models.CharField(_("การดำเนินการ"), max_length=40, choices=Action.choices)
    state = models.CharField(_("สถานะขณะนั้น"), max_length=20, choices=State.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ผู้ดำเนินการ"),
        on_delete=models.PROTECT,
        related_name="request_events",
    )
    actor_name = models.CharField(max_length=255)
    actor_position = models.CharField(max_length=255, blank=True)
    details = models.JSONField(default=dict, blank=True)
    # Not auto_now_add: rows moved here from the decisions keep the time they happened.
    created_at = models.DateTimeField(_("เมื่อ"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("การดำเนินการของผู้ขออนุญาต")
        verbose_name_plural = _("การดำเนินการของผู้ขออนุญาต")

    def __str__(self) -> str:
        return f"{self.request_id} {self.action} {self.actor_name}"


class PublicationRequestUserObjectPermission(UserObjectPermissionBase):
    """Per-request permissions granted to a person (django-guardian, direct foreign key)."""

    content_object = models.ForeignKey(PublicationRequest, on_delete=models.CASCADE)


class PublicationRequestGroupObjectPermission(GroupObjectPermissionBase):
    """Per-request permissions granted to a group (django-guardian, direct foreign key)."""

    content_object = models.ForeignKey(PublicationRequest, on_delete=models.CASCADE)


class Attachment(models.Model):
    """A file attached to a request. Stored under a generated name; the original name is kept
    only to offer it back on download."""

    request = models.ForeignKey(
        PublicationRequest, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("ไฟล์"), max_length=255)
    original_name = models.CharField(_("ชื่อไฟล์เดิม"), max_length=255)
    kind = models.CharField(_("ชนิดไฟล์"), max_length=10)
    content_type = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField(_("ขนาด (ไบต์)"))
    sha256 = models.CharField(max_length=64)
    thumbnail = models.ImageField(_("ภาพย่อ"), max_length=255, blank=True)
    is_public = models.BooleanField(_("เผยแพร่ต่อสาธารณะ"), default=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("ไฟล์แนบ")
        verbose_name_plural = _("ไฟล์แนบ")

    def __str__(self) -> str:
        return self.original_name


class Photo(models.Model):
    """One image of a photo set for activity news (seed 003 §3.2): caption, order, cover.

    The image is re-encoded without EXIF (GPS included); ``thumbnail`` is a small copy for lists
    and galleries.
    """

    request = models.ForeignKey(PublicationRequest, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("ภาพ"), max_length=255, width_field="width", height_field="height")
    thumbnail = models.ImageField(_("ภาพย่อ"), max_length=255)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    original_name = models.CharField(_("ชื่อไฟล์เดิม"), max_length=255)
    size = models.PositiveBigIntegerField(_("ขนาด (ไบต์)"))
    sha256 = models.CharField(max_length=64)
    caption = models.CharField(_("คำบรรยายภาพ"), max_length=500, blank=True)
    order = models.PositiveIntegerField(_("ลำดับ"), default=0)
    is_cover = models.BooleanField(_("ภาพปก"), default=False)
    is_public = models.BooleanField(_("เผยแพร่ต่อสาธารณะ"), default=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("ภาพกิจกรรม")
        verbose_name_plural = _("ภาพกิจกรรม")
        constraints = [
            models.UniqueConstraint(
                fields=["request"], condition=Q(is_cover=True), name="photo_one_cover_per_request"
            )
        ]

    def __str__(self) -> str:
        return self.caption or self.original_name


class DocumentCounter(models.Model):
    """The last memo number used in a B.E. year; locked while the next one is taken."""

    year = models.PositiveIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("เลขที่หนังสือล่าสุด")
        verbose_name_plural = _("เลขที่หนังสือล่าสุด")

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"
