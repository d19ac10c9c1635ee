from django.core.management.base import BaseCommand, CommandError

from catalog.defaults import list_notes, shipped_ita_lists
from catalog.services import ITAError, ita_import_year


class Command(BaseCommand):
    help = (
        "Replace a fiscal year's unconfirmed ITA list with the list shipped in catalog/data "
        "(for a year that holds an automatic copy of an older list). Refused when the year is "
        "confirmed or any of its items is already cited."
    )

    def add_arguments(self, parser):
        parser.add_argument("year", type=int)

    def handle(self, *args, year: int, **options):
        data = shipped_ita_lists().get(year)
        if data is None:
            raise CommandError(f"No list is shipped for {year}.")
        rows = [
            {
                "code": row["code"],
                "name": row["name"],
                "group": row.get("group", ""),
                "evidence": row.get("evidence", ""),
                "data_year_offset": row.get("data_year", 0),
                "parts": row.get("parts", ""),
                "needs_check": row.get("status") != "verified",
                "note": row.get("note", ""),
            }
            for row in data["items"]
        ]
        try:
            ita_import_year(
                fiscal_year=year,
                rows=rows,
                source="\n".join(data["source"]),
                notes=list_notes(data),
                verification=data["verification"],
                user=None,
            )
        except ITAError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"ITA {year}: {len(rows)} item(s) loaded, {data['verification']}; "
            "check them and confirm the list in the admin."
        )
