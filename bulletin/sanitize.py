"""Post bodies: user HTML cut down to a safe subset with nh3."""

import re

import nh3

ALLOWED_TAGS = {
    "p", "br", "b", "strong", "i", "em", "u", "h2", "h3", "h4", "ul", "ol", "li",
    "blockquote", "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption", "a", "img",
    "figure", "figcaption", "hr", "sub", "sup",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
    "ol": {"start"},
}
# Our own uploaded photos are the only images a body may show.
_OWN_IMAGE_RE = re.compile(r"^/images/\d+/(large|thumb)\.jpg$")
# What browsers strip from a URL before reading it: controls, spaces at the ends, tab, LF, CR.
_BROWSER_IGNORED_RE = re.compile(r"[\x00-\x20\x7f]")
# Browsers' editors (and pasted web pages) make a <div> per line: each is a paragraph.
_DIV_RE = re.compile(r"<(/?)div\b[^>]*>", re.IGNORECASE)
_EMPTY_P_RE = re.compile(r"<p>(?:\s|&nbsp;|<br\s*/?>)*</p>", re.IGNORECASE)
_BLOCK_RE = re.compile(r"<(p|div|br|h[1-6]|ul|ol|table|blockquote|figure|hr)\b", re.IGNORECASE)


def paragraphs_from_lines(html: str) -> str:
    """Text typed without any block tag (the plain textarea): blank lines part paragraphs."""
    if _BLOCK_RE.search(html) or "\n" not in html.strip():
        return html
    blocks = re.split(r"\n\s*\n", html.strip().replace("\r\n", "\n"))
    return "".join(f"<p>{block.strip().replace(chr(10), '<br>')}</p>" for block in blocks)


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    """Keep links to http(s) and local paths, and images of our own uploads only."""
    if tag == "img" and attribute == "src":
        return value if _OWN_IMAGE_RE.match(value) else None
    if tag == "a" and attribute == "href":
        return value if _is_safe_href(value) else None
    return value


def _is_safe_href(value: str) -> bool:
    """Return True for an http(s), mailto, fragment or same-site path link.

    Judged the way browsers read it: they drop tabs, newlines and control characters
    anywhere, and treat a backslash as a slash, so `/\\evil.example` or `/<tab>/evil` are
    protocol-relative links to another site."""
    seen = _BROWSER_IGNORED_RE.sub("", value).replace("\\", "/").lower()
    if seen.startswith("//"):
        return False
    return seen.startswith(("http://", "https://", "/", "#", "mailto:"))


def clean_html(html: str | None) -> str:
    """Return `html` with only the allowed tags, attributes and URLs (scripts dropped)."""
    cleaned = nh3.clean(
        _DIV_RE.sub(r"<\1p>", paragraphs_from_lines(html or "")),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        attribute_filter=_filter_attribute,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
    return _EMPTY_P_RE.sub("", cleaned).strip()
