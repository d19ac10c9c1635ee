from django.core.management.base import BaseCommand

from esa_publish import demo


class Command(BaseCommand):
    help = "Create or refresh the demo office, its people and sample data (safe to run again)."

    def handle(self, *args, **options):
        demo.seed(self.stdout.write)
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
        self.stdout.write(demo.describe_logins())
