"""Staff pages that stay cheap: the account with its organizations, the organizations kept per
process under the shared version, the yearly report added up from the kept counts."""

from sqlalchemy import event

from bulletin.caching.header import CSRF_PLACEHOLDER
from bulletin.extensions import db
from bulletin.models import Organization
from tests.conftest import AuthActions


def logged_in(app, make, username: str, role: str = "secretary", orgs=()):
    """A client of `app` logged in as a new account."""
    make.user(username, role=role, orgs=list(orgs))
    client = app.test_client()
    AuthActions(client).login(username)
    return client


def statements_of(app, client, path: str) -> list[str]:
    """The SQL statements one GET of `path` runs to read (after two to warm up)."""
    client.get(path)
    client.get(path)
    seen = []

    def note(_conn, _cursor, statement, *_args):
        # The visit counter writes as it flushes (at once in tests): not the page's reading.
        if "visit" not in statement:
            seen.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", note)
    try:
        assert client.get(path).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", note)
    return seen


def add_branch(parent_slug: str, name: str, slug: str) -> Organization:
    """Add a branch under an organization, committed (the commit bumps the shared version)."""
    parent = db.session.scalar(db.select(Organization).where(Organization.slug == parent_slug))
    branch = Organization(name=name, short_name=name, slug=slug, parent=parent, description="")
    db.session.add(branch)
    db.session.commit()
    return branch


def test_a_kept_registry_list_asks_the_database_only_for_the_account_and_the_version(
        app, make):
    client = logged_in(app, make, "thuky", orgs=["hoi-lhpn"])
    make.award(name="Nguyễn Thị Hoa", organization="hoi-lhpn")
    seen = statements_of(app, client, "/awards/")
    # The account with its organizations and the shared version, in one query; the header's
    # organizations and the scope's branches come from the process's snapshot.
    assert len(seen) == 1, seen
    assert "user_organizations" in seen[0] and "cache_versions" in seen[0]


def test_the_version_read_with_the_account_is_the_one_the_kept_pages_use(app, make):
    """A change another worker commits shows on the next staff page although the version
    now comes with the account's row."""
    client = logged_in(app, make, "thuky", orgs=["hoi-lhpn"])
    make.award(name="Nguyễn Thị Hoa", organization="hoi-lhpn")
    assert "Lò Thị Xuân" not in client.get("/awards/").get_data(as_text=True)
    make.award(name="Lò Thị Xuân", organization="hoi-lhpn")  # commits, bumping the version
    assert "Lò Thị Xuân" in client.get("/awards/").get_data(as_text=True)


def test_a_branch_added_by_another_worker_joins_a_secretarys_scope_at_once(make_app, make):
    first, second = make_app(), make_app()  # two processes' snapshots, one database
    with first.app_context():
        client = logged_in(first, make, "thuky", orgs=["hoi-lhpn"])
        assert "Lò Thị Xuân" not in client.get("/awards/").get_data(as_text=True)
    with second.app_context():
        branch = add_branch("hoi-lhpn", "Chi hội Phụ nữ khu 9", "chi-hoi-khu-9")
        make.award(name="Lò Thị Xuân", organization=branch)
    assert "Lò Thị Xuân" in client.get("/awards/").get_data(as_text=True)


def test_the_header_lists_an_organization_another_worker_adds(make_app, make):
    first, second = make_app(), make_app()
    with first.app_context():
        client = logged_in(first, make, "thuky")
        assert "Hội Người cao tuổi" not in client.get("/awards/").get_data(as_text=True)
    with second.app_context():
        db.session.add(Organization(name="Hội Người cao tuổi", short_name="Hội Người cao tuổi",
                                    slug="hoi-nct", description="", position=99))
        db.session.commit()
    page = client.get("/awards/").get_data(as_text=True)
    assert 'href="/org/hoi-nct"' in page


def test_an_archived_organization_leaves_the_header(app, make):
    client = logged_in(app, make, "thuky")
    assert 'href="/org/hoi-ccb"' in client.get("/awards/").get_data(as_text=True)
    org = db.session.scalar(db.select(Organization).where(Organization.slug == "hoi-ccb"))
    org.is_archived = True
    db.session.commit()
    assert 'href="/org/hoi-ccb"' not in client.get("/awards/").get_data(as_text=True)


def test_the_yearly_report_counts_live_awards_and_their_money(app, make):
    client = logged_in(app, make, "thuky", orgs=["hoi-lhpn"])
    make.award(name="Nguyễn Thị Hoa", organization="hoi-lhpn", year=2024, amount=300_000)
    make.award(name="Trần Thị Mai", organization="hoi-lhpn", year=2024, amount=200_000)
    voided = make.award(name="Lê Thị Lan", organization="hoi-lhpn", year=2024, amount=900_000)
    make.award(name="Phạm Văn An", organization="mttq", year=2024, amount=700_000)
    make.award(name="Đỗ Thị Yến", organization="hoi-lhpn", year=2023, amount=400_000)
    voided.is_voided = True
    voided.void_reason = "Nhập nhầm"
    db.session.commit()
    page = client.get("/awards/reports/yearly?year=2024").get_data(as_text=True)
    assert "500.000" in page  # the two live awards of the Women's Union in 2024
    for left_out in ("900.000", "1.400.000", "700.000", "1.200.000", "400.000"):
        assert left_out not in page, left_out


