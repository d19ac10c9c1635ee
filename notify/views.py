"""A person's notification settings: how often each channel speaks, and their LINE link."""

from __future__ import annotations

import datetime as dt

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from notify.forms import PreferencesForm
from notify.linking import add_friend_url, line_unlink, link_code_create
from notify.models import LineAccount, LineChannel, LinkCode, Preference, code_digest

SESSION_CODE = "notify_link_code"


def _shown_code(request) -> dict | None:
    """The code made by this session, while it lasts (only its HMAC is in the database)."""
    saved = request.session.get(SESSION_CODE)
    if not saved:
        return None
    expires_at = dt.datetime.fromisoformat(saved["expires_at"])
    still_valid = LinkCode.objects.filter(
        user=request.user, digest=code_digest(saved["code"]), expires_at__gt=timezone.now()
    ).exists()
    if expires_at < timezone.now() or not still_valid:  # expired, or used to link
        request.session.pop(SESSION_CODE, None)
        return None
    url = add_friend_url(saved["code"])
    return {
        "code": saved["code"],
        "expires_at": expires_at,
        "url": url,
        "qr": segno.make(url or saved["code"], error="m").svg_data_uri(scale=5, border=2),
    }


@login_required
def settings_page(request):
    user = request.user
    current = Preference.frequencies([user])
    if request.method == "POST":
        form = PreferencesForm(request.POST)
        if form.is_valid():
            for field, channel in PreferencesForm.CHANNELS.items():
                Preference.objects.update_or_create(
                    user=user, channel=channel, defaults={"frequency": form.cleaned_data[field]}
                )
            messages.success(request, _("บันทึกการรับแจ้งเตือนแล้ว"))
            return redirect("notify:settings")
    else:
        form = PreferencesForm(
            initial={f: current[(user.pk, ch)] for f, ch in PreferencesForm.CHANNELS.items()}
        )
    channel = LineChannel.current()
    return render(
        request,
        "notify/settings.html",
        {
            "form": form,
            "line_account": LineAccount.objects.filter(user=user).first(),
            "line_ready": bool(channel.token and channel.secret),
            "basic_id": channel.basic_id,
            "code": _shown_code(request),
        },
    )


@login_required
@require_POST
def line_code(request):
    code, expires_at = link_code_create(user=request.user)
    request.session[SESSION_CODE] = {"code": code, "expires_at": expires_at.isoformat()}
    return redirect("notify:settings")


@login_required
@require_POST
def line_unlink_view(request):
    if line_unlink(user=request.user):
        messages.success(request, _("ยกเลิกการเชื่อมบัญชี LINE แล้ว"))
    return redirect("notify:settings")
