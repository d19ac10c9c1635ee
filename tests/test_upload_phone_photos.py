"""Photos from phones (issue 14, item 15) and ICC profiles (issue 14, item 12).

HEIC/HEIF, WebP, TIFF and GIF are taken and stored as JPEG or PNG without EXIF, under the same
pixel limits; ICC profiles survive re-encoding only when LittleCMS reads them as profiles. Every
picture is made here with Pillow and pillow-heif.
"""

from __future__ import annotations

import html
import io

import pillow_heif
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import ExifTags, Image, ImageCms

from requests.uploads import UploadRejected, check_upload, detect_kind, process_image
from requests.uploads.errors import (
    CODE_CORRUPT,
    CODE_IMAGE_TOO_LARGE,
    CODE_UNSUPPORTED,
    CODE_WRONG_EXTENSION,
    MSG_CORRUPT,
    MSG_UNSUPPORTED_FORMAT,
    MSG_WRONG_EXTENSION,
)
from requests.uploads.kinds import ACCEPTED_LABELS
from tests.test_upload_images import NamedBytes, exif_with_gps, halves, jpeg_bytes, png_bytes
from tests.workflow import make_request

# The test makes its HEIC files itself, whatever the code under test registers.
pillow_heif.register_heif_opener()
GPS_TEXT = b"PhoneMaker"  # the camera make in exif_with_gps(); must not survive


def encoded(image: Image.Image, fmt: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **options)
    return buffer.getvalue()


def heic(image: Image.Image | None = None, **options) -> bytes:
    return encoded(image or halves((64, 48)), "HEIF", quality=90, **options)


