"""Browser fixtures: Debian's Chromium through pytest-playwright, and the app on a live server.

The live server serves an app from `make_app()`, so it uses the test database of the
current `database_url` leg; tests fill it with the usual factories. Chromium is
`$CHROMIUM` or /usr/bin/chromium (never a Playwright download: there is no internet). When
it is missing the browser tests are skipped, except under CI=true, where they fail.
"""

import io
import os
import shutil
import threading
import zipfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from werkzeug.serving import make_server

from bulletin.extensions import db
from bulletin.models import Attachment, Post
from bulletin.uploads import store_attachment

IN_CI = os.environ.get("CI", "").lower() == "true"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# Playwright adds most of these by default; listing them documents the launch and keeps it
# offline and quiet whatever Playwright's defaults become.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]
ARTIFACTS = "test-artifacts"
# Scroll through the page so lazy images load, wait for the visible ones, scroll back.
LOAD_LAZY_IMAGES = """async () => {
  for (let y = 0; y < document.documentElement.scrollHeight; y += innerHeight / 2) {
    scrollTo(0, y);
    await new Promise(resolve => setTimeout(resolve, 30));
  }
  const shown = [...document.images].filter(img => img.getClientRects().length);
  await Promise.all(shown.map(img => img.decode().catch(() => null)));
  scrollTo(0, 0);
}"""


def chromium_executable() -> str:
    """Return Chromium's path, or skip (fail under CI=true) when it is not installed."""
    found = shutil.which(CHROMIUM)
    if found:
        return found
    message = (f"Chromium not found at {CHROMIUM!r}: install Debian's `chromium` package "
               "or set CHROMIUM to its path")
    if IN_CI:
        pytest.fail(message + " (browser tests must not be skipped in CI)")
    pytest.skip(message + " (browser tests are skipped outside CI)")


@pytest.fixture(scope="session")
def browser_home(tmp_path_factory) -> Path:
    """A throwaway HOME: Chromium writes crash reports and config there, not in ~."""
    given = os.environ.get("HOME_FOR_BROWSER")
    home = Path(given) if given else tmp_path_factory.mktemp("chromium-home")
    home.mkdir(parents=True, exist_ok=True)
    return home


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args, browser_home):
    """Launch Debian's Chromium headless, offline, with its own HOME."""
    env = {**os.environ, "HOME": str(browser_home),
           "XDG_CONFIG_HOME": str(browser_home / ".config"),
           "XDG_CACHE_HOME": str(browser_home / ".cache")}
    return {**browser_type_launch_args, "executable_path": chromium_executable(),
            "headless": True, "args": CHROMIUM_ARGS, "env": env}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    """Every page is read as in Vietnam: Vietnamese locale, Asia/Ho_Chi_Minh time."""
    return {**browser_context_args, "locale": "vi-VN", "timezone_id": "Asia/Ho_Chi_Minh"}


@dataclass
class LiveServer:
    """The app served over real HTTP on a free loopback port."""

    app: object
    url: str

    @property
    def netloc(self) -> str:
        """host:port, to tell the server's requests from any other host's."""
        return urlsplit(self.url).netloc

    def __call__(self, path: str = "/") -> str:
        """Return the absolute URL of `path` on this server."""
        return self.url + path


@pytest.fixture
def live_server(make_app):
    """Serve an app on the test database in a thread; its app context is pushed for factories."""
    app = make_app()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    # External URLs (the print view's footer) name the address the browser really uses.
    app.config["SERVER_NAME"] = f"127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        with app.app_context():
            yield LiveServer(app, f"http://127.0.0.1:{server.server_port}")
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture
def outside_requests(context, live_server) -> list[str]:
    """Record (and refuse) every request the pages make to a host other than the live server."""
    seen: list[str] = []

    def record(request) -> None:
        """Keep a request's URL when it leaves the live server."""
        parts = urlsplit(request.url)
        if parts.scheme in ("data", "blob", "about"):
            return
        if parts.netloc != live_server.netloc:
            seen.append(request.url)

    context.on("request", record)
    context.route(lambda url: urlsplit(url).netloc != live_server.netloc,
                  lambda route: route.abort())
    return seen


