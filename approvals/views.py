"""Reviewers' pages: the work waiting for them, the action buttons' target, their delegations.

The views only turn the workflow's domain errors into pages and messages; what may happen is
decided by ``approvals.permissions`` and done by ``approvals.services``.
"""

from __future__ import annotations

from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import BooleanField, Case, F, Value, When
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from approvals import errors, services, steps
from approvals.actions import ACTIONS, HISTORY_LABELS
from approvals.forms import COMMENT_MAX_LENGTH, ActForm
from approvals.models import Capacity, Claim, Decision, Delegation, Verdict
from approvals.permissions import available_actions
from approvals.principals import principals_for
from approvals.selectors import ROUND_STARTS, pending_requests, round_opinions, visible_requests
from approvals.services import BULK_STEPS, SERVICES, request_decide_many
from approvals.steps import HOLDER_FIELDS
from esa_publish.office.models import User
from esa_publish.templatetags.thai import be_date_short, thai_digits
from requests.models import PublicationRequest

PAGE_SIZE = 50
#: Where the comment typed beside the request page's publish button waits for the plan page.
PUBLISH_COMMENT_KEY = "publish_comment:%s"


class _RowLabels:
    """What every row of the pending page shares, worked out once per page: the state names
    (translated once per kind, not per row) and the request address (one reverse(), the
    addresses differ only by the id). With 50 rows, per-row work is most of the page's time."""

    PK = 987654321

    def __init__(self) -> None:
        self._statuses: dict[tuple, str] = {}
        self.url = reverse("requests:detail", args=[self.PK])
        self.capacities = {value: str(label) for value, label in Capacity.choices}

    def status(self, req) -> str:
        """The status as every page says it (approvals.steps), translated once per kind."""
        key = (req.state, req.first_reviewer, req.first_review_agreed)
        if key not in self._statuses:
            self._statuses[key] = str(steps.status_label(req))
        return self._statuses[key]

    def url_for(self, pk: int) -> str:
        return self.url.replace(str(self.PK), str(pk))


def _pending_row(req, allowed, today, labels: _RowLabels) -> dict:
    """One row of the pending page as display text: the template only places it."""
    principal = allowed[0].principal if allowed else None
    acting = ""
    if principal is not None and not principal.is_self:
        person = principal.user
        acting = f"{labels.capacities.get(principal.capacity, '')} " + (
            person.full_name or person.get_username()
        )
    changed = req.state_changed_at
    age = (today - timezone.localdate(changed)).days if changed else None
    requester = req.requester
    return {
        "pk": req.pk,
        "overdue": req.overdue,
        "doc_number": thai_digits(req.doc_number) if req.doc_number else "—",
        "title": req.publish_title,
        "url": labels.url_for(req.pk),
        "urgent": req.urgency == "urgent",
        "requester": requester.full_name or requester.get_username(),
        "unit": req.unit.name,
        "state": req.state,
        "state_label": labels.status(req),
        "acting": acting,
        "age": _("%(days)s วัน") % {"days": thai_digits(age)} if age is not None else "—",
        "due": be_date_short(req.due_on) if req.due_on else "—",
    }


