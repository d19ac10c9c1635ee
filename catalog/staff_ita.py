"""The webmaster's page for one ITA item: record the office's "none" statement, and say which
published item covers which month or half-year.

Only a webmaster (in their own right or by delegation) may use it; anyone else signed in gets
403, an item that does not exist 404.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from approvals.principals import principals_for
from catalog import evidence
from catalog.models import CatalogItem, ITAItem
from catalog.services import ITAError, ita_cover_part, ita_record_nil
from esa_publish.office import roles
from esa_publish.thai.forms import BEDateField

WHOLE_ITEM = ""


def _part_choices(ita: ITAItem) -> list[tuple[str, str]]:
    return [(str(n), label) for n, label, _a, _b in evidence.part_labels(ita)]


class NilForm(forms.Form):
    part = forms.ChoiceField(label=_("ช่วง"), required=False)
    text = forms.CharField(
        label=_("ข้อความชี้แจง"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("เช่น ในปีงบประมาณนี้ไม่มีเรื่องร้องเรียนการทุจริตและประพฤติมิชอบ"),
    )
    stated_on = BEDateField(label=_("วันที่"))

    def __init__(self, *args, ita: ITAItem, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["part"].choices = [(WHOLE_ITEM, _("ทั้งข้อ"))] + _part_choices(ita)
        if not ita.parts:
            del self.fields["part"]


class CoverForm(forms.Form):
    catalog_item = forms.ModelChoiceField(
        label=_("รายการที่เผยแพร่"), queryset=CatalogItem.objects.none()
    )
    part = forms.TypedChoiceField(label=_("ช่วง"), coerce=int)

    def __init__(self, *args, ita: ITAItem, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["catalog_item"].queryset = CatalogItem.objects.live().filter(
            fiscal_year=ita.data_year
        )
        self.fields["part"].choices = _part_choices(ita)


def is_webmaster(user) -> bool:
    """Whether ``user`` holds the webmaster step, in their own right or by delegation."""
    return any(roles.WEBMASTER in p.roles for p in principals_for(user))


def _require_webmaster(user) -> None:
    if not is_webmaster(user):
        raise PermissionDenied


@login_required
@require_http_methods(["GET", "POST"])
def manage(request, fiscal_year: int, code: str):
    _require_webmaster(request.user)
    item = get_object_or_404(ITAItem, fiscal_year=fiscal_year, code=code)
    ita = evidence.for_year(fiscal_year, code=item.code)[0]
    nil_form = NilForm(prefix="nil", ita=ita, initial={"stated_on": timezone.localdate()})
    cover_form = CoverForm(prefix="cover", ita=ita) if ita.parts else None
    if request.method == "POST":
        try:
            if "nil-text" in request.POST:
                nil_form = NilForm(request.POST, prefix="nil", ita=ita)
                if nil_form.is_valid():
                    data = nil_form.cleaned_data
                    ita_record_nil(
                        ita_item=item,
                        text=data["text"],
                        stated_on=data["stated_on"],
                        part=int(data["part"]) if data.get("part") else None,
                        user=request.user,
                    )
                    messages.success(request, _("บันทึกคำชี้แจงแล้ว"))
                    return redirect("catalog:ita_manage", fiscal_year, code)
            elif cover_form is not None:
                cover_form = CoverForm(request.POST, prefix="cover", ita=ita)
                if cover_form.is_valid():
                    ita_cover_part(
                        ita_item=item,
                        catalog_item=cover_form.cleaned_data["catalog_item"],
                        part=cover_form.cleaned_data["part"],
                    )
                    messages.success(request, _("บันทึกช่วงที่รายการครอบคลุมแล้ว"))
                    return redirect("catalog:ita_manage", fiscal_year, code)
        except ITAError as error:
            messages.error(request, str(error))
    return render(
        request,
        "catalog/ita_manage.html",
        {"ita": ita, "year": fiscal_year, "nil_form": nil_form, "cover_form": cover_form},
    )
