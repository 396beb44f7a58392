"""One person, one record, with the year of birth (issue 18): namesakes born in different
years are two people on a name's page, in likely matches and in merges; a merge joins only
the ticked awards, and a split moves ticked awards back, each with its history."""

import json
from datetime import date

import pytest

from bulletin.awards import records
from bulletin.extensions import db
from bulletin.models import Award, Person
from tests.test_awards_export import add_award, csrf, login_as

LOOKUP = "/awards/people/lookup?type=individual&name=Nguyễn Thị Hà"


@pytest.fixture
def secretary(make, auth):
    """A secretary of every organization, logged in."""
    login_as(make, auth)


def namesakes() -> tuple[Award, Award]:
    """The tester's case: Nguyễn Thị Hà born 1999 (Lao động tiên tiến 2025) and Nguyễn Thị
    Hà born 1982 (Chiến sĩ thi đua cơ sở 2025), both of the Women's Union."""
    young = add_award("Nguyễn Thị Hà", organization="hoi-lhpn", award_kind="lao-dong-tien-tien",
                      year=2025, number="3/QĐ-HPN", signed=date(2025, 12, 20), birth_year=1999)
    older = add_award("Nguyễn Thị Hà", organization="hoi-lhpn",
                      award_kind="chien-si-thi-dua-co-so", year=2025, number="4/QĐ-HPN",
                      signed=date(2025, 12, 22), birth_year=1982)
    return young, older


def thu_ha() -> tuple[Award, Award]:
    """Two awards of "Nguyễn Thị Thu Hà", no year of birth written: a likely match."""
    return tuple(add_award("Nguyễn Thị Thu Hà", organization="hoi-lhpn", year=year,
                           number=f"{year}/QĐ-HPN", signed=date(year, 12, 20))
                 for year in (2023, 2024))


def merge(client, own: list[Award], ticked: list[Award], born: int | None = None):
    """Press "Gộp thành một người" on a name's page with these awards ticked."""
    return client.post("/awards/people/merge", data={
        "csrf_token": csrf(client, "/awards/new"), "type": "individual",
        "name": "Nguyễn Thị Hà", "born": born or "", "own": [a.id for a in own],
        "award": [a.id for a in ticked]})


def split(client, person: Person, ticked: list[Award]):
    """Press "Tách khỏi hồ sơ" on a person's page with these awards ticked."""
    return client.post(f"/awards/people/{person.id}/split", data={
        "csrf_token": csrf(client, "/awards/new"), "award": [a.id for a in ticked]})


def person_of(award: Award) -> int | None:
    """The merged record an award belongs to now."""
    db.session.expire_all()
    return db.session.get(Award, award.id).person_id


def test_a_name_with_two_years_of_birth_is_two_people_on_its_page(client, secretary):
    namesakes()
    page = client.get(LOOKUP).get_data(as_text=True)
    assert "2 người khác nhau mang tên này" in page
    assert "sinh năm 1999" in page and "sinh năm 1982" in page
    one = client.get(LOOKUP + "&born=1982").get_data(as_text=True)
    assert "Chiến sĩ thi đua cơ sở" in one and "Lao động tiên tiến" not in one
    assert "sinh năm 1982" in one and "sinh năm 1999" not in one


def test_likely_matches_show_the_year_of_birth_and_never_the_namesake(client, secretary):
    namesakes()
    thu_ha()
    add_award("Nguyễn Thị Thu Hà", organization="hoi-lhpn", year=2022, number="7/QĐ-HPN",
              signed=date(2022, 12, 20), birth_year=1999)
    page = client.get(LOOKUP + "&born=1982").get_data(as_text=True)
    suggestions = page.split("Có thể cùng một người")[1].split("</form>")[0]
    assert "Nguyễn Thị Thu Hà" in suggestions and "chưa ghi năm sinh" in suggestions
    assert "sinh năm 1999" not in suggestions  # the Thu Hà born 1999 is somebody else
    assert suggestions.count('name="award"') == 2  # each of Thu Hà's two awards, to tick


