"""Staff editing of posts: write, edit, publish, schedule, pin, archive; revisions; lists."""

from flask import abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from bulletin import audit
from bulletin.extensions import db
from bulletin.forms import ConfirmForm
from bulletin.i18n import format_datetime
from bulletin.models import Category, Organization, Post, PostRevision, utcnow
from bulletin.pagination import capped_page, page_number
from bulletin.permissions import can_edit_post, can_write_for, writable_organizations
from bulletin.posts import bp, saving
from bulletin.posts import revisions as revision_words
from bulletin.posts.forms import EditPostForm, PostForm
from bulletin.posts.pending import Pending
from bulletin.text import slugify

MANAGE_TABS = ("all", "draft", "scheduled", "published", "archived")
# A line costs about 0.15 ms to draw (three links, a form): 30 keep the desk at a fifth of
# /healthz or better on a board of a million posts (scripts/bench_http.py).
MANAGE_PAGE_SIZE = 30
SCHEDULED_SHOWN = 20  # the desk's "waiting to be published" box; the tab lists them all


def require_writer() -> list[Organization]:
    """Return the organizations the user may write for; 403 when there are none."""
    orgs = writable_organizations(current_user)
    if not orgs:
        abort(403)
    return orgs


def set_choices(form: PostForm, orgs: list[Organization]) -> None:
    """Fill the organization and category selects."""
    form.organization.set_options(orgs, _("— Chọn tổ chức —"))
    # An archived category is offered only to a post already in it.
    in_use = db.or_(Category.is_archived.is_(False), Category.slug == (form.category.data or ""))
    categories = db.session.scalars(db.select(Category).where(in_use)
                                    .order_by(Category.position)).all()
    form.category.set_options(categories, _("— Không chọn —"))


def load_editable(post_id: int) -> Post:
    """Load a post the user may edit: 404 if missing, 403 if not theirs to edit."""
    post = db.get_or_404(Post, post_id)
    if not can_edit_post(current_user, post):
        abort(403)
    return post


@bp.route("/posts/new", methods=["GET", "POST"])
@login_required
def new():
    """Write a new post for one of the user's organizations."""
    orgs = require_writer()
    form = PostForm()
    set_choices(form, orgs)
    if request.method == "GET" and len(orgs) == 1:
        form.organization.data = orgs[0].slug
    if request.method == "POST":
        post = Post()
        if saving.save(form, post, Pending.load(form.pending_uploads.data)):
            return _saved(post, created=True)
        return render_template("posts/form.html", form=form, post=None), 422
    return render_template("posts/form.html", form=form, post=None)


@bp.route("/posts/<int:post_id>/edit", methods=["GET", "POST"])
@login_required
def edit(post_id: int):
    """Edit a post: text, state, photos, files."""
    post = load_editable(post_id)
    form = EditPostForm(obj=None if request.method == "POST" else saving.form_data(post))
    set_choices(form, _choices_for(post))
    if request.method == "POST":
        if saving.save(form, post, Pending.load(form.pending_uploads.data)):
            return _saved(post, created=False)
        return render_template("posts/form.html", form=form, post=post), 422
    return render_template("posts/form.html", form=form, post=post)


def _choices_for(post: Post) -> list[Organization]:
    """The user's organizations, plus the post's own (an admin may have moved it)."""
    orgs = writable_organizations(current_user)
    if post.organization not in orgs:
        orgs = [post.organization, *orgs]
    return orgs


def _saved(post: Post, created: bool):
    """Flash what happened and go to the post's page."""
    if post.status == "published" and post.published_at and post.published_at > utcnow():
        flash(_("Đã lưu. Bài sẽ tự đăng lúc đã hẹn."), "success")
    elif post.status == "published":
        flash(_("Đã đăng bài.") if created else _("Đã lưu thay đổi."), "success")
    else:
        flash(_("Đã lưu bài (chưa đăng)."), "success")
    target = url_for("posts.detail", post_id=post.id, slug=post.slug)
    if sent_by_script():
        # The editor's script sent the form itself (to show each photo's progress): it goes
        # to the post's page on its own, so the flash is still there to be shown.
        return jsonify(location=target)
    return redirect(target, code=303)


