"""The final memo, rendered once at publication and never again.

What ITA reviewers download must be the document as it stood when the webmaster published:
re-rendering later would pick up renamed people, edited office wording or a new font. So the PDF
is stored once with its SHA-256, and every later download serves those bytes.
"""

from __future__ import annotations

import hashlib
import uuid

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from requests.memo.build import memo_data_for


def render_for(req, *, archival: bool = False) -> bytes:
    from requests.memo.render import ACCESSIBLE_VARIANT, ARCHIVAL_VARIANT, render_memo_pdf

    variant = ARCHIVAL_VARIANT if archival else ACCESSIBLE_VARIANT
    return render_memo_pdf(memo_data_for(req), variant=variant)


def freeze_memo(req) -> tuple[str, str]:
    """Render ``req``'s memo now as PDF/A and store it; returns (storage name, SHA-256)."""
    pdf = render_for(req, archival=True)
    name = default_storage.save(f"private/memos/{uuid.uuid4().hex}.pdf", ContentFile(pdf))
    return name, hashlib.sha256(pdf).hexdigest()
