"""``manage.py restore PATH``: bring a backup back into a new, empty installation."""

from django.core.management.base import BaseCommand, CommandError

from esa_publish.backup import archive


class Command(BaseCommand):
    help = (
        "Restore a backup made by `manage.py backup` into an empty database and an empty "
        "MEDIA_ROOT. The whole archive is checked first; nothing is changed when anything is "
        "wrong with it or when the target already holds data."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The .tar.gz archive written by `manage.py backup`.")
        parser.add_argument(
            "--check",
            action="store_true",
            help="Only check the archive against its manifest (e.g. after copying it off-site).",
        )

    def handle(self, *args, **options):
        try:
            if options["check"]:
                manifest = archive.verify(options["path"])
                self.stdout.write(
                    f"{options['path']} is complete: {len(manifest.members)} members match "
                    f"the manifest (made {manifest.data.get('created_at')}, "
                    f"esa-publish {manifest.data.get('app_version')})."
                )
                return
            result = archive.restore(options["path"])
        except archive.BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Restored {result.rows} rows and {result.files} files.")
