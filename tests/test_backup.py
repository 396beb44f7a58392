"""Backup and restore: one checked file, restored into another board with the same content."""

import gzip
import hashlib
import io
import json
import random
import re
import tarfile
import uuid
from datetime import date
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from flask import Flask, has_app_context
from flask_migrate import upgrade
from sqlalchemy import insert, inspect, select, update

from bulletin import create_app
from bulletin.backup import crypto, store, writing
from bulletin.database import MIGRATIONS_DIR, needs_upgrade
from bulletin.extensions import db
from bulletin.models import (
    Attachment,
    Award,
    AwardHistory,
    AwardKind,
    Decision,
    Organization,
    Post,
    PostImage,
    User,
    utcnow,
)
from bulletin.standard import ensure_standard_data
from bulletin.uploads import store_attachment
from tests.conftest import BASE_CONFIG, _drop_postgres_database, _postgres_database
from tests.factories import DEFAULT_PASSWORD

PDF = b"%PDF-1.4\n% B\xc3\xa1o c\xc3\xa1o t\xe1\xbb\x95ng k\xe1\xba\xbft\n" + bytes(range(256)) * 40
FIRST_TITLE = "Hội nghị tổng kết công tác Mặt trận năm 2026"


# --- boards ---------------------------------------------------------------------------------


def kind_of(url: str) -> str:
    """Return which database a URL names."""
    return "sqlite" if url.startswith("sqlite") else "postgresql"


@pytest.fixture
def make_instance(tmp_path):
    """Build further boards, each on its own new database with its own UPLOAD_DIR."""
    built, postgres_names = [], []

    def build(kind: str, migrated: bool = True) -> Flask:
        name = f"bulletin_backup_{uuid.uuid4().hex[:8]}"
        if kind == "sqlite":
            url = f"sqlite:///{tmp_path / name}.db"
        else:
            url = _postgres_database(name)
            postgres_names.append(name)
        instance = create_app({**BASE_CONFIG, "DATABASE_URL": url,
                               "UPLOAD_DIR": str(tmp_path / name / "uploads")})
        built.append(instance)
        if migrated:
            with instance.app_context():
                upgrade(directory=MIGRATIONS_DIR)
        return instance

    yield build
    for instance in built:
        with instance.app_context():
            db.engine.dispose()
    for name in postgres_names:
        _drop_postgres_database(name)


@pytest.fixture
def other(make_instance, database_url):
    """A second, empty board on the same kind of database as the first."""
    return make_instance(kind_of(database_url))


@pytest.fixture
def board(app, make):
    """The first board, with posts, photos, files, accounts, awards and an organization tree."""
    content = fill_board(make)
    yield content
    # conftest empties tables with plain DELETEs, which SQLite refuses while branches exist.
    db.session.execute(update(Organization).values(parent_id=None))
    db.session.commit()


def attach(post: Post, data: bytes, name: str) -> Attachment:
    """Store an attachment for a post."""
    stored = store_attachment(data)
    item = Attachment(post=post, original_name=name, stored_name=stored.stored_name,
                      mime_type=stored.mime_type, size_bytes=stored.size_bytes)
    db.session.add(item)
    db.session.commit()
    return item


def fill_board(make) -> dict:
    """Make the content a backup must carry; return the posts readers can see, and a draft."""
    editor = make.user("bientap", role="editor", orgs=["hoi-lhpn"], full_name="Hoàng Anh",
                       last_login_at=utcnow())
    first = make.post(title=FIRST_TITLE, is_pinned=True, author=editor,
                      byline="Hoàng Anh, Công chức Văn hóa – thông tin thị trấn")
    make.photo(first, caption="Toàn cảnh hội nghị", width=400, height=300)
    make.photo(first, caption="Trao giấy khen", position=1, color=(20, 90, 200), width=300,
               height=400)
    attach(first, PDF, "Báo cáo tổng kết.pdf")
    second = make.post(title="Thông báo lịch sinh hoạt chi hội", organization="hoi-lhpn",
                       cat="thong-bao")
    attach(second, PDF + b"2", "Kế hoạch tháng 12.pdf")
    draft = make.post(title="Bản nháp chưa đăng", status="draft")
    # A branch whose parent has a higher id: restore must not insert it before its parent.
    branch = make.make_org("Chi hội Phụ nữ khu 1")
    cluster = make.make_org("Cụm chi hội phía Bắc", parent=make.org("hoi-lhpn"))
    branch.parent = cluster
    record_awards(make, editor)
    db.session.commit()
    return {"posts": [first.id, second.id], "draft": draft.id}


