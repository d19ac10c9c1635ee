from django.core.management.base import BaseCommand

from approvals.digest import send_digests


class Command(BaseCommand):
    help = "Queue the daily digest of waiting work for those who chose it (once a day each)."

    def handle(self, *args, **options):
        sent = send_digests()
        self.stdout.write(f"{sent} digest(s) queued.")