@pytest.fixture
def screenshot(pytestconfig):
    """Save a screenshot to test-artifacts/<name>-<viewport width>.png and return its path."""
    folder = pytestconfig.rootpath / ARTIFACTS
    folder.mkdir(exist_ok=True)

    def take(page, name: str, full_page: bool = True) -> Path:
        """Screenshot `page` (the whole page unless `full_page` is false)."""
        if full_page:
            page.evaluate(LOAD_LAZY_IMAGES)
        path = folder / f"{name}-{page.viewport_size['width']}.png"
        page.screenshot(path=path, full_page=full_page)
        return path

    return take


# --- Content: a few realistic posts with captioned photos and Vietnamese attachments -------

BODY = """
<p>Năm 2025, Mặt trận Tổ quốc và các đoàn thể thị trấn đã bám sát nghị quyết, hướng dẫn của
tổ chức cấp trên và nhiệm vụ chính trị của địa phương, gắn với thực hiện các cuộc vận động và
các phong trào thi đua. Đồng thời tích cực tuyên truyền, vận động đoàn viên, hội viên và các
tầng lớp nhân dân phát huy quyền làm chủ, thực hiện tốt chủ trương của Đảng, chính sách, pháp
luật của Nhà nước.</p>
<p>Tại hội nghị, các đại biểu đã thảo luận, đóng góp ý kiến vào báo cáo; thống nhất phát động
thi đua, tiếp tục phối hợp tuyên truyền sâu rộng, nâng cao vai trò, trách nhiệm của cán bộ
trong việc tổ chức các phong trào, phấn đấu 100% cán bộ, công chức đạt danh hiệu
<strong>Lao động tiên tiến</strong> trở lên.</p>
<table><tr><th>Chỉ tiêu</th><th>Kế hoạch</th><th>Thực hiện</th><th>Tỷ lệ</th></tr>
<tr><td>Kết nạp hội viên mới</td><td>120</td><td>134</td><td>111,7%</td></tr>
<tr><td>Quỹ “Vì người nghèo” (đồng)</td><td>50.000.000</td><td>62.350.000</td><td>124,7%</td></tr>
</table>
<blockquote>“Đoàn kết – Dân chủ – Đổi mới – Phát triển”</blockquote>
"""

BYLINE = "Hoàng Anh, Công chức Văn hóa – thông tin thị trấn Trùng Khánh"

