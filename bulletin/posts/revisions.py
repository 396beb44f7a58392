"""A post's revisions as an editor reads them: what changed, in words, and restoring one.

Photos are not part of a revision (a revision keeps the text and the state), so a restore
gives back the text and leaves the photos as they are now.
"""

import difflib
import json
import re
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

from bulletin.extensions import db
from bulletin.i18n import format_datetime
from bulletin.models import Category, Organization, Post, PostRevision
from bulletin.search import plain_text

STATUS_WORDS = {
    "draft": _l("Bản nháp"),
    "published": _l("Đã đăng"),
    "archived": _l("Lưu trữ (đã gỡ)"),
}
FIELD_WORDS = {
    "title": _l("tiêu đề"),
    "summary": _l("tóm tắt"),
    "body": _l("nội dung"),
    "byline": _l("tác giả"),
    "status": _l("trạng thái"),
    "published_at": _l("giờ đăng"),
    "is_pinned": _l("ghim"),
    "organization_id": _l("tổ chức"),
    "category_id": _l("chuyên mục"),
}
# What a restore gives back: the text and where it is filed, never the state (a restore
# must not publish or take down a post by surprise).
RESTORED = ("title", "summary", "body", "byline", "category_id")
ALIKE = 0.5  # two paragraphs sharing this share of their words are one paragraph, edited
_BLOCK_END_RE = re.compile(r"</(p|h[2-4]|li|blockquote|tr|figcaption)>|<br\s*/?>", re.I)


def photos_of(revision: PostRevision | None) -> list[dict] | None:
    """The photos a revision kept, in order; None when it predates keeping them."""
    if revision is None or not revision.photos:
        return None
    try:
        return json.loads(revision.photos)
    except ValueError:
        return None


def photo_changes(revision: PostRevision, previous: PostRevision | None) -> list[str]:
    """What a save did to the photos, in words: added, removed, captioned, reordered."""
    now, before = photos_of(revision), photos_of(previous)
    if now is None or before is None:
        return []
    old = {p["id"]: p for p in before}
    new_ids = {p["id"] for p in now}
    words = []
    added = [p for p in now if p["id"] not in old]
    removed = [p for p in before if p["id"] not in new_ids]
    if added:
        words.append(str(_l("thêm %(n)s ảnh", n=len(added))))
    if removed:
        words.append(str(_l("bỏ %(n)s ảnh (%(names)s)", n=len(removed),
                            names=", ".join(p["caption"] or p["name"] for p in removed))))
    recaptioned = [p for p in now if p["id"] in old and old[p["id"]]["caption"] != p["caption"]]
    for photo in recaptioned:
        words.append(str(_l("đổi chú thích ảnh: “%(old)s” → “%(new)s”",
                            old=old[photo["id"]]["caption"], new=photo["caption"])))
    kept_order = [p["id"] for p in before if p["id"] in new_ids]
    if [p["id"] for p in now if p["id"] in old] != kept_order:
        words.append(str(_l("đổi thứ tự ảnh")))
    return words


def status_word(status: str) -> str:
    """The state of a post in Vietnamese words."""
    return str(STATUS_WORDS.get(status, status))


@dataclass
class Change:
    """One field that differs between a revision and the one before it."""

    field: str
    label: str
    old: str
    new: str


def changed_fields(revision: PostRevision, previous: PostRevision | None) -> list[Change]:
    """The fields this revision changed compared with the previous one (all, for the first)."""
    changes = []
    for name, label in FIELD_WORDS.items():
        new = getattr(revision, name)
        old = getattr(previous, name) if previous is not None else None
        if previous is None and name not in ("title", "body"):
            continue
        if old != new:
            changes.append(Change(name, str(label), _shown(name, old), _shown(name, new)))
    return changes


