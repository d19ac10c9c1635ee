"""Fuzzing the inputs anyone can type or upload: whatever arrives, the answer is never a 500.

A 500 is the one answer that helps nobody: the person gets no explanation, the office gets an
e-mail, and a crash on odd input is where attacks start. Hypothesis throws random and hostile
text, odd dates, huge strings, malformed filters and damaged files at the request form, the
search page, the category pages and the upload endpoint.

Each test is bounded (a fixed number of examples, no deadline) and derandomized, so a CI run is
reproducible and a failure shows the same minimal example on every machine. The Django test client
re-raises a view's exception, so a crash fails with its traceback rather than a bare 500.
"""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalog.models import Category, ITAItem
from esa_publish.thai.digits import to_thai_digits
from requests.models import Channel, FileFormat, Urgency
from requests.services import request_create
from tests.test_upload_checks import make_docx, make_jpeg, make_pdf, make_png, make_xlsx
from tests.workflow import make_request

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,  # nothing written to .hypothesis/ in the work tree
    suppress_health_check=[
        # The Django client and the data are made once per test and shared by its examples.
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)

# --- building blocks ------------------------------------------------------------------------

# Any character a form can carry (lone surrogates cannot be encoded in a request at all),
# with Thai, combining marks, right-to-left text, NUL and other controls well represented.
CHARACTERS = st.characters(exclude_categories=("Cs",))
THAI = st.characters(min_codepoint=0x0E00, max_codepoint=0x0E7F)
TRICKY = st.sampled_from(
    [
        "\x00",
        "\r\n",
        "\u202e",
        "\ufeff",
        "\u200b",
        "'",
        '"',
        "<script>",
        "%",
        "_",
        "\\",
        "{{",
        "{%",
        "😀",
        "ก\u0e31\u0e49\u0e49\u0e49",
        "' OR 1=1 --",
        "$(id)",
    ]
)
TEXT = st.one_of(
    st.text(CHARACTERS, max_size=60),
    st.text(THAI, max_size=60),
    st.lists(TRICKY, max_size=6).map("".join),
    # Past every max_length, and longer than the proxy lets an address be (8 KB).
    st.sampled_from([300, 5_000]).map(lambda n: "ก" * n),
)
# Far past every limit, the last past Django's 2.5 MB request body limit. Put into one field of
# some examples only: a page that shows a megabyte back in its form is slow to draw.
GIANT_TEXT = st.sampled_from([70_000, 1_000_000]).map(lambda n: "ก" * n)
NUMBERISH = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.sampled_from(["", " ", "0", "-1", "1e9", "1.5", "0x10", "NaN", "๒๕๖๙", "9" * 5000]),
    st.text(CHARACTERS, max_size=12),
)
THAI_MONTHS = ["มกราคม", "ก.พ.", "มี.ค.", "เมษายน", "ธ.ค.", "พ.ศ.", "Jan", "ม"]


@st.composite
def odd_dates(draw):
    """Dates as people type them, right and wrong: B.E. and C.E., impossible days, Thai digits,
    month names, year-first, absurd years and numbers longer than Python's int limit."""
    day = draw(st.integers(-3, 40))
    month = draw(st.integers(-1, 14))
    year = draw(
        st.one_of(
            st.integers(2400, 2700),
            st.integers(1900, 2100),
            st.integers(-10, 10**7),
            st.sampled_from(["", "66", "0000", "02569"]),
            # Longer than Python will turn into an int (4,300 digits) and around that limit.
            st.integers(4000, 5000).map(lambda n: "9" * n),
        )
    )
    sep = draw(st.sampled_from(["/", "-", ".", " ", "//", " / "]))
    shape = draw(st.integers(0, 4))
    if shape == 0:
        text = f"{day}{sep}{month}{sep}{year}"
    elif shape == 1:
        text = f"{year}{sep}{month}{sep}{day}"
    elif shape == 2:
        text = f"{day} {draw(st.sampled_from(THAI_MONTHS))} {year}"
    elif shape == 3:
        text = draw(st.text(CHARACTERS, max_size=20))
    else:
        text = draw(TEXT)
    if draw(st.booleans()):
        text = to_thai_digits(text)
    return text


