"""A recipient's page by folded name and, where given, year of birth (issue 18, item 6)."""

import pytest

from tests.test_award_people import namesakes
from tests.test_awards_export import add_award, login_as

PAGE = "/awards/recipient?type=individual&name=nguyen thi ha"


@pytest.fixture
def secretary(make, auth):
    """A secretary of every organization, logged in."""
    login_as(make, auth)


def test_a_year_of_birth_keeps_the_page_to_one_person(client, secretary):
    namesakes()
    page = client.get(f"{PAGE}&born=1999").get_data(as_text=True)
    assert "sinh năm 1999" in page
    assert "Lao động tiên tiến" in page and "Chiến sĩ thi đua cơ sở" not in page
    older = client.get(f"{PAGE}&born=1982").get_data(as_text=True)
    assert "Chiến sĩ thi đua cơ sở" in older and "Lao động tiên tiến" not in older


def test_without_a_year_namesakes_are_offered_one_by_one(client, secretary):
    namesakes()
    page = client.get(PAGE).get_data(as_text=True)
    assert "Có nhiều người trùng tên, khác năm sinh" in page
    assert "born=1982" in page and "born=1999" in page


def test_an_award_without_a_year_of_birth_may_be_either(client, secretary):
    namesakes()
    add_award("Nguyễn Thị Hà", organization="hoi-lhpn", year=2023, number="8/QĐ-HPN")
    page = client.get(f"{PAGE}&born=1999").get_data(as_text=True)
    assert "8/QĐ-HPN" in page


def test_the_award_page_links_its_recipient_with_the_year_of_birth(client, secretary):
    young, _older = namesakes()
    page = client.get(f"/awards/{young.id}").get_data(as_text=True)
    assert "born=1999" in page


def test_a_bad_year_is_ignored(client, secretary):
    namesakes()
    assert client.get(f"{PAGE}&born=abc").status_code == 200
