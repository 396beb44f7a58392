"""Applying the post form: fields, state and publish time, uploads, revisions, audit."""

import json
from types import SimpleNamespace

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.orm import load_only

from bulletin import audit
from bulletin.extensions import db
from bulletin.i18n import TIMEZONE
from bulletin.models import (
    Attachment,
    Category,
    Organization,
    Post,
    PostImage,
    PostRevision,
    utcnow,
)
from bulletin.permissions import can_write_for
from bulletin.posts.forms import EditPostForm, PostForm
from bulletin.posts.pending import Pending, PendingFile, PendingImage
from bulletin.sanitize import clean_html
from bulletin.text import slugify
from bulletin.uploads import (
    TOO_LARGE,
    UploadError,
    UploadRefused,
    accept_upload,
    image_pixels,
    remove_attachment,
    remove_image,
    store_attachment,
    store_image,
)

OVER_BUDGET = "over the request's pixel budget"
IMAGE_ERRORS = {
    "not a readable image": _l("không phải tệp ảnh đọc được"),
    "unsupported image format": _l("định dạng ảnh không được hỗ trợ"),
    "image too large": _l("ảnh có quá nhiều điểm ảnh"),
}


def form_data(post: Post) -> SimpleNamespace:
    """Return the values the edit form starts from."""
    local = post.published_at.astimezone(TIMEZONE) if post.published_at else None
    return SimpleNamespace(
        title=post.title, summary=post.summary, body=post.body, byline=post.byline,
        organization=post.organization.slug,
        category=post.category.slug if post.category else "",
        status=post.status, pinned=post.is_pinned,
        publish_at=local.replace(tzinfo=None) if local and local > _now_local() else None,
        photos=[{"id": str(i.id), "caption": i.caption, "position": i.position,
                 "remove": False} for i in post.images],
        files=[{"id": str(a.id), "remove": False} for a in post.attachments],
    )


def _now_local():
    """The current time in Vietnam."""
    return utcnow().astimezone(TIMEZONE)


def save(form: PostForm, post: Post, pending: Pending) -> bool:
    """Validate and apply the form to `post`, commit, and record it; False on any error.

    Uploads are accepted even when another field is wrong, and kept for the next try.
    """
    valid = form.validate_on_submit()
    if not accept_uploads_safely(form, pending):
        db.session.rollback()
        return False
    form.pending_uploads.data = pending.dump()
    organization = _chosen(Organization, form.organization.data)
    if organization is not None and not can_write_for(current_user, organization):
        form.organization.errors.append(_("Bạn không được đăng bài cho tổ chức này."))
        valid = False
    if valid:
        valid = resolve_intent(form)
    if not valid or form.images.errors or form.attachments.errors:
        db.session.rollback()
        return False
    old_status = post.status if post.id else None
    if post.id is None:
        post.author_id = current_user.id
        db.session.add(post)
    apply_fields(form, post, organization)
    attach_pending(post, pending)
    if isinstance(form, EditPostForm):
        apply_rows(form, post)
    try:
        db.session.flush()
        add_revision(post)
        _audit(post, old_status)
        db.session.commit()
    except BaseException:
        # One transaction: no row refers to these files now, so they go too.
        db.session.rollback()
        discard(pending)
        raise
    return True


def accept_uploads_safely(form: PostForm, pending: Pending) -> bool:
    """Accept the uploads; when the folder cannot be written, keep nothing and say why."""
    before = Pending(list(pending.images), list(pending.files))
    try:
        accept_uploads(form, pending)
    except OSError:
        current_app.logger.exception("cannot write to the upload folder")
        discard(Pending(pending.images[len(before.images):], pending.files[len(before.files):]))
        pending.images, pending.files = before.images, before.files
        form.pending_uploads.data = pending.dump()
        form.images.errors.append(_("Không lưu được ảnh và tệp: thư mục tải lên đã đầy hoặc "
                                    "không ghi được. Bài viết chưa được lưu; hãy báo quản "
                                    "trị viên."))
        return False
    return True