def optional(strategy):
    """A field's value, or the field left out of the POST altogether."""
    return st.one_of(st.none(), strategy)


def choice(values):
    return st.one_of(st.sampled_from(values), TEXT)


# --- the request form -----------------------------------------------------------------------


@settings(FUZZ, max_examples=200)
@given(odd_dates())
def test_the_date_field_either_reads_a_date_or_explains(text):
    """Cheap enough to try many more dates than the whole form can: the field alone."""
    from django.core.exceptions import ValidationError

    from esa_publish.thai.forms import BEDateField

    try:
        value = BEDateField(required=False).clean(text)
    except ValidationError:
        return
    assert value is None or 2400 - 543 <= value.year <= 2700 - 543


@pytest.fixture
def requester(people):
    return people.requester


def _form_data(draw, category_ids, ita_ids):
    fields = {
        "publish_title": optional(TEXT),
        "purpose": optional(TEXT),
        "category": optional(st.one_of(st.sampled_from(category_ids).map(str), NUMBERISH)),
        "ita_items": optional(st.lists(st.one_of(st.sampled_from(ita_ids), NUMBERISH), max_size=4)),
        "file_formats": optional(st.lists(choice(FileFormat.values), max_size=5)),
        "channel": optional(choice(Channel.values)),
        "channel_email": optional(st.one_of(st.emails(), TEXT)),
        "channel_other": optional(TEXT),
        "urgency": optional(choice(Urgency.values)),
        "wished_publish_date": optional(odd_dates()),
        "public_title": optional(TEXT),
        "public_summary": optional(TEXT),
        "addressee": optional(TEXT),
    }
    data = {}
    for name, strategy in fields.items():
        value = draw(strategy)
        if value is not None:
            data[name] = value
    if draw(st.integers(0, 9)) == 0:
        data[draw(st.sampled_from(sorted(fields)))] = draw(GIANT_TEXT)
    return data


def test_the_request_form_never_fails_whatever_is_typed(requester):
    client = Client()
    client.force_login(requester)
    url = reverse("requests:create")
    category_ids = [str(pk) for pk in Category.objects.values_list("pk", flat=True)] or ["1"]
    ita_ids = [str(pk) for pk in ITAItem.objects.values_list("pk", flat=True)] or ["1"]

    @FUZZ
    @given(st.data())
    def post_anything(data):
        values = _form_data(data.draw, category_ids, ita_ids)
        response = client.post(url, values)
        assert response.status_code < 500
        assert response.status_code in (200, 302, 400)

    post_anything()


def test_editing_a_draft_never_fails_whatever_is_typed(requester):
    client = Client()
    client.force_login(requester)
    draft = request_create(
        user=requester,
        data={"publish_title": "ร่างสำหรับทดสอบ", "category": Category.objects.active().first()},
    )
    url = reverse("requests:edit", args=[draft.pk])
    category_ids = [str(pk) for pk in Category.objects.values_list("pk", flat=True)]

    @settings(FUZZ, max_examples=40)
    @given(st.data())
    def post_anything(data):
        response = client.post(url, _form_data(data.draw, category_ids, ["1"]))
        assert response.status_code in (200, 302, 400)

    post_anything()


# --- public pages: search and category filters ----------------------------------------------


def _query(draw, names):
    """A query string with each of ``names`` absent, odd or repeated."""
    params = []
    for name in names:
        for value in draw(st.lists(st.one_of(TEXT, NUMBERISH), max_size=2)):
            params.append((name, value))
    if draw(st.booleans()):
        params.append((draw(st.text(CHARACTERS, min_size=1, max_size=8)), draw(TEXT)))
    return params


def _get(client, url, params):
    """GET with a list of (name, value) pairs; the test client takes a dict of lists."""
    data: dict[str, list[str]] = {}
    for name, value in params:
        data.setdefault(name, []).append(value)
    return client.get(url, data)


