"""The health check and the app factory."""

import shutil
from collections import namedtuple

Usage = namedtuple("Usage", "total used free")


def test_healthz_answers_ok_when_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_data(as_text=True) == "ok"


def test_fresh_install_has_the_six_standard_organizations(client):
    html = client.get("/").get_data(as_text=True)
    for slug in ("mttq", "hoi-lhpn", "doan-tncs", "hoi-ccb", "hoi-nong-dan", "cong-doan"):
        assert f'href="/org/{slug}"' in html


def test_every_page_declares_vietnamese_and_has_main(client):
    html = client.get("/").get_data(as_text=True)
    assert '<html lang="vi">' in html
    assert "<main" in html


def test_healthz_tells_a_full_disk_from_an_unwritable_folder(client, app, monkeypatch):
    monkeypatch.setattr(shutil, "disk_usage", lambda _path: Usage(10**9, 10**9, 0))
    response = client.get("/healthz")
    assert response.status_code == 503
    full = ["upload folder: disk full"]
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        full.insert(0, "database: disk full")  # its file is on this machine's disk too
    assert response.get_data(as_text=True).splitlines() == full


def test_healthz_warns_of_low_free_space_below_the_setting_and_stays_up(client, app,
                                                                         monkeypatch):
    monkeypatch.setattr(shutil, "disk_usage", lambda _path: Usage(10**9, 10**9 - 300_000,
                                                                 300_000))
    response = client.get("/healthz")
    lines = response.get_data(as_text=True).splitlines()
    assert response.status_code == 200 and lines[0] == "ok"
    assert "warning: low disk space for the uploads (0 MB free, below 256 MB)" in lines
    assert response.headers["X-Health-Warning"] == "low disk space"
    assert str(app.config["UPLOAD_DIR"]) not in response.get_data(as_text=True)
    app.config["LOW_DISK_MB"] = 0
    assert client.get("/healthz").get_data(as_text=True) == "ok"
