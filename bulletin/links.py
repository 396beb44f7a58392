"""Links for long lists: one `url_for` per list instead of one per row.

Building a URL walks Werkzeug's rules; a page of thirty rows with three links each spent more
time there than in the rest of its template. Rows' links differ only in the row's number (and
a post's slug), so the address is built once around stand-ins and each row's values are put in
their place, quoted as Werkzeug quotes them.
"""

from flask import current_app, url_for

# Values no page links to, standing in for a row's own while the address is built.
_NUMBER = 918273645
_TEXT = "zqxwvstandin"


def row_url(endpoint: str, number: str, text: str | None = None, **values):
    """A function giving `endpoint`'s address for a row: its whole number as the argument
    `number` and, with `text`, a text (a slug) as that argument."""
    arguments = {**values, number: _NUMBER}
    if text is not None:
        arguments[text] = _TEXT
    head, tail = url_for(endpoint, **arguments).split(str(_NUMBER), 1)
    if text is None:
        return lambda value: f"{head}{int(value)}{tail}"
    middle, end = tail.split(_TEXT, 1)
    url_map = current_app.url_map
    quote = url_map.converters["default"](url_map).to_url

    def build(value, words: str) -> str:
        if not words:  # another rule (no slug) answers for an empty one
            return url_for(endpoint, **{**values, number: value, text: words})
        return f"{head}{int(value)}{middle}{quote(words)}{end}"

    return build
