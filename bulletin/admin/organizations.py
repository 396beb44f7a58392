"""Admin pages for organizations and branches: create, rename, reorder, re-parent, archive.

Nothing is ever deleted (posts, awards and accounts refer to organizations); an archived one
drops out of menus and selects, and its pages stay readable. A changed slug keeps redirecting.
"""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import func

from bulletin import audit
from bulletin.admin import bp
from bulletin.admin.forms import OrganizationForm
from bulletin.extensions import db
from bulletin.forms import ConfirmForm
from bulletin.models import Organization
from bulletin.organizations import all_organizations, change_slug, descendants, slug_owner
from bulletin.permissions import can_manage_structure, requires
from bulletin.site import site_changed
from bulletin.text import slugify


@bp.get("/admin/organizations")
@requires(can_manage_structure)
def organizations_list():
    """List every organization with its branches, archived ones marked."""
    return render_template("admin/organizations.html", orgs=all_organizations(),
                           confirm=ConfirmForm())


def parent_options(form: OrganizationForm, org: Organization | None) -> None:
    """Offer as parents the organizations in use, never `org` or one of its branches."""
    excluded = descendants(org) | {org.id} if org else set()
    rows = [o for o in all_organizations() if o.id not in excluded and not o.is_archived]
    form.parent.set_options(rows, _("— Tổ chức cấp trên (không thuộc tổ chức nào) —"))


@bp.route("/admin/organizations/new", methods=["GET", "POST"])
@requires(can_manage_structure)
def new_organization():
    """Create an organization or branch."""
    form = OrganizationForm()
    parent_options(form, None)
    if form.validate_on_submit() and slug_is_free(form, None):
        org = Organization(name=form.name.data, short_name=form.short_name.data,
                           slug=form.slug.data, description=form.description.data or "")
        apply_place(form, org)
        db.session.add(org)
        db.session.flush()
        audit.record("organization.create", "organization", org.id, f"{org.slug}: {org.name}")
        db.session.commit()
        site_changed()
        flash(_("Đã tạo tổ chức %(name)s.", name=org.name), "success")
        return redirect(url_for(".organizations_list"), code=303)
    return render_form(form, None)


def slug_is_free(form: OrganizationForm, org: Organization | None) -> bool:
    """Fill an empty slug from the short name; refuse one another organization uses."""
    if not form.slug.data:
        form.slug.data = slugify(form.short_name.data or form.name.data)[:80] or "to-chuc"
    owner = slug_owner(Organization, form.slug.data)
    if owner is not None and owner is not org:
        form.slug.errors.append(_("Đường dẫn này đã (hoặc từng) được tổ chức khác dùng."))
        return False
    return True


def apply_place(form: OrganizationForm, org: Organization) -> None:
    """Set the parent and the display order (the end of its level when left empty)."""
    parent = db.session.scalar(
        db.select(Organization).where(Organization.slug == form.parent.data)
    ) if form.parent.data else None
    if form.position.data is not None:
        org.position = form.position.data
    elif org.id is None:
        level = (Organization.parent_id == parent.id if parent
                 else Organization.parent_id.is_(None))
        last = db.session.scalar(db.select(func.max(Organization.position)).where(level))
        org.position = (last or 0) + 1
    with db.session.no_autoflush:
        org.parent = parent


def render_form(form: OrganizationForm, org: Organization | None):
    """Render the shared create/edit page (422 after a refused POST)."""
    status = 422 if request.method == "POST" else 200
    return render_template("admin/organization_form.html", form=form, org=org), status


@bp.route("/admin/organizations/<int:org_id>/edit", methods=["GET", "POST"])
@requires(can_manage_structure)
def edit_organization(org_id: int):
    """Rename, re-slug, move or reorder an organization."""
    org = db.get_or_404(Organization, org_id)
    form = OrganizationForm(data=org_data(org) if request.method == "GET" else None)
    parent_options(form, org)
    if form.validate_on_submit() and slug_is_free(form, org):
        before = describe(org)
        org.name, org.short_name = form.name.data, form.short_name.data
        org.description = form.description.data or ""
        change_slug(org, form.slug.data)
        apply_place(form, org)
        if describe(org) != before:
            audit.record("organization.update", "organization", org.id,
                         f"{before} → {describe(org)}")
        db.session.commit()
        site_changed()
        flash(_("Đã lưu tổ chức %(name)s.", name=org.name), "success")
        return redirect(url_for(".organizations_list"), code=303)
    return render_form(form, org)


def org_data(org: Organization) -> dict:
    """Return the edit form's starting values."""
    return {"name": org.name, "short_name": org.short_name, "slug": org.slug,
            "parent": org.parent.slug if org.parent else "", "position": org.position,
            "description": org.description}


def describe(org: Organization) -> str:
    """One line naming an organization's slug, names, parent and place, for the audit log."""
    parent = org.parent.slug if org.parent else "-"
    return f"{org.slug}: {org.name} ({org.short_name}); {parent}; {org.position}"


@bp.post("/admin/organizations/<int:org_id>/archive")
@requires(can_manage_structure)
def archive_organization(org_id: int):
    """Archive an organization without branches in use; its posts and awards stay."""
    org = db.get_or_404(Organization, org_id)
    if ConfirmForm().validate_on_submit():
        if any(not branch.is_archived for branch in org.branches):
            flash(_("Hãy lưu trữ các chi hội, chi đoàn trực thuộc %(name)s trước.",
                    name=org.name), "error")
        elif not org.is_archived:
            set_archived(org, True)
            flash(_("Đã lưu trữ %(name)s: không còn trong menu và danh sách chọn; bài viết "
                    "và khen thưởng vẫn giữ nguyên.", name=org.name), "success")
    return redirect(url_for(".organizations_list"), code=303)


@bp.post("/admin/organizations/<int:org_id>/restore")
@requires(can_manage_structure)
def restore_organization(org_id: int):
    """Bring an archived organization back into use (its parent must be in use)."""
    org = db.get_or_404(Organization, org_id)
    if ConfirmForm().validate_on_submit() and org.is_archived:
        if org.parent and org.parent.is_archived:
            flash(_("Hãy dùng lại tổ chức cấp trên %(name)s trước.", name=org.parent.name),
                  "error")
        else:
            set_archived(org, False)
            flash(_("Đã dùng lại %(name)s.", name=org.name), "success")
    return redirect(url_for(".organizations_list"), code=303)


def set_archived(org: Organization, archived: bool) -> None:
    """Archive or restore, audit and commit."""
    org.is_archived = archived
    action = "organization.archive" if archived else "organization.restore"
    audit.record(action, "organization", org.id, f"{org.slug}: {org.name}")
    db.session.commit()
    site_changed()