def reopen(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def left_and_right(image: Image.Image) -> tuple:
    width, height = image.size
    rgb = image.convert("RGB")
    return rgb.getpixel((2, height // 2)), rgb.getpixel((width - 3, height // 2))


def is_red(pixel) -> bool:
    return pixel[0] > 150 and pixel[2] < 90


def is_blue(pixel) -> bool:
    return pixel[2] > 150 and pixel[0] < 90


# --- item 15: formats from phones -----------------------------------------------------------


def test_an_iphone_heic_becomes_a_jpeg_without_exif_or_gps():
    data = heic(exif=exif_with_gps().tobytes())
    assert GPS_TEXT in data  # the test photo really carries its EXIF

    checked = check_upload(NamedBytes("IMG_0042.HEIC", data))
    assert (checked.kind, checked.converted_from) == ("jpeg", "heif")
    assert (checked.extension, checked.content_type) == ("jpg", "image/jpeg")
    assert checked.original_name == "IMG_0042.jpg"  # offered for download as what it now is
    assert (checked.width, checked.height) == (64, 48)

    processed = process_image(NamedBytes("IMG_0042.HEIC", data), checked.kind)
    picture = reopen(processed.data)
    assert picture.format == "JPEG"
    assert picture.size == (64, 48)
    assert not picture.getexif()
    assert GPS_TEXT not in processed.data
    assert all(GPS_TEXT not in thumb.data for thumb in processed.thumbnails)
    left, right = left_and_right(picture)
    assert is_red(left) and is_blue(right)


def test_a_heic_named_jpg_is_simply_taken_as_heic():
    checked = check_upload(NamedBytes("IMG_0042.jpg", heic()))
    assert (checked.kind, checked.converted_from, checked.original_name) == (
        "jpeg",
        "heif",
        "IMG_0042.jpg",
    )


def test_a_heic_named_pdf_is_refused_naming_the_real_format():
    with pytest.raises(UploadRejected) as refused:
        check_upload(NamedBytes("รายงาน.pdf", heic()))
    assert refused.value.code == CODE_WRONG_EXTENSION
    assert refused.value.message == MSG_WRONG_EXTENSION.format(
        name="รายงาน.pdf", real="HEIC/HEIF", extension="pdf", expected="heic"
    )


def test_a_jpeg_named_heic_is_told_it_is_a_jpeg():
    with pytest.raises(UploadRejected) as refused:
        check_upload(NamedBytes("IMG_0042.HEIC", jpeg_bytes(halves())))
    assert refused.value.code == CODE_WRONG_EXTENSION
    assert refused.value.message == MSG_WRONG_EXTENSION.format(
        name="IMG_0042.HEIC", real="JPEG", extension="heic", expected="jpg"
    )


def test_a_heic_with_transparency_becomes_a_png():
    picture = halves((40, 30)).convert("RGBA")
    picture.putpixel((0, 0), (0, 0, 0, 0))
    checked = check_upload(NamedBytes("cut-out.heic", heic(picture)))
    assert checked.kind == "png"
    processed = process_image(NamedBytes("x", heic(picture)), checked.kind)
    assert reopen(processed.data).mode == "RGBA"


def test_a_webp_becomes_a_jpeg_and_one_with_transparency_a_png():
    exif = exif_with_gps().tobytes()
    photo = encoded(halves(), "WEBP", quality=90, exif=exif)
    checked = check_upload(NamedBytes("line.webp", photo))
    assert (checked.kind, checked.original_name) == ("jpeg", "line.jpg")
    processed = process_image(NamedBytes("line.webp", photo), checked.kind)
    assert not reopen(processed.data).getexif()
    assert GPS_TEXT not in processed.data

    sticker = halves().convert("RGBA")
    sticker.putpixel((0, 0), (0, 0, 0, 0))
    data = encoded(sticker, "WEBP", lossless=True)
    checked = check_upload(NamedBytes("sticker.webp", data))
    assert checked.kind == "png"
    assert reopen(process_image(NamedBytes("s", data), "png").data).getpixel((0, 0))[3] == 0


def test_a_tiff_keeps_its_first_page_upright_without_exif():
    # Saved on its side with orientation 6 ("turn a quarter clockwise to view").
    sideways = halves((40, 60)).transpose(Image.Transpose.ROTATE_90)
    second_page = Image.new("RGB", (10, 10), "green")
    data = encoded(
        sideways,
        "TIFF",
        save_all=True,
        append_images=[second_page],
        exif=exif_with_gps(orientation=6).tobytes(),
    )
    checked = check_upload(NamedBytes("scan.tif", data))
    assert (checked.kind, checked.converted_from) == ("jpeg", "tiff")
    processed = process_image(NamedBytes("scan.tif", data), checked.kind)
    picture = reopen(processed.data)
    assert picture.size == (40, 60) == (checked.width, checked.height)
    left, right = left_and_right(picture)
    assert is_red(left) and is_blue(right)
    assert not picture.getexif()
    assert GPS_TEXT not in processed.data


def test_an_animated_gif_keeps_its_first_frame_as_a_png():
    frames = [Image.new("RGB", (30, 20), colour).convert("P") for colour in ("red", "lime")]
    data = encoded(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=100)
    checked = check_upload(NamedBytes("sticker.gif", data))
    assert (checked.kind, checked.original_name) == ("png", "sticker.png")
    picture = reopen(process_image(NamedBytes("sticker.gif", data), "png").data)
    assert picture.format == "PNG"
    assert getattr(picture, "n_frames", 1) == 1
    assert is_red(picture.convert("RGB").getpixel((5, 5)))


@pytest.mark.parametrize(
    ("name", "make"),
    [
        pytest.param(
            "fax.tif",
            lambda: encoded(Image.new("1", (10_000, 10_000)), "TIFF", compression="group4"),
            id="tiff-100mp",
        ),
        pytest.param(
            "huge.webp",
            lambda: encoded(Image.new("L", (9_000, 9_000)), "WEBP", lossless=True),
            id="webp-81mp",
        ),
    ],
)
def test_phone_formats_get_the_same_pixel_limit(name, make):
    data = make()
    assert len(data) < 2 * 1024 * 1024  # small files, enormous pictures
    with pytest.raises(UploadRejected) as refused:
        check_upload(NamedBytes(name, data))
    assert refused.value.code == CODE_IMAGE_TOO_LARGE


def test_a_gif_claiming_a_huge_screen_is_refused_before_decoding():
    data = bytearray(encoded(Image.new("P", (8, 8)), "GIF"))
    data[6:10] = (20_000).to_bytes(2, "little") * 2  # the logical screen: 20,000 x 20,000
    with pytest.raises(UploadRejected) as refused:
        check_upload(NamedBytes("bomb.gif", bytes(data)))
    assert refused.value.code == CODE_IMAGE_TOO_LARGE


def test_the_pixel_limit_setting_applies_to_heic(settings):
    settings.UPLOAD_MAX_IMAGE_PIXELS = 1_000
    with pytest.raises(UploadRejected) as refused:
        check_upload(NamedBytes("IMG.heic", heic()))
    assert refused.value.code == CODE_IMAGE_TOO_LARGE


def test_a_damaged_heic_names_its_format():
    data = heic()
    with pytest.raises(UploadRejected) as refused:
        check_upload(NamedBytes("IMG.heic", data[: len(data) // 2]))
    assert refused.value.code == CODE_CORRUPT
    assert refused.value.message == MSG_CORRUPT.format(name="IMG.heic", real="HEIC/HEIF")


def test_an_avif_is_refused_naming_its_format():
    data = b"\x00\x00\x00\x1cftypavif\x00\x00\x00\x00avifmif1" + b"\x00" * 64
    with pytest.raises(UploadRejected) as refused:
        check_upload(NamedBytes("photo.avif", data))
    assert refused.value.code == CODE_UNSUPPORTED
    assert refused.value.message == MSG_UNSUPPORTED_FORMAT.format(
        name="photo.avif", real="AVIF", accepted=ACCEPTED_LABELS
    )


def test_detect_kind_knows_the_phone_formats():
    assert detect_kind(io.BytesIO(heic())) == "heif"
    assert detect_kind(io.BytesIO(encoded(halves(), "WEBP"))) == "webp"
    assert detect_kind(io.BytesIO(encoded(halves(), "TIFF"))) == "tiff"
    assert detect_kind(io.BytesIO(encoded(halves().convert("P"), "GIF"))) == "gif"


@pytest.mark.django_db
def test_a_heic_photo_goes_through_the_upload_page(client, people, settings, tmp_path):
    """The requester picks iPhone photos; the photo set stores JPEGs without EXIF."""
    settings.MEDIA_ROOT = tmp_path / "media"
    req = make_request(people)
    client.force_login(people.requester)
    data = heic(exif=exif_with_gps().tobytes())
    response = client.post(
        reverse("requests:upload", args=[req.pk]),
        {"photos": [SimpleUploadedFile("IMG_0042.HEIC", data, content_type="image/heic")]},
    )
    assert response.status_code == 302, html.unescape(response.content.decode())[-2000:]
    photo = req.photos.get()
    assert photo.original_name == "IMG_0042.jpg"
    assert photo.image.name.endswith(".jpg")
    with photo.image.open("rb") as stored:
        content = stored.read()
    assert reopen(content).format == "JPEG"
    assert GPS_TEXT not in content


# --- item 12: ICC profiles ------------------------------------------------------------------

SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


@pytest.mark.parametrize("kind", ["jpeg", "png"])
def test_arbitrary_bytes_in_the_icc_slot_do_not_survive(kind):
    smuggled = b"<?php system($_GET['c']); ?>" * 40
    make = jpeg_bytes if kind == "jpeg" else png_bytes
    data = make(halves(), icc_profile=smuggled)
    assert reopen(data).info["icc_profile"] == smuggled  # the upload really carries them

    processed = process_image(io.BytesIO(data), kind)
    assert "icc_profile" not in reopen(processed.data).info
    assert b"system($_GET" not in processed.data


def test_bytes_appended_to_a_real_profile_are_dropped():
    data = jpeg_bytes(halves(), icc_profile=SRGB + b"SECRET-PAYLOAD" * 50)
    kept = reopen(process_image(io.BytesIO(data), "jpeg").data).info["icc_profile"]
    assert b"SECRET-PAYLOAD" not in kept
    assert ImageCms.ImageCmsProfile(io.BytesIO(kept)).profile.xcolor_space.strip() == "RGB"


def test_a_profile_for_another_colour_space_is_dropped():
    lab = ImageCms.ImageCmsProfile(ImageCms.createProfile("LAB")).tobytes()
    data = jpeg_bytes(halves(), icc_profile=lab)
    assert "icc_profile" not in reopen(process_image(io.BytesIO(data), "jpeg").data).info


def test_a_real_srgb_profile_is_kept_for_colour_accuracy():
    data = png_bytes(halves(), icc_profile=SRGB)
    assert reopen(process_image(io.BytesIO(data), "png").data).info["icc_profile"] == SRGB


def test_a_heics_valid_profile_is_kept():
    data = heic(icc_profile=SRGB)
    checked = check_upload(NamedBytes("IMG.heic", data))
    kept = reopen(process_image(io.BytesIO(data), checked.kind).data).info.get("icc_profile")
    assert kept == SRGB


def test_the_exif_tag_is_what_the_test_looks_for():
    assert exif_with_gps()[ExifTags.Base.Make].encode() == GPS_TEXT
