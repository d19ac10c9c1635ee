"""Checking and processing uploaded attachments: pure functions, no models.

Typical use in a view or form, for each uploaded file::

    checked = check_upload(uploaded)             # raises UploadRejected (a ValidationError)
    stored_name = generated_name(checked.kind)
    if checked.kind in IMAGE_KINDS:
        image = process_image(uploaded, checked.kind, name=uploaded.name)
        # store image.data (not the upload) and image.thumbnails
    else:
        ...  # store the upload as is
    # later: response["Content-Disposition"] = content_disposition(checked.original_name)
"""

from requests.uploads.checks import (
    CheckedUpload,
    check_file_count,
    check_request_total,
    check_upload,
)
from requests.uploads.disposition import (
    MAX_NAME_LENGTH,
    clean_original_name,
    content_disposition,
)
from requests.uploads.errors import UploadRejected
from requests.uploads.images import ProcessedImage, Thumbnail, process_image
from requests.uploads.kinds import IMAGE_KINDS, KINDS, OFFICE_KINDS, generated_name
from requests.uploads.sniff import detect_kind

__all__ = [
    "IMAGE_KINDS",
    "KINDS",
    "MAX_NAME_LENGTH",
    "OFFICE_KINDS",
    "CheckedUpload",
    "ProcessedImage",
    "Thumbnail",
    "UploadRejected",
    "check_file_count",
    "check_request_total",
    "check_upload",
    "clean_original_name",
    "content_disposition",
    "detect_kind",
    "generated_name",
    "process_image",
]