def summary(revision: PostRevision, previous: PostRevision | None) -> str:
    """One line saying what a save did: "Tạo bài", "Sửa tiêu đề, nội dung", "Đăng"."""
    if previous is None:
        return str(_l("Tạo bài"))
    if revision.status != previous.status:
        moved = {"published": _l("Đăng bài"), "draft": _l("Chuyển về bản nháp"),
                 "archived": _l("Gỡ bài xuống")}[revision.status] if revision.status in \
            STATUS_WORDS else _l("Đổi trạng thái")
        rest = [c.label for c in changed_fields(revision, previous)
                if c.field not in ("status", "published_at")]
        if photo_changes(revision, previous):
            rest.append(str(_l("ảnh")))
        return str(moved) + (", " + str(_l("sửa")) + " " + ", ".join(rest) if rest else "")
    fields = [c.label for c in changed_fields(revision, previous)]
    if photo_changes(revision, previous):
        fields.append(str(_l("ảnh")))
    if not fields:
        return str(_l("Lưu lại, không đổi gì"))
    return str(_l("Sửa")) + " " + ", ".join(fields)


def _shown(name: str, value) -> str:
    """A field's value as text for the change list."""
    if value is None:
        return ""
    if name == "status":
        return status_word(value)
    if name == "is_pinned":
        return str(_l("có ghim") if value else _l("không ghim"))
    if name == "body":
        return plain_text(value)
    if name == "published_at":
        return format_datetime(value)
    if name in ("organization_id", "category_id"):
        row = db.session.get(Organization if name == "organization_id" else Category, value)
        return row.name if row is not None else "—"
    return str(value)


def paragraphs(html: str) -> list[str]:
    """The text of a body, one line per paragraph (or list item, heading, table row)."""
    text = plain_text(_BLOCK_END_RE.sub("\n", html or ""))
    return [" ".join(line.split()) for line in text.split("\n") if line.strip()]


def text_diff(old: str, new: str) -> Markup:
    """Words removed in <del>, added in <ins>; the rest as it was."""
    old_words, new_words = old.split(), new.split()
    out = []
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            out.append(escape(" ".join(old_words[a1:a2])))
            continue
        if a2 > a1:
            out.append(Markup("<del>%s</del>") % " ".join(old_words[a1:a2]))
        if b2 > b1:
            out.append(Markup("<ins>%s</ins>") % " ".join(new_words[b1:b2]))
    return Markup(" ").join(out)


def body_diff(old_html: str, new_html: str) -> list[tuple[str, Markup]]:
    """A body's changes paragraph by paragraph: ("same"|"added"|"removed"|"changed", text)."""
    old, new = paragraphs(old_html), paragraphs(new_html)
    rows: list[tuple[str, Markup]] = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            rows.extend(("same", escape(p)) for p in old[a1:a2])
        else:
            rows.extend(_replaced(old[a1:a2], new[b1:b2]))
    return rows


def _replaced(old: list[str], new: list[str]) -> list[tuple[str, Markup]]:
    """Paragraphs replaced by others: a pair still alike is one changed paragraph."""
    rows: list[tuple[str, Markup]] = []
    paired = 0
    for before, after in zip(old, new, strict=False):
        if difflib.SequenceMatcher(a=before.split(), b=after.split()).ratio() < ALIKE:
            break
        rows.append(("changed", text_diff(before, after)))
        paired += 1
    rows.extend(("removed", Markup("<del>%s</del>") % p) for p in old[paired:])
    rows.extend(("added", Markup("<ins>%s</ins>") % p) for p in new[paired:])
    return rows


def previous_of(post: Post, revision: PostRevision) -> PostRevision | None:
    """The revision saved just before this one."""
    earlier = [r for r in post.revisions if (r.created_at, r.id) < (revision.created_at,
                                                                     revision.id)]
    return max(earlier, key=lambda r: (r.created_at, r.id), default=None)


def differs_from_post(revision: PostRevision, post: Post) -> bool:
    """True when restoring this revision would change the post's text."""
    return any(getattr(revision, name) != getattr(post, name) for name in RESTORED)


def restore(post: Post, revision: PostRevision) -> None:
    """Put the revision's text back on the post (the caller saves it as a new revision)."""
    for name in RESTORED:
        setattr(post, name, getattr(revision, name))
