"""Reading posts as a reader: visibility, pages, lists, pagination, feeds."""

import io
import re
import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest

from bulletin.extensions import db
from bulletin.models import utcnow

ATOM = "{http://www.w3.org/2005/Atom}"


def main_of(html: str) -> str:
    """Return the content of <main>."""
    return re.search(r"<main[^>]*>(.*)</main>", html, re.S).group(1)


def test_published_post_is_shown_at_its_canonical_url(client, make):
    post = make.post(title="Hội nghị tổng kết công tác năm 2025")
    response = client.get(f"/posts/{post.id}")
    assert response.status_code == 301
    expected = f"/posts/{post.id}/hoi-nghi-tong-ket-cong-tac-nam-2025"
    assert response.headers["Location"].endswith(expected)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Hội nghị tổng kết công tác năm 2025" in main_of(page)


@pytest.mark.parametrize("status", ["draft", "archived"])
def test_unpublished_posts_are_404_for_readers(client, make, status):
    post = make.post(title="Bản nháp chưa đăng", status=status)
    assert client.get(f"/posts/{post.id}").status_code == 404
    assert client.get(f"/posts/{post.id}/{post.slug}").status_code == 404
    assert client.get(f"/posts/{post.id}/print").status_code == 404
    assert "Bản nháp chưa đăng" not in client.get("/").get_data(as_text=True)
    assert "Bản nháp chưa đăng" not in client.get("/org/mttq").get_data(as_text=True)
    assert "Bản nháp chưa đăng" not in client.get("/feed.atom").get_data(as_text=True)


def test_scheduled_post_is_hidden_until_its_time(client, make):
    post = make.post(title="Thông báo sắp đăng", published_at=utcnow() + timedelta(hours=2))
    assert client.get(f"/posts/{post.id}").status_code == 404
    assert "Thông báo sắp đăng" not in client.get("/").get_data(as_text=True)
    post.published_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert client.get(f"/posts/{post.id}").status_code == 301


def test_photos_and_attachments_of_a_draft_are_404(client, make):
    from bulletin.models import Attachment
    from bulletin.uploads import store_attachment

    post = make.post(status="draft")
    image = make.photo(post)
    stored = store_attachment(b"%PDF-1.4\n" + b"x" * 300)
    item = Attachment(post=post, original_name="Kế hoạch.pdf", stored_name=stored.stored_name,
                      mime_type=stored.mime_type, size_bytes=stored.size_bytes)
    db.session.add(item)
    db.session.commit()
    urls = [f"/images/{image.id}/thumb.jpg", f"/images/{image.id}/large.jpg",
            f"/attachments/{item.id}"]
    assert statuses(client, urls) == [404, 404, 404]
    post.status, post.published_at = "published", utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert statuses(client, urls) == [200, 200, 200]  # the files are there: the draft hid them


def statuses(client, urls) -> list[int]:
    """The status of each URL, its body closed (files are sent as streams)."""
    answers = []
    for url in urls:
        with client.get(url) as response:
            answers.append(response.status_code)
    return answers


def test_home_lists_pinned_posts_first_then_newest(client, make):
    make.post(title="Tin cũ được ghim", is_pinned=True, age_minutes=600)
    make.post(title="Tin mới nhất", age_minutes=1)
    make.post(title="Tin hôm qua", age_minutes=1440)
    html = main_of(client.get("/").get_data(as_text=True))
    positions = [html.index(t) for t in ("Tin cũ được ghim", "Tin mới nhất", "Tin hôm qua")]
    assert positions == sorted(positions)


def test_post_page_shows_lead_byline_date_gallery_and_attachment_size(client, make):
    from bulletin.models import Attachment
    from bulletin.uploads import store_attachment

    post = make.post(title="Ngày hội Đại đoàn kết", summary="Sáng ngày 15/11, khu phố 3 tổ chức…",
                     byline="Hoàng An, Công chức Văn hóa – thông tin",
                     published_at=utcnow().replace(year=2025, month=11, day=14, hour=20))
    make.photo(post, caption="Đại biểu dự ngày hội")
    stored = store_attachment(b"%PDF-1.4\n" + b"x" * 3000)
    db.session.add(Attachment(post=post, original_name="Kế hoạch năm 2025.pdf",
                              stored_name=stored.stored_name, mime_type=stored.mime_type,
                              size_bytes=stored.size_bytes))
    db.session.commit()
    html = client.get(f"/posts/{post.id}/{post.slug}").get_data(as_text=True)
    assert "Sáng ngày 15/11, khu phố 3 tổ chức…" in html
    assert "Hoàng An, Công chức Văn hóa – thông tin" in html
    assert "15/11/2025" in html  # 20:00 UTC is the next morning in Hà Nội
    assert 'alt="Đại biểu dự ngày hội"' in html
    assert "<figcaption>Đại biểu dự ngày hội</figcaption>" in html
    assert "Kế hoạch năm 2025.pdf" in html
    assert "PDF, 3 KB" in html