POSTS = (
    # (organization, category, pinned, hours ago, title, summary, photos: (caption, colour))
    ("mttq", "tin-hoat-dong", True, 72,
     "MTTQ thị trấn và các đoàn thể tổng kết công tác năm 2025, triển khai nhiệm vụ năm 2026",
     "Sáng 13/01, Ủy ban MTTQ thị trấn tổ chức hội nghị tổng kết công tác Mặt trận và các "
     "đoàn thể năm 2025, triển khai phương hướng, nhiệm vụ trọng tâm năm 2026.",
     (("Đồng chí Hoàng Nam Tuấn, Chủ tịch Ủy ban MTTQ thị trấn phát biểu khai mạc hội nghị",
       (164, 22, 26)),
      ("Các đại biểu biểu quyết thông qua nghị quyết hội nghị", (242, 193, 78)),
      ("Trao giấy khen cho các tập thể, cá nhân có thành tích xuất sắc năm 2025",
       (60, 90, 140)))),
    ("hoi-lhpn", "phong-trao-thi-dua", False, 2,
     "Hội LHPN thị trấn ra quân “Ngày Chủ nhật xanh” vì môi trường sạch đẹp",
     "Hơn 200 hội viên phụ nữ các chi hội đã ra quân dọn vệ sinh đường làng, ngõ xóm, trồng "
     "hoa trên tuyến đường Đức Hồng – Phong Châu hưởng ứng phong trào “5 không, 3 sạch”.",
     (("Hội viên chi hội khu Đức Hồng dọn vệ sinh tuyến đường liên xóm", (46, 125, 50)),
      ("Trồng hoa mười giờ dọc hai bên đường Phong Châu", (120, 170, 90)),
      ("Lãnh đạo Hội LHPN thị trấn động viên các chi hội tham gia ra quân", (200, 220, 160)))),
    ("doan-tncs", "tin-hoat-dong", False, 26,
     "Đoàn Thanh niên tổ chức Ngày hội hiến máu tình nguyện đợt I năm 2026",
     "Ngày hội thu được 87 đơn vị máu; nhiều đoàn viên tham gia hiến máu lần thứ năm.",
     (("Đoàn viên đăng ký hiến máu tại Nhà văn hóa thị trấn", (180, 30, 60)),
      ("Nhân viên y tế kiểm tra sức khỏe trước khi hiến máu", (230, 120, 120)),
      ("Trao giấy chứng nhận cho người hiến máu", (90, 40, 50)))),
    ("hoi-ccb", "guong-dien-hinh", False, 50,
     "Hội Cựu chiến binh gặp mặt kỷ niệm 36 năm Ngày truyền thống Hội CCB Việt Nam",
     "Buổi gặp mặt ôn lại truyền thống vẻ vang, biểu dương 12 hội viên tiêu biểu trong phong "
     "trào “Cựu chiến binh gương mẫu”.",
     (("Các cựu chiến binh dâng hương tại Đài tưởng niệm liệt sĩ", (80, 100, 60)),
      ("Ôn lại truyền thống Hội Cựu chiến binh Việt Nam", (150, 140, 90)),
      ("Biểu dương hội viên tiêu biểu", (40, 60, 40)))),
    ("hoi-lhpn", "thong-bao", False, 96,
     "Chi hội Phụ nữ khu Đức Hồng trao 15 suất quà cho hội viên có hoàn cảnh khó khăn",
     "Mỗi suất quà gồm 500.000 đồng tiền mặt và nhu yếu phẩm, do các nhà hảo tâm đóng góp.",
     (("Trao quà cho hội viên tại nhà văn hóa khu Đức Hồng", (220, 130, 160)),
      ("Các nhà hảo tâm cùng chi hội chuẩn bị quà", (250, 200, 210)),
      ("Hội viên phấn khởi nhận quà", (150, 60, 100)))),
)
PHOTO_SIZES = ((2400, 1600), (1600, 1200), (1200, 1600))  # wide, 4:3, portrait; large ≤ 2000

ATTACHMENT_NAMES = (
    "Kế hoạch tổ chức “Ngày Chủ nhật xanh” năm 2026.pdf",
    "Danh sách hội viên tham gia – Chi hội khu Đức Hồng.docx",
)


def pdf_bytes() -> bytes:
    """A tiny PDF file."""
    return b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def docx_bytes() -> bytes:
    """A tiny file that is a DOCX by content."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def attach(post: Post, name: str, data: bytes) -> Attachment:
    """Store a document and attach it to `post` under its Vietnamese name."""
    stored = store_attachment(data)
    item = Attachment(post=post, original_name=name, stored_name=stored.stored_name,
                      mime_type=stored.mime_type, size_bytes=stored.size_bytes,
                      position=len(post.attachments))
    db.session.add(item)
    db.session.commit()
    return item


@dataclass
class ReadingContent:
    """What `reading_content` made: the pinned post, the featured one (photos and files)."""

    pinned: Post
    featured: Post
    posts: list[Post]
    attachment_names: tuple[str, ...] = ATTACHMENT_NAMES


@pytest.fixture
def reading_content(live_server, make) -> ReadingContent:
    """Five published posts of four organizations, three captioned photos each, two files."""
    posts = []
    for org, cat, pinned, hours, title, summary, photos in POSTS:
        post = make.post(title=title, summary=summary, body=BODY, byline=BYLINE,
                         organization=org, cat=cat, is_pinned=pinned, age_minutes=hours * 60)
        for position, ((caption, colour), (width, height)) in enumerate(
                zip(photos, PHOTO_SIZES, strict=True)):
            make.photo(post, caption=caption, position=position, width=width, height=height,
                       color=colour)
        posts.append(post)
    featured = posts[1]
    attach(featured, ATTACHMENT_NAMES[0], pdf_bytes())
    attach(featured, ATTACHMENT_NAMES[1], docx_bytes())
    return ReadingContent(pinned=posts[0], featured=featured, posts=posts)
