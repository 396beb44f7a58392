"""Issue 21 in a real browser: an editor's day one (many phone photos, pictures as previews,
publishing buttons, photo order) and a reader's phone (Back closes the photo)."""

import io
import json
import os
import re
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from bulletin.extensions import db
from bulletin.models import Post
from tests.browser.test_reading import post_path
from tests.browser.test_staff import log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.parametrize("database_url", ["sqlite"], indirect=True),
]

WIDE = {"width": 1366, "height": 768}
PHONE = {"width": 360, "height": 740}
# Screenshots go to test-artifacts/, or to SCREENS_DIR when set (docs/screens/ to refresh
# the committed ones), so a plain test run leaves the repository as it was.
SCREENS = Path(os.environ.get("SCREENS_DIR")
               or Path(__file__).resolve().parents[2] / "test-artifacts")


@pytest.fixture(scope="module")
def phone_photos(tmp_path_factory) -> list[str]:
    """Thirteen 4000×3000 photos of about 8 MB each: more than the 64 MB a request may carry."""
    folder = tmp_path_factory.mktemp("phone-photos")
    noise = Image.effect_noise((4000, 3000), 30)
    image = Image.merge("RGB", (noise, noise.transpose(Image.Transpose.FLIP_LEFT_RIGHT),
                                noise.transpose(Image.Transpose.FLIP_TOP_BOTTOM)))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=92)
    paths = []
    for number in range(1, 14):
        path = folder / f"IMG_20261206_{number:04d}.jpg"
        path.write_bytes(buffer.getvalue())
        paths.append(str(path))
    return paths


def small_photo(tmp_path: Path, name: str, color) -> str:
    """A small JPEG on disk."""
    path = tmp_path / name
    Image.new("RGB", (1200, 900), color).save(path, "JPEG")
    return str(path)


def post_titled(title: str) -> Post | None:
    """The post with this title, read fresh from the database."""
    db.session.expire_all()
    return db.session.scalar(db.select(Post).where(Post.title == title))


def values(locator) -> list[str]:
    """The values of the inputs a locator finds, in page order."""
    return locator.evaluate_all("inputs => inputs.map(input => input.value)")


def record_post_lengths(app) -> list[int]:
    """Record the Content-Length of every POST the live server receives from now on."""
    lengths = []
    inner = app.wsgi_app

    def recording(environ, start_response):
        """Note the body's length, then serve as usual."""
        if environ["REQUEST_METHOD"] == "POST":
            lengths.append(int(environ.get("CONTENT_LENGTH") or 0))
        return inner(environ, start_response)

    app.wsgi_app = recording
    return lengths


def start_post(page: Page, live_server, make, title: str) -> None:
    """Log in as an editor of the Women's Union and open a new post titled `title`."""
    make.user("bientap", role="editor", orgs=["hoi-lhpn"])
    log_in(page, live_server, "bientap")
    page.goto(live_server("/posts/new"))
    page.fill("#title", title)


