"""Users' file names: cleaned for keeping, and sent back in a Content-Disposition header.

Files are stored under generated names (see ``kinds.generated_name``); the name the user gave is
kept only to offer the download under it. It still has to be made harmless: no path parts, no
invisible or bidirectional control characters (``"exe\\u202efdp.pdf"`` spoofing), nothing Windows
refuses in a file name, since most downloads land on Windows desktops.

``content_disposition`` is our own rather than ``django.utils.http.content_disposition_header``
because that helper sends either ``filename=`` or ``filename*=``, never both; RFC 6266 section 4.3
recommends both, so a client that ignores ``filename*`` still gets a sensible ASCII name while
every current browser uses the UTF-8 one and Thai names survive.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

# Longest original name we accept and keep, in characters. Django's UploadedFile silently cuts
# names at 255, so a limit at 255 could never refuse anything; 200 still fits a Windows path
# (260) when saved to a Downloads folder and leaves room for long Thai document titles.
MAX_NAME_LENGTH = 200

# Control, format (zero-width, bidi overrides), surrogate, private-use, unassigned, line and
# paragraph separator characters: invisible or unsafe in a file name.
_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})
_WINDOWS_FORBIDDEN = frozenset('<>:"/\\|?*')
_WINDOWS_DEVICES = frozenset(
    {"CON", "PRN", "AUX", "NUL"}
    | {f"COM{i}" for i in range(1, 10)}
    | {f"LPT{i}" for i in range(1, 10)}
)
_EXTENSION = re.compile(r"\.([A-Za-z0-9]{1,10})$")
_PATH_SEPARATORS = re.compile(r"[/\\]")
_FALLBACK_STEM = "file"


def strip_invisible(text: str) -> str:
    """``text`` in NFC with invisible and control characters removed."""
    text = unicodedata.normalize("NFC", text)
    return "".join(ch for ch in text if unicodedata.category(ch) not in _INVISIBLE_CATEGORIES)


def split_extension(name: str) -> tuple[str, str]:
    """``("report", "pdf")`` for ``"report.pdf"``; ``(name, "")`` when it has no extension.

    Only a short run of ASCII letters and digits after the last dot counts as an extension, so
    ``"v1.2 final"`` has none and ``".pdf"`` has an empty stem.
    """
    match = _EXTENSION.search(name)
    if not match:
        return name, ""
    return name[: match.start()], match.group(1)


def clean_original_name(name: str, *, default_extension: str = "") -> str:
    """``name`` made safe to store and to offer as a download name.

    Keeps only the last path part (``/`` and ``\\`` both count), drops invisible characters,
    replaces characters Windows forbids with ``_``, collapses white space, trims to
    :data:`MAX_NAME_LENGTH` keeping the extension, and falls back to ``file.<ext>`` (with
    ``default_extension`` when the name had none) when nothing is left.
    """
    # Tabs and line breaks become spaces before invisible characters are dropped, so
    # "a\tb" keeps its two words apart.
    name = "".join(" " if ch.isspace() else ch for ch in str(name))
    name = _PATH_SEPARATORS.split(strip_invisible(name))[-1]
    name = "".join("_" if ch in _WINDOWS_FORBIDDEN else ch for ch in name)
    # Windows drops trailing dots and spaces; leading ones go with the stem below.
    name = " ".join(name.split()).rstrip(" .")
    stem, extension = split_extension(name)
    stem = stem.strip(" .")
    if not stem and not extension:
        extension = default_extension.lstrip(".")
    if stem.upper() in _WINDOWS_DEVICES:
        stem = f"_{stem}"
    suffix = f".{extension}" if extension else ""
    stem = stem[: MAX_NAME_LENGTH - len(suffix)].rstrip(" .")
    return f"{stem or _FALLBACK_STEM}{suffix}"


def ascii_fallback(name: str) -> str:
    """An ASCII stand-in for ``name`` for clients that ignore ``filename*``.

    Accents are folded (``é`` to ``e``); Thai and other scripts have no ASCII form and drop out,
    so ``"รายงาน 2568.pdf"`` becomes ``"2568.pdf"`` and an all-Thai name becomes ``"file.pdf"``.
    ``%`` goes too, as some clients percent-decode ``filename=``.
    """
    stem, extension = split_extension(clean_original_name(name))
    folded = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode("ascii")
    folded = "".join("_" if ch in '"\\%' else ch for ch in folded)
    folded = " ".join(folded.split()).strip(" .-_")
    if not any(ch.isalnum() for ch in folded):
        folded = _FALLBACK_STEM
    return f"{folded}.{extension}" if extension else folded


def content_disposition(original_name: str, *, inline: bool = False) -> str:
    """The ``Content-Disposition`` value offering a download as ``original_name`` (RFC 6266).

    Both parameters are sent: ``filename="<ASCII fallback>"`` first, then
    ``filename*=UTF-8''<percent-encoded name>`` (RFC 8187), which current browsers prefer. The
    name is cleaned first, so no CR, LF or quote from a user's file name can reach the header.
    """
    name = clean_original_name(original_name)
    disposition = "inline" if inline else "attachment"
    encoded = quote(name, safe="")
    return f"{disposition}; filename=\"{ascii_fallback(name)}\"; filename*=UTF-8''{encoded}"
