"""who confers, by level: the standard authority rules name the issuing body's level

The first standard rules said "front_committee" and "association" without a level, so a
commune's Front committee passed for a Bằng khen. Rows that still hold exactly the standard
bodies of their kind (an admin's own rows are left alone; the old codes keep meaning "any
level") get the levels of bulletin.standard_rules. Data only: no table changes.

Revision ID: dadd06600d33
Revises: 5c0a9e3d71b4
Create Date: 2026-12-06 04:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = 'dadd06600d33'
down_revision = '5c0a9e3d71b4'
branch_labels = None
depends_on = None

LAW = "Luật Thi đua, khen thưởng số 06/2022/QH15"
ORG_RULES = "quy chế khen thưởng của Mặt trận Tổ quốc và các đoàn thể"
COMMUNE = ("commune_chair,district_chair,commune_front,district_front,commune_association,"
           "district_association,province_association")
UPPER = ("province_chair,central,province_front,central_front,province_association,"
         "central_association")
OLD_COMMUNE = "commune_chair,district_chair,front_committee,association"
OLD_UPPER = "province_chair,central,front_committee,association"
# (kind slug, bodies before, bodies after)
CHANGES = (("giay-khen", OLD_COMMUNE, COMMUNE), ("bang-khen", OLD_UPPER, UPPER),
           ("co-thi-dua", OLD_UPPER, UPPER))
OLD_BASIS = f"{LAW}, Điều 80"
NEW_BASIS = f"{LAW}, Điều 80; {ORG_RULES}"

rules = sa.table('award_rules', sa.column('id', sa.Integer), sa.column('kind_id', sa.Integer),
                 sa.column('rule_type', sa.String), sa.column('bodies', sa.String),
                 sa.column('legal_basis', sa.Text))
kinds = sa.table('award_kinds', sa.column('id', sa.Integer), sa.column('slug', sa.String))


def _move(before_index: int, after_index: int, basis_from: str, basis_to: str) -> None:
    """Rewrite the standard rows from one set of bodies to the other."""
    bind = op.get_bind()
    for change in CHANGES:
        kind_id = bind.execute(sa.select(kinds.c.id).where(kinds.c.slug == change[0])).scalar()
        if kind_id is None:
            continue
        bind.execute(rules.update().where(
            rules.c.kind_id == kind_id, rules.c.rule_type == 'authority',
            rules.c.bodies == change[before_index], rules.c.legal_basis == basis_from,
        ).values(bodies=change[after_index], legal_basis=basis_to))


def upgrade():
    _move(1, 2, OLD_BASIS, NEW_BASIS)


def downgrade():
    _move(2, 1, NEW_BASIS, OLD_BASIS)
