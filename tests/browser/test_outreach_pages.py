"""In a real browser: linking LINE with the code and QR, the PR unit's share kit and poster, and
an embed shown (or refused) inside another site's page. Screenshots go to
artifacts/screenshots/ (notify-*, outreach-*, embed-*)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import shutil
import subprocess
import threading
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import expect

from notify.models import LineAccount, LineChannel
from outreach.models import OutreachSettings
from requests.states import State
from tests.browser.journey import SERVER_TURN, login
from tests.conftest import ARTIFACTS, screenshot
from tests.workflow import make_request

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def send_to_webhook(base_url: str, secret: str, line_user_id: str, text: str) -> int:
    """What LINE's servers do when the person sends ``text`` to the office's account."""
    body = json.dumps(
        {
            "destination": "Uoa",
            "events": [
                {
                    "type": "message",
                    "source": {"type": "user", "userId": line_user_id},
                    "message": {"id": "1", "type": "text", "text": text},
                    "replyToken": "r",
                    "timestamp": 1,
                    "mode": "active",
                }
            ],
        }
    ).encode()
    sig = base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()
    request = urllib.request.Request(
        base_url + "/notifications/line/webhook/",
        data=body,
        headers={"Content-Type": "application/json", "X-Line-Signature": sig},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=15) as response:
        return response.status


def test_linking_line_with_the_code(live_server, page, people, line_api, patient_expect):
    with SERVER_TURN:
        LineChannel.objects.create(basic_id="@esa-chachoengsao1")
    login(page, live_server.url, people.requester)
    page.get_by_role("link", name="การแจ้งเตือน").click()
    page.get_by_role("button", name="ขอรหัสเชื่อมบัญชี LINE").click()
    code = page.get_by_label("รหัสเชื่อมบัญชี").inner_text().strip()
    assert len(code) == 9 and code[4] == "-"
    qr = page.get_by_role("img", name="คิวอาร์โค้ดสำหรับส่งรหัสเชื่อมบัญชีทาง LINE")
    expect(qr).to_be_visible()
    assert qr.evaluate("img => img.naturalWidth") > 100
    screenshot(page, "notify-01-link-code")

    assert send_to_webhook(live_server.url, "standin-channel-secret", "U" + "b" * 32, code) == 200
    page.reload()
    expect(page.get_by_text("เชื่อมบัญชี LINE แล้ว")).to_be_visible()
    assert "เรียบร้อยแล้ว" in line_api.texts_to("U" + "b" * 32)[0]
    screenshot(page, "notify-02-linked")

    page.get_by_role("button", name="ยกเลิกการเชื่อมบัญชี LINE").click()
    expect(page.get_by_role("button", name="ขอรหัสเชื่อมบัญชี LINE")).to_be_visible()
    with SERVER_TURN:
        assert not LineAccount.objects.exists()


def test_the_share_kit_and_poster(live_server, page, people, patient_expect):
    with SERVER_TURN:
        item = make_request(
            people, State.PUBLISHED, photos=1, title="ประกาศรับสมัครคัดเลือกครูผู้ช่วย ปี ๒๕๖๙"
        ).catalog_item
    login(page, live_server.url, people.webmaster)
    page.get_by_role("link", name="ประชาสัมพันธ์", exact=True).click()
    page.get_by_role("link", name=item.title).click()
    expect(page.get_by_role("heading", name="ข้อความสำหรับโพสต์")).to_be_visible()
    image = page.get_by_role("img", name=f"ภาพสำหรับแชร์เรื่อง {item.title}")
    expect(image).to_be_visible()
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=image.element_handle()
    )
    assert image.evaluate("img => [img.naturalWidth, img.naturalHeight]") == [1200, 630]
    assert item.title in page.locator("#post-text").input_value()
    screenshot(page, "outreach-01-share-kit")

    page.get_by_label("ช่องทาง").select_option("notice_board")
    page.get_by_role("button", name="บันทึก", exact=True).click()
    expect(page.get_by_text("บันทึกการเผยแพร่แล้ว")).to_be_visible()
    expect(page.get_by_role("cell", name="บอร์ดประชาสัมพันธ์")).to_be_visible()
    screenshot(page, "outreach-02-share-recorded")

    poster = page.request.get(live_server.url + f"/publishing/share/{item.pk}/poster.pdf")
    assert poster.status == 200 and poster.body().startswith(b"%PDF")
    out = ARTIFACTS / "screenshots"
    (out / "outreach-03-poster.pdf").write_bytes(poster.body())
    if shutil.which("pdftoppm"):
        subprocess.run(
            ["pdftoppm", "-r", "80", "-png", "-singlefile", str(out / "outreach-03-poster.pdf")]
            + [str(out / "outreach-03-poster")],
            check=True,
        )


class _HostSite:
    """Another site (the office's WordPress, say) whose page frames one of ours. Each visit asks
    for a fresh copy of the frame (as a changed page would), so the browser's cache of the
    refused one does not hide the change of policy."""

    def __init__(self, frame_src: str):
        visits = iter(range(1_000_000))

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                html = (
                    "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
                    "<title>Office main website</title></head>"
                    "<body style='font-family:sans-serif;background:#eef1f5;margin:24px'>"
                    "<h1>The office's main website (a stand-in)</h1>"
                    "<p>Latest from esa-publish:</p>"
                    f"<iframe id='esa' src='{frame_src}&visit={next(visits)}' title='latest'"
                    " width='640' height='420' style='border:1px solid #ccd;background:#fff'>"
                    "</iframe></body></html>"
                ).encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.end_headers()
                self.wfile.write(html)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.origin = f"http://127.0.0.1:{self.server.server_address[1]}"

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def test_an_embed_shows_only_on_a_listed_site(live_server, page, people, patient_expect):
    with SERVER_TURN:
        item = make_request(people, State.PUBLISHED, title="ประกาศผลการสอบคัดเลือก").catalog_item
    # The live server answers on localhost; the host site on 127.0.0.1: two origins.
    ours = live_server.url.replace("127.0.0.1", "localhost")
    host = _HostSite(ours + "/embed/latest/?n=5")
    try:
        page.goto(host.origin + "/")
        frame = page.frame_locator("#esa")
        # Not listed: the browser refuses to show our page in the frame.
        expect(frame.get_by_text(item.title)).to_have_count(0)
        screenshot(page, "embed-01-refused")

        with SERVER_TURN:
            OutreachSettings.objects.create(embed_origins=host.origin)
        page.reload()
        expect(frame.get_by_role("link", name=item.title)).to_be_visible()
        screenshot(page, "embed-02-shown")
    finally:
        host.close()
