"""Rule warnings for a secretary scoped to some organizations read only their book (issue 20,
finding 4): whether another organization's award meets a prerequisite must not show through
the presence or absence of a warning, and the warning says whose book it read.
"""

import html
import io
from datetime import date

from openpyxl import Workbook

from bulletin.awards import records
from bulletin.extensions import db
from tests.test_awards_export import login_as, upload

THIS_YEAR = records.today().year
YEAR = THIS_YEAR - 1
SCOPE_NOTE = "theo sổ của các tổ chức bạn quản lý"
MISSING = f"chưa có danh hiệu Lao động tiên tiến năm {YEAR}"

AWARD = {
    "recipient_type": "individual", "recipient_name": "Nguyễn Thị Hoa", "organization": "hoi-ccb",
    "kind": "chien-si-thi-dua-co-so", "year": str(YEAR), "decision_number": "4/QĐ-UBND",
    "decision_date": f"10/01/{THIS_YEAR}", "issuer": "Chủ tịch UBND xã Tân Lập",
    "signer": "Trần Văn Hùng", "initiative": "Sổ tay hội viên điện tử", "check_rules": "1",
}


def held_elsewhere(make, organization="hoi-lhpn"):
    """Nguyễn Thị Hoa holds Lao động tiên tiến of the year under another organization."""
    make.award("Nguyễn Thị Hoa", kind="lao-dong-tien-tien", organization=organization,
               year=YEAR, number="2/QĐ-UBND", signed_on=date(THIS_YEAR, 1, 5),
               issuer="Chủ tịch UBND xã Tân Lập")


def checked(client, auth, data=AWARD, path="/awards/new") -> str:
    """The page a "Kiểm tra trước khi lưu" answers with (nothing saved)."""
    response = client.post(path, data={"csrf_token": auth.csrf_token("/"), **data})
    assert response.status_code == 200, response.status_code
    return html.unescape(response.get_data(as_text=True))


def test_a_scoped_secretary_is_warned_whatever_another_organization_holds(client, auth, make):
    held_elsewhere(make)
    login_as(make, auth, "ccb", orgs=("hoi-ccb",))
    page = checked(client, auth)
    assert MISSING in page and SCOPE_NOTE in page


def test_the_same_warning_without_the_award_elsewhere(client, auth, make):
    login_as(make, auth, "ccb", orgs=("hoi-ccb",))
    page = checked(client, auth)
    assert MISSING in page and SCOPE_NOTE in page


def test_an_award_of_her_own_organization_meets_the_rule(client, auth, make):
    held_elsewhere(make, organization="hoi-ccb")
    login_as(make, auth, "ccb", orgs=("hoi-ccb",))
    assert MISSING not in checked(client, auth)


def test_a_secretary_of_every_organization_reads_the_whole_book(client, auth, make):
    held_elsewhere(make)
    login_as(make, auth, "all")
    page = checked(client, auth)
    assert MISSING not in page and SCOPE_NOTE not in page
    page = checked(client, auth, {**AWARD, "recipient_name": "Lê Văn Nam"})
    assert "chưa có danh hiệu Lao động tiên tiến" in page and SCOPE_NOTE not in page


def test_the_decision_form_reads_only_her_organizations(client, auth, make):
    held_elsewhere(make)
    login_as(make, auth, "ccb", orgs=("hoi-ccb",))
    data = {key: value for key, value in AWARD.items()
            if key not in ("recipient_type", "recipient_name", "initiative")}
    data.update({"recipients-0-recipient_type": "individual",
                 "recipients-0-recipient_name": "Nguyễn Thị Hoa",
                 "recipients-0-initiative": "Sổ tay hội viên điện tử"})
    page = checked(client, auth, data, "/awards/decisions/new")
    assert MISSING in page and SCOPE_NOTE in page


def test_the_import_reads_only_her_organizations(client, auth, make):
    held_elsewhere(make)
    login_as(make, auth, "ccb", orgs=("hoi-ccb",))
    book = Workbook()
    sheet = book.active
    sheet.append(["Họ và tên", "Tổ chức", "Hình thức", "Năm thành tích", "Số quyết định",
                  "Ngày quyết định", "Cơ quan quyết định", "Sáng kiến"])
    sheet.append(["Nguyễn Thị Hoa", "Hội Cựu chiến binh", "Chiến sĩ thi đua cơ sở", YEAR,
                  "4/QĐ-UBND", f"10/01/{THIS_YEAR}", "Chủ tịch UBND xã Tân Lập", "Sổ tay"])
    buffer = io.BytesIO()
    book.save(buffer)
    page = html.unescape(upload(client, buffer.getvalue()).get_data(as_text=True))
    assert MISSING in page and SCOPE_NOTE in page
    assert db.session.scalar(db.select(db.func.count()).select_from(
        db.metadata.tables["awards"])) == 1
