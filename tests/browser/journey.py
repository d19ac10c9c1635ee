"""Steps people take in the browser, shared by the journey tests.

Everything here goes through the pages as a person would: links and buttons found by their
accessible names, form fields by their labels, and a wait for the page that follows. The
database is only read, to check that each step really changed what it should.
"""

from __future__ import annotations

import io
import re
import subprocess
import threading
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from playwright.sync_api import Locator, Page, expect

from tests.conftest import ARTIFACTS, PASSWORD, screenshot

TIMEOUT_MS = 15_000

# On SQLite the test database is in memory, shared by the test and the live server's threads:
# the server's requests and the test's own queries take turns with this lock (see the
# ``one_request_at_a_time`` fixture). Never hold it while the browser waits for the server.
SERVER_TURN = threading.Lock()

# Browser contexts like the `page` and `phone_page` fixtures, for extra visitors of a journey.
DESKTOP = {"locale": "th-TH", "viewport": {"width": 1280, "height": 900}}
PHONE = {
    "locale": "th-TH",
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
}

# The request filed in the full journey. The query is part of the title, typed without spaces,
# as Thai readers type it.
TITLE = "ประชาสัมพันธ์กิจกรรมวันครูแห่งชาติ ประจำปี ๒๕๖๙"
QUERY = "วันครู"
PDF_NAME = "กำหนดการงานวันครู.pdf"
PHOTO_CAPTIONS = ("พิธีไหว้ครู", "มอบรางวัลครูดีเด่น", "ถ่ายภาพร่วมกัน")


# --- files made for the test ---------------------------------------------------------------------


@cache
def thai_pdf() -> bytes:
    """A one-page PDF with real Thai text, titled like the request (made once per run:
    WeasyPrint's first call is slow). The font is the Sarabun the memo bundles, so the text has
    Thai glyphs whatever fonts the machine has."""
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    from requests.memo.render import FONT_DIR  # also maps the text layer (esa_publish.pdf_text)

    regular = (FONT_DIR / "Sarabun-Regular.ttf").as_uri()
    bold = (FONT_DIR / "Sarabun-Bold.ttf").as_uri()
    html = f"""<!doctype html><html lang="th"><head><meta charset="utf-8">
    <title>{TITLE}</title>
    <style>
    @font-face {{ font-family: Sarabun; font-weight: 400; src: url({regular}); }}
    @font-face {{ font-family: Sarabun; font-weight: 700; src: url({bold}); }}
    body {{ font-family: Sarabun; font-size: 16pt; }}
    </style>
    </head><body>
    <h1>{TITLE}</h1>
    <p>กำหนดการจัดงานวันครู ณ หอประชุมสำนักงานเขตพื้นที่การศึกษา</p>
    <p>ภาคเช้า พิธีไหว้ครูและมอบรางวัลครูดีเด่น ภาคบ่าย กิจกรรมเชิดชูเกียรติครูอาวุโส</p>
    </body></html>"""
    return HTML(string=html).write_pdf(font_config=FontConfiguration())


