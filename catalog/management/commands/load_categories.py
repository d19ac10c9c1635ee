from django.core.management.base import BaseCommand, CommandError

from catalog.defaults import load_categories


class Command(BaseCommand):
    help = "Add the categories from a JSON file (see catalog/data/) that are not there yet."

    def add_arguments(self, parser):
        parser.add_argument("path")

    def handle(self, path, **options):
        try:
            created = load_categories(path, only_if_empty=False)
        except (OSError, ValueError, KeyError) as exc:
            raise CommandError(f"Cannot load {path}: {exc}") from exc
        self.stdout.write(f"{created} categories added.")