@login_required
@require_safe
def pending(request):
    """งานรอพิจารณา: overdue work first, then the longest waiting."""
    user = request.user
    today = timezone.localdate()
    # Computed once and handed to every call below, so the page costs the same few queries
    # however many requests wait.
    principals = principals_for(user)
    overdue = Case(
        When(due_on__lt=today, then=Value(True)), default=Value(False), output_field=BooleanField()
    )
    requests_ = (
        pending_requests(user, principals=principals)
        .select_related("unit", "requester")
        # What the rows show and available_actions() reads; the memo's text stays behind.
        .only(
            *HOLDER_FIELDS,
            "publish_title",
            "urgency",
            "due_on",
            "state_changed_at",
            "doc_prefix",
            "doc_year",
            "doc_seq",
            "unit_id",
            "unit__name",
            "requester__username",
            "requester__first_name",
            "requester__last_name",
            "requester__name_prefix",
        )
        .annotate(overdue=overdue)
        .order_by("-overdue", F("state_changed_at").asc(nulls_last=True), "pk")
    )
    page = Paginator(requests_, PAGE_SIZE).get_page(request.GET.get("page"))
    labels = _RowLabels()
    reqs = list(page.object_list)
    opinions = _opinions([req.pk for req in reqs])
    claims = {
        (c.request_id, c.state): c.holder
        for c in Claim.objects.filter(request__in=[req.pk for req in reqs]).select_related("holder")
    }
    rows = []
    for req in reqs:
        allowed = available_actions(user, req, principals=principals)
        row = _pending_row(req, allowed, today, labels)
        # Deputies' opinions and the director's decisions may be given to several at once.
        row["bulk"] = req.state in BULK_STEPS and any(
            a.action.name.endswith(".allow") for a in allowed
        )
        row["opinions"] = opinions.get(req.pk, [])
        claimant = claims.get((req.pk, req.state))
        row["claimed_by"] = (claimant.full_name or claimant.get_username()) if claimant else ""
        rows.append(row)
    context = {"page": page, "rows": rows, "bulk": any(row["bulk"] for row in rows)}
    return render(request, "approvals/pending.html", context)


def _opinions(request_ids: list[int]) -> dict[int, list[str]]:
    """Each request's first-review verdicts and the deputy's opinion in this round, as short
    lines for the pending list (one query for the page)."""
    by_request: dict[int, list[Decision]] = defaultdict(list)
    for decision in (
        Decision.objects.filter(
            request__in=request_ids,
            action__in=[*ROUND_STARTS, "review.forward", "deputy.allow", "deputy.deny"],
        )
        .only("request_id", "action", "actor_name", "verdict", "comment", "created_at")
        .order_by("created_at", "pk")
    ):
        by_request[decision.request_id].append(decision)
    out = {}
    for request_id, decisions in by_request.items():
        lines = []
        for decision in round_opinions(decisions):
            text = f"{HISTORY_LABELS.get(decision.action, decision.action)} ({decision.actor_name})"
            if decision.comment:
                text += f": {decision.comment}"
            lines.append(text)
        out[request_id] = lines
    return out


@login_required
@require_POST
def decide_many(request):
    """One opinion or decision, with one comment, on the requests ticked on the pending page."""
    seen = {}
    for value in request.POST.getlist("requests"):
        pk, _sep, state = value.partition(":")
        if pk.isdigit() and state in BULK_STEPS:
            seen[int(pk)] = state
    verdict = request.POST.get("verdict")
    if not seen or verdict not in (Verdict.ALLOW, Verdict.DENY):
        messages.error(request, _("กรุณาเลือกคำขอและความเห็นอย่างน้อย ๑ รายการ"))
        return redirect("approvals:pending")
    # Only what this user may see: the rest is skipped like a request that moved on.
    visible = set(
        visible_requests(request.user).filter(pk__in=list(seen)).values_list("pk", flat=True)
    )
    try:
        result = request_decide_many(
            seen={pk: state for pk, state in seen.items() if pk in visible},
            user=request.user,
            verdict=verdict,
            comment=request.POST.get("comment", "")[:COMMENT_MAX_LENGTH],
        )
    except errors.Incomplete as exc:
        messages.error(request, exc.message)
        return redirect("approvals:pending")
    skipped = [(pk, why) for pk, why in result.skipped] + [
        (pk, str(errors.ALREADY_DECIDED)) for pk in seen if pk not in visible
    ]
    if result.decided:
        messages.success(
            request,
            _("ดำเนินการแล้ว %(count)s รายการ") % {"count": thai_digits(len(result.decided))},
        )
    if skipped:
        titles = dict(
            PublicationRequest.objects.filter(pk__in=[pk for pk, _why in skipped]).values_list(
                "pk", "publish_title"
            )
        )
        names = ", ".join(f"“{titles.get(pk, pk)}”" for pk, _why in skipped)
        messages.warning(
            request, _("ข้ามคำขอที่มีการเปลี่ยนแปลงหรือไม่ใช่ของท่านแล้ว: %(names)s") % {"names": names}
        )
    return redirect("approvals:pending")


