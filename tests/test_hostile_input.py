"""Hostile input never makes a server error: every GET rule and every form, on both databases.

The walk takes every rule of `app.url_map`: its path parts replaced by a NUL, huge integers and
10,000-character strings, and its query parameters (the usual ones, and every field of the
page's own forms) given the same. Every form found on the pages, and every POST rule, is sent
with a NUL in each field in turn. Anonymous visitors and an admin do it all; nothing may
answer 5xx. CSRF is off so the POSTs reach the views.
"""

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlencode, urlsplit

import pytest

from bulletin.extensions import db
from bulletin.models import User
from tests.test_route_matrix import World, client_as, make_world, rule_url

NUL = "a\x00b"
HUGE = "99999999999999999999"  # twenty digits: beyond any database integer
JUST_OVER = str(2**63)  # one past a 64-bit integer
PAST_ID = str(2**31)  # one past a 32-bit row id (PostgreSQL INTEGER)
LONG = "x" * 10_000
PATH_VALUES = (NUL, HUGE, JUST_OVER, PAST_ID, LONG)
QUERY_VALUES = (NUL, HUGE, JUST_OVER, PAST_ID, LONG, "-1", "²")
SINGLE_VALUES = (HUGE, "²")
CURSORS = ("p.0_9999999999999999999_1", "n.9999999999999999999_1",
           "p.99999999999999999999_1_1", "n.1_99999999999999999999", "n.1_2147483648",
           "p.0_1_2147483648")
# Query parameters the board reads somewhere, besides the fields of a page's own forms.
COMMON_PARAMS = ("page", "c", "q", "org", "kind", "year", "recipient_type", "type", "name",
                 "decision", "before", "tab", "mine", "next", "lang", "status", "category")
ROLES = ("anonymous", "admin")



@dataclass
class FoundForm:
    """A form on a page: where it posts and its fields with their starting values."""

    method: str
    action: str
    fields: dict[str, str] = field(default_factory=dict)


class FormParser(HTMLParser):
    """Collect the forms of a page with their text fields (file inputs are left out)."""

    def __init__(self, page_path: str):
        super().__init__()
        self.page_path = page_path
        self.forms: list[FoundForm] = []
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        """Open a form, or add a field to the open one."""
        attrs = {k: v or "" for k, v in attrs}
        if tag == "form":
            action = urlsplit(attrs.get("action") or self.page_path).path or self.page_path
            self.forms.append(FoundForm(attrs.get("method", "get").lower(), action))
        elif self.forms and attrs.get("name"):
            self._add_field(tag, attrs)
        elif tag == "option" and self._select and not self.forms[-1].fields[self._select]:
            self.forms[-1].fields[self._select] = attrs.get("value", "")

    def _add_field(self, tag, attrs):
        """Record an input, select or textarea (a select starts at its first option)."""
        fields, name = self.forms[-1].fields, attrs["name"]
        if tag == "input" and attrs.get("type") not in ("file", "submit", "button"):
            fields.setdefault(name, attrs.get("value", ""))
        elif tag in ("select", "textarea"):
            fields.setdefault(name, "")
            self._select = name if tag == "select" else None

    def handle_endtag(self, tag):
        """Close a select."""
        if tag == "select":
            self._select = None


def forms_of(html: str, path: str) -> list[FoundForm]:
    """Return the forms of a page."""
    parser = FormParser(path)
    parser.feed(html)
    return parser.forms


@dataclass
class Walk:
    """What the walk saw: server errors, the registry's known gaps, how many requests."""

    app: object
    world: World
    errors: list[str] = field(default_factory=list)
    requests: int = 0
    clients: dict = field(default_factory=dict)

    def client(self, role: str, fresh: bool):
        """A client of `role`: one kept for the GET walk, a fresh one after state changes."""
        if fresh or role not in self.clients:
            self.clients[role] = client_as(self.app, self.world, role)
        return self.clients[role]

    def check(self, role: str, method: str, url: str, data=None, endpoint=""):
        """Send one request; note it if the answer is a server error."""
        self.requests += 1
        try:
            response = self.client(role, fresh=method != "GET").open(
                url, method=method, data=data, buffered=True)
            response.close()
            status = response.status_code
        except Exception as error:  # the error page itself failed (a broken transaction)
            status = f"500 ({type(error).__name__})"
            self.clients.pop(role, None)
        if str(status) >= "500":
            shown = {k: v[:40] for k, v in (data or {}).items()}
            line = f"{role} {method} {url[:160]} {shown} -> {status}"
            self.errors.append(line)