def test_a_merge_moves_only_the_ticked_awards_and_never_the_namesake(client, secretary):
    young, older = namesakes()
    first, second = thu_ha()
    response = merge(client, [older], [first], born=1982)
    assert response.status_code == 303
    person = db.session.scalar(db.select(Person))
    assert response.headers["Location"].endswith(f"/awards/people/{person.id}")
    assert person_of(older) == person_of(first) == person.id
    assert person_of(young) is None  # the namesake born 1999 stays herself
    assert person_of(second) is None  # not ticked
    for award in (older, first):
        entry = db.session.get(Award, award.id).history[-1]
        assert entry.action == "merge"
    page = client.get(f"/awards/people/{person.id}").get_data(as_text=True)
    assert "sinh năm 1982" in page and "Lao động tiên tiến" not in page


def test_two_years_of_birth_are_never_merged(client, secretary):
    young, older = namesakes()
    response = merge(client, [older], [young], born=1982)
    assert response.status_code == 303
    assert db.session.scalar(db.select(db.func.count(Person.id))) == 0
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Khác năm sinh là hai người" in page


def test_a_split_moves_ticked_awards_back_with_history(client, secretary):
    _, older = namesakes()
    first, second = thu_ha()
    merge(client, [older], [first, second], born=1982)
    person = db.session.scalar(db.select(Person))
    page = client.get(f"/awards/people/{person.id}").get_data(as_text=True)
    assert f'action="/awards/people/{person.id}/split"' in page
    response = split(client, person, [second])
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/awards/people/{person.id}")
    assert person_of(second) is None and person_of(first) == person.id
    entry = db.session.get(Award, second.id).history[-1]
    assert entry.action == "split"
    assert json.loads(entry.changes)["person"] == [f"#{person.id} {person.name}", None]
    history = client.get(f"/awards/{second.id}").get_data(as_text=True)
    assert "Tách khỏi hồ sơ người" in history


def test_a_split_returns_an_award_to_the_record_it_left(client, secretary):
    _, older = namesakes()
    also = add_award("Nguyễn Hà", organization="hoi-lhpn", year=2021, number="9/QĐ-HPN",
                     signed=date(2021, 12, 20), birth_year=1982)
    first, second = thu_ha()
    merge(client, [older], [also], born=1982)
    hers = person_of(older)
    merge(client, [first], [second])
    earlier = person_of(second)
    assert earlier not in (None, hers)
    merge(client, [older], [second], born=1982)  # ticked away from its first record
    assert person_of(second) == hers and person_of(first) == earlier
    split(client, db.session.get(Person, hers), [second])
    assert person_of(second) == earlier and person_of(older) == hers


def test_a_person_merged_across_two_years_of_birth_shows_two_people(app, client, secretary):
    young, older = namesakes()
    with app.test_request_context():  # a merge made before years of birth were compared
        person = Person(recipient_type="individual", name="Nguyễn Thị Hà")
        db.session.add(person)
        db.session.flush()
        for award in (young, older):
            records.join_person(db.session.get(Award, award.id), person)
        db.session.commit()
        person_id = person.id
    page = client.get(f"/awards/people/{person_id}").get_data(as_text=True)
    assert "2 người khác nhau mang tên này" in page
    assert "sinh năm 1999" in page and "sinh năm 1982" in page


def test_a_secretary_cannot_move_another_organizations_awards(client, make, auth):
    login_as(make, auth, "thuky-pn", orgs=["hoi-lhpn"])
    _, older = namesakes()
    theirs = add_award("Nguyễn Thị Thu Hà", organization="mttq", year=2024,
                       number="8/QĐ-MTTQ", birth_year=1982)
    assert merge(client, [older], [theirs], born=1982).status_code == 403
    assert db.session.scalar(db.select(db.func.count(Person.id))) == 0
    mine, _ = thu_ha()
    merge(client, [older], [mine], born=1982)
    person = db.session.scalar(db.select(Person))
    records.join_person(db.session.get(Award, theirs.id), person)  # an admin's merge
    db.session.commit()
    assert split(client, person, [theirs]).status_code == 403
    assert person_of(theirs) == person.id