def test_post_page_links_previous_and_next_and_more_from_organization(client, make):
    older = make.post(title="Bài thứ nhất", age_minutes=30)
    middle = make.post(title="Bài thứ hai", age_minutes=20)
    newer = make.post(title="Bài thứ ba", age_minutes=10)
    html = client.get(f"/posts/{middle.id}/{middle.slug}").get_data(as_text=True)
    nav = re.search(r'<nav class="prev-next".*?</nav>', html, re.S).group(0)
    assert f"/posts/{older.id}/" in nav
    assert f"/posts/{newer.id}/" in nav
    assert "Tin khác của MTTQ" in html


def test_organization_page_shows_only_its_posts_and_its_branches(client, make):
    branch = make.make_org("Chi hội Phụ nữ khu 2", parent=make.org("hoi-lhpn"))
    make.post(title="Tin của Hội Phụ nữ", organization="hoi-lhpn")
    make.post(title="Tin của chi hội khu 2", organization=branch)
    make.post(title="Tin của Đoàn thanh niên", organization="doan-tncs")
    html = main_of(client.get("/org/hoi-lhpn").get_data(as_text=True))
    assert "Tin của Hội Phụ nữ" in html
    assert "Tin của chi hội khu 2" in html
    assert "Tin của Đoàn thanh niên" not in html


def test_category_page_lists_its_posts(client, make):
    make.post(title="Thông báo họp", cat="thong-bao")
    make.post(title="Tin hoạt động", cat="tin-hoat-dong")
    html = main_of(client.get("/category/thong-bao").get_data(as_text=True))
    assert "Thông báo họp" in html
    assert "Tin hoạt động" not in html


def test_unknown_organization_and_category_are_friendly_404(client):
    response = client.get("/org/khong-co")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.get_data(as_text=True)
    assert client.get("/category/khong-co").status_code == 404


def _titles(html: str) -> list[str]:
    """Return the post titles of a list page in order."""
    return re.findall(r'<h2 class="card-title"><a href="/posts/\d+/[^"]+">'
                      r'(?:<span class="pin">[^<]*</span> )?([^<]+)</a></h2>', html)


def _next_link(html: str) -> str | None:
    """Return the href of the 'older' link, unescaped."""
    found = re.search(r'<a rel="next" href="([^"]+)"', html)
    return found.group(1).replace("&amp;", "&") if found else None


