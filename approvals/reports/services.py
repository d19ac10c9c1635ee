"""The writes of the quarterly report: a unit's narrative, the acknowledgment, the reopening.

Each locks the report row, checks what the user may do (``approvals.reports.access``) and the
report's state, writes, and appends a :class:`~approvals.models.ReportEvent`. The views only turn
the errors below into messages.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from approvals.errors import NotAllowed, WorkflowError
from approvals.models import QuarterlyReport, ReportEvent, ReportEventKind, UnitNarrative
from approvals.principals import Principal
from approvals.reports import figures
from approvals.reports.access import access_for
from approvals.reports.periods import Period
from esa_publish.office.models import Unit

FROZEN = _("ผู้อำนวยการรับทราบรายงานรอบนี้แล้ว จึงแก้ไขไม่ได้ หากจำเป็นต้องแก้ไข ขอให้ผู้อำนวยการเปิดรายงานอีกครั้ง")
NOT_FROZEN = _("รายงานรอบนี้ยังไม่ได้รับทราบ จึงไม่มีสิ่งที่ต้องเปิดอีกครั้ง")
NOT_YOUR_UNIT = _("ท่านรายงานได้เฉพาะกลุ่ม/หน่วยที่ท่านเป็นผู้อำนวยการ หรือได้รับมอบหมายให้ปฏิบัติราชการแทน")
NOT_DIRECTOR = _("เฉพาะผู้อำนวยการสำนักงานเขตพื้นที่การศึกษา หรือผู้ปฏิบัติราชการแทน ที่รับทราบหรือเปิดรายงานได้")
PERIOD_NOT_OVER = _("ยังไม่สิ้นสุดรอบรายงานนี้ จึงยังรับทราบไม่ได้")
REASON_REQUIRED = _("กรุณาระบุเหตุผลที่ต้องเปิดรายงานอีกครั้ง")
EMPTY_NARRATIVE = _("กรุณากรอกอย่างน้อยหนึ่งหัวข้อ")


class ReportError(WorkflowError):
    """The report cannot be changed that way now (frozen, not yet acknowledged, …)."""


def report_for(period: Period, *, lock: bool = False) -> QuarterlyReport:
    """The period's report row, created on first use."""
    report, _created = QuarterlyReport.objects.get_or_create(
        fiscal_year=period.fiscal_year, period=period.code
    )
    if lock:
        report = QuarterlyReport.objects.select_for_update().get(pk=report.pk)
    return report


def _event(report, kind, user, principal: Principal, *, unit=None, reason="", details=None):
    person = principal.user
    return ReportEvent.objects.create(
        report=report,
        kind=kind,
        unit=unit,
        actor=user,
        actor_name=user.full_name or user.get_username(),
        on_behalf_of=None if principal.is_self else person,
        principal_name="" if principal.is_self else (person.full_name or person.get_username()),
        capacity=principal.capacity,
        reason=reason,
        details=details or {},
    )


def narrative_submit(
    *, period: Period, unit: Unit, user, outcomes: str, problems: str, suggestions: str
) -> UnitNarrative:
    """Save the unit's narrative for the period and record the submission (text included)."""
    principal = access_for(user).narrator_for(unit.pk)
    if principal is None:
        raise NotAllowed(NOT_YOUR_UNIT)
    texts = {
        "outcomes": (outcomes or "").strip(),
        "problems": (problems or "").strip(),
        "suggestions": (suggestions or "").strip(),
    }
    if not any(texts.values()):
        raise ReportError(EMPTY_NARRATIVE, field="outcomes")
    with transaction.atomic():
        report = report_for(period, lock=True)
        if report.is_frozen:
            raise ReportError(FROZEN)
        person = principal.user
        narrative, _created = UnitNarrative.objects.update_or_create(
            report=report,
            unit=unit,
            defaults={
                **texts,
                "submitted_by": user,
                "submitted_name": user.full_name or user.get_username(),
                "submitted_position": user.position_title,
                "capacity": principal.capacity,
                "principal_name": "" if principal.is_self else person.full_name,
                "submitted_at": timezone.now(),
            },
        )
        _event(report, ReportEventKind.SUBMITTED, user, principal, unit=unit, details=texts)
    return narrative


def narratives_json(report: QuarterlyReport) -> list[dict]:
    """The units' narratives as plain values, in unit order (also what the snapshot keeps)."""
    return [
        {
            "unit_id": n.unit_id,
            "unit_name": n.unit.name,
            "outcomes": n.outcomes,
            "problems": n.problems,
            "suggestions": n.suggestions,
            "submitted_name": n.submitted_name,
            "submitted_position": n.submitted_position,
            "capacity": n.get_capacity_display() if n.capacity else "",
            "principal_name": n.principal_name,
            "submitted_at": n.submitted_at.isoformat(),
        }
        for n in report.narratives.select_related("unit").order_by("unit__order", "unit__name")
    ]


def report_acknowledge(*, period: Period, user) -> QuarterlyReport:
    """The director acknowledges the report: figures and narratives are frozen as they are now."""
    principal = access_for(user).director
    if principal is None:
        raise NotAllowed(NOT_DIRECTOR)
    if not period.is_over():
        raise ReportError(PERIOD_NOT_OVER)
    with transaction.atomic():
        report = report_for(period, lock=True)
        if report.is_frozen:
            raise ReportError(FROZEN)
        person = principal.user
        report.snapshot = {
            "figures": figures.compute(period).to_json(),
            "narratives": narratives_json(report),
        }
        report.acknowledged_at = timezone.now()
        report.acknowledged_by = user
        report.signer_name = user.full_name or user.get_username()
        report.signer_position = user.position_title
        report.capacity = principal.capacity
        report.principal_position = "" if principal.is_self else person.position_title
        report.save()
        _event(report, ReportEventKind.ACKNOWLEDGED, user, principal)
    return report


def report_reopen(*, period: Period, user, reason: str) -> QuarterlyReport:
    """Undo the acknowledgment so narratives can be corrected; the reason is kept for good."""
    principal = access_for(user).director
    if principal is None:
        raise NotAllowed(NOT_DIRECTOR)
    reason = (reason or "").strip()
    if not reason:
        raise ReportError(REASON_REQUIRED, field="reason")
    with transaction.atomic():
        report = report_for(period, lock=True)
        if not report.is_frozen:
            raise ReportError(NOT_FROZEN)
        _event(
            report,
            ReportEventKind.REOPENED,
            user,
            principal,
            reason=reason,
            details={"acknowledged_at": report.acknowledged_at.isoformat()},
        )
        report.snapshot = None
        report.acknowledged_at = None
        report.acknowledged_by = None
        report.signer_name = report.signer_position = ""
        report.capacity = report.principal_position = ""
        report.save()
    return report
