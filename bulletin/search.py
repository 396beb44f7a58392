"""Full-text search over posts, right for Vietnamese.

Text is folded before it is indexed and before it is searched (lower case, no diacritics,
đ→d; see bulletin.text.fold), so "dai hoi", "ĐẠI HỘI" and "Đại hội" are the same words.
SQLite keeps the folded text in an FTS5 table, PostgreSQL in a weighted tsvector; a table
of known words feeds "did you mean" when a query finds nothing. The index follows every
ORM change of a post (a session hook); bulk loads call `rebuild()`.

Ranking puts the query's words as typed first: posts holding them side by side in the
query's order (the phrase) come before posts holding them close together, which come before
posts that merely hold every word somewhere; within each tier, the usual relevance (bm25 on
SQLite, cover density on PostgreSQL, which itself favours words close together) decides.

Accents typed are meant: a query typed with diacritics ("bản đồ", "mẹ", "đường") puts first
the posts holding it exactly as typed (the phrase, then every word), then the rest of what the
folded index found ("bán đồ", "me", "Dương"); a query typed without them ranks as before.
The check reads the candidates' own text (case variants of the typed words), so the index
keeps one folded form.
"""

import difflib
import html as html_module
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime

import click
from flask.cli import AppGroup
from markupsafe import Markup, escape
from sqlalchemy import (
    and_,
    bindparam,
    case,
    column,
    event,
    func,
    literal,
    literal_column,
    or_,
    table,
    text,
)
from sqlalchemy.orm import Session, selectinload

from bulletin.caching import versions
from bulletin.extensions import db
from bulletin.i18n import TIMEZONE
from bulletin.models import Attachment, Post
from bulletin.text import fold, words

MAX_TOKENS = 10
MAX_TOKEN_LENGTH = 40
TERM_LENGTHS = (2, 40)
SNIPPET_CHARS = 240
CANDIDATES = 1000
NEAR_TOKENS = 3  # "close together": at most this many other words between two query words
PHRASE, NEAR, ANYWHERE = 2, 1, 0
# Column weights: title above lead above byline/files above body.
SQLITE_RANK = "bm25(search_posts, 10.0, 5.0, 1.0, 2.0, 2.0)"

# The index tables are made by a hand-written migration; these name them for queries.
search_table = table("search_posts", column("rowid"), column("post_id"), column("document"))


@dataclass
class Hit:
    """One search result: the post and its highlighted title and snippet."""

    post: Post
    title: Markup
    snippet: Markup


@dataclass
class Results:
    """A page of search results."""

    hits: list[Hit] = field(default_factory=list)
    page: int = 1
    has_next: bool = False
    tokens: list[str] = field(default_factory=list)
    suggestion: str | None = None
    total: int = 0
    more_than_total: bool = False  # `total` is a floor: "more than 1,000"


def query_tokens(query: str | None) -> list[str]:
    """Return the folded words of a user's query, bounded in number and length."""
    return [w[:MAX_TOKEN_LENGTH] for w in words(query)][:MAX_TOKENS]


def plain_text(html: str | None) -> str:
    """Return the text of an HTML body (nh3 is loaded by the first body indexed)."""
    import nh3

    return html_module.unescape(nh3.clean(html or "", tags=set())).strip()


def document(post: Post) -> dict[str, str]:
    """Return the folded text of each indexed part of a post."""
    return {
        "title": fold(post.title),
        "summary": fold(post.summary),
        "body": fold(plain_text(post.body)),
        "byline": fold(post.byline),
        "files": fold(" ".join(a.original_name for a in post.attachments)),
    }


def _is_sqlite(connection) -> bool:
    """Return True on SQLite."""
    return connection.dialect.name == "sqlite"


def index_posts(connection, posts) -> None:
    """Write the index rows of `posts` (replacing old ones) and remember their words."""
    rows = [{"id": post.id, **document(post)} for post in posts]
    if not rows:
        return
    if _is_sqlite(connection):
        connection.execute(text("DELETE FROM search_posts WHERE rowid = :id"),
                           [{"id": r["id"]} for r in rows])
        connection.execute(text(
            "INSERT INTO search_posts (rowid, title, summary, body, byline, files) "
            "VALUES (:id, :title, :summary, :body, :byline, :files)"), rows)
    else:
        connection.execute(text(
            "INSERT INTO search_posts (post_id, document) VALUES (:id, "
            "setweight(to_tsvector('simple', :title), 'A') || "
            "setweight(to_tsvector('simple', :summary), 'B') || "
            "setweight(to_tsvector('simple', :byline || ' ' || :files), 'C') || "
            "setweight(to_tsvector('simple', :body), 'D')) "
            "ON CONFLICT (post_id) DO UPDATE SET document = EXCLUDED.document"), rows)
    remember_terms(connection, rows)


