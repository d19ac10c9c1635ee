"""``manage.py backup``: the database and every uploaded file in one checked archive."""

from django.core.management.base import BaseCommand, CommandError

from esa_publish.backup import archive


class Command(BaseCommand):
    help = (
        "Write the whole database and every file under MEDIA_ROOT into one .tar.gz archive with "
        "a manifest of SHA-256 hashes (restore it with `manage.py restore`)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            "-o",
            help="Archive to write (default: BACKUP_DIR/esa-publish-<date>-<time>.tar.gz). "
            "An existing file is never replaced.",
        )

    def handle(self, *args, **options):
        try:
            result = archive.create(options["output"])
        except archive.BackupError as exc:
            raise CommandError(str(exc)) from exc
        if not archive.media_on_disk():
            self.stderr.write(
                "Uploaded files are in object storage and are not in this archive: back the "
                "bucket up with the provider's versioning or replication."
            )
        self.stdout.write(
            f"Backup written to {result.path}: {result.rows} rows, {result.files} files "
            f"({result.media_bytes / 1e6:.1f} MB), archive {result.archive_bytes / 1e6:.1f} MB."
        )