def test_search_never_fails_whatever_is_asked(people):
    make_request(people, "published")  # something to find and to highlight
    client = Client()
    url = reverse("search:results")

    @FUZZ
    @given(st.data())
    def search_anything(data):
        params = _query(data.draw, ["q", "category", "fiscal_year", "unit", "kind", "page"])
        response = _get(client, url, params)
        assert response.status_code < 500
        assert response.status_code in (200, 400)

    search_anything()


def test_category_filters_never_fail(people):
    req = make_request(people, "published")
    slug = req.category.slug
    client = Client()
    urls = [
        reverse("catalog:category", args=[slug]),
        reverse("catalog:category", args=["no-such-category"]),
    ]

    @FUZZ
    @given(st.data())
    def browse_anything(data):
        url = data.draw(st.sampled_from(urls))
        params = _query(data.draw, ["fiscal_year", "unit", "kind", "page"])
        response = _get(client, url, params)
        assert response.status_code < 500
        assert response.status_code in (200, 400, 404)

    browse_anything()


# --- uploads --------------------------------------------------------------------------------


REAL_FILES = {
    "pdf": make_pdf(2),
    "jpg": make_jpeg((120, 90), noisy=True),
    "png": make_png((40, 30)),
    "docx": make_docx(),
    "xlsx": make_xlsx(),
}
EXTENSIONS = ["pdf", "jpg", "jpeg", "png", "docx", "xlsx", "docm", "exe", "html", "PDF", ""]


@st.composite
def damaged(draw):
    """A real file with bytes flipped, cut short, spliced or padded, or plain random bytes."""
    kind = draw(st.sampled_from([*REAL_FILES, "random"]))
    if kind == "random":
        return draw(st.binary(max_size=4096))
    data = bytearray(REAL_FILES[kind])
    for _ in range(draw(st.integers(0, 8))):
        how = draw(st.sampled_from(["flip", "cut", "insert", "append", "zero"]))
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        if how == "flip":
            data[at] ^= draw(st.integers(1, 255))
        elif how == "cut":
            del data[at:]
        elif how == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=64))
        elif how == "append":
            data += draw(st.binary(min_size=1, max_size=256))
        else:
            data[at : at + 16] = bytes(len(data[at : at + 16]))
    return bytes(data)


@st.composite
def uploads(draw):
    stem = draw(st.one_of(st.text(CHARACTERS, max_size=40), st.text(THAI, min_size=1, max_size=20)))
    extension = draw(st.sampled_from(EXTENSIONS))
    name = f"{stem}.{extension}" if extension else stem
    content_type = draw(
        st.sampled_from(["application/octet-stream", "application/pdf", "image/jpeg", "text/html"])
    )
    return SimpleUploadedFile(name or "x", draw(damaged()), content_type=content_type)


def test_uploads_never_fail_whatever_the_bytes(requester):
    client = Client()
    client.force_login(requester)
    category = Category.objects.active().first()

    @settings(FUZZ, max_examples=50)
    @given(
        attachments=st.lists(uploads(), max_size=3),
        photos=st.lists(uploads(), max_size=2),
    )
    def upload_anything(attachments, photos):
        # A new draft each time, so accepted files never fill up one request's limits.
        draft = request_create(
            user=requester, data={"publish_title": "ทดสอบไฟล์", "category": category}
        )
        response = client.post(
            reverse("requests:upload", args=[draft.pk]),
            {"attachments": attachments, "photos": photos},
        )
        assert response.status_code < 500
        assert response.status_code in (200, 302, 400)

    upload_anything()


def test_the_damaged_file_maker_makes_real_files_first():
    """The mutations start from files the checks accept, or the fuzzing would test little."""
    from requests.uploads import check_upload

    for extension, data in REAL_FILES.items():
        upload = SimpleUploadedFile(f"ok.{extension}", data)
        assert check_upload(upload).kind
    assert zipfile.is_zipfile(io.BytesIO(REAL_FILES["docx"]))
