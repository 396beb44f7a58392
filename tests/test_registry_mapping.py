"""A word of a book the catalogue does not know is mapped once in the dry run, for every row
holding it, and remembered for the next import (issue 18, item 3)."""

import html
import io
import re

import pytest
from openpyxl import Workbook

from bulletin.extensions import db
from bulletin.models import Award, ImportMapping
from tests.test_awards_export import confirm_fields, fate_counts, login_as, upload

HEADERS = ["Họ và tên", "Tổ chức", "Hình thức", "Năm thành tích", "Số quyết định",
           "Ngày quyết định", "Cơ quan quyết định"]


def book(rows: list[tuple[str, str, str]]) -> bytes:
    """A book of (name, organization, kind) rows."""
    made = Workbook()
    sheet = made.active
    sheet.append(HEADERS)
    for name, organization, kind in rows:
        sheet.append([name, organization, kind, 2025, "5/QĐ-HPN", "20/12/2025",
                      "Ban Chấp hành Hội LHPN xã Hội Hợp"])
    buffer = io.BytesIO()
    made.save(buffer)
    return buffer.getvalue()


ROWS = [("Lò Thị Hoa", "Chi hội PN thôn Đông", "GK Hội"), ("Hà Thị Lan", "Chi hội PN thôn Đông",
                                                            "GK Hội"),
        ("Bùi Thị Mai", "Hội LHPN", "GK Hội")]


def mapping_fields(page: str) -> dict:
    """The hidden fields of the dry run's mapping form."""
    form = re.search(r'<form[^>]*id="mapping-form".*?</form>', page, re.S)
    assert form, "the dry run offers no mapping"
    return dict(re.findall(r'name="(csrf_token|token)"[^>]*value="([^"]*)"', form.group(0)))


def selects(page: str) -> list[str]:
    """The names of the mapping selects."""
    return [html.unescape(n) for n in re.findall(r'<select[^>]*name="(map:[^"]+)"', page)]


@pytest.fixture
def secretary(make, auth):
    """A secretary of every organization, logged in."""
    login_as(make, auth)


def test_an_unknown_word_is_asked_once_for_every_row_holding_it(client, secretary):
    dry = upload(client, book(ROWS))
    page = dry.get_data(as_text=True)
    assert dry.status_code == 422 and fate_counts(page)["error"] == 3
    assert selects(page) == ["map:kind:gk hoi", "map:organization:chi hoi pn thon dong"]
    assert "(3 dòng)" in html.unescape(page) and "(2 dòng)" in html.unescape(page)
    again = client.post("/awards/import/confirm", data={
        **mapping_fields(page), "recheck": "1", "map:kind:gk hoi": "giay-khen",
        "map:organization:chi hoi pn thon dong": "hoi-lhpn"})
    checked = again.get_data(as_text=True)
    assert again.status_code == 200, re.findall(r'class="error">([^<]*)', checked)
    assert fate_counts(checked)["new"] == 3
    assert db.session.scalar(db.select(db.func.count(Award.id))) == 0
    done = client.post("/awards/import/confirm", data=confirm_fields(checked))
    assert done.status_code == 303
    kinds = {a.kind.slug for a in db.session.scalars(db.select(Award))}
    assert kinds == {"giay-khen"}


def test_a_mapped_word_is_known_to_the_next_import(client, secretary):
    page = upload(client, book(ROWS)).get_data(as_text=True)
    client.post("/awards/import/confirm", data={
        **mapping_fields(page), "recheck": "1", "map:kind:gk hoi": "giay-khen",
        "map:organization:chi hoi pn thon dong": "hoi-lhpn"})
    assert {(m.field, m.folded, m.value) for m in db.session.scalars(
        db.select(ImportMapping))} == {("kind", "gk hoi", "giay-khen"),
                                       ("organization", "chi hoi pn thon dong", "hoi-lhpn")}
    later = upload(client, book([("Đinh Thị Nga", "Chi hội PN thôn Đông", "GK hội")]))
    assert later.status_code == 200
    assert fate_counts(later.get_data(as_text=True))["new"] == 1


def test_a_word_left_unmapped_keeps_its_rows_in_error(client, secretary):
    page = upload(client, book(ROWS)).get_data(as_text=True)
    again = client.post("/awards/import/confirm", data={
        **mapping_fields(page), "recheck": "1", "map:kind:gk hoi": "giay-khen"})
    assert again.status_code == 422
    assert selects(again.get_data(as_text=True)) == ["map:organization:chi hoi pn thon dong"]


def test_a_scoped_secretary_maps_only_to_her_organizations(client, make, auth):
    login_as(make, auth, "ccb", orgs=("hoi-ccb",))
    page = upload(client, book([("Hà Văn Tùng", "Chi hội CCB thôn 1", "GK Hội")])
                  ).get_data(as_text=True)
    assert 'value="hoi-lhpn"' not in page.split('id="mapping-form"')[1].split("</form>")[0]
    client.post("/awards/import/confirm", data={
        **mapping_fields(page), "recheck": "1",
        "map:organization:chi hoi ccb thon 1": "hoi-lhpn"})
    assert db.session.scalar(db.select(db.func.count(ImportMapping.id))) == 0
