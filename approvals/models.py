"""What happened to a request and who may act for whom.

:class:`Decision` is the workflow's history: one row per transition (the requester's submit and
withdraw included), never changed or deleted (``esa_publish.append_only``). The requester's edits
of a draft, which move nothing, are ``requests.models.RequestEvent``. The memo PDF and the request
page are drawn from both.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from esa_publish import text_limits
from esa_publish.append_only import AppendOnlyModel
from esa_publish.text_limits import limit
from requests.models import FirstReviewer
from requests.states import State


class Capacity(models.TextChoices):
    """How someone acts in another's place, as printed under the signature."""

    ON_BEHALF = "on_behalf", _("ปฏิบัติราชการแทน")
    ACTING = "acting", _("รักษาราชการแทน")


class Verdict(models.TextChoices):
    ALLOW = "allow", _("อนุญาต/เห็นชอบ")
    DENY = "deny", _("ไม่อนุญาต/ไม่เห็นชอบ")
    RETURN = "return", pgettext_lazy("verdict", "ส่งกลับแก้ไข")
    NONE = "", _("—")


class Decision(AppendOnlyModel):
    """One action on a request: who did it, for whom, in which role, from which state to which,
    with what verdict and comment.

    Names and positions are copied at the time, because the memo must print who signed then,
    not who holds the account now. Rows are never updated or deleted.
    """

    request = models.ForeignKey(
        "requests.PublicationRequest", on_delete=models.PROTECT, related_name="decisions"
    )
    action = models.CharField(_("การดำเนินการ"), max_length=40)
    role = models.CharField(_("บทบาท"), max_length=30)
    from_state = models.CharField(_("จากสถานะ"), max_length=20, choices=State.choices)
    to_state = models.CharField(_("เป็นสถานะ"), max_length=20, choices=State.choices)
    verdict = models.CharField(_("ผล"), max_length=10, choices=Verdict.choices, blank=True)
    comment = models.TextField(_("ความเห็น"), blank=True, validators=limit(text_limits.COMMENT))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ผู้ดำเนินการ"),
        on_delete=models.PROTECT,
        related_name="decisions_made",
    )
    actor_name = models.CharField(max_length=255)
    actor_position = models.CharField(max_length=255, blank=True)
    on_behalf_of = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("แทน"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decisions_delegated",
    )
    principal_name = models.CharField(max_length=255, blank=True)
    principal_position = models.CharField(max_length=255, blank=True)
    capacity = models.CharField(_("ฐานะ"), max_length=20, choices=Capacity.choices, blank=True)
    note = models.CharField(_("หมายเหตุระบบ"), max_length=255, blank=True)
    details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(_("เมื่อ"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("บันทึกการพิจารณา")
        verbose_name_plural = _("บันทึกการพิจารณา")
        constraints = [
            models.CheckConstraint(
                condition=Q(on_behalf_of__isnull=True, capacity="")
                | (Q(on_behalf_of__isnull=False) & ~Q(capacity="")),
                name="decision_delegation_has_capacity",
            ),
            models.CheckConstraint(
                condition=~Q(on_behalf_of=F("actor")), name="decision_not_on_behalf_of_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.request_id} {self.action} {self.actor_name}"

    @property
    def capacity_line(self) -> str:
        """E.g. "ปฏิบัติราชการแทน ผู้อำนวยการ…" for the memo; empty when acting in one's own name."""
        if not self.capacity:
            return ""
        return f"{self.get_capacity_display()} {self.principal_position}".strip()


class DelegationQuerySet(models.QuerySet):
    def in_force(self, day):
        return self.filter(starts_on__lte=day, ends_on__gte=day, is_cancelled=False)


class Delegation(models.Model):
    """Someone acts for another person for a period (ปฏิบัติราชการแทน / รักษาราชการแทน).

    While in force the delegate sees the principal's pending work and decides in the principal's
    place; decisions so taken name both people and the capacity.
    """

    principal = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ผู้มอบหมาย"),
        on_delete=models.PROTECT,
        related_name="delegations_given",
    )
    delegate = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ผู้ได้รับมอบหมาย"),
        on_delete=models.PROTECT,
        related_name="delegations_received",
    )
    capacity = models.CharField(_("ฐานะ"), max_length=20, choices=Capacity.choices)
    starts_on = models.DateField(_("ตั้งแต่วันที่"))
    ends_on = models.DateField(_("ถึงวันที่"))
    reference = models.CharField(
        _("อ้างอิงคำสั่ง"), max_length=255, blank=True, help_text=_("เช่น คำสั่งที่ ๑๐๓/๒๕๖๖")
    )
    is_cancelled = models.BooleanField(_("ยกเลิกแล้ว"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = DelegationQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on"]
        verbose_name = _("การมอบหมายปฏิบัติราชการแทน")
        verbose_name_plural = _("การมอบหมายปฏิบัติราชการแทน")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="delegation_dates_in_order"
            ),
            models.CheckConstraint(
                condition=~Q(principal=F("delegate")), name="delegation_not_to_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.delegate} {self.get_capacity_display()} {self.principal}"

    def clean(self):
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("วันสิ้นสุดต้องไม่ก่อนวันเริ่มต้น")})
        if self.principal_id and self.principal_id == self.delegate_id:
            raise ValidationError({"delegate": _("มอบหมายให้ตนเองไม่ได้")})


class ReviewRoute(models.Model):
    """Who gives the first review of a category's requests: the group director, a legal officer
    or both (seed 000 §2.1: both agree before the deputy; either may send it back). The row
    without a category is the office default; without any row, categories that need a legal
    ruling go to a legal officer and the others to the group director."""

    category = models.ForeignKey(
        "catalog.Category",
        verbose_name=_("หมวดหมู่ข้อมูล"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("เว้นว่างไว้เพื่อกำหนดค่าเริ่มต้นของสำนักงาน"),
    )
    route = models.CharField(_("ผู้พิจารณาขั้นแรก"), max_length=20, choices=FirstReviewer.choices)

    class Meta:
        verbose_name = _("เส้นทางการพิจารณาขั้นแรก")
        verbose_name_plural = _("เส้นทางการพิจารณาขั้นแรก")
        constraints = [
            models.UniqueConstraint(
                Coalesce("category", Value(0)), name="review_route_once_per_category"
            )
        ]

    def __str__(self) -> str:
        return f"{self.category_id or '*'}: {self.route}"


class Claim(models.Model):
    """Someone who may hold a step says they are on it ("กำลังพิจารณาโดย …"), so the others who
    could hold it (legal officers, webmasters, delegates) see who has it. It counts only while the
    request stays in the step it was claimed in; it may be released or handed on to another
    holder. It does not stop the others from acting."""

    request = models.OneToOneField(
        "requests.PublicationRequest", on_delete=models.CASCADE, related_name="claim"
    )
    state = models.CharField(_("ขั้นตอน"), max_length=20, choices=State.choices)
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ผู้รับเรื่อง"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    claimed_at = models.DateTimeField(_("รับเรื่องเมื่อ"), auto_now=True)

    class Meta:
        verbose_name = _("การรับเรื่องไว้พิจารณา")
        verbose_name_plural = _("การรับเรื่องไว้พิจารณา")

    def __str__(self) -> str:
        return f"{self.request_id} {self.state} {self.holder_id}"


class TimeFrame(models.Model):
    """How many working days a step may take (Licensing Facilitation Act B.E. 2558)."""

    state = models.CharField(_("ขั้นตอน"), max_length=20, choices=State.choices, unique=True)
    working_days = models.PositiveSmallIntegerField(_("จำนวนวันทำการ"))

    class Meta:
        ordering = ["state"]
        verbose_name = _("ระยะเวลาพิจารณา")
        verbose_name_plural = _("ระยะเวลาพิจารณา")

    def __str__(self) -> str:
        return f"{self.get_state_display()}: {self.working_days}"


class Reminder(models.Model):
    """A reminder e-mail sent about overdue work; at most one per person per request per day."""

    request = models.ForeignKey(
        "requests.PublicationRequest", on_delete=models.CASCADE, related_name="reminders"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    sent_on = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["request", "recipient", "sent_on"], name="reminder_once_a_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.request_id} → {self.recipient_id} {self.sent_on}"


# --- quarterly reports ---------------------------------------------------------------------


class ReportPeriod(models.TextChoices):
    """The periods a monitoring report covers: a quarter, a half or the whole fiscal year.

    Seed 003 §4 asks for a report at the end of every quarter; the half year is the period of the
    ITA's six-month reports (Oct–Mar), the whole year that of the annual ones.
    """

    Q1 = "q1", _("ไตรมาสที่ ๑ (ตุลาคม–ธันวาคม)")
    Q2 = "q2", _("ไตรมาสที่ ๒ (มกราคม–มีนาคม)")
    Q3 = "q3", _("ไตรมาสที่ ๓ (เมษายน–มิถุนายน)")
    Q4 = "q4", _("ไตรมาสที่ ๔ (กรกฎาคม–กันยายน)")
    H1 = "h1", _("ครึ่งปีแรก (ตุลาคม–มีนาคม)")
    H2 = "h2", _("ครึ่งปีหลัง (เมษายน–กันยายน)")
    YEAR = "year", _("ทั้งปีงบประมาณ")


class QuarterlyReport(models.Model):
    """The office's monitoring report on publishing for one period of a fiscal year.

    Created on first use. Once the office director acknowledges it (รับทราบ) it is frozen: the
    figures and the units' narratives are copied into ``snapshot`` and the report is drawn from
    that copy, so a request decided or an item taken down later cannot change a report the
    director has signed. Reopening clears the acknowledgment; both are recorded as
    :class:`ReportEvent` rows.
    """

    fiscal_year = models.PositiveIntegerField(_("ปีงบประมาณ (พ.ศ.)"))
    period = models.CharField(_("รอบรายงาน"), max_length=4, choices=ReportPeriod.choices)
    acknowledged_at = models.DateTimeField(_("รับทราบเมื่อ"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ผู้รับทราบ"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # Who signs, as printed under the signature at the time (people move and are renamed).
    signer_name = models.CharField(max_length=255, blank=True)
    signer_position = models.CharField(max_length=255, blank=True)
    capacity = models.CharField(_("ฐานะ"), max_length=20, choices=Capacity.choices, blank=True)
    principal_position = models.CharField(max_length=255, blank=True)
    snapshot = models.JSONField(_("ข้อมูล ณ วันที่รับทราบ"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-fiscal_year", "period"]
        verbose_name = _("รายงานการกำกับติดตามการเผยแพร่ข้อมูล")
        verbose_name_plural = _("รายงานการกำกับติดตามการเผยแพร่ข้อมูล")
        constraints = [
            models.UniqueConstraint(fields=["fiscal_year", "period"], name="report_once_a_period"),
            models.CheckConstraint(condition=Q(fiscal_year__gte=2500), name="report_year_be"),
            models.CheckConstraint(
                condition=Q(acknowledged_at__isnull=True, snapshot__isnull=True)
                | Q(acknowledged_at__isnull=False, snapshot__isnull=False),
                name="report_frozen_has_snapshot",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.fiscal_year} {self.period}"

    @property
    def is_frozen(self) -> bool:
        return self.acknowledged_at is not None

    @property
    def capacity_line(self) -> str:
        if not self.capacity:
            return ""
        return f"{self.get_capacity_display()} {self.principal_position}".strip()


class UnitNarrative(models.Model):
    """What a group director reports about their unit for the period (seed 003 §4): outcomes or
    benefits of publishing, problems and obstacles, suggestions.

    Written by the unit's director (or whoever stands in for them) and editable until the office
    director acknowledges the report. Every submission is also kept, text included, as a
    :class:`ReportEvent`, so the latest text here never hides what was first sent.
    """

    report = models.ForeignKey(QuarterlyReport, on_delete=models.PROTECT, related_name="narratives")
    unit = models.ForeignKey(
        "office.Unit", verbose_name=_("กลุ่ม/หน่วย"), on_delete=models.PROTECT, related_name="+"
    )
    outcomes = models.TextField(
        _("ผลลัพธ์ การรับรู้ หรือประโยชน์ที่เกิดจากการเผยแพร่ข้อมูล"),
        blank=True,
        validators=limit(text_limits.REPORT_TEXT),
    )
    problems = models.TextField(
        _("ปัญหาอุปสรรค"), blank=True, validators=limit(text_limits.REPORT_TEXT)
    )
    suggestions = models.TextField(
        _("ข้อเสนอแนะในการปรับปรุงการเผยแพร่ข้อมูล"),
        blank=True,
        validators=limit(text_limits.REPORT_TEXT),
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ผู้รายงาน"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_name = models.CharField(max_length=255, blank=True)
    submitted_position = models.CharField(max_length=255, blank=True)
    capacity = models.CharField(_("ฐานะ"), max_length=20, choices=Capacity.choices, blank=True)
    principal_name = models.CharField(max_length=255, blank=True)
    submitted_at = models.DateTimeField(_("รายงานเมื่อ"))

    class Meta:
        ordering = ["unit__order", "unit__name"]
        verbose_name = _("รายงานของกลุ่ม/หน่วย")
        verbose_name_plural = _("รายงานของกลุ่ม/หน่วย")
        constraints = [
            models.UniqueConstraint(fields=["report", "unit"], name="narrative_once_per_unit")
        ]

    def __str__(self) -> str:
        return f"{self.report} {self.unit_id}"


class ReportEventKind(models.TextChoices):
    SUBMITTED = "submitted", _("ส่งรายงานของกลุ่ม/หน่วย")
    ACKNOWLEDGED = "acknowledged", _("ผู้อำนวยการรับทราบรายงาน")
    REOPENED = "reopened", _("เปิดรายงานให้แก้ไขอีกครั้ง")


class ReportEvent(AppendOnlyModel):
    """One thing that happened to a report: a unit's narrative sent, the report acknowledged or
    reopened. Append-only, like :class:`Decision`: reopening a signed report is exactly what an
    auditor asks about, so who did it, when and why must outlive any later edit.
    """

    report = models.ForeignKey(QuarterlyReport, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(_("เหตุการณ์"), max_length=20, choices=ReportEventKind.choices)
    unit = models.ForeignKey(
        "office.Unit",
        verbose_name=_("กลุ่ม/หน่วย"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ผู้ดำเนินการ"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_name = models.CharField(max_length=255)
    on_behalf_of = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("แทน"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    principal_name = models.CharField(max_length=255, blank=True)
    capacity = models.CharField(_("ฐานะ"), max_length=20, choices=Capacity.choices, blank=True)
    reason = models.TextField(_("เหตุผล"), blank=True, validators=limit(text_limits.REPORT_REASON))
    details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(_("เมื่อ"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("ประวัติรายงาน")
        verbose_name_plural = _("ประวัติรายงาน")
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="reopened") | ~Q(reason=""), name="report_reopen_has_reason"
            ),
            models.CheckConstraint(
                condition=Q(on_behalf_of__isnull=True, capacity="")
                | (Q(on_behalf_of__isnull=False) & ~Q(capacity="")),
                name="report_event_delegation_has_capacity",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report} {self.kind} {self.actor_name}"
