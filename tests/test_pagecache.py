"""The anonymous readers' page cache, compression, ETags and fingerprinted static files."""

import ast
import gzip
import re
from contextlib import contextmanager
from pathlib import Path

from flask import template_rendered
from sqlalchemy import text

from bulletin import visits
from bulletin.awards import queries
from bulletin.caching import versions
from bulletin.extensions import db
from bulletin.models import Award, Post

FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"


def reader(app):
    """A browser without a login that keeps its cookies."""
    client = app.test_client()
    client.environ_base["HTTP_USER_AGENT"] = FIREFOX
    return client


def retitle_behind_the_orms_back(post: Post, title: str) -> None:
    """Change a title with plain SQL: no session commit, so no automatic bump."""
    with db.engine.begin() as connection:
        connection.execute(text("UPDATE posts SET title = :title WHERE id = :id"),
                           {"title": title, "id": post.id})


WIDGET_FIGURE = re.compile(r'<dd data-stat="(\w+)">([\d.]+)</dd>')
BULLETIN = Path(__file__).resolve().parent.parent / "bulletin"


def widget(html: str) -> dict:
    """The visit widget's figures as the page shows them (Vietnamese thousands: 1.234)."""
    return {name: int(value.replace(".", "")) for name, value in WIDGET_FIGURE.findall(html)}


@contextmanager
def renders(app):
    """Collect the names of the templates rendered meanwhile."""
    names = []

    def note(_sender, template, **_extra):
        names.append(template.name)

    template_rendered.connect(note, app)
    try:
        yield names
    finally:
        template_rendered.disconnect(note, app)


def page(client, path: str = "/") -> str:
    """GET a page that must answer 200; return its text."""
    response = client.get(path)
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


def test_anonymous_pages_set_no_session_cookie(app, make):
    post = make.post()
    client = reader(app)
    for path in ("/", f"/posts/{post.id}/{post.slug}", "/org/mttq", "/search?q=hoi"):
        response = client.get(path)
        cookies = response.headers.getlist("Set-Cookie")
        assert not any(c.startswith(app.config["SESSION_COOKIE_NAME"] + "=") for c in cookies)
    assert 'name="csrf_token"' not in page(client)


def test_a_second_reader_gets_the_cached_page_until_the_version_moves(app, make):
    post = make.post(title="Hội nghị tổng kết năm")
    client = reader(app)
    page(client)  # rendered, then counted: the visit figures move
    assert "Hội nghị tổng kết năm" in page(client)  # rendered with the new figures, kept
    retitle_behind_the_orms_back(post, "Đại hội đại biểu")
    assert "Hội nghị tổng kết năm" in page(client)  # served from this process's cache
    versions.bump(app)
    assert "Đại hội đại biểu" in page(client)


def test_publishing_a_post_drops_the_cached_pages_at_once(app, make):
    client = reader(app)
    page(client, "/org/mttq")
    home = page(client)
    assert "Tin mới của hôm nay" not in home
    make.post(title="Tin mới của hôm nay")
    assert "Tin mới của hôm nay" in page(client)
    assert "Tin mới của hôm nay" in page(client, "/org/mttq")


def test_unpublishing_and_renaming_an_organization_drop_cached_pages(app, make):
    post = make.post(title="Bài sẽ bị gỡ")
    client = reader(app)
    assert "Bài sẽ bị gỡ" in page(client)
    post.status = "draft"
    db.session.commit()
    assert "Bài sẽ bị gỡ" not in page(client)
    org = make.org("mttq")
    org.short_name = "Mặt trận mới"
    db.session.commit()
    assert "Mặt trận mới" in page(client)


def test_a_rolled_back_change_does_not_drop_the_cache(app, make):
    make.post()
    page(reader(app))
    version = versions.current(app)
    make.org("mttq").short_name = "Không lưu"
    db.session.rollback()
    make.user("bientap", "editor")  # accounts are not public content
    assert versions.current(app) == version


def test_logged_in_staff_never_get_the_anonymous_copy(app, make, client, auth):
    make.post(title="Bản tin chung")
    anonymous = page(reader(app))
    assert "Đăng nhập" in anonymous
    make.user("bientap", "editor", orgs=["mttq"])
    auth.login("bientap")
    staff = page(client)
    assert "Đăng xuất" in staff
    assert client.get("/").headers["Cache-Control"] == "no-store"


