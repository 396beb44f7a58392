"""Late fills: figures a kept page shows that move on their own, filled in as it is served.

A template writes `{{ late_fill("visits.today") }}` where a moving figure goes: a placeholder
comment carrying this process's random mark (so no text a reader typed can pose as one).
Whoever owns the figures registers a producer for the group ("visits") at start: a function
returning the group's current values, and the function that formats one for the page. Every
response whose page used a placeholder is filled just before it leaves; a kept page keeps its
placeholders (`Template`) and remembers its last few filled copies, plain and gzipped, so
serving it again with the same figures costs a dictionary look-up.
"""

import gzip
import hashlib
import re
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from flask import Flask, Response, current_app, g
from markupsafe import Markup

GZIP_LEVEL = 6
KEPT_COPIES = 4  # e.g. a new and a returning browser, on either side of a change of figures
NAME_RE = r"[a-z_]+\.[a-z_]+"


@dataclass
class Producer:
    """A group's current values (name → raw value), and how one value reads on the page."""

    values: Callable[[], Mapping[str, object]]
    show: Callable[[object], str] = str


class LateFills:
    """The app's producers and the mark its placeholders carry."""

    def __init__(self):
        self.producers: dict[str, Producer] = {}
        self.mark = secrets.token_hex(8)
        self.pattern = re.compile(f"<!--fill:{self.mark}:({NAME_RE})-->".encode())

    def placeholder(self, name: str) -> Markup:
        """The text a template puts where the figure `name` goes."""
        if not re.fullmatch(NAME_RE, name):
            raise ValueError(f"a late fill is named group.figure, not {name!r}")
        return Markup("<!--fill:{}:{}-->").format(self.mark, name)

    def current(self, groups: tuple[str, ...]) -> tuple:
        """The current raw values of `groups`, as a key for kept copies."""
        return tuple((group, tuple(sorted(self.producers[group].values().items())))
                     for group in groups)

    def text(self, values: tuple) -> dict[str, str]:
        """The page text of every value: "group.name" → formatted value."""
        shown = {}
        for group, items in values:
            show = self.producers[group].show
            shown.update((f"{group}.{name}", show(value)) for name, value in items)
        return shown


def fills(app: Flask | None = None) -> LateFills:
    """Return the app's late fills (made on first use, so producers may register early)."""
    extensions = (app or current_app).extensions
    if "late_fills" not in extensions:
        extensions["late_fills"] = LateFills()
    return extensions["late_fills"]


def register(app: Flask, group: str, values: Callable[[], Mapping[str, object]],
             show: Callable[[object], str] = str) -> None:
    """Fill the placeholders "group.…" with `values()` (each formatted by `show`)."""
    fills(app).producers[group] = Producer(values, show)


def late_fill(name: str) -> Markup:
    """Template global: a placeholder for the moving figure `name` ("visits.today")."""
    g.late_fills = True
    return fills().placeholder(name)


@dataclass
class Filled:
    """One filled copy of a template: plain, gzipped, and a tag of its values for the ETag."""

    body: bytes
    gzipped: bytes
    tag: str


@dataclass
class Template:
    """A page body cut at its placeholders: text, name, text, name, …, text."""

    parts: list
    groups: tuple[str, ...]
    copies: dict = field(default_factory=dict)

    @classmethod
    def cut(cls, body: bytes, late: LateFills) -> "Template | None":
        """Cut `body` at its placeholders; None when it has none."""
        parts = late.pattern.split(body)
        if len(parts) == 1:
            return None
        names = [name.decode() for name in parts[1::2]]
        parts[1::2] = names
        groups = tuple(sorted({name.partition(".")[0] for name in names}))
        return cls(parts=parts, groups=groups)

    @property
    def size(self) -> int:
        """About the bytes it holds with its kept copies, for the store's bound."""
        text = sum(len(part) for part in self.parts[::2])
        return text + KEPT_COPIES * (text + text // 2)

    def render(self, shown: dict[str, str]) -> bytes:
        """The body with every placeholder replaced by its text."""
        pieces = list(self.parts)
        pieces[1::2] = [shown.get(name, "").encode() for name in self.parts[1::2]]
        return b"".join(pieces)

    def filled(self, late: LateFills) -> Filled:
        """The body filled with the current values, made once per set of values."""
        values = late.current(self.groups)
        copy = self.copies.get(values)
        if copy is None:
            body = self.render(late.text(values))
            copy = Filled(body=body, gzipped=gzip.compress(body, GZIP_LEVEL, mtime=0),
                          tag=hashlib.blake2b(repr(values).encode(), digest_size=6).hexdigest())
            if len(self.copies) >= KEPT_COPIES:
                self.copies = {}  # the figures moved on: the old copies will not return
            self.copies[values] = copy
        return copy


def fill_response(response: Response) -> Response:
    """Fill the placeholders of a page rendered for this request (kept pages come filled)."""
    if not g.pop("late_fills", False) or response.direct_passthrough or response.is_streamed:
        return response
    late = fills()
    template = Template.cut(response.get_data(), late)
    if template is not None:
        response.set_data(template.render(late.text(late.current(template.groups))))
    return response


def init_app(app: Flask) -> None:
    """Offer `late_fill` to templates and fill every response that used it."""
    fills(app)
    app.add_template_global(late_fill, "late_fill")
    app.after_request(fill_response)
