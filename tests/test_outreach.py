"""The PR unit's channels: the share image (also og:image), the post text, the A4 poster, and
what was shared where, counted in the quarterly report."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from pypdf import PdfReader

from approvals.reports import figures
from approvals.reports.periods import Period
from catalog.models import CatalogItem
from outreach.models import OutreachSettings, Share
from requests.memo.text import restore_sara_am
from requests.states import State
from tests.conftest import ARTIFACTS
from tests.workflow import make_request

pytestmark = pytest.mark.django_db

TITLE = "ประกาศผลการคัดเลือกครูดีเด่น ประจำปีงบประมาณ ๒๕๖๙ ของสำนักงานเขตพื้นที่การศึกษาประถมศึกษา"


@pytest.fixture
def item(people) -> CatalogItem:
    return make_request(people, State.PUBLISHED, photos=1, title=TITLE).catalog_item


@pytest.fixture
def item_without_photo(people) -> CatalogItem:
    return make_request(people, State.PUBLISHED, title="รายงานการประชุม").catalog_item


# --- the share image ---------------------------------------------------------------------------


def test_the_share_image_is_1200_by_630_with_the_cover_on_the_right(client, item):
    response = client.get(reverse("outreach:share_image", args=[item.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    image = Image.open(io.BytesIO(response.content)).convert("RGB")
    assert image.size == (1200, 630)
    # The test photo is plain red (tests.workflow.jpeg_bytes); the text side is the office blue.
    r, g, b = image.getpixel((1000, 315))
    assert r > 150 and g < 80 and b < 80
    assert image.getpixel((400, 20)) == pytest.approx((23, 64, 122), abs=6)
    out = ARTIFACTS / "outreach"
    out.mkdir(parents=True, exist_ok=True)
    image.save(out / "share-image.png")


def test_without_a_cover_the_title_takes_the_whole_width(client, item_without_photo):
    response = client.get(reverse("outreach:share_image", args=[item_without_photo.pk]))
    image = Image.open(io.BytesIO(response.content)).convert("RGB")
    assert image.getpixel((1100, 315)) == pytest.approx((23, 64, 122), abs=6)


def test_the_office_colours_are_used(client, item_without_photo):
    OutreachSettings.objects.create(primary_colour="#0b6b50", accent_colour="#ffffff")
    response = client.get(reverse("outreach:share_image", args=[item_without_photo.pk]))
    image = Image.open(io.BytesIO(response.content)).convert("RGB")
    assert image.getpixel((1100, 315)) == pytest.approx((11, 107, 80), abs=6)


def test_the_share_image_is_the_og_image_and_the_page_offers_oembed(client, item):
    page = client.get(item.get_absolute_url()).content.decode()
    assert f'content="http://127.0.0.1:8000/share/{item.pk}.jpg"' in page
    assert 'property="og:image:width" content="1200"' in page
    assert 'type="application/json+oembed"' in page


def test_a_taken_down_item_has_no_share_image(client, item):
    CatalogItem.objects.filter(pk=item.pk).update(withdrawn_at=timezone.now())
    assert client.get(reverse("outreach:share_image", args=[item.pk])).status_code == 404


# --- the kit page, who may see it --------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [("webmaster", 200), ("requester", 403), ("director", 403), ("outsider", 403)],
)
def test_only_the_webmaster_opens_the_kit(client, people, item, who, status):
    client.force_login(getattr(people, who))
    assert client.get(reverse("outreach:kit", args=[item.pk])).status_code == status
    assert client.get(reverse("outreach:poster", args=[item.pk])).status_code == status
    assert client.get(reverse("outreach:kits")).status_code == status


def test_the_kit_of_an_item_not_live_is_404(client, people, item):
    CatalogItem.objects.filter(pk=item.pk).update(withdrawn_at=timezone.now())
    client.force_login(people.webmaster)
    assert client.get(reverse("outreach:kit", args=[item.pk])).status_code == 404
    assert client.get(reverse("outreach:kit", args=[999999])).status_code == 404


def test_anonymous_visitors_are_sent_to_login(client, item):
    response = client.get(reverse("outreach:kit", args=[item.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_post_text_has_title_summary_and_link(client, people, item):
    client.force_login(people.webmaster)
    page = client.get(reverse("outreach:kit", args=[item.pk])).content.decode()
    assert TITLE in page
    assert "สรุปกิจกรรมวันครู" in page
    assert f"http://127.0.0.1:8000/catalog/{item.pk}/-/" in page  # the short address
    assert reverse("outreach:share_image", args=[item.pk]) in page


def test_recording_a_share_counts_in_the_quarterly_report(client, people, item):
    client.force_login(people.webmaster)
    when = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        reverse("outreach:kit", args=[item.pk]),
        {"channel": "facebook", "url": "https://facebook.com/esa/posts/1", "shared_at": when},
    )
    assert response.status_code == 302
    share = Share.objects.get()
    assert (share.channel, share.shared_by, share.item) == ("facebook", people.webmaster, item)
    client.post(
        reverse("outreach:kit", args=[item.pk]), {"channel": "notice_board", "shared_at": when}
    )
    today = timezone.localdate()
    from esa_publish.thai.fiscal import fiscal_year

    year = fiscal_year(today)
    quarter = {10: 1, 11: 1, 12: 1, 1: 2, 2: 2, 3: 2, 4: 3, 5: 3, 6: 3}.get(today.month, 4)
    from approvals.models import ReportPeriod

    figs = figures.compute(Period(year, getattr(ReportPeriod, f"Q{quarter}")))
    assert figs.total.counts["shared"] == 2
    unit_row = next(r for r in figs.units if r.name == people.unit.name)
    assert unit_row.counts["shared"] == 2


def test_a_share_in_the_future_is_refused(client, people, item):
    client.force_login(people.webmaster)
    later = (timezone.localtime() + dt.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        reverse("outreach:kit", args=[item.pk]), {"channel": "facebook", "shared_at": later}
    )
    assert response.status_code == 400
    assert not Share.objects.exists()


# --- the poster --------------------------------------------------------------------------------


def test_the_poster_is_an_a4_pdf_with_title_date_office_and_link(client, people, item):
    client.force_login(people.webmaster)
    response = client.get(reverse("outreach:poster", args=[item.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    text = restore_sara_am(reader.pages[0].extract_text()).replace("\u200b", "")
    flat = "".join(text.split())
    assert "".join(TITLE.split()) in flat
    assert "เผยแพร่เมื่อวันที่" in text
    be_year = str(timezone.localdate().year + 543).translate(
        str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
    )
    assert be_year in text  # the date in B.E., Thai digits
    assert "สำนักงานเขตพื้นที่การศึกษา" in flat
    assert f"http://127.0.0.1:8000/catalog/{item.pk}/-/" in text
    out = ARTIFACTS / "outreach"
    out.mkdir(parents=True, exist_ok=True)
    (out / "poster.pdf").write_bytes(response.content)
    if shutil.which("pdftoppm"):
        subprocess.run(
            [
                "pdftoppm",
                "-r",
                "60",
                "-png",
                "-singlefile",
                str(out / "poster.pdf"),
                str(out / "poster"),
            ],
            check=True,
        )
        assert Path(out / "poster.png").exists()


def test_pillow_lays_out_thai_with_libraqm():
    """Without libraqm (FriBiDi missing) Thai marks land beside their consonants, not on them."""
    from PIL import features

    from outreach.images import font

    assert features.check("raqm")
    face = font("Bold", 60)
    # With complex layout the stacked marks add no width: "ที่" is as wide as "ท".
    assert face.getlength("ที่") == pytest.approx(face.getlength("ท"), abs=1)


def test_the_short_address_in_posts_and_posters_leads_to_the_item(client, item):
    response = client.get(f"/catalog/{item.pk}/-/")
    assert response.status_code == 301
    assert response["Location"] == item.get_absolute_url()
