"""How long a typed text may be, so it fits the memo and the pages and reports that print it.

Without a limit, a 2.1 MB purpose made the memo PDF and the publish step outlast the worker's
time-out, and the request could never be published. Each limit below is checked twice: by the
form (an error beside the field, with everything typed kept on the page) and by the model field's
validator (``full_clean``, the admin). Long texts use :func:`text_field`, which draws no
``maxlength`` on a text area: a browser cuts a paste at ``maxlength`` without a word, and the
person would lose the end of what they pasted instead of being asked to shorten it.
"""

from __future__ import annotations

from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

# The memo prints the purpose as its body: about one A4 page of Thai at 16 pt.
PURPOSE = 2000
# A public summary: the catalog page, the plan and the memo's public-display section.
SUMMARY = 2000
# A reviewer's comment or a takedown reason: a few lines under the reviewer's name in the memo.
COMMENT = 1000
# The quarterly report's narrative parts and the reason for reopening one.
REPORT_TEXT = 5000
REPORT_REASON = 2000
# Admin texts: a category's or ITA item's description, the office's address.
DESCRIPTION = 2000
ADDRESS = 500
# One-line texts (titles, names) and photo captions, as their columns already allow.
LINE = 255
CAPTION = 500

TOO_LONG = _("ข้อความยาวเกินไป กรุณาย่อให้ไม่เกิน %(limit_value)s ตัวอักษร (ขณะนี้ %(show_value)s ตัวอักษร)")


@deconstructible
class TextLengthValidator(MaxLengthValidator):
    """``MaxLengthValidator`` with a Thai message that says by how much the text is over."""

    message = TOO_LONG
    code = "max_length"


def limit(chars: int) -> list:
    """``validators=`` for a model field of at most ``chars`` characters."""
    return [TextLengthValidator(chars)]


def text_field(chars: int, *, multiline: bool = True, rows: int = 4, **kwargs) -> forms.CharField:
    """A form field of at most ``chars`` characters, refused with :data:`TOO_LONG`.

    One-line inputs keep ``maxlength`` (a title is typed, not pasted by the page); text areas do
    not, see the module docstring.
    """
    if multiline:
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": rows}))
    else:
        kwargs.setdefault("widget", forms.TextInput(attrs={"maxlength": str(chars)}))
    kwargs.setdefault("required", False)
    return forms.CharField(validators=[TextLengthValidator(chars)], **kwargs)