def resolve_intent(form: PostForm) -> bool:
    """Turn the button pressed into the contract's `status`; False when the form must ask.

    "Đăng ngay" publishes now (whatever time was typed), "Hẹn giờ đăng" needs a time to come,
    "Lưu nháp" with a time set asks whether a schedule was meant (a draft never appears)."""
    intent = form.intent.data
    if intent == "publish":
        form.status.data, form.publish_at.data = "published", None
    elif intent == "draft_only":
        form.status.data, form.publish_at.data = "draft", None
    elif intent == "draft":
        form.status.data = "draft"
    elif intent == "schedule":
        scheduled = form.publish_moment()
        if scheduled is None or scheduled <= utcnow():
            form.publish_at.errors = [_("Chọn ngày và giờ đăng sắp tới (giờ Việt Nam).")
                                      if scheduled is None else
                                      _("Giờ hẹn đã qua. Chọn một thời điểm sắp tới, hoặc bấm "
                                        "“Đăng ngay”.")]
            return False
        form.status.data = "published"
    if form.status.data == "draft" and form.publish_at.data is not None:
        form.ask_schedule = True
        return False
    return True


def discard(pending: Pending) -> None:
    """Delete the files of uploads that no committed row refers to."""
    for image in pending.images:
        remove_image(image.file_key)
    for item in pending.files:
        remove_attachment(item.stored_name)


def _chosen(model, slug: str | None):
    """Return the row with this slug, or None."""
    if not slug:
        return None
    return db.session.scalar(db.select(model).where(model.slug == slug))


def apply_fields(form: PostForm, post: Post, organization: Organization) -> None:
    """Copy the form's values onto the post; set the publish time by its state."""
    post.title = form.title.data
    post.slug = slugify(form.title.data)
    post.summary = form.summary.data or ""
    post.body = clean_html(form.body.data)
    post.byline = form.byline.data or ""
    post.organization = organization
    post.category = _chosen(Category, form.category.data)
    post.is_pinned = bool(form.pinned.data)
    scheduled = form.publish_moment()
    if form.status.data == "published":
        if scheduled is not None:
            post.published_at = scheduled
        elif post.status != "published" or post.published_at is None or \
                post.published_at > utcnow():
            post.published_at = utcnow()
    elif scheduled is not None:
        post.published_at = scheduled
    post.status = form.status.data


def accept_uploads(form: PostForm, pending: Pending) -> None:
    """Store every valid new photo and file; put a message on the field for each bad one."""
    captions = (form.image_captions.data or "").split("\n")
    budget = [current_app.config["MAX_REQUEST_PIXELS"]]

    def spend_pixels(data: bytes) -> None:
        """Refuse a photo past the request's pixel budget, read from its header only."""
        budget[0] -= image_pixels(data)
        if budget[0] < 0:
            raise UploadError(OVER_BUDGET)

    # Captions are typed one per line in the order the photos were chosen.
    for position, upload in enumerate(_files(form.images)):
        try:
            name, stored = accept_upload(upload, "anh.jpg", current_app.config["MAX_IMAGE_BYTES"],
                                         store_image, spend_pixels)
        except UploadRefused as refused:
            form.images.errors.append(image_refusal(refused))
            continue
        caption = captions[position].strip() if position < len(captions) else ""
        pending.images.append(PendingImage(stored.file_key, stored.width, stored.height,
                                           stored.thumb_width, stored.thumb_height, name,
                                           caption[:500]))
    for upload in _files(form.attachments):
        try:
            name, stored = accept_upload(upload, "tai-lieu",
                                         current_app.config["MAX_ATTACHMENT_BYTES"],
                                         store_attachment)
        except UploadRefused as refused:
            form.attachments.errors.append(attachment_refusal(refused))
            continue
        pending.files.append(PendingFile(stored.stored_name, stored.mime_type, stored.size_bytes,
                                         name))


def _files(field) -> list:
    """Return the uploaded files of a multiple file field, skipping empty inputs."""
    return [f for f in (field.data or []) if getattr(f, "filename", "")]


def image_refusal(refused: UploadRefused) -> str:
    """What to say next to the photos field about a photo that was not kept."""
    if refused.reason == TOO_LARGE:
        return _("Ảnh “%(name)s” quá lớn.", name=refused.name)
    if refused.reason == OVER_BUDGET:
        return _("Ảnh “%(name)s” chưa được nhận: các ảnh gửi cùng lúc quá lớn. Hãy gửi ảnh này "
                 "trong lần lưu sau.", name=refused.name)
    reason = str(IMAGE_ERRORS.get(refused.reason, refused.reason))
    return _("Ảnh “%(name)s” bị từ chối: %(reason)s.", name=refused.name, reason=reason)