def record_awards(make, user) -> None:
    """Record a decision with two commendations, one of them voided, and their history."""
    kind = db.session.scalar(select(AwardKind).where(AwardKind.slug == "giay-khen"))
    decision = Decision(number="15/QĐ-UBND", signed_on=date(2026, 1, 15), issuer="UBND thị trấn",
                        signer="Trần Văn Hùng", created_by_id=user.id)
    for name, amount, voided in (("Nguyễn Thị Hoa", 300_000, False), ("Trần Văn Đức", None, True)):
        award = Award(decision=decision, recipient_type="individual", recipient_name=name,
                      name_sort_key=name, organization=make.org("hoi-lhpn"), kind=kind,
                      year=2025, amount=amount, is_voided=voided, void_reason="Ghi trùng" * voided,
                      voided_at=utcnow() if voided else None)
        actions = ("create", "void") if voided else ("create",)
        db.session.add_all(AwardHistory(award=award, action=action, user_id=user.id,
                                        username=user.username, changes=json.dumps({"x": 1}))
                           for action in actions)


def fill_other(instance: Flask, make) -> None:
    """Give a second board content of its own: organizations, a branch, a post with a photo."""
    with instance.app_context():
        ensure_standard_data()
        make.make_org("Chi đoàn khu 3", parent=make.org("doan-tncs"))
        post = make.post(title="Bài riêng của bảng tin thứ hai")
        make.photo(post, color=(0, 200, 0), width=400, height=300)
        db.session.remove()


# --- what a board holds and shows -----------------------------------------------------------


def table_rows(schema: dict[str, list[str]] | None = None) -> dict[str, list[tuple]]:
    """Return every row of every table (or only `schema`'s tables and columns), without the
    session tokens, which a restore renews."""
    found = {}
    for table in db.metadata.sorted_tables:
        if schema is None or table.name in schema:
            columns = [c for c in table.columns if (schema is None or c.name in schema[table.name])
                       and c is not User.__table__.c.session_token]
            found[table.name] = sorted(tuple(row) for row in db.session.execute(select(*columns)))
    return found


def upload_tree(instance: Flask) -> dict[str, str]:
    """Return {path: sha256} of every file under a board's UPLOAD_DIR, hidden ones included."""
    root = Path(instance.config["UPLOAD_DIR"])
    return {path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(root.rglob("*")) if path.is_file()}


def fingerprint(instance: Flask) -> tuple:
    """Return a board's whole state: its rows and its upload files."""
    with instance.app_context():
        state = (table_rows(), upload_tree(instance))
        db.session.remove()
    return state


def main_content(client, path: str) -> str:
    """Return the <main> of a page, the visit figures left out."""
    response = client.get(path, follow_redirects=True)
    assert response.status_code == 200
    main = re.search(r"<main.*?</main>", response.get_data(as_text=True), re.S).group(0)
    return re.sub(r'(data-stat="\w+">)[^<]*', r"\1", main)


def fetch(client, url: str) -> tuple[int, bytes]:
    """Return the status and body of a file download, closing the file."""
    with client.get(url) as response:
        return response.status_code, response.get_data()


# --- commands and backup files --------------------------------------------------------------


def run(instance: Flask, *args: str, **kwargs):
    """Run a `flask` command of a board, in its own app context (not the first board's)."""
    with instance.app_context():
        return instance.test_cli_runner().invoke(args=list(args), **kwargs)


