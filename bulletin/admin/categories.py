"""Admin pages for the post categories: create, rename, reorder, archive (never delete)."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import func

from bulletin import audit
from bulletin.admin import bp
from bulletin.admin.forms import CategoryForm
from bulletin.extensions import db
from bulletin.forms import ConfirmForm
from bulletin.models import Category
from bulletin.organizations import change_slug, slug_owner
from bulletin.permissions import can_manage_structure, requires
from bulletin.site import site_changed
from bulletin.text import slugify


@bp.get("/admin/categories")
@requires(can_manage_structure)
def categories_list():
    """List every category in display order, archived ones marked."""
    categories = db.session.scalars(db.select(Category).order_by(Category.position,
                                                                 Category.id)).all()
    return render_template("admin/categories.html", categories=categories,
                           confirm=ConfirmForm())


@bp.route("/admin/categories/new", methods=["GET", "POST"])
@requires(can_manage_structure)
def new_category():
    """Create a category at the end of the list (or at the place given)."""
    form = CategoryForm()
    if form.validate_on_submit() and slug_is_free(form, None):
        last = db.session.scalar(db.select(func.max(Category.position))) or 0
        category = Category(name=form.name.data, slug=form.slug.data,
                            position=form.position.data if form.position.data is not None
                            else last + 1)
        db.session.add(category)
        db.session.flush()
        audit.record("category.create", "category", category.id,
                     f"{category.slug}: {category.name}")
        return saved(_("Đã tạo chuyên mục %(name)s.", name=category.name))
    return render_form(form, None)


def slug_is_free(form: CategoryForm, category: Category | None) -> bool:
    """Fill an empty slug from the name; refuse one another category uses or used."""
    if not form.slug.data:
        form.slug.data = slugify(form.name.data)[:80] or "chuyen-muc"
    owner = slug_owner(Category, form.slug.data)
    if owner is not None and owner is not category:
        form.slug.errors.append(_("Đường dẫn này đã (hoặc từng) được chuyên mục khác dùng."))
        return False
    return True


def saved(message: str):
    """Commit, tell the caches, flash and go back to the list."""
    db.session.commit()
    site_changed()
    flash(message, "success")
    return redirect(url_for(".categories_list"), code=303)


def render_form(form: CategoryForm, category: Category | None):
    """Render the shared create/edit page (422 after a refused POST)."""
    status = 422 if request.method == "POST" else 200
    return render_template("admin/category_form.html", form=form, category=category), status


@bp.route("/admin/categories/<int:category_id>/edit", methods=["GET", "POST"])
@requires(can_manage_structure)
def edit_category(category_id: int):
    """Rename, re-slug or reorder a category; an old slug keeps redirecting."""
    category = db.get_or_404(Category, category_id)
    data = {"name": category.name, "slug": category.slug, "position": category.position}
    form = CategoryForm(data=data if request.method == "GET" else None)
    if form.validate_on_submit() and slug_is_free(form, category):
        before = f"{category.slug}: {category.name}; {category.position}"
        category.name = form.name.data
        change_slug(category, form.slug.data)
        if form.position.data is not None:
            category.position = form.position.data
        after = f"{category.slug}: {category.name}; {category.position}"
        if before != after:
            audit.record("category.update", "category", category.id, f"{before} → {after}")
        return saved(_("Đã lưu chuyên mục %(name)s.", name=category.name))
    return render_form(form, category)


@bp.post("/admin/categories/<int:category_id>/archive")
@requires(can_manage_structure)
def archive_category(category_id: int):
    """Archive a category: it leaves the menus and the editor; its posts stay."""
    return set_archived(db.get_or_404(Category, category_id), True)


@bp.post("/admin/categories/<int:category_id>/restore")
@requires(can_manage_structure)
def restore_category(category_id: int):
    """Bring an archived category back into use."""
    return set_archived(db.get_or_404(Category, category_id), False)


def set_archived(category: Category, archived: bool):
    """Archive or restore after a confirmed POST, audit, commit."""
    if not ConfirmForm().validate_on_submit() or category.is_archived == archived:
        return redirect(url_for(".categories_list"), code=303)
    category.is_archived = archived
    action = "category.archive" if archived else "category.restore"
    audit.record(action, "category", category.id, f"{category.slug}: {category.name}")
    message = (_("Đã lưu trữ chuyên mục %(name)s.", name=category.name) if archived
               else _("Đã dùng lại chuyên mục %(name)s.", name=category.name))
    return saved(message)
