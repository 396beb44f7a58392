"""Issue 21 for readers, in a real browser at 1366 and 360 px: the header and its logo, one
search box, following the board; with screenshots saved in docs/screens/."""

import io
import os
import re
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from bulletin import site
from bulletin.caching import versions
from bulletin.extensions import db
from tests.browser.test_reading import post_path

pytestmark = [
    pytest.mark.browser,
    pytest.mark.parametrize("database_url", ["sqlite"], indirect=True),
]

WIDE = {"width": 1366, "height": 768}
PHONE = {"width": 360, "height": 740}
VIEWPORTS = pytest.mark.parametrize("viewport", [WIDE, PHONE], ids=["1366", "360"])
# Screenshots go to test-artifacts/, or to SCREENS_DIR when set (docs/screens/ to refresh
# the committed ones), so a plain test run leaves the repository as it was.
SCREENS = Path(os.environ.get("SCREENS_DIR")
               or Path(__file__).resolve().parents[2] / "test-artifacts")
COMMITTEE = "Ủy ban Mặt trận Tổ quốc Việt Nam xã Trùng Khánh"
LOCALITY = "Mặt trận Tổ quốc và các đoàn thể chính trị – xã hội"


def shoot(page: Page, name: str, full_page: bool = True) -> Path:
    """Save a screenshot to docs/screens/i21-<name>-<width>.png."""
    SCREENS.mkdir(parents=True, exist_ok=True)
    path = SCREENS / f"i21-{name}-{page.viewport_size['width']}.png"
    page.screenshot(path=path, full_page=full_page)
    return path


def square_logo() -> bytes:
    """A 512 px square emblem, as admins upload them (stored at 256 px)."""
    image = Image.new("RGB", (512, 512), (200, 16, 46))
    for inset in range(60, 256, 60):
        Image.Image.paste(image, (250, 200, 40), (inset, inset, 512 - inset, 512 - inset))
        Image.Image.paste(image, (200, 16, 46), (inset + 20, inset + 20, 492 - inset,
                                                 492 - inset))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def with_logo(live_server):
    """The site has a long committee name and a 256 px logo."""
    row = site.settings_row()
    row.committee_name, row.locality_name = COMMITTEE, LOCALITY
    row.logo_key = site.store_logo(square_logo())
    db.session.commit()
    site.site_changed()
    versions.bump()


def boxes_overlap(a: dict, b: dict) -> bool:
    """True when two bounding boxes share any area."""
    return not (a["x"] + a["width"] <= b["x"] or b["x"] + b["width"] <= a["x"]
                or a["y"] + a["height"] <= b["y"] or b["y"] + b["height"] <= a["y"])


@VIEWPORTS
def test_the_logo_is_40_px_and_nothing_in_the_header_overlaps(
        page: Page, live_server, reading_content, with_logo, viewport):
    page.set_viewport_size(viewport)
    page.goto(live_server("/"))
    logo = page.locator(".brand img")
    expect(logo).to_be_visible()
    box = logo.bounding_box()
    assert 36 <= box["height"] <= 44, box
    names = page.locator(".brand > span").bounding_box()
    login = page.get_by_role("link", name="Đăng nhập").bounding_box()
    search = page.locator(".search-box").bounding_box()
    for one, other in ((names, login), (names, search), (login, search), (box, names)):
        assert not boxes_overlap(one, other), (one, other)
    header = page.locator(".site-header").bounding_box()
    assert header["height"] < viewport["height"] / 2  # the first screen shows the news
    assert page.evaluate("() => document.documentElement.scrollWidth") <= viewport["width"]
    shoot(page, "header-home", full_page=False)
    page.goto(live_server(post_path(reading_content.featured)))
    shoot(page, "post")


@VIEWPORTS
def test_the_search_page_shows_one_search_box(page: Page, live_server, reading_content,
                                              viewport):
    page.set_viewport_size(viewport)
    page.goto(live_server("/search?q=Hội+nghị"))
    expect(page.get_by_role("searchbox")).to_have_count(1)
    expect(page.get_by_role("searchbox", name="Từ cần tìm")).to_have_value("Hội nghị")
    first = page.locator("main h2 a").first
    expect(first).to_be_visible()
    if viewport is PHONE:
        assert first.bounding_box()["y"] < viewport["height"]  # the first result on screen
    shoot(page, "search")


@VIEWPORTS
def test_following_the_board_explains_and_copies_the_address(
        page: Page, live_server, reading_content, viewport):
    page.set_viewport_size(viewport)
    page.goto(live_server("/"))
    page.get_by_role("link", name="Theo dõi tin mới").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Theo dõi tin mới")
    address = page.get_by_label("Địa chỉ tin mới", exact=True)
    expect(address).to_have_value(live_server("/feed.atom"))
    page.get_by_role("button", name="Chép địa chỉ").click()
    expect(page.get_by_role("status")).to_have_text(re.compile("Đã chép địa chỉ"))
    assert page.evaluate("() => document.documentElement.scrollWidth") <= viewport["width"]
    shoot(page, "follow")


