"""``manage.py backup`` / ``restore``: everything comes back, bit for bit, or nothing is touched.

The source is this test run's own database (SQLite or PostgreSQL, whichever the suite runs on),
filled through the real services; the backup is taken in this process. The restore runs as a
separate ``manage.py restore`` against a brand-new database and media folder, as an office would
run it on a new server, and the restored installation is then read back by another process and
compared table by table (every model, found through the app registry, so tables added later are
covered without touching this file) and file by file (SHA-256).
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import tarfile
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import connection

from esa_publish.backup import archive
from requests.states import State
from tests.instances import SNAPSHOT_CODE, clean_env, manage, python, scratch_database
from tests.instances import table_snapshot as snapshot
from tests.workflow import PATHS, jpeg_bytes, make_request

pytestmark = pytest.mark.django_db(transaction=True)

SEARCH_WORD = "วันครู"  # in the title tests.workflow gives every request
SEARCH_CODE = f"""
import json
from catalog.search import search
print(json.dumps(list(search({SEARCH_WORD!r}).ids)))
"""
TABLES_CODE = "from django.db import connection\nprint(connection.introspection.table_names())"


def media_hashes(root: Path) -> dict[str, str]:
    root = Path(root)
    if not root.exists():
        return {}
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def populate(people, office, photos: int = 2) -> None:
    """A request in every workflow state, with a PDF and photos, plus the office emblem."""
    for state in PATHS:
        make_request(people, state, photos=photos)
    office.emblem.save("ตราสำนักงาน.jpg", ContentFile(jpeg_bytes((120, 120))), save=True)


def search_ids() -> list[int]:
    from catalog.search import search

    return list(search(SEARCH_WORD).ids)


def take_backup(tmp_path: Path, name: str = "backup.tar.gz") -> Path:
    out = tmp_path / name
    call_command("backup", output=str(out), stdout=io.StringIO())
    return out


def read_members(path: Path) -> list[tuple[tarfile.TarInfo, bytes]]:
    with tarfile.open(path, "r:gz") as tar:
        return [(info, tar.extractfile(info).read()) for info in tar.getmembers()]


def write_members(path: Path, members: list[tuple[tarfile.TarInfo, bytes]]) -> Path:
    with tarfile.open(path, "w:gz", format=tarfile.PAX_FORMAT) as tar:
        for info, data in members:
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def restore_in_new_installation(tmp_path: Path, url: str, backup: Path, media: Path):
    env = clean_env(DATABASE_URL=url, MEDIA_ROOT=str(media))
    return env, manage(env, "restore", str(backup), timeout=180)


# --- everything comes back ---------------------------------------------------------------------


def test_a_restored_installation_is_identical_row_for_row_and_byte_for_byte(
    people, office, settings, tmp_path
):
    populate(people, office)
    before = snapshot()
    files_before = media_hashes(settings.MEDIA_ROOT)
    # The population really covers the workflow, the files and the catalog.
    for table in (
        "requests.publicationrequest",
        "requests.attachment",
        "requests.photo",
        "office.user",
        "catalog.category",
        "catalog.catalogitem",
        "catalog.catalogsearchentry",
        "approvals.decision",
    ):
        assert before[table], f"nothing in {table}: the test would prove little"
    assert len(before["requests.publicationrequest"]) == len(PATHS)
    assert any(name.startswith("office/") for name in files_before)
    assert len(files_before) >= len(PATHS) * (1 + 2 * 2)  # a PDF, two photos and thumbnails

    backup = take_backup(tmp_path)
    manifest = archive.verify(backup)
    assert manifest.data["database"]["vendor"] == connection.vendor
    assert manifest.data["app_version"] != "unknown"
    assert manifest.data["migrations"]
    assert oct(backup.stat().st_mode & 0o777) == "0o600"
    found_before = search_ids()
    assert found_before, "the published request should be found by a word of its title"
    listed = {name[len("media/") :] for name in manifest.members if name.startswith("media/")}
    assert listed == set(files_before)

    media = tmp_path / "restored-media"
    with scratch_database(tmp_path) as url:
        env, result = restore_in_new_installation(tmp_path, url, backup, media)
        assert result.returncode == 0, result.stderr
        assert "Restored" in result.stdout
        read_back = python(env, SNAPSHOT_CODE)
        assert read_back.returncode == 0, read_back.stderr
        after = json.loads(read_back.stdout)
        # The search index is not a model: SQLite's FTS5 table and PostgreSQL's generated
        # column must have been rebuilt from the restored rows.
        searched = python(env, SEARCH_CODE)
        assert searched.returncode == 0, searched.stderr
        assert json.loads(searched.stdout) == found_before

    assert sorted(after) == sorted(before)
    for table in before:
        assert after[table] == before[table], f"{table} differs after the restore"
    assert media_hashes(media) == files_before


# --- a damaged archive changes nothing ---------------------------------------------------------


def small_backup(people, tmp_path: Path) -> Path:
    make_request(people, State.SUBMITTED, photos=1)
    return take_backup(tmp_path)


def assert_untouched(url: str, media: Path) -> None:
    """The blank target database still has no tables at all, and the media folder no files."""
    env = clean_env(DATABASE_URL=url, MEDIA_ROOT=str(media))
    tables = python(env, TABLES_CODE)
    assert tables.returncode == 0, tables.stderr
    assert tables.stdout.strip() == "[]"
    assert media_hashes(media) == {}


def test_truncated_or_flipped_archives_are_refused_before_anything_is_touched(people, tmp_path):
    backup = small_backup(people, tmp_path)
    data = backup.read_bytes()
    truncated = tmp_path / "truncated.tar.gz"
    truncated.write_bytes(data[: len(data) * 2 // 3])
    flipped = tmp_path / "flipped.tar.gz"
    middle = len(data) // 2
    flipped.write_bytes(data[:middle] + bytes([data[middle] ^ 0x01]) + data[middle + 1 :])

    media = tmp_path / "target-media"
    with scratch_database(tmp_path) as url:
        for bad in (truncated, flipped):
            _, result = restore_in_new_installation(tmp_path, url, bad, media)
            assert result.returncode != 0
            assert "damaged" in result.stderr, result.stderr
            assert "Traceback" not in result.stderr
            assert_untouched(url, media)


def test_a_member_that_differs_from_the_manifest_is_refused(people, settings, tmp_path):
    """A changed byte inside a member (gzip intact) is caught by the member's SHA-256."""
    backup = small_backup(people, tmp_path)
    members = read_members(backup)
    tampered = []
    for info, data in members:
        if info.name.startswith("media/") and info.name.endswith(".jpg"):
            data = data[:-1] + bytes([data[-1] ^ 0xFF])
        tampered.append((info, data))
    bad = write_members(tmp_path / "tampered.tar.gz", tampered)

    with pytest.raises(archive.BackupError, match="does not match the manifest"):
        archive.verify(bad)
    with pytest.raises(CommandError, match="does not match the manifest"):
        call_command("restore", str(bad), "--check")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("drop-member", "missing from the archive"),
        ("extra-member", "not in the manifest"),
        ("no-manifest", "has no manifest"),
        ("other-version", "different version of esa-publish"),
    ],
)
def test_an_archive_that_does_not_add_up_is_refused(people, tmp_path, change, message):
    backup = small_backup(people, tmp_path)
    members = read_members(backup)
    if change == "drop-member":
        members = [(i, d) for i, d in members if not i.name.endswith(".pdf")]
    elif change == "extra-member":
        members.insert(1, (tarfile.TarInfo("media/private/extra.txt"), b"not listed"))
    elif change == "no-manifest":
        members = [(i, d) for i, d in members if i.name != archive.MANIFEST]
    elif change == "other-version":
        for index, (info, data) in enumerate(members):
            if info.name == archive.MANIFEST:
                manifest = json.loads(data)
                manifest["migrations"].append("catalog.9999_from_the_future")
                members[index] = (info, json.dumps(manifest).encode())
    bad = write_members(tmp_path / f"{change}.tar.gz", members)
    with pytest.raises(archive.BackupError, match=message):
        manifest = archive.verify(bad)
        archive.check_target(manifest)


