"""Language: Vietnamese by default, English through the footer's switch; formats; the catalog.

The English catalog is committed (messages.pot, en/LC_MESSAGES/messages.po and the compiled
messages.mo), so a fresh clone works without a build step. After adding or changing a string
marked for translation, run from the project root:

    .venv/bin/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k N_ \
        --ignore-dirs ".* __pycache__" -o bulletin/translations/messages.pot .
    .venv/bin/pybabel update -i bulletin/translations/messages.pot -d bulletin/translations \
        --no-fuzzy-matching --ignore-obsolete
    # translate every empty msgstr in bulletin/translations/en/LC_MESSAGES/messages.po
    .venv/bin/pybabel compile -d bulletin/translations

`--ignore-dirs` matters: by default Babel skips directories whose names start with "_", which
would leave out templates/_macros/. The last tests below fail, with these commands, when the
catalog lags behind the code.
"""

import fnmatch
import html
import re
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po
from flask_babel import force_locale

from bulletin.i18n import format_date, format_number

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "bulletin" / "translations"
POT = TRANSLATIONS / "messages.pot"
PO = TRANSLATIONS / "en" / "LC_MESSAGES" / "messages.po"
MO = TRANSLATIONS / "en" / "LC_MESSAGES" / "messages.mo"
EXTRACT_ARGS = ["extract", "-F", "babel.cfg", "-k", "_l", "-k", "lazy_gettext", "-k", "N_",
                "--ignore-dirs", ".* __pycache__"]
HOW_TO_UPDATE = """
Update the catalog, from the project root:
    .venv/bin/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k N_ \\
        --ignore-dirs ".* __pycache__" -o bulletin/translations/messages.pot .
    .venv/bin/pybabel update -i bulletin/translations/messages.pot -d bulletin/translations \\
        --no-fuzzy-matching --ignore-obsolete
    (translate every empty msgstr in bulletin/translations/en/LC_MESSAGES/messages.po)
    .venv/bin/pybabel compile -d bulletin/translations
(see "Translations" in README.md)"""
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


# --- Helpers --------------------------------------------------------------------------

def page(client, path: str) -> str:
    """GET a page and return its HTML, checking it was served."""
    response = client.get(path)
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


def html_lang(text: str) -> str:
    """The language the page declares on <html>."""
    return re.search(r"<html lang=\"([^\"]*)\"", text).group(1)


def footer_switch(text: str) -> dict:
    """The fields of the footer's language switch, as the browser would post them."""
    form = re.search(r'<form action="/lang" method="post"[^>]*>(.*?)</form>', text, re.S)
    assert form, "the footer has no language switch"
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form.group(1)))
    button = re.search(r'<button type="submit" name="lang" value="(\w+)"', form.group(1))
    return {**{k: html.unescape(v) for k, v in fields.items()}, "lang": button.group(1)}


def switch_language(client, path: str = "/") -> str:
    """Press the footer's language button on `path`; return the language chosen."""
    fields = footer_switch(page(client, path))
    response = client.post("/lang", data=fields)
    assert response.status_code == 303
    assert response.headers["Location"].endswith(path)
    return fields["lang"]


def stored_catalog(path: Path):
    """Read a committed .po or .pot file."""
    with path.open("rb") as handle:
        return read_po(handle)


def is_translated(message) -> bool:
    """Whether every form of a message has a non-empty, non-fuzzy translation."""
    forms = message.string if isinstance(message.string, tuple) else (message.string,)
    return bool(forms) and all(forms) and not message.fuzzy


# --- Choosing the language ------------------------------------------------------------

def test_the_board_speaks_vietnamese_by_default(client, make):
    """No cookie, even a browser asking for English: Vietnamese, and a button for English."""
    make.post(title="Hội nghị tổng kết năm")
    text = client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"}).get_data(as_text=True)
    assert html_lang(text) == "vi"
    for phrase in ("Trang chủ", "Đăng nhập", "Thống kê truy cập", "Tin mới"):
        assert phrase in text
    assert footer_switch(text)["lang"] == "en"
    assert 'lang="en">English</button>' in text


def test_the_language_switch_makes_every_page_english(client, make):
    """The footer's button (with its CSRF token) remembers English in a cookie."""
    post = make.post(title="Hội nghị tổng kết năm")
    assert switch_language(client, "/login") == "en"
    assert client.get_cookie("lang").value == "en"

    home = page(client, "/")
    assert html_lang(home) == "en"
    for phrase in ("Bulletin board", "Home", "Log in", "Visit statistics", "Latest news",
                   "Search posts…", "Fatherland Front and mass organizations"):
        assert phrase in home
    for phrase in ("Trang chủ", "Đăng nhập", "Thống kê truy cập", "Tin mới"):
        assert phrase not in home
    assert 'lang="vi">Tiếng Việt</button>' in home

    login = page(client, "/login")
    assert html_lang(login) == "en"
    for phrase in ("Staff login", "Username", "Password", "Keep me logged in",
                   "Accounts are issued by the administrator."):
        assert phrase in login
    assert "Tên đăng nhập" not in login

    detail = page(client, f"/posts/{post.id}/{post.slug}")
    assert html_lang(detail) == "en"
    assert "Hội nghị tổng kết năm" in detail  # content stays as written
    for phrase in (">Print<", 'aria-label="Previous and next posts"',
                   'aria-label="More information"'):
        assert phrase in detail
    assert "In bài" not in detail


