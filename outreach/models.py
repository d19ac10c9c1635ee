"""The PR unit's channels (share kit, poster, what was shared where) and the embeds the office's
main website shows, with the few settings they need."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

colour = RegexValidator(r"^#[0-9a-fA-F]{6}$", _("รหัสสีแบบ #RRGGBB"))

# The sites that may frame our embeds (outreach.embeds), checked where they are stored.
_HOST = re.compile(
    r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$"
)


def clean_origin(value: str) -> str | None:
    """``value`` as an origin ``scheme://host[:port]`` for frame-ancestors, or None when it is
    not one (no wildcards, paths, quotes or spaces: nothing that could widen the policy)."""
    value = value.strip()
    if not value or any(ch in value for ch in " ;,'\"*"):
        return None
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError:
        return None
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("http", "https") or not _HOST.match(host):
        return None
    if parts.path not in ("", "/") or parts.query or parts.fragment or parts.username:
        return None
    return f"{parts.scheme}://{host}" + (f":{port}" if port else "")


class OutreachSettings(models.Model):
    """One row: the office's colours for share images and posters, and the sites that may embed
    our pages (the office's main website)."""

    primary_colour = models.CharField(
        _("สีหลักของสำนักงาน"), max_length=7, default="#17407a", validators=[colour]
    )
    accent_colour = models.CharField(
        _("สีรองของสำนักงาน"), max_length=7, default="#f0b400", validators=[colour]
    )
    embed_origins = models.TextField(
        _("เว็บไซต์ที่ฝังหน้าของระบบได้"),
        blank=True,
        help_text=_(
            "บรรทัดละหนึ่งที่อยู่ เช่น https://www.example.go.th เว้นว่างไว้หากไม่ต้องการให้เว็บไซต์อื่นฝังหน้าใด ๆ"
        ),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("ตั้งค่าประชาสัมพันธ์และการฝัง")
        verbose_name_plural = _("ตั้งค่าประชาสัมพันธ์และการฝัง")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)

    @classmethod
    def current(cls) -> OutreachSettings:
        return cls.objects.order_by("pk").first() or cls()

    def origins(self) -> list[str]:
        """The listed sites as CSP sources (scheme://host[:port]); anything else is dropped."""
        cleaned = (clean_origin(line) for line in self.embed_origins.splitlines())
        return sorted({o for o in cleaned if o})


class ShareChannel(models.TextChoices):
    FACEBOOK = "facebook", _("เฟซบุ๊กของสำนักงาน")
    LINE = "line", _("LINE (กลุ่ม/บัญชีทางการ)")
    NOTICE_BOARD = "notice_board", _("บอร์ดประชาสัมพันธ์")
    WEBSITE = "website", _("เว็บไซต์หลักของสำนักงาน")
    OTHER = "other", _("อื่น ๆ")


class Share(models.Model):
    """A published item put out on one of the PR unit's channels: the outcome of publication that
    the quarterly report counts beside views and downloads (seed 003 §4)."""

    item = models.ForeignKey("catalog.CatalogItem", on_delete=models.CASCADE, related_name="shares")
    channel = models.CharField(_("ช่องทาง"), max_length=20, choices=ShareChannel.choices)
    url = models.URLField(_("ลิงก์ของโพสต์"), blank=True, max_length=500)
    note = models.CharField(_("หมายเหตุ"), max_length=255, blank=True)
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ผู้บันทึก"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    shared_by_name = models.CharField(max_length=255, blank=True)
    shared_at = models.DateTimeField(_("เผยแพร่เมื่อ"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-shared_at", "-pk"]
        verbose_name = _("การเผยแพร่ทางช่องทางประชาสัมพันธ์")
        verbose_name_plural = _("การเผยแพร่ทางช่องทางประชาสัมพันธ์")
        indexes = [models.Index(fields=["shared_at"], name="share_when")]
        constraints = [
            models.CheckConstraint(
                condition=Q(channel__in=ShareChannel.values), name="share_known_channel"
            )
        ]

    def __str__(self) -> str:
        return f"{self.item_id} {self.channel} {self.shared_at:%Y-%m-%d}"
