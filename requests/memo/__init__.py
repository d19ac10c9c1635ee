"""The memo บันทึกข้อความ "ขออนุญาตเผยแพร่ข้อมูลบนเว็บไซต์" as a PDF, built from plain dataclasses.

``from requests.memo import MemoData, SignatureBlock, render_memo_pdf``. The renderer is imported
on first use only, so code that just builds :class:`MemoData` (models, views) does not pay for
importing WeasyPrint.
"""

from requests.memo.data import AttachmentInfo, MemoData, SignatureBlock

__all__ = ["AttachmentInfo", "MemoData", "SignatureBlock", "render_memo_pdf"]


def __getattr__(name):
    if name == "render_memo_pdf":
        from requests.memo.render import render_memo_pdf

        return render_memo_pdf
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