def attachment_refusal(refused: UploadRefused) -> str:
    """What to say next to the files field about a file that was not kept."""
    if refused.reason == TOO_LARGE:
        return _("Tệp “%(name)s” quá lớn.", name=refused.name)
    return _("Tệp “%(name)s” không được nhận: chỉ nhận PDF, Word, Excel, PowerPoint, "
             "OpenDocument, JPG, PNG.", name=refused.name)


def attach_pending(post: Post, pending: Pending) -> None:
    """Turn accepted uploads into the post's photos and files."""
    start = max((i.position for i in post.images), default=-1) + 1
    for offset, item in enumerate(pending.images):
        post.images.append(PostImage(
            file_key=item.file_key, width=item.width, height=item.height,
            thumb_width=item.thumb_width, thumb_height=item.thumb_height,
            original_name=item.original_name, caption=item.caption, position=start + offset))
    start = max((a.position for a in post.attachments), default=-1) + 1
    for offset, item in enumerate(pending.files):
        post.attachments.append(Attachment(
            stored_name=item.stored_name, mime_type=item.mime_type, size_bytes=item.size_bytes,
            original_name=item.original_name, position=start + offset))


def apply_rows(form: EditPostForm, post: Post) -> None:
    """Apply caption, order and removal of the post's existing photos and files."""
    photos = {str(i.id): i for i in post.images}
    for row in form.photos:
        image = photos.get(row.form.id.data)
        if image is None:
            continue
        if row.form.remove.data:
            post.images.remove(image)
            continue
        image.caption = row.form.caption.data or ""
        if row.form.position.data is not None:
            image.position = row.form.position.data
    files = {str(a.id): a for a in post.attachments}
    for row in form.files:
        item = files.get(row.form.id.data)
        if item is not None and row.form.remove.data:
            post.attachments.remove(item)
    post.images.sort(key=lambda i: (i.position, i.id or 0))


def add_revision(post: Post) -> None:
    """Keep a copy of the post as it is now, with who saved it."""
    db.session.add(PostRevision(
        post_id=post.id, editor_id=current_user.id, title=post.title, summary=post.summary,
        body=post.body, byline=post.byline, status=post.status, is_pinned=post.is_pinned,
        published_at=post.published_at, organization_id=post.organization_id,
        category_id=post.category_id, photos=photo_list(post)))


def photo_list(post: Post) -> str:
    """The post's photos as a revision keeps them: id, caption and file name, in order."""
    return json.dumps([{"id": i.id, "caption": i.caption, "name": i.original_name}
                       for i in sorted(post.images, key=lambda i: (i.position, i.id or 0))],
                      ensure_ascii=False)


def _audit(post: Post, old_status: str | None) -> None:
    """Record publishing, unpublishing and archiving in the audit log."""
    if old_status is None:
        audit.record("post.create", "post", post.id, post.title)
    if post.status == "published" and old_status != "published":
        audit.record("post.publish", "post", post.id, post.title)
    elif post.status != "published" and old_status == "published":
        action = "post.archive" if post.status == "archived" else "post.unpublish"
        audit.record(action, "post", post.id, post.title)
    elif old_status is not None:
        audit.record("post.edit", "post", post.id, post.title)


def desk_query(org_ids: list[int], tab: str, author_id: int | None):
    """Select the posts on the editor's desk for a tab."""
    now = utcnow()
    stmt = db.select(Post).where(Post.organization_id.in_(org_ids))
    if author_id is not None:
        stmt = stmt.where(Post.author_id == author_id)
    if tab == "draft":
        stmt = stmt.where(Post.status == "draft")
    elif tab == "scheduled":
        stmt = stmt.where(Post.status == "published", Post.published_at > now)
    elif tab == "published":
        stmt = stmt.where(Post.status == "published", Post.published_at <= now)
    elif tab == "archived":
        stmt = stmt.where(Post.status == "archived")
    # The desk shows a line per post: its body (often many KB) is never read here.
    return (stmt.options(load_only(Post.id, Post.slug, Post.title, Post.is_pinned, Post.status,
                                   Post.published_at, Post.updated_at, Post.organization_id))
            .order_by(Post.updated_at.desc(), Post.id.desc()))


def scheduled_query(org_ids: list[int]):
    """Select the posts of these organizations waiting for their publish time, soonest first."""
    return (db.select(Post)
            .where(Post.organization_id.in_(org_ids), Post.status == "published",
                   Post.published_at > utcnow())
            .options(load_only(Post.id, Post.title, Post.published_at, Post.organization_id))
            .order_by(Post.published_at, Post.id))
