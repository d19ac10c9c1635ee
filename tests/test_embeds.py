"""Embeds for the office's main website: plain pages framable only by the listed sites, oEmbed
for items, and the WordPress plugin's shortcodes (run under PHP with stand-ins for WordPress)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse

from catalog.models import Category, ITAItem
from outreach.forms import OutreachSettingsForm
from outreach.models import OutreachSettings, clean_origin
from requests.states import State
from tests.workflow import make_request

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
PLUGIN = ROOT / "integrations" / "wordpress" / "esa-publish-embed" / "esa-publish-embed.php"
STUBS = Path(__file__).resolve().parent / "wordpress_stubs.php"
needs_php = pytest.mark.skipif(not shutil.which("php"), reason="needs php-cli (TEST_PACKAGES)")


@pytest.fixture
def item(people):
    return make_request(people, State.PUBLISHED, title="ประกาศรับสมัครครูอัตราจ้าง").catalog_item


def csp(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return {
        part.split(" ", 1)[0]: part.split(" ", 1)[1] if " " in part else ""
        for part in (p.strip() for p in header.split(";"))
        if part
    }


def allow(*origins: str) -> None:
    OutreachSettings.objects.create(embed_origins="\n".join(origins))


# --- which sites may frame ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "origin"),
    [
        ("https://www.example.go.th", "https://www.example.go.th"),
        ("https://WWW.Example.go.th/", "https://www.example.go.th"),
        ("http://intranet.example.go.th:8080", "http://intranet.example.go.th:8080"),
        ("https://*.example.go.th", None),
        ("https://example.go.th/news/", None),
        ("https://example.go.th 'unsafe-inline'", None),
        ("https://example.go.th;script-src *", None),
        ("javascript:alert(1)", None),
        ("example.go.th", None),
        ("https://user@example.go.th", None),
    ],
)
def test_only_plain_origins_are_accepted(typed, origin):
    assert clean_origin(typed) == origin


def test_the_admin_form_refuses_what_is_not_an_origin():
    form = OutreachSettingsForm(
        {
            "primary_colour": "#17407a",
            "accent_colour": "#f0b400",
            "embed_origins": "https://www.example.go.th\nhttps://*.evil.example",
        }
    )
    assert not form.is_valid()
    assert "https://*.evil.example" in str(form.errors["embed_origins"])


def test_with_no_site_listed_nobody_may_frame(client, item):
    response = client.get(reverse("outreach:embed_latest"))
    assert response.status_code == 200
    assert csp(response)["frame-ancestors"] == "'none'"


def test_the_listed_sites_may_frame_and_no_script_runs(client, item):
    allow("https://www.example.go.th", "https://example.go.th")
    response = client.get(reverse("outreach:embed_latest"))
    policy = csp(response)
    assert policy["frame-ancestors"] == "'self' https://example.go.th https://www.example.go.th"
    assert policy["script-src"] == "'none'"
    assert "X-Frame-Options" not in response
    html = response.content.decode()
    assert "<script" not in html.lower()
    assert item.title in html
    assert 'target="_blank"' in html


def test_other_pages_still_refuse_any_frame(client, item):
    allow("https://www.example.go.th")
    response = client.get(item.get_absolute_url())
    assert csp(response)["frame-ancestors"] == "'none'"
    assert response["X-Frame-Options"] == "DENY"


def test_the_category_embed(client, item):
    response = client.get(reverse("outreach:embed_category", args=[item.category.slug]) + "?n=1")
    assert response.status_code == 200
    assert item.title in response.content.decode()
    assert client.get(reverse("outreach:embed_category", args=["ไม่มีหมวดนี้"])).status_code == 404


def test_the_ita_embed_lists_each_item_with_its_evidence(client, item):
    answered = ITAItem.objects.create(fiscal_year=item.fiscal_year, code="T1", name="โครงสร้างทดสอบ")
    ITAItem.objects.create(fiscal_year=item.fiscal_year, code="T2", name="ข้อทดสอบที่ยังไม่มีรายการ")
    item.ita_items.add(answered)
    response = client.get(reverse("outreach:embed_ita", args=[item.fiscal_year]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "โครงสร้างทดสอบ" in html and item.title in html
    assert "ยังไม่มีรายการที่เผยแพร่สำหรับข้อนี้" in html  # O2, answered by nothing yet
    assert client.get(reverse("outreach:embed_ita", args=[1999])).status_code == 404


def test_embeds_list_only_live_items(client, item):
    from django.utils import timezone

    from catalog.models import CatalogItem

    CatalogItem.objects.filter(pk=item.pk).update(withdrawn_at=timezone.now())
    html = client.get(reverse("outreach:embed_latest")).content.decode()
    assert item.title not in html
    assert client.get(reverse("outreach:embed_item", args=[item.pk])).status_code == 404


# --- oEmbed ------------------------------------------------------------------------------------


def test_oembed_describes_an_item_as_a_rich_iframe(client, item, settings):
    page_url = settings.SITE_URL + item.get_absolute_url()
    response = client.get(reverse("outreach:oembed"), {"url": page_url, "maxwidth": 480})
    assert response.status_code == 200
    data = json.loads(response.content)
    assert (data["version"], data["type"], data["title"]) == ("1.0", "rich", item.title)
    assert data["width"] == 480
    src = re.search(r'src="([^"]+)"', data["html"])[1]
    assert src == settings.SITE_URL + reverse("outreach:embed_item", args=[item.pk])
    assert data["thumbnail_url"].endswith(f"/share/{item.pk}.jpg")
    embedded = client.get(src.removeprefix(settings.SITE_URL))
    assert embedded.status_code == 200 and item.title in embedded.content.decode()


def test_the_item_page_links_to_its_oembed(client, item):
    html = client.get(item.get_absolute_url()).content.decode()
    href = re.search(r'type="application/json\+oembed" href="([^"]+)"', html)[1]
    href = href.replace("&amp;", "&").removeprefix("http://127.0.0.1:8000")
    response = client.get(href)
    assert response.status_code == 200 and json.loads(response.content)["title"] == item.title


@pytest.mark.parametrize(
    "url",
    [
        "https://elsewhere.example/catalog/1/x/",
        "http://127.0.0.1:8000/catalog/category/x/",
        "http://127.0.0.1:8000/admin/",
        "not a url",
    ],
)
def test_oembed_answers_only_for_our_items(client, item, url):
    assert client.get(reverse("outreach:oembed"), {"url": url}).status_code == 404


def test_oembed_xml_is_not_implemented(client, item, settings):
    url = settings.SITE_URL + item.get_absolute_url()
    response = client.get(reverse("outreach:oembed"), {"url": url, "format": "xml"})
    assert response.status_code == 501


# --- the WordPress plugin ------------------------------------------------------------------------


def run_shortcode(tag: str, atts: dict, base_url: str | None) -> str:
    """The plugin's output for ``[tag atts]`` under PHP, with WordPress's functions stood in."""
    option = (
        ""
        if base_url is None
        else f"$GLOBALS['wp_options']['esa_publish_embed_base_url'] = {json.dumps(base_url)};"
    )
    code = (
        f"require {json.dumps(str(STUBS))}; require {json.dumps(str(PLUGIN))}; {option}"
        f"echo call_user_func($GLOBALS['wp_shortcodes'][{json.dumps(tag)}],"
        f" json_decode({json.dumps(json.dumps(atts))}, true));"
    )
    done = subprocess.run(["php", "-r", code], capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    return done.stdout


@needs_php
def test_the_plugin_is_valid_php():
    done = subprocess.run(["php", "-l", str(PLUGIN)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


@needs_php
def test_each_shortcode_writes_an_iframe_esa_publish_serves(client, item):
    allow("https://www.example.go.th")
    category = Category.objects.get(pk=item.category_id)
    cases = [
        ("esa_publish_latest", {"count": "5"}, "/embed/latest/?n=5"),
        (
            "esa_publish_category",
            {"slug": category.slug, "count": "99"},
            f"/embed/category/{category.slug}/?n=30",
        ),
        ("esa_publish_ita", {"year": str(item.fiscal_year)}, f"/embed/ita/{item.fiscal_year}/"),
    ]
    for tag, atts, path in cases:
        html = run_shortcode(tag, atts, "https://publish.example.go.th/")
        src = re.search(r'<iframe class="esa-publish-embed" src="([^"]+)"', html)[1]
        src = src.replace("&amp;", "&")
        assert src.startswith("https://publish.example.go.th/embed/")
        from urllib.parse import unquote

        assert unquote(src.removeprefix("https://publish.example.go.th")) == unquote(path)
        assert 'loading="lazy"' in html and 'title="' in html
        response = client.get(unquote(src.removeprefix("https://publish.example.go.th")))
        assert response.status_code == 200, tag
        assert "https://www.example.go.th" in csp(response)["frame-ancestors"]


@needs_php
def test_shortcodes_escape_what_authors_type(client):
    html = run_shortcode(
        "esa_publish_latest", {"title": '"><script>alert(1)</script>'}, "https://p.example.go.th"
    )
    assert "<script>" not in html and "&quot;&gt;&lt;script&gt;" in html


@needs_php
@pytest.mark.parametrize(
    ("tag", "atts", "base"),
    [
        ("esa_publish_latest", {}, None),
        ("esa_publish_latest", {}, "javascript:alert(1)"),
        ("esa_publish_category", {}, "https://p.example.go.th"),
        ("esa_publish_ita", {"year": "1999"}, "https://p.example.go.th"),
    ],
)
def test_shortcodes_without_what_they_need_write_only_a_comment(tag, atts, base):
    html = run_shortcode(tag, atts, base)
    assert html.startswith("<!--") and "<iframe" not in html