def remember_terms(connection, rows: list[dict]) -> None:
    """Add the words of indexed text to the vocabulary used for suggestions."""
    low, high = TERM_LENGTHS
    seen: set[str] = set()
    for r in rows:  # most words recur: check each distinct one once
        for part in ("title", "summary", "body", "byline"):
            seen.update(r[part].split())
    terms = {w for w in seen if low <= len(w) <= high and w.isalpha()}
    if not terms:
        return
    verb = "INSERT OR IGNORE INTO" if _is_sqlite(connection) else "INSERT INTO"
    tail = "" if _is_sqlite(connection) else " ON CONFLICT DO NOTHING"
    connection.execute(text(f"{verb} search_terms (term) VALUES (:term){tail}"),  # noqa: S608
                       [{"term": t} for t in sorted(terms)])


@event.listens_for(Session, "after_flush")
def _note_post_changes(session, _flush_context) -> None:
    """Note every post written or changed in this flush (attachments included)."""
    changed = session.info.setdefault("search_changed", {})
    for obj in (*session.new, *session.dirty):
        post = obj if isinstance(obj, Post) else getattr(obj, "post", None)
        if isinstance(post, Post) and isinstance(obj, Post | Attachment):
            changed[id(post)] = post


@event.listens_for(Session, "after_flush_postexec")
def _index_changed_posts(session, _flush_context) -> None:
    """Re-index the noted posts once the flush is complete (loading is safe again)."""
    changed = session.info.pop("search_changed", {})
    posts = [p for p in changed.values() if p.id is not None and p not in session.deleted]
    if posts:
        index_posts(session.connection(), posts)


def rebuild(batch: int = 1000) -> int:
    """Rebuild the whole index from the posts table; return the number of posts."""
    connection = db.session.connection()
    connection.execute(text("DELETE FROM search_posts"))
    total, last_id = 0, 0
    while True:
        posts = db.session.scalars(
            db.select(Post).where(Post.id > last_id).order_by(Post.id).limit(batch)
            .options(selectinload(Post.attachments))
        ).all()
        if not posts:
            break
        index_posts(connection, posts)
        total += len(posts)
        last_id = posts[-1].id
        db.session.expunge_all()
    db.session.commit()
    return total


def is_empty() -> bool:
    """Return True when the index has no rows."""
    return db.session.execute(text("SELECT 1 FROM search_posts LIMIT 1")).first() is None


def tsquery(tokens: list[str]) -> str:
    """PostgreSQL query text: every word quoted (\\w+ never holds a quote), last one a prefix."""
    expression = " & ".join(f"'{t}'" for t in tokens[:-1])
    return (expression + " & " if expression else "") + f"'{tokens[-1]}':*"


def match_clause(tokens: list[str]):
    """Return the WHERE clause and ranking of a query, quoted so no input can break it."""
    if db.engine.dialect.name == "sqlite":
        # Every word in double quotes (\w+ never holds one); the last also as a prefix.
        expression = " ".join(f'"{t}"' for t in tokens[:-1]) + f' "{tokens[-1]}"*'
        where = text("search_posts MATCH :match").bindparams(match=expression.strip())
        return search_table.c.rowid, where, text(SQLITE_RANK)
    expression = tsquery(tokens)
    where = text("search_posts.document @@ to_tsquery('simple', :match)").bindparams(
        match=expression)
    rank = text("ts_rank_cd(search_posts.document, to_tsquery('simple', :match)) DESC")
    return search_table.c.post_id, where, rank.bindparams(match=expression)


def proximity_queries(tokens: list[str]) -> tuple[str, str]:
    """Return the phrase query and the words-close-together query of two or more words."""
    if db.engine.dialect.name == "sqlite":
        quoted = " ".join(f'"{t}"' for t in tokens)
        return f'"{" ".join(tokens)}"', f"NEAR({quoted}, {NEAR_TOKENS})"
    phrase = " <-> ".join(f"'{t}'" for t in tokens)
    pairs = [" | ".join(f"'{a}' <{n}> '{b}'" for n in range(1, NEAR_TOKENS + 2))
             for a, b in zip(tokens, tokens[1:], strict=False)]
    return phrase, " & ".join(f"({p})" for p in pairs)