def hostile_paths(app, world: World, rule) -> list[str]:
    """The rule's URL with each path part replaced, in turn, by each hostile value."""
    normal = world.url_args(rule.endpoint)
    urls = []
    for name in rule.arguments:
        for value in PATH_VALUES:
            if rule._converters[name].regex in (r"[0-9]+", r"\d+") and not value.isdigit():
                continue  # the converter's pattern refuses it before any view runs
            args = {arg: normal[arg] for arg in rule.arguments} | {name: value}
            with app.test_request_context():
                urls.append(rule.build(args, append_unknown=False)[1])
    return urls


def filter_names(app, world: World, url: str) -> set[str]:
    """The page number, the cursor and the fields of the page's GET forms (as admin)."""
    response = client_as(app, world, "admin").get(url, buffered=True)
    names = {"page", "c"}
    if response.mimetype == "text/html" and response.status_code == 200:
        for form in forms_of(response.get_data(as_text=True), urlsplit(url).path):
            if form.method == "get":
                names |= set(form.fields)
    response.close()
    return names


def get_rules(app) -> list:
    """Every GET rule but static files, in a stable order."""
    return sorted((rule for rule in app.url_map.iter_rules()
                   if "GET" in rule.methods and rule.endpoint != "static"),
                  key=lambda rule: (rule.rule, rule.endpoint))


def walk_get_rules(walk: Walk, part: int = 0, parts: int = 1) -> None:
    """Hostile path parts and query parameters on every GET rule (or every `parts`-th one,
    from `part`), for every role."""
    app, world = walk.app, walk.world
    for rule in get_rules(app)[part::parts]:
        url, endpoint = rule_url(app, world, rule), rule.endpoint
        names = filter_names(app, world, url)
        for role in ROLES:
            for hostile in hostile_paths(app, world, rule):
                walk.check(role, "GET", hostile, endpoint=endpoint)
            # Every parameter the board reads anywhere at once (one request per value) ...
            for value in QUERY_VALUES:
                query = urlencode(dict.fromkeys(sorted(names | set(COMMON_PARAMS)), value)
                                  | {"c": CURSORS[0]})
                walk.check(role, "GET", f"{url}?{query}", endpoint=endpoint)
        # ... and, as the admin, who reaches the most code, the page's own parameters one at
        # a time, so an early refusal of one cannot hide what another would do.
        for name in sorted(names):
            for value in SINGLE_VALUES + (CURSORS if name == "c" else ()):
                walk.check("admin", "GET", f"{url}?{urlencode({name: value})}",
                           endpoint=endpoint)


def collect_forms(app, world: World) -> dict[str, dict[str, str]]:
    """Every POST form on every page an admin can open: action path -> fields."""
    found: dict[str, dict[str, str]] = {}
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        response = client_as(app, world, "admin").get(rule_url(app, world, rule), buffered=True)
        if response.mimetype == "text/html":
            for form in forms_of(response.get_data(as_text=True), response.request.path):
                if form.method == "post":
                    found.setdefault(form.action, {}).update(form.fields)
        response.close()
    return found


def post_nul_in_each_field(walk: Walk) -> set[str]:
    """POST every rule that takes POSTs with a NUL in each field in turn; return the paths."""
    app, world = walk.app, walk.world
    forms = collect_forms(app, world)
    posted = set()
    for rule in app.url_map.iter_rules():
        if "POST" not in rule.methods:
            continue
        url = rule_url(app, world, rule)
        fields = forms.get(urlsplit(url).path) or {"reason": "", "next": "", "lang": "vi"}
        fields = {k: v for k, v in fields.items() if k != "csrf_token"}
        for role in ROLES:
            for name in sorted(fields):
                walk.check(role, "POST", url, data={**fields, name: NUL},
                           endpoint=rule.endpoint)
        posted.add(urlsplit(url).path)
    return posted