@VIEWPORTS
def test_posts_since_the_previous_visit_are_marked_new(page: Page, live_server,
                                                       reading_content, viewport):
    page.set_viewport_size(viewport)
    page.goto(live_server("/"))
    expect(page.locator(".new-badge")).to_have_count(0)  # a first visit: nothing is "new"
    expect(page.locator(".new-since")).to_be_hidden()
    # The reader's last visit was 30 hours ago: two posts came since (2 h and 26 h old).
    import time
    before = int(time.time()) - 30 * 3600
    page.context.add_cookies([{"name": "bt_seen", "value": f"{before - 86400}.{before}",
                               "url": live_server("/")}])
    page.reload()
    expect(page.locator(".new-since")).to_have_text("2 bài mới kể từ lần trước")
    new = page.locator(".card.is-new .card-title")
    expect(new).to_have_count(2)
    expect(new.first).to_contain_text("Mới")
    shoot(page, "home-new", full_page=False)
    page.reload()  # the same visit: still new
    expect(page.locator(".card.is-new")).to_have_count(2)
    page.goto(live_server("/org/hoi-lhpn"))
    expect(page.locator(".card.is-new")).to_have_count(1)
    cookies = {c["name"]: c for c in page.context.cookies()}
    assert cookies["bt_seen"]["value"].startswith(f"{before}.")
    assert not [c for c in cookies if c.startswith("session")]  # no server state for this


@VIEWPORTS
def test_a_phone_opens_the_middle_size_in_webp(page: Page, live_server, reading_content,
                                               viewport):
    post = reading_content.featured
    page.set_viewport_size(viewport)
    asked = []
    page.on("request", lambda request: asked.append(request.url)
            if "/images/" in request.url and "thumb" not in request.url else None)
    page.goto(live_server(post_path(post)))
    page.get_by_role("region", name="Một số hình ảnh").get_by_role(
        "link", name=post.images[0].caption).click()
    shown = page.locator(".lightbox.open img")
    page.wait_for_function("() => document.querySelector('.lightbox.open img').complete"
                           " && document.querySelector('.lightbox.open img').naturalWidth")
    wanted = "medium.webp" if viewport is PHONE else "large.webp"
    assert shown.evaluate("img => img.currentSrc").endswith(wanted)
    assert all(url.endswith(".webp") for url in asked), asked
    shoot(page, "gallery", full_page=False)


@VIEWPORTS
def test_the_weekly_paper_bulletin_fits_two_a4_pages(page: Page, live_server, make, viewport):
    from datetime import datetime, timedelta

    from bulletin.i18n import TIMEZONE
    monday = datetime(2026, 11, 30, 7, 0, tzinfo=TIMEZONE)
    orgs = ("mttq", "hoi-lhpn", "doan-tncs", "hoi-ccb", "hoi-nong-dan", "cong-doan")
    for number in range(1, 16):  # a busy week: fifteen posts, long leads, photos
        post = make.post(title=f"Hội nghị sơ kết phong trào thi đua số {number} của các chi "
                               "hội trên địa bàn xã",
                         summary="Sáng nay, các chi hội đã tổ chức hội nghị sơ kết, đánh giá "
                                 "kết quả thực hiện nhiệm vụ và bàn phương hướng thời gian "
                                 "tới. " * 3,
                         organization=orgs[number % len(orgs)],
                         published_at=monday + timedelta(hours=7 * number))
        make.photo(post, caption="Ảnh hội nghị", width=1600, height=1200,
                   color=(40 * (number % 6), 90, 140))
    page.set_viewport_size(viewport)
    page.goto(live_server("/"))
    page.get_by_role("link", name="In bản tin tuần này (A4)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bản tin tuần")
    page.goto(live_server("/bulletin/weekly?week=2026-W49"))
    expect(page.locator("article.item")).to_have_count(6)
    expect(page.get_by_role("button", name="In bản tin (A4)")).to_be_visible()
    page.wait_for_function("() => [...document.images].every(img => img.complete)")
    shoot(page, "weekly")
    if viewport is WIDE:
        pdf = page.pdf(format="A4", print_background=True, prefer_css_page_size=True)
        pages = len(re.findall(rb"/Type\s*/Page(?!s)", pdf))
        assert 1 <= pages <= 2, pages
        (SCREENS / "i21-weekly.pdf").write_bytes(pdf)
