"""Issue 14 in a real browser: paragraphs survive the editor, the gallery leaves the history
alone, the phone menu shows that it scrolls, the first visitor counts, and screenshots."""

import io
import os
import re
import time
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from bulletin.extensions import db
from bulletin.models import Post
from tests.browser.test_reading import PHONE, post_path, wait_for_image
from tests.browser.test_staff import log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.parametrize("database_url", ["sqlite"], indirect=True),
]

WIDE = {"width": 1366, "height": 768}
SCREENS = os.environ.get("SCREENS_DIR")  # also save the screenshots there when set


def photo(tmp_path: Path, name: str, color) -> str:
    """Write a JPEG to disk and return its path."""
    path = tmp_path / name
    buffer = io.BytesIO()
    Image.new("RGB", (1200, 900), color).save(buffer, "JPEG")
    path.write_bytes(buffer.getvalue())
    return str(path)


def saved_body(title: str) -> str:
    """The stored body of the post titled `title`."""
    db.session.expire_all()
    return db.session.scalar(db.select(Post.body).where(Post.title == title))


def test_two_paragraphs_typed_with_enter_stay_two_after_saving(page: Page, live_server, make):
    make.user("bientap", role="editor", orgs=["hoi-lhpn"])
    log_in(page, live_server, "bientap")
    expect(page).to_have_url(live_server("/posts/manage"))  # an editor lands on the desk
    page.goto(live_server("/posts/new"))
    page.fill("#title", "Hai đoạn văn")
    page.locator(".rte-area").click()
    page.keyboard.type("Kết quả năm 2026.")
    page.keyboard.press("Enter")
    page.keyboard.type("Năm 2026 tiếp tục.")
    page.get_by_role("button", name="Đăng ngay").click()

    expect(page.locator(".post .body p")).to_have_count(2)
    expect(page.locator(".post .body p").nth(0)).to_have_text("Kết quả năm 2026.")
    expect(page.locator(".post .body p").nth(1)).to_have_text("Năm 2026 tiếp tục.")
    assert saved_body("Hai đoạn văn") == "<p>Kết quả năm 2026.</p><p>Năm 2026 tiếp tục.</p>"


def test_pasted_word_html_keeps_paragraphs_and_loses_its_styles(page: Page, live_server, make):
    make.user("bientap", role="editor", orgs=["hoi-lhpn"])
    log_in(page, live_server, "bientap")
    page.goto(live_server("/posts/new"))
    page.fill("#title", "Dán từ Word")
    word = ('<html xmlns:o="urn:schemas-microsoft-com:office:office"><head><style>p.MsoNormal'
            '{margin:0}</style></head><body><!--StartFragment--><p class="MsoNormal" '
            'style="mso-line-height-alt:12pt"><span style="font-family:Times">Đoạn một '
            '<b>đậm</b></span><o:p></o:p></p><p class="MsoNormal"><span lang="VI">Đoạn hai'
            '</span><o:p></o:p></p><!--EndFragment--></body></html>')
    area = page.locator(".rte-area")
    area.click()
    area.evaluate("""(area, html) => {
        const data = new DataTransfer();
        data.setData('text/html', html);
        data.setData('text/plain', 'Đoạn một đậm\\nĐoạn hai');
        area.dispatchEvent(new ClipboardEvent('paste', {clipboardData: data, bubbles: true,
                                                        cancelable: true}));
    }""", word)
    page.get_by_role("button", name="Lưu nháp").click()
    expect(page.locator("h1")).to_have_text("Dán từ Word")
    assert saved_body("Dán từ Word") == "<p>Đoạn một <b>đậm</b></p><p>Đoạn hai</p>"


def test_link_button_is_an_icon_the_app_serves_and_makes_a_link(page: Page, live_server, make):
    make.user("bientap", role="editor", orgs=["hoi-lhpn"])
    log_in(page, live_server, "bientap")
    page.goto(live_server("/posts/new"))
    button = page.get_by_role("button", name="Chèn liên kết")
    expect(button.locator("svg")).to_have_count(1)
    assert button.inner_text().strip() == ""  # no glyph that a font may lack
    page.fill("#title", "Có liên kết")
    page.locator(".rte-area").click()
    page.keyboard.type("Xem thêm")
    page.keyboard.press("Shift+Home")
    page.once("dialog", lambda dialog: dialog.accept("https://example.org/ke-hoach"))
    button.click()
    page.get_by_role("button", name="Lưu nháp").click()
    expect(page.locator("h1")).to_have_text("Có liên kết")
    assert 'href="https://example.org/ke-hoach"' in saved_body("Có liên kết")


