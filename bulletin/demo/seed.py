"""`flask --app app seed-demo`: the standard organizations and a board full of sample posts.

The handwritten posts (bulletin.demo.content) get drawn photos and generated documents. Posts
asked for beyond them are put together from the same texts and inserted in bulk (Core
executemany in chunks, no ORM objects, no photos), so that 100,000 posts take well under a
minute on SQLite and on PostgreSQL.
"""

import random
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache

import click
from sqlalchemy import text

from bulletin import search, standard
from bulletin.bulk import insert_rows, reserved_ids
from bulletin.demo import awards as demo_awards
from bulletin.demo import images as demo_images
from bulletin.demo import removal
from bulletin.demo.content import (
    BRANCHES,
    GENERATED,
    GENERATED_CLOSINGS,
    GENERATED_MIDDLES,
    ISSUERS,
    PLACES,
    POSTS,
    TOWN,
    VENUES,
    DemoPost,
    Document,
)
from bulletin.extensions import db
from bulletin.i18n import TIMEZONE
from bulletin.models import Attachment, Category, Organization, Post, PostImage, utcnow
from bulletin.sanitize import clean_html
from bulletin.text import clean_line, nfc, slugify
from bulletin.uploads import store_attachment, store_image

CHUNK = 5_000
GENERATED_YEARS = 8
PROGRESS_EVERY = 20_000
# Bodies are hard-wrapped in the source; editors should see one line per block instead.
_LINE_BREAK_RE = re.compile(r"\s*\n\s*")
_BLOCK_END_RE = re.compile(r"(</(?:p|h3|ul|li|table|thead|tbody|tr|blockquote)>|<(?:ul|table|"
                           r"thead|tbody)>)\s*")


@dataclass
class SeedSummary:
    """What one run of seed-demo added."""

    handwritten: int = 0
    published: int = 0
    photos: int = 0
    attachments: int = 0
    generated: int = 0
    seconds: float = 0.0

    def describe(self) -> str:
        """Return the one-line report printed at the end."""
        return (f"Seeded {self.handwritten} handwritten posts ({self.published} published, "
                f"{self.photos} photos, {self.attachments} attachments) and {self.generated:,} "
                f"generated posts in {self.seconds:.1f} s.")


def seed_demo(posts: int | None, awards: int, if_empty: bool, remove: bool) -> None:
    """`seed-demo`'s work (its options are in bulletin.demo.command): the standard
    organizations and sample content, or with `remove` the sample content taken away again."""
    if remove:
        click.echo(removal.remove_demo().describe())
        return
    if if_empty and has_posts():
        click.echo("The database already has posts: seed-demo --if-empty did nothing.")
        return
    posts = len(POSTS) if posts is None else posts
    with removal.marking():  # every row made below is marked as the demo's
        summary = seed(posts, progress=click.echo)
        click.echo(summary.describe())
        if awards:
            click.echo(demo_awards.seed_awards(awards, progress=click.echo).describe())
    if posts > len(POSTS) or awards > demo_awards.SMALL:
        vacuum_after_bulk()


def vacuum_after_bulk() -> None:
    """On PostgreSQL after a bulk load: fresh statistics and the visibility map.

    Without the map, counting an organization's posts or awards reads every row from the
    table instead of the index, until autovacuum comes round.
    """
    db.session.commit()
    if db.engine.dialect.name != "postgresql":
        return
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql("VACUUM (ANALYZE) posts, search_posts, awards, "
                                   "award_history, decisions, award_counts")


def has_posts() -> bool:
    """Return True when the database holds at least one post."""
    return db.session.scalar(db.select(Post.id).limit(1)) is not None


