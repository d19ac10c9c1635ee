"""Pages of the quarterly report and the workflow dashboard.

Each view starts from :func:`~approvals.reports.access.access_for`: a user who may not see
reports gets 404, as for any page that is none of their business. Writes go through
``approvals.reports.services``; the views turn its errors into messages.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from approvals import dashboard as dashboard_module
from approvals.errors import Incomplete, NotAllowed
from approvals.models import Capacity
from approvals.reports import charts, services
from approvals.reports.access import Access, access_for
from approvals.reports.exports import XLSX_TYPE, report_xlsx, table_csv
from approvals.reports.figures import COUNT_LABELS, COUNTS
from approvals.reports.forms import DashboardFilterForm, NarrativeForm, PeriodForm, ReopenForm
from approvals.reports.periods import QUARTERS_OF, Period
from approvals.reports.selectors import events_for, load_report
from approvals.reports.tables import SLUGS, display, row_name
from approvals.selectors import visible_requests
from catalog.models import Category
from esa_publish.office.models import Unit
from requests.services import attachments_add, request_create
from requests.uploads import UploadRejected, content_disposition

MIN_YEAR, MAX_YEAR = 2500, 2700


def _access(request) -> Access:
    access = access_for(request.user)
    if not access.can_view:
        raise Http404
    return access


def _period(year: int, code: str) -> Period:
    if not (MIN_YEAR <= year <= MAX_YEAR) or code not in QUARTERS_OF:
        raise Http404
    return Period(year, code)


def default_period(today: dt.date | None = None) -> Period:
    """The quarter that ended last: the one group directors are asked to report on now."""
    current = Period.containing(today or timezone.localdate())
    return Period.containing(current.first - dt.timedelta(days=1))


def _report_url(period: Period) -> str:
    return reverse("reports:report", args=[period.fiscal_year, period.code])


@login_required
@require_safe
def index(request):
    """รายงานรายไตรมาส: the period picked in the form, or the quarter that ended last."""
    _access(request)
    form = PeriodForm(request.GET or None)
    period = default_period()
    if form.is_bound and form.is_valid():
        period = Period(form.cleaned_data["year"], form.cleaned_data["period"])
    return redirect(_report_url(period))


def _file_name(period: Period, extension: str) -> str:
    return f"รายงานการเผยแพร่ข้อมูล-{period.code}-{period.fiscal_year}.{extension}"


@login_required
@require_safe
def report(request, year: int, period: str):
    access = _access(request)
    period = _period(year, period)
    data = load_report(period)
    figs = data.figures
    units = []
    for row in figs.units:
        unit_id = None if row.key == "unit:none" else int(row.key.split(":")[1])
        if unit_id is None:
            continue
        units.append(
            {
                "id": unit_id,
                "name": row.name,
                "narrative": data.narrative_for(unit_id),
                "editable": not data.frozen and access.narrator_for(unit_id) is not None,
            }
        )
    published = str(COUNT_LABELS["published"])
    context = {
        "access": access,
        "data": data,
        "period": period,
        "form": PeriodForm(initial={"year": period.fiscal_year, "period": period.code}),
        "tables": [
            {
                "slug": t.slug,
                "title": t.title,
                "headers": t.headers,
                "rows": [[display(v) for v in r] for r in t.rows],
                "total": [display(v) for v in t.total] if t.total else None,
            }
            for t in data.tables
        ],
        # .get: reports acknowledged before a count was added keep their snapshot as it was.
        "summary": [
            (COUNT_LABELS[name], display(figs.total.counts.get(name, 0))) for name in COUNTS
        ],
        "units": units,
        "events": events_for(data.report),
        "reopen_form": ReopenForm(),
        "period_over": period.is_over(),
        "csv_slugs": SLUGS,
        "chart_units": charts.bar_chart(
            title=_("จำนวนข้อมูลที่เผยแพร่ จำแนกตามกลุ่ม/หน่วย"),
            rows=[(r.name, r.counts["published"]) for r in figs.units],
            chart_id="chart-units",
            what=_("รายการ"),
        ),
        "chart_categories": charts.bar_chart(
            title=_("จำนวนข้อมูลที่เผยแพร่ จำแนกตามหมวดหมู่ข้อมูล"),
            rows=[(r.name, r.counts["published"]) for r in figs.categories],
            chart_id="chart-categories",
            what=_("รายการ"),
        ),
        "chart_trend": charts.trend_chart(
            title=_("แนวโน้มรายไตรมาส ปีงบประมาณ พ.ศ. %(year)s") % {"year": figs.fiscal_year},
            quarters=[display(row_name(r)) for r in figs.trend],
            series=[
                (published, [r.counts["published"] for r in figs.trend]),
                (str(COUNT_LABELS["filed"]), [r.counts["filed"] for r in figs.trend]),
                (str(COUNT_LABELS["allowed"]), [r.counts["allowed"] for r in figs.trend]),
            ],
            chart_id="chart-trend",
        ),
        "can_request_publication": data.frozen and request.user.unit_id is not None,
    }
    return render(request, "reports/report.html", context)


@login_required
@require_safe
def report_pdf(request, year: int, period: str):
    from approvals.reports.pdf import render_report_pdf

    _access(request)
    period = _period(year, period)
    response = HttpResponse(render_report_pdf(load_report(period)), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition(_file_name(period, "pdf"), inline=True)
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_safe
def report_xlsx_view(request, year: int, period: str):
    _access(request)
    period = _period(year, period)
    response = HttpResponse(report_xlsx(load_report(period)), content_type=XLSX_TYPE)
    response["Content-Disposition"] = content_disposition(_file_name(period, "xlsx"), inline=False)
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_safe
def report_csv(request, year: int, period: str, table: str):
    _access(request)
    period = _period(year, period)
    data = load_report(period)
    found = next((t for t in data.tables if t.slug == table), None)
    if found is None:
        raise Http404
    response = HttpResponse(table_csv(found), content_type="text/csv; charset=utf-8")
    name = _file_name(period, "csv").replace(".csv", f"-{table}.csv")
    response["Content-Disposition"] = content_disposition(name, inline=False)
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def narrative(request, year: int, period: str, unit_id: int):
    """A unit's narrative: its director (or their delegate) writes it; everyone else 404 here."""
    access = _access(request)
    period = _period(year, period)
    unit = get_object_or_404(Unit, pk=unit_id)
    if access.narrator_for(unit.pk) is None:
        raise Http404
    data = load_report(period)
    if data.frozen:
        messages.error(request, services.FROZEN)
        return redirect(_report_url(period))
    current = data.narrative_for(unit.pk) or {}
    form = NarrativeForm(
        request.POST or None,
        initial={k: current.get(k, "") for k in ("outcomes", "problems", "suggestions")},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.narrative_submit(
                period=period, unit=unit, user=request.user, **form.cleaned_data
            )
        except NotAllowed as exc:
            raise PermissionDenied(str(exc.message)) from None
        except services.ReportError as exc:
            form.add_error(exc.field, exc.message)
        else:
            messages.success(request, _("ส่งรายงานของ%(unit)s แล้ว") % {"unit": unit.name})
            return redirect(_report_url(period))
    principal = access.narrator_for(unit.pk)
    context = {
        "form": form,
        "unit": unit,
        "period": period,
        "acting_for": None if principal.is_self else principal,
        "capacity_label": "" if principal.is_self else Capacity(principal.capacity).label,
        "data": data,
    }
    return render(request, "reports/narrative_form.html", context)


@login_required
@require_POST
def acknowledge(request, year: int, period: str):
    access = _access(request)
    period = _period(year, period)
    if access.director is None:
        raise PermissionDenied(str(services.NOT_DIRECTOR))
    try:
        services.report_acknowledge(period=period, user=request.user)
    except services.ReportError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("รับทราบรายงานแล้ว ข้อมูลในรายงานถูกบันทึกไว้ ณ เวลานี้"))
    return redirect(_report_url(period))


