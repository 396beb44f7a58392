"""A person's page: every award across years and spellings, likely matches, merging and
splitting back. Namesakes born in different years are shown as different people."""

from types import SimpleNamespace

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from bulletin.awards import bp, people
from bulletin.awards.labels import RECIPIENT_LABELS
from bulletin.awards.scope import allowed_ids
from bulletin.extensions import db
from bulletin.forms import ConfirmForm
from bulletin.models import RECIPIENT_TYPES, Person
from bulletin.permissions import can_use_registry, requires
from bulletin.security import parse_int

MAX_TICKED = 500


def _record(identity: people.Identity, awards: list) -> SimpleNamespace:
    """One person's part of the page: their awards by year, spellings, likely matches."""
    years: dict[int, list] = {}
    for award in awards:
        years.setdefault(award.year, []).append(award)
    live = [a for a in awards if not a.is_voided]
    return SimpleNamespace(
        birth_year=identity.birth_year, awards=awards, years=years,
        spellings=sorted({a.recipient_name for a in awards}),
        suggestions=people.likely_matches(awards, allowed_ids()),
        count=len(live), amount=sum(a.amount or 0 for a in live))


def _page(name: str, recipient_type: str, records: list, person: Person | None):
    """Show each person found: their awards by year, spellings, likely matches."""
    return render_template(
        "awards/person.html", name=name, recipient_type=recipient_type, person=person,
        records=records, form=ConfirmForm(), labels=RECIPIENT_LABELS)


def _born() -> int | None:
    """The year of birth asked for (?born=YYYY), if any."""
    return parse_int(request.values.get("born"), 1000, 9999)


@bp.get("/awards/people/<int:person_id>")
@requires(can_use_registry)
def person_detail(person_id: int):
    """One person's record: all their awards across years, whatever the spelling."""
    person = db.get_or_404(Person, person_id)
    awards = people.person_awards([person.id], allowed_ids())
    if not awards:
        abort(404)  # nothing the account may see: do not tell the person exists
    records = [_record(group, group.awards) for group in people.identities(awards)]
    return _page(person.name, person.recipient_type, records, person)


@bp.get("/awards/people/lookup")
@requires(can_use_registry)
def person_lookup():
    """The people of a name, one per year of birth (?born= picks one); a merged one's record
    is their person page."""
    recipient_type = request.args.get("type", "")
    name = request.args.get("name", "")[:200].replace("\x00", "")
    found = people.name_records(recipient_type, name, allowed_ids(), _born())
    if len(found) == 1:
        merged = {a.person_id for a in found[0][1]}
        if len(merged) == 1 and None not in merged:
            return redirect(url_for(".person_detail", person_id=merged.pop()))
    return _page(name, recipient_type, [_record(g, awards) for g, awards in found], None)


def _ticked(field: str = "award") -> list[int]:
    """The award ids a form sends in `field` (the ticked ones by default)."""
    return [int(v) for v in request.form.getlist(field)[:MAX_TICKED]
            if v.isascii() and v.isdigit() and len(v) < 10]


@bp.post("/awards/people/merge")
@requires(can_use_registry)
def person_merge():
    """Merge the ticked awards into one person; every award and its history is kept."""
    form = ConfirmForm()
    recipient_type = request.form.get("type", "")
    names = [n[:200] for n in request.form.getlist("name")[:50]]
    if not form.validate_on_submit() or recipient_type not in RECIPIENT_TYPES:
        abort(400)
    try:
        person = people.merge(recipient_type, names, current_user, allowed_ids(),
                              _ticked(), _ticked("own"))
    except people.NotAllowed:
        abort(403)
    except people.MergeError as error:
        flash(str(error), "warning")
        return redirect(url_for(".person_lookup", type=recipient_type, name=names[0]
                                if names else "", born=_born()), code=303)
    db.session.commit()
    flash(_("Đã gộp thành một hồ sơ. Mọi khen thưởng và lịch sử của chúng được giữ nguyên."),
          "success")
    return redirect(url_for(".person_detail", person_id=person.id), code=303)


@bp.post("/awards/people/<int:person_id>/split")
@requires(can_use_registry)
def person_split(person_id: int):
    """Move the ticked awards out of a merged record, back where each was before its merge."""
    person = db.get_or_404(Person, person_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        moved = people.split(person, _ticked(), current_user, allowed_ids())
    except people.NotAllowed:
        abort(403)
    except people.MergeError as error:
        flash(str(error), "warning")
        return redirect(url_for(".person_detail", person_id=person.id), code=303)
    db.session.commit()
    flash(_("Đã tách %(n)s khen thưởng khỏi hồ sơ; lịch sử của chúng ghi lại việc tách.",
            n=len(moved)), "success")
    if people.person_awards([person.id], allowed_ids()):
        return redirect(url_for(".person_detail", person_id=person.id), code=303)
    first = moved[0]
    return redirect(url_for(".person_lookup", type=first.recipient_type,
                            name=first.recipient_name, born=first.birth_year), code=303)
