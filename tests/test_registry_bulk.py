"""A 10,000-row book as a commune keeps it, end to end: dry run, confirm and undoing the whole
import (each award voided with its history entry), timed. Marked slow.

The book mixes TCVN3 and VNI cells among Unicode ones, writes kinds and organizations as
people do (LĐTT, "Hội Phụ nữ", "Giấy khen của Chủ tịch UBND xã"), gives years of birth, sex
and ethnicity, and ends with a totals row and a signature block.
"""

import json
import time

import pytest

from bulletin.extensions import db
from bulletin.models import Award, AwardHistory, ImportBatch
from tests.test_awards_commune_books import SIGNATURE, commune_book
from tests.test_awards_export import fate_counts, login_as, upload
from tests.test_awards_import import confirm

ROWS = 10_000
FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi")
GIVEN = ("Thị Bình", "Văn Cường", "Thị Hòa", "Văn Đức", "Thị Lan", "Văn Tâm", "Thị Mai")
TCVN3 = ("NguyÔn V¨n Hßa", "TrÇn ThÞ Lan", "Lª V¨n T©m")
VNI = ("Phaïm Vaên Ñöùc", "Hoaøng Thò Mai")
KINDS = ("LĐTT", "Giấy khen", "Giấy khen của Chủ tịch UBND xã")
ORGS = ("Hội Phụ nữ", "Hội Nông dân", "Hội CCB", "Đoàn TN")


def name_of(n: int) -> str:
    """The n-th recipient's name: mostly Unicode, one in 25 TCVN3, one in 40 VNI."""
    if n % 25 == 3:
        return f"{TCVN3[n % len(TCVN3)]} {n}"
    if n % 40 == 7:
        return f"{VNI[n % len(VNI)]} {n}"
    return f"{FAMILY[n % len(FAMILY)]} {GIVEN[n % len(GIVEN)]} {n}"


def mixed_rows() -> list[list]:
    """The book's award rows, in the commune book's columns."""
    rows = []
    for n in range(ROWS):
        kind = KINDS[n % len(KINDS)]
        issuer = "Chủ tịch UBND xã Hội Hợp" if kind != "Giấy khen" \
            else "Ban Chấp hành Hội LHPN xã Đoàn Kết"
        rows.append([n + 1, name_of(n), 1960 + n % 40, "Hội viên", ORGS[n % len(ORGS)], kind,
                     2025, f"{n % 60}/QĐ-UBND", "20/12/2025", issuer, 710_000])
    return rows


@pytest.mark.slow
def test_a_ten_thousand_row_mixed_book_imports_and_is_undone_whole(client, make, auth,
                                                                   capsys):
    login_as(make, auth)
    data = commune_book(mixed_rows(), SIGNATURE)
    started = time.perf_counter()
    response = upload(client, data)
    response.request.environ["wsgi.input"].close()
    page = response.get_data(as_text=True)
    dry = time.perf_counter() - started
    assert response.status_code == 200, page[:3000]
    assert fate_counts(page)["new"] == ROWS
    started = time.perf_counter()
    assert confirm(client, page).status_code == 303
    written = time.perf_counter() - started
    assert db.session.scalar(db.select(db.func.count(Award.id))) == ROWS
    stored = {a.recipient_name for a in db.session.scalars(db.select(Award))}
    assert {"Nguyễn Văn Hòa 3", "Hoàng Thị Mai 7", "Trần Thị Lan 28"} <= stored
    batch = db.session.scalar(db.select(ImportBatch))

    started = time.perf_counter()
    voided = client.post(f"/awards/batches/{batch.id}/void", data={
        "csrf_token": auth.csrf_token("/"), "reason": "Nhập nhầm tệp"})
    undone = time.perf_counter() - started
    assert voided.status_code == 303
    db.session.expire_all()
    assert db.session.scalar(db.select(db.func.count(Award.id)).where(
        Award.is_voided.is_(False))) == 0
    entries = db.session.scalars(db.select(AwardHistory).where(
        AwardHistory.action == "void")).all()
    assert len({entry.award_id for entry in entries}) == ROWS
    assert json.loads(entries[0].changes) == {"void_reason": [None, "Nhập nhầm tệp"]}
    with capsys.disabled():
        print(f"\n10,000-row mixed book: dry run {dry:.1f} s, confirm {written:.1f} s, "
              f"void the batch {undone:.1f} s")
