"""``manage.py find_active_pdfs``: list stored PDFs that run something when opened.

Uploads are refused for active content (JavaScript, ``/Launch`` and the like, see
requests/uploads/pdf.py) since issue 14; PDFs stored before that were not. Run this once after
upgrading, and whenever in doubt: it lists, in Thai and English, every attached or published PDF
with active content, published ones first, so the webmaster can take the item down or have the
file replaced. Exits with an error when it finds any, so a timer or a script notices.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from pypdf import PdfReader

from catalog.models import CatalogFile
from requests.models import Attachment
from requests.uploads.pdf import active_content


def _found_in(field) -> str | None:
    try:
        with field.open("rb") as handle:
            reader = PdfReader(handle)
            if reader.is_encrypted:
                reader.decrypt("")
            return active_content(reader)
    except Exception:  # a damaged or missing file is not this command's finding
        return None


class Command(BaseCommand):
    help = "List stored PDFs with active content (JavaScript, /Launch); fails if there are any."

    def handle(self, *args, **options):
        found = []
        for published in CatalogFile.objects.filter(kind="pdf").select_related("item"):
            what = _found_in(published.file)
            if what:
                found.append(
                    f'เผยแพร่แล้ว รายการ #{published.item_id} ไฟล์ "{published.original_name}": '
                    f"มี {what} / published item #{published.item_id}, file "
                    f'"{published.original_name}": contains {what}'
                )
        for attached in Attachment.objects.filter(kind="pdf"):
            what = _found_in(attached.file)
            if what:
                found.append(
                    f'คำขอ #{attached.request_id} ไฟล์แนบ "{attached.original_name}": มี {what} '
                    f'/ request #{attached.request_id}, attachment "{attached.original_name}": '
                    f"contains {what}"
                )
        for line in found:
            self.stdout.write(line)
        if found:
            raise CommandError(
                f"พบ PDF ที่มีคำสั่งทำงานอัตโนมัติ {len(found)} ไฟล์ กรุณาถอนการเผยแพร่หรือเปลี่ยนไฟล์ "
                f"/ {len(found)} PDF(s) with active content found"
            )
        self.stdout.write("ไม่พบ PDF ที่มีคำสั่งทำงานอัตโนมัติ / no PDF with active content")
