"""A person's page: every award across years and spellings, likely matches, and merging."""

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


def _page(name: str, recipient_type: str, awards: list, person: Person | None):
    """Show a recipient's awards by year, the spellings found, and likely matches."""
    years: dict[int, list] = {}
    for award in awards:
        years.setdefault(award.year, []).append(award)
    live = [a for a in awards if not a.is_voided]
    return render_template(
        "awards/person.html", name=name, recipient_type=recipient_type, person=person,
        years=years, spellings=sorted({a.recipient_name for a in awards}),
        suggestions=people.likely_matches(awards, allowed_ids()), form=ConfirmForm(),
        labels=RECIPIENT_LABELS, count=len(live), amount=sum(a.amount or 0 for a in live))


@bp.get("/awards/people/<int:person_id>")
@requires(can_use_registry)
def person_detail(person_id: int):
    """One person's record: all their awards across years, whatever the spelling."""
    person = db.get_or_404(Person, person_id)
    awards = people.person_awards([person.id], allowed_ids())
    if not awards:
        abort(404)  # nothing the account may see: do not tell the person exists
    return _page(person.name, person.recipient_type, awards, person)


@bp.get("/awards/people/lookup")
@requires(can_use_registry)
def person_lookup():
    """The record of a recipient named so: their person page once merged, else this name's."""
    recipient_type = request.args.get("type", "")
    name = request.args.get("name", "")[:200].replace("\x00", "")
    awards = people.group_awards(recipient_type, name, allowed_ids())
    merged = sorted({a.person_id for a in awards if a.person_id})
    if len(merged) == 1 and all(a.person_id for a in awards):
        return redirect(url_for(".person_detail", person_id=merged[0]))
    return _page(name, recipient_type, awards, None)


@bp.post("/awards/people/merge")
@requires(can_use_registry)
def person_merge():
    """Merge the chosen spellings into one person; every award and its history is kept."""
    form = ConfirmForm()
    recipient_type = request.form.get("type", "")
    names = [n[:200] for n in request.form.getlist("name")[:50]]
    if not form.validate_on_submit() or recipient_type not in RECIPIENT_TYPES:
        abort(400)
    try:
        person = people.merge(recipient_type, names, current_user, allowed_ids())
    except people.MergeError:
        flash(_("Chọn ít nhất một cách viết tên khác để gộp."), "warning")
        return redirect(url_for(".person_lookup", type=recipient_type, name=names[0]
                                if names else ""), code=303)
    db.session.commit()
    flash(_("Đã gộp thành một hồ sơ. Mọi khen thưởng và lịch sử của chúng được giữ nguyên."),
          "success")
    return redirect(url_for(".person_detail", person_id=person.id), code=303)
