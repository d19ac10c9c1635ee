"""Write the pending view and download counts to DailyStat (catalog/stats.py).

Run every minute by a systemd timer (docs/DEPLOY.md). With Redis it moves the counts every
worker and machine made since the last run; without Redis the counts live in each worker's memory
and the workers flush them themselves, so this finds nothing to do. Two runs at once are safe:
the second one waits for nothing and writes nothing.
"""

from django.core.management.base import BaseCommand

from catalog import stats


class Command(BaseCommand):
    help = "Write the pending item view and download counts to the daily statistics."

    def handle(self, *args, **options):
        rows = stats.flush()
        if options["verbosity"] >= 2:
            self.stdout.write(f"{rows} item-day row(s) written")
