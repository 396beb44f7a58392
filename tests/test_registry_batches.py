"""One import in the registry (issue 18): `/awards/?batch=N` counts its own rows, and a
mistaken import is undone whole — every award voided with one reason, nothing deleted."""

import html
import json
import re
from datetime import date

from bulletin.awards import records
from bulletin.extensions import db
from bulletin.models import AuditEntry, Award, AwardHistory, Decision, ImportBatch
from tests.conftest import AuthActions
from tests.factories import award_kind, org

YEAR = 2024


def insert(names: list[str], batch: ImportBatch | None = None, organization="mttq",
           amount=300_000, number="7/QĐ-MTTQ", achievement="Hoàn thành tốt nhiệm vụ") -> None:
    """Record these recipients through records.insert_many, as the import writes them."""
    decision = Decision(number=number, signed_on=date(YEAR + 1, 1, 10),
                        issuer="Ban Thường trực Ủy ban MTTQ")
    db.session.add(decision)
    db.session.flush()
    items = [records.NewAward(records.check(records.AwardValues(
        recipient_type="individual", recipient_name=name, organization=org(organization),
        kind=award_kind("giay-khen"), year=YEAR, decision_number=decision.number,
        decision_date=decision.signed_on, issuer=decision.issuer, amount=amount,
        achievement=achievement)), decision, line_no=n)
        for n, name in enumerate(names, start=1)]
    records.insert_many(items, source="import" if batch else "manual",
                        import_batch_id=batch.id if batch else None)
    db.session.commit()


def imported(names: list[str], organization="mttq", **fields) -> ImportBatch:
    """An import batch that wrote these recipients."""
    batch = ImportBatch(file_name="so-khen-thuong.xlsx", username="thuky",
                        created=len(names))
    db.session.add(batch)
    db.session.flush()
    insert(names, batch, organization, **fields)
    return batch


def people(prefix: str, count: int) -> list[str]:
    """`count` distinct names."""
    return [f"{prefix} Văn Người{n:03d}" for n in range(count)]


def login(client, make, username="thuky", orgs=()) -> AuthActions:
    """Log a secretary (of `orgs`, none: every organization) in on `client`."""
    make.user(username, role="secretary", orgs=list(orgs))
    auth = AuthActions(client)
    assert auth.login(username).status_code == 302
    return auth


def text(client, path: str, status=200) -> str:
    """GET `path`, expecting `status`; the page's text, entities decoded."""
    response = client.get(path)
    assert response.status_code == status, path
    return html.unescape(response.get_data(as_text=True))


def listed_names(page: str) -> list[str]:
    """The recipients the registry page lists."""
    return re.findall(r'<td class="who">\s*<a href="/awards/\d+">(.*?)</a>', page)


def void_batch(client, auth, batch: ImportBatch, reason="Nhập nhầm tệp của năm trước"):
    """POST the undo form of the batch's list view."""
    token = auth.csrf_token(f"/awards/?batch={batch.id}")
    return client.post(f"/awards/batches/{batch.id}/void",
                       data={"csrf_token": token, "reason": reason})


def live_awards() -> list[Award]:
    """The awards still in force, fresh from the database."""
    db.session.expire_all()
    return list(db.session.scalars(db.select(Award).where(Award.is_voided.is_(False))))


# --- Counting --------------------------------------------------------------------------

def test_a_batch_lists_only_its_rows_with_its_own_totals_and_pages(client, make):
    insert(people("Lê", 92), amount=1_000_000)
    batch = imported(people("Phạm", 11), amount=300_000)
    login(client, make)
    page = text(client, f"/awards/?batch={batch.id}")
    assert "11 khen thưởng" in page and "3.300.000 đồng" in page
    assert len(listed_names(page)) == 11 and all(n.startswith("Phạm") for n in listed_names(page))
    assert "Trang 1 /" not in page  # one page, no pager
    text(client, f"/awards/?batch={batch.id}&page=2", status=404)
    whole = text(client, "/awards/")
    assert "103 khen thưởng" in whole and "Trang 1 / 3" in whole


def test_a_batch_narrowed_further_counts_the_rows_it_shows(client, make):
    insert(people("Lê", 60))
    batch = imported([*people("Phạm", 4), "Trần Thị Bình"], organization="hoi-lhpn")
    login(client, make)
    page = text(client, f"/awards/?batch={batch.id}&q=tran+thi+binh")
    assert listed_names(page) == ["Trần Thị Bình"] and "1 khen thưởng" in page
    page = text(client, f"/awards/?batch={batch.id}&org=hoi-lhpn&year={YEAR}")
    assert "5 khen thưởng" in page and len(listed_names(page)) == 5
    page = text(client, f"/awards/?batch={batch.id}&org=mttq")
    assert "0 khen thưởng" in page and listed_names(page) == []
    # The filter form keeps the batch, so narrowing the list stays inside the import.
    assert f'name="batch" type="hidden" value="{batch.id}"' in page