@cache
def photo_jpeg(number: int) -> bytes:
    """A photo-sized JPEG, different for each number, so the gallery shows three pictures."""
    from PIL import Image, ImageDraw

    colours = [(190, 60, 50), (40, 120, 180), (60, 150, 80)]
    base = colours[number % len(colours)]
    image = Image.new("RGB", (800, 600), base)
    draw = ImageDraw.Draw(image)
    for band in range(0, 600, 60):
        shade = tuple(min(255, c + band // 6) for c in base)
        draw.rectangle([0, band, 800, band + 30], fill=shade)
    draw.ellipse([250, 150, 550, 450], fill=(245, 235, 200))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


def pdf_text(data: bytes, tmp_dir: Path) -> str:
    """The text of a PDF as pdftotext reads it."""
    path = tmp_dir / "extracted.pdf"
    path.write_bytes(data)
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return text


def squeezed(text: str) -> str:
    """Text without white space, so a phrase wrapped over two lines still matches."""
    return re.sub(r"\s+", "", text)


# --- screenshots -------------------------------------------------------------------------------


def show_all_pictures(page: Page) -> None:
    """Load the pictures a full-page screenshot would otherwise show as empty boxes: thumbnails
    below the fold are ``loading="lazy"`` and a screenshot does not scroll to them."""
    broken = page.evaluate(
        """async () => {
            const images = Array.from(document.images);
            images.forEach(img => { img.loading = "eager"; });
            await Promise.all(images.map(img => img.decode().catch(() => null)));
            return images.filter(img => img.src && !img.naturalWidth).map(img => img.src);
        }"""
    )
    assert not broken, f"pictures that did not load: {broken}"


@dataclass
class Shots:
    """Numbered screenshots of one journey: journey-<name>-01-<step>.png, -02-…, in order."""

    name: str
    taken: list[Path] = field(default_factory=list)
    # (step, page width) of every page wider than its window: sideways scrolling on a phone.
    too_wide: list[tuple[str, int]] = field(default_factory=list)

    def __post_init__(self):
        # Pictures of an earlier run whose steps were named or numbered differently.
        for old in (ARTIFACTS / "screenshots").glob(f"journey-{self.name}-[0-9][0-9]-*.png"):
            old.unlink(missing_ok=True)

    def __call__(self, page: Page, step: str, *, full_page: bool = True) -> Path:
        """``full_page=False`` for what the window shows, e.g. a modal viewer: a full-page
        picture would show the page under it below the window's edge."""
        show_all_pictures(page)
        name = f"journey-{self.name}-{len(self.taken) + 1:02d}-{step}"
        if full_page:
            path = screenshot(page, name)
        else:
            path = ARTIFACTS / "screenshots" / f"{name}.png"
            path.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(path))
        self.taken.append(path)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > page.viewport_size["width"]:
            self.too_wide.append((step, width))
        return path


# --- signing in and out ------------------------------------------------------------------------


def menu(page: Page) -> Locator:
    return page.get_by_role("navigation", name="เมนูหลัก")


def menu_button(page: Page) -> Locator:
    """The phone's menu button: "เมนู", or "เมนู ๓ รายการรอท่าน" when work waits."""
    return page.get_by_role("button", name=re.compile(r"^เมนู( |$)"))


def open_menu(page: Page, *, keyboard: bool = False) -> None:
    """At phone width the menu is one button: open it (a desktop's menu is always open)."""
    page.wait_for_load_state("domcontentloaded")  # static/js/menu.js has run: the button shows
    button = menu_button(page)
    if not button.is_visible() or button.get_attribute("aria-expanded") == "true":
        return
    if keyboard:
        tab_to(page, button)
        page.keyboard.press("Enter")
    else:
        button.click()
    expect(button).to_have_attribute("aria-expanded", "true")


def menu_entry(page: Page, entry: str) -> Locator:
    """A menu link by its label; its name may go on with a count ("งานรอพิจารณา ๓ รายการ")."""
    return menu(page).get_by_role("link", name=re.compile("^" + re.escape(entry) + r"( |$)"))


def logout_button(page: Page, user, *, include_hidden: bool = False) -> Locator:
    """``include_hidden``: also in the closed phone menu (to check who is signed in)."""
    return page.get_by_role(
        "button", name=f"ออกจากระบบ ({user.get_username()})", include_hidden=include_hidden
    )


def login(page: Page, base_url: str, user, shots: Shots | None = None) -> None:
    """From the home page, through the header link and the login form."""
    page.goto(base_url + "/")
    open_menu(page)
    page.get_by_role("link", name="เข้าสู่ระบบเจ้าหน้าที่").click()
    page.wait_for_url(re.compile(r"/accounts/login/"))
    page.get_by_label("ชื่อผู้ใช้").fill(user.get_username())
    page.get_by_label("รหัสผ่าน").fill(PASSWORD)
    if shots:
        shots(page, f"login-{user.get_username()}")
    page.get_by_role("button", name="เข้าสู่ระบบ", exact=True).click()
    # Signed in (on a phone the button is in the closed menu).
    expect(logout_button(page, user, include_hidden=True)).to_have_count(1)


def logout(page: Page, user) -> None:
    open_menu(page)
    logout_button(page, user).click()
    login_link = page.get_by_role("link", name="เข้าสู่ระบบเจ้าหน้าที่", include_hidden=True)
    expect(login_link).to_have_count(1)


# --- the keyboard ------------------------------------------------------------------------------


def is_focused(locator: Locator) -> bool:
    return locator.evaluate("element => element === document.activeElement")


def tab_to(page: Page, target: Locator, *, limit: int = 120) -> None:
    """Press Tab until ``target`` has the focus, as someone without a mouse moves on a page
    (no key at all if it has the focus already, e.g. an autofocus field)."""
    if is_focused(target):
        return
    for _ in range(limit):
        page.keyboard.press("Tab")
        if is_focused(target):
            return
    raise AssertionError(f"{target} never received the focus after {limit} presses of Tab")


# --- pages of the request ------------------------------------------------------------------------


def open_from_menu(page: Page, entry: str, url_part: str) -> None:
    open_menu(page)
    menu_entry(page, entry).click()
    page.wait_for_url(re.compile(re.escape(url_part) + r"$"))


def open_request(
    page: Page, title: str, *, entry: str = "งานรอพิจารณา", shots: Shots, who: str
) -> None:
    """A request from a list page of the menu: the pending work, or the requester's own list."""
    url_part = "/work/" if entry == "งานรอพิจารณา" else "/requests/"
    open_from_menu(page, entry, url_part)
    shots(page, f"{who}-{'pending' if url_part == '/work/' else 'my-requests'}")
    page.get_by_role("link", name=title, exact=True).click()
    page.wait_for_url(re.compile(r"/requests/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    shots(page, f"{who}-request")


def action_form(page: Page, label: str) -> Locator:
    """The action form whose button reads ``label`` (each action is its own small form)."""
    button = page.get_by_role("button", name=label, exact=True)
    return page.locator("form.action-form").filter(has=button)


def act(page: Page, label: str, comment: str = "") -> None:
    """Press an action button on the request page, with a comment, and wait for the result."""
    form = action_form(page, label)
    if comment:
        form.get_by_label("ความเห็น/เหตุผล").fill(comment)
    form.get_by_role("button", name=label, exact=True).click()
    expect(success_message(page, label)).to_be_visible()


def success_message(page: Page, label: str) -> Locator:
    return page.locator(".messages .success").filter(has_text=f"ดำเนินการ “{label}” เรียบร้อยแล้ว")


def state_badge(page: Page) -> Locator:
    return page.locator(".status-line .badge.state")


def field(text: str) -> re.Pattern:
    """A field's whole label, with or without Django's label suffix (":")."""
    return re.compile("^" + re.escape(text) + ":?$")


def fill_request_form(page: Page, *, category_label: str) -> None:
    """The new-request form, every field a requester fills, by label; one PDF and three photos."""
    page.get_by_label(field("เรื่องที่ขอเผยแพร่")).fill(TITLE)
    page.get_by_label("รายละเอียดและวัตถุประสงค์การเผยแพร่").fill(
        "เพื่อประชาสัมพันธ์กำหนดการและภาพกิจกรรมวันครูให้ครูและประชาชนทราบ"
    )
    page.get_by_label("หมวดหมู่ข้อมูล").select_option(label=category_label)
    formats = page.get_by_role("group", name="รูปแบบไฟล์")
    formats.get_by_label("PDF", exact=True).check()
    formats.get_by_label("JPG", exact=True).check()
    page.get_by_label(field("ไฟล์แนบ")).set_input_files(
        [{"name": PDF_NAME, "mimeType": "application/pdf", "buffer": thai_pdf()}]
    )
    page.get_by_label(field("ภาพกิจกรรม")).set_input_files(
        [
            {"name": f"ภาพวันครู-{n + 1}.jpg", "mimeType": "image/jpeg", "buffer": photo_jpeg(n)}
            for n in range(3)
        ]
    )
    page.get_by_label("ชื่อเรื่องที่แสดงต่อสาธารณะ").fill(TITLE)
    page.get_by_label("สรุปสาระสำคัญที่แสดงต่อสาธารณะ").fill(
        "สำนักงานเขตพื้นที่การศึกษาจัดงานวันครูแห่งชาติ เพื่อระลึกถึงพระคุณครู"
    )


def caption_photos(page: Page) -> None:
    """On the edit page: a caption for each photo of the set, then save the set."""
    for number, caption in enumerate(PHOTO_CAPTIONS, start=1):
        page.get_by_label(f"คำบรรยายภาพที่ {number}").fill(caption)
    page.get_by_role("button", name="บันทึกชุดภาพ").click()
    expect(page.get_by_text("บันทึกคำบรรยายและลำดับภาพแล้ว")).to_be_visible()
