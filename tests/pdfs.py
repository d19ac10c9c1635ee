"""Reading the PDFs we render the way outside tools do: three independent text extractors and a
look at the pixels."""

from __future__ import annotations

import subprocess
import tempfile
from io import BytesIO, StringIO
from pathlib import Path

import pypdf
from PIL import Image


def poppler_text(pdf: bytes, *args: str) -> str:
    """``pdftotext`` (Poppler); ``-raw`` keeps the content stream's order."""
    return subprocess.run(
        ["pdftotext", *args, "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()


def pypdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(BytesIO(pdf)).pages)


def pdfminer_text(pdf: bytes) -> str:
    """pdfminer.six in content-stream order (no layout analysis).

    Its layout analysis starts a new line between two zero-width boxes side by side (the test
    ``hdistance < max(width) * char_margin`` cannot hold at width 0), which splits Thai words at
    every letter that carries two marks ("ที่", "ผู้"): a heuristic of the analysis, not the text
    layer, so it is checked separately in tests/test_pdf_text.py.
    """
    from pdfminer.converter import TextConverter
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage

    out = StringIO()
    manager = PDFResourceManager()
    device = TextConverter(manager, out, laparams=None)
    interpreter = PDFPageInterpreter(manager, device)
    for page in PDFPage.get_pages(BytesIO(pdf)):
        interpreter.process_page(page)
    device.close()
    return out.getvalue()


def all_texts(pdf: bytes) -> dict[str, str]:
    """The text of ``pdf`` as each extractor reads it."""
    return {
        "pdftotext": poppler_text(pdf),
        "pdftotext -raw": poppler_text(pdf, "-raw"),
        "pypdf": pypdf_text(pdf),
        "pdfminer": pdfminer_text(pdf),
    }


def page_pixels(pdf: bytes, page: int = 1, dpi: int = 30) -> Image.Image:
    """Page ``page`` as a greyscale image."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "doc.pdf"
        path.write_bytes(pdf)
        subprocess.run(
            [
                "pdftoppm",
                "-r",
                str(dpi),
                "-gray",
                "-f",
                str(page),
                "-l",
                str(page),
                str(path),
                str(Path(folder) / "page"),
            ],
            check=True,
        )
        (image,) = Path(folder).glob("page-*.pgm")
        return Image.open(image).copy()


def has_watermark(pdf: bytes, page: int = 1) -> bool:
    """Whether the page shows the large watermark word, filled flat at 9 % black (grey 232):
    about a thousand such pixels at 30 dpi, against a couple of hundred from anti-aliased text."""
    histogram = page_pixels(pdf, page).histogram()
    return sum(histogram[231:234]) > 600


def watermarked_pages(pdf: bytes) -> list[int]:
    """The pages that show the watermark (on a page full of table the word may be hidden)."""
    pages = len(pypdf.PdfReader(BytesIO(pdf)).pages)
    return [page for page in range(1, pages + 1) if has_watermark(pdf, page)]


def document_info(pdf: bytes) -> dict:
    """What pypdf reads of a PDF's identity: metadata, language, tagging and the XMP claims."""
    reader = pypdf.PdfReader(BytesIO(pdf))
    root = reader.trailer["/Root"]
    xmp = reader.xmp_metadata
    xml = xmp.stream.get_data().decode() if xmp else ""
    return {
        "title": reader.metadata.title,
        "author": reader.metadata.author,
        "created": reader.metadata.creation_date,
        "lang": root.get("/Lang"),
        "tagged": bool(root.get("/MarkInfo", {}).get("/Marked")) and "/StructTreeRoot" in root,
        "pdfua": 'pdfuaid:part="1"' in xml,
        "pdfa": 'pdfaid:part="3"' in xml or 'pdfaid:part="2"' in xml,
    }
