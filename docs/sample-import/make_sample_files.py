"""Write the small files that docs/sample-import/manifest.csv names.

    .venv/bin/python docs/sample-import/make_sample_files.py [FOLDER]

FOLDER defaults to docs/sample-import/files. The PDFs are real (WeasyPrint, Thai text) and the
photos real JPEGs (Pillow), so the sample goes through the same checks as an office's files.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from PIL import Image, ImageDraw
from weasyprint import HTML

HERE = Path(__file__).resolve().parent

PDFS = {
    "แผนปฏิบัติการ-2567.pdf": "แผนปฏิบัติการประจำปีงบประมาณ พ.ศ. ๒๕๖๗",
    "ประกาศ/รับสมัครนักเรียน-2567.pdf": "ประกาศรับสมัครนักเรียน ปีการศึกษา ๒๕๖๗",
}
PHOTOS = {
    "วันครู/ภาพ1.jpg": (23, 64, 122),
    "วันครู/ภาพ2.jpg": (11, 107, 80),
}


def pdf(title: str) -> bytes:
    # ำ written as ํ + า so the PDF's text layer reads back as typed (see requests/memo/text.py).
    text = f"<h1>{title}</h1><p>เอกสารตัวอย่างสำหรับทดลองนำเข้ารายการ</p>"
    return HTML(string=text.replace("\u0e33", "\u0e4d\u0e32")).write_pdf()


def jpeg(colour: tuple[int, int, int]) -> bytes:
    image = Image.new("RGB", (640, 427), colour)
    draw = ImageDraw.Draw(image)
    draw.ellipse((220, 110, 420, 310), outline="white", width=8)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()


def main(folder: Path) -> None:
    for name, title in PDFS.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(pdf(title))
    for name, colour in PHOTOS.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(jpeg(colour))


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "files")
