"""ITA open-information evidence: which published items answer which ITA item of a year.

Reviewers of the Integrity and Transparency Assessment check, item by item (O1, O2, …), that
the office's website shows the required information. The rule applied here is the brief's: an
item counts as evidence for fiscal year *Y* when the webmaster mapped it to one of *Y*'s ITA
items and the item itself belongs to fiscal year *Y* (``CatalogItem.fiscal_year``). Only live
items count: a withdrawn one is no longer on the website.
"""

from __future__ import annotations

import csv
import io

from django.conf import settings
from django.db.models import Prefetch
from django.utils.translation import gettext as _

from catalog.models import CatalogItem, ITAItem
from esa_publish.spreadsheet import safe_cell, safe_row


def for_year(fiscal_year: int) -> list[ITAItem]:
    """The ITA items of ``fiscal_year``, each with ``evidence``: its live items of that year,
    newest first. Two queries however many items there are."""
    evidence = (
        CatalogItem.objects.live()
        .filter(fiscal_year=fiscal_year)
        .only("pk", "slug", "title", "published_at", "fiscal_year")
        .order_by("-published_at", "-pk")
    )
    return list(
        ITAItem.objects.for_year(fiscal_year).prefetch_related(
            Prefetch("catalog_items", queryset=evidence, to_attr="evidence")
        )
    )


def gaps(ita_items: list[ITAItem]) -> list[ITAItem]:
    """Those of ``ita_items`` (from :func:`for_year`) with nothing published for them."""
    return [ita for ita in ita_items if not ita.evidence]


def years() -> list[int]:
    """Fiscal years that have an ITA list, newest first."""
    return list(
        ITAItem.objects.order_by("-fiscal_year").values_list("fiscal_year", flat=True).distinct()
    )


def csv_text(fiscal_year: int) -> str:
    """The evidence list as CSV, one row per ITA item, for reviewers' spreadsheets.

    Starts with a byte-order mark: Excel reads a CSV without one in the Windows code page and
    turns Thai into mojibake. Several items of one ITA item share a cell, one per line, titles
    and addresses in the same order.
    """
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow([_("รหัส"), _("ข้อ ITA"), _("รายการที่เผยแพร่"), _("ที่อยู่เว็บ")])
    for ita in for_year(fiscal_year):
        # Titles are typed by staff, but the file is opened on reviewers' computers.
        writer.writerow(
            safe_row(
                [
                    ita.code,
                    ita.name,
                    "\n".join(safe_cell(item.title) for item in ita.evidence),
                    "\n".join(settings.SITE_URL + item.get_absolute_url() for item in ita.evidence),
                ]
            )
        )
    return out.getvalue()
