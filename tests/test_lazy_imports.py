"""A worker serving pages, the feed among them, never loads Alembic or openpyxl (together
about 18 MB of its memory), nor lxml, cryptography or segno (about 10 MB more), which only a
two-factor step, a backup or the enrolment page need; nor Pillow, nh3 or the demo's content
(about 4.5 MB), which only an upload, a saved post or `seed-demo` need; nor Babel's CLDR data
(5 MB), since the board writes its numbers itself."""

import os
import subprocess
import sys
import textwrap

from alembic.script import ScriptDirectory

from bulletin import database
from bulletin.database import MIGRATIONS_DIR

HEAVY = ("alembic", "flask_migrate", "mako", "openpyxl", "cryptography", "lxml",
         "segno", "PIL", "nh3", "bulletin.demo.seed", "bulletin.demo.content")

WORKER = textwrap.dedent("""
    import sys
    from bulletin import create_app

    app = create_app({"TESTING": True})
    client = app.test_client()
    for path in ("/healthz", "/", "/honour-roll", "/login", "/feed.atom"):
        assert client.get(path).status_code == 200, path
    from babel import localedata
    from bulletin.i18n import format_filesize

    for lang in ("vi", "en"):  # a file size, as a post's attachment shows it
        with app.test_request_context("/", headers={"Cookie": "lang=" + lang}):
            assert format_filesize(2_516_582) in ("2,4 MB", "2.4 MB")
    print(sorted(localedata._cache))  # CLDR locales loaded
    print(sorted(name for name in sys.argv[1:] if name in sys.modules))
""")


def test_the_newest_migrations_read_from_the_files_are_alembics_heads():
    assert database.code_heads() == set(ScriptDirectory(MIGRATIONS_DIR).get_heads())


def test_a_worker_on_a_current_database_serves_pages_without_alembic_or_openpyxl(
        app, database_url, tmp_path):
    env = {**os.environ, "DATABASE_URL": database_url, "UPLOAD_DIR": str(tmp_path),
           "SECRET_KEY": app.config["SECRET_KEY"]}
    done = subprocess.run([sys.executable, "-c", WORKER, *HEAVY], env=env, cwd=tmp_path,
                          capture_output=True, text=True, check=True, timeout=120)
    assert done.stdout.strip().splitlines()[-2:] == ["[]", "[]"]


def test_flask_db_still_answers_on_the_command_line(app, database_url, tmp_path):
    env = {**os.environ, "DATABASE_URL": database_url, "UPLOAD_DIR": str(tmp_path),
           "SECRET_KEY": app.config["SECRET_KEY"]}
    flask = os.path.join(os.path.dirname(sys.executable), "flask")
    done = subprocess.run([flask, "--app", "app", "db", "current"], env=env, capture_output=True,
                          text=True, check=True, timeout=120,
                          cwd=os.path.dirname(MIGRATIONS_DIR))
    assert "(head)" in done.stdout
