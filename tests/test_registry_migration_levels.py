"""Migration 20261206_17: the standard authority rules written without a level get the
issuing bodies' levels; an admin's own rows are left alone, and a downgrade puts them back."""

import sqlite3

import pytest
from flask_migrate import downgrade, upgrade

from bulletin import create_app, standard_rules
from bulletin.database import MIGRATIONS_DIR

LAW = "Luật Thi đua, khen thưởng số 06/2022/QH15, Điều 80"


def flask_db(app, command: str, revision: str = "head") -> None:
    """Upgrade or downgrade the app's database to `revision`."""
    with app.app_context():
        (upgrade if command == "upgrade" else downgrade)(directory=MIGRATIONS_DIR,
                                                         revision=revision)


@pytest.mark.slow
def test_the_standard_rows_move_to_levels_and_back(tmp_path):
    path = tmp_path / "old.db"
    app = create_app({"DATABASE_URL": f"sqlite:///{path}", "AUTO_MIGRATE": False,
                      "UPLOAD_DIR": str(tmp_path / "uploads")})
    flask_db(app, "upgrade", "5c0a9e3d71b4")
    with sqlite3.connect(path) as con:
        for slug in ("giay-khen", "bang-khen", "lao-dong-tien-tien"):
            con.execute("INSERT INTO award_kinds (slug, name, category, recipient_types, "
                        "is_yearly, is_active, position, conferred_by, owner, legal_basis) "
                        "VALUES (?, ?, 'award_form', 'individual', 0, 1, 0, '', '', '')",
                        (slug, slug))
        ids = dict(con.execute("SELECT slug, id FROM award_kinds").fetchall())
        rows = ((ids["giay-khen"], standard_rules.OLD_AUTHORITIES["giay-khen"], LAW),
                (ids["bang-khen"], standard_rules.OLD_AUTHORITIES["bang-khen"], LAW),
                (ids["bang-khen"], "province_chair,front_committee", "Quy định riêng của tỉnh"),
                (ids["lao-dong-tien-tien"], "commune_chair,district_chair", LAW + " khoản 3"))
        for kind_id, bodies, basis in rows:
            con.execute("INSERT INTO award_rules (kind_id, rule_type, valid_from, legal_basis, "
                        "years, needs_initiative, bodies, recipient_type) VALUES "
                        "(?, 'authority', '2024-01-01', ?, 1, 0, ?, '')", (kind_id, basis, bodies))
    flask_db(app, "upgrade")
    with sqlite3.connect(path) as con:
        after = con.execute("SELECT bodies FROM award_rules ORDER BY id").fetchall()
    by_slug = {slug: bodies for slug, bodies, *_rest in standard_rules.AUTHORITIES}
    assert [b for (b,) in after] == [by_slug["giay-khen"], by_slug["bang-khen"],
                                     "province_chair,front_committee",
                                     "commune_chair,district_chair"]
    flask_db(app, "downgrade", "5c0a9e3d71b4")
    with sqlite3.connect(path) as con:
        back = con.execute("SELECT bodies, legal_basis FROM award_rules ORDER BY id").fetchall()
    assert back[0] == (standard_rules.OLD_AUTHORITIES["giay-khen"], LAW)
    assert back[1] == (standard_rules.OLD_AUTHORITIES["bang-khen"], LAW)