def seed(total: int, now: datetime | None = None,
         progress: Callable[[str], None] | None = None, analyze: bool = True) -> SeedSummary:
    """Add `total` posts: the handwritten ones first, then generated ones older than them.

    After a bulk load the planner's statistics are refreshed (`analyze`): without them SQLite
    sorts every published post to show the home page.
    """
    started = time.perf_counter()
    now = now or utcnow()
    standard.ensure_standard_data()
    orgs = ensure_branches()
    categories = {c.slug: c for c in db.session.scalars(db.select(Category))}
    specs = POSTS[:total]
    summary = add_handwritten(specs, orgs, categories, now)
    generated = total - len(specs)
    if generated > 0:
        oldest = min((event_moment(spec, now) for spec in specs), default=now)
        insert_generated(generated, orgs, categories, oldest, progress)
        summary.generated = generated
        if analyze:
            db.session.execute(text("ANALYZE"))
            db.session.commit()
    summary.seconds = time.perf_counter() - started
    return summary


def ensure_branches() -> dict[str, Organization]:
    """Create the demo branches still missing; return every organization by slug."""
    orgs = {org.slug: org for org in db.session.scalars(db.select(Organization))}
    for position, (parent, slug, name, short_name) in enumerate(BRANCHES):
        # An admin may have removed a standard organization: its branches are then skipped.
        if slug in orgs or parent not in orgs:
            continue
        orgs[slug] = Organization(slug=slug, name=name, short_name=short_name, description="",
                                  position=position, parent=orgs[parent])
        db.session.add(orgs[slug])
    db.session.commit()
    return orgs


# ---- handwritten posts ----------------------------------------------------------------------

def event_moment(spec: DemoPost, now: datetime) -> datetime:
    """Return the latest moment not after `now` on the post's day of the year, in UTC."""
    local_now = now.astimezone(TIMEZONE)
    month, day = spec.on
    moment = datetime(local_now.year, month, day, *spec.time, tzinfo=TIMEZONE)
    if moment > local_now:
        moment = moment.replace(year=local_now.year - 1)
    return moment.astimezone(UTC)


def text_context(moment: datetime) -> dict:
    """Return the values of the placeholders the demo texts use."""
    local = moment.astimezone(TIMEZONE)
    return {"date": local.strftime("%d/%m/%Y"), "year": local.year, "prev_year": local.year - 1,
            "next_year": local.year + 1, "town": TOWN}


def fill(text: str, context: dict) -> str:
    """Fill a demo text's placeholders and normalise it."""
    return nfc(text.format(**context)).strip()


def add_handwritten(specs: tuple, orgs: dict, categories: dict, now: datetime) -> SeedSummary:
    """Add the handwritten posts with their photos and documents; commit once."""
    summary = SeedSummary()
    # Two pinned posts are enough: a second run leaves the pinned slot as it is.
    pin = db.session.scalar(db.select(Post.id).where(Post.is_pinned).limit(1)) is None
    for index, spec in enumerate(specs):
        org = orgs.get(spec.org)
        if org is None:
            continue
        post = add_post(spec, org, categories, now, pin)
        context = text_context(event_moment(spec, now))
        add_photos(post, spec, context, seed=index)
        add_documents(post, spec, context)
        summary.handwritten += 1
        summary.published += post.status == "published"
        summary.photos += len(post.images)
        summary.attachments += len(post.attachments)
    db.session.commit()
    return summary


def add_post(spec: DemoPost, org: Organization, categories: dict, now: datetime,
             pin: bool) -> Post:
    """Add one handwritten post (not yet committed)."""
    moment = event_moment(spec, now)
    context = text_context(moment)
    title = clean_line(fill(spec.title, context))
    body = _BLOCK_END_RE.sub("\\1\n", _LINE_BREAK_RE.sub(" ", fill(spec.body, context)))
    post = Post(
        title=title, slug=slugify(title), summary=fill(spec.summary, context),
        body=clean_html(body), byline=fill(spec.byline, context), status=spec.status,
        is_pinned=spec.pinned and pin,
        published_at=None if spec.status == "draft" else moment,
        created_at=min(moment, now), updated_at=min(moment, now),
        organization=org, category=categories.get(spec.category),
    )
    db.session.add(post)
    return post


