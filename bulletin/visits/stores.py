"""Where visits are kept: the database (de-duplicated visits, daily totals, last-seen times,
post views) and, when REDIS_URL is set, Redis (visitors per day, who is online, views not yet
flushed), shared by every worker."""

from datetime import date, datetime, timedelta

from sqlalchemy import case, delete, func
from sqlalchemy.dialects import postgresql, sqlite

from bulletin import redis_support
from bulletin.extensions import db
from bulletin.models import Post, PostViews, VisitDay, VisitorSeen, VisitTotal
from bulletin.visits.rules import ONLINE_WINDOW, local_day, week_start

KEEP_SEEN = timedelta(days=1)
KEEP_VISIT_DAYS = 8  # a week back from any day, plus a margin; totals stay in VisitTotal
BATCH_ROWS = 500  # well under SQLite's limit on bound parameters per statement
REDIS_TIMEOUT = 0.5  # seconds: a page must not hang on a dead Redis
REDIS_DAY_TTL = 2 * 24 * 3600
REDIS_ONLINE_TTL = 3600

UPSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


# --- The database side ------------------------------------------------------------------

def chunks(rows: list, size: int = BATCH_ROWS):
    """Yield `rows` in slices of at most `size`."""
    for start in range(0, len(rows), size):
        yield rows[start:start + size]


def insert_visits(connection, visits: set[tuple[date, str]]) -> dict[date, int]:
    """Insert the visits the database lacks; return how many each day really gained."""
    insert = UPSERTS[connection.dialect.name]
    by_day: dict[date, list[str]] = {}
    # Sorted, so concurrent flushes lock rows in one order and cannot deadlock.
    for day, visitor in sorted(visits):
        by_day.setdefault(day, []).append(visitor)
    gained = dict.fromkeys(by_day, 0)
    for day, visitors in by_day.items():
        for chunk in chunks(visitors):
            rows = [{"day_on": day, "visitor": visitor} for visitor in chunk]
            # RETURNING names only the rows really inserted (rowcount is not portable here).
            stmt = (insert(VisitDay).values(rows).on_conflict_do_nothing()
                    .returning(VisitDay.visitor))
            gained[day] += len(connection.execute(stmt).all())
    return gained


def add_to_totals(connection, gained: dict[date, int]) -> None:
    """Add each day's new visits to its total, atomically (`visits = visits + n`)."""
    insert = UPSERTS[connection.dialect.name]
    for day, count in sorted(gained.items()):
        if count:
            stmt = insert(VisitTotal).values(day_on=day, visits=count)
            connection.execute(stmt.on_conflict_do_update(
                index_elements=[VisitTotal.day_on],
                set_={"visits": VisitTotal.visits + stmt.excluded.visits},
            ))


def note_seen(connection, seen: dict[str, datetime]) -> None:
    """Record when each visitor was last seen (a later time never goes backwards)."""
    insert = UPSERTS[connection.dialect.name]
    rows = [{"visitor": visitor, "seen_at": at} for visitor, at in sorted(seen.items())]
    for chunk in chunks(rows):
        stmt = insert(VisitorSeen).values(chunk)
        connection.execute(stmt.on_conflict_do_update(
            index_elements=[VisitorSeen.visitor],
            set_={"seen_at": stmt.excluded.seen_at},
            where=VisitorSeen.seen_at < stmt.excluded.seen_at,
        ))


def add_views(connection, views: dict[int, int]) -> None:
    """Add each post's new views to its count, atomically (`views = views + n`)."""
    insert = UPSERTS[connection.dialect.name]
    existing = set(connection.execute(
        db.select(Post.id).where(Post.id.in_(list(views)))).scalars()) if views else set()
    for post_id, count in sorted(views.items()):
        if post_id in existing:  # a post may have gone since it was read
            stmt = insert(PostViews).values(post_id=post_id, views=count)
            connection.execute(stmt.on_conflict_do_update(
                index_elements=[PostViews.post_id],
                set_={"views": PostViews.views + stmt.excluded.views},
            ))


def post_views(post_id: int) -> int:
    """Return how many views of a post the database holds."""
    return db.session.scalar(db.select(PostViews.views).where(PostViews.post_id == post_id)) or 0


