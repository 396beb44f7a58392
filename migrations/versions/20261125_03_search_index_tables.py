"""search index tables

Revision ID: 5e179a432dcb
Revises: 472243a0b80a
Create Date: 2026-11-25 13:49:14.242418

"""
from alembic import op
import sqlalchemy as sa

import bulletin.models.base


# revision identifiers, used by Alembic.
revision = '5e179a432dcb'
down_revision = '472243a0b80a'
branch_labels = None
depends_on = None


# The search index holds folded text (no diacritics, đ→d, lower case) written by
# bulletin/search.py. These tables are kept out of autogenerate (their names start with
# "search_"), so they are created here by hand, in each database's own dialect.


def upgrade():
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        op.execute(
            "CREATE VIRTUAL TABLE search_posts USING fts5("
            "title, summary, body, byline, files, "
            "tokenize = 'unicode61 remove_diacritics 2')"
        )
        op.execute("CREATE TABLE search_terms (term VARCHAR(60) PRIMARY KEY) WITHOUT ROWID")
    else:
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.execute(
            "CREATE TABLE search_posts ("
            "post_id INTEGER PRIMARY KEY REFERENCES posts (id) ON DELETE CASCADE, "
            "document TSVECTOR NOT NULL)"
        )
        op.execute("CREATE INDEX search_posts_document ON search_posts USING gin (document)")
        op.execute("CREATE TABLE search_terms (term VARCHAR(60) PRIMARY KEY)")
        op.execute(
            "CREATE INDEX search_terms_trgm ON search_terms USING gin (term gin_trgm_ops)"
        )


def downgrade():
    op.execute("DROP TABLE IF EXISTS search_terms")
    op.execute("DROP TABLE IF EXISTS search_posts")