def tier_column(tokens: list[str], key):
    """How the query's words stand in a post: PHRASE, NEAR or ANYWHERE (larger is better)."""
    if len(tokens) < 2:
        return literal(ANYWHERE)
    phrase, near = proximity_queries(tokens)
    if db.engine.dialect.name == "sqlite":
        def holds(name: str, expression: str):
            """Posts whose index matches `expression` (a subquery the planner runs once)."""
            hits = text(f"SELECT rowid FROM search_posts WHERE search_posts MATCH :{name}")  # noqa: S608 - a fixed name
            return key.in_(hits.bindparams(**{name: expression}).columns(column("rowid")))
    else:
        def holds(name: str, expression: str):
            """The post's document matches `expression`."""
            query = func.to_tsquery(literal_column("'simple'"), bindparam(name, expression))
            return search_table.c.document.op("@@")(query)
    return case((holds("phrase_match", phrase), PHRASE), (holds("near_match", near), NEAR),
                else_=ANYWHERE)


def count_all(stmt, tokens: list[str]) -> tuple[int, bool]:
    """Return how many posts match, counting no further than CANDIDATES (then: "more")."""
    key, where, _rank = match_clause(tokens)
    hits = (stmt.join(search_table, key == Post.id).where(where)
            .with_only_columns(Post.id).limit(CANDIDATES + 1).subquery())
    found = db.session.scalar(db.select(func.count()).select_from(hits))
    return min(found, CANDIDATES), found > CANDIDATES


def search_posts(stmt, query: str, page: int = 1, per_page: int = 20) -> Results:
    """Run `query` over the posts selected by `stmt` (visibility and filters applied).

    Ranking every match of a common word costs time in proportion to the matches, so only
    the newest CANDIDATES matches (after the filters) are ranked; a news board's readers want
    the recent ones, and rare words are fully ranked anyway.
    """
    tokens = query_tokens(query)
    results = Results(page=page, tokens=tokens)
    if not tokens:
        return results
    key, where, _rank = match_clause(tokens)
    score = rank_column(tokens)
    candidates = (stmt.join(search_table, key == Post.id).where(where)
                  .with_only_columns(Post.id.label("post_id"), score.label("score"),
                                     tier_column(tokens, key).label("tier"))
                  .order_by(key.desc()).limit(CANDIDATES).subquery())
    ranked = (db.select(Post).join(candidates, candidates.c.post_id == Post.id)
              .order_by(accent_column(query).desc(), candidates.c.tier.desc(),
                        candidates.c.score.desc(),
                        Post.published_at.desc(), Post.id.desc())
              .options(selectinload(Post.organization), selectinload(Post.images))
              .offset((page - 1) * per_page).limit(per_page + 1))
    posts = list(db.session.scalars(ranked))
    results.has_next = len(posts) > per_page
    results.total, results.more_than_total = count_all(stmt, tokens)
    results.hits = [Hit(p, highlight(p.title, tokens), snippet(p, tokens))
                    for p in posts[:per_page]]
    return results


def typed_words(query: str | None) -> list[str]:
    """The query's words as typed (NFC, accents and case kept), bounded like the tokens."""
    typed = re.findall(r"[^\W_]+", unicodedata.normalize("NFC", query or ""))
    return [w[:MAX_TOKEN_LENGTH] for w in typed][:MAX_TOKENS]


def _case_variants(phrase: str) -> set[str]:
    """The ways a phrase is written in a post: lower case, as a sentence, as a name, capitals."""
    lower = phrase.lower()
    return {lower, lower[:1].upper() + lower[1:], lower.title(), lower.upper(), phrase}


def accent_column(query: str | None):
    """2 when a post holds the accented query exactly as typed, 1 when it holds each of its
    words so, 0 otherwise; always 0 for a query typed without diacritics."""
    typed = typed_words(query)
    if not typed or all(fold(w) == w.lower() for w in typed):
        return literal(0)
    blank = literal(" ")
    written = (func.coalesce(Post.title, "") + blank + func.coalesce(Post.summary, "") + blank
               + func.coalesce(Post.byline, "") + blank + func.coalesce(Post.body, ""))

    def holds(phrase: str):
        """The post's text holds `phrase` in one of its usual cases."""
        return or_(*(written.like(f"%{variant}%") for variant in sorted(_case_variants(phrase))))

    return case((holds(" ".join(typed)), 2), (and_(*(holds(w) for w in typed)), 1), else_=0)


