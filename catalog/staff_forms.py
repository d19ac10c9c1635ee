"""The webmaster's forms: what goes public and when, and why an item is taken down."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalog.models import Category, ITAItem
from catalog.publishing import (
    NOTHING_CHOSEN,
    PHOTO_CONSENT_NEEDED,
    PHOTO_FLAGS,
    PHOTO_FLAGS_MISSING,
)
from esa_publish import text_limits
from esa_publish.thai.fiscal import fiscal_year as fiscal_year_of
from esa_publish.thai.forms import BEDateField

REASON_MAX_LENGTH = text_limits.COMMENT

INTENT_CHECK = "check"
INTENT_PUBLISH = "publish"
INTENT_SCHEDULE = "schedule"

YEAR_CHANGED = _("เปลี่ยนปีงบประมาณแล้ว กรุณาเลือกข้อ ITA ของปีงบประมาณ %(year)s อีกครั้ง")
SCHEDULE_NEEDS_TIME = _("กรุณาระบุวันที่และเวลาที่จะเผยแพร่")
SCHEDULE_IN_PAST = _("เวลาที่ระบุผ่านไปแล้ว กรุณาระบุเวลาในอนาคต หรือกดเผยแพร่ทันที")


YES_NO = [("yes", _("ใช่")), ("no", _("ไม่ใช่"))]


def _photo_question(label):
    """A yes/no question about the photo set; unanswered is ``None`` (required when photos go)."""
    return forms.TypedChoiceField(
        label=label,
        choices=YES_NO,
        coerce=lambda value: value == "yes",
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )


class ITAChoiceField(forms.ModelMultipleChoiceField):
    """ITA items that data of one year answers: the year is said once, next to the field; only
    the next year's items answered from this year's data (annual reports) say their year."""

    data_year: int | None = None

    def label_from_instance(self, obj) -> str:
        if self.data_year is not None and obj.fiscal_year != self.data_year:
            return f"{obj.code} {obj.name} (ITA {obj.fiscal_year})"
        return f"{obj.code} {obj.name}"


class PlanForm(forms.Form):
    """What the webmaster publishes for one approved request.

    The ITA list depends on the fiscal year; without JavaScript the page shows the list of the
    year it was drawn for (``shown_year``). When the year is changed, the choices of the old list
    are dropped and the form asks again with the new year's list rather than refusing them as
    "not one of the available choices".
    """

    title = text_limits.text_field(
        text_limits.LINE, multiline=False, required=True, label=_("ชื่อเรื่องที่แสดงต่อสาธารณะ")
    )
    summary = text_limits.text_field(text_limits.SUMMARY, label=_("สรุปสาระสำคัญ"))
    category = forms.ModelChoiceField(
        label=_("หมวดหมู่ข้อมูล"),
        queryset=Category.objects.active(),
        empty_label=_("— เลือกหมวดหมู่ —"),
    )
    fiscal_year = forms.TypedChoiceField(label=_("ปีงบประมาณ (พ.ศ.)"), coerce=int)
    shown_year = forms.IntegerField(widget=forms.HiddenInput, required=False)
    ita_items = ITAChoiceField(
        label=_("ข้อ ITA ที่เกี่ยวข้อง"),
        queryset=ITAItem.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    # Querysets are the request's own files and photos, set in __init__.
    attachments = forms.ModelMultipleChoiceField(
        label=_("ไฟล์ที่เผยแพร่"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    photos = forms.ModelMultipleChoiceField(
        label=_("ภาพที่เผยแพร่"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    publish_date = BEDateField(label=_("วันที่เผยแพร่"), required=False)
    publish_time = forms.TimeField(
        label=_("เวลา"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    pdpa_confirmed = forms.BooleanField(label=_("ข้าพเจ้าได้ตรวจสอบแล้ว ยืนยันเผยแพร่"), required=False)
    # PDPA questions about the photo set (catalog.publishing.PHOTO_FLAGS), in that order.
    photo_identifiable = _photo_question(_("ภาพเห็นหน้าบุคคลชัดเจนจนระบุตัวได้ (ไม่ใช่ภาพมุมกว้าง)"))
    photo_minors = _photo_question(_("มีภาพนักเรียนหรือผู้เยาว์"))
    photo_consent = _photo_question(_("ได้รับความยินยอมจากบุคคลในภาพหรือผู้ปกครองแล้ว"))

    def __init__(self, *args, req, plan=None, **kwargs):
        self.req = req
        self.plan = plan
        kwargs.setdefault("initial", self._initial(req, plan))
        super().__init__(*args, **kwargs)
        current = fiscal_year_of(timezone.localdate())
        years = set(ITAItem.objects.confirmed().values_list("fiscal_year", flat=True).distinct())
        years |= {current - 1, current, current + 1, self.initial["fiscal_year"]}
        self.fields["fiscal_year"].choices = [(y, str(y)) for y in sorted(years, reverse=True)]
        self.year = self._year(current)
        # Items of confirmed lists only: an O-number nobody confirmed for a year is not offered.
        self.fields["ita_items"].queryset = ITAItem.objects.confirmed().for_data_year(self.year)
        self.fields["ita_items"].data_year = self.year
        self.fields["attachments"].queryset = req.attachments.all()
        self.fields["photos"].queryset = req.photos.all()
        self.initial["shown_year"] = self.year
        self.year_changed = False
        if self.is_bound:  # request.POST, a QueryDict
            data = self.data.copy()
            shown = data.get("shown_year")
            self.year_changed = bool(shown) and str(shown) != str(self.year)
            if self.year_changed:
                data.setlist("ita_items", [])
            # The hidden year always names the list the page is about to show.
            data["shown_year"] = str(self.year)
            self.data = data

    @staticmethod
    def _initial(req, plan) -> dict:
        if plan is not None:
            return {
                "title": plan.title,
                "summary": plan.summary,
                "category": plan.category_id,
                "fiscal_year": plan.fiscal_year,
                "ita_items": list(plan.ita_items.values_list("pk", flat=True)),
                "attachments": plan.attachment_ids,
                "photos": plan.photo_ids,
                "publish_date": timezone.localtime(plan.publish_at).date()
                if plan.publish_at
                else None,
                "publish_time": timezone.localtime(plan.publish_at).time()
                if plan.publish_at
                else None,
                "pdpa_confirmed": plan.pdpa_confirmed,
                **{
                    f"photo_{name}": {True: "yes", False: "no"}.get(plan.photo_flags.get(name))
                    for name in PHOTO_FLAGS
                },
            }
        year = fiscal_year_of(timezone.localdate())
        # The requester's ITA items of the year; without any, those the administrator mapped to
        # the category for this year. The webmaster may still add or drop any.
        ita_items = list(
            req.ita_items.confirmed().filter(fiscal_year=year).values_list("pk", flat=True)
        )
        if not ita_items:
            ita_items = list(
                req.category.ita_items.confirmed().for_data_year(year).values_list("pk", flat=True)
            )
        # The requester chose the files and photos to publish (is_public); the webmaster may
        # still add or drop any.
        return {
            "title": req.public_title or req.publish_title,
            "summary": req.public_summary,
            "category": req.category_id if req.category.is_active else None,
            "fiscal_year": year,
            "ita_items": ita_items,
            "attachments": [a.pk for a in req.attachments.all() if a.is_public],
            "photos": [p.pk for p in req.photos.all() if p.is_public],
        }

    def _year(self, current: int) -> int:
        if self.is_bound:
            try:
                return int(self.data.get("fiscal_year"))
            except (TypeError, ValueError):
                return current
        return int(self.initial.get("fiscal_year") or current)

    def clean(self):
        data = super().clean()
        if self.year_changed:
            self.add_error("ita_items", YEAR_CHANGED % {"year": self.year})
        if not data.get("attachments") and not data.get("photos"):
            self.add_error(None, NOTHING_CHOSEN)
        if data.get("photos"):
            flags = self.photo_flags()
            for name in PHOTO_FLAGS:
                if flags[name] is None:
                    self.add_error(f"photo_{name}", PHOTO_FLAGS_MISSING)
            if (flags["identifiable"] or flags["minors"]) and flags["consent"] is False:
                self.add_error("photo_consent", PHOTO_CONSENT_NEEDED)
        return data

    def photo_flags(self) -> dict:
        """The answers about the photos as ``{"identifiable": bool | None, ...}``."""
        return {name: self.cleaned_data.get(f"photo_{name}") for name in PHOTO_FLAGS}

    def publish_at(self, intent: str) -> dt.datetime | None:
        """The publication time for a "schedule" click (validated), else ``None``."""
        if intent != INTENT_SCHEDULE:
            return None
        day, time = self.cleaned_data.get("publish_date"), self.cleaned_data.get("publish_time")
        if day is None or time is None:
            self.add_error("publish_date" if day is None else "publish_time", SCHEDULE_NEEDS_TIME)
            return None
        at = timezone.make_aware(dt.datetime.combine(day, time))
        if at <= timezone.now():
            self.add_error("publish_time", SCHEDULE_IN_PAST)
            return None
        return at


class TakedownForm(forms.Form):
    """Why a published item leaves the website; the public page keeps showing this reason."""

    reason = text_limits.text_field(
        REASON_MAX_LENGTH,
        rows=3,
        required=True,
        label=_("เหตุผลที่ถอดออกจากการเผยแพร่"),
        help_text=_("เหตุผลนี้จะแสดงต่อสาธารณะที่ที่อยู่เดิมของรายการ"),
    )