def test_text_typed_before_the_login_expired_is_offered_back(page: Page, live_server, make):
    make.user("bientap", role="editor", orgs=["hoi-lhpn"])
    log_in(page, live_server, "bientap")
    page.goto(live_server("/posts/new"))
    page.fill("#title", "Bài viết dài")
    page.locator(".rte-area").click()
    page.keyboard.type("Đoạn đã gõ rất lâu.")
    page.context.clear_cookies()  # the login expires while the editor writes
    page.get_by_role("button", name="Lưu nháp").click()
    expect(page.locator("h1")).to_have_text("Phiên làm việc đã hết hạn")  # the server lost it
    page.goto(live_server("/posts/new"))
    expect(page).to_have_url(re.compile(r"/login"))
    page.fill("#username", "bientap")
    page.fill("#password", "correct-horse-battery")
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page).to_have_url(live_server("/posts/new"))

    banner = page.locator("#draft-banner")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("Bài viết dài")
    banner.get_by_role("button", name="Khôi phục bản này").click()
    expect(page.locator("#title")).to_have_value("Bài viết dài")
    expect(page.locator(".rte-area")).to_have_text("Đoạn đã gõ rất lâu.")
    page.get_by_role("button", name="Lưu nháp").click()
    expect(page.locator("h1")).to_have_text("Bài viết dài")
    page.goto(live_server("/posts/new"))
    expect(page.locator("#draft-banner")).to_be_hidden()  # saved: nothing left to offer


def test_new_photos_show_thumbnails_with_their_own_caption_and_a_preview(
        page: Page, live_server, make, tmp_path):
    make.user("bientap", role="editor", orgs=["hoi-lhpn"])
    log_in(page, live_server, "bientap")
    page.goto(live_server("/posts/new"))
    page.fill("#title", "Ảnh có chú thích")
    expect(page.locator("#image_captions")).to_be_hidden()
    page.set_input_files("#images", [photo(tmp_path, "mot.jpg", (200, 30, 30)),
                                     photo(tmp_path, "hai.jpg", (30, 120, 30))])
    previews = page.locator(".photo-previews li")
    expect(previews).to_have_count(2)
    page.get_by_label(re.compile("Chú thích ảnh 2")).fill("Trồng hoa")
    page.get_by_label(re.compile("Chú thích ảnh 1")).fill("Dọn vệ sinh")
    page.get_by_role("button", name="Xem trước").click()
    preview = page.locator("#preview-dialog")
    expect(preview).to_be_visible()
    expect(preview.locator("h1")).to_have_text("Ảnh có chú thích")
    expect(preview.locator("figcaption")).to_have_text(["Dọn vệ sinh", "Trồng hoa"])
    preview.get_by_role("button", name="Đóng, sửa tiếp").click()
    page.get_by_role("button", name="Lưu nháp").click()
    expect(page.locator(".gallery-grid figcaption")).to_have_text(["Dọn vệ sinh", "Trồng hoa"])


def test_opening_and_closing_photos_leaves_back_going_to_the_previous_page(
        page: Page, live_server, reading_content):
    post = reading_content.featured
    page.set_viewport_size(PHONE)
    page.goto(live_server("/"))
    page.goto(live_server(post_path(post)))
    gallery = page.get_by_role("region", name="Một số hình ảnh")
    gallery.get_by_role("link", name=post.images[0].caption).click()
    lightbox = page.locator(".lightbox.open")
    expect(lightbox.locator(".lightbox-count")).to_have_text("Ảnh 1 / 3")
    page.keyboard.press("ArrowRight")
    expect(lightbox.locator(".lightbox-count")).to_have_text("Ảnh 2 / 3")
    lightbox.dispatch_event("touchstart", {"touches": [{"identifier": 0, "clientX": 300,
                                                        "clientY": 300}]})
    lightbox.dispatch_event("touchend", {"changedTouches": [{"identifier": 0, "clientX": 100,
                                                             "clientY": 310}]})
    expect(lightbox.locator(".lightbox-count")).to_have_text("Ảnh 3 / 3")
    page.keyboard.press("ArrowLeft")
    expect(lightbox.locator(".lightbox-count")).to_have_text("Ảnh 2 / 3")
    page.keyboard.press("Escape")
    expect(page.locator(".lightbox.open")).to_have_count(0)
    gallery.get_by_role("link", name=post.images[2].caption).click()
    page.locator(".lightbox.open").get_by_role("link", name=re.compile("Đóng")).click()
    expect(page.locator(".lightbox.open")).to_have_count(0)

    page.go_back()
    expect(page).to_have_url(live_server("/"))


def test_phone_menu_shows_that_it_scrolls(page: Page, live_server, reading_content):
    page.set_viewport_size(PHONE)
    page.goto(live_server("/"))
    nav = page.get_by_role("navigation", name="Các tổ chức")
    hint = page.locator(".org-nav .scroll-hint.after")
    expect(hint).to_be_visible()
    expect(page.locator(".org-nav .scroll-hint.before")).to_be_hidden()
    nav.locator("ul").evaluate("list => list.scrollTo(list.scrollWidth, 0)")
    expect(hint).to_be_hidden()
    expect(page.locator(".org-nav .scroll-hint.before")).to_be_visible()
    page.set_viewport_size(WIDE)
    expect(hint).to_be_hidden()  # nothing to scroll on a wide screen


def test_card_summaries_are_shown_on_phones(page: Page, live_server, reading_content):
    page.set_viewport_size(PHONE)
    page.goto(live_server("/"))
    expect(page.locator(".card .lead").first).to_be_visible()


