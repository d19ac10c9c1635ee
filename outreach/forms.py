import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from outreach.models import OutreachSettings, Share, clean_origin


class ShareForm(forms.ModelForm):
    class Meta:
        model = Share
        fields = ["channel", "url", "note", "shared_at"]
        widgets = {"shared_at": forms.DateTimeInput(attrs={"type": "datetime-local"})}
        labels = {"shared_at": _("เผยแพร่เมื่อ")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["shared_at"].initial = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
        self.fields["shared_at"].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]

    def clean_shared_at(self):
        value = self.cleaned_data["shared_at"]
        if value > timezone.now() + dt.timedelta(minutes=5):
            raise forms.ValidationError(_("บันทึกได้เฉพาะการเผยแพร่ที่เกิดขึ้นแล้ว"))
        return value


class OutreachSettingsForm(forms.ModelForm):
    class Meta:
        model = OutreachSettings
        fields = ["primary_colour", "accent_colour", "embed_origins"]
        widgets = {
            "primary_colour": forms.TextInput(attrs={"type": "color"}),
            "accent_colour": forms.TextInput(attrs={"type": "color"}),
        }

    def clean_embed_origins(self):
        lines = [line.strip() for line in self.cleaned_data["embed_origins"].splitlines()]
        bad = [line for line in lines if line and not clean_origin(line)]
        if bad:
            raise forms.ValidationError(
                _("ที่อยู่ไม่ถูกต้อง: %(lines)s (ใช้รูปแบบ https://www.example.go.th)")
                % {"lines": ", ".join(bad)}
            )
        return "\n".join(line for line in lines if line)