def sent_by_script() -> bool:
    """True when the editor's script, not the browser's plain form, sent this request."""
    return request.headers.get("X-Requested-With") == "XMLHttpRequest"



@bp.post("/posts/<int:post_id>/archive")
@login_required
def archive(post_id: int):
    """Take a post down: it is archived, never destroyed."""
    post = load_editable(post_id)
    if post.status != "archived":
        post.status = "archived"
        saving.add_revision(post)
        audit.record("post.archive", "post", post.id, post.title)
        db.session.commit()
    flash(_("Đã gỡ bài xuống (lưu trữ). Có thể đăng lại bất cứ lúc nào."), "info")
    return redirect(url_for("posts.manage"), code=303)


@bp.get("/posts/<int:post_id>/revisions")
@login_required
def revisions(post_id: int):
    """List the saved versions of a post, each with what it changed in words."""
    post = load_editable(post_id)
    ordered = list(post.revisions)  # newest first
    rows = [(rev, revision_words.summary(rev, ordered[i + 1] if i + 1 < len(ordered) else None))
            for i, rev in enumerate(ordered)]
    return render_template("posts/revisions.html", post=post, rows=rows,
                           status_word=revision_words.status_word)


def _revision_of(post: Post, revision_id: int) -> PostRevision:
    """Load one revision of this post, or 404."""
    rev = db.get_or_404(PostRevision, revision_id)
    if rev.post_id != post.id:
        abort(404)
    return rev


@bp.get("/posts/<int:post_id>/revisions/<int:revision_id>")
@login_required
def revision(post_id: int, revision_id: int):
    """Show one earlier version of a post: what it changed, and a button to restore it."""
    post = load_editable(post_id)
    rev = _revision_of(post, revision_id)
    previous = revision_words.previous_of(post, rev)
    return render_template(
        "posts/revision.html", post=post, revision=rev, previous=previous,
        changes=revision_words.changed_fields(rev, previous),
        photo_changes=revision_words.photo_changes(rev, previous),
        body_rows=revision_words.body_diff(previous.body if previous else "", rev.body),
        can_restore=revision_words.differs_from_post(rev, post), form=ConfirmForm(),
        status_word=revision_words.status_word)


@bp.post("/posts/<int:post_id>/revisions/<int:revision_id>/restore")
@login_required
def restore_revision(post_id: int, revision_id: int):
    """Put an earlier version's text back; the restore is itself saved as a new version."""
    post = load_editable(post_id)
    rev = _revision_of(post, revision_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    revision_words.restore(post, rev)
    post.slug = slugify(post.title)
    saving.add_revision(post)
    audit.record("post.edit", "post", post.id, post.title)
    db.session.commit()
    flash(_("Đã khôi phục phiên bản lưu lúc %(t)s. Việc khôi phục được lưu thành một phiên "
            "bản mới; ảnh và trạng thái của bài giữ nguyên.", t=format_datetime(rev.created_at)),
          "success")
    return redirect(url_for("posts.edit", post_id=post.id), code=303)


@bp.get("/posts/manage")
@login_required
def manage():
    """The editor's desk: posts of their organizations by state, "mine" first-class."""
    orgs = require_writer()
    tab = request.args.get("tab", "all")
    tab = tab if tab in MANAGE_TABS else "all"
    mine = request.args.get("mine") == "1"
    stmt = saving.desk_query([o.id for o in orgs], tab, current_user.id if mine else None)
    number = page_number()
    page = capped_page(stmt, number, MANAGE_PAGE_SIZE)
    scheduled = db.session.scalars(
        saving.scheduled_query([o.id for o in orgs]).limit(SCHEDULED_SHOWN)).all()
    return render_template("posts/manage.html", page=page, tab=tab, mine=mine,
                           scheduled=scheduled,
                           tabs=MANAGE_TABS, orgs=orgs, now=utcnow(),
                           org_names={org.id: org.short_name for org in orgs},
                           can_write_for=can_write_for,
                           page_size=current_app.config["POSTS_PER_PAGE"])