def test_thirteen_phone_photos_are_scaled_sent_with_progress_and_captioned(
        page: Page, live_server, make, phone_photos):
    start_post(page, live_server, make, "Hội nghị có 13 ảnh")
    expect(page.locator("#images-help")).to_contain_text("tối đa 20 MB mỗi ảnh và 64 MB")
    page.set_input_files("#images", phone_photos)
    previews = page.locator(".photo-previews li")
    expect(previews).to_have_count(13)
    for number in (1, 7, 13):
        page.get_by_label(re.compile(f"^Chú thích ảnh {number} ")).fill(f"Ảnh số {number}")
    # Every state each photo's line shows is kept in sessionStorage (the page goes away).
    page.evaluate("""() => {
      const seen = {};
      new MutationObserver(() => {
        document.querySelectorAll('.photo-previews li').forEach((li, index) => {
          const note = li.querySelector('.photo-note').textContent;
          const bar = li.querySelector('progress');
          (seen[index] = seen[index] || []).push(note + (bar.hidden ? '' : '|' + bar.value));
        });
        sessionStorage.setItem('seen', JSON.stringify(seen));
      }).observe(document.querySelector('.photo-previews'),
                 {subtree: true, childList: true, characterData: true, attributes: true});
    }""")
    # A slow office line (4 MB/s up), so the photos take a moment to go.
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.emulateNetworkConditions", {
        "offline": False, "latency": 20, "downloadThroughput": -1,
        "uploadThroughput": 4 * 1024 * 1024})
    sent = []
    page.on("request", lambda request: sent.append(request) if request.method == "POST" else None)
    lengths = record_post_lengths(live_server.app)
    page.get_by_role("button", name="Đăng ngay").click()
    expect(page.get_by_role("button", name="Lưu nháp")).to_be_disabled()  # no second click

    expect(page.get_by_role("heading", level=1)).to_have_text("Hội nghị có 13 ảnh",
                                                               timeout=60_000)
    expect(page.locator(".flash-success")).to_have_text("Đã đăng bài.")
    post = post_titled("Hội nghị có 13 ảnh")
    assert post.status == "published"
    assert len(post.images) == 13
    assert [i.caption for i in post.images][:7:6] == ["Ảnh số 1", "Ảnh số 7"]
    assert post.images[12].caption == "Ảnh số 13"
    assert all(max(i.width, i.height) == 2000 for i in post.images)
    assert len(sent) == 1
    assert 1024 * 1024 < lengths[0] < 20 * 1024 * 1024, lengths  # 104 MB of photos, scaled
    assert sent[0].headers.get("x-requested-with") == "XMLHttpRequest"
    seen = json.loads(page.evaluate("() => sessionStorage.getItem('seen')"))
    assert len(seen) == 13
    for states in seen.values():
        assert any(state.startswith("Sẵn sàng gửi") for state in states), states
        assert states[-1] == "Đã gửi|100", states
    partly = [s for states in seen.values() for s in states if s.startswith("Đang gửi")]
    assert partly, seen  # some photo was seen on its way


def test_photos_past_the_limit_stay_chosen_with_a_vietnamese_message(
        page: Page, live_server, make, phone_photos):
    live_server.app.config["MAX_CONTENT_LENGTH"] = 2 * 1024 * 1024
    start_post(page, live_server, make, "Quá nhiều ảnh")
    page.set_input_files("#images", phone_photos[:5])
    page.get_by_label(re.compile("^Chú thích ảnh 2 ")).fill("Giữ chú thích")
    page.get_by_role("button", name="Lưu nháp").click()
    message = page.locator(".photo-message")
    expect(message).to_contain_text("quá giới hạn 2 MB của một lần lưu", timeout=30_000)
    expect(message).to_contain_text("Ảnh đã chọn vẫn còn nguyên")
    expect(page.locator(".photo-previews li")).to_have_count(5)
    expect(page.get_by_label(re.compile("^Chú thích ảnh 2 "))).to_have_value("Giữ chú thích")
    assert page.eval_on_selector("#images", "input => input.files.length") == 5
    assert post_titled("Quá nhiều ảnh") is None

    # The server's own refusal (a page read before the cap was lowered) keeps them too.
    live_server.app.config["MAX_CONTENT_LENGTH"] = 64 * 1024 * 1024
    page.reload()
    page.fill("#title", "Quá nhiều ảnh")
    page.set_input_files("#images", phone_photos[:5])
    live_server.app.config["MAX_CONTENT_LENGTH"] = 2 * 1024 * 1024
    page.get_by_role("button", name="Lưu nháp").click()
    expect(message).to_contain_text("Máy chủ không nhận: dữ liệu gửi một lần quá lớn",
                                    timeout=30_000)
    expect(page.locator(".photo-previews li")).to_have_count(5)
    expect(page.get_by_role("button", name="Lưu nháp")).to_be_enabled()
    assert page.eval_on_selector("#images", "input => input.files.length") == 5
    assert post_titled("Quá nhiều ảnh") is None