def make_backup(instance: Flask, path: Path) -> Path:
    """Back a board up to `path`."""
    result = run(instance, "backup", str(path))
    assert result.exit_code == 0, result.output
    return path


def restore(instance: Flask, path: Path, *extra: str, **kwargs):
    """Restore a board from `path`."""
    if has_app_context():
        db.session.remove()  # end the test's own transaction, which could hold locks
    return run(instance, "restore", str(path), *extra, **kwargs)


def read_backup(path: Path) -> tuple[dict[str, bytes], dict]:
    """Return a backup's members (but the manifest) and its manifest."""
    with tarfile.open(path) as tar:
        members = {m.name: tar.extractfile(m).read() for m in tar.getmembers()}
    return members, json.loads(members.pop("manifest.json"))


def write_archive(path: Path, members: dict[str, bytes], manifest: dict | None) -> None:
    """Write a tar file of `members`, then the manifest if any."""
    if manifest is not None:
        members = {**members, "manifest.json": json.dumps(manifest).encode()}
    with tarfile.open(path, "w") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))


def schema_at(make_instance, revision: str) -> dict[str, list[str]]:
    """Return {table: column names} of the database schema at a migration revision."""
    scratch = make_instance("sqlite", migrated=False)
    with scratch.app_context():
        upgrade(directory=MIGRATIONS_DIR, revision=revision)
        inspector = inspect(db.engine)
        return {name: [column["name"] for column in inspector.get_columns(name)]
                for name in inspector.get_table_names()}