def delete_old_rows(connection, now: datetime) -> None:
    """Forget who was seen over a day ago and visits older than a week; totals stay."""
    connection.execute(delete(VisitorSeen).where(VisitorSeen.seen_at < now - KEEP_SEEN))
    oldest = local_day(now) - timedelta(days=KEEP_VISIT_DAYS)
    connection.execute(delete(VisitDay).where(VisitDay.day_on < oldest))


def visit_figures(now: datetime) -> dict[str, int]:
    """Return today's, this week's and all visits, from the daily totals only."""
    today = local_day(now)
    visits = VisitTotal.visits
    row = db.session.execute(db.select(
        func.coalesce(func.sum(case((VisitTotal.day_on == today, visits), else_=0)), 0),
        func.coalesce(func.sum(case((VisitTotal.day_on >= week_start(today), visits),
                                    else_=0)), 0),
        func.coalesce(func.sum(visits), 0),
    )).one()
    return {"today": int(row[0]), "week": int(row[1]), "total": int(row[2])}


def online_in_database(now: datetime) -> int:
    """Count the browsers the database saw in the last five minutes."""
    return db.session.scalar(
        db.select(func.count()).select_from(VisitorSeen)
        .where(VisitorSeen.seen_at >= now - ONLINE_WINDOW)
    )


# --- The Redis side ---------------------------------------------------------------------

class RedisStore:
    """A set of visitors per day and a sorted set of last-seen times, shared by all workers."""

    def __init__(self, url: str, prefix: str):
        self.client = redis_support.connect(url, REDIS_TIMEOUT)
        self.prefix = prefix

    def day_key(self, day: date) -> str:
        """Return the key of `day`'s visitor set."""
        return f"{self.prefix}day:{day.isoformat()}"

    @property
    def online_key(self) -> str:
        """Return the key of the last-seen sorted set."""
        return f"{self.prefix}online"

    def record(self, day: date, visitor: str, moment: datetime) -> bool:
        """Note a page view; return True when it is the visitor's first one of `day`."""
        pipe = self.client.pipeline(transaction=False)
        pipe.sadd(self.day_key(day), visitor)
        pipe.expire(self.day_key(day), REDIS_DAY_TTL)
        pipe.zadd(self.online_key, {visitor: moment.timestamp()})
        pipe.expire(self.online_key, REDIS_ONLINE_TTL)
        return bool(pipe.execute()[0])

    def newcomer(self, day: date, address: str) -> int:
        """Count a visitor without our cookie from `address` on `day`; return how many."""
        key = f"{self.prefix}new:{day.isoformat()}:{address}"
        pipe = self.client.pipeline(transaction=False)
        pipe.incr(key)
        pipe.expire(key, REDIS_DAY_TTL)
        return int(pipe.execute()[0])

    def first_view(self, day: date, key: str) -> bool:
        """Note that a visitor read a post on `day`; True the first time."""
        viewed = f"{self.prefix}viewed:{day.isoformat()}"
        pipe = self.client.pipeline(transaction=False)
        pipe.sadd(viewed, key)
        pipe.expire(viewed, REDIS_DAY_TTL)
        return bool(pipe.execute()[0])

    def has_viewed(self, day: date, key: str) -> bool:
        """True when a visitor's reading of a post on `day` is noted already."""
        return bool(self.client.sismember(f"{self.prefix}viewed:{day.isoformat()}", key))

    @property
    def views_key(self) -> str:
        """Return the key of the hash of unflushed views per post."""
        return f"{self.prefix}views"

    def add_view(self, post_id: int) -> None:
        """Count one view of a post, shared by every worker until a flush takes it."""
        self.client.hincrby(self.views_key, str(post_id), 1)

    def take_views(self) -> dict[int, int]:
        """Read and empty the views hash in one step (MULTI), so no view is taken twice."""
        pipe = self.client.pipeline(transaction=True)
        pipe.hgetall(self.views_key)
        pipe.delete(self.views_key)
        taken = pipe.execute()[0]
        return {int(key): int(value) for key, value in taken.items()}

    def online(self, now: datetime) -> int:
        """Drop visitors gone for five minutes and count the rest."""
        since = (now - ONLINE_WINDOW).timestamp()
        pipe = self.client.pipeline(transaction=False)
        pipe.zremrangebyscore(self.online_key, "-inf", f"({since}")
        pipe.zcard(self.online_key)
        return int(pipe.execute()[1])
