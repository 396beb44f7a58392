"""The health check and the app factory."""


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