def test_a_photo_can_be_taken_out_before_saving(page: Page, live_server, make, tmp_path):
    start_post(page, live_server, make, "Bỏ một ảnh")
    page.set_input_files("#images", [small_photo(tmp_path, "a.jpg", (200, 0, 0)),
                                     small_photo(tmp_path, "b.jpg", (0, 200, 0))])
    page.get_by_label(re.compile("^Chú thích ảnh 1 ")).fill("Ảnh đỏ")
    page.get_by_label(re.compile("^Chú thích ảnh 2 ")).fill("Ảnh xanh")
    page.get_by_role("button", name="Bỏ ảnh 1").click()
    expect(page.locator(".photo-previews li")).to_have_count(1)
    # A second pick adds to the first.
    page.set_input_files("#images", [small_photo(tmp_path, "c.jpg", (0, 0, 200))])
    expect(page.locator(".photo-previews li")).to_have_count(2)
    page.get_by_label(re.compile("^Chú thích ảnh 2 ")).fill("Ảnh lam")
    page.get_by_role("button", name="Lưu nháp").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bỏ một ảnh")
    assert [i.caption for i in post_titled("Bỏ một ảnh").images] == ["Ảnh xanh", "Ảnh lam"]


def test_new_photos_preview_as_pictures_in_the_form_and_the_preview(
        page: Page, live_server, make, tmp_path):
    refused = []
    page.on("console", lambda message: refused.append(message.text)
            if message.type == "error" else None)
    start_post(page, live_server, make, "Ảnh xem được")
    page.set_input_files("#images", [small_photo(tmp_path, "mot.jpg", (200, 30, 30))])
    thumb = page.locator(".photo-previews img")
    expect(thumb).to_have_attribute("src", re.compile("^blob:"))
    page.wait_for_function("() => document.querySelector('.photo-previews img').complete")
    assert thumb.evaluate("img => img.naturalWidth") == 1200
    page.get_by_role("button", name="Xem trước").click()
    shown = page.locator("#preview-dialog figure img")
    page.wait_for_function("() => document.querySelector('#preview-dialog figure img').complete")
    assert shown.evaluate("img => img.naturalWidth") == 1200
    assert not [text for text in refused if "Content Security Policy" in text]


def test_back_on_a_phone_closes_the_photo_and_keeps_the_place_on_the_post(
        page: Page, live_server, reading_content):
    post = reading_content.featured
    page.set_viewport_size(PHONE)
    page.goto(live_server("/"))
    page.goto(live_server(post_path(post)))
    gallery = page.get_by_role("region", name="Một số hình ảnh")
    first = gallery.get_by_role("link", name=post.images[0].caption)
    first.scroll_into_view_if_needed()
    place = page.evaluate("() => scrollY")
    assert place > 0
    length = page.evaluate("() => history.length")
    first.click()
    lightbox = page.locator(".lightbox.open")
    expect(lightbox.locator(".lightbox-count")).to_have_text("Ảnh 1 / 3")
    assert page.evaluate("() => history.length") == length + 1  # one entry for the viewer
    page.keyboard.press("ArrowRight")
    lightbox.dispatch_event("touchstart", {"touches": [{"identifier": 0, "clientX": 300,
                                                        "clientY": 300}]})
    lightbox.dispatch_event("touchend", {"changedTouches": [{"identifier": 0, "clientX": 100,
                                                             "clientY": 310}]})
    expect(lightbox.locator(".lightbox-count")).to_have_text("Ảnh 3 / 3")
    assert page.evaluate("() => history.length") == length + 1  # moving adds none

    page.go_back()
    expect(page.locator(".lightbox.open")).to_have_count(0)
    expect(page).to_have_url(re.compile(rf"/posts/{post.id}/[^#]*$"))
    assert abs(page.evaluate("() => scrollY") - place) < 5
    page.go_back()
    expect(page).to_have_url(live_server("/"))