def test_the_proposals_list_asks_as_often_for_three_proposals_as_for_one(client, auth, make):
    from tests.test_proposals import login, make_proposal

    login(auth, make, "thuky", orgs=["hoi-lhpn"])
    make_proposal(client, auth)
    one = statements_of(client.application, client, "/awards/proposals/")
    make_proposal(client, auth)
    make_proposal(client, auth)
    three = statements_of(client.application, client, "/awards/proposals/")
    assert len(three) == len(one), three
    page = client.get("/awards/proposals/").get_data(as_text=True)
    assert page.count("Hội Liên hiệp Phụ nữ") >= 3


def test_a_kept_yearly_report_shows_an_award_recorded_after_it(app, make):
    client = logged_in(app, make, "thuky", orgs=["hoi-lhpn"])
    make.award(name="Nguyễn Thị Hoa", organization="hoi-lhpn", year=2024, amount=300_000)
    assert "300.000" in client.get("/awards/reports/yearly?year=2024").get_data(as_text=True)
    make.award(name="Trần Thị Mai", organization="hoi-lhpn", year=2024, amount=200_000)
    page = client.get("/awards/reports/yearly?year=2024").get_data(as_text=True)
    assert "500.000" in page
    # Another secretary's scope never gets this one's kept body.
    other = logged_in(app, make, "thuky2", orgs=["mttq"])
    assert "500.000" not in other.get("/awards/reports/yearly?year=2024").get_data(as_text=True)


def logout_token(page: str) -> str:
    """The CSRF token of the header's logout form."""
    form = page[page.index('action="/logout"'):]
    return form.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]


def test_a_kept_header_carries_each_sessions_own_logout_token(app, make):
    make.user("thuky", role="secretary")
    first, second = app.test_client(), app.test_client()
    AuthActions(first).login("thuky")
    AuthActions(second).login("thuky")
    first_page = first.get("/awards/").get_data(as_text=True)
    second_page = second.get("/awards/").get_data(as_text=True)  # the same kept header
    assert CSRF_PLACEHOLDER not in second_page  # the kept copy's placeholder is filled in
    assert logout_token(first_page) != logout_token(second_page)
    # The second session's page came from the kept copy: its token is its own and works.
    assert second.post("/logout", data={"csrf_token": "wrong"}).status_code == 400
    assert second.post("/logout",
                       data={"csrf_token": logout_token(second_page)}).status_code == 303
    assert second.get("/awards/").status_code == 302  # logged out: sent to the login page


def test_the_header_follows_the_accounts_name_and_role(app, make):
    from bulletin.models import User

    secretary = logged_in(app, make, "thuky", orgs=["hoi-lhpn"])
    editor = logged_in(app, make, "bientap", role="editor", orgs=["hoi-lhpn"])
    page = secretary.get("/awards/").get_data(as_text=True)
    assert 'href="/awards/"' in page and 'href="/posts/manage"' not in page
    desk = editor.get("/posts/manage").get_data(as_text=True)
    assert 'href="/posts/manage"' in desk and 'href="/awards/"' not in desk
    account = db.session.scalar(db.select(User).where(User.username == "thuky"))
    account.full_name = "Lò Thị Xuân"
    db.session.commit()
    assert "Lò Thị Xuân" in secretary.get("/awards/").get_data(as_text=True)


def test_the_desk_counts_its_pages_only_up_to_a_cap(app, make, monkeypatch):
    """A desk of a million posts must not count them all on each request: past the cap, the
    pager gives the page without the total, and the next page is still offered."""
    from bulletin import pagination
    from bulletin.posts import editor

    monkeypatch.setattr(editor, "MANAGE_PAGE_SIZE", 2)
    for n in range(5):
        make.post(f"Bài số {n}")
    client = logged_in(app, make, "bientap", role="editor", orgs=["mttq"])
    assert "Trang 1 / 3" in client.get("/posts/manage").get_data(as_text=True)

    monkeypatch.setattr(pagination.capped_page, "__defaults__", (3,))
    first = client.get("/posts/manage").get_data(as_text=True)
    assert "Trang 1" in first and "Trang 1 /" not in first and 'rel="next"' in first
    last = client.get("/posts/manage?page=3").get_data(as_text=True)
    assert "Bài số 0" in last and 'rel="next"' not in last
    assert "Trang 3 / 3" in last  # the last page knows it is the last without counting
