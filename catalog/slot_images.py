"""Cover pictures at the size of a list's slot, made the first time they are asked for.

A list row (category, home, search) shows the cover in a 6rem x 4.5rem box: 102x77 CSS pixels
(the root font is 17px), smaller on a phone's search page. The stored
thumbnail is 400 px wide (the gallery's), four times the pixels a phone with a 2x screen can
show there, and 20 of them go with every list page. Here each slot size is made from the stored
thumbnail with Pillow once, stored next to it under a name derived from it (so nothing is added
to the database and existing photos get theirs on first use), and served from storage after.

Two workers asking at once: a per-process lock keeps a worker from making the same file twice,
and storage never overwrites (FileSystemStorage opens with O_EXCL), so a second process that
lost the race finds its copy saved under another name and removes it.
"""

from __future__ import annotations

import threading

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from requests.uploads.images import slot_thumbnail

# Size name in the address: (width, height) in pixels, the slot's 4:3. "list2x" is for 2x screens.
SLOT_SIZES = {"list": (102, 77), "list2x": (204, 153)}

_lock = threading.Lock()


def slot_name(thumbnail_name: str, size: str) -> str:
    """Where the ``size`` copy of the thumbnail stored as ``thumbnail_name`` is kept."""
    width, height = SLOT_SIZES[size]
    stem, dot, _ = thumbnail_name.rpartition(".")
    return f"{stem or thumbnail_name}-{width}x{height}.jpg"


def slot_file(thumbnail, size: str) -> str:
    """The storage name of ``thumbnail`` (a stored image field) fitted to the ``size`` slot,
    made now if it does not exist yet."""
    name = slot_name(thumbnail.name, size)
    if default_storage.exists(name):
        return name
    with _lock:
        if default_storage.exists(name):
            return name
        with thumbnail.open("rb") as source:
            data = slot_thumbnail(source, *SLOT_SIZES[size])
        saved = default_storage.save(name, ContentFile(data))
    if saved != name:  # another process made it meanwhile: keep theirs
        default_storage.delete(saved)
    return name
