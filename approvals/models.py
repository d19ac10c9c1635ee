"""What happened to a request and who may act for whom.

:class:`Decision` is the append-only history: one row per action, never changed or deleted. The
memo PDF and the request page are drawn from it.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from requests.states import State


class Capacity(models.TextChoices):
    """How someone acts in another's place, as printed under the signature."""

    ON_BEHALF = "on_behalf", _("ปฏิบัติราชการแทน")
    ACTING = "acting", _("รักษาราชการแทน")


class Verdict(models.TextChoices):
    ALLOW = "allow", _("อนุญาต/เห็นชอบ")
    DENY = "deny", _("ไม่อนุญาต/ไม่เห็นชอบ")
    RETURN = "return", _("ส่งกลับแก้ไข")
    NONE = "", _("—")


class DecisionQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("Decisions are append-only.")

    def delete(self):
        raise TypeError("Decisions are append-only.")


class Decision(models.Model):
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
    comment = models.TextField(_("ความเห็น"), blank=True)
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

    objects = DecisionQuerySet.as_manager()

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

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("Decisions are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("Decisions are append-only.")

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
