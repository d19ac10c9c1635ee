"""Forms for the requester's pages: the request's details, its files and its photo set.

The forms only read and check what people typed; the writes happen in ``requests.services``.
Uploaded files are checked here, before anything is created, so a refused file can be reported
next to its input while everything else typed stays on the page. The services check again when
they store, because a form is not the only way files arrive.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from catalog.models import Category, ITAItem
from esa_publish import text_limits
from esa_publish.office.models import Office
from esa_publish.thai.fiscal import fiscal_year
from esa_publish.thai.forms import BEDateField
from requests.models import Channel, FileFormat, PublicationRequest, Urgency
from requests.services import EDITABLE_FIELDS, PHOTO_NOT_IMAGE
from requests.uploads import (
    IMAGE_KINDS,
    UploadRejected,
    check_file_count,
    check_request_total,
    check_upload,
)
from requests.uploads.errors import shown_name

# Phone photos (HEIC, WebP, TIFF, GIF) are taken too and stored as JPEG or PNG.
PHOTO_ACCEPT = ".jpg,.jpeg,.png,.heic,.heif,.webp,.tif,.tiff,.gif"
ATTACHMENT_ACCEPT = ".pdf,.docx,.xlsx," + PHOTO_ACCEPT


def _label(name: str):
    """The model's own label, so the form and the admin never call a field two names."""
    return PublicationRequest._meta.get_field(name).verbose_name


class MultipleFileInput(forms.ClearableFileInput):
    """A file input that lets people pick several files at once (Django's documented recipe).

    Not drawn as a fieldset: there is never an initial file to clear, and a plain input can have
    its own ``<label>`` and ``aria-describedby``.
    """

    allow_multiple_selected = True
    use_fieldset = False


