"""One person, one record: the awards of one recipient across spellings, likely matches, merging.

Decisions spell a name as it was written that day ("Nguyễn Thị Hòa", "Nguyễn Thị Hoà",
"NGUYỄN HÒA"). Folding (case and diacritics) already joins most spellings; what it cannot
join (a middle name left out, a typo) a secretary merges into one `Person`. Merging changes no
award: each keeps its own name as its decision wrote it, and records the merge in its history.

The year of birth is part of who a person is: two namesakes born in different years are two
people, on a name's page, in likely matches and in merges. A merge joins only the awards the
secretary ticks, and a split (tách) moves ticked awards back where they were, with history.
"""

import json
from collections import Counter
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import or_

from bulletin import audit
from bulletin.awards import queries, records
from bulletin.extensions import db
from bulletin.models import Award, Person, User
from bulletin.text import clean_line, fold

MAX_SUGGESTIONS = 20


class MergeError(ValueError):
    """A merge or split that cannot be done; the message is for the user."""


class NotAllowed(MergeError):
    """An award the account may not move (another organization's, or none at all)."""


@dataclass
class Identity:
    """One person among a name's awards: their year of birth (None: not written)."""

    birth_year: int | None
    awards: list[Award]

    @property
    def person_ids(self) -> list[int]:
        """The merged records the awards already belong to."""
        return sorted({a.person_id for a in self.awards if a.person_id})


def identities(awards: list[Award]) -> list[Identity]:
    """A name's awards as the people they belong to, one per year of birth.

    Awards without a year of birth belong to the only year there is; when there are several
    they stand apart (they may be either person's).
    """
    years = sorted({a.birth_year for a in awards if a.birth_year})
    groups: dict[int | None, list[Award]] = {year: [] for year in years}
    for award in awards:
        key = award.birth_year or (years[0] if len(years) == 1 else None)
        groups.setdefault(key, []).append(award)
    return [Identity(year, groups[year])
            for year in sorted(groups, key=lambda y: (y is None, y or 0))]


def scoped(stmt, allowed: set[int] | None):
    """Limit an award select to the organizations the account manages."""
    if allowed is not None:
        stmt = stmt.where(Award.organization_id.in_(sorted(allowed)))
    return stmt


def group_awards(recipient_type: str, name: str, allowed: set[int] | None,
                 born: int | None = None) -> list[Award]:
    """Every award of one recipient: the name in any case or accents, and the merged ones.

    With `born`, only the namesake born that year (and the awards merged with theirs).
    """
    awards = queries.recipient_awards(recipient_type, name, allowed)
    if born is not None:
        awards = [a for group in identities(awards) if group.birth_year == born
                  for a in group.awards]
    return with_merged(awards, allowed)


def name_records(recipient_type: str, name: str, allowed: set[int] | None,
                 born: int | None = None) -> list[tuple[Identity, list[Award]]]:
    """The people of one name, one per year of birth (only `born`'s when given), each with
    their awards and those merged with them."""
    groups = identities(queries.recipient_awards(recipient_type, name, allowed))
    return [(group, with_merged(group.awards, allowed)) for group in groups
            if born is None or group.birth_year == born]


def with_merged(awards: list[Award], allowed: set[int] | None) -> list[Award]:
    """These awards and the others merged into the same people, in a record's order."""
    person_ids = sorted({a.person_id for a in awards if a.person_id})
    if person_ids:
        seen = {a.id for a in awards}
        awards = awards + [a for a in person_awards(person_ids, allowed) if a.id not in seen]
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
    birth_year: int | None = None
    count: int = 0
    organizations: set[str] = field(default_factory=set)
    years: set[int] = field(default_factory=set)
    awards: list[Award] = field(default_factory=list)


def _words(name: str) -> list[str]:
    """A name's folded words."""
    return fold(clean_line(name)).split()


