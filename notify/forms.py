from django import forms
from django.utils.translation import gettext_lazy as _

from notify.models import Channel, Frequency, LineChannel


class PreferencesForm(forms.Form):
    """How often each channel speaks; saved as one row per channel."""

    email = forms.ChoiceField(label=_("อีเมล"), choices=Frequency.choices)
    line = forms.ChoiceField(label=_("LINE"), choices=Frequency.choices)

    CHANNELS = {"email": Channel.EMAIL, "line": Channel.LINE}


class LineChannelForm(forms.ModelForm):
    """The admin's form: secret and token are write-only (blank keeps the stored value)."""

    channel_secret = forms.CharField(
        label=_("Channel secret"),
        required=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=_("เว้นว่างไว้เพื่อใช้ค่าเดิม ระบบไม่แสดงค่าที่บันทึกไว้"),
    )
    access_token = forms.CharField(
        label=_("Channel access token"),
        required=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=_("เว้นว่างไว้เพื่อใช้ค่าเดิม ระบบไม่แสดงค่าที่บันทึกไว้"),
    )
    clear_credentials = forms.BooleanField(label=_("ลบ secret และ token ที่บันทึกไว้"), required=False)

    class Meta:
        model = LineChannel
        fields = ["basic_id", "channel_secret", "access_token"]

    def clean(self):
        data = super().clean()
        for name in ("channel_secret", "access_token"):
            if not data.get(name) and not data.get("clear_credentials"):
                data[name] = getattr(self.instance, name)
        if data.get("clear_credentials"):
            data["channel_secret"] = data["access_token"] = ""
        return data

    def save(self, commit=True):
        self.instance.channel_secret = self.cleaned_data["channel_secret"]
        self.instance.access_token = self.cleaned_data["access_token"]
        return super().save(commit)
