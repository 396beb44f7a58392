"""Upgrades: a board made at the first migration keeps its data up to the newest one; the
newest migration goes back down; the app refuses a database newer than its code."""

import uuid
from datetime import UTC, date, datetime

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import MetaData, inspect, text

from bulletin import create_app, standard
from bulletin.database import MIGRATIONS_DIR, DatabaseTooNew
from bulletin.extensions import db
from bulletin.models import AwardKind, Organization
from tests.conftest import BASE_CONFIG, DATABASES, _drop_postgres_database, _postgres_database

pytestmark = pytest.mark.slow  # `scripts/test --quick` leaves these out

FIRST = "69d80e89f148"
CYCLE = "130317c0ff58"  # proposals, issuer levels, sex and ethnicity


@pytest.fixture(params=DATABASES)
def empty_url(request, tmp_path):
    """The URL of an empty database of its own (SQLite file or PostgreSQL)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'old-board.db'}"
        return
    name = f"bulletin_upgrade_{uuid.uuid4().hex[:8]}"
    yield _postgres_database(name)
    _drop_postgres_database(name)


def app_on(url, tmp_path):
    """An app on `url` that does not migrate by itself."""
    return create_app({**BASE_CONFIG, "DATABASE_URL": url, "AUTO_MIGRATE": False,
                       "UPLOAD_DIR": str(tmp_path / "uploads"),
                       "BACKUP_DIR": str(tmp_path / "backups")})


def moment(dialect: str) -> datetime:
    """A time as the first schema stores it (naive UTC on SQLite)."""
    value = datetime(2025, 3, 8, 1, 30, tzinfo=UTC)
    return value.replace(tzinfo=None) if dialect == "sqlite" else value


def fill_first_schema() -> None:
    """Write a small board with the tables of the first migration only."""
    tables = MetaData()
    tables.reflect(db.engine)
    when = moment(db.engine.dialect.name)
    with db.engine.begin() as conn:
        conn.execute(tables.tables["organizations"].insert(), [
            {"id": 1, "name": "Hội Liên hiệp Phụ nữ", "short_name": "Hội LHPN",
             "slug": "hoi-lhpn", "description": "", "position": 1, "parent_id": None},
            {"id": 2, "name": "Chi hội Phụ nữ thôn Đông", "short_name": "CHPN thôn Đông",
             "slug": "chpn-thon-dong", "description": "", "position": 1, "parent_id": 1}])
        conn.execute(tables.tables["categories"].insert(),
                     [{"id": 1, "name": "Tin hoạt động", "slug": "tin-hoat-dong", "position": 1}])
        conn.execute(tables.tables["users"].insert(), [{
            "id": 1, "username": "bientap", "full_name": "Nguyễn Thu Hà", "password_hash": "x",
            "role": "editor", "is_enabled": True, "session_token": "t", "created_at": when}])
        conn.execute(tables.tables["posts"].insert(), [{
            "id": 1, "title": "Hội nghị tổng kết công tác Hội năm 2024", "slug": "hoi-nghi",
            "summary": "Chi hội thôn Đông tổng kết năm.", "body": "<p>Đã họp.</p>",
            "byline": "", "status": "published", "is_pinned": False, "published_at": when,
            "created_at": when, "updated_at": when, "organization_id": 2, "category_id": 1,
            "author_id": 1}])


def test_a_board_from_the_first_migration_upgrades_with_its_data(empty_url, tmp_path):
    app = app_on(empty_url, tmp_path)
    with app.app_context():
        upgrade(directory=MIGRATIONS_DIR, revision=FIRST)
        fill_first_schema()
        upgrade(directory=MIGRATIONS_DIR, revision="head")
        db.session.remove()
        db.engine.dispose()
    restarted = app_on(empty_url, tmp_path)  # a start after the upgrade fills the new parts
    client = restarted.test_client()
    with restarted.app_context():
        rows = db.session.execute(text(
            "SELECT slug, parent_id, is_archived FROM organizations ORDER BY id")).all()
        assert [tuple(r) for r in rows] == [("hoi-lhpn", None, False),
                                            ("chpn-thon-dong", 1, False)]
        post_page = client.get("/org/hoi-lhpn").get_data(as_text=True)
        assert "Hội nghị tổng kết công tác Hội năm 2024" in post_page
        assert "08/03/2025" in post_page
        found = client.get("/search?q=hoi nghi tong ket").get_data(as_text=True)
        assert 'href="/posts/1/hoi-nghi"' in found
        db.session.remove()
        db.engine.dispose()


def test_the_newest_migration_goes_down_and_up_again_keeping_the_data(empty_url, tmp_path):
    app = app_on(empty_url, tmp_path)
    with app.app_context():
        upgrade(directory=MIGRATIONS_DIR, revision=FIRST)
        fill_first_schema()
        upgrade(directory=MIGRATIONS_DIR, revision="head")
        triggers = count_triggers()
        assert len(triggers) == (3 if db.engine.dialect.name == "sqlite" else 2)
        # The newest migrations add sex and ethnicity, the searched name and the year of birth
        # with a plain ALTER TABLE, which keeps the triggers that maintain the registry's
        # counts (a batch copy would drop them). The ones after the cycle's go down first.
        downgrade(directory=MIGRATIONS_DIR, revision=CYCLE)
        db.session.remove()
        db.engine.dispose()
        assert {"sex", "ethnicity"} <= award_columns()
        assert count_triggers() == triggers
        downgrade(directory=MIGRATIONS_DIR, revision="-1")
        db.session.remove()
        db.engine.dispose()
        assert "sex" not in award_columns()
        assert count_triggers() == triggers
        downgrade(directory=MIGRATIONS_DIR, revision="-1")
        db.session.remove()
        db.engine.dispose()
        assert "name_search" not in award_columns()
        assert count_triggers() == triggers
        downgrade(directory=MIGRATIONS_DIR, revision="-1")
        db.session.remove()
        db.engine.dispose()
        assert "birth_year" not in award_columns()
        assert count_triggers() == triggers
        # The one before adds the page-cache version and the registry's counts.
        downgrade(directory=MIGRATIONS_DIR, revision="-1")
        db.session.remove()
        db.engine.dispose()
        assert "award_counts" not in inspect(db.engine).get_table_names()
        assert db.session.scalar(text("SELECT count(*) FROM posts")) == 1
        db.session.remove()
        upgrade(directory=MIGRATIONS_DIR, revision="head")
        assert db.session.scalar(text("SELECT count(*) FROM organizations")) == 2
        assert "award_counts" in inspect(db.engine).get_table_names()
        assert {"birth_year", "name_search", "sex", "ethnicity"} <= award_columns()
        assert count_triggers() == triggers
        db.session.remove()
        db.engine.dispose()


BEFORE_NAME_SEARCH = "15b3d9e0a7c2"


def test_the_searched_name_is_filled_for_awards_recorded_before_it(empty_url, tmp_path):
    app = app_on(empty_url, tmp_path)
    with app.app_context():
        upgrade(directory=MIGRATIONS_DIR, revision=BEFORE_NAME_SEARCH)
        standard.ensure_standard_data()
        org = db.session.scalar(db.select(Organization).where(Organization.slug == "hoi-ccb"))
        kind = db.session.scalar(db.select(AwardKind).where(AwardKind.slug == "giay-khen"))
        tables = MetaData()
        tables.reflect(db.engine, only=["awards", "decisions"])
        with db.engine.begin() as conn:
            # Written as the schema of that time holds them (the models are newer).
            decision_id = conn.execute(tables.tables["decisions"].insert().values(
                number="20/QĐ-CCB", signed_on=date(2025, 12, 20), issuer="Hội CCB xã",
                signer="", signer_title="", subject="", signing_mode="", legal_grounds="",
                decision_type="", campaign="", is_public=False, scan_name="",
                scan_stored_name="", created_at=moment(db.engine.dialect.name))
            ).inserted_primary_key[0]
            conn.execute(tables.tables["awards"].insert(), [{
                "decision_id": decision_id, "line_no": 1, "recipient_type": "individual",
                "recipient_name": "Trần Thúy Liên", "recipient_title": "Chi hội trưởng",
                "name_sort_key": "lien", "search_text": "", "organization_id": org.id,
                "kind_id": kind.id, "year": 2025, "achievement": "Cựu chiến binh gương mẫu",
                "amount": None, "is_voided": False, "void_reason": "", "source": "manual",
                "initiative": "", "created_at": moment(db.engine.dialect.name),
                "updated_at": moment(db.engine.dialect.name)}])
        db.session.remove()
        upgrade(directory=MIGRATIONS_DIR, revision="head")
        stored = db.session.scalar(text("SELECT name_search FROM awards"))
        assert stored == "tran thuy lien chi hoi truong 20/qd-ccb"
        db.session.remove()
        db.engine.dispose()


def award_columns() -> set[str]:
    """The columns of the awards table as the database has them now."""
    return {column["name"] for column in inspect(db.engine).get_columns("awards")}


def count_triggers() -> list[str]:
    """The SQL of the triggers on the awards table (and PostgreSQL's trigger function)."""
    if db.engine.dialect.name == "sqlite":
        sql = ("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'awards' "
               "ORDER BY name")
    else:
        sql = ("SELECT pg_get_triggerdef(oid) FROM pg_trigger "
               "WHERE tgrelid = 'awards'::regclass AND NOT tgisinternal UNION ALL "
               "SELECT pg_get_functiondef('award_counts_change'::regproc) ORDER BY 1")
    return list(db.session.scalars(text(sql)))


def test_the_app_refuses_a_database_newer_than_its_code(empty_url, tmp_path):
    app = app_on(empty_url, tmp_path)
    with app.app_context():
        upgrade(directory=MIGRATIONS_DIR, revision="head")
        with db.engine.begin() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = 'f00dcafe1234'"))
        db.session.remove()
        db.engine.dispose()
    with pytest.raises(DatabaseTooNew, match="f00dcafe1234.*a newer version upgraded it"):
        app_on(empty_url, tmp_path)