def test_the_very_first_visitor_sees_their_own_visit(page: Page, live_server, make):
    post = make.post(title="Bài đầu tiên")
    page.goto(live_server(post_path(post)))
    widget = page.locator(".visits")
    for name in ("online", "today", "week", "total"):
        expect(widget.locator(f"[data-stat={name}]")).to_have_text("1")
    expect(page.locator(".meta .views")).to_have_text("Lượt xem: 1")


def assert_shot(path: Path, viewport: dict, since: float, full_page: bool = True) -> None:
    """The screenshot was written by this test: a PNG as wide as the window (the whole page
    at least as tall as it, else exactly), and not one flat colour."""
    assert path.is_file() and path.stat().st_size > 0, path
    assert path.stat().st_mtime >= since, f"{path} is left from an earlier run"
    with Image.open(path) as shot:
        assert shot.format == "PNG"
        assert shot.width == viewport["width"], (path.name, shot.size)
        if full_page:
            assert shot.height >= viewport["height"], (path.name, shot.size)
        else:
            assert shot.height == viewport["height"], (path.name, shot.size)
        darkest, lightest = shot.convert("L").getextrema()
        assert lightest - darkest > 100, f"{path.name} is blank"


@pytest.mark.parametrize("viewport", [WIDE, PHONE], ids=["desktop-1366", "phone-360"])
def test_screenshots_of_home_post_gallery_editor_and_search(
        page: Page, live_server, reading_content, make, screenshot, viewport):
    post, pinned = reading_content.featured, reading_content.pinned
    since = time.time() - 1
    page.set_viewport_size(viewport)
    shots = []

    page.goto(live_server("/"))
    for title in (pinned.title, post.title):
        expect(page.get_by_role("link", name=title).first).to_be_visible()
    expect(page.locator(".visits")).to_be_visible()
    shots.append(screenshot(page, "i14-home"))

    page.goto(live_server(post_path(post)))
    expect(page.get_by_role("heading", level=1)).to_have_text(post.title)
    gallery = page.get_by_role("region", name="Một số hình ảnh")
    for image in post.images:
        expect(gallery.get_by_role("link", name=image.caption)).to_be_visible()
    shots.append(screenshot(page, "i14-post"))

    gallery.get_by_role("link", name=post.images[1].caption).click()
    lightbox = page.get_by_role("dialog", name=post.images[1].caption)
    expect(lightbox).to_be_visible()
    wait_for_image(page, lightbox.get_by_role("img"))
    expect(lightbox.get_by_role("img")).to_be_in_viewport()
    shots.append(screenshot(page, "i14-gallery", full_page=False))

    page.goto(live_server("/search?q=hoi+nghi"))
    expect(page.get_by_role("searchbox", name="Từ cần tìm")).to_have_value("hoi nghi")
    expect(page.get_by_role("link", name=pinned.title).first).to_be_visible()
    shots.append(screenshot(page, "i14-search"))

    make.user("bientap", role="editor", orgs=["hoi-lhpn"])
    log_in(page, live_server, "bientap")
    page.goto(live_server(f"/posts/{post.id}/edit"))
    expect(page.locator("#title")).to_have_value(post.title)
    expect(page.get_by_role("button", name="Lưu thay đổi")).to_be_visible()
    shots.append(screenshot(page, "i14-editor"))

    assert [shot.name.rsplit("-", 1)[0] for shot in shots] == [
        "i14-home", "i14-post", "i14-gallery", "i14-search", "i14-editor"]
    for shot in shots:
        assert_shot(shot, viewport, since, full_page=not shot.name.startswith("i14-gallery"))
    if SCREENS:
        Path(SCREENS).mkdir(parents=True, exist_ok=True)
        for shot in shots:
            Path(SCREENS, shot.name).write_bytes(shot.read_bytes())
            assert Path(SCREENS, shot.name).stat().st_size == shot.stat().st_size


def test_without_javascript_the_gallery_and_the_plain_editor_still_work(
        browser, live_server, reading_content, make):
    context = browser.new_context(java_script_enabled=False, locale="vi-VN")
    page = context.new_page()
    try:
        post = reading_content.featured
        page.goto(live_server(post_path(post)))
        page.get_by_role("region", name="Một số hình ảnh").get_by_role(
            "link", name=post.images[0].caption).click()
        lightbox = page.get_by_role("dialog", name=post.images[0].caption)
        expect(lightbox).to_be_visible()
        expect(lightbox.locator(".lightbox-count")).to_have_text("Ảnh 1 / 3")
        lightbox.get_by_role("link", name=re.compile("Ảnh sau")).click()
        expect(page.get_by_role("dialog", name=post.images[1].caption)).to_be_visible()

        make.user("bientap", role="editor", orgs=["hoi-lhpn"])
        log_in(page, live_server, "bientap")
        page.goto(live_server("/posts/new"))
        page.fill("#title", "Viết không cần script")
        page.fill("#body", "Đoạn một.\n\nĐoạn hai.")
        expect(page.locator("#image_captions")).to_be_visible()
        page.get_by_role("button", name="Lưu bài").click()
        expect(page.locator(".post .body p")).to_have_count(2)
    finally:
        context.close()