@pytest.mark.parametrize(
    "name", ["media/../../escaped.txt", "/tmp/escaped.txt", "media/./x", "etc/passwd"]
)
def test_unsafe_member_names_are_refused_and_nothing_is_written(people, tmp_path, name):
    backup = small_backup(people, tmp_path)
    members = read_members(backup)
    evil = b"outside"
    members.insert(1, (tarfile.TarInfo(name), evil))
    for index, (info, data) in enumerate(members):
        if info.name == archive.MANIFEST:
            manifest = json.loads(data)
            manifest["members"].append(
                {"name": name, "size": len(evil), "sha256": hashlib.sha256(evil).hexdigest()}
            )
            members[index] = (info, json.dumps(manifest).encode())
    bad = write_members(tmp_path / "evil.tar.gz", members)
    with pytest.raises(archive.BackupError, match="refusing it"):
        archive.verify(bad)
    assert not (tmp_path.parent / "escaped.txt").exists()
    assert not Path("/tmp/escaped.txt").exists()


def test_links_inside_the_archive_are_refused(people, tmp_path):
    backup = small_backup(people, tmp_path)
    members = read_members(backup)
    link = tarfile.TarInfo("media/private/link")
    link.type = tarfile.SYMTYPE
    link.linkname = "/etc/passwd"
    with tarfile.open(tmp_path / "link.tar.gz", "w:gz") as tar:
        tar.addfile(link)
        for info, data in members:
            tar.addfile(info, io.BytesIO(data))
    with pytest.raises(archive.BackupError, match="not a regular file"):
        archive.verify(tmp_path / "link.tar.gz")


