"""What the memo shows, as plain frozen dataclasses.

The renderer never touches the database: the caller (a view, a management command, a test) reads
the request and its decisions and fills these objects. That keeps the PDF reproducible from a
snapshot of values and lets the layout be tested without fixtures.

Every text field is plain text typed by a person or taken from the office's settings. None of it
is trusted: the template escapes all of it, so markup in a field prints as the characters typed.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

#: Delivery channels of seed 000's form: e-mail, the AMSS++ e-office system, or something else.
DELIVERY_CHANNELS = ("email", "amss", "other")
#: A deputy's opinion and a director's decision take the same two values.
CHOICES = ("allow", "deny")
#: How a request can end without being allowed: refused by the director, or withdrawn.
CLOSED_AS = ("rejected", "withdrawn")
#: Who gave the first review; ``None`` prints the seed's combined label "ผอ.กลุ่มฯ/นิติกร".
FIRST_REVIEW_ROLES = ("group_director", "legal_officer")

DEFAULT_PURPOSE = "เพื่อเผยแพร่ประชาสัมพันธ์งานที่ดำเนินการ ต่อผู้รับบริการภายในและภายนอกหน่วยงาน ทางสื่อประชาสัมพันธ์"
DEFAULT_FILE_FORMATS = ("PDF", "JPG", "Word")


class AttachmentInfo(NamedTuple):
    """One attached file as the memo lists it. A plain ``(name, size_bytes)`` pair works too."""

    name: str
    size_bytes: int


@dataclass(frozen=True)
class SignatureBlock:
    """One signer's block.

    ``name=None`` means the step has not been taken: the memo prints dotted lines so the block
    can be filled in by hand on paper. ``acting_capacity`` is the whole line that shows someone
    signs in another's place, e.g. "ปฏิบัติราชการแทน ผู้อำนวยการสำนักงาน…" or "รักษาราชการแทน …";
    ``None`` when the signer acts in their own post. ``signed_at`` is when the step was taken in
    this system: the memo then says so in place of the dotted line for a handwritten signature.
    """

    name: str | None = None
    position: str | None = None
    acting_capacity: str | None = None
    date: datetime.date | None = None
    comment: str | None = None
    signed_at: datetime.datetime | None = None

    @property
    def taken(self) -> bool:
        """Whether the step was done (a named signer), as opposed to a blank for handwriting."""
        return bool(self.name)


@dataclass(frozen=True)
class MemoData:
    """Everything on the memo "ขออนุญาตเผยแพร่ข้อมูลบนเว็บไซต์", in the order of seed 000's form.

    Office and unit
        ``office_short_name`` ("สพป.ฉะเชิงเทรา เขต ๑"), ``office_name_th`` (the full name,
        "สำนักงานเขตพื้นที่การศึกษาประถมศึกษาฉะเชิงเทรา เขต ๑"), ``unit_name`` (the requester's
        group as it appears after ส่วนราชการ) and ``unit_phone``.
    Header
        ``doc_number`` as issued ("ศธ ๐๔๐๓๒/๑๒๓"; Arabic digits are printed as Thai digits),
        ``date`` (``None`` prints a dotted blank), ``subject`` (เรื่อง; empty means the standard
        "ขออนุญาตเผยแพร่ข้อมูลบนเว็บไซต์ <office_short_name>"), ``addressee`` (เรียน; empty means
        "ผู้อำนวยการ<office_name_th>").
    Body
        ``requester_name``, ``requester_position``, ``requester_group``, ``publish_title`` (the
        เรื่อง of what is to be published), ``purpose``, ``file_formats``, ``delivery_channel``
        (one of :data:`DELIVERY_CHANNELS`, ``None`` for none ticked) with ``delivery_email`` /
        ``delivery_other``.
    Extras
        ``emblem_path`` (a PNG or JPEG shown top-left; embedded as a data: URL so no media
        directory has to be readable by the renderer), ``attachments`` (``(name, size_bytes)``
        pairs listed after the signatures), ``draft`` (prints the watermark "ร่าง"),
        ``closed_as`` (:data:`CLOSED_AS`: a refused or withdrawn request, marked as such instead
        of as a draft) and ``verify_url`` / ``verify_code`` (the request's page with its history,
        printed as a QR code and a reference for those allowed to open it).
    Signatures
        ``requester_signature`` (defaults to the requester's name and position),
        ``first_review`` with ``first_review_role`` (:data:`FIRST_REVIEW_ROLES` or ``None``),
        ``webmaster``, ``deputy`` with ``deputy_opinion`` and ``director`` with
        ``director_decision`` (each :data:`CHOICES` or ``None`` for not yet given).
    """

    office_short_name: str
    office_name_th: str
    unit_name: str = ""
    unit_phone: str = ""
    doc_number: str = ""
    date: datetime.date | None = None
    subject: str = ""
    addressee: str = ""
    requester_name: str = ""
    requester_position: str = ""
    requester_group: str = ""
    publish_title: str = ""
    purpose: str = DEFAULT_PURPOSE
    file_formats: tuple[str, ...] = DEFAULT_FILE_FORMATS
    delivery_channel: str | None = None
    delivery_email: str = ""
    delivery_other: str = ""
    emblem_path: Path | None = None
    attachments: tuple[AttachmentInfo, ...] = ()
    draft: bool = False
    closed_as: str | None = None
    verify_url: str = ""
    verify_code: str = ""
    requester_signature: SignatureBlock | None = None
    first_review: SignatureBlock = field(default_factory=SignatureBlock)
    first_review_role: str | None = None
    #: The legal officer's block when both the group director and a legal officer reviewed
    #: (seed 000 §2.1); ``first_review`` is then the group director's.
    second_review: SignatureBlock | None = None
    webmaster: SignatureBlock = field(default_factory=SignatureBlock)
    deputy: SignatureBlock = field(default_factory=SignatureBlock)
    deputy_opinion: str | None = None
    director: SignatureBlock = field(default_factory=SignatureBlock)
    director_decision: str | None = None

    def __post_init__(self) -> None:
        # Callers pass lists; store tuples so the object stays immutable and hashable.
        object.__setattr__(self, "file_formats", tuple(str(f) for f in self.file_formats))
        object.__setattr__(self, "attachments", _attachments(self.attachments))
        if self.emblem_path is not None and not isinstance(self.emblem_path, Path):
            object.__setattr__(self, "emblem_path", Path(self.emblem_path))
        if self.requester_signature is None:
            object.__setattr__(
                self,
                "requester_signature",
                SignatureBlock(
                    name=self.requester_name or None, position=self.requester_position or None
                ),
            )
        _check_choice("delivery_channel", self.delivery_channel, (None, *DELIVERY_CHANNELS))
        _check_choice("first_review_role", self.first_review_role, (None, *FIRST_REVIEW_ROLES))
        _check_choice("deputy_opinion", self.deputy_opinion, (None, *CHOICES))
        _check_choice("director_decision", self.director_decision, (None, *CHOICES))
        _check_choice("closed_as", self.closed_as, (None, *CLOSED_AS))

    @property
    def effective_subject(self) -> str:
        return self.subject or f"ขออนุญาตเผยแพร่ข้อมูลบนเว็บไซต์ {self.office_short_name}"

    @property
    def effective_addressee(self) -> str:
        return self.addressee or f"ผู้อำนวยการ{self.office_name_th}"


def _attachments(items: Iterable) -> tuple[AttachmentInfo, ...]:
    return tuple(AttachmentInfo(str(name), int(size)) for name, size in items)


def _check_choice(name: str, value: object, allowed: tuple) -> None:
    if value not in allowed:
        raise ValueError(f"{name} must be one of {allowed!r}, not {value!r}")
