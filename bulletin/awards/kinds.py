"""The catalogue of award kinds (danh mục hình thức khen thưởng): admins only.

Kinds are data, not code: an admin adds the titles each organization gives. A kind is never
deleted, since awards refer to it; it is retired (inactive) and leaves the new-award form.
"""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import func

from bulletin import audit
from bulletin.awards import bp
from bulletin.awards.forms import CATEGORY_LABELS, RECIPIENT_LABELS, KindForm
from bulletin.extensions import db
from bulletin.models import RECIPIENT_TYPES, Award, AwardKind
from bulletin.permissions import can_manage_award_kinds, requires
from bulletin.text import slugify


@bp.get("/awards/kinds")
@requires(can_manage_award_kinds)
def kind_list():
    """Every kind in its order of honour, with how many awards use it."""
    kinds = db.session.scalars(db.select(AwardKind).order_by(AwardKind.position, AwardKind.id))
    used = dict(db.session.execute(
        db.select(Award.kind_id, func.count()).group_by(Award.kind_id)).all())
    return render_template("awards/kinds.html", kinds=list(kinds), used=used,
                           categories=CATEGORY_LABELS, labels=RECIPIENT_LABELS)


def slug_problem(slug: str, kind: AwardKind | None) -> str | None:
    """Why a slug cannot be used (malformed or taken), or None."""
    if not slug or slugify(slug) != slug:
        return _("Mã chỉ gồm chữ thường không dấu, số và gạch ngang, ví dụ giay-khen.")
    taken = db.session.scalar(db.select(AwardKind).where(AwardKind.slug == slug))
    if taken is not None and taken is not kind:
        return _("Mã này đã dùng cho “%(name)s”.", name=taken.name)
    return None


def apply(form: KindForm, kind: AwardKind) -> None:
    """Copy the form onto a kind."""
    kind.name = form.name.data
    kind.category = form.category.data
    kind.recipient_types = ",".join(t for t in RECIPIENT_TYPES if t in form.recipient_types.data)
    kind.is_yearly = bool(form.is_yearly.data)
    kind.is_active = bool(form.is_active.data)
    kind.position = form.position.data or 0


@bp.route("/awards/kinds/new", methods=["GET", "POST"])
@requires(can_manage_award_kinds)
def new_kind():
    """Add a kind to the catalogue."""
    form = KindForm()
    if request.method == "GET":
        form.recipient_types.data = list(RECIPIENT_TYPES)
        form.position.data = (db.session.scalar(db.select(func.max(AwardKind.position))) or 0) + 1
    if form.validate_on_submit():
        slug = form.slug.data or slugify(form.name.data)
        problem = slug_problem(slug, None)
        if problem is None:
            kind = AwardKind(slug=slug)
            apply(form, kind)
            db.session.add(kind)
            db.session.flush()
            audit.record("award_kind.create", "award_kind", kind.id, kind.name)
            db.session.commit()
            flash(_("Đã thêm “%(name)s” vào danh mục.", name=kind.name), "success")
            return redirect(url_for(".kind_list"), code=303)
        form.slug.errors.append(problem)
    status = 422 if request.method == "POST" else 200
    return render_template("awards/kind_form.html", form=form, kind=None), status


@bp.route("/awards/kinds/<int:kind_id>/edit", methods=["GET", "POST"])
@requires(can_manage_award_kinds)
def edit_kind(kind_id: int):
    """Rename, reorder, retire or bring back a kind (its code stays: exports use it)."""
    kind = db.get_or_404(AwardKind, kind_id)
    form = KindForm(obj=kind if request.method == "GET" else None)
    if request.method == "GET":
        form.recipient_types.data = kind.recipient_types.split(",")
    if form.validate_on_submit():
        apply(form, kind)
        audit.record("award_kind.update", "award_kind", kind.id, kind.name)
        db.session.commit()
        flash(_("Đã lưu “%(name)s”.", name=kind.name), "success")
        return redirect(url_for(".kind_list"), code=303)
    status = 422 if request.method == "POST" else 200
    return render_template("awards/kind_form.html", form=form, kind=kind), status