def test_something_that_is_not_a_backup_is_refused(tmp_path):
    plain = tmp_path / "notes.tar.gz"
    plain.write_bytes(gzip.compress(b"hello"))
    with pytest.raises(CommandError, match="damaged or incomplete"):
        call_command("restore", str(plain))


# --- a target that holds data is refused -------------------------------------------------------


def test_restoring_over_a_database_in_use_is_refused(people, settings, tmp_path):
    backup = small_backup(people, tmp_path)
    before = snapshot()
    files_before = media_hashes(settings.MEDIA_ROOT)
    settings.MEDIA_ROOT = str(tmp_path / "empty-media")
    with pytest.raises(CommandError, match="already has data"):
        call_command("restore", str(backup))
    assert snapshot() == before
    assert media_hashes(tmp_path / "empty-media") == {}
    assert files_before


def test_restoring_into_a_media_folder_with_files_is_refused(people, tmp_path):
    backup = small_backup(people, tmp_path)
    media = tmp_path / "used-media"
    (media / "private").mkdir(parents=True)
    (media / "private" / "existing.pdf").write_bytes(b"%PDF-1.4 someone else's file")
    with scratch_database(tmp_path) as url:
        _, result = restore_in_new_installation(tmp_path, url, backup, media)
        assert result.returncode != 0
        assert "is not empty" in result.stderr, result.stderr
        env = clean_env(DATABASE_URL=url, MEDIA_ROOT=str(media))
        tables = python(env, TABLES_CODE)
        assert tables.stdout.strip() == "[]"
    assert media_hashes(media) == {
        "private/existing.pdf": hashlib.sha256(b"%PDF-1.4 someone else's file").hexdigest()
    }


def test_check_only_reports_a_good_archive(people, tmp_path):
    backup = small_backup(people, tmp_path)
    out = io.StringIO()
    call_command("restore", str(backup), "--check", stdout=out)
    assert "is complete" in out.getvalue()


def test_backup_never_overwrites_an_existing_file(people, tmp_path):
    existing = tmp_path / "backup.tar.gz"
    existing.write_bytes(b"keep me")
    with pytest.raises(CommandError, match="already exists"):
        call_command("backup", output=str(existing), stdout=io.StringIO())
    assert existing.read_bytes() == b"keep me"
    assert not list(tmp_path.glob("*partial*")) and not list(tmp_path.glob(".*partial*"))


def test_without_output_the_archive_goes_to_backup_dir(people, settings, tmp_path):
    settings.BACKUP_DIR = str(tmp_path / "backups")
    out = io.StringIO()
    call_command("backup", stdout=out)
    (written,) = (tmp_path / "backups").iterdir()
    assert written.name.startswith("esa-publish-") and written.name.endswith(".tar.gz")
    assert str(written) in out.getvalue()
    archive.verify(written)
