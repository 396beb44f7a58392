"""Atom feeds of published posts (feedgen writes the XML)."""

from flask import Response, request
from flask_babel import gettext as _

from bulletin.extensions import db
from bulletin.models import Post, utcnow
from bulletin.posts.queries import with_cards
from bulletin.security import external_url
from bulletin.site import identity

FEED_SIZE = 30


def atom_response(stmt, title: str | None) -> Response:
    """Render the newest posts of `stmt` as an Atom feed of this request's feed address."""
    # Ids and links come from BASE_URL when set: never from the Host header of whoever
    # happened to fill a shared cache (the feed is publicly cacheable).
    self_url = external_url(request.endpoint, **request.view_args)
    posts = list(
        db.session.scalars(
            with_cards(stmt).order_by(Post.published_at.desc(), Post.id.desc()).limit(FEED_SIZE)
        )
    )
    from feedgen.feed import FeedGenerator  # with lxml about 6 MB: loaded by a feed only

    site = identity().full_name or _("Bảng tin")
    generator = FeedGenerator()
    generator.id(self_url)
    generator.title(f"{title} – {site}" if title else site)
    generator.link(href=self_url, rel="self", type="application/atom+xml")
    generator.link(href=external_url("posts.home"), rel="alternate", type="text/html")
    generator.language("vi")
    generator.generator("Bảng tin")
    updated = max((p.updated_at for p in posts), default=None)
    if updated is not None:
        generator.updated(updated)
    for post in reversed(posts):  # feedgen prepends entries
        _add_entry(generator, post)
    if updated is None:
        generator.updated(utcnow())
    body = generator.atom_str(pretty=True)
    return Response(body, mimetype="application/atom+xml",
                    headers={"Cache-Control": "public, max-age=60"})


def _add_entry(generator, post: Post) -> None:
    """Add one post to the feed."""
    url = external_url("posts.detail", post_id=post.id, slug=post.slug)
    entry = generator.add_entry()
    entry.id(url)
    entry.title(post.title)
    entry.link(href=url, rel="alternate", type="text/html")
    entry.published(post.published_at)
    entry.updated(max(post.updated_at, post.published_at))
    entry.author(name=post.byline or post.organization.name)
    entry.category(term=post.organization.slug, label=post.organization.name)
    if post.summary:
        entry.summary(post.summary)
    entry.content(post.body, type="html")
