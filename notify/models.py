"""Where a person is told about their work: e-mail and LINE, each as often as they choose.

The LINE channel is the office's LINE Official Account (Messaging API). A person links it once
by sending a one-time code to the account; the webhook then knows their LINE user id.
"""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from esa_publish.office import roles


class Channel(models.TextChoices):
    EMAIL = "email", _("อีเมล")
    LINE = "line", _("LINE")


class Frequency(models.TextChoices):
    EACH = "each", _("ทุกเรื่อง ทันที")
    DIGEST = "digest", _("สรุปวันละครั้ง")
    OFF = "off", _("ไม่รับ")


def default_frequency(user) -> str:
    """Directors get the daily digest unless they ask otherwise: every request reaches them."""
    return Frequency.DIGEST if user.has_role(roles.DIRECTOR) else Frequency.EACH


class Preference(models.Model):
    """How often one person wants to hear on one channel. No row: :func:`default_frequency`."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notify_preferences"
    )
    channel = models.CharField(_("ช่องทาง"), max_length=10, choices=Channel.choices)
    frequency = models.CharField(_("ความถี่"), max_length=10, choices=Frequency.choices)

    class Meta:
        verbose_name = _("การรับแจ้งเตือน")
        verbose_name_plural = _("การรับแจ้งเตือน")
        constraints = [
            models.UniqueConstraint(fields=["user", "channel"], name="preference_once_per_channel"),
            models.CheckConstraint(
                condition=Q(channel__in=Channel.values), name="preference_known_channel"
            ),
            models.CheckConstraint(
                condition=Q(frequency__in=Frequency.values), name="preference_known_frequency"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.channel}: {self.frequency}"

    @classmethod
    def frequencies(cls, users) -> dict[tuple[int, str], str]:
        """``{(user id, channel): frequency}`` for ``users``, defaults filled in, in one query."""
        users = list(users)
        saved = {
            (p.user_id, p.channel): p.frequency
            for p in cls.objects.filter(user__in=[u.pk for u in users])
        }
        return {
            (u.pk, ch): saved.get((u.pk, ch), default_frequency(u))
            for u in users
            for ch in Channel.values
        }


class LineChannel(models.Model):
    """The office's LINE Official Account: one row the administrator fills in.

    The secret checks that webhook calls come from LINE; the token lets us push messages. Both
    are write-only in the admin. LINE_CHANNEL_SECRET / LINE_CHANNEL_ACCESS_TOKEN in the
    environment win over these.
    """

    basic_id = models.CharField(
        _("LINE ID ของบัญชีทางการ"),
        max_length=40,
        blank=True,
        help_text=_("เช่น @123abcde ใช้สร้างลิงก์และคิวอาร์โค้ดสำหรับเพิ่มเพื่อน"),
    )
    channel_secret = models.CharField(_("Channel secret"), max_length=100, blank=True)
    access_token = models.TextField(_("Channel access token"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("บัญชี LINE ทางการของสำนักงาน")
        verbose_name_plural = _("บัญชี LINE ทางการของสำนักงาน")

    def __str__(self) -> str:
        return self.basic_id or "LINE"

    @classmethod
    def current(cls) -> LineChannel:
        return cls.objects.order_by("pk").first() or cls()

    @property
    def secret(self) -> str:
        return settings.LINE_CHANNEL_SECRET or self.channel_secret

    @property
    def token(self) -> str:
        return settings.LINE_CHANNEL_ACCESS_TOKEN or self.access_token


class LineAccount(models.Model):
    """A person's LINE user id, known once they sent their link code to the office's account."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="line_account"
    )
    line_user_id = models.CharField(max_length=64, unique=True)
    linked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("บัญชี LINE ที่เชื่อมแล้ว")
        verbose_name_plural = _("บัญชี LINE ที่เชื่อมแล้ว")

    def __str__(self) -> str:
        return f"{self.user} ↔ LINE"


def code_digest(code: str) -> str:
    """Codes are kept only as an HMAC: a copy of the database links nobody's LINE."""
    normalized = code.strip().upper().replace("-", "").replace(" ", "")
    return hmac.new(settings.SECRET_KEY.encode(), normalized.encode(), hashlib.sha256).hexdigest()


class LinkCode(models.Model):
    """The one-time code a person sends to the office's LINE account to link it (one at a time)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="line_link_code"
    )
    digest = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()

    class Meta:
        verbose_name = _("รหัสเชื่อมบัญชี LINE")
        verbose_name_plural = _("รหัสเชื่อมบัญชี LINE")

    def __str__(self) -> str:
        return f"link code of {self.user_id}"


class DigestSent(models.Model):
    """One row per person, channel and day: the digest goes at most once a day, even when two
    machines run ``send_digests`` at the same time (the unique constraint decides)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    day = models.DateField()

    class Meta:
        verbose_name = _("สรุปประจำวันที่ส่งแล้ว")
        verbose_name_plural = _("สรุปประจำวันที่ส่งแล้ว")
        constraints = [
            models.UniqueConstraint(fields=["user", "channel", "day"], name="digest_once_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.channel} {self.day}"
