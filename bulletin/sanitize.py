"""Post bodies: user HTML cut down to a safe subset with nh3.

nh3 is loaded by the first body a worker cleans: a worker that only serves pages never needs it.
"""

import re

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
# Word's lists: paragraphs styled `mso-list:l0 level1 lfo1`, each led by its bullet or number
# in a `mso-list:Ignore` span (inside `<![if !supportLists]>` … `<![endif]>`).
_PARAGRAPH_RE = re.compile(r"<p\b([^>]*)>(.*?)</p\s*>", re.IGNORECASE | re.DOTALL)
_WORD_LEVEL_RE = re.compile(r"mso-list:\s*(l\d+)\s+level(\d+)", re.IGNORECASE)
_WORD_MARKER_RE = re.compile(
    r"<span[^>]*mso-list:\s*Ignore[^>]*>((?:[^<]|<span[^>]*>[^<]*</span>)*)</span>",
    re.IGNORECASE | re.DOTALL)
_DOWNLEVEL_RE = re.compile(r"<!\[(?:if [^\]]*|endif)\]>", re.IGNORECASE)
_NUMBERED_RE = re.compile(r"^[(\[]?([0-9]+|[a-z]|[ivxlcdm]+)[.)\]]", re.IGNORECASE)
_TAG_RE = re.compile(r"<[^>]*>")


def paragraphs_from_lines(html: str) -> str:
    """Text typed without any block tag (the plain textarea): blank lines part paragraphs."""
    if _BLOCK_RE.search(html) or "\n" not in html.strip():
        return html
    blocks = re.split(r"\n\s*\n", html.strip().replace("\r\n", "\n"))
    return "".join(f"<p>{block.strip().replace(chr(10), '<br>')}</p>" for block in blocks)


def word_lists(html: str) -> str:
    """Turn Word's list paragraphs into <ul>/<ol> and <li> (nested by level), so a bulleted
    list pasted from Word stays a list instead of "·  text" paragraphs."""
    if "mso-list" not in html:
        return html
    html = _DOWNLEVEL_RE.sub("", html)
    out: list[str] = []
    stack: list[str] = []  # the open lists, outermost first; each has an open <li>
    last, which = 0, None  # which: Word's number of the open list (another is another list)
    for match in _PARAGRAPH_RE.finditer(html):
        level = _WORD_LEVEL_RE.search(match.group(1))
        between = html[last:match.start()]
        if level is None or between.strip() or level.group(1) != which:
            _close_lists(stack, out, 0)
        out.append(between)
        last = match.end()
        if level is None:
            out.append(match.group(0))
            continue
        marker = _WORD_MARKER_RE.search(match.group(2))
        text = _TAG_RE.sub("", marker.group(1)) if marker else ""
        ordered = bool(_NUMBERED_RE.match(text.replace("&nbsp;", "").strip()))
        which = level.group(1)
        _open_item(stack, out, int(level.group(2)), "ol" if ordered else "ul")
        out.append(_WORD_MARKER_RE.sub("", match.group(2), count=1))
    _close_lists(stack, out, 0)
    out.append(html[last:])
    return "".join(out)


def _open_item(stack: list[str], out: list[str], level: int, tag: str) -> None:
    """Start an item at `level` (1 = outermost), opening or closing lists on the way."""
    level = max(1, min(level, 9))
    if len(stack) >= level:
        _close_lists(stack, out, level)
        out.append("</li><li>")
    while len(stack) < level:
        out.append(f"<{tag}><li>")
        stack.append(tag)


def _close_lists(stack: list[str], out: list[str], depth: int) -> None:
    """Close the open lists deeper than `depth`."""
    while len(stack) > depth:
        out.append(f"</li></{stack.pop()}>")


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
    import nh3

    cleaned = nh3.clean(
        _DIV_RE.sub(r"<\1p>", word_lists(paragraphs_from_lines(html or ""))),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        attribute_filter=_filter_attribute,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
    return _EMPTY_P_RE.sub("", cleaned).strip()
