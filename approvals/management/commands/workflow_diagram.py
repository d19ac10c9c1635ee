from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from approvals.diagram import document


class Command(BaseCommand):
    help = "Write docs/WORKFLOW.md from the request's state machine."

    def add_arguments(self, parser):
        # dest must not be "stdout": Django passes its output stream under that name.
        parser.add_argument(
            "--stdout", action="store_true", dest="print_only", help="print instead of writing"
        )

    def handle(self, *args, print_only=False, **options):
        text = document()
        if print_only:
            self.stdout.write(text)
            return
        path = Path(settings.BASE_DIR) / "docs" / "WORKFLOW.md"
        path.write_text(text, encoding="utf-8")
        self.stdout.write(f"wrote {path}")
