"""The states of a request to publish. The transitions between them live on the model."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    DRAFT = "draft", _("ร่าง")
    SUBMITTED = "submitted", _("รอผู้อำนวยการกลุ่ม/นิติกรพิจารณา")
    REVIEWED = "reviewed", _("รอรองผู้อำนวยการให้ความเห็น")
    RECOMMENDED = "recommended", _("รอผู้อำนวยการพิจารณา")
    APPROVED = "approved", _("อนุญาตแล้ว รอเผยแพร่")
    PUBLISHED = "published", _("เผยแพร่แล้ว")
    RETURNED = "returned", _("ส่งกลับให้แก้ไข")
    REJECTED = "rejected", _("ไม่อนุญาต")
    WITHDRAWN = "withdrawn", _("ถอนคำขอ")
    UNPUBLISHED = "unpublished", _("ถอดออกจากการเผยแพร่")


# The state groups, each defined once (read beside the waiting steps, approvals/steps.py).

# States before the director decides in which someone other than the requester must act.
AWAITING_REVIEW = (State.SUBMITTED, State.REVIEWED, State.RECOMMENDED)
# States the requester may still edit.
EDITABLE = (State.DRAFT, State.RETURNED)
# States from which the requester may withdraw (before the director decides).
WITHDRAWABLE = (State.DRAFT, State.SUBMITTED, State.REVIEWED, State.RECOMMENDED, State.RETURNED)
# States that end the process (nothing more happens, except taking down a published item).
FINAL = (State.REJECTED, State.WITHDRAWN, State.UNPUBLISHED)
# A request is finished when nothing more is asked of anyone: published, not allowed, withdrawn.
FINISHED = (State.PUBLISHED, State.REJECTED, State.WITHDRAWN)
# Reached the director's step (the director sees these).
AT_OR_AFTER_DIRECTOR = (
    State.RECOMMENDED,
    State.APPROVED,
    State.REJECTED,
    State.PUBLISHED,
    State.UNPUBLISHED,
)
# Reached the webmaster's step (webmasters see these).
AT_OR_AFTER_WEBMASTER = (State.APPROVED, State.PUBLISHED, State.UNPUBLISHED)
# The director allowed it: the memo is signed and no longer a draft.
ALLOWED = (State.APPROVED, State.PUBLISHED, State.UNPUBLISHED)