def test_two_batches_kept_lists_never_show_each_others_rows(client, make):
    first = imported(["Nguyễn Văn An"])
    second = imported(["Hoàng Thị Cúc"])
    login(client, make)
    for _ in range(2):  # the second time from the kept bodies
        page = text(client, f"/awards/?batch={first.id}")
        assert listed_names(page) == ["Nguyễn Văn An"] and "1 khen thưởng" in page
        page = text(client, f"/awards/?batch={second.id}")
        assert listed_names(page) == ["Hoàng Thị Cúc"] and "1 khen thưởng" in page


# --- Undoing ---------------------------------------------------------------------------

def test_undoing_a_batch_voids_each_live_award_with_its_history_and_one_audit_entry(
        client, make):
    insert(["Người Có Sẵn"])
    batch = imported(people("Phạm", 11))
    auth = login(client, make)
    page = text(client, f"/awards/?batch={batch.id}")
    assert "Hủy cả lần nhập này" in page
    assert f'action="/awards/batches/{batch.id}/void"' in page
    response = void_batch(client, auth, batch)
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/awards/?batch={batch.id}")
    assert [a.recipient_name for a in live_awards()] == ["Người Có Sẵn"]
    voided = db.session.scalars(db.select(Award).where(Award.import_batch_id == batch.id)).all()
    assert len(voided) == 11  # nothing deleted
    assert {a.void_reason for a in voided} == {"Nhập nhầm tệp của năm trước"}
    for award in voided:
        actions = [entry.action for entry in award.history]
        assert actions == ["import", "void"]
        assert json.loads(award.history[-1].changes)["void_reason"][1] == \
            "Nhập nhầm tệp của năm trước"
        assert award.history[-1].username == "thuky"
    [entry] = db.session.scalars(db.select(AuditEntry).where(
        AuditEntry.action == "award.void_batch")).all()
    assert entry.target_id == batch.id and "Nhập nhầm tệp" in entry.detail
    page = text(client, f"/awards/?batch={batch.id}")
    assert "Đã hủy 11 khen thưởng" in page and "0 khen thưởng" in page
    assert "Hủy cả lần nhập này" not in page  # nothing left to undo


def test_an_already_voided_award_of_the_batch_keeps_its_own_reason(client, make):
    batch = imported(["Nguyễn Văn An", "Hoàng Thị Cúc"])
    first = db.session.scalar(db.select(Award).where(Award.recipient_name == "Nguyễn Văn An"))
    records.void_award(first, "Trùng với quyết định khác")
    db.session.commit()
    auth = login(client, make)
    assert void_batch(client, auth, batch).status_code == 303
    db.session.expire_all()
    reasons = dict(db.session.execute(db.select(Award.recipient_name, Award.void_reason)).all())
    assert reasons == {"Nguyễn Văn An": "Trùng với quyết định khác",
                       "Hoàng Thị Cúc": "Nhập nhầm tệp của năm trước"}
    assert db.session.scalar(db.select(db.func.count(AwardHistory.id)).where(
        AwardHistory.action == "void")) == 2


def test_undoing_a_batch_needs_a_reason_and_keeps_the_batch_listed(client, make):
    batch = imported(["Nguyễn Văn An"])
    auth = login(client, make)
    response = void_batch(client, auth, batch, reason="  ")
    assert response.status_code == 422
    page = html.unescape(response.get_data(as_text=True))
    assert "Nhập lý do hủy" in page and listed_names(page) == ["Nguyễn Văn An"]
    assert len(live_awards()) == 1


def test_undoing_a_batch_needs_the_csrf_token(client, make):
    batch = imported(["Nguyễn Văn An"])
    login(client, make)
    response = client.post(f"/awards/batches/{batch.id}/void", data={"reason": "Nhầm"})
    assert response.status_code == 400
    assert len(live_awards()) == 1


def test_a_secretary_cannot_undo_a_batch_holding_another_organizations_awards(client, make):
    batch = imported(["Nguyễn Văn An"], organization="hoi-lhpn")
    insert(["Đặng Văn Bảo"], batch, organization="hoi-ccb", number="8/QĐ-MTTQ")
    auth = login(client, make, "thuky-pn", orgs=["hoi-lhpn"])
    page = text(client, f"/awards/?batch={batch.id}")
    assert listed_names(page) == ["Nguyễn Văn An"]
    assert "Hủy cả lần nhập này" not in page  # not offered
    response = void_batch(client, auth, batch)  # and refused when sent anyway
    assert response.status_code == 303
    assert len(live_awards()) == 2
    assert "không quản lý" in text(client, response.headers["Location"])
    assert db.session.scalar(db.select(db.func.count(AuditEntry.id)).where(
        AuditEntry.action == "award.void_batch")) == 0


def test_a_secretary_may_undo_a_batch_of_their_own_organizations(client, make):
    batch = imported(["Nguyễn Văn An", "Hoàng Thị Cúc"], organization="hoi-lhpn")
    auth = login(client, make, "thuky-pn", orgs=["hoi-lhpn"])
    assert "Hủy cả lần nhập này" in text(client, f"/awards/?batch={batch.id}")
    assert void_batch(client, auth, batch).status_code == 303
    assert live_awards() == []

