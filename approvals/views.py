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
from approvals.services import request_act
from requests.states import State

PAGE_SIZE = 50


PK_PLACEHOLDER = 987654321


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
        .select_related("unit", "category", "requester")
        .annotate(overdue=overdue)
        .order_by("-overdue", F("state_changed_at").asc(nulls_last=True), "pk")
    )
    page = Paginator(requests_, PAGE_SIZE).get_page(request.GET.get("page"))
    # Each state's name translated once, not once a row through get_state_display().
    state_labels = {value: str(label) for value, label in State.choices}
    # One reverse() for the page, not one a row: the addresses differ only by the id.
    url_pattern = reverse("requests:detail", args=[PK_PLACEHOLDER])
    rows = []
    for req in page.object_list:
        allowed = available_actions(user, req, principals=principals)
        principal = allowed[0].principal if allowed else None
        changed = req.state_changed_at
        rows.append(
            {
                "req": req,
                "state_label": state_labels.get(req.state, req.state),
                "url": url_pattern.replace(str(PK_PLACEHOLDER), str(req.pk)),
                "acting_for": principal if principal and not principal.is_self else None,
                "capacity": Capacity(principal.capacity).label
                if principal and not principal.is_self
                else "",
                "age": (today - timezone.localdate(changed)).days if changed else None,
            }
        )
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
    try:
        request_act(
            request_id=req.pk,
            user=request.user,
            action=action.name,
            comment=form.cleaned_data["comment"],
            expected_state=form.cleaned_data["expected_state"] or None,
        )
    except errors.NotAllowed as exc:
        raise PermissionDenied(str(exc.message)) from None
    except errors.AlreadyDecided as exc:
        messages.warning(request, exc.message)
    except errors.Incomplete as exc:
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
