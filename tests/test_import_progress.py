"""A long dry run or confirm tells its page how far it has got, and tells no one else."""

import io
import secrets

import pytest

from bulletin.awards.importing import progress
from bulletin.extensions import db
from bulletin.models import User
from tests.test_awards_export import confirm_fields, csrf
from tests.test_awards_import import row, secretary, workbook  # noqa: F401


@pytest.fixture
def progress_id(app):
    """A fresh id (the instance folder is shared by test runs); its record removed after."""
    value = secrets.token_hex(16)
    yield value
    with app.app_context():
        (progress._folder() / f"{value}.json").unlink(missing_ok=True)


def user_id(username: str) -> int:
    """The id of an account."""
    return db.session.scalar(db.select(User.id).where(User.username == username))


def test_progress_is_read_only_by_the_account_that_started_it(app, progress_id):
    with app.test_request_context():
        progress.begin(progress_id, 7)
        progress.report("check", 250, 1000)
        assert progress.read(progress_id, 7) == {"phase": "check", "done": 250, "total": 1000}
        assert progress.read(progress_id, 8) is None
        assert progress.read("../../etc/passwd", 7) is None
        progress.end()
        assert progress.read(progress_id, 7) is None
        progress.begin("too-short", 7)  # a bad id: nothing reported, nothing fails
        progress.report("check", 1, 2)
        progress.end()


def test_the_poll_answers_the_account_that_started_the_import(app, client, make, progress_id,
                                                              secretary):  # noqa: F811
    make.user("thuky2", role="secretary")
    with app.test_request_context():
        progress._write(progress_id, {"user": user_id("thuky"), "phase": "check", "done": 5,
                                      "total": 9})
    url = f"/awards/import/progress/{progress_id}"
    response = client.get(url)
    assert response.status_code == 200
    assert response.get_json() == {"phase": "check", "done": 5, "total": 9}
    assert response.headers["Cache-Control"] == "no-store"
    with app.test_request_context():
        progress._write(progress_id, {"user": user_id("thuky2"), "phase": "check", "done": 5,
                                      "total": 9})
    assert client.get(url).status_code == 404
    assert client.get("/awards/import/progress/nothing-of-that-name-here").status_code == 404


def test_dry_run_and_confirm_report_their_rows(app, client, secretary,  # noqa: F811
                                               monkeypatch, progress_id):
    seen = []
    monkeypatch.setattr(progress, "EVERY_ROWS", 2)
    monkeypatch.setattr(progress, "_save", lambda state: seen.append(
        (state["phase"], state["done"], state["total"])))
    data = workbook([row(f"Người {n}", number=f"{n}/QĐ-MTTQ") for n in range(5)])
    response = client.post("/awards/import", content_type="multipart/form-data",
                           data={"csrf_token": csrf(client, "/awards/import"),
                                 "file": (io.BytesIO(data), "so.xlsx"),
                                 "progress": progress_id})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'class="import-progress"' in html and "js/import-progress.js" in html
    assert seen == [("read", 0, 0), ("read", 0, 0), ("check", 0, 5), ("check", 2, 5),
                    ("check", 4, 5), ("check", 5, 5), ("compare", 5, 5)]
    seen.clear()
    fields = confirm_fields(html) | {"progress": progress_id}
    assert client.post("/awards/import/confirm", data=fields).status_code == 303
    assert ("check", 5, 5) in seen and seen[-1] == ("write", 5, 5)
    with app.test_request_context():
        assert progress.read(progress_id, user_id("thuky")) is None  # ended with the request