class MultipleFileField(forms.FileField):
    """Cleans to a list of uploaded files (possibly empty)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        # Empty files go on to ``check_upload``, whose message names the file; Django's own
        # "The submitted file is empty" would not say which of several files it meant.
        kwargs.setdefault("allow_empty_file", True)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single_file_clean = super().clean
        if isinstance(data, list | tuple):
            files = [single_file_clean(item, initial) for item in data]
        else:
            files = [single_file_clean(data, initial)]
        return [f for f in files if f]


class FormatsWidget(forms.CheckboxSelectMultiple):
    """File-format boxes where the formats of the attached files are ticked and fixed.

    Those come from the files themselves (``PublicationRequest.formats_from_files``), so they are
    drawn ticked and disabled; the requester may still tick others.
    """

    derived: frozenset = frozenset()

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if value in self.derived:
            option["selected"] = True
            option["attrs"]["checked"] = True
            option["attrs"]["disabled"] = True
        return option


class FilesMixin:
    """Checks the ``attachments`` and ``photos`` of a form as one batch.

    ``existing_count`` and ``existing_bytes`` describe the files the request already has, so the
    per-request limits count them too (both zero for a new request).
    """

    existing_count = 0
    existing_bytes = 0

    def clean_photo_captions(self) -> list[str]:
        """One caption per line, in the order the photos were chosen (blank lines: none)."""
        lines = (self.cleaned_data.get("photo_captions") or "").splitlines()
        while lines and not lines[-1].strip():
            lines.pop()
        captions = [line.strip() for line in lines]
        for caption in captions:
            text_limits.TextLengthValidator(text_limits.CAPTION)(caption)
        return captions

    def _check_each(self, files, *, photos: bool) -> list:
        errors = []
        for upload in files:
            try:
                checked = check_upload(upload)
            except UploadRejected as exc:
                errors.append(exc)
                continue
            if photos and checked.kind not in IMAGE_KINDS:
                name = shown_name(checked.original_name)
                errors.append(UploadRejected(str(PHOTO_NOT_IMAGE) % {"name": name}, "not_image"))
            else:
                upload.checked_size = checked.size
        if errors:
            raise ValidationError(errors)
        return files

    def _sent(self, field: str) -> list:
        return self.files.getlist(self.add_prefix(field)) if self.files else []

    def _batch_refused(self) -> UploadRejected | None:
        """Too many files, or too many bytes, judged from what was sent before any file is
        opened: a post of a hundred large files is refused without reading them all."""
        if not hasattr(self, "_batch_refusal"):
            sent = [*self._sent("attachments"), *self._sent("photos")]
            self._batch_refusal = None
            try:
                check_file_count(self.existing_count, len(sent))
                check_request_total(self.existing_bytes, [f.size or 0 for f in sent])
            except UploadRejected as exc:
                self._batch_refusal = exc
        return self._batch_refusal

    def clean_attachments(self):
        files = self.cleaned_data.get("attachments") or []
        refused = self._batch_refused()
        if refused is not None:
            if files:
                raise refused
            return []
        return self._check_each(files, photos=False)

    def clean_photos(self):
        files = self.cleaned_data.get("photos") or []
        refused = self._batch_refused()
        if refused is not None:
            if files and not self._sent("attachments"):
                raise refused  # reported once, on the first input that has files
            return []
        return self._check_each(files, photos=True)

    def _check_batch(self) -> None:
        """The request-wide limits, reported on the first file input that adds anything."""
        attachments = self.cleaned_data.get("attachments") or []
        photos = self.cleaned_data.get("photos") or []
        files = [*attachments, *photos]
        if not files or "attachments" in self.errors or "photos" in self.errors:
            return
        field = "attachments" if attachments else "photos"
        try:
            check_file_count(self.existing_count, len(files))
            check_request_total(self.existing_bytes, [f.checked_size for f in files])
        except UploadRejected as exc:
            self.add_error(field, exc)

    @property
    def has_files(self) -> bool:
        return bool(self.cleaned_data.get("attachments") or self.cleaned_data.get("photos"))


def _attachments_field():
    return MultipleFileField(
        label=_("ไฟล์แนบ"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": ATTACHMENT_ACCEPT}),
        help_text=_(
            "PDF, Word (.docx), Excel (.xlsx) หรือภาพ (JPEG, PNG, HEIC, WebP, TIFF, GIF) "
            "เลือกได้หลายไฟล์พร้อมกัน"
        ),
    )


def _photos_field():
    return MultipleFileField(
        label=_("ภาพกิจกรรม"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": PHOTO_ACCEPT}),
        help_text=_(
            "ภาพ JPEG, PNG, HEIC, WebP, TIFF หรือ GIF สำหรับข่าวกิจกรรม เลือกได้หลายภาพ "
            "ภาพแรกจะเป็นภาพปก เขียนคำบรรยายภาพได้ที่ช่องถัดไป (แก้ลำดับและภาพปกได้ภายหลัง)"
        ),
    )


def _photo_captions_field():
    # Without JavaScript this is the whole interface: one line per photo, by file order.
    # ``request-form.js`` draws one box per chosen photo and writes the lines here.
    return forms.CharField(
        label=pgettext_lazy("one line per photo", "คำบรรยายภาพ"),
        required=False,
        widget=forms.Textarea(
            attrs={
                "rows": 3,
                "data-photo-captions": "photos",
                "data-row-label": _("คำบรรยายภาพที่ {number} ({name})"),
            }
        ),
        help_text=_("หนึ่งบรรทัดต่อหนึ่งภาพ ตามลำดับภาพที่เลือก (เว้นบรรทัดว่างได้)"),
    )


class CategoryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} {obj.name}".strip()


class ITAItemChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} {obj.name}"


# Fields a draft may be saved without but that submission needs (``requests.validation``):
# their help text says so from the start, not only after a failed submit.
NEEDED_NOTE = _("ต้องกรอกก่อนยื่นคำขอ")
NEEDED_TO_SUBMIT = {
    "purpose": NEEDED_NOTE,
    "public_summary": NEEDED_NOTE,
    "attachments": _("ต้องแนบไฟล์หรือภาพอย่างน้อย ๑ รายการก่อนยื่นคำขอ"),
}


class RequestForm(forms.Form):
    """The memo's content: what to publish, why, in which category, how it is sent.

    A draft may be saved incomplete; what submission still needs is listed on the request's
    page (``requests.validation.submission_problems``), not forced here.
    """

    publish_title = text_limits.text_field(
        text_limits.LINE, multiline=False, label=_label("publish_title"), required=True
    )
    purpose = text_limits.text_field(text_limits.PURPOSE, label=_label("purpose"))
    category = CategoryChoiceField(
        label=_label("category"), queryset=Category.objects.none(), empty_label=_("— เลือก —")
    )
    ita_items = ITAItemChoiceField(
        label=_label("ita_items"),
        queryset=ITAItem.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    file_formats = forms.MultipleChoiceField(
        label=_label("file_formats"),
        choices=FileFormat.choices,
        required=False,
        widget=FormatsWidget,
        help_text=_("ระบบเลือกให้ตามไฟล์ที่แนบ เลือกเพิ่มได้ถ้าจะส่งรูปแบบอื่นด้วย"),
    )
    channel = forms.ChoiceField(
        label=_label("channel"),
        choices=Channel.choices,
        initial=Channel.AMSS,
        widget=forms.RadioSelect,
    )
    channel_email = forms.EmailField(
        label=_label("channel_email"),
        required=False,
        help_text=_("กรอกเมื่อเลือกส่งทาง e-mail"),
    )
    channel_other = text_limits.text_field(
        text_limits.LINE,
        multiline=False,
        label=_label("channel_other"),
        help_text=_("กรอกเมื่อเลือกช่องทางอื่น"),
    )
    urgency = forms.ChoiceField(
        label=_label("urgency"),
        choices=Urgency.choices,
        initial=Urgency.NORMAL,
        widget=forms.RadioSelect,
    )
    wished_publish_date = BEDateField(label=_label("wished_publish_date"), required=False)
    public_title = text_limits.text_field(
        text_limits.LINE,
        multiline=False,
        label=_label("public_title"),
        help_text=_("ถ้าเว้นว่าง จะใช้เรื่องที่ขอเผยแพร่"),
    )
    public_summary = text_limits.text_field(text_limits.SUMMARY, label=_label("public_summary"))
    addressee = text_limits.text_field(text_limits.LINE, multiline=False, label=_label("addressee"))

    # Sections of the page, in order: (heading, field names).
    SECTIONS = (
        (_("ข้อมูลที่ขอเผยแพร่"), ("publish_title", "purpose", "category", "ita_items")),
        (
            _("รูปแบบและช่องทางส่งข้อมูล"),
            (
                "file_formats",
                "channel",
                "channel_email",
                "channel_other",
                "urgency",
                "wished_publish_date",
            ),
        ),
        (_("การแสดงผลต่อสาธารณะ"), ("public_title", "public_summary")),
        (_("บันทึกข้อความ"), ("addressee",)),
    )

    # Marks the labels of fields that must be filled to save (see app.css, ".required").
    required_css_class = "required"

    def __init__(self, *args, req: PublicationRequest | None = None, **kwargs):
        if req is not None and "initial" not in kwargs:
            kwargs["initial"] = initial_for(req)
        super().__init__(*args, **kwargs)
        if req is not None and req.pk:
            self.fields["file_formats"].widget.derived = frozenset(req.formats_from_files())
        self.fields["category"].queryset = Category.objects.active()
        year = fiscal_year(timezone.localdate())
        items = Q(fiscal_year=year)
        if req is not None and req.pk:
            # Items chosen in an earlier fiscal year stay on offer, so saving does not drop them.
            items |= Q(pk__in=req.ita_items.all())
        # Only confirmed lists: a copied or unannounced year's O-numbers are not offered.
        self.fields["ita_items"].queryset = (
            ITAItem.objects.confirmed().filter(items).order_by("-fiscal_year", "order", "code")
        )
        self.fields["ita_items"].help_text = _(
            "ข้อ ITA (OIT) ปีงบประมาณ %(year)s ที่ข้อมูลนี้ใช้เป็นหลักฐาน (ถ้ามี)"
        ) % {"year": year}
        self.fields["addressee"].help_text = _("ถ้าเว้นว่าง จะใช้ “%(addressee)s”") % {
            "addressee": Office.current().addressee
        }
        for name, note in NEEDED_TO_SUBMIT.items():
            if name in self.fields:
                field = self.fields[name]
                field.help_text = f"{field.help_text} {note}" if field.help_text else note

    def clean_file_formats(self) -> list[str]:
        """The ticked formats, plus those already saved that the files account for: their boxes
        are disabled, so the browser does not send them, and saving must not drop them."""
        ticked = set(self.cleaned_data.get("file_formats") or [])
        derived = self.fields["file_formats"].widget.derived
        kept = {f for f in (self.initial.get("file_formats") or []) if f in derived}
        return [value for value in FileFormat.values if value in ticked | kept]

    def sections(self):
        """Bound fields grouped under their headings, for the template."""
        return [(title, [self[name] for name in names]) for title, names in self.SECTIONS]

    def request_data(self) -> dict:
        """The cleaned values the services take, without the many-to-many items."""
        return {k: v for k, v in self.cleaned_data.items() if k in EDITABLE_FIELDS}


class CreateRequestForm(FilesMixin, RequestForm):
    """A new draft together with its first files."""

    attachments = _attachments_field()
    photos = _photos_field()
    photo_captions = _photo_captions_field()

    SECTIONS = (
        *RequestForm.SECTIONS[:2],
        (_("ไฟล์และภาพที่ขอเผยแพร่"), ("attachments", "photos", "photo_captions")),
        *RequestForm.SECTIONS[2:],
    )

    def clean(self):
        cleaned = super().clean()
        self._check_batch()
        return cleaned


class UploadForm(FilesMixin, forms.Form):
    """More files for a draft; the request's current files count towards its limits.

    On the edit page it is part of the one form there, where choosing no file is fine
    (``files_required=False``).
    """

    attachments = _attachments_field()
    photos = _photos_field()
    photo_captions = _photo_captions_field()

    def __init__(
        self,
        *args,
        existing_count: int = 0,
        existing_bytes: int = 0,
        files_required: bool = True,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.existing_count = existing_count
        self.existing_bytes = existing_bytes
        self.files_required = files_required

    def clean(self):
        cleaned = super().clean()
        self._check_batch()
        if self.files_required and not self.errors and not self.has_files:
            raise ValidationError(_("กรุณาเลือกไฟล์หรือภาพอย่างน้อย ๑ รายการ"), code="no_files")
        return cleaned


def initial_for(req: PublicationRequest) -> dict:
    initial = {field: getattr(req, field) for field in EDITABLE_FIELDS}
    initial["category"] = req.category_id
    initial["ita_items"] = [item.pk for item in req.ita_items.all()]
    return initial


class PhotoSetForm(forms.Form):
    """Caption and order of each photo of the set, and which one is the cover."""

    cover = forms.TypedChoiceField(
        label=_("ภาพปก"), coerce=int, widget=forms.RadioSelect, required=False
    )

    def __init__(self, *args, photos, **kwargs):
        super().__init__(*args, **kwargs)
        self.photos = list(photos)
        self.fields["cover"].choices = [
            (p.pk, _("ใช้ภาพที่ %(number)s เป็นภาพปก") % {"number": number})
            for number, p in enumerate(self.photos, start=1)
        ]
        cover = next((p.pk for p in self.photos if p.is_cover), None)
        self.fields["cover"].initial = cover
        for number, photo in enumerate(self.photos, start=1):
            self.fields[f"caption_{photo.pk}"] = text_limits.text_field(
                text_limits.CAPTION,
                rows=2,
                label=_("คำบรรยายภาพที่ %(number)s") % {"number": number},
                initial=photo.caption,
            )
            self.fields[f"order_{photo.pk}"] = forms.IntegerField(
                # Named by its photo like the caption: one page, several "order" boxes.
                label=_("ลำดับภาพที่ %(number)s") % {"number": number},
                min_value=0,
                max_value=9999,
                initial=photo.order,
                required=False,
            )

    def rows(self):
        """(photo, caption field, order field, cover radio) per photo, in the set's order."""
        radios = {int(radio.data["value"]): radio for radio in self["cover"]}
        return [
            (p, self[f"caption_{p.pk}"], self[f"order_{p.pk}"], radios[p.pk]) for p in self.photos
        ]

    def service_rows(self) -> list[dict]:
        """Rows for the photos whose boxes were on the page: a photo added meanwhile in another
        tab keeps its caption rather than getting the empty one its missing box would give."""
        cover = self.cleaned_data.get("cover")
        rows = []
        for photo in self.photos:
            if self.add_prefix(f"caption_{photo.pk}") not in self.data:
                continue
            order = self.cleaned_data[f"order_{photo.pk}"]
            rows.append(
                {
                    "pk": photo.pk,
                    "caption": self.cleaned_data[f"caption_{photo.pk}"],
                    "order": photo.order if order is None else order,
                    "is_cover": photo.pk == cover,
                }
            )
        return rows
