"""process_image: re-encoding without metadata, orientation, thumbnails, refusals."""

from __future__ import annotations

import hashlib
import io

import pytest
from PIL import ExifTags, Image, ImageCms, ImageFile, PngImagePlugin

from requests.uploads import UploadRejected, check_upload, process_image
from requests.uploads.errors import CODE_CORRUPT, CODE_IMAGE_TOO_LARGE
from requests.uploads.images import slot_thumbnail


def jpeg_bytes(image: Image.Image, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", **options)
    return buffer.getvalue()


def png_bytes(image: Image.Image, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG", **options)
    return buffer.getvalue()


def exif_with_gps(orientation: int = 1) -> Image.Exif:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif[ExifTags.Base.Model] = "Phone 15"
    exif[ExifTags.Base.Orientation] = orientation
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (16.0, 26.0, 12.5)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (102.0, 50.0, 7.25)
    return exif


def halves(size=(60, 40)) -> Image.Image:
    """Left half red, right half blue: orientation mistakes show up as colours in wrong places."""
    image = Image.new("RGB", size, (220, 0, 0))
    image.paste((0, 0, 220), (size[0] // 2, 0, size[0], size[1]))
    return image


class NamedBytes(io.BytesIO):
    def __init__(self, name: str, data: bytes) -> None:
        super().__init__(data)
        self.name = name
        self.size = len(data)


def reopen(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def test_the_test_photo_really_carries_gps():
    original = reopen(jpeg_bytes(halves(), exif=exif_with_gps()))
    assert original.getexif().get_ifd(ExifTags.IFD.GPSInfo)


def test_it_removes_exif_and_gps_from_a_jpeg():
    data = jpeg_bytes(halves(), exif=exif_with_gps())
    processed = process_image(io.BytesIO(data), "jpeg", name="ภาพ.jpg")
    for output in (processed.data, *(thumb.data for thumb in processed.thumbnails)):
        image = reopen(output)
        assert len(image.getexif()) == 0
        assert not image.getexif().get_ifd(ExifTags.IFD.GPSInfo)
        assert b"Exif\x00\x00" not in output
        assert b"PhoneMaker" not in output


def test_it_turns_the_picture_upright_before_dropping_the_orientation():
    data = jpeg_bytes(halves((60, 40)), exif=exif_with_gps(orientation=6))
    processed = process_image(io.BytesIO(data), "jpeg")
    image = reopen(processed.data)
    assert image.size == (40, 60) == (processed.width, processed.height)
    # Orientation 6 is a quarter turn clockwise: the left (red) half ends up on top.
    red, _, blue = image.getpixel((20, 10))
    assert red > 150 and blue < 80
    red, _, blue = image.getpixel((20, 50))
    assert blue > 150 and red < 80
    assert ExifTags.Base.Orientation not in image.getexif()
    assert (processed.thumbnails[0].width, processed.thumbnails[0].height) == (40, 60)


def test_it_drops_jpeg_comments_and_anything_after_the_image():
    data = jpeg_bytes(halves(), comment=b"secret comment") + b"PK\x03\x04 smuggled zip"
    processed = process_image(io.BytesIO(data), "jpeg")
    assert b"secret comment" not in processed.data
    assert b"smuggled" not in processed.data
    assert processed.data.endswith(b"\xff\xd9")


def test_it_keeps_the_colour_profile():
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    data = jpeg_bytes(halves(), icc_profile=profile)
    processed = process_image(io.BytesIO(data), "jpeg")
    assert reopen(processed.data).info.get("icc_profile") == profile


def test_it_removes_png_text_and_exif():
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "ผู้ถ่ายภาพ")
    info.add_itxt("XML:com.adobe.xmp", "<x:xmpmeta>GPS</x:xmpmeta>")
    data = png_bytes(halves(), pnginfo=info, exif=exif_with_gps())
    processed = process_image(io.BytesIO(data), "png")
    image = reopen(processed.data)
    assert image.format == "PNG"
    assert "Author" not in image.info
    assert "XML:com.adobe.xmp" not in image.info
    assert len(image.getexif()) == 0
    assert b"PhoneMaker" not in processed.data


def test_it_keeps_png_transparency_and_flattens_it_onto_white_in_thumbnails():
    image = Image.new("RGBA", (50, 50), (0, 0, 0, 0))
    image.paste((0, 128, 0, 255), (0, 0, 25, 50))
    processed = process_image(io.BytesIO(png_bytes(image)), "png")
    main = reopen(processed.data)
    assert main.mode == "RGBA"
    assert main.getpixel((40, 25))[3] == 0
    thumbnail = reopen(processed.thumbnails[0].data)
    assert thumbnail.format == "JPEG" and thumbnail.mode == "RGB"
    assert all(channel > 240 for channel in thumbnail.getpixel((40, 25)))


def test_it_keeps_palette_transparency():
    image = Image.new("P", (20, 20), 0)
    image.putpalette([255, 255, 255, 255, 0, 0] + [0] * 762)
    image.paste(1, (0, 0, 10, 20))
    data = png_bytes(image, transparency=0)
    main = reopen(process_image(io.BytesIO(data), "png").data)
    assert main.mode == "P"
    assert main.info.get("transparency") == 0


def test_it_makes_400_and_1600_pixel_thumbnails():
    photo = Image.effect_noise((3000, 2000), 50).convert("RGB")
    processed = process_image(io.BytesIO(jpeg_bytes(photo)), "jpeg")
    assert [(t.long_side, t.width, t.height) for t in processed.thumbnails] == [
        (400, 400, 267),
        (1600, 1600, 1067),
    ]
    for thumbnail in processed.thumbnails:
        assert thumbnail.content_type == "image/jpeg" and thumbnail.extension == "jpg"
        assert reopen(thumbnail.data).size == (thumbnail.width, thumbnail.height)
    assert (processed.width, processed.height) == (3000, 2000)


def test_it_never_enlarges_a_small_picture():
    processed = process_image(io.BytesIO(png_bytes(halves((300, 200)))), "png")
    assert [(t.width, t.height) for t in processed.thumbnails] == [(300, 200), (300, 200)]


def test_it_reports_the_size_and_hash_of_what_is_stored():
    processed = process_image(io.BytesIO(jpeg_bytes(halves())), "jpeg")
    assert processed.size == len(processed.data)
    assert processed.sha256 == hashlib.sha256(processed.data).hexdigest()
    assert (processed.content_type, processed.extension) == ("image/jpeg", "jpg")


def test_it_can_write_the_main_image_to_a_path(tmp_path):
    target = tmp_path / "stored.png"
    processed = process_image(io.BytesIO(png_bytes(halves())), "png", out=target)
    written = target.read_bytes()
    assert processed.data is None
    assert processed.size == len(written)
    assert processed.sha256 == hashlib.sha256(written).hexdigest()
    assert reopen(written).size == (60, 40)


def test_it_handles_cmyk_and_greyscale_jpegs():
    for mode in ("CMYK", "L"):
        data = jpeg_bytes(Image.new(mode, (40, 30)))
        processed = process_image(io.BytesIO(data), "jpeg")
        assert reopen(processed.data).mode == mode
        assert reopen(processed.thumbnails[0].data).mode in ("RGB", "L")


def test_it_handles_sixteen_bit_and_one_bit_pngs():
    for mode in ("I;16", "1", "LA"):
        processed = process_image(io.BytesIO(png_bytes(Image.new(mode, (40, 30)))), "png")
        assert reopen(processed.thumbnails[1].data).size == (40, 30)


def test_it_refuses_a_truncated_image_while_processing():
    data = jpeg_bytes(Image.effect_noise((200, 200), 80).convert("RGB"))
    with pytest.raises(UploadRejected) as refused:
        process_image(io.BytesIO(data[: len(data) // 2]), "jpeg", name="ครึ่งเดียว.jpg")
    assert refused.value.code == CODE_CORRUPT
    assert '"ครึ่งเดียว.jpg"' in refused.value.message


@pytest.mark.parametrize("relaxed", [False, True], ids=["pillow-default", "after-weasyprint"])
@pytest.mark.parametrize("kind", ["jpeg", "png"])
def test_it_refuses_truncated_images_even_when_pillow_is_told_to_accept_them(
    monkeypatch, relaxed, kind
):
    """WeasyPrint sets LOAD_TRUNCATED_IMAGES for the whole process when it is imported."""
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", relaxed)
    noise = Image.effect_noise((300, 200), 80).convert("RGB")
    data = jpeg_bytes(noise) if kind == "jpeg" else png_bytes(noise)
    cut = data[: len(data) * 7 // 10]
    for attempt in (
        lambda: process_image(io.BytesIO(cut), kind, name="cut"),
        lambda: check_upload(NamedBytes(f"cut.{kind}", cut)),
    ):
        with pytest.raises(UploadRejected) as refused:
            attempt()
        assert refused.value.code == CODE_CORRUPT
    assert process_image(io.BytesIO(data), kind).width == 300


def test_it_accepts_a_jpeg_with_data_after_its_end_marker(monkeypatch):
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)
    data = jpeg_bytes(halves()) + b"\x00" * 5000  # some phones append data after the image
    assert check_upload(NamedBytes("phone.jpg", data)).width == 60
    assert reopen(process_image(io.BytesIO(data), "jpeg").data).size == (60, 40)


def test_it_refuses_content_of_another_kind():
    with pytest.raises(UploadRejected) as refused:
        process_image(io.BytesIO(png_bytes(halves())), "jpeg")
    assert refused.value.code == CODE_CORRUPT


def test_it_applies_the_pixel_limit_from_settings(settings):
    settings.UPLOAD_MAX_IMAGE_PIXELS = 1_000
    with pytest.raises(UploadRejected) as refused:
        process_image(io.BytesIO(png_bytes(halves((50, 50)))), "png", name="a.png")
    assert refused.value.code == CODE_IMAGE_TOO_LARGE
    assert "0.001 ล้านพิกเซล" in refused.value.message


def test_an_upload_can_be_checked_and_then_processed():
    from django.core.files.uploadedfile import SimpleUploadedFile

    uploaded = SimpleUploadedFile("ภาพกิจกรรม.jpg", jpeg_bytes(halves(), exif=exif_with_gps(6)))
    checked = check_upload(uploaded)
    processed = process_image(uploaded, checked.kind, name=uploaded.name)
    assert (checked.width, checked.height) == (processed.width, processed.height) == (40, 60)
    assert processed.sha256 != checked.sha256
    assert not uploaded.closed


@pytest.mark.parametrize("source_size", [(400, 300), (300, 400), (400, 120), (50, 40)])
def test_a_slot_thumbnail_fills_its_slot_exactly(source_size):
    """A list row's picture: exactly the slot's pixels, cropped (not squashed) from the stored
    thumbnail whatever its shape, and a JPEG even from a PNG."""
    left_red = Image.new("RGB", source_size, (20, 20, 200))
    left_red.paste((220, 20, 20), (0, 0, source_size[0] // 2, source_size[1]))
    for data in (jpeg_bytes(left_red, quality=95), _png(left_red)):
        made = reopen(slot_thumbnail(io.BytesIO(data), 96, 72))
        assert (made.format, made.size, made.mode) == ("JPEG", (96, 72), "RGB")
        red, _, blue = made.getpixel((10, 36))
        assert red > 150 and blue < 100  # the left half stays on the left
        red, _, blue = made.getpixel((85, 36))
        assert blue > 150 and red < 100


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()
