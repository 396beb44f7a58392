"""What a reader sees in a real browser: home, organization, post, gallery, files, print.

These run on the SQLite leg only: they prove what only a browser shows (layout, the no-JS
lightbox, downloads, focus), which does not depend on the database; the test-client suite
covers both databases, and starting Chromium twice would double the slowest tests for nothing.
Screenshots land in test-artifacts/ (ignored by git) for a person to look at.
"""

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = [
    pytest.mark.browser,
    pytest.mark.parametrize("database_url", ["sqlite"], indirect=True),
]

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}
NUMBER = re.compile(r"^\d{1,3}(\.\d{3})*$")  # 1.234.567

SIDEWAYS_OVERFLOW = """() => {
  const root = document.documentElement;
  const limit = root.clientWidth;
  const culprits = [];
  if (root.scrollWidth > limit) {
    for (const el of document.querySelectorAll("body *")) {
      const box = el.getBoundingClientRect();
      if (box.width && box.right > limit + 0.5) {
        culprits.push(`${el.tagName.toLowerCase()}.${el.className} right=${Math.round(box.right)}`);
      }
    }
  }
  return {scrollWidth: root.scrollWidth, clientWidth: limit, innerWidth: window.innerWidth,
          culprits: culprits.slice(0, 10)};
}"""

IMAGE_LOADED = "img => img.complete && img.naturalWidth > 0"


def post_path(post) -> str:
    """The contract URL of a post (it may redirect to the slugged one)."""
    return f"/posts/{post.id}"


def wait_for_image(page: Page, image) -> dict:
    """Wait until an <img> has loaded; return its natural size and its box on screen."""
    page.wait_for_function(IMAGE_LOADED, arg=image.element_handle())
    natural = image.evaluate("img => ({width: img.naturalWidth, height: img.naturalHeight})")
    return {**natural, "box": image.bounding_box()}


def assert_fits_width(page: Page, label: str) -> None:
    """Fail when the page scrolls sideways, naming the elements that stick out."""
    found = page.evaluate(SIDEWAYS_OVERFLOW)
    assert found["scrollWidth"] <= found["clientWidth"] <= found["innerWidth"], (label, found)


def test_home_lists_published_posts_pinned_first_with_visit_statistics(
        page: Page, live_server, reading_content):
    page.goto(live_server("/"))

    cards = page.get_by_role("main").locator("article.card")
    newest_first = sorted((p for p in reading_content.posts if not p.is_pinned),
                          key=lambda p: p.published_at, reverse=True)
    expected = [reading_content.pinned.title, *(p.title for p in newest_first)]
    titles = [t.removeprefix("Nổi bật").strip() for t in cards.locator("h2").all_inner_texts()]
    assert titles == expected
    expect(cards.first).to_have_class(re.compile(r"\bpinned\b"))
    expect(cards.first.locator(".pin")).to_have_text("Nổi bật")
    cover = wait_for_image(page, cards.first.locator("img"))
    assert cover["width"] > 0

    widget = page.get_by_role("region", name="Thống kê truy cập")
    expect(widget).to_be_visible()
    for label in ("Đang truy cập", "Hôm nay", "Tuần này", "Tổng truy cập"):
        expect(widget.get_by_text(label, exact=True)).to_be_visible()
    figures = widget.locator("dd").all_inner_texts()
    assert len(figures) == 4
    assert all(NUMBER.match(figure) for figure in figures), figures


