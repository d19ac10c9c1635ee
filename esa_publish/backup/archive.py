"""The backup archive: one ``.tar.gz`` holding the database, the uploaded files and a manifest.

Layout (in this order)::

    database.jsonl        every table, one row per line (esa_publish/backup/database.py)
    media/<path>          every file under MEDIA_ROOT, at its path relative to MEDIA_ROOT
    manifest.json         format, versions, migration state, and each member's size and SHA-256

The manifest comes last so each file is read once while the archive is written (its hash is taken
on the way into the archive). A restore therefore reads the archive twice: first to the end, to
check every member against the manifest before anything is touched; then to unpack it.

Nothing in an archive is trusted before that check: member names must be plain relative paths of
regular files under the known prefixes, every member must be listed once with the right size and
hash, and nothing may be listed that is not there. A truncated archive has no manifest (and fails
gzip's own length check); a flipped byte fails gzip's CRC or the member's hash.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gzip
import hashlib
import io
import json
import os
import shutil
import tarfile
import tempfile
import tomllib
import uuid
import zlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import django
from django.conf import settings
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import connection

from esa_publish.backup import database

FORMAT = "esa-publish-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATABASE = "database.jsonl"
MEDIA = "media"
MAX_MANIFEST_BYTES = 256 * 1024 * 1024
CHUNK = 1024 * 1024
# tarfile's default is 9, twice as slow as 6 on the database text for a few per cent; photos and
# PDFs hardly compress at any level (zlib gets through them at roughly 20 MB/s per core).
GZIP_LEVEL = 6
# Files the health check writes and removes again; never data.
TRANSIENT_PREFIX = ".healthz-"


class BackupError(Exception):
    """A backup could not be written, or an archive may not be restored (the message says why)."""


@dataclass
class Member:
    name: str
    size: int
    sha256: str


@dataclass
class Manifest:
    data: dict
    members: dict[str, Member] = field(default_factory=dict)

    @property
    def media_members(self) -> list[Member]:
        return [m for name, m in self.members.items() if name.startswith(MEDIA + "/")]


# --- helpers ------------------------------------------------------------------------------------


def app_version() -> str:
    pyproject = Path(settings.BASE_DIR) / "pyproject.toml"
    try:
        return tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["version"]
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return "unknown"


def media_on_disk() -> bool:
    return isinstance(default_storage, FileSystemStorage)


def media_files(root: Path) -> list[Path]:
    """Regular files under ``root``, sorted; symbolic links are not followed or kept."""
    found = []
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        for name in sorted(files):
            path = Path(folder) / name
            if name.startswith(TRANSIENT_PREFIX) or path.is_symlink() or not path.is_file():
                continue
            found.append(path)
    return found


def name_problem(name: str) -> str | None:
    """Why a member name is unsafe or unknown, or None when it is fine."""
    if not name or "\x00" in name or "\\" in name:
        return "contains a forbidden character"
    if name.startswith("/"):
        return "is an absolute path"
    parts = name.split("/")
    if any(part in ("", ".", "..") for part in parts):
        return "is not a plain relative path"
    if name in (MANIFEST, DATABASE):
        return None
    if parts[0] == MEDIA and len(parts) > 1:
        return None
    return "is not a part of an esa-publish backup"


class _HashingReader:
    """Reads a file for tarfile while hashing exactly the bytes that went into the archive."""

    def __init__(self, handle):
        self.handle = handle
        self.digest = hashlib.sha256()

    def read(self, size=-1):
        data = self.handle.read(size)
        self.digest.update(data)
        return data


# --- writing ------------------------------------------------------------------------------------


@dataclass
class BackupResult:
    path: Path
    rows: int
    files: int
    media_bytes: int
    archive_bytes: int


def default_output() -> Path:
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    return Path(settings.BACKUP_DIR) / f"esa-publish-{stamp}.tar.gz"


def create(output: Path | None = None) -> BackupResult:
    """Write a backup archive to ``output`` (never over an existing file).

    The archive appears under its name only when complete: it is written next to it under a
    temporary name, flushed to disk and then renamed. It is readable by its owner only, since it
    holds password hashes and unpublished documents.
    """
    output = Path(output or default_output()).expanduser().resolve()
    pending = database.pending_migrations()
    if pending:
        raise BackupError(
            f"The database is behind this code ({_few(pending)} not applied): the rows could not "
            "be read with these models. Run the backup with the code the database was migrated "
            "with (take it before deploying new code), or run `manage.py migrate` first."
        )
    if output.exists():
        raise BackupError(f"{output} already exists; choose another --output.")
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_name(f".{output.name}.{uuid.uuid4().hex[:8]}.partial")
    members: list[Member] = []
    media_root = Path(settings.MEDIA_ROOT)
    include_media = media_on_disk()
    files = media_bytes = 0
    try:
        with tempfile.TemporaryDirectory(prefix="esa-backup-") as work:
            dump_path = Path(work) / DATABASE
            migrations = database.applied_migrations()
            rows = database.dump(dump_path)
            descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with (
                os.fdopen(descriptor, "wb") as raw,
                tarfile.open(
                    fileobj=raw, mode="w:gz", format=tarfile.PAX_FORMAT, compresslevel=GZIP_LEVEL
                ) as tar,
            ):
                members.append(_add_file(tar, dump_path, DATABASE))
                if include_media:
                    for path in media_files(media_root):
                        relative = path.relative_to(media_root).as_posix()
                        try:
                            member = _add_file(tar, path, f"{MEDIA}/{relative}")
                        except FileNotFoundError:
                            continue  # deleted since the listing: it is not in the dump either
                        members.append(member)
                        files += 1
                        media_bytes += member.size
                manifest = _manifest(members, migrations, rows, include_media, files, media_bytes)
                _add_bytes(tar, MANIFEST, manifest)
                raw.flush()
                os.fsync(raw.fileno())
        os.replace(partial, output)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return BackupResult(output, rows, files, media_bytes, output.stat().st_size)


def _add_file(tar: tarfile.TarFile, path: Path, name: str) -> Member:
    with open(path, "rb") as handle:
        info = tarfile.TarInfo(name)
        stat = os.fstat(handle.fileno())
        info.size = stat.st_size
        info.mtime = int(stat.st_mtime)
        info.mode = 0o600
        reader = _HashingReader(handle)
        tar.addfile(info, reader)
    return Member(name, info.size, reader.digest.hexdigest())


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(dt.datetime.now().timestamp())
    info.mode = 0o600
    tar.addfile(info, io.BytesIO(data))


def _manifest(members, migrations, rows, include_media, files, media_bytes) -> bytes:
    data = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "app_version": app_version(),
        "django_version": django.get_version(),
        "database": {
            "vendor": connection.vendor,
            "method": "Django serializer, JSON Lines, primary keys kept",
            "rows": rows,
            "excluded_models": sorted(database.EXCLUDED_MODELS),
        },
        "migrations": migrations,
        "media": {"included": include_media, "files": files, "bytes": media_bytes},
        "members": [{"name": m.name, "size": m.size, "sha256": m.sha256} for m in members],
    }
    return json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")


# --- reading and checking -----------------------------------------------------------------------

# What a damaged or cut-off .tar.gz raises while being read.
_READ_ERRORS = (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile, OSError)


def _iter_regular_members(tar: tarfile.TarFile):
    for info in tar:
        problem = name_problem(info.name)
        if problem:
            raise BackupError(
                f"The archive member {info.name!r} {problem}; refusing it (the archive is "
                "damaged or not an esa-publish backup). Nothing was changed."
            )
        if not info.isreg():
            raise BackupError(
                f"The archive member {info.name!r} is not a regular file; refusing it (the "
                "archive is damaged or not an esa-publish backup). Nothing was changed."
            )
        yield info


@contextlib.contextmanager
def _open_members(path: Path):
    """The archive's tar stream, read front to back, through a gzip reader that checks itself.

    tarfile's own gzip reading skips gzip's CRC and length check, and tarfile takes a damaged
    header in the middle for the end of the archive. Reading through :mod:`gzip` instead, and on
    to the very end after the last member, makes any changed or missing byte an error.
    """
    with gzip.open(path, "rb") as compressed:
        with tarfile.open(fileobj=compressed, mode="r|") as tar:
            yield tar
        while compressed.read(CHUNK):
            pass


def verify(path: Path) -> Manifest:
    """Read the whole archive and check it against its manifest; touch nothing.

    Raises :class:`BackupError` with a message for people when anything is wrong.
    """
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"{path} does not exist or is not a file.")
    seen: dict[str, Member] = {}
    manifest_bytes = None
    try:
        with _open_members(path) as tar:
            for info in _iter_regular_members(tar):
                if info.name in seen or (info.name == MANIFEST and manifest_bytes is not None):
                    raise BackupError(f"The archive holds {info.name!r} twice.")
                handle = tar.extractfile(info)
                if info.name == MANIFEST:
                    if info.size > MAX_MANIFEST_BYTES:
                        raise BackupError("The manifest is implausibly large.")
                    manifest_bytes = handle.read()
                    continue
                digest, size = _hash_stream(handle)
                seen[info.name] = Member(info.name, size, digest)
    except BackupError:
        raise
    except _READ_ERRORS as exc:
        raise BackupError(
            f"{path} is damaged or incomplete (truncated or altered): {exc}. Nothing was changed."
        ) from exc
    if manifest_bytes is None:
        raise BackupError(
            f"{path} has no manifest: it is incomplete (truncated?) or not an esa-publish backup."
        )
    manifest = _parse_manifest(manifest_bytes)
    _compare(manifest, seen)
    return manifest


def _hash_stream(handle) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    while chunk := handle.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def _parse_manifest(raw: bytes) -> Manifest:
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BackupError(
            f"The manifest is not valid JSON ({exc}): the archive is damaged."
        ) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise BackupError("This is not an esa-publish backup (unknown manifest format).")
    if data.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            f"The backup has format version {data.get('format_version')!r}; this version of "
            f"esa-publish reads version {FORMAT_VERSION}."
        )
    manifest = Manifest(data)
    entries = data.get("members")
    if not isinstance(entries, list):
        raise BackupError("The manifest lists no members: the archive is damaged.")
    for entry in entries:
        try:
            member = Member(str(entry["name"]), int(entry["size"]), str(entry["sha256"]))
        except (KeyError, TypeError, ValueError):
            raise BackupError("The manifest has a malformed member entry.") from None
        problem = name_problem(member.name)
        if problem or member.name == MANIFEST:
            raise BackupError(
                f"The manifest lists {member.name!r}, which {problem or 'is itself'}."
            )
        if member.name in manifest.members:
            raise BackupError(f"The manifest lists {member.name!r} twice.")
        manifest.members[member.name] = member
    if DATABASE not in manifest.members:
        raise BackupError("The manifest lists no database dump.")
    if not isinstance(data.get("migrations"), list):
        raise BackupError("The manifest has no migration state.")
    return manifest


def _compare(manifest: Manifest, seen: dict[str, Member]) -> None:
    missing = sorted(set(manifest.members) - set(seen))
    extra = sorted(set(seen) - set(manifest.members))
    if missing:
        raise BackupError(f"Listed in the manifest but missing from the archive: {_few(missing)}.")
    if extra:
        raise BackupError(f"In the archive but not in the manifest: {_few(extra)}.")
    for name, expected in manifest.members.items():
        actual = seen[name]
        if (actual.size, actual.sha256) != (expected.size, expected.sha256):
            raise BackupError(
                f"{name} does not match the manifest (size or SHA-256 differs): "
                "the archive is damaged. Nothing was changed."
            )


def _few(names: list[str]) -> str:
    shown = ", ".join(names[:5])
    return shown + (f" and {len(names) - 5} more" if len(names) > 5 else "")


# --- restoring ----------------------------------------------------------------------------------


@dataclass
class RestoreResult:
    rows: int
    files: int


def check_target(manifest: Manifest) -> None:
    """Refuse unless this code, this database and this media folder can take the backup as is."""
    expected = manifest.data["migrations"]
    here = database.code_migrations()
    if sorted(expected) != here:
        only_backup = sorted(set(expected) - set(here))
        only_code = sorted(set(here) - set(expected))
        details = []
        if only_backup:
            details.append(f"only in the backup: {_few(only_backup)}")
        if only_code:
            details.append(f"only in this code: {_few(only_code)}")
        raise BackupError(
            "The backup was made with a different version of esa-publish "
            f"({manifest.data.get('app_version', '?')}; {'; '.join(details)}). Restore it with "
            "that version, then upgrade as usual."
        )
    users = database.user_count()
    if users:
        raise BackupError(
            f"The target database already has data ({users} user account(s)). Restore only into "
            "a new, empty database: create one and point DATABASE_URL at it."
        )
    if manifest.media_members and not media_on_disk():
        raise BackupError(
            "The backup holds uploaded files but media are configured for object storage; "
            "restore with MEDIA_ROOT on disk and copy the files to the bucket afterwards."
        )
    media_root = Path(settings.MEDIA_ROOT)
    if media_root.exists() and media_files(media_root):
        raise BackupError(
            f"The media folder {media_root} is not empty. Restore only into an empty folder "
            "(point MEDIA_ROOT at a new one)."
        )


def restore(path: Path) -> RestoreResult:
    """Check the archive and the target, then restore the database and the uploaded files."""
    from django.core.management import call_command

    path = Path(path)
    manifest = verify(path)
    check_target(manifest)
    media_root = Path(settings.MEDIA_ROOT)
    media_root.mkdir(parents=True, exist_ok=True)
    # Unpacked next to MEDIA_ROOT (same file system), so moving files in place is a rename.
    staging = Path(tempfile.mkdtemp(prefix=f".{media_root.name}.restore-", dir=media_root.parent))
    try:
        dump_path = staging / DATABASE
        _unpack(path, manifest, staging)
        call_command("migrate", interactive=False, verbosity=0)
        rows = database.load(dump_path)
        dump_path.unlink()
        files = _move_media(staging / MEDIA, media_root)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return RestoreResult(rows, files)


def _unpack(path: Path, manifest: Manifest, staging: Path) -> None:
    """Second reading: write each member under ``staging``, checking its hash again."""
    staging = staging.resolve()
    try:
        with _open_members(path) as tar:
            for info in _iter_regular_members(tar):
                if info.name == MANIFEST:
                    continue
                expected = manifest.members.get(info.name)
                if expected is None:
                    raise BackupError(f"{info.name} is not in the manifest.")
                target = (staging / PurePosixPath(info.name)).resolve()
                if not target.is_relative_to(staging):
                    raise BackupError(f"{info.name} would be written outside the target.")
                target.parent.mkdir(parents=True, exist_ok=True)
                digest = hashlib.sha256()
                source = tar.extractfile(info)
                with open(target, "xb") as out:
                    while chunk := source.read(CHUNK):
                        digest.update(chunk)
                        out.write(chunk)
                if digest.hexdigest() != expected.sha256:
                    raise BackupError(f"{info.name} changed while being restored.")
    except BackupError:
        raise
    except _READ_ERRORS as exc:
        raise BackupError(f"{path} could not be unpacked: {exc}") from exc


def _move_media(unpacked: Path, media_root: Path) -> int:
    if not unpacked.exists():
        return 0
    moved = 0
    for path in media_files(unpacked):
        target = media_root / path.relative_to(unpacked)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(path, target)
        moved += 1
    return moved