@login_required
@require_POST
def act(request, pk: int):
    """One action button: take the action, then back to the request page with what happened."""
    req = get_object_or_404(visible_requests(request.user), pk=pk)
    form = ActForm(request.POST)
    if not form.is_valid():
        if set(form.errors) != {"comment"}:
            return HttpResponseBadRequest(_("คำสั่งไม่ถูกต้อง"))
        messages.error(request, form.errors["comment"][0])
        return redirect("requests:detail", pk=req.pk)
    action = ACTIONS[form.cleaned_data["action"]]
    service = SERVICES[action.name]  # the posted action's own service
    try:
        service(
            request_id=req.pk,
            user=request.user,
            comment=form.cleaned_data["comment"],
            expected_state=form.cleaned_data["expected_state"] or None,
        )
    except errors.NotAllowed as exc:
        raise PermissionDenied(str(exc.message)) from None
    except errors.AlreadyDecided as exc:
        messages.warning(request, exc.message)
    except errors.Incomplete as exc:
        if action.name == "webmaster.publish" and exc.field is None:
            # The plan is missing or incomplete: straight to this request's plan, comment kept.
            request.session[PUBLISH_COMMENT_KEY % req.pk] = form.cleaned_data["comment"]
            messages.info(
                request, _("%(problem)s แล้วจึงกด “รับรองและเผยแพร่”") % {"problem": exc.message}
            )
            return redirect(reverse("publishing:plan", args=[req.pk]))
        if exc.field == "comment":
            messages.error(
                request,
                _("%(problem)s ในช่อง “ความเห็น/เหตุผล” ก่อนกด “%(action)s”")
                % {"problem": exc.message, "action": action.label},
            )
        else:
            messages.error(request, exc.message)
    else:
        messages.success(request, _("ดำเนินการ “%(action)s” เรียบร้อยแล้ว") % {"action": action.label})
    return redirect("requests:detail", pk=req.pk)


@login_required
@require_POST
def claim(request, pk: int):
    """Take on, give back or hand on a step that several people may hold."""
    req = get_object_or_404(visible_requests(request.user), pk=pk)
    op = request.POST.get("op")
    try:
        if op == "claim":
            services.request_claim(request_id=req.pk, user=request.user)
            messages.success(request, _("รับเรื่องไว้พิจารณาแล้ว"))
        elif op == "release":
            services.request_release(request_id=req.pk, user=request.user)
            messages.success(request, _("คืนเรื่องให้ผู้มีหน้าที่พิจารณาแล้ว"))
        elif op == "hand_on":
            to = User.objects.filter(pk=request.POST.get("to") or 0).first()
            if to is None:
                return HttpResponseBadRequest(_("คำสั่งไม่ถูกต้อง"))
            services.request_hand_on(request_id=req.pk, user=request.user, to=to)
            messages.success(
                request, _("ส่งต่อให้ %(name)s แล้ว") % {"name": to.full_name or to.get_username()}
            )
        else:
            return HttpResponseBadRequest(_("คำสั่งไม่ถูกต้อง"))
    except errors.NotAllowed as exc:
        raise PermissionDenied(str(exc.message)) from None
    except (errors.AlreadyDecided, errors.Incomplete) as exc:
        messages.warning(request, exc.message)
    return redirect("requests:detail", pk=req.pk)


@login_required
@require_safe
def delegations(request):
    """Delegations to and from the user that are in force or still to come (made in the admin)."""
    today = timezone.localdate()
    current = (
        Delegation.objects.filter(is_cancelled=False, ends_on__gte=today)
        .select_related("principal", "delegate")
        .order_by("starts_on", "pk")
    )
    context = {
        "received": list(current.filter(delegate=request.user)),
        "given": list(current.filter(principal=request.user)),
        "today": today,
    }
    return render(request, "approvals/delegations.html", context)
