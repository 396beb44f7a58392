"""Atom feeds of published posts (RFC 4287), written with the standard library's ElementTree.

feedgen did this before; with lxml it cost every worker that ever served a feed about 6 MB.
Texts lose the characters XML 1.0 cannot hold, so a feed is always well-formed.
"""

import re
from datetime import UTC, datetime
from xml.etree import ElementTree as ET  # noqa: N817 -- writing only, never parsing input

from flask import Response, request
from flask_babel import gettext as _

from bulletin.extensions import db
from bulletin.models import Post, utcnow
from bulletin.posts.queries import with_cards
from bulletin.security import external_url
from bulletin.site import identity

FEED_SIZE = 30
ATOM = "http://www.w3.org/2005/Atom"
NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


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
    site = identity().full_name or _("Bảng tin")
    feed = ET.Element("feed", {"xmlns": ATOM, "xml:lang": "vi"})
    _text(feed, "id", self_url)
    _text(feed, "title", f"{title} – {site}" if title else site)
    updated = max((p.updated_at for p in posts), default=None)
    _text(feed, "updated", _when(updated or utcnow()))
    ET.SubElement(feed, "link", href=self_url, rel="self", type="application/atom+xml")
    ET.SubElement(feed, "link", href=external_url("posts.home"), rel="alternate",
                  type="text/html")
    _text(feed, "generator", "Bảng tin")
    for post in posts:
        _add_entry(feed, post)
    ET.indent(feed)
    body = ET.tostring(feed, encoding="utf-8", xml_declaration=True)
    return Response(body, mimetype="application/atom+xml",
                    headers={"Cache-Control": "public, max-age=60"})


def _text(parent: ET.Element, tag: str, text: str, **attributes) -> ET.Element:
    """Add an element holding `text` (cleaned of what XML cannot hold)."""
    element = ET.SubElement(parent, tag, attributes)
    element.text = NOT_IN_XML.sub("", text)
    return element


def _when(moment: datetime) -> str:
    """An RFC 3339 time; the database's naive times are UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.isoformat(timespec="seconds")


def _add_entry(feed: ET.Element, post: Post) -> None:
    """Add one post to the feed."""
    url = external_url("posts.detail", post_id=post.id, slug=post.slug)
    entry = ET.SubElement(feed, "entry")
    _text(entry, "id", url)
    _text(entry, "title", post.title)
    ET.SubElement(entry, "link", href=url, rel="alternate", type="text/html")
    _text(entry, "published", _when(post.published_at))
    _text(entry, "updated", _when(max(post.updated_at, post.published_at)))
    author = ET.SubElement(entry, "author")
    _text(author, "name", post.byline or post.organization.name)
    ET.SubElement(entry, "category", term=post.organization.slug,
                  label=NOT_IN_XML.sub("", post.organization.name))
    if post.summary:
        _text(entry, "summary", post.summary)
    _text(entry, "content", post.body, type="html")
