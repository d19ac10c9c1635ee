from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from approvals.diagram import document


class Command(BaseCommand):
    help = "Write docs/WORKFLOW.md from the request's state machine."

    def add_arguments(self, parser):
        parser.add_argument("--stdout", action="store_true", help="print instead of writing")

    def handle(self, *args, stdout=False, **options):
        text = document()
        if stdout:
            self.stdout.write(text)
            return
        path = Path(settings.BASE_DIR) / "docs" / "WORKFLOW.md"
        path.write_text(text, encoding="utf-8")
        self.stdout.write(f"wrote {path}")
