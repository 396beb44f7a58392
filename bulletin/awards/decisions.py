"""Decisions of the registry: a whole decision typed with its recipients, its page, its
corrections (number, date, signer, public flag, the post it belongs to).

The views only: reading, checking and saving a typed decision is `batches`' work.
"""

from types import SimpleNamespace

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import or_

from bulletin import audit
from bulletin.awards import batches, bp, issuers, proposals, queries, records
from bulletin.awards.forms import DecisionForm, NewDecisionForm, ScanForm, VoidForm, offer_levels
from bulletin.awards.labels import DECISION_TYPE_LABELS, RECIPIENT_LABELS, SIGNING_LABELS
from bulletin.awards.queries import PAGE_SIZE, annex_order
from bulletin.awards.scope import allowed_ids, can_edit, catalog_for, load_decision, visible_awards
from bulletin.extensions import db
from bulletin.models import Award, Decision, Post
from bulletin.pagination import page_number
from bulletin.permissions import can_use_registry, can_view_post, requires


def render_decision_form(form, decision: Decision | None, batch: batches.Batch | None = None,
                         status: int = 200):
    """Show the decision form (new: with its recipient rows)."""
    return render_template("awards/decision_form.html", form=form, decision=decision,
                           batch=batch), status


@bp.route("/awards/decisions/new", methods=["GET", "POST"])
@requires(can_use_registry)
def new_decision():
    """Record a whole decision and its recipients at once, all or nothing."""
    catalog = catalog_for()
    form = NewDecisionForm()
    if request.method == "POST" and form.add_rows.data:
        form.add_empty_rows()
        batches.fill_decision_form(form, catalog)
        offer_levels(form)
        return render_decision_form(form, None)
    batches.fill_decision_form(form, catalog)
    offer_levels(form)
    if request.method == "GET":
        form.year.data = str(records.today().year)
        if len(catalog.organizations) == 1:
            form.organization.data = catalog.organizations[0].slug
        return render_decision_form(form, None)
    if form.fill_rows.data:
        pasted = batches.fill_pasted_rows(form, catalog)
        flash(_("Đã điền %(n)s dòng từ danh sách dán vào. Kiểm tra lại rồi bấm lưu.",
                n=pasted.count), "info")
        if pasted.unknown:
            flash(_("Không thấy trong danh sách được chọn: %(names)s. Các dòng đó để “như "
                    "trên”; hãy chọn lại.", names=", ".join(pasted.unknown)), "warning")
        return render_decision_form(form, None)
    batch = batches.read_batch(form, catalog)
    if form.fill_amounts.data:
        batches.fill_suggested_amounts(form, batch)
        return render_decision_form(form, None, batch)
    if not batch.ok or form.check_rules.data:
        return render_decision_form(form, None, batch, 422 if not batch.ok else 200)
    decision = batches.save_batch(form, batch)
    proposals.link_decision(form.proposal.data, decision, batch)
    flash(_("Đã ghi quyết định %(number)s với %(n)s người được khen.",
            number=decision.number, n=len(batch.rows)), "success")
    warned = sum(1 for found in batch.warnings if found)
    if warned:
        flash(_("%(n)s dòng được ghi dù có cảnh báo; cảnh báo và ghi chú được giữ trong lịch "
                "sử từng khen thưởng.", n=warned), "warning")
    return redirect(url_for(".decision_detail", decision_id=decision.id), code=303)


@bp.get("/awards/decisions/")
@requires(can_use_registry)
def decision_list():
    """The decisions in the registry, newest first, with how many they commend."""
    allowed = allowed_ids()
    stmt = db.select(Decision)
    if allowed is not None:
        stmt = stmt.where(or_(Decision.awards.any(Award.organization_id.in_(sorted(allowed))),
                              Decision.created_by_id == current_user.id))
    number = page_number()
    rows = list(db.session.scalars(
        stmt.order_by(Decision.signed_on.desc(), Decision.id.desc())
        .offset((number - 1) * PAGE_SIZE).limit(PAGE_SIZE + 1)))
    if not rows and number > 1:
        abort(404)
    page = rows[:PAGE_SIZE]
    return render_template("awards/decisions.html", decisions=page, number=number,
                           has_next=len(rows) > PAGE_SIZE,
                           counts=queries.decision_counts([d.id for d in page], allowed))