def rank_column(tokens: list[str]):
    """The relevance of a match, larger is better (bm25 is negated: smaller is better)."""
    if db.engine.dialect.name == "sqlite":
        return literal_column(f"-{SQLITE_RANK}")
    query = func.to_tsquery(literal_column("'simple'"), bindparam("rank_match", tsquery(tokens)))
    return func.ts_rank_cd(search_table.c.document, query)


def count_matches(stmt, tokens: list[str]) -> int:
    """Return how many posts a folded query finds (at most a few, for suggestions)."""
    key, where, _rank = match_clause(tokens)
    limited = stmt.join(search_table, key == Post.id).where(where).limit(3)
    return len(db.session.scalars(limited).all())


def suggest(stmt, tokens: list[str]) -> str | None:
    """Return a close query that finds something, when this one found nothing."""
    fixed = [_closest_term(t) or t for t in tokens]
    if fixed == tokens or not count_matches(stmt, fixed):
        return None
    return " ".join(fixed)


def _closest_term(token: str) -> str | None:
    """Return the known word nearest to `token`, or None if it is known or nothing is near."""
    known = db.session.execute(text("SELECT 1 FROM search_terms WHERE term = :t"),
                               {"t": token}).first()
    if known or len(token) < 2:
        return None
    if db.engine.dialect.name == "postgresql":
        row = db.session.execute(text(
            "SELECT term FROM search_terms WHERE term % :t "
            "ORDER BY similarity(term, :t) DESC, term LIMIT 1"), {"t": token}).first()
        return row[0] if row else None
    candidates = db.session.scalars(text(
        "SELECT term FROM search_terms WHERE term >= :lo AND term < :hi "
        "AND length(term) BETWEEN :short AND :long LIMIT 5000"),
        {"lo": token[0], "hi": chr(ord(token[0]) + 1), "short": len(token) - 2,
         "long": len(token) + 2}).all()
    close = difflib.get_close_matches(token, candidates, n=1, cutoff=0.7)
    return close[0] if close else None


def _folded_map(value: str) -> str:
    """Fold text character by character, keeping positions (for highlighting)."""
    out = []
    for ch in value:
        folded = fold(ch)
        out.append(folded if len(folded) == 1 else ch.lower())
    return "".join(out)


def _spans(value: str, tokens: list[str]) -> list[tuple[int, int]]:
    """Return the (start, end) positions where query words occur as words in `value`."""
    folded = _folded_map(value)
    spans = []
    for index, token in enumerate(tokens):
        prefix = index == len(tokens) - 1
        pattern = rf"(?<!\w){re.escape(token)}" + (r"\w*" if prefix else r"(?!\w)")
        spans.extend(m.span() for m in re.finditer(pattern, folded))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def highlight(value: str, tokens: list[str]) -> Markup:
    """Escape `value` and wrap the query's words in <mark>."""
    out, last = [], 0
    for start, end in _spans(value, tokens):
        out.append(escape(value[last:start]))
        out.append(Markup("<mark>") + escape(value[start:end]) + Markup("</mark>"))
        last = end
    out.append(escape(value[last:]))
    return Markup("").join(out)


def snippet(post: Post, tokens: list[str]) -> Markup:
    """A short passage of the lead or body around the first match, highlighted."""
    body = " ".join(f"{post.summary} {plain_text(post.body)}".split())
    spans = _spans(body, tokens)
    start = max(0, spans[0][0] - SNIPPET_CHARS // 3) if spans else 0
    if start:
        start = body.find(" ", start) + 1 or start
    end = min(len(body), start + SNIPPET_CHARS)
    if end < len(body):
        end = body.rfind(" ", start, end) if body.rfind(" ", start, end) > start else end
    passage = body[start:end]
    return (Markup("… ") if start else Markup("")) + highlight(passage, tokens) + \
        (Markup(" …") if end < len(body) else Markup(""))


def year_bounds(year: int) -> tuple[datetime, datetime]:
    """Return the start of `year` and of the next, in Vietnam's time."""
    return (datetime(year, 1, 1, tzinfo=TIMEZONE), datetime(year + 1, 1, 1, tzinfo=TIMEZONE))


search_group = AppGroup("search", help="Maintain the search index.")


@search_group.command("rebuild")
def rebuild_command():
    """Rebuild the search index from every post."""
    click.echo(f"indexed {rebuild()} posts")
    versions.bump()  # cached search pages were made from the old index


def rebuild_if_missing() -> None:
    """Fill an empty index when posts exist (a new install, a restore, an upgrade)."""
    if is_empty() and db.session.scalar(db.select(Post.id).limit(1)) is not None:
        rebuild()