def test_closing_the_photo_by_its_button_leaves_no_entry_behind(
        page: Page, live_server, reading_content):
    post = reading_content.featured
    page.goto(live_server("/"))
    page.goto(live_server(post_path(post)))
    gallery = page.get_by_role("region", name="Một số hình ảnh")
    gallery.get_by_role("link", name=post.images[1].caption).click()
    page.locator(".lightbox.open").get_by_role("link", name=re.compile("Đóng")).click()
    expect(page.locator(".lightbox.open")).to_have_count(0)
    expect(page).to_have_url(re.compile(rf"/posts/{post.id}/[^#]*$"))
    gallery.get_by_role("link", name=post.images[0].caption).click()
    page.keyboard.press("Escape")
    expect(page.locator(".lightbox.open")).to_have_count(0)
    page.go_back()
    expect(page).to_have_url(live_server("/"))


def test_a_form_error_after_sending_photos_keeps_them_for_the_next_save(
        page: Page, live_server, make, tmp_path):
    start_post(page, live_server, make, "")
    page.set_input_files("#images", [small_photo(tmp_path, "mot.jpg", (200, 30, 30))])
    page.get_by_label(re.compile("^Chú thích ảnh 1 ")).fill("Ảnh giữ lại")
    page.get_by_role("button", name="Lưu nháp").click()
    expect(page.locator("#title-error")).to_have_text("Nhập tiêu đề bài viết.")
    expect(page.locator(".pending")).to_contain_text("mot.jpg – Ảnh giữ lại")
    page.fill("#title", "Sửa lỗi rồi lưu")
    page.get_by_role("button", name="Lưu nháp").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sửa lỗi rồi lưu")
    assert [i.caption for i in post_titled("Sửa lỗi rồi lưu").images] == ["Ảnh giữ lại"]


def test_new_photos_are_ordered_by_dragging_and_by_keyboard(
        page: Page, live_server, make, tmp_path):
    start_post(page, live_server, make, "Sắp xếp ảnh mới")
    page.set_input_files("#images", [small_photo(tmp_path, f"{name}.jpg", color) for name, color
                                     in (("do", (200, 0, 0)), ("xanh", (0, 160, 0)),
                                         ("lam", (0, 0, 200)))])
    for number, caption in ((1, "Đỏ"), (2, "Xanh"), (3, "Lam")):
        page.get_by_label(re.compile(f"^Chú thích ảnh {number} ")).fill(caption)
    items = page.locator(".photo-previews li")
    items.nth(2).locator("img").drag_to(items.nth(0).locator("img"))  # Lam first
    assert values(items.locator("input[type=text]")) == ["Lam", "Đỏ", "Xanh"]
    page.get_by_role("button", name="Đưa ảnh 2 xuống sau").focus()
    page.keyboard.press("Enter")  # Đỏ after Xanh, by keyboard
    assert values(items.locator("input[type=text]")) == ["Lam", "Xanh", "Đỏ"]
    expect(page.get_by_role("button", name="Đưa ảnh 3 lên trước")).to_be_focused()
    page.get_by_role("button", name="Lưu nháp").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sắp xếp ảnh mới")
    post = post_titled("Sắp xếp ảnh mới")
    assert [i.caption for i in post.images] == ["Lam", "Xanh", "Đỏ"]
    assert [i.original_name for i in post.images] == ["lam.jpg", "xanh.jpg", "do.jpg"]


def test_a_posts_photos_are_reordered_by_dragging_and_by_keyboard(
        page: Page, live_server, make):
    make.user("bientap", role="editor", orgs=["hoi-lhpn"])
    post = make.post(title="Sắp xếp ảnh cũ", organization="hoi-lhpn")
    for position, caption in enumerate(("Một", "Hai", "Ba")):
        make.photo(post, caption=caption, position=position)
    log_in(page, live_server, "bientap")
    page.goto(live_server(f"/posts/{post.id}/edit"))
    rows = page.locator(".photo-row")
    expect(rows.locator("input[name$='-position']").first).to_be_hidden()  # no numbers to type
    rows.nth(0).locator("img").drag_to(rows.nth(2).locator("img"))  # Một to the end
    assert values(rows.locator("input[name$='-caption']")) == ["Hai", "Ba", "Một"]
    page.get_by_role("button", name="Đưa ảnh 2 lên trước").click()
    assert values(rows.locator("input[name$='-caption']")) == ["Ba", "Hai", "Một"]
    page.get_by_role("button", name="Lưu thay đổi").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sắp xếp ảnh cũ")
    db.session.expire_all()
    assert [i.caption for i in db.session.get(Post, post.id).images] == ["Ba", "Hai", "Một"]