def likely_matches(awards: list[Award], allowed: set[int] | None) -> list[Suggestion]:
    """Other spellings of the same organization that likely name the same person.

    Same family and given name, and the same year of birth, or the same position (chức vụ),
    or a name that only adds or drops middle names ("Nguyễn Hòa" and "Nguyễn Thị Hòa"). Two
    different years of birth are two people, whatever else matches: a spelling is suggested
    once per year of birth, with the awards a merge may tick.
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
    found: dict[tuple, Suggestion] = {}
    spellings: dict[tuple, Counter] = {}
    for award in db.session.scalars(queries.with_details(stmt.limit(2_000))):
        reason = _match_reason(award, own, first, titles, born)
        if reason:
            key = (fold(award.recipient_name), award.birth_year)
            suggestion = found.setdefault(key, Suggestion(award.recipient_name, reason,
                                                          award.birth_year))
            spellings.setdefault(key, Counter())[award.recipient_name] += 1
            suggestion.count += 1
            suggestion.organizations.add(award.organization.name)
            suggestion.years.add(award.year)
            suggestion.awards.append(award)
    for key, suggestion in found.items():
        suggestion.name = spellings[key].most_common(1)[0][0]
    return sorted(found.values(), key=lambda s: (records.sort_key("individual", s.name),
                                                  s.birth_year or 0))[:MAX_SUGGESTIONS]


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


def chosen_awards(recipient_type: str, award_ids: list[int], allowed: set[int] | None
                  ) -> list[Award]:
    """The ticked awards, every one of them the account's to move (else NotAllowed)."""
    ids = sorted(set(award_ids))
    found = list(db.session.scalars(queries.with_details(
        db.select(Award).where(Award.id.in_(ids))))) if ids else []
    if len(found) != len(ids) or any(
            a.recipient_type != recipient_type or (allowed is not None
                                                   and a.organization_id not in allowed)
            for a in found):
        raise NotAllowed(_("Có khen thưởng không thuộc tổ chức bạn quản lý."))
    return found


def merge(recipient_type: str, names: list[str], user: User, allowed: set[int] | None,
          award_ids: list[int] | None = None, own_ids: list[int] = ()) -> Person:
    """Join the ticked awards to the record's own ones (`own_ids`), into one person; a form
    that ticks no award but names spellings joins those spellings' awards.

    Awards of two different years of birth are two people's: they are never joined. The
    caller commits.
    """
    if award_ids or own_ids:
        if not award_ids:
            raise MergeError(_("Đánh dấu ít nhất một khen thưởng để gộp."))
        awards = chosen_awards(recipient_type, [*own_ids, *award_ids], allowed)
    else:
        awards = _spelling_awards(recipient_type, names, allowed)
    people = {a.person_id for a in awards}
    if len(awards) < 2 or (len(people) == 1 and None not in people):
        raise MergeError(_("Chọn ít nhất hai khen thưởng chưa được gộp."))
    kept = sorted({a.person_id for a in awards if a.person_id})
    others = person_awards(kept[:1], None) if kept else []
    born = {a.birth_year for a in awards + others if a.birth_year}
    if len(born) > 1:
        raise MergeError(_("Khác năm sinh là hai người: không gộp được."))
    person = _keeper(recipient_type, awards, user)
    for award in awards:
        records.join_person(award, person, user)
    audit.record("award.merge", "person", person.id, json.dumps(
        sorted({a.recipient_name for a in awards}), ensure_ascii=False), user=user)
    return person


def _spelling_awards(recipient_type: str, names: list[str], allowed: set[int] | None
                     ) -> list[Award]:
    """Every award of several spellings, for a merge by names; fewer than two spellings
    found is no merge."""
    awards: dict[int, Award] = {}
    groups = 0
    for name in dict.fromkeys(n for n in names if clean_line(n)):
        found = group_awards(recipient_type, name, allowed)
        groups += bool(found)
        awards.update((a.id, a) for a in found)
    return list(awards.values()) if groups >= 2 else []


def split(person: Person, award_ids: list[int], user: User, allowed: set[int] | None
          ) -> list[Award]:
    """Move the ticked awards out of a merged record, back to the record (or the bare name)
    each had before its merge; their history notes it (the caller commits)."""
    awards = chosen_awards(person.recipient_type, award_ids, allowed)
    if not awards or any(a.person_id != person.id for a in awards):
        raise MergeError(_("Chọn các khen thưởng của hồ sơ này để tách."))
    for award in awards:
        records.leave_person(award, _previous_person(award, person), user)
    audit.record("award.split", "person", person.id, json.dumps(
        sorted(a.id for a in awards)), user=user)
    return awards


def _previous_person(award: Award, person: Person) -> Person | None:
    """The record an award belonged to before it was merged into `person` (None: none)."""
    for entry in reversed(award.history):
        if entry.action != "merge":
            continue
        before, after = json.loads(entry.changes or "{}").get("person", [None, ""])
        if str(after).startswith(f"#{person.id} ") or after == f"#{person.id}":
            previous = _person_id(before)
            return db.session.get(Person, previous) if previous not in (None,
                                                                         person.id) else None
    return None


def _person_id(label: str | None) -> int | None:
    """The id in a history label "#12 Nguyễn Thị Hà" (None when blank)."""
    head = (label or "").split(" ", 1)[0].lstrip("#")
    return int(head) if head.isdigit() else None


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