@login_required
@require_POST
def reopen(request, year: int, period: str):
    access = _access(request)
    period = _period(year, period)
    if access.director is None:
        raise PermissionDenied(str(services.NOT_DIRECTOR))
    form = ReopenForm(request.POST)
    if not form.is_valid():
        messages.error(request, services.REASON_REQUIRED)
        return redirect(_report_url(period))
    try:
        services.report_reopen(period=period, user=request.user, reason=form.cleaned_data["reason"])
    except services.ReportError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("เปิดรายงานให้แก้ไขอีกครั้งแล้ว"))
    return redirect(_report_url(period))


def _report_category() -> Category | None:
    """The category a report's publication request starts in; the requester may change it.

    One that goes to the group director rather than the legal officer, first in the office's
    order: the report is the office's own news about its publishing, not a legal document.
    """
    active = Category.objects.active().order_by("order", "code", "name")
    return active.filter(needs_legal_review=False).first() or active.first()


@login_required
@require_POST
def publish_request(request, year: int, period: str):
    """ยื่นขออนุญาตเผยแพร่รายงานนี้: a draft request with the acknowledged report's PDF attached."""
    from approvals.reports.pdf import render_report_pdf

    _access(request)
    period = _period(year, period)
    data = load_report(period)
    if not data.frozen:
        messages.error(request, _("ผู้อำนวยการต้องรับทราบรายงานก่อน จึงจะยื่นขออนุญาตเผยแพร่ได้"))
        return redirect(_report_url(period))
    category = _report_category()
    if category is None:
        messages.error(request, _("ยังไม่มีหมวดหมู่ข้อมูล กรุณาติดต่อผู้ดูแลระบบ"))
        return redirect(_report_url(period))
    pdf = render_report_pdf(data)
    heading = period.heading()
    title = f"รายงานผลการเผยแพร่ข้อมูลต่อสาธารณะผ่านเว็บไซต์ {heading}"[:255]
    try:
        with transaction.atomic():
            req = request_create(
                user=request.user,
                data={
                    "publish_title": title,
                    "purpose": _(
                        "เพื่อรายงานผลการเผยแพร่ข้อมูลต่อสาธารณะผ่านเว็บไซต์ของสำนักงานให้ผู้รับบริการทราบ"
                    ),
                    "category": category,
                    "file_formats": ["pdf"],
                    "public_summary": title,
                },
            )
            attachments_add(
                req=req,
                user=request.user,
                files=[SimpleUploadedFile(_file_name(period, "pdf"), pdf, "application/pdf")],
            )
    except (Incomplete, NotAllowed) as exc:
        messages.error(request, exc.message)
        return redirect(_report_url(period))
    except UploadRejected as exc:
        messages.error(request, str(exc))
        return redirect(_report_url(period))
    messages.success(request, _("สร้างร่างคำขอเผยแพร่รายงานแล้ว กรุณาตรวจสอบรายละเอียดก่อนยื่นคำขอ"))
    return redirect("requests:edit", pk=req.pk)


