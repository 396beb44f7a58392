"""The registry list's kept body: per organization scope, dropped by every change at once."""

from sqlalchemy import text

from bulletin.caching import versions
from bulletin.extensions import db
from bulletin.models import Award, AwardKind
from tests.conftest import AuthActions


def secretary(app, make, username: str, orgs=()):
    """A client of `app` logged in as a secretary of `orgs` (none: the whole registry)."""
    make.user(username, role="secretary", orgs=list(orgs))
    client = app.test_client()
    AuthActions(client).login(username)
    return client


def listed(client, path: str = "/awards/") -> str:
    """GET a registry list that must answer 200; return its text."""
    response = client.get(path)
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


def rename_behind_the_orms_back(award: Award, name: str) -> None:
    """Rename a recipient with plain SQL: no session commit, so no automatic bump."""
    with db.engine.begin() as connection:
        connection.execute(text("UPDATE awards SET recipient_name = :name WHERE id = :id"),
                           {"name": name, "id": award.id})


def test_the_list_is_kept_until_the_shared_version_moves(app, make):
    award = make.award(name="Nguyễn Thị Hoa")
    client = secretary(app, make, "thuky")
    assert "Nguyễn Thị Hoa" in listed(client)
    rename_behind_the_orms_back(award, "Trần Văn Bình")
    assert "Nguyễn Thị Hoa" in listed(client)  # the kept body
    versions.bump(app)
    assert "Trần Văn Bình" in listed(client)


def test_an_award_recorded_through_the_form_shows_on_the_next_list(app, make):
    client = secretary(app, make, "thuky")
    auth = AuthActions(client)
    assert "Lê Thị Mai" not in listed(client)
    response = client.post("/awards/new", data={
        "csrf_token": auth.csrf_token("/awards/new"), "recipient_type": "individual",
        "recipient_name": "Lê Thị Mai", "organization": "hoi-lhpn", "kind": "giay-khen",
        "year": "2025", "decision_number": "12/QĐ-MTTQ", "decision_date": "10/01/2026",
        "issuer": "Ban Thường trực UBMTTQ", "signer": "", "amount": "300.000"})
    assert response.status_code == 303
    page = listed(client)
    assert "Lê Thị Mai" in page
    assert "300.000" in page


def test_a_change_made_by_another_worker_shows_at_once(make_app, make):
    first, second = make_app(), make_app()  # two processes' caches, one database
    with first.app_context():
        make.award(name="Nguyễn Thị Hoa")
        client = secretary(first, make, "thuky")
        assert "Nguyễn Thị Hoa" in listed(client)
    with second.app_context():
        make.award(name="Phạm Văn Dũng")
        kind = db.session.scalar(db.select(AwardKind).where(AwardKind.slug == "giay-khen"))
        kind.name = "Giấy khen của Chủ tịch"
        db.session.commit()
    page = listed(client)
    assert "Phạm Văn Dũng" in page
    assert "Giấy khen của Chủ tịch" in page


def test_voiding_an_award_shows_on_the_next_list(app, make):
    award = make.award(name="Nguyễn Thị Hoa")
    client = secretary(app, make, "thuky")
    assert "badge-voided" not in listed(client)
    award.is_voided = True
    award.void_reason = "Ghi nhầm"
    db.session.commit()
    assert "badge-voided" in listed(client)


def test_secretaries_of_different_organizations_never_share_a_kept_list(app, make):
    make.award(name="Nguyễn Thị Hoa", organization="hoi-lhpn")
    make.award(name="Trần Văn Bình", organization="hoi-nong-dan")
    women = secretary(app, make, "thuky-phunu", ["hoi-lhpn"])
    farmers = secretary(app, make, "thuky-nongdan", ["hoi-nong-dan"])
    everyone = secretary(app, make, "thuky-chung")
    for _ in range(2):  # the second round is answered from the kept bodies
        page = listed(women)
        assert "Nguyễn Thị Hoa" in page
        assert "Trần Văn Bình" not in page
        page = listed(farmers)
        assert "Trần Văn Bình" in page
        assert "Nguyễn Thị Hoa" not in page
        page = listed(everyone)
        assert "Nguyễn Thị Hoa" in page
        assert "Trần Văn Bình" in page


def test_filters_and_pages_are_kept_apart(app, make):
    make.award(name="Nguyễn Thị Hoa", year=2024)
    make.award(name="Trần Văn Bình", year=2025)
    client = secretary(app, make, "thuky")
    for _ in range(2):
        assert "Trần Văn Bình" not in listed(client, "/awards/?year=2024")
        assert "Nguyễn Thị Hoa" not in listed(client, "/awards/?year=2025")
        assert client.get("/awards/?page=2").status_code == 404


def test_nothing_is_kept_with_the_page_cache_off(make_app, make):
    app = make_app(PAGE_CACHE_SECONDS=0)
    with app.app_context():
        award = make.award(name="Nguyễn Thị Hoa")
        client = secretary(app, make, "thuky")
        assert "Nguyễn Thị Hoa" in listed(client)
        rename_behind_the_orms_back(award, "Trần Văn Bình")
        assert "Trần Văn Bình" in listed(client)


def test_an_admin_and_a_secretary_of_the_whole_registry_keep_their_own_navigation(app, make):
    kinds_link = 'href="/awards/kinds"'
    whole = secretary(app, make, "thuky")
    make.user("quantri", role="admin")
    admin = app.test_client()
    AuthActions(admin).login("quantri")
    for _ in range(2):
        assert kinds_link not in listed(whole)
        assert kinds_link in listed(admin)
