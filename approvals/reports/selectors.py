"""Reading a report for display: live figures while it is open, the snapshot once acknowledged."""

from __future__ import annotations

from dataclasses import dataclass

from approvals.models import QuarterlyReport, ReportEvent
from approvals.reports import figures as figures_module
from approvals.reports.figures import Figures
from approvals.reports.periods import Period
from approvals.reports.services import narratives_json
from approvals.reports.tables import Table, build_tables


@dataclass
class ReportData:
    """Everything one report page, PDF or export shows."""

    period: Period
    report: QuarterlyReport
    figures: Figures
    narratives: list[dict]
    tables: list[Table]

    @property
    def frozen(self) -> bool:
        return self.report.is_frozen

    def narrative_for(self, unit_id: int) -> dict | None:
        return next((n for n in self.narratives if n["unit_id"] == unit_id), None)


def load_report(period: Period) -> ReportData:
    """The report for ``period`` without writing anything (the row is created on first save)."""
    report = QuarterlyReport.objects.filter(
        fiscal_year=period.fiscal_year, period=period.code
    ).first() or QuarterlyReport(fiscal_year=period.fiscal_year, period=period.code)
    if report.is_frozen:
        figs = Figures.from_json(report.snapshot["figures"])
        narratives = report.snapshot["narratives"]
    else:
        figs = figures_module.compute(period)
        narratives = narratives_json(report) if report.pk else []
    return ReportData(period, report, figs, narratives, build_tables(figs))


def events_for(report: QuarterlyReport) -> list[ReportEvent]:
    if report.pk is None:
        return []
    return list(report.events.select_related("unit").order_by("created_at", "pk"))