@pytest.mark.parametrize("viewport", [WIDE, PHONE], ids=["1366", "360"])
def test_screenshots_of_the_editor_its_question_and_the_desk(
        page: Page, live_server, make, tmp_path, viewport):
    from datetime import timedelta

    from bulletin.models import utcnow
    SCREENS.mkdir(parents=True, exist_ok=True)
    width = viewport["width"]
    page.set_viewport_size(viewport)
    make.post(title="Thông báo lịch tiếp dân tháng 12", organization="hoi-lhpn",
              published_at=utcnow() + timedelta(days=1, hours=2))
    start_post(page, live_server, make, "Hội nghị sơ kết phong trào phụ nữ")
    page.set_input_files("#images", [small_photo(tmp_path, f"IMG_{n}.jpg", color) for n, color
                                     in ((1, (200, 30, 30)), (2, (30, 120, 30)),
                                         (3, (30, 60, 160)))])
    page.get_by_label(re.compile("^Chú thích ảnh 1 ")).fill("Đại biểu dự hội nghị")
    page.get_by_role("button", name="Hẹn giờ đăng…").click()
    expect(page.locator("#publish_at")).to_be_visible()
    page.screenshot(path=SCREENS / f"i21-editor-{width}.png", full_page=True)

    page.fill("#publish_at", "2030-01-02T08:00")
    page.get_by_role("button", name="Lưu nháp").click()  # a time, and then "draft"?
    question = page.get_by_role("alert").filter(has_text="không bao giờ tự đăng")
    expect(question).to_be_visible(timeout=30_000)
    page.screenshot(path=SCREENS / f"i21-editor-ask-{width}.png", full_page=False)
    question.get_by_role("button", name="Hẹn giờ đăng lúc 08:00 02/01/2030").click()
    expect(page.locator(".flash-success")).to_have_text("Đã lưu. Bài sẽ tự đăng lúc đã hẹn.")
    post = post_titled("Hội nghị sơ kết phong trào phụ nữ")
    assert post.status == "published" and len(post.images) == 3

    page.goto(live_server("/posts/manage"))
    box = page.get_by_role("region", name="Bài hẹn giờ, sẽ tự đăng")
    expect(box.get_by_role("listitem")).to_have_count(2)
    expect(box.get_by_role("listitem").first).to_contain_text("Thông báo lịch tiếp dân")
    expect(box.get_by_role("listitem").last).to_contain_text("08:00 02/01/2030")
    page.screenshot(path=SCREENS / f"i21-desk-{width}.png", full_page=True)
    page.goto(live_server(f"/posts/{post.id}/edit"))
    expect(page.get_by_role("button", name="Đổi giờ hẹn…")).to_be_visible()
    expect(page.locator("#post-state")).to_contain_text("Bài sẽ tự đăng lúc 08:00 02/01/2030")
    page.screenshot(path=SCREENS / f"i21-editor-edit-{width}.png", full_page=True)