@pytest.mark.parametrize("per_page,total", [(5, 5), (5, 6), (5, 11), (3, 10)])
def test_pagination_edges_by_cursor_and_by_page_number(make_app, make, per_page, total):
    app = make_app(POSTS_PER_PAGE=per_page)
    client = app.test_client()
    with app.app_context():
        expected = [make.post(title=f"Tin số {n:02d}", organization="hoi-ccb",
                              age_minutes=n).title for n in range(1, total + 1)]
    seen, url = [], "/org/hoi-ccb"
    pages = 0
    while url:
        html = client.get(url).get_data(as_text=True)
        seen.extend(_titles(html))
        url = _next_link(html)
        pages += 1
    assert seen == expected
    assert pages == -(-total // per_page)
    # ?page=N without a cursor gives the same pages
    by_number = []
    for number in range(1, pages + 1):
        by_number.extend(_titles(client.get(f"/org/hoi-ccb?page={number}").get_data(as_text=True)))
    assert by_number == expected
    assert client.get(f"/org/hoi-ccb?page={pages + 1}").status_code == 404


def test_previous_link_walks_back_to_the_same_pages(make_app, make):
    app = make_app(POSTS_PER_PAGE=2)
    client = app.test_client()
    with app.app_context():
        for n in range(1, 8):
            make.post(title=f"Tin số {n:02d}", age_minutes=n)
    pages, url = [], "/"
    while url:
        html = client.get(url).get_data(as_text=True)
        pages.append((_titles(html), html))
        url = _next_link(html)
    html = pages[-1][1]
    for titles, _html in reversed(pages[:-1]):
        prev = re.search(r'<a rel="prev" href="([^"]+)"', html).group(1).replace("&amp;", "&")
        html = client.get(prev).get_data(as_text=True)
        assert _titles(html) == titles


@pytest.mark.parametrize("value", ["0", "-1", "abc", "99999999999", "1.5", ""])
def test_bad_page_values_fall_back_to_the_first_page(client, make, value):
    make.post(title="Tin duy nhất")
    response = client.get(f"/?page={value}")
    assert response.status_code == 200
    assert "Tin duy nhất" in response.get_data(as_text=True)


def test_forged_cursor_is_ignored_not_an_error(make_app, make):
    app = make_app(POSTS_PER_PAGE=2)
    client = app.test_client()
    with app.app_context():
        for n in range(1, 4):
            make.post(title=f"Tin số {n:02d}", age_minutes=n)
    for cursor in ["n.x_y", "p.1_2_3_4", "n.99999999999999999999999_1", "zzz", "n."]:
        response = client.get(f"/?page=2&c={cursor}")  # as if there were no cursor: page 2
        assert response.status_code == 200, cursor
        assert _titles(response.get_data(as_text=True)) == ["Tin số 03"], cursor


def test_atom_feed_is_valid_and_lists_published_posts(client, make):
    make.post(title="Tin trong feed", body="<p>Nội dung <b>đậm</b></p>")
    make.post(title="Bản nháp", status="draft")
    response = client.get("/feed.atom")
    assert response.status_code == 200
    assert response.mimetype == "application/atom+xml"
    root = ET.fromstring(response.data)
    assert root.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert root.find(f"{ATOM}{required}") is not None
    entries = root.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}title").text for e in entries] == ["Tin trong feed"]
    entry = entries[0]
    for required in ("id", "updated", "link", "author", "content"):
        assert entry.find(f"{ATOM}{required}") is not None
    assert entry.find(f"{ATOM}link").get("href").startswith("http")


def test_organization_feed_lists_only_that_organization(client, make):
    make.post(title="Tin Công đoàn", organization="cong-doan")
    make.post(title="Tin Hội Nông dân", organization="hoi-nong-dan")
    root = ET.fromstring(client.get("/org/cong-doan/feed.atom").data)
    titles = [e.find(f"{ATOM}title").text for e in root.findall(f"{ATOM}entry")]
    assert titles == ["Tin Công đoàn"]


def test_print_view_has_article_without_navigation(client, make):
    post = make.post(title="Bài để in", byline="Nguyễn Văn A, Chủ tịch")
    html = client.get(f"/posts/{post.id}/print").get_data(as_text=True)
    assert "Bài để in" in html and "Nguyễn Văn A, Chủ tịch" in html
    assert "org-nav" not in html
    assert "print.css" in html


# --- Issue 21: following the board, one search box ----------------------------------------

def test_theo_doi_tin_moi_opens_a_vietnamese_page_with_the_feed_address(client, make):
    home = client.get("/").get_data(as_text=True)
    link = re.search(r'<a href="([^"]+)">Theo dõi tin mới</a>', home).group(1)
    assert link == "/follow"
    response = client.get(link)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert 'value="http://localhost/feed.atom" readonly' in html
    assert "Chép địa chỉ" in html and "Trên điện thoại" in html
    assert "http://localhost/org/hoi-lhpn/feed.atom" in html
    assert client.get("/feed.atom").mimetype == "application/atom+xml"  # the feed stays


def test_an_organizations_follow_link_names_its_own_feed_first(client, make):
    page = client.get("/org/hoi-lhpn").get_data(as_text=True)
    assert 'href="/follow?org=hoi-lhpn"' in page
    html = client.get("/follow?org=hoi-lhpn").get_data(as_text=True)
    assert html.index("http://localhost/org/hoi-lhpn/feed.atom") < html.index(
        "http://localhost/feed.atom")
    assert client.get("/follow?org=khong-co").status_code == 200  # unknown: the general page


def test_the_search_page_has_one_search_box(client, make):
    make.post(title="Hội nghị tổng kết")
    html = client.get("/search?q=hoi+nghi").get_data(as_text=True)
    assert html.count('type="search"') == 1
    assert client.get("/").get_data(as_text=True).count('type="search"') == 1


# --- Issue 21: a middle size and WebP ------------------------------------------------------