@pytest.fixture
def walk_app(make_app):
    """The app with CSRF off, so hostile POSTs reach the views."""
    application = make_app(WTF_CSRF_ENABLED=False)
    with application.app_context():
        yield application


# The GET walk is cut in parts that run side by side (pytest-xdist); together they are
# every rule.
WALK_PARTS = 4


@pytest.mark.slow
@pytest.mark.parametrize("part", range(WALK_PARTS))
def test_hostile_path_parts_and_query_values_never_give_a_server_error(walk_app, make, part):
    walk = Walk(walk_app, make_world(make))
    walk_get_rules(walk, part, WALK_PARTS)
    assert walk.requests > 1000 / WALK_PARTS  # the walk really covered its part of the map
    assert walk.errors == [], "\n".join(walk.errors)


@pytest.mark.slow
def test_a_nul_in_any_form_field_never_gives_a_server_error(walk_app, make):
    walk = Walk(walk_app, make_world(make))
    posted = post_nul_in_each_field(walk)
    assert {"/login", "/posts/new", "/awards/new", "/admin/accounts/new"} <= posted
    assert walk.errors == [], "\n".join(walk.errors)


def test_a_nul_in_a_query_is_ignored_like_any_value_that_matches_nothing(client, make):
    make.post("Hội nghị tổng kết")
    assert client.get("/search?org=%00").status_code == 200
    assert client.get("/?page=1%00").status_code == 200
    response = client.get("/search?q=h%E1%BB%99i%00ngh%E1%BB%8B")
    assert response.status_code == 200
    assert "Hội nghị tổng kết" not in response.get_data(as_text=True)


def test_a_nul_in_a_form_shows_the_form_again_with_an_error_and_the_input_kept(
        client, auth, make):
    make.user()
    response = client.post("/login", data={"username": "ad\x00min", "password": "x",
                                           "csrf_token": auth.csrf_token()})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Có ký tự không hợp lệ (NUL)" in html
    assert 'value="ad\ufffdmin"' in html
    assert client.get("/account").status_code == 302  # not logged in


def test_a_number_beyond_any_id_in_a_url_is_not_found(client, make):
    post = make.post("Bài viết")
    assert client.get(f"/posts/{HUGE}").status_code == 404
    assert client.get(f"/posts/{JUST_OVER}").status_code == 404
    assert client.get(f"/posts/{2**31}").status_code == 404  # past a 32-bit id
    assert client.get(f"/posts/{2**31 - 1}").status_code == 404  # the largest: looked up
    assert client.get(f"/posts/{post.id}").status_code in (200, 301)


@pytest.mark.parametrize("cursor", CURSORS)
def test_a_cursor_with_huge_numbers_falls_back_to_the_page_number(client, make, cursor):
    for number in range(25):
        make.post(f"Bài số {number}")
    response = client.get(f"/?page=2&c={cursor}")
    assert response.status_code == 200
    assert "Bài số" in response.get_data(as_text=True)


@pytest.mark.parametrize("url", ["/awards/?kind=²", "/awards/?page=²", "/awards/new?decision=²",
                                 "/awards/decisions/?page=²", "/honour-roll?page=²",
                                 "/awards/export.csv?kind=²"])
def test_registry_filters_with_non_ascii_digits_never_give_a_server_error(client, make, url):
    make.user("quantri", "admin")
    with client.session_transaction() as session:
        session["_user_id"] = db.session.scalar(db.select(User)).get_id()
    # buffered: a streamed export is read to its end inside the request, as a server would
    assert client.get(url, buffered=True).status_code < 500


def test_an_unknown_choice_in_a_multiple_select_is_a_form_error_not_a_500(client, auth, make):
    make.user("quantri", "admin")
    auth.login("quantri")
    response = client.post("/awards/kinds/new", data={
        "name": "Bằng khen mới", "category": "emulation_title", "recipient_types": "bogus",
        "csrf_token": auth.csrf_token("/awards/kinds/new")})
    assert response.status_code in (200, 400, 422)
    assert "“bogus” không phải lựa chọn hợp lệ." in response.get_data(as_text=True)
