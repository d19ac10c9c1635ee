"""``manage.py import_items MANIFEST.csv --files DIR``: earlier publications into the catalog.

Checks everything first and imports only a manifest without problems (see docs/IMPORT.md).
"""

from __future__ import annotations

import logging
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from catalog.importing import check_manifest, import_rows, refresh_planner_statistics
from esa_publish.office import roles
from esa_publish.office.models import User

log = logging.getLogger("catalog.importing")


class Command(BaseCommand):
    help = (
        "Import published items from a CSV manifest and a folder of files. Every row and file is "
        "checked first; nothing is imported if any problem is found."
    )

    def add_arguments(self, parser):
        parser.add_argument("manifest", type=Path, help="CSV file (UTF-8), see docs/IMPORT.md")
        parser.add_argument(
            "--files", type=Path, required=True, help="folder the manifest's file names are in"
        )
        parser.add_argument("--dry-run", action="store_true", help="check only, import nothing")
        parser.add_argument(
            "--user", help="the webmaster (or superuser) responsible, named in the log"
        )

    def handle(self, *args, manifest: Path, files: Path, dry_run: bool, user: str | None, **kw):
        if not manifest.is_file():
            raise CommandError(f"ไม่พบไฟล์ {manifest} / manifest not found: {manifest}")
        if not files.is_dir():
            raise CommandError(f"ไม่พบโฟลเดอร์ {files} / files folder not found: {files}")
        responsible = self._responsible(user)

        plan = check_manifest(manifest, files, progress=self._progress)
        if plan.problems:
            for problem in plan.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                f"พบปัญหา {len(plan.problems)} รายการ ยังไม่ได้นำเข้ารายการใดเลย / "
                f"{len(plan.problems)} problem(s) found, nothing imported"
            )
        skipped = len(plan.already_imported)
        if dry_run:
            self.stdout.write(
                f"ตรวจแล้วไม่พบปัญหา จะนำเข้า {len(plan.rows)} รายการ ข้าม {skipped} รายการที่นำเข้าแล้ว"
                f" / dry run: {len(plan.rows)} to import, {skipped} already imported"
            )
            return
        items = import_rows(plan.rows, progress=self._progress)
        if items:
            refresh_planner_statistics()
        log.info(
            "imported %d item(s) from %s (responsible: %s)",
            len(items),
            manifest,
            responsible.get_username() if responsible else "-",
        )
        self.stdout.write(
            f"นำเข้า {len(items)} รายการ ข้าม {skipped} รายการที่นำเข้าแล้ว"
            f" / imported {len(items)}, skipped {skipped} already imported"
        )

    def _responsible(self, username: str | None):
        if not username:
            return None

        user = User.objects.filter(username=username, is_active=True).first()
        if user is None or not (user.is_superuser or user.has_role(roles.WEBMASTER)):
            raise CommandError(
                f"ผู้ใช้ {username} ไม่ใช่ผู้มีหน้าที่เผยแพร่ข้อมูล / "
                f"{username} is not an active webmaster or superuser"
            )
        return user

    def _progress(self, stage: str, done: int, total: int) -> None:
        label = {"check": "ตรวจ/checked", "import": "นำเข้า/imported"}[stage]
        end = "\n" if done == total else ""
        self.stderr.write(f"\r{label} {done}/{total}", ending=end)
        self.stderr.flush()
