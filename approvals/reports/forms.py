"""Forms of the report pages: period picker, unit narrative, reopening, dashboard filters."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from approvals.models import ReportPeriod
from approvals.reports.periods import fiscal_years_around
from esa_publish import text_limits
from esa_publish.thai.digits import digits_for_page


def _year_choices():
    return [(y, digits_for_page(y)) for y in fiscal_years_around(timezone.localdate())]


class PeriodForm(forms.Form):
    """ปีงบประมาณ and รอบรายงาน; submitted by GET, so a report's address can be shared."""

    year = forms.TypedChoiceField(label=_("ปีงบประมาณ (พ.ศ.)"), coerce=int, choices=_year_choices)
    period = forms.ChoiceField(label=_("รอบรายงาน"), choices=ReportPeriod.choices)


class NarrativeForm(forms.Form):
    outcomes = text_limits.text_field(
        text_limits.REPORT_TEXT,
        rows=5,
        label=_("ผลลัพธ์ การรับรู้ หรือประโยชน์ที่เกิดจากการเผยแพร่ข้อมูล"),
    )
    problems = text_limits.text_field(text_limits.REPORT_TEXT, label=_("ปัญหาอุปสรรค"))
    suggestions = text_limits.text_field(
        text_limits.REPORT_TEXT, label=_("ข้อเสนอแนะในการปรับปรุงการเผยแพร่ข้อมูล")
    )


class ReopenForm(forms.Form):
    reason = text_limits.text_field(
        text_limits.REPORT_REASON,
        rows=3,
        required=True,
        label=_("เหตุผลที่เปิดรายงานให้แก้ไขอีกครั้ง"),
    )


class DashboardFilterForm(PeriodForm):
    """The period of the step times, and one unit or all the user may see."""

    unit = forms.TypedChoiceField(label=_("กลุ่ม/หน่วย"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", _("ทุกกลุ่ม/หน่วยที่ท่านดูได้"))] + [
            (u.pk, u.name) for u in units
        ]