def test_switching_back_to_vietnamese(client):
    """The English page offers "Tiếng Việt", which brings Vietnamese back."""
    switch_language(client)
    assert switch_language(client) == "vi"
    text = page(client, "/")
    assert html_lang(text) == "vi"
    assert "Trang chủ" in text


def test_an_unknown_language_changes_nothing(client):
    """Only the configured languages are remembered; a forged cookie falls back to Vietnamese."""
    fields = {**footer_switch(page(client, "/")), "lang": "fr"}
    assert client.post("/lang", data=fields).status_code == 303
    assert client.get_cookie("lang") is None
    client.set_cookie("lang", "xx")
    assert html_lang(page(client, "/")) == "vi"


def test_form_errors_follow_the_language(client, make):
    """Field errors and the wrong-password message come from the catalog, in each language."""
    make.user("hoa", role="editor", orgs=["hoi-lhpn"])

    def post_login(username, password):
        login_form = page(client, "/login")
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', login_form).group(1)
        response = client.post("/login", data={"username": username, "password": password,
                                               "csrf_token": token})
        return response.get_data(as_text=True)

    vietnamese = post_login("", "")
    assert "Nhập tên đăng nhập." in vietnamese and "Nhập mật khẩu." in vietnamese

    switch_language(client, "/login")
    english = post_login("", "")
    assert html_lang(english) == "en"
    assert "Enter your username." in english and "Enter your password." in english
    assert "Nhập tên đăng nhập." not in english
    assert "Incorrect username or password." in post_login("hoa", "not-the-password")


def test_a_missing_csrf_token_is_explained_in_english(client):
    """The error page of a stale form is translated too."""
    switch_language(client)
    response = client.post("/login", data={"username": "hoa", "password": "x"})
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert "Session expired" in text and "Please reload the page" in text


# --- Dates and numbers ----------------------------------------------------------------

def test_post_dates_are_dd_mm_yyyy_in_vietnam_time(client, make):
    """18:30 UTC on 5 January is 01:30 on 6 January in Vietnam: 06/01/2026."""
    post = make.post(title="Đại hội Hội LHPN",
                     published_at=datetime(2026, 1, 5, 18, 30, tzinfo=UTC))
    path = f"/posts/{post.id}/{post.slug}"
    vietnamese = page(client, path)
    assert '<time datetime="2026-01-06T01:30:00+07:00">06/01/2026</time>' in vietnamese
    assert "05/01/2026" not in vietnamese

    switch_language(client, path)
    assert '<time datetime="2026-01-06T01:30:00+07:00">06 Jan 2026</time>' in page(client, path)


def test_the_visit_widget_groups_thousands_by_language(client, monkeypatch):
    """1.234.567 in Vietnamese, 1,234,567 in English."""
    figures = {"online": 12, "today": 1234, "week": 56789, "total": 1234567}
    monkeypatch.setattr("bulletin.visits.web.current_stats", lambda: figures)
    vietnamese = page(client, "/")
    assert '<dd data-stat="total">1.234.567</dd>' in vietnamese
    assert '<dd data-stat="week">56.789</dd>' in vietnamese

    switch_language(client)
    english = page(client, "/")
    assert '<dd data-stat="total">1,234,567</dd>' in english
    assert '<dd data-stat="today">1,234</dd>' in english
    assert "Total visits" in english


def test_format_number_and_format_date_directly(app):
    """The filters themselves, in each locale."""
    with app.test_request_context("/"):
        with force_locale("vi"):
            assert format_number(1234567) == "1.234.567"
            assert format_number(2.5) == "2,5"
            assert format_date(datetime(2026, 11, 24, 20, 0, tzinfo=UTC)) == "25/11/2026"
        with force_locale("en"):
            assert format_number(1234567) == "1,234,567"
            assert format_number(2.5) == "2.5"
            assert format_date(datetime(2026, 11, 24, 20, 0, tzinfo=UTC)) == "25 Nov 2026"