@login_required
@require_safe
def dashboard(request):
    """ภาพรวมงานพิจารณา: waiting work, throughput, step times, who holds overdue work."""
    access = access_for(request.user)
    if not access.can_view_dashboard:
        raise Http404
    units = Unit.objects.order_by("order", "name")
    if access.dashboard_units is not None:
        units = units.filter(pk__in=access.dashboard_units)
    units = list(units)
    default = default_period()
    form = DashboardFilterForm(
        request.GET or None,
        units=units,
        initial={"year": default.fiscal_year, "period": default.code},
    )
    period, unit_ids = default, access.dashboard_units
    if form.is_bound and form.is_valid():
        period = Period(form.cleaned_data["year"], form.cleaned_data["period"])
        if form.cleaned_data["unit"] is not None:
            unit_ids = frozenset({form.cleaned_data["unit"]})
    elif form.is_bound:
        form = DashboardFilterForm(
            units=units, initial={"year": period.fiscal_year, "period": period.code}
        )
    board = dashboard_module.build(unit_ids=unit_ids, period=period)
    ids = [row.req.pk for row in board.waiting]
    openable = set(
        visible_requests(request.user, principals=access.principals)
        .filter(pk__in=ids)
        .values_list("pk", flat=True)
    )
    peak = max((w["count"] for w in board.throughput), default=0)
    context = {
        "form": form,
        "board": board,
        "period": period,
        "openable": openable,
        "access": access,
        "chart_throughput": charts.trend_chart(
            title=_("จำนวนคำขอที่เสร็จสิ้นรายสัปดาห์ (%(weeks)s สัปดาห์ล่าสุด)")
            % {"weeks": dashboard_module.WEEKS},
            quarters=[display(w["week"]) for w in board.throughput],
            series=[(_("เสร็จสิ้น"), [w["count"] for w in board.throughput])],
            chart_id="chart-throughput",
            group_w=60,
        )
        if peak
        else None,
    }
    return render(request, "reports/dashboard.html", context)
