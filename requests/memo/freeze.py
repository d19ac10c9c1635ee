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


def render_for(req) -> bytes:
    from requests.memo import render_memo_pdf

    return render_memo_pdf(memo_data_for(req))


def freeze_memo(req) -> tuple[str, str]:
    """Render ``req``'s memo now and store it; returns (storage name, SHA-256)."""
    pdf = render_for(req)
    name = default_storage.save(f"private/memos/{uuid.uuid4().hex}.pdf", ContentFile(pdf))
    return name, hashlib.sha256(pdf).hexdigest()
