from django.core.management.base import BaseCommand

from catalog.evidence import public_list
from catalog.models import ITAItem
from catalog.services import ita_rollover


class Command(BaseCommand):
    help = (
        "Open the current fiscal year's ITA list (empty, not confirmed) and say what the office "
        "still has to do. Run daily; does nothing once the year is open."
    )

    def handle(self, *args, **options):
        ita_list, created = ita_rollover()
        year = ita_list.fiscal_year
        items = ITAItem.objects.filter(fiscal_year=year).count()
        if created:
            self.stdout.write(f"Fiscal year {year} opened: its ITA list is not yet announced.")
        if public_list(year) is not None:
            self.stdout.write(f"ITA {year}: {items} item(s), confirmed.")
        else:
            self.stdout.write(
                f"ITA {year}: {items} item(s), not confirmed; the public page says the list is "
                "not yet announced. Import or copy the list in the admin, check it and confirm."
            )
