"""records.py is the one writer of awards and their history: forms, import and demo alike."""

import json
import re
from datetime import date
from pathlib import Path

from bulletin.awards import records
from bulletin.extensions import db
from bulletin.models import Award, AwardHistory, Decision
from tests.factories import award_kind, org
from tests.test_awards import AWARD, LAST_YEAR, login, post_form

PACKAGE = Path(__file__).resolve().parent.parent / "bulletin"
# What writes an award or its history: only records.py may do it.
WRITES = re.compile(r"\bAwardHistory\(|AwardHistory\.__table__|\bAward\(|Award\.__table__"
                    r"|history\.append\(|is_voided\s*=\s*True|\baward\.\w+\s*=[^=]"
                    r"|setattr\(award\b|(?:insert|update|delete)\(Award\b")


def test_only_records_writes_awards_and_their_history():
    found = [f"{path.relative_to(PACKAGE)}:{number}: {line.strip()}"
             for path in sorted(PACKAGE.rglob("*.py"))
             if path.name != "records.py" and path.parent.name != "models"
             for number, line in enumerate(path.read_text().splitlines(), 1)
             if WRITES.search(line)]
    assert found == []


def values(name="Nguyễn Thị Hoa", **fields) -> records.AwardValues:
    """Checked values of one award of the Women's Union."""
    checked = records.check(records.AwardValues(
        recipient_type="individual", recipient_name=name, organization=org("hoi-lhpn"),
        kind=award_kind("giay-khen"), year=2024, decision_number="15/QĐ-HPN",
        decision_date=date(2024, 12, 20), issuer="Ban Chấp hành Hội LHPN",
        signer="Lê Thị Mai", recipient_title="Chi hội trưởng", achievement="Xuất sắc",
        amount=300_000, initiative="Sổ tay hội viên số", birth_year=1970, **fields))
    assert not checked.errors, checked.errors
    return checked


COMPARED = ("recipient_type", "recipient_name", "recipient_title", "birth_year",
            "name_sort_key", "search_text", "organization_id", "kind_id", "year",
            "achievement", "amount", "initiative", "is_voided", "void_reason", "source")


def test_insert_many_writes_what_create_award_writes(app):
    with app.test_request_context():
        typed = records.create_award(values(), note="Theo đề nghị của chi hội")
        db.session.flush()
        decision = typed.decision
        records.insert_many([records.NewAward(values(), decision, line_no=2,
                                              note="Theo đề nghị của chi hội")])
        db.session.commit()
        db.session.expire_all()
        first, second = db.session.scalars(db.select(Award).order_by(Award.id)).all()
        assert [getattr(first, c) for c in COMPARED] == [getattr(second, c) for c in COMPARED]
        assert second.decision_id == decision.id and second.line_no == 2
        assert [(h.action, json.loads(h.changes)) for h in first.history] == \
            [(h.action, json.loads(h.changes)) for h in second.history]


def test_insert_many_records_a_voided_award_with_its_void_entry(app):
    with app.test_request_context():
        decision = Decision(number="15/QĐ-HPN", signed_on=date(2024, 12, 20),
                            issuer="Ban Chấp hành Hội LHPN", signer="Lê Thị Mai")
        db.session.add(decision)
        db.session.flush()
        records.insert_many([records.NewAward(values(), decision, 1, void_reason="Nhầm người",
                                              notes={"import_batch": "7"})], source="import")
        db.session.commit()
        award = db.session.scalar(db.select(Award))
        assert (award.is_voided, award.void_reason, award.source) == (True, "Nhầm người",
                                                                      "import")
        entries = db.session.scalars(db.select(AwardHistory).order_by(AwardHistory.id)).all()
        assert [entry.action for entry in entries] == ["import", "void"]
        assert json.loads(entries[0].changes)["import_batch"] == [None, "7"]
        assert json.loads(entries[1].changes) == {"void_reason": [None, "Nhầm người"]}


def test_a_form_correction_of_the_initiative_is_one_entry_with_the_other_changes(
        client, auth, make):
    award = make.award(amount=200_000, organization="hoi-lhpn", year=LAST_YEAR)
    login(auth, make)
    data = {**AWARD, "recipient_title": "", "amount": "500.000",
            "decision_date": award.decision.signed_on.strftime("%d/%m/%Y"),
            "achievement": award.achievement, "initiative": "Mô hình tiết kiệm"}
    assert post_form(client, auth, f"/awards/{award.id}/edit", **data).status_code == 303
    db.session.expire_all()
    assert award.initiative == "Mô hình tiết kiệm"
    assert [entry.action for entry in award.history] == ["create", "update"]
    changes = json.loads(award.history[-1].changes)
    assert changes["amount"] == ["200000", "500000"]
    assert changes["initiative"] == ["", "Mô hình tiết kiệm"]
