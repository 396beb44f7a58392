"""One person, one record: the awards of one recipient across spellings, likely matches, merging.

Decisions spell a name as it was written that day ("Nguyễn Thị Hòa", "Nguyễn Thị Hoà",
"NGUYỄN HÒA"). Folding (case and diacritics) already joins most spellings; what it cannot
join (a middle name left out, a typo) a secretary merges into one `Person`. Merging changes no
award: each keeps its own name as its decision wrote it, and records the merge in its history.
"""

import json
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import or_

from bulletin import audit
from bulletin.awards import queries, records
from bulletin.extensions import db
from bulletin.models import Award, Person, User
from bulletin.text import clean_line, fold

MAX_SUGGESTIONS = 20


class MergeError(ValueError):
    """A merge that cannot be done; the message is for the user."""


def scoped(stmt, allowed: set[int] | None):
    """Limit an award select to the organizations the account manages."""
    if allowed is not None:
        stmt = stmt.where(Award.organization_id.in_(sorted(allowed)))
    return stmt


def group_awards(recipient_type: str, name: str, allowed: set[int] | None) -> list[Award]:
    """Every award of one recipient: the name in any case or accents, and the merged ones."""
    awards = queries.recipient_awards(recipient_type, name, allowed)
    person_ids = sorted({a.person_id for a in awards if a.person_id})
    if person_ids:
        seen = {a.id for a in awards}
        awards += [a for a in person_awards(person_ids, allowed) if a.id not in seen]
    return sorted(awards, key=lambda a: (-a.year, a.name_sort_key, a.id))


def person_awards(person_ids: list[int], allowed: set[int] | None) -> list[Award]:
    """The awards merged into these people, in registry order."""
    stmt = scoped(db.select(Award).where(Award.person_id.in_(person_ids)), allowed)
    return list(db.session.scalars(queries.with_details(queries.in_registry_order(stmt))))


@dataclass
class Suggestion:
    """Another spelling that likely names the same person, and why."""

    name: str
    reason: str
    count: int = 0
    organizations: set[str] = field(default_factory=set)
    years: set[int] = field(default_factory=set)


def _words(name: str) -> list[str]:
    """A name's folded words."""
    return fold(clean_line(name)).split()


def likely_matches(awards: list[Award], allowed: set[int] | None) -> list[Suggestion]:
    """Other spellings of the same organization that likely name the same person.

    Same family and given name, and the same year of birth, or the same position (chức vụ),
    or a name that only adds or drops middle names ("Nguyễn Hòa" and "Nguyễn Thị Hòa"). Two
    different years of birth are two people, whatever else matches.
    """
    people = [a for a in awards if a.recipient_type == "individual"]
    if not people:
        return []
    own = {fold(a.recipient_name) for a in people}
    first = _words(people[0].recipient_name)
    if len(first) < 2:
        return []
    titles = {fold(a.recipient_title) for a in people if a.recipient_title}
    born = {a.birth_year for a in people if a.birth_year}
    merged = {a.person_id for a in people if a.person_id}
    escaped = first[0].replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    stmt = scoped(db.select(Award).where(
        Award.recipient_type == "individual",
        Award.organization_id.in_(sorted({a.organization_id for a in people})),
        Award.search_text.like(f"{escaped} %", escape="\\")), allowed)
    if merged:
        stmt = stmt.where(or_(Award.person_id.is_(None), Award.person_id.not_in(merged)))
    found: dict[str, Suggestion] = {}
    spellings: dict[str, Counter] = {}
    for award in db.session.scalars(queries.with_details(stmt.limit(2_000))):
        reason = _match_reason(award, own, first, titles, born)
        if reason:
            key = fold(award.recipient_name)
            suggestion = found.setdefault(key, Suggestion(award.recipient_name, reason))
            spellings.setdefault(key, Counter())[award.recipient_name] += 1
            suggestion.count += 1
            suggestion.organizations.add(award.organization.name)
            suggestion.years.add(award.year)
    for key, suggestion in found.items():
        suggestion.name = spellings[key].most_common(1)[0][0]
    return sorted(found.values(), key=lambda s: records.sort_key("individual", s.name)
                  )[:MAX_SUGGESTIONS]


def _match_reason(award: Award, own: set[str], first: list[str], titles: set[str],
                  born: set[int]) -> str:
    """Why an award's recipient may be the same person ("" when not)."""
    words = _words(award.recipient_name)
    if " ".join(words) in own or len(words) < 2 or (words[0], words[-1]) != (first[0],
                                                                             first[-1]):
        return ""
    if born and award.birth_year:
        return "birth_year" if award.birth_year in born else ""
    if award.recipient_title and fold(award.recipient_title) in titles:
        return "title"
    if set(words) <= set(first) or set(first) <= set(words):
        return "middle"
    return ""


def merge(recipient_type: str, names: list[str], user: User, allowed: set[int] | None
          ) -> Person:
    """Join the awards of several spellings into one person (the caller commits)."""
    awards: dict[int, Award] = {}
    groups = 0
    for name in dict.fromkeys(n for n in names if clean_line(n)):
        found = group_awards(recipient_type, name, allowed)
        groups += bool(found)
        awards.update((a.id, a) for a in found)
    people = {a.person_id for a in awards.values()}
    if groups < 2 or (len(people) == 1 and None not in people):
        raise MergeError("Chọn ít nhất hai cách viết tên chưa được gộp.")
    person = _keeper(recipient_type, list(awards.values()), user)
    for award in awards.values():
        records.join_person(award, person, user)
    audit.record("award.merge", "person", person.id, json.dumps(
        sorted({a.recipient_name for a in awards.values()}), ensure_ascii=False), user=user)
    return person


def _keeper(recipient_type: str, awards: list[Award], user: User) -> Person:
    """The person the awards join: the oldest one they already have, else a new one."""
    ids = sorted({a.person_id for a in awards if a.person_id})
    if ids:
        return db.session.get(Person, ids[0])
    newest = max(awards, key=lambda a: (a.year, a.id))
    person = Person(recipient_type=recipient_type, name=newest.recipient_name,
                    organization_id=newest.organization_id, created_by_id=user.id)
    db.session.add(person)
    db.session.flush()
    return person