@bp.get("/awards/decisions/<int:decision_id>")
@requires(can_use_registry)
def decision_detail(decision_id: int):
    """A decision: its fields, its recipients (collectives first) with totals, its post."""
    return render_decision_page(load_decision(decision_id), VoidForm())


def render_decision_page(decision: Decision, void_form: VoidForm, status: int = 200):
    """Show a decision's page."""
    awards = annex_order(visible_awards(decision))
    live = [a for a in awards if not a.is_voided]
    return render_template(
        "awards/decision.html", decision=decision, awards=awards,
        hidden=len(decision.awards) - len(awards), count=len(live),
        amount=sum(a.amount or 0 for a in live), labels=RECIPIENT_LABELS,
        post=readable_post(decision), can_edit=can_edit(decision), scan_form=ScanForm(),
        void_form=void_form, issuer_level=issuers.level_label(decision),
        signing=SIGNING_LABELS, decision_types=DECISION_TYPE_LABELS), status


def readable_post(decision: Decision) -> Post | None:
    """The decision's post, when the account may read it (a draft's title stays hidden)."""
    post = db.session.get(Post, decision.post_id) if decision.post_id else None
    return post if post is not None and can_view_post(current_user, post) else None


@bp.post("/awards/decisions/<int:decision_id>/void")
@requires(can_use_registry)
def void_decision(decision_id: int):
    """Void every live award of a decision with one reason (all of them must be yours)."""
    decision = load_decision(decision_id, for_edit=True)
    form = VoidForm()
    if not form.validate():
        return render_decision_page(decision, form, 422)
    live = [a for a in decision.awards if not a.is_voided]
    for award in live:
        records.void_award(award, form.reason.data)
    audit.record("decision.void", "decision", decision.id,
                 f"{decision.number}: {len(live)} – {form.reason.data}")
    db.session.commit()
    flash(_("Đã hủy %(n)s khen thưởng của quyết định. Các dòng vẫn được giữ trong sổ.",
            n=len(live)), "success")
    return redirect(url_for(".decision_detail", decision_id=decision.id), code=303)


def decision_data(decision: Decision) -> SimpleNamespace:
    """A decision as its form shows it."""
    return SimpleNamespace(
        decision_number=decision.number, decision_date=decision.signed_on.strftime("%d/%m/%Y"),
        issuer=decision.issuer, issuer_level=issuers.level_of(decision),
        signer=decision.signer, signer_title=decision.signer_title,
        subject=decision.subject, is_public=decision.is_public,
        signing_mode=decision.signing_mode, decision_type=decision.decision_type,
        campaign=decision.campaign, legal_grounds=decision.legal_grounds,
        post=str(decision.post_id) if decision.post_id else "")


@bp.route("/awards/decisions/<int:decision_id>/edit", methods=["GET", "POST"])
@requires(can_use_registry)
def edit_decision(decision_id: int):
    """Correct a decision's own fields and its public flag; its awards' history notes it."""
    decision = load_decision(decision_id, for_edit=True)
    form = DecisionForm(obj=None if request.method == "POST" else decision_data(decision))
    if request.method == "GET":
        offer_levels(form)
        return render_decision_form(form, decision)
    form_ok = form.validate()
    values = batches.check_decision_edit(form, decision)
    post = form.linked_post(current_user)
    if not form_ok or values.errors or form.post.errors:
        return render_decision_form(form, decision, status=422)
    changed = records.update_decision(decision, values, **batches.decision_extras(form, post))
    if changed:
        audit.record("decision.update", "decision", decision.id,
                     f"{decision.number}: {', '.join(changed)}")
        db.session.commit()
        flash(_("Đã lưu thay đổi của quyết định."), "success")
    else:
        flash(_("Không có gì thay đổi."), "info")
    return redirect(url_for(".decision_detail", decision_id=decision.id), code=303)
