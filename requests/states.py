"""The states of a request to publish. The transitions between them live on the model."""

from django.db import models
from django.utils.translation import pgettext_lazy


class State(models.TextChoices):
    # "request state": the same Thai words name actions too ("ถอนคำขอ" withdraw / withdrawn);
    # the context gives each meaning its own English.
    DRAFT = "draft", pgettext_lazy("request state", "ร่าง")
    SUBMITTED = "submitted", pgettext_lazy("request state", "รอผู้อำนวยการกลุ่ม/นิติกรพิจารณา")
    REVIEWED = "reviewed", pgettext_lazy("request state", "รอรองผู้อำนวยการให้ความเห็น")
    RECOMMENDED = "recommended", pgettext_lazy("request state", "รอผู้อำนวยการพิจารณา")
    APPROVED = "approved", pgettext_lazy("request state", "อนุญาตแล้ว รอเผยแพร่")
    PUBLISHED = "published", pgettext_lazy("request state", "เผยแพร่แล้ว")
    RETURNED = "returned", pgettext_lazy("request state", "ส่งกลับให้แก้ไข")
    REJECTED = "rejected", pgettext_lazy("request state", "ไม่อนุญาต")
    WITHDRAWN = "withdrawn", pgettext_lazy("request state", "ถอนคำขอ")
    UNPUBLISHED = "unpublished", pgettext_lazy("request state", "ถอดออกจากการเผยแพร่")


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
