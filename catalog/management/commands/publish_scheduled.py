"""Publish the approved requests whose planned publication time has come.

Meant for cron (every few minutes). Running it on two machines at once is safe: a request is
published once, and the run that comes second counts it as already done without a word.
"""

from django.core.management.base import BaseCommand, CommandError

from catalog.publishing import publish_due


class Command(BaseCommand):
    help = "Publish approved requests whose scheduled publication time has passed."

    def handle(self, *args, **options):
        run = publish_due()
        for request_id in run.published:
            self.stdout.write(f"published request {request_id}")
        for request_id, message in run.failed:
            self.stderr.write(f"request {request_id} not published: {message}")
        if options["verbosity"] >= 2:
            self.stdout.write(
                f"{len(run.published)} published, {len(run.already_done)} already done, "
                f"{len(run.failed)} failed"
            )
        if run.failed:
            # A non-zero exit makes cron mail the office's administrator.
            raise CommandError(f"{len(run.failed)} scheduled publication(s) failed")
