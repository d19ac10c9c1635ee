from django.core.management.base import BaseCommand

from approvals.reminders import send_reminders


class Command(BaseCommand):
    help = "E-mail whoever holds overdue work (at most once a day per request and person)."

    def handle(self, *args, **options):
        sent = send_reminders()
        self.stdout.write(f"{sent} reminder(s) sent.")
