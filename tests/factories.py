"""Helpers that make rows for tests (`make_*`), committed and ready to use."""

import io
from datetime import date, timedelta
from itertools import count

from PIL import Image

from bulletin.auth.passwords import hash_password
from bulletin.awards import records
from bulletin.extensions import db
from bulletin.models import AwardKind, Category, Organization, Post, PostImage, User, utcnow
from bulletin.text import slugify
from bulletin.uploads import store_image

_serial = count(1)
DEFAULT_PASSWORD = "correct-horse-battery"


def org(slug="mttq") -> Organization:
    """Return a standard organization by slug (they exist in every test database)."""
    return db.session.scalar(db.select(Organization).where(Organization.slug == slug))


def category(slug="tin-hoat-dong") -> Category:
    """Return a standard category by slug."""
    return db.session.scalar(db.select(Category).where(Category.slug == slug))


def make_org(name="Chi hội Phụ nữ khu 1", parent=None, slug=None) -> Organization:
    """Make an organization (a branch when `parent` is given)."""
    new = Organization(name=name, short_name=name, slug=slug or slugify(name),
                       parent=parent, description="")
    db.session.add(new)
    db.session.commit()
    return new


def user(username="admin", role="admin", orgs=(), password=DEFAULT_PASSWORD, **fields) -> User:
    """Make a staff account."""
    account = User(username=username, role=role, password_hash=hash_password(password),
                   organizations=[org(s) if isinstance(s, str) else s for s in orgs], **fields)
    db.session.add(account)
    db.session.commit()
    return account


def post(title=None, status="published", organization="mttq", cat="tin-hoat-dong",
         published_at=None, age_minutes=None, **fields) -> Post:
    """Make a post; published ones get a publish time in the past."""
    number = next(_serial)
    title = title or f"Bài viết số {number}"
    if published_at is None and status != "draft":
        published_at = utcnow() - timedelta(minutes=age_minutes if age_minutes is not None
                                            else number)
    new = Post(title=title, slug=slugify(title), status=status, published_at=published_at,
               organization=org(organization) if isinstance(organization, str) else organization,
               category=category(cat) if isinstance(cat, str) else cat,
               summary=fields.pop("summary", f"Tóm tắt của {title}."),
               body=fields.pop("body", "<p>Nội dung bài viết.</p>"), **fields)
    db.session.add(new)
    db.session.commit()
    return new


def jpeg_bytes(width=1200, height=900, color=(200, 40, 40), exif=None, fmt="JPEG") -> bytes:
    """Return an image file's bytes, optionally with EXIF."""
    buffer = io.BytesIO()
    image = Image.new("RGB", (width, height), color)
    kwargs = {"exif": exif} if exif is not None else {}
    image.save(buffer, fmt, **kwargs)
    return buffer.getvalue()


def photo(target: Post, caption="Ảnh hội nghị", position=0, **image_args) -> PostImage:
    """Attach a stored photo to a post."""
    stored = store_image(jpeg_bytes(**image_args))
    image = PostImage(post=target, caption=caption, position=position,
                      file_key=stored.file_key, width=stored.width, height=stored.height,
                      thumb_width=stored.thumb_width, thumb_height=stored.thumb_height,
                      original_name="anh.jpg")
    db.session.add(image)
    db.session.commit()
    return image


def award_kind(slug="giay-khen"):
    """Return a standard award kind by slug."""
    return db.session.scalar(db.select(AwardKind).where(AwardKind.slug == slug))


def award(name="Nguyễn Thị Hoa", kind="giay-khen", organization="mttq", year=2025,
          recipient_type="individual", number="15/QĐ-UBND", signed_on=None, amount=None,
          issuer="UBND thị trấn", signer="Trần Văn Hùng", is_public=None, post=None,
          user=None, **fields):
    """Record an award through the registry's own service (history included), committed."""
    values = records.AwardValues(
        recipient_type=recipient_type, recipient_name=name,
        organization=org(organization) if isinstance(organization, str) else organization,
        kind=award_kind(kind) if isinstance(kind, str) else kind, year=year,
        decision_number=number, decision_date=signed_on or date(year + 1, 1, 15),
        issuer=issuer, signer=signer, amount=amount, **fields)
    made = records.create_award(values, user=user)
    if is_public is not None:
        made.decision.is_public = is_public
    if post is not None:
        made.decision.post_id = post.id
    db.session.commit()
    return made
