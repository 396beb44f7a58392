"""Searching the registry by a name (issue 18): `q` looks at names, positions and decision
numbers; "tìm trong mọi cột" (`all=1`) adds the achievement; names that match come first."""

import html
import re

import pytest

from bulletin.awards import records
from bulletin.extensions import db
from tests.test_awards_export import download, exported_ids, login_as


@pytest.fixture
def book(make):
    """Trần Thị Bình, and Trần Thúy Liên whose achievement holds "thi" and "binh"."""
    binh = make.award(name="Trần Thị Bình", organization="hoi-lhpn", year=2023,
                      achievement="Hoàn thành xuất sắc nhiệm vụ", number="9/QĐ-HPN")
    # A newer year and an achievement full of the searched words: in the registry's own
    # order she would come first.
    lien = make.award(name="Trần Thúy Liên", organization="hoi-ccb", year=2024,
                      achievement="Gương mẫu trong phong trào thi đua Cựu chiến binh",
                      number="20/QĐ-CCB", recipient_title="Chi hội trưởng khu Đồng Tâm")
    return binh, lien


@pytest.fixture
def secretary(make, auth, book):
    """A secretary of every organization, logged in."""
    login_as(make, auth)


def listed(client, query: str) -> list[str]:
    """The names `/awards/?query` lists, in its order."""
    page = client.get(f"/awards/?{query}").get_data(as_text=True)
    return [html.unescape(n) for n in re.findall(
        r'<td class="who">\s*<a href="/awards/\d+">(.*?)</a>', page)]


def test_a_name_search_does_not_match_other_peoples_achievements(client, secretary):
    assert listed(client, "q=tran+thi+binh") == ["Trần Thị Bình"]
    page = client.get("/awards/?q=tran+thi+binh").get_data(as_text=True)
    assert "1 khen thưởng" in page


def test_searching_every_column_finds_achievements_after_the_names(client, secretary):
    assert listed(client, "q=tran+thi+binh&all=1") == ["Trần Thị Bình", "Trần Thúy Liên"]
    assert listed(client, "q=cuu+chien+binh&all=1") == ["Trần Thúy Liên"]
    assert listed(client, "q=cuu+chien+binh") == []


def test_a_plain_search_still_finds_positions_and_decision_numbers(client, secretary):
    assert listed(client, "q=chi+hoi+truong") == ["Trần Thúy Liên"]
    assert listed(client, "q=dong+tam") == ["Trần Thúy Liên"]
    assert listed(client, "q=20/qđ-ccb") == ["Trần Thúy Liên"]
    assert listed(client, "q=9/QĐ-HPN") == ["Trần Thị Bình"]
    assert listed(client, "q=tran+ccb") == ["Trần Thúy Liên"]  # a name and a number


def test_name_matches_come_before_the_other_matches(client, make, secretary):
    # Matches the words by her title only; a newer year would put her first otherwise.
    make.award(name="Lê Văn Tám", year=2025, recipient_title="Trưởng ban Trần Bình")
    assert listed(client, "q=tran+binh")[0] == "Trần Thị Bình"
    assert set(listed(client, "q=tran+binh")) == {"Trần Thị Bình", "Lê Văn Tám"}


def test_the_filters_offer_the_box_and_links_keep_it(client, secretary):
    page = html.unescape(client.get("/awards/?q=binh&all=1").get_data(as_text=True))
    assert re.search(r'<input[^>]*checked[^>]*name="all"|<input[^>]*name="all"[^>]*checked',
                     page)
    assert "Tìm trong mọi cột" in page
    assert "/awards/export.xlsx?q=binh&all=1" in page
    plain = html.unescape(client.get("/awards/?q=binh").get_data(as_text=True))
    assert "all=1" not in plain and "/awards/export.csv?q=binh" in plain


@pytest.mark.parametrize("path", ["/awards/export.xlsx", "/awards/export.csv"])
def test_the_exports_search_as_the_list_does(client, secretary, book, path):
    binh, lien = book
    assert exported_ids(download(client, f"{path}?q=tran+thi+binh")) == {binh.id}
    assert exported_ids(download(client, f"{path}?q=tran+thi+binh&all=1")) == {binh.id,
                                                                              lien.id}


def test_staff_site_search_still_covers_achievements_names_first(client, secretary):
    page = html.unescape(client.get("/search?q=tran+thi+binh").get_data(as_text=True))
    section = page[page.index('class="search-awards"'):]
    assert section.index("Trần Thị Bình") < section.index("Trần Thúy Liên")
    assert "/awards/?q=tran+thi+binh&all=1" in section


def test_the_searched_name_follows_a_corrected_decision_number(client, secretary, book):
    binh, _lien = book
    assert listed(client, "q=9%2Fqd-hpn") == ["Trần Thị Bình"]
    values = records.check_decision(records.AwardValues(
        recipient_type="individual", recipient_name="", organization=None, kind=None,
        year=None, decision_number="12/QĐ-HPN", decision_date=binh.decision.signed_on,
        issuer=binh.decision.issuer, signer=binh.decision.signer))
    records.update_decision(binh.decision, values)
    db.session.commit()
    assert listed(client, "q=12%2Fqd-hpn") == ["Trần Thị Bình"]
    assert listed(client, "q=9%2Fqd-hpn") == []