WORD_LIST = (
    '<html xmlns:o="urn:schemas-microsoft-com:office:office"><body><!--StartFragment-->'
    '<p class=MsoNormal>Nội dung hội nghị:<o:p></o:p></p>'
    "<p class=MsoListParagraphCxSpFirst style='text-indent:-18.0pt;mso-list:l0 level1 lfo1'>"
    "<![if !supportLists]><span style='font-family:Symbol;mso-list:Ignore'>·<span "
    "style='font:7.0pt \"Times New Roman\"'>&nbsp;&nbsp;&nbsp; </span></span><![endif]>"
    "<span lang=VI>Tuyên truyền<o:p></o:p></span></p>"
    "<p class=MsoListParagraphCxSpLast style='text-indent:-18.0pt;mso-list:l0 level1 lfo1'>"
    "<![if !supportLists]><span style='font-family:Symbol;mso-list:Ignore'>·<span "
    "style='font:7.0pt \"Times New Roman\"'>&nbsp;&nbsp;&nbsp; </span></span><![endif]>"
    "<span lang=VI>Vận động hội viên<o:p></o:p></span></p>"
    "<p class=MsoListParagraph style='mso-list:l1 level1 lfo2'><![if !supportLists]><span "
    "style='mso-list:Ignore'>1.<span style='font:7.0pt \"Times New Roman\"'>&nbsp; </span>"
    "</span><![endif]>Khai mạc<o:p></o:p></p>"
    "<!--EndFragment--></body></html>")


def test_a_list_pasted_from_word_stays_a_list(page: Page, live_server, make):
    start_post(page, live_server, make, "Dán danh sách từ Word")
    area = page.locator(".rte-area")
    area.click()
    area.evaluate("""(area, html) => {
        const data = new DataTransfer();
        data.setData('text/html', html);
        data.setData('text/plain', 'Nội dung hội nghị:\\n·   Tuyên truyền');
        area.dispatchEvent(new ClipboardEvent('paste', {clipboardData: data, bubbles: true,
                                                        cancelable: true}));
    }""", WORD_LIST)
    expect(area.locator("ul li")).to_have_text(["Tuyên truyền", "Vận động hội viên"])
    page.get_by_role("button", name="Lưu nháp").click()
    expect(page.locator("h1")).to_have_text("Dán danh sách từ Word")
    assert post_titled("Dán danh sách từ Word").body == (
        "<p>Nội dung hội nghị:</p><ul><li>Tuyên truyền</li><li>Vận động hội viên</li></ul>"
        "<ol><li>Khai mạc</li></ol>")


@pytest.mark.parametrize("viewport", [WIDE, PHONE], ids=["1366", "360"])
def test_a_revision_reads_as_changes_and_can_be_restored(page: Page, live_server, make,
                                                         viewport):
    from bulletin.models import PostRevision
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size(viewport)
    editor = make.user("bientap", role="editor", orgs=["hoi-lhpn"])
    post = make.post(title="Kế hoạch tháng 12 (sửa nhầm)", organization="hoi-lhpn",
                     body="<p>Họp chi hội ngày 10/12.</p><p>Thu quỹ hội.</p>")
    old = PostRevision(post_id=post.id, editor_id=editor.id, title="Kế hoạch tháng 12",
                       body="<p>Họp chi hội ngày 15/12.</p><p>Thu quỹ hội.</p>"
                            "<p>Thăm hộ khó khăn.</p>",
                       status="published", organization_id=post.organization_id)
    db.session.add(old)
    db.session.commit()
    db.session.add(PostRevision(post_id=post.id, editor_id=editor.id, title=post.title,
                                body=post.body, status="published",
                                organization_id=post.organization_id))
    db.session.commit()
    log_in(page, live_server, "bientap")
    page.goto(live_server(f"/posts/{post.id}/revisions"))
    expect(page.locator("table.revisions")).to_contain_text("Sửa tiêu đề, nội dung")
    page.screenshot(path=SCREENS / f"i21-revisions-{viewport['width']}.png", full_page=True)
    page.get_by_role("link", name=re.compile(r"\d\d:\d\d")).first.click()
    expect(page.locator(".body-diff del").first).to_have_text("15/12.")
    page.screenshot(path=SCREENS / f"i21-revision-{viewport['width']}.png", full_page=True)
    page.goto(live_server(f"/posts/{post.id}/revisions/{old.id}"))
    page.get_by_role("button", name="Khôi phục phiên bản này").click()
    expect(page.locator(".flash-success")).to_contain_text("Đã khôi phục phiên bản")
    expect(page.locator("#title")).to_have_value("Kế hoạch tháng 12")