def add_photos(post: Post, spec: DemoPost, context: dict, seed: int) -> None:
    """Draw, store and attach the post's captioned photos."""
    for position, photo in enumerate(spec.photos):
        caption = fill(photo.caption, context)
        # The same seed gives the same drawing, which demo_images.photo caches between runs.
        stored = store_image(demo_images.photo(photo.scene, fill(photo.banner, context),
                                               seed=seed * 10 + position))
        post.images.append(PostImage(
            position=position, caption=caption, file_key=stored.file_key,
            width=stored.width, height=stored.height, thumb_width=stored.thumb_width,
            thumb_height=stored.thumb_height, original_name=f"{slugify(caption)}.jpg",
        ))


def add_documents(post: Post, spec: DemoPost, context: dict) -> None:
    """Write, store and attach the post's documents."""
    for position, document in enumerate(spec.documents):
        stored = store_attachment(render_document(document, post, context))
        post.attachments.append(Attachment(
            position=position, original_name=fill(document.name, context),
            stored_name=stored.stored_name, mime_type=stored.mime_type,
            size_bytes=stored.size_bytes,
        ))


def render_document(document: Document, post: Post, context: dict) -> bytes:
    """Return the bytes of a PDF, Word or Excel attachment, headed like an official paper."""
    title = fill(document.title, context)
    paragraphs = [fill(p, context) for p in document.paragraphs]
    if document.kind == "xlsx":
        return demo_images.xlsx_document(title, list(document.header),
                                         [list(row) for row in document.rows])
    top = post.organization.parent or post.organization
    issuer, sign_line = ISSUERS.get(top.slug, (top.name + "\nxã {town}",
                                               "TM. BAN CHẤP HÀNH"))
    issuer = fill(issuer, context)
    signer = f"{sign_line}\n\n\n{post.byline.split(',')[0]}"
    if document.kind == "docx":
        return demo_images.docx_document(issuer, title, paragraphs, signer)
    day, month, year = context["date"].split("/")
    page = demo_images.document_page(issuer, title, paragraphs,
                                     f"{TOWN}, ngày {day} tháng {month} năm {year}", signer)
    return demo_images.pdf_document(title, page)


# ---- generated posts ------------------------------------------------------------------------

@dataclass
class Source:
    """An organization that generated posts can belong to, with the texts it may use."""

    org_id: int
    subject: str
    places: tuple
    people: str
    bylines: tuple
    activities: tuple  # (activity, category id)


def generated_sources(orgs: dict, categories: dict) -> list[Source]:
    """Return the organizations and branches generated posts are spread over."""
    sources = []
    category_ids = {slug: cat.id for slug, cat in categories.items()}
    for org in orgs.values():
        top = org.parent or org
        pieces = GENERATED.get(top.slug)
        if pieces is None:
            continue
        activities = tuple((nfc(text), category_ids.get(slug)) for text, slug in
                           pieces["activities"])
        # A branch speaks for itself; a top-level organization for one of its places.
        subject, places = ((org.name, ("",)) if org.parent else
                           (pieces["subject"], pieces.get("places", PLACES)))
        sources.append(Source(org.id, nfc(subject), places, pieces["people"],
                              tuple(fill(b, {"town": TOWN}) for b in pieces["bylines"]),
                              activities))
    return sources


