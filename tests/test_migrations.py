"""The migration files: their names sort in the order they run, and the newest ones read
without Alembic are the ones Alembic finds."""

import re
import shutil
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory

from bulletin import database
from bulletin.database import MIGRATIONS_DIR

VERSIONS = Path(MIGRATIONS_DIR, "versions")
# 20261201_07_post_views.py: the day it was written, its place in the chain, what it does.
FILE_NAME = re.compile(r"\d{8}_(\d{2})_[a-z0-9_]+\.py")


def chain_from_base(script: ScriptDirectory) -> list[str]:
    """The file names in the order the migrations run, found by following down_revision."""
    children: dict[str | None, list] = {}
    for revision in script.walk_revisions():
        children.setdefault(revision.down_revision, []).append(revision)
    chain, parent = [], None
    while parent in children:
        assert len(children[parent]) == 1, f"{parent} has several children: a branch"
        revision = children[parent][0]
        chain.append(Path(revision.path).name)
        parent = revision.revision
    return chain


def test_migration_files_sort_in_the_order_they_run():
    names = sorted(path.name for path in VERSIONS.glob("*.py"))
    assert names == chain_from_base(ScriptDirectory(MIGRATIONS_DIR))


def test_migration_files_are_numbered_one_after_another():
    names = sorted(path.name for path in VERSIONS.glob("*.py"))
    bad = [name for name in names if not FILE_NAME.fullmatch(name)]
    assert not bad, "name a migration YYYYMMDD_NN_what_it_does.py, NN the next number"
    assert [int(FILE_NAME.fullmatch(name)[1]) for name in names] == list(
        range(1, len(names) + 1))


def migration(revision: str, down_revision: str) -> str:
    """A migration file in the form `flask db migrate` writes, doing nothing."""
    return (f'"""{revision}"""\nrevision = {revision!r}\ndown_revision = {down_revision}\n'
            "branch_labels = None\ndepends_on = None\n\n\n"
            "def upgrade():\n    pass\n\n\ndef downgrade():\n    pass\n")


NEWER = {  # extra files next to this code's migrations, and the heads they make
    "these migrations": ({}, None),
    "two branches": ({"20991231_90_a.py": migration("aaaa00000001", "HEAD"),
                      "20991231_91_b.py": migration("bbbb00000002", "HEAD")},
                     {"aaaa00000001", "bbbb00000002"}),
    "a revision after the newest": ({"20991231_90_a.py": migration("aaaa00000001", "HEAD")},
                                    {"aaaa00000001"}),
}


@pytest.mark.parametrize("case", NEWER)
def test_heads_read_without_alembic_are_alembics_heads(case, tmp_path, monkeypatch):
    extra, expected = NEWER[case]
    shutil.copytree(VERSIONS, tmp_path / "versions",
                    ignore=shutil.ignore_patterns("__pycache__"))
    (head,) = ScriptDirectory(MIGRATIONS_DIR).get_heads()
    for name, text in extra.items():
        (tmp_path / "versions" / name).write_text(text.replace("HEAD", repr(head)))
    monkeypatch.setattr(database, "MIGRATIONS_DIR", str(tmp_path))
    alembic_heads = set(ScriptDirectory(str(tmp_path)).get_heads())
    assert database.code_heads() == alembic_heads == (expected or {head})


def test_a_merge_migration_leaves_the_heads_to_alembic(tmp_path, monkeypatch):
    shutil.copytree(VERSIONS, tmp_path / "versions",
                    ignore=shutil.ignore_patterns("__pycache__"))
    (head,) = ScriptDirectory(MIGRATIONS_DIR).get_heads()
    versions = tmp_path / "versions"
    (versions / "20991231_90_a.py").write_text(migration("aaaa00000001", repr(head)))
    (versions / "20991231_91_b.py").write_text(migration("bbbb00000002", repr(head)))
    (versions / "20991231_92_merge.py").write_text(
        migration("cccc00000003", "('aaaa00000001', 'bbbb00000002')"))
    monkeypatch.setattr(database, "MIGRATIONS_DIR", str(tmp_path))
    assert set(ScriptDirectory(str(tmp_path)).get_heads()) == {"cccc00000003"}
    assert database.code_heads() is None  # not the plain form: schema_is_current asks Alembic