@pytest.mark.parametrize("locale", ["vi", "en"])
def test_numbers_are_written_as_babels_cldr_data_writes_them(app, locale):
    """The board writes numbers itself (Babel's formatter loads 5 MB of CLDR data into each
    worker); what it writes is what Babel writes, ties, signs and large values included."""
    from babel.numbers import format_decimal

    values = [0, -0.0, 0.0004999, 0.0005, 0.0015, 2.0005, 2.4, 2.5, 20.0, 1 / 3, -1234.5,
              1234567.891, 123456789012.3456, 1e20, 1e-7, 999.9995, -7, 10**12]
    with app.test_request_context("/"), force_locale(locale):
        for value in values:
            assert format_number(value) == format_decimal(value, locale=locale), value
        # Where Babel itself gives up (its quantize overflows from about 1e25), the board
        # still writes the number.
        group = "." if locale == "vi" else ","
        assert format_number(1e25) == "10" + (group + "000") * 8
        assert format_number(-1.5e300) == "-1" + group + "5" + "00" + (group + "000") * 99


# --- The catalog is complete and compiled ---------------------------------------------

@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """The messages marked in the code today, extracted afresh like the documented command."""
    output = tmp_path_factory.mktemp("i18n") / "messages.pot"
    result = subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", *EXTRACT_ARGS, "-o", str(output), "."],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stderr
    return stored_catalog(output)


def test_extraction_finds_every_kind_of_marked_string(extracted):
    """Plurals, lazy strings, Python and templates (macros included) are all extracted."""
    ids = {m.id for m in extracted if m.id}
    assert ("%(num)d phút trước", "%(num)d phút trước") in ids  # ngettext
    assert "Trường này là bắt buộc." in ids  # lazy_gettext as _l (bulletin/forms.py)
    assert "Thống kê truy cập" in ids  # templates/_macros/layout.html
    assert "Đăng nhập cho cán bộ" in ids  # a template
    assert len(ids) > 400


def test_every_message_has_an_english_translation(extracted):
    """Each marked string has a non-empty, non-fuzzy English msgstr in the committed .po."""
    catalog = stored_catalog(PO)
    missing = []
    for message in extracted:
        if not message.id:
            continue
        found = catalog.get(message.id, context=message.context)
        if found is None or found.id != message.id or not is_translated(found):
            missing.append(message.id if isinstance(message.id, str) else message.id[0])
    assert not missing, (
        f"{len(missing)} message(s) have no English translation in {PO.relative_to(ROOT)}:\n  "
        + "\n  ".join(missing[:30]) + "\n" + HOW_TO_UPDATE
    )


def test_translations_keep_placeholders_and_plural_forms():
    """%(name)s placeholders survive translation; plurals have English's two forms."""
    catalog = stored_catalog(PO)
    assert catalog.num_plurals == 2
    wrong = []
    for message in catalog:
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            if len(message.string) != 2:
                wrong.append(message.id[0])
                continue
            pairs = zip(message.id, message.string, strict=True)
        else:
            pairs = [(message.id, message.string)]
        for source, english in pairs:
            if sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(english or "")):
                wrong.append(source)
    assert not wrong, "placeholders differ from the Vietnamese in:\n  " + "\n  ".join(wrong)


def test_the_committed_template_is_current(extracted):
    """messages.pot lists exactly the strings marked in the code."""
    committed = {m.id for m in stored_catalog(POT) if m.id}
    fresh = {m.id for m in extracted if m.id}
    assert committed == fresh, (
        f"{POT.relative_to(ROOT)} is out of date "
        f"({len(fresh - committed)} new, {len(committed - fresh)} gone).\n" + HOW_TO_UPDATE
    )


def test_the_committed_mo_is_compiled_from_the_committed_po(tmp_path):
    """messages.mo holds exactly what compiling messages.po gives (it is not stale)."""
    assert MO.exists(), f"{MO.relative_to(ROOT)} is missing.\n" + HOW_TO_UPDATE
    fresh = tmp_path / "messages.mo"
    with fresh.open("wb") as handle:
        write_mo(handle, stored_catalog(PO))

    def messages(path: Path) -> dict:
        def key(value):
            return tuple(value) if isinstance(value, list) else value
        with path.open("rb") as handle:
            return {key(m.id): key(m.string) for m in read_mo(handle) if m.id}

    assert messages(MO) == messages(fresh), (
        f"{MO.relative_to(ROOT)} does not match {PO.relative_to(ROOT)}.\n" + HOW_TO_UPDATE
    )


def test_the_compiled_catalog_is_not_ignored_by_git():
    """A fresh clone must have the .mo: no .gitignore pattern may match it."""
    relative = str(MO.relative_to(ROOT))
    patterns = [line.strip() for line in (ROOT / ".gitignore").read_text().splitlines()
                if line.strip() and not line.startswith("#")]
    matching = [p for p in patterns
                if fnmatch.fnmatch(MO.name, p) or fnmatch.fnmatch(relative, p.lstrip("/"))]
    assert not matching, f".gitignore ignores {relative}: {matching}"