def test_private_mode_caches_nothing(make_app, make):
    app = make_app(READ_REQUIRES_LOGIN=True)
    with app.app_context():
        make.post()
    for _ in range(2):
        response = reader(app).get("/")
        assert response.status_code == 302
        assert "/login" in response.headers["Location"]


def test_a_flashed_message_shows_even_on_a_cached_page(app, make):
    make.post()
    page(reader(app))  # the page is now cached
    client = reader(app)
    with client.session_transaction() as session:
        session["_flashes"] = [("info", "Phiên đăng nhập đã hết hạn.")]
    assert "Phiên đăng nhập đã hết hạn." in page(client)
    assert "Phiên đăng nhập đã hết hạn." not in page(client)


def test_a_revalidated_page_answers_304_and_still_counts_the_visit(app, make, monkeypatch):
    make.post()
    client = reader(app)
    client.get("/")  # this browser's first visit moves the figures the page shows
    first = client.get("/")
    etag = first.headers["ETag"]
    assert first.headers["Cache-Control"] == "no-cache"
    recorded = []
    real_record = visits.counter(app).record
    monkeypatch.setattr(visits.counter(app), "record",
                        lambda *args: recorded.append(args) or real_record(*args))
    again = client.get("/", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.get_data() == b""
    assert len(recorded) == 1  # the browser's view reached the counter before the 304


def test_pages_are_gzipped_for_clients_that_accept_it(app, make):
    make.post()
    client = reader(app)
    client.get("/")  # this browser's visit moves the figures the page shows
    plain = client.get("/")
    zipped = client.get("/", headers={"Accept-Encoding": "gzip, deflate, br"})
    assert "Content-Encoding" not in plain.headers
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in zipped.headers["Vary"]
    assert gzip.decompress(zipped.get_data()) == plain.get_data()
    assert len(zipped.get_data()) < len(plain.get_data()) / 2


def test_home_and_post_page_weigh_under_100_kb_compressed(app, make):
    post = make.post(body="<p>" + "Nội dung hội nghị tổng kết. " * 400 + "</p>")
    client = reader(app)
    for path in ("/", f"/posts/{post.id}/{post.slug}"):
        response = client.get(path, headers={"Accept-Encoding": "gzip"})
        html = gzip.decompress(response.get_data()).decode()
        total = len(response.get_data())
        for asset in set(re.findall(r'(?:href|src)="(/static/[^"]+)"', html)):
            with client.get(asset.replace("&amp;", "&")) as static:
                total += len(static.get_data())
        assert total < 100 * 1024, path


def test_static_files_are_fingerprinted_and_kept_a_year(app):
    html = page(reader(app))
    css = re.search(r'href="(/static/css/site\.css\?v=[0-9a-f]{10})"', html)
    assert css, "the stylesheet URL carries its content hash"
    with reader(app).get(css.group(1)) as response:
        assert response.status_code == 200
        assert response.cache_control.max_age == 365 * 24 * 3600
        assert response.cache_control.immutable


def test_english_and_vietnamese_pages_are_cached_apart(app, make):
    make.post()
    client = reader(app)
    assert '<html lang="vi">' in page(client)
    response = client.post("/lang", data={"lang": "en", "next": "/"})
    assert response.status_code == 303
    assert '<html lang="en">' in page(client)
    assert '<html lang="vi">' in page(reader(app))


def test_registry_totals_come_from_counts_kept_by_triggers(app, make):
    make.award(name="Nguyễn Văn An", amount=300_000, year=2024)
    second = make.award(name="Trần Thị Bình", amount=500_000, year=2025, organization="hoi-lhpn")
    third = make.award(name="Lê Văn Cường", amount=200_000, year=2025)
    third.is_voided = True
    third.amount = 250_000
    db.session.commit()
    second.organization = make.org("hoi-nong-dan")
    db.session.commit()

    def both(**filters):
        """The precomputed figures and a direct count, for the same filters."""
        chosen = queries.AwardFilters(**filters)
        counted = queries.summarize(queries.filtered(chosen, None).execution_options(
            award_filters=None))
        return queries.summarize(queries.filtered(chosen, None)), counted

    for filters in ({}, {"year": 2025}, {"org": make.org("hoi-nong-dan")}, {"year": 2023}):
        fast, counted = both(**filters)
        assert fast == counted, filters
    assert both()[0] == queries.Summary(count=2, amount=800_000, voided=1)
    assert queries.years(None) == [2025, 2024]
    db.session.execute(db.delete(Award).where(Award.id == third.id))
    db.session.commit()
    assert both()[0] == queries.Summary(count=2, amount=800_000, voided=0)


def test_logins_and_audit_entries_leave_the_cache_alone(app, make, client, auth):
    assert set(db.metadata.tables) >= versions.PRIVATE_TABLES
    make.user("bientap", "editor", orgs=["mttq"])
    version = versions.current(app)
    auth.login("bientap", "sai-mat-khau")
    auth.login("bientap")
    auth.logout()
    assert versions.current(app) == version


def test_staff_pages_are_not_compressed(app, make, client, auth):
    make.user("bientap", "editor", orgs=["mttq"])
    auth.login("bientap")
    response = client.get("/search?q=hoi", headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert "Content-Encoding" not in response.headers


def test_a_post_page_served_from_the_cache_still_counts_its_view(make_app, make):
    app = make_app(VISITS_FLUSH_SECONDS=3600)  # views wait in the buffer: the page stays cached
    with app.app_context():
        post = make.post()
        url = f"/posts/{post.id}/{post.slug}"
        first = reader(app)
        first.get(url)  # a new browser: its page shows its own visit
        first.get(url)  # rendered again without a new cookie: kept
        # Two more browsers (a view counts once a day per browser) get the kept page.
        with renders(app) as rendered:
            reader(app).get(url), reader(app).get(url)
        assert rendered == []
        visits.counter(app).flush()
        assert visits.post_views(post.id) == 3


def test_a_cached_page_shows_fresh_visit_figures_without_being_rendered_again(app, make):
    make.post()
    client = reader(app)
    client.get("/")  # this browser's first visit: the page is rendered and kept
    first = client.get("/")
    assert widget(first.get_data(as_text=True)) == {"online": 1, "today": 1, "week": 1,
                                                     "total": 1}
    with renders(app) as rendered:
        for _ in range(3):  # three more browsers, each one visit
            reader(app).get("/")
        again = client.get("/", headers={"If-None-Match": first.headers["ETag"]})
    assert rendered == []  # every answer came from the kept page
    assert again.status_code == 200  # new figures: the browser's copy is out of date
    assert again.headers["ETag"] != first.headers["ETag"]
    shown = widget(again.get_data(as_text=True))
    assert shown == {"online": 4, "today": 4, "week": 4, "total": 4}
    assert shown == client.get("/stats/visits").get_json()
    assert "<!--fill:" not in again.get_data(as_text=True)


def test_a_new_browser_sees_its_own_visit_on_a_cached_page(app, make):
    make.post()
    reader(app).get("/")
    with renders(app) as rendered:
        newcomer = reader(app).get("/", headers={"Accept-Encoding": "gzip"})
    assert rendered == []
    html = gzip.decompress(newcomer.get_data()).decode()
    assert widget(html)["today"] == 2  # the one before, and this browser's own visit


def test_a_cached_post_page_shows_its_views_as_they_grow(app, make):
    post = make.post()
    url = f"/posts/{post.id}/{post.slug}"
    first = reader(app).get(url).get_data(as_text=True)
    assert "Lượt xem: 1" in first
    with renders(app) as rendered:
        second = reader(app).get(url).get_data(as_text=True)
        third = reader(app).get(url).get_data(as_text=True)
    assert rendered == []
    assert "Lượt xem: 2" in second
    assert "Lượt xem: 3" in third
    assert widget(third)["today"] == 3


def test_staff_pages_get_their_figures_filled_too(app, make, client, auth):
    make.post()
    reader(app).get("/")
    make.user("bientap", "editor", orgs=["mttq"])
    auth.login("bientap")
    html = page(client)
    assert widget(html) == client.get("/stats/visits").get_json()
    assert "<!--fill:" not in html


def imported_modules(path: Path) -> set[str]:
    """Every module a source file imports, written out in full ("bulletin.visits.rules")."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_the_caches_never_import_the_visit_counter():
    assert not (BULLETIN / "pagecache.py").exists()  # one caching package, no second door
    sources = sorted((BULLETIN / "caching").glob("*.py"))
    assert len(sources) > 2
    for source in sources:
        wrong = {name for name in imported_modules(source)
                 if name == "bulletin.visits" or name.startswith("bulletin.visits.")}
        assert not wrong, f"{source.name} imports {wrong}"