def insert_generated(count: int, orgs: dict, categories: dict, before: datetime,
                     progress: Callable[[str], None] | None) -> None:
    """Insert `count` generated posts older than `before`, oldest first, in committed chunks."""
    sources = generated_sources(orgs, categories)
    links = [(org.slug, org.name) for org in orgs.values() if org.parent is None]
    rng = random.Random(count)
    slug = lru_cache(maxsize=None)(slugify)  # titles repeat, slugs need not be recomputed
    start_day = before.astimezone(TIMEZONE).date()
    table = Post.__table__
    last_id = db.session.scalar(db.select(db.func.max(Post.id))) or 0
    for first in range(0, count, CHUNK):
        rows = []
        for i in range(first, min(count, first + CHUNK)):
            # Oldest first, so ids grow with time as on a real board.
            day = start_day - timedelta(days=1 + (count - 1 - i) * GENERATED_YEARS * 365 // count)
            rows.append(generated_row(i, day, rng.choice(sources), rng, links, slug))
        ids = reserved_ids(table, len(rows))
        if ids is None:
            db.session.execute(table.insert(), rows)
            last_id = index_posts_after(last_id)
        else:  # PostgreSQL: the rows know their ids, and are indexed without reading back
            for row, post_id in zip(rows, ids, strict=True):
                row["id"] = post_id
            insert_rows(table, rows)
            search.index_posts(db.session.connection(), [
                IndexedRow(row["id"], row["title"], row["summary"], row["body"], row["byline"])
                for row in rows])
        db.session.commit()
        done = first + len(rows)
        if progress and (done % PROGRESS_EVERY == 0 or done == count):
            progress(f"  {done:,} / {count:,} generated posts inserted and indexed")


@dataclass
class IndexedRow:
    """A bulk-inserted post as the search index reads it: its texts, and no attachments."""

    id: int
    title: str
    summary: str
    body: str
    byline: str
    attachments: tuple = ()


def index_posts_after(last_id: int) -> int:
    """Add the posts newer than `last_id` to the search index; return the newest id.

    The index follows ORM changes only, so rows inserted in bulk are indexed here. Reading
    them back is cheaper than RETURNING on a bulk insert, and a post someone else saved
    meanwhile is merely indexed twice.
    """
    rows = db.session.execute(
        db.select(Post.id, Post.title, Post.summary, Post.body, Post.byline)
        .where(Post.id > last_id).order_by(Post.id)
    ).all()
    search.index_posts(db.session.connection(), [IndexedRow(*row) for row in rows])
    return rows[-1].id if rows else last_id


def generated_row(i: int, day: date, source: Source, rng: random.Random, links: list,
                  slug: Callable[[str], str]) -> dict:
    """Return one generated post as a row of the posts table."""
    activity, category_id = rng.choice(source.activities)
    place = rng.choice(source.places)
    moment = datetime(day.year, day.month, day.day, rng.randint(7, 20), rng.randint(0, 59),
                      tzinfo=TIMEZONE).astimezone(UTC)
    who = f"{source.subject} {place}".strip()
    title = generated_title(i, who, place, activity, day.year)
    date_text = day.strftime("%d/%m/%Y")
    people = rng.randint(25, 180)
    summary = (f"Ngày {date_text}, {who} {activity}, với sự tham gia của {people} "
               f"{source.people}.")
    body = generated_body(who, activity, date_text, people, source, rng, links)
    status = "draft" if i % 50 == 17 else "archived" if i % 101 == 5 else "published"
    return {
        "title": title, "slug": slug(title), "summary": summary, "body": body,
        "byline": rng.choice(source.bylines), "status": status, "is_pinned": False,
        "published_at": None if status == "draft" else moment,
        "created_at": moment, "updated_at": moment, "organization_id": source.org_id,
        "category_id": category_id, "author_id": None,
    }


def generated_title(i: int, who: str, place: str, activity: str, year: int) -> str:
    """Vary the shape of generated titles."""
    if i % 3 == 0:
        return f"{who} {activity}"
    if i % 3 == 1 or not place:
        return f"{who} {activity} năm {year}"
    return f"{place[0].upper()}{place[1:]}: {activity[0].upper()}{activity[1:]}"


def generated_body(who: str, activity: str, date_text: str, people: int, source: Source,
                   rng: random.Random, links: list) -> str:
    """Return a generated body of three or four paragraphs, sometimes crediting a partner."""
    venue = rng.choice(VENUES)
    paragraphs = [
        f"Ngày {date_text}, tại {venue}, {who} {activity}. Tham dự có đại diện lãnh đạo thị "
        f"trấn {TOWN}, các tổ chức đoàn thể cùng {people} {source.people}.",
        rng.choice(GENERATED_MIDDLES),
        rng.choice(GENERATED_CLOSINGS),
    ]
    if rng.random() < 0.2:
        slug, name = rng.choice(links)
        paragraphs.insert(2, f'Hoạt động có sự phối hợp của <a href="/org/{slug}">{name}</a> '
                             f"xã.")
    return "".join(f"<p>{text}</p>" for text in paragraphs)
