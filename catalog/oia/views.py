"""The public information centre page and its two documents as PDF."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from catalog.oia import documents, selectors
from catalog.oia.models import InformationCentre
from esa_publish.office import roles
from requests.uploads import content_disposition


def can_see_drafts(user) -> bool:
    """Webmasters and administrators may download a document before it is issued."""
    return bool(user.is_authenticated and (user.is_superuser or user.has_role(roles.WEBMASTER)))


@require_safe
def centre(request):
    """The index by section of the Act, the centre's officer and contact, and its rules."""
    info = InformationCentre.current()
    staff = can_see_drafts(request.user)
    return render(
        request,
        "catalog/oia/centre.html",
        {
            "centre": info,
            "sections": selectors.centre_index(),
            "announcement_issued": info.announcement_date is not None,
            "order_issued": info.order_date is not None,
            "show_drafts": staff,
        },
    )


def _document(request, *, issued: bool, render_pdf, filename: str) -> HttpResponse:
    draft_allowed = can_see_drafts(request.user)
    if not issued and not draft_allowed:
        raise Http404
    response = HttpResponse(render_pdf(), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition(filename, inline=True)
    # A draft changes with every edit in the admin; an issued document may be kept a while.
    response["Cache-Control"] = (
        "public, max-age=3600" if issued and not draft_allowed else "private, no-store"
    )
    return response


@require_safe
def announcement_pdf(request):
    info = InformationCentre.current()
    return _document(
        request,
        issued=info.announcement_date is not None,
        render_pdf=lambda: documents.render_announcement_pdf(centre=info),
        filename="ประกาศมาตรการเผยแพร่ข้อมูล.pdf",
    )


@require_safe
def order_pdf(request):
    info = InformationCentre.current()
    return _document(
        request,
        issued=info.order_date is not None,
        render_pdf=lambda: documents.render_order_pdf(centre=info),
        filename="คำสั่งแต่งตั้งผู้รับผิดชอบการเผยแพร่ข้อมูล.pdf",
    )
