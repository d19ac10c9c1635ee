"""Time and memory of the upload checks issue 14 added: a 12 MP iPhone HEIC, a long PDF walked
for active content.

Run from the project root: ``.venv/bin/python bench/phone_photos_and_pdfs.py``.

* A 4032 x 3024 HEIC (an iPhone's 12 MP photo) with EXIF: ``check_upload`` (decoded once to
  know it decodes) and ``process_image`` (decoded again, stored as JPEG with two thumbnails).
  Target as for a 24 MP JPEG: under 1.5 s and 300 MB.
* A 1,000-page PDF with five links on every page: ``check_upload``, whose active-content walk
  visits every page and annotation. Target: under 1 s.
"""

from __future__ import annotations

import gc
import io
import statistics
import time

from _measure import MIB, maxrss_kib, reset_peak, setup_django, status_kib

RUNS = 3


def heic_photo() -> bytes:
    from PIL import ExifTags, Image

    photo = Image.linear_gradient("L").resize((4032, 3024)).convert("RGB")
    noise = Image.effect_noise((4032, 3024), 40).convert("RGB")
    photo = Image.blend(photo, noise, 0.3)
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Apple"
    buffer = io.BytesIO()
    photo.save(buffer, format="HEIF", quality=80, exif=exif.tobytes())
    return buffer.getvalue()


def linked_pdf(pages: int = 1000, links: int = 5) -> bytes:
    from pypdf import PdfWriter
    from pypdf.generic import ArrayObject, DictionaryObject, FloatObject, NameObject
    from pypdf.generic import TextStringObject as Text

    writer = PdfWriter()
    for number in range(pages):
        page = writer.add_blank_page(width=595, height=842)
        annotations = ArrayObject()
        for link in range(links):
            action = DictionaryObject(
                {
                    NameObject("/S"): NameObject("/URI"),
                    NameObject("/URI"): Text(f"https://example.go.th/{number}/{link}"),
                }
            )
            annotations.append(
                writer._add_object(
                    DictionaryObject(
                        {
                            NameObject("/Type"): NameObject("/Annot"),
                            NameObject("/Subtype"): NameObject("/Link"),
                            NameObject("/Rect"): ArrayObject([FloatObject(9)] * 4),
                            NameObject("/A"): action,
                        }
                    )
                )
            )
        page[NameObject("/Annots")] = annotations
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def timed(function) -> tuple[float, float]:
    """Median wall time of RUNS calls, and the largest peak-RSS growth, in MiB. The median CPU
    time (all threads; steadier than wall time on a shared machine) is printed."""
    times, cpu_times, peaks = [], [], []
    for _ in range(RUNS):
        gc.collect()
        reset_peak()
        before, maxrss_before = status_kib("VmRSS"), maxrss_kib()
        started, cpu_started = time.perf_counter(), time.process_time()
        function()
        times.append(time.perf_counter() - started)
        cpu_times.append(time.process_time() - cpu_started)
        peaks.append(max(status_kib("VmHWM") - before, maxrss_kib() - maxrss_before) / 1024)
    print(f"  (CPU time p50 {statistics.median(cpu_times) * 1000:.0f} ms)")
    return statistics.median(times), max(peaks)


def main() -> int:
    setup_django()
    from requests.uploads import check_upload, process_image

    class Named(io.BytesIO):
        def __init__(self, name: str, data: bytes) -> None:
            super().__init__(data)
            self.name, self.size = name, len(data)

    photo = heic_photo()
    print(f"HEIC:   4032x3024, {len(photo) / MIB:.1f} MiB")
    checked = check_upload(Named("IMG_0001.HEIC", photo))
    check_time, check_peak = timed(lambda: check_upload(Named("IMG_0001.HEIC", photo)))
    process_time, process_peak = timed(lambda: process_image(Named("x", photo), checked.kind))
    print(f"  check_upload:  {check_time * 1000:.0f} ms, peak RSS growth {check_peak:.0f} MiB")
    print(f"  process_image: {process_time * 1000:.0f} ms, peak RSS growth {process_peak:.0f} MiB")

    document = linked_pdf()
    print(f"PDF:    1,000 pages x 5 links, {len(document) / MIB:.1f} MiB")
    pdf_time, pdf_peak = timed(lambda: check_upload(Named("long.pdf", document)))
    print(f"  check_upload:  {pdf_time * 1000:.0f} ms, peak RSS growth {pdf_peak:.0f} MiB")
    from pypdf import PdfReader

    from requests.uploads.pdf import active_content

    walk_time, _peak = timed(lambda: active_content(PdfReader(io.BytesIO(document))))
    print(f"  of which opening and the active-content walk: {walk_time * 1000:.0f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
