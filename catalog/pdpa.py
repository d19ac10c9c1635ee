"""Personal-data check before publishing (PDPA): Thai national ID numbers and phone numbers.

Placeholder scanner covering the text fields; the file-content scan is added with the publishing
feature.
"""

from __future__ import annotations


def scan_publication(*, title: str, summary: str, attachments, photos) -> list[dict]:
    return []
