"""The scanned paper decision kept with its record."""

import io
import re

from bulletin.extensions import db
from bulletin.models import AuditEntry, Decision


def token(client, path):
    """The CSRF token of a page's forms."""
    tag = re.search(r'<input[^>]*name="csrf_token"[^>]*>', client.get(path).get_data(as_text=True))
    return re.search(r'value="([^"]+)"', tag.group(0)).group(1)


def upload(client, decision_id, data, name):
    """Post a scan to a decision."""
    path = f"/awards/decisions/{decision_id}"
    return client.post(f"{path}/scan", content_type="multipart/form-data",
                       data={"csrf_token": token(client, path), "scan": (io.BytesIO(data), name)})


def test_secretary_uploads_and_downloads_the_scan(client, make, auth):
    award = make.award()
    make.user("thuky", role="secretary")
    auth.login("thuky")
    response = upload(client, award.decision_id, b"%PDF-1.4 scan", "QĐ 15 khen thưởng.pdf")
    assert response.status_code == 303
    page = client.get(f"/awards/decisions/{award.decision_id}").get_data(as_text=True)
    assert "QĐ 15 khen thưởng.pdf" in page
    with client.get(f"/awards/decisions/{award.decision_id}/scan") as download:
        assert download.status_code == 200 and download.data == b"%PDF-1.4 scan"
        assert "filename*=UTF-8''Q%C4%90%2015" in download.headers["Content-Disposition"]
    assert db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "decision.update"))


def test_a_scan_must_really_be_a_pdf_or_an_image(client, make, auth):
    award = make.award()
    make.user("thuky", role="secretary")
    auth.login("thuky")
    response = upload(client, award.decision_id, b"<script>alert(1)</script>", "scan.pdf")
    assert response.status_code == 303
    follow = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "không được nhận" in follow
    assert db.session.get(Decision, award.decision_id).scan_stored_name == ""


def test_other_organizations_secretary_and_editors_cannot_touch_the_scan(client, make, auth):
    award = make.award(organization="cong-doan")
    make.user("thuky", role="secretary", orgs=["hoi-lhpn"])
    auth.login("thuky")
    assert client.get(f"/awards/decisions/{award.decision_id}/scan").status_code == 403
    make.user("bientap", role="editor", orgs=["cong-doan"])
    other = client.application.test_client()
    from tests.conftest import AuthActions

    AuthActions(other).login("bientap")
    assert other.get(f"/awards/decisions/{award.decision_id}/scan").status_code == 403