def test_a_photo_comes_in_a_middle_size_and_in_webp_without_metadata(client, make):
    from PIL import Image
    post = make.post(title="Ảnh nhiều cỡ")
    photo = make.photo(post, width=2400, height=1600)
    page = client.get(f"/posts/{post.id}/{post.slug}").get_data(as_text=True)
    assert f"/images/{photo.id}/medium.webp 1000w, /images/{photo.id}/large.webp 2000w" in page
    assert f"/images/{photo.id}/medium.jpg 1000w, /images/{photo.id}/large.jpg 2000w" in page
    for path, kind, size in ((f"/images/{photo.id}/medium.jpg", "JPEG", (1000, 667)),
                             (f"/images/{photo.id}/medium.webp", "WEBP", (1000, 667)),
                             (f"/images/{photo.id}/large.webp", "WEBP", (2000, 1333))):
        with client.get(path) as response:
            assert response.status_code == 200, path
            assert "immutable" in response.headers["Cache-Control"]
            image = Image.open(io.BytesIO(response.data))
        assert (image.format, image.size) == (kind, size)
        assert not image.getexif() and "icc_profile" not in image.info
    with client.get(f"/images/{photo.id}/thumb.webp") as thumb:
        assert Image.open(io.BytesIO(thumb.data)).format == "WEBP"
    home = client.get("/").get_data(as_text=True)
    assert f'<source type="image/webp" srcset="/images/{photo.id}/thumb.webp">' in home
    assert client.get(f"/images/{photo.id}/small.webp").status_code == 404
    assert client.get(f"/images/{photo.id}/original.jpg").status_code == 404
    with client.get(f"/images/{photo.id}/medium.webp") as webp, \
            client.get(f"/images/{photo.id}/large.jpg") as jpeg:
        assert len(webp.data) < len(jpeg.data) / 2


def test_a_middle_size_of_an_unpublished_photo_stays_private(client, make):
    post = make.post(title="Nháp có ảnh", status="draft")
    photo = make.photo(post, width=2400, height=1600)
    assert client.get(f"/images/{photo.id}/medium.webp").status_code == 404


# --- Issue 21: the weekly paper bulletin ---------------------------------------------------

def test_the_weekly_bulletin_gathers_the_weeks_published_posts(client, make):
    from datetime import datetime

    from bulletin.i18n import TIMEZONE
    from bulletin.site import settings_row, site_changed
    row = settings_row()
    row.committee_name, row.locality_name = "Ủy ban MTTQ Việt Nam", "xã Trùng Khánh"
    db.session.commit()
    site_changed()
    monday = datetime(2026, 11, 30, 8, 0, tzinfo=TIMEZONE)  # week 49 of 2026
    make.post(title="Tin thứ hai", summary="Mở đầu tin thứ hai.", organization="hoi-lhpn",
              published_at=monday)
    make.post(title="Tin thứ bảy", organization="doan-tncs",
              published_at=monday + timedelta(days=5, hours=12))
    make.post(title="Tin tuần trước", published_at=monday - timedelta(hours=9))
    make.post(title="Bản nháp trong tuần", status="draft", published_at=monday)
    html = client.get("/bulletin/weekly?week=2026-W49").get_data(as_text=True)
    assert "Số 49/2026 – từ 30/11/2026 đến 06/12/2026" in html
    assert "Ủy ban MTTQ Việt Nam" in html and "xã Trùng Khánh" in html
    assert html.index("Tin thứ hai") < html.index("Tin thứ bảy")
    assert "Mở đầu tin thứ hai." in html and "Hội Liên hiệp Phụ nữ" in html
    assert "Tin tuần trước" not in html and "Bản nháp trong tuần" not in html
    assert 'href="/bulletin/weekly?week=2026-W48"' in html
    home = client.get("/").get_data(as_text=True)
    assert 'href="/bulletin/weekly"' in home


@pytest.mark.parametrize("week", ["2026-W54", "abc", "0000-W01", "9999-W52", ""])
def test_a_bad_week_shows_this_week(client, week):
    response = client.get("/bulletin/weekly", query_string={"week": week})
    assert response.status_code == 200
    assert "Bản tin tuần" in response.get_data(as_text=True)


def test_a_busy_week_lists_the_rest_by_title(client, make):
    from datetime import datetime

    from bulletin.i18n import TIMEZONE
    monday = datetime(2026, 11, 30, 7, 0, tzinfo=TIMEZONE)
    for number in range(1, 10):
        make.post(title=f"Tin số {number}", summary="Tóm tắt " * 80,
                  published_at=monday + timedelta(hours=number))
    html = client.get("/bulletin/weekly?week=2026-W49").get_data(as_text=True)
    assert html.count('<article class="item">') == 6
    assert "Các tin khác trong tuần" in html and "Tin số 9" in html