def as_backup_of(path: Path, revision: str, schema: dict[str, list[str]]) -> None:
    """Rewrite a backup as one made at an older schema: only its tables and columns."""
    members, manifest = read_backup(path)
    tables = {}
    for name, entry in manifest["tables"].items():
        data = members.pop(entry["member"])
        if name in schema:
            keep = [i for i, (column, _) in enumerate(entry["columns"]) if column in schema[name]]
            rows = [json.loads(line) for line in gzip.decompress(data).splitlines()]
            lines = "".join(json.dumps([row[i] for i in keep]) + "\n" for row in rows)
            members[entry["member"]] = gzip.compress(lines.encode())
            tables[name] = {**entry, "columns": [entry["columns"][i] for i in keep]}
    manifest.update(schema_revision=revision, tables=tables, members={
        name: {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
        for name, data in members.items()})
    write_archive(path, members, manifest)


def flip_byte(path: Path, member_name_end: str) -> None:
    """Change one byte in the middle of a member's data."""
    with tarfile.open(path) as tar:
        member = next(m for m in tar.getmembers() if m.name.endswith(member_name_end))
    with open(path, "r+b") as handle:
        handle.seek(member.offset_data + member.size // 2)
        byte = handle.read(1)
        handle.seek(-1, io.SEEK_CUR)
        handle.write(bytes([byte[0] ^ 0xFF]))


def truncate(path: Path) -> None:
    """Cut a file in half, as an interrupted copy would."""
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def replace_with_random_bytes(path: Path) -> None:
    """Replace a file by bytes that are no archive at all."""
    path.write_bytes(random.Random(1).randbytes(100_000))


def replace_with_foreign_tar(path: Path) -> None:
    """Replace a file by a tar archive that is not a backup."""
    write_archive(path, {"uploads/anh.jpg": b"just a photo"}, None)


# --- backup ---------------------------------------------------------------------------------


def test_backup_writes_one_private_file_whose_manifest_checksums_match(app, board, tmp_path):
    dest = make_backup(app, tmp_path / "bangtin.tar")
    assert sorted(tmp_path.glob("bangtin.tar*")) == [dest]  # no DEST.tmp left behind
    assert dest.stat().st_mode & 0o077 == 0  # password hashes inside: owner only
    with tarfile.open(dest) as tar:
        found = {m.name: tar.extractfile(m).read() for m in tar.getmembers()}
    manifest = json.loads(found.pop("manifest.json"))
    assert set(found) == set(manifest["members"])
    for name, digest in manifest["members"].items():
        assert digest == {"sha256": hashlib.sha256(found[name]).hexdigest(),
                          "size": len(found[name])}
    uploads = {name.removeprefix("uploads/") for name in found if name.startswith("uploads/")}
    assert uploads == set(upload_tree(app)) and len(uploads) == 6  # 2 photos x 2 sizes, 2 files
    rows = {name: len(values) for name, values in table_rows().items()}
    assert {name: entry["rows"] for name, entry in manifest["tables"].items()} == rows
    assert rows["awards"] == 2 and rows["award_history"] == 3
    assert manifest["schema_revision"] and manifest["missing_uploads"] == []


@pytest.mark.slow
def test_backup_is_one_consistent_moment_while_the_board_keeps_writing(
        app, board, other, monkeypatch, tmp_path):
    dump_table = writing.dump_table
    org_id = db.session.scalar(select(Organization.id).limit(1))

    def dump_and_let_the_board_write(conn, table, *args):
        """Dump a table; right after `posts`, another worker adds a post with a file."""
        dump_table(conn, table, *args)
        if table.name == "posts":
            with db.engine.begin() as writer:
                post_id = writer.execute(insert(Post).values(
                    title="Viết trong lúc sao lưu", slug="viet-trong-luc-sao-luu",
                    status="published", published_at=utcnow(),
                    organization_id=org_id).returning(Post.id)).scalar_one()
                writer.execute(insert(Attachment).values(
                    post_id=post_id, original_name="x.pdf", stored_name="late.pdf",
                    mime_type="application/pdf", size_bytes=1))

    monkeypatch.setattr(writing, "dump_table", dump_and_let_the_board_write)
    dest = make_backup(app, tmp_path / "bangtin.tar")

    assert db.session.scalar(select(db.func.count(Post.id))) == 4  # the write did happen
    tables = read_backup(dest)[1]["tables"]
    assert (tables["posts"]["rows"], tables["attachments"]["rows"]) == (3, 2)
    assert restore(other, dest, "--yes").exit_code == 0  # no attachment without its post


def test_backup_refuses_a_database_that_is_not_at_the_newest_schema(make_instance, tmp_path):
    behind = make_instance("sqlite", migrated=False)
    result = run(behind, "backup", str(tmp_path / "bangtin.tar"))
    assert result.exit_code != 0
    assert "db upgrade" in result.output
    assert not list(tmp_path.glob("bangtin.tar*"))


# --- restore --------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["bangtin.tar", "bangtin.tar.gz"])
def test_restore_into_an_empty_board_serves_the_same_posts_photos_and_files(
        app, board, client, other, make, tmp_path, name):
    dest = make_backup(app, tmp_path / name)
    result = restore(other, dest, "--yes")
    assert result.exit_code == 0, result.output
    assert "Restored" in result.output and "6 files" in result.output

    assert fingerprint(other)[0] == table_rows()
    theirs = other.test_client()
    for post_id in board["posts"]:
        assert main_content(theirs, f"/posts/{post_id}") == main_content(client,
                                                                          f"/posts/{post_id}")
    search = "/search?q=hoi+nghi+tong+ket"
    assert f'href="/posts/{board["posts"][0]}' in main_content(theirs, search)  # index rebuilt
    assert main_content(theirs, search) == main_content(client, search)
    urls = [f"/images/{image.id}/{size}.jpg" for image in db.session.scalars(select(PostImage))
            for size in ("large", "thumb")]
    urls += [f"/attachments/{item.id}" for item in db.session.scalars(select(Attachment))]
    assert len(urls) == 6
    for url in urls:
        status, body = fetch(theirs, url)
        assert status == 200 and (status, body) == fetch(client, url)
    assert theirs.get(f"/posts/{board['draft']}").status_code == 404
    with other.app_context():
        assert make.post(title="Bài mới sau khi phục hồi").id > board["draft"]


def test_restore_with_yes_replaces_the_content_of_a_board_in_use(app, board, other, make,
                                                                 tmp_path):
    fill_other(other, make)
    own_files = set(upload_tree(other))
    dest = make_backup(app, tmp_path / "bangtin.tar")
    result = restore(other, dest, "--yes")
    assert result.exit_code == 0, result.output
    rows, files = fingerprint(other)
    assert rows == table_rows()
    assert files == upload_tree(app) and not own_files & set(files)
    home = main_content(other.test_client(), "/")
    assert "Bài riêng của bảng tin thứ hai" not in home and FIRST_TITLE in home


def test_restore_without_yes_asks_and_stops_on_no(app, board, other, make, tmp_path):
    fill_other(other, make)
    before = fingerprint(other)
    result = restore(other, make_backup(app, tmp_path / "bangtin.tar"), input="n\n")
    assert result.exit_code != 0
    assert "REPLACES every post" in result.output and "Aborted" in result.output
    assert fingerprint(other) == before


def test_restore_with_a_yes_answer_goes_ahead(app, board, other, tmp_path):
    result = restore(other, make_backup(app, tmp_path / "bangtin.tar"), input="y\n")
    assert result.exit_code == 0, result.output
    assert fingerprint(other)[0] == table_rows()


@pytest.mark.parametrize(("damage", "message"), [
    (lambda path: flip_byte(path, "_large.jpg"), "the checksum of uploads/images/"),
    (lambda path: flip_byte(path, "db/posts.jsonl.gz"), "the checksum of db/posts.jsonl.gz"),
    (truncate, "incomplete"),
    (replace_with_random_bytes, "not a Bảng tin backup"),
    (replace_with_foreign_tar, "no manifest.json"),
], ids=["photo-byte", "table-byte", "truncated", "random-file", "foreign-tar"])
def test_restore_refuses_a_damaged_file_and_changes_nothing(app, board, other, make, tmp_path,
                                                            damage, message):
    fill_other(other, make)
    before = fingerprint(other)
    dest = make_backup(app, tmp_path / "bangtin.tar")
    damage(dest)
    result = restore(other, dest, input="y\n")
    assert result.exit_code != 0
    assert message in result.output and "Nothing was changed." in result.output
    assert "Replace them" not in result.output  # refused before even asking
    assert fingerprint(other) == before


def test_restore_refuses_a_backup_from_a_newer_schema(app, board, other, make, tmp_path):
    fill_other(other, make)
    before = fingerprint(other)
    dest = make_backup(app, tmp_path / "bangtin.tar")
    members, manifest = read_backup(dest)
    write_archive(dest, members, {**manifest, "schema_revision": "0123456789ab"})
    result = restore(other, dest, "--yes")
    assert result.exit_code != 0
    assert "newer version of Bảng tin" in result.output
    assert fingerprint(other) == before


def test_restore_into_a_database_never_migrated_upgrades_it_first(app, board, client,
                                                                  make_instance, database_url,
                                                                  tmp_path):
    bare = make_instance(kind_of(database_url), migrated=False)
    result = restore(bare, make_backup(app, tmp_path / "bangtin.tar"), "--yes")
    assert result.exit_code == 0, result.output
    with bare.app_context():
        assert not needs_upgrade()
    assert fingerprint(bare)[0] == table_rows()
    page = f"/posts/{board['posts'][0]}"
    assert main_content(bare.test_client(), page) == main_content(client, page)


def test_a_backup_of_the_first_schema_is_brought_up_to_date_while_restoring(
        app, board, client, other, make_instance, tmp_path):
    first = ScriptDirectory(MIGRATIONS_DIR).get_base()
    schema = schema_at(make_instance, first)
    dest = make_backup(app, tmp_path / "bangtin.tar")
    as_backup_of(dest, first, schema)
    result = restore(other, dest, "--yes")
    assert result.exit_code == 0, result.output
    assert "is older: converting" in result.output
    with other.app_context():
        assert not needs_upgrade()
        restored = table_rows(schema)
    assert restored == table_rows(schema)
    for post_id in board["posts"]:
        page = f"/posts/{post_id}"
        assert main_content(other.test_client(), page) == main_content(client, page)


@pytest.mark.parametrize(("source", "target"), [("sqlite", "postgresql"),
                                                ("postgresql", "sqlite")])
def test_a_backup_moves_between_sqlite_and_postgresql(make_instance, make, tmp_path, source,
                                                      target):
    first, second = make_instance(source), make_instance(target)
    with first.app_context():
        ensure_standard_data()
        board = fill_board(make)
        db.session.remove()
    expected = fingerprint(first)
    result = restore(second, make_backup(first, tmp_path / "bangtin.tar"), "--yes")
    assert result.exit_code == 0, result.output
    assert fingerprint(second) == expected
    for post_id in board["posts"]:
        page = f"/posts/{post_id}"
        assert main_content(second.test_client(), page) == main_content(first.test_client(),
                                                                        page)


# --- what a backup holds: passwords, tokens and secrets ---------------------------------------


def login_cookie(instance: Flask, username: str) -> str:
    """Log in on a board and return the session cookie's value."""
    client = instance.test_client()
    html = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
    response = client.post("/login", data={"csrf_token": token, "username": username,
                                           "password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    return client.get_cookie("session").value


def logged_in_with(instance: Flask, cookie: str) -> bool:
    """Return True when a copied session cookie still opens a staff page."""
    client = instance.test_client()
    client.set_cookie("session", cookie)
    return client.get("/account/two-factor").status_code == 200


def test_a_restore_renews_every_session_token_so_everyone_logs_in_again(app, board, other,
                                                                        tmp_path):
    before_backup = login_cookie(app, "bientap")
    dest = make_backup(app, tmp_path / "bangtin.tar")
    assert logged_in_with(app, before_backup)
    assert restore(app, dest, "--yes").exit_code == 0
    assert not logged_in_with(app, before_backup)  # a cookie of the backup's time
    assert restore(other, dest, "--yes").exit_code == 0
    assert not logged_in_with(other, before_backup)
    assert logged_in_with(other, login_cookie(other, "bientap"))  # the password still works


def test_the_check_beside_a_backup_is_private_like_the_backup(app, board, tmp_path):
    folder = tmp_path / "nightly"
    folder.mkdir()
    assert run(app, "backup", str(folder)).exit_code == 0
    files = sorted(folder.iterdir())
    assert [f.name.endswith(".verified.json") for f in files] == [False, True]
    assert all(f.stat().st_mode & 0o077 == 0 for f in files)


def test_a_passphrase_encrypts_the_backup_and_is_needed_to_restore_it(app, board, other,
                                                                       tmp_path):
    app.config["BACKUP_PASSPHRASE"] = "cụm mật khẩu sao lưu"
    dest = make_backup(app, tmp_path / "bangtin.tar.gz")
    data = dest.read_bytes()
    assert crypto.is_encrypted(dest) and b"bientap" not in data and b"argon2" not in data
    with pytest.raises(tarfile.TarError), tarfile.open(dest):
        pass
    with app.app_context():
        assert store.verify_file(dest)["problem"] is None
    refused = restore(other, dest, "--yes", input="sai cụm mật khẩu\n")
    assert refused.exit_code != 0 and "wrong passphrase" in refused.output
    assert restore(other, dest, "--yes", input="cụm mật khẩu sao lưu\n").exit_code == 0
    assert fingerprint(other)[0] == table_rows()


def test_an_encrypted_backup_cut_short_or_changed_is_refused(app, board, tmp_path):
    app.config["BACKUP_PASSPHRASE"] = "cụm mật khẩu sao lưu"
    dest = make_backup(app, tmp_path / "bangtin.tar")
    whole = dest.read_bytes()
    for damaged, problem in ((whole[:-200], "cut short"),
                             (whole[:5000] + bytes([whole[5000] ^ 1]) + whole[5001:], "damaged"),
                             (whole + b"x", "after its end")):
        dest.write_bytes(damaged)
        with app.app_context():
            assert problem in store.verify_file(dest)["problem"]
