"""Reviewers' pages: the work waiting for them, the action buttons' target, their delegations.

The views only turn the workflow's domain errors into pages and messages; what may happen is
decided by ``approvals.permissions`` and done by ``approvals.services``.
"""

from __future__ import annotations

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

from approvals import errors
from approvals.actions import ACTIONS
from approvals.forms import ActForm
from approvals.models import Capacity, Delegation
from approvals.permissions import available_actions
from approvals.principals import principals_for
from approvals.selectors import pending_requests, visible_requests
from approvals.services import SERVICES
from approvals.steps import HOLDER_FIELDS
from esa_publish.templatetags.thai import be_date_short, thai_digits
from requests.states import State

PAGE_SIZE = 50
#: Where the comment typed beside the request page's publish button waits for the plan page.
PUBLISH_COMMENT_KEY = "publish_comment:%s"


class _RowLabels:
    """What every row of the pending page shares, worked out once per page: the state names
    (get_state_display() translates on each call) and the request address (one reverse(), the
    addresses differ only by the id). With 50 rows, per-row work is most of the page's time."""

    PK = 987654321

    def __init__(self) -> None:
        self.states = {value: str(label) for value, label in State.choices}
        self.url = reverse("requests:detail", args=[self.PK])
        self.capacities = {value: str(label) for value, label in Capacity.choices}

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
        "overdue": req.overdue,
        "doc_number": thai_digits(req.doc_number) if req.doc_number else "—",
        "title": req.publish_title,
        "url": labels.url_for(req.pk),
        "urgent": req.urgency == "urgent",
        "requester": requester.full_name or requester.get_username(),
        "unit": req.unit.name,
        "state": req.state,
        "state_label": labels.states.get(req.state, req.state),
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
    rows = [
        _pending_row(req, available_actions(user, req, principals=principals), today, labels)
        for req in page.object_list
    ]
    return render(request, "approvals/pending.html", {"page": page, "rows": rows})


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
