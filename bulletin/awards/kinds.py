"""The catalogue of award kinds (danh mục hình thức khen thưởng): admins only.

Kinds are data, not code: an admin adds the titles each organization gives. A kind is never
deleted, since awards refer to it; it is retired (inactive) and leaves the new-award form.
"""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import func

from bulletin import audit
from bulletin.awards import bp
from bulletin.awards.forms import KindForm
from bulletin.awards.labels import CATEGORY_LABELS, RECIPIENT_LABELS
from bulletin.awards.rules import BODY_LABELS
from bulletin.extensions import db
from bulletin.models import RECIPIENT_TYPES, Award, AwardKind
from bulletin.organizations import top_level
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
                           categories=CATEGORY_LABELS, labels=RECIPIENT_LABELS,
                           bodies=BODY_LABELS, owners=dict(owner_choices()))


def owner_choices() -> list[tuple[str, str]]:
    """The top-level organizations a kind may belong to, as (slug, name)."""
    return [(org.slug, org.name) for org in top_level()]


def owner_slugs() -> set[str]:
    """The slugs a kind's owner may take."""
    return {slug for slug, _name in owner_choices()}


def kind_form(kind: AwardKind | None) -> KindForm:
    """The kind form with its owner choices, filled from the kind on GET."""
    form = KindForm(obj=kind if kind is not None and request.method == "GET" else None)
    form.owner.choices = [("", _("— Danh hiệu, hình thức của Nhà nước —")), *owner_choices()]
    if request.method == "GET" and kind is not None:
        form.recipient_types.data = kind.recipient_types.split(",")
        form.conferred_by.data = kind.conferring_bodies()
    return form


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
    kind.conferred_by = ",".join(c for c in BODY_LABELS if c in (form.conferred_by.data or []))
    kind.owner = form.owner.data if form.owner.data in owner_slugs() else ""
    kind.legal_basis = form.legal_basis.data or ""
    kind.is_active = bool(form.is_active.data)
    kind.position = form.position.data or 0


@bp.route("/awards/kinds/new", methods=["GET", "POST"])
@requires(can_manage_award_kinds)
def new_kind():
    """Add a kind to the catalogue."""
    form = kind_form(None)
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
    form = kind_form(kind)
    if form.validate_on_submit():
        apply(form, kind)
        audit.record("award_kind.update", "award_kind", kind.id, kind.name)
        db.session.commit()
        flash(_("Đã lưu “%(name)s”.", name=kind.name), "success")
        return redirect(url_for(".kind_list"), code=303)
    status = 422 if request.method == "POST" else 200
    return render_template("awards/kind_form.html", form=form, kind=kind), status
