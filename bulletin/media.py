"""Serving uploaded photos and attachments, with the post's visibility checked."""

from flask import Blueprint, abort, current_app, send_file
from flask_login import current_user

from bulletin.extensions import db
from bulletin.models import Attachment, PostImage, utcnow
from bulletin.permissions import can_view_post
from bulletin.uploads import (
    IMAGE_SIZES,
    RENDITIONS,
    attachment_path,
    content_disposition,
    ensure_rendition,
    image_path,
)

bp = Blueprint("media", __name__)

# A public post's photos and attachments are cached briefly and revalidated (ETag): once a
# post stops being public, caches stop serving its files within this many seconds.
PUBLIC_FILE_SECONDS = 300


@bp.get("/images/<int:image_id>/<size>.jpg")
def image(image_id: int, size: str):
    """Send one size of a post's photo; cached briefly, revalidated, while the post is public."""
    if size not in IMAGE_SIZES and (size, "jpg") not in RENDITIONS:
        abort(404)
    return _send_photo(image_id, size, "jpg")


@bp.get("/images/<int:image_id>/<size>.webp")
def image_webp(image_id: int, size: str):
    """Send a photo in WebP (smaller), for the browsers that take it."""
    if (size, "webp") not in RENDITIONS:
        abort(404)
    return _send_photo(image_id, size, "webp")


def _send_photo(image_id: int, size: str, ext: str):
    """Send a size of a photo the reader may see, made first when it is a rendition."""
    photo = db.get_or_404(PostImage, image_id)
    if not can_view_post(current_user, photo.post):
        abort(404)
    if (size, ext) in RENDITIONS:
        path = ensure_rendition(photo.file_key, size, ext)
    else:
        path = image_path(photo.file_key, size)
    if path is None or not path.is_file():
        abort(404)
    public = photo.post.is_visible_at(utcnow()) and not current_app.config["READ_REQUIRES_LOGIN"]
    response = send_file(path, mimetype="image/webp" if ext == "webp" else "image/jpeg",
                         max_age=PUBLIC_FILE_SECONDS if public else 0)
    response.headers["Cache-Control"] = (
        f"public, max-age={PUBLIC_FILE_SECONDS}, must-revalidate" if public
        else "private, no-store"
    )
    return response


@bp.get("/attachments/<int:attachment_id>/<path:filename>")
@bp.get("/attachments/<int:attachment_id>")
def attachment(attachment_id: int, filename: str | None = None):
    """Send an attachment as a download under its original (Vietnamese) name."""
    item = db.get_or_404(Attachment, attachment_id)
    if not can_view_post(current_user, item.post):
        abort(404)
    path = attachment_path(item.stored_name)
    if not path.is_file():
        abort(404)
    response = send_file(path, mimetype=item.mime_type, max_age=PUBLIC_FILE_SECONDS,
                         conditional=True)
    if not item.post.is_visible_at(utcnow()) or current_app.config["READ_REQUIRES_LOGIN"]:
        response.headers["Cache-Control"] = "private, no-store"
    response.headers["Content-Disposition"] = content_disposition(item.original_name)
    response.headers["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