def test_reader_follows_organization_post_gallery_attachment_and_print_view(
        page: Page, live_server, reading_content, outside_requests, tmp_path):
    post = reading_content.featured
    captions = [image.caption for image in post.images]
    page.set_viewport_size(DESKTOP)
    page.goto(live_server("/"))

    nav = page.get_by_role("navigation", name="Các tổ chức")
    nav.get_by_role("link", name="Hội LHPN", exact=True).click()
    expect(page).to_have_url(live_server("/org/hoi-lhpn"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Hội Liên hiệp Phụ nữ")

    page.get_by_role("main").get_by_role("link", name=post.title).click()
    expect(page).to_have_url(re.compile(rf"/posts/{post.id}(/[\w-]+)?$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(post.title)

    # The lightbox: a thumbnail opens the large photo with its caption and its place.
    gallery = page.get_by_role("region", name="Một số hình ảnh")
    gallery.get_by_role("link", name=captions[0]).click()
    expect(page).to_have_url(re.compile(rf"#photo-{post.images[0].id}$"))
    lightbox = page.get_by_role("dialog", name=captions[0])
    expect(lightbox).to_be_visible()
    expect(lightbox.locator("figcaption")).to_contain_text(captions[0])
    expect(lightbox.locator(".lightbox-count")).to_have_text("Ảnh 1 / 3")
    large = wait_for_image(page, lightbox.get_by_role("img"))
    assert 0 < large["width"] <= 2000 and large["height"] <= 2000, large
    box = large["box"]
    assert box["x"] >= 0 and box["x"] + box["width"] <= DESKTOP["width"], box
    assert box["y"] >= 0 and box["y"] + box["height"] <= DESKTOP["height"], box

    lightbox.get_by_role("link", name=re.compile("Ảnh sau")).click()
    second = page.get_by_role("dialog", name=captions[1])
    expect(second).to_be_visible()
    expect(lightbox).to_be_hidden()
    second.get_by_role("link", name=re.compile("Đóng")).click()
    expect(page.get_by_role("dialog")).to_have_count(0)
    expect(page).to_have_url(re.compile(rf"/posts/{post.id}/[\w-]+$"))

    # Attachments download under their Vietnamese names.
    files = page.get_by_role("region", name="Tài liệu đính kèm")
    for name in reading_content.attachment_names:
        with page.expect_download() as download_info:
            files.get_by_role("link", name=name).click()
        download = download_info.value
        assert download.suggested_filename == name
        saved = tmp_path / "download"
        download.save_as(saved)
        assert saved.stat().st_size > 0

    page.get_by_role("link", name="In bài").click()
    expect(page).to_have_url(live_server(f"/posts/{post.id}/print"))
    expect(page.get_by_role("heading", level=1)).to_have_text(post.title)
    expect(page.get_by_text(post.byline)).to_be_visible()
    expect(page.get_by_role("button", name="In trang này")).to_be_visible()  # print.js ran
    assert "serif" in page.evaluate("getComputedStyle(document.body).fontFamily")

    assert outside_requests == []


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone-360", "desktop-1280"])
def test_reading_pages_fit_the_window_without_sideways_scroll(
        page: Page, live_server, reading_content, screenshot, viewport):
    post = reading_content.featured
    page.set_viewport_size(viewport)
    pages = {
        "home": "/",
        "post": post_path(post),
        "organization": "/org/hoi-lhpn",
        "login": "/login",
        "print": f"/posts/{post.id}/print",
    }
    for name, path in pages.items():
        page.goto(live_server(path))
        assert_fits_width(page, name)
        screenshot(page, name)

    # The open lightbox fits the window too, photo and caption on screen.
    page.goto(live_server(post_path(post)))
    first = post.images[0]
    page.goto(page.url.split("#")[0] + f"#photo-{first.id}")
    lightbox = page.get_by_role("dialog", name=first.caption)
    expect(lightbox).to_be_visible()
    large = wait_for_image(page, lightbox.get_by_role("img"))
    box = large["box"]
    assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"] + 0.5, box
    expect(lightbox.locator("figcaption")).to_be_in_viewport()
    expect(lightbox.get_by_role("link", name=re.compile("Đóng"))).to_be_in_viewport()
    assert_fits_width(page, "lightbox")
    screenshot(page, "post-gallery-open", full_page=False)


def test_reading_pages_fetch_nothing_from_other_hosts(
        page: Page, live_server, reading_content, outside_requests):
    post = reading_content.featured
    local = []
    page.on("request", lambda request: local.append(request.url))
    for path in ("/", "/org/hoi-lhpn", "/category/thong-bao", post_path(post),
                 f"{post_path(post)}#photo-{post.images[2].id}", f"/posts/{post.id}/print",
                 "/login"):
        page.goto(live_server(path), wait_until="networkidle")
    page.mouse.wheel(0, 5000)  # lazy images below the fold load too
    page.wait_for_load_state("networkidle")

    assert outside_requests == []
    assert any(url.split("?")[0].endswith("/static/css/site.css") for url in local)
    assert any("/images/" in url for url in local)


def test_tab_reaches_the_skip_link_first_and_it_moves_focus_to_main(
        page: Page, live_server, reading_content):
    page.goto(live_server("/"))

    page.keyboard.press("Tab")
    skip = page.locator(":focus")
    expect(skip).to_have_text("Bỏ qua, đến nội dung chính")
    expect(skip).to_have_attribute("href", "#content")
    expect(skip).to_be_in_viewport()

    page.keyboard.press("Enter")
    expect(page.get_by_role("main")).to_be_focused()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('main') !== null")


def test_keyboard_opens_a_gallery_photo_and_focus_moves_into_it(
        page: Page, live_server, reading_content):
    post = reading_content.featured
    first = post.images[0]
    page.goto(live_server(post_path(post)))

    page.get_by_role("region", name="Một số hình ảnh").get_by_role(
        "link", name=first.caption).focus()
    page.keyboard.press("Enter")
    lightbox = page.get_by_role("dialog", name=first.caption)
    expect(lightbox).to_be_visible()
    expect(lightbox).to_be_focused()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('.lightbox') !== null")
    expect(page.locator(":focus")).to_have_text(re.compile("Đóng"))

    page.keyboard.press("Enter")
    expect(lightbox).to_be_hidden()


def test_print_view_prints_the_article_alone_on_a4(
        page: Page, live_server, reading_content, screenshot):
    post = reading_content.featured
    page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi
    page.goto(live_server(f"/posts/{post.id}/print"))
    page.emulate_media(media="print")

    expect(page.get_by_role("link", name=re.compile("Quay lại bài viết"))).to_be_hidden()
    expect(page.get_by_role("button", name="In trang này")).to_be_hidden()
    expect(page.get_by_role("heading", level=1)).to_have_text(post.title)
    for image in post.images:
        expect(page.get_by_text(image.caption)).to_be_visible()
    assert_fits_width(page, "print")
    screenshot(page, "print-a4")
    pdf = page.pdf(format="A4", print_background=False)
    assert pdf.startswith(b"%PDF-")
