"""Every route × every role: who may use what, declared in one table (deny by default).

The test walks every rule of `app.url_map`. An endpoint missing from EXPECTED fails the test
with a message asking for its policy, so no new page ships without one. POSTs are sent empty
with CSRF switched off (CSRF is tested in test_security.py): they show who gets past the
permission check, not what the form does with good input.
"""

from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit

import pytest
from flask import Flask

from bulletin.auth.sessions import OPEN_ENDPOINTS
from bulletin.extensions import db
from bulletin.models import (
    Attachment,
    AwardRule,
    BaseSalary,
    Category,
    CouncilMeeting,
    ImportBatch,
    Organization,
    PostRevision,
    Proposal,
    User,
)
from bulletin.uploads import store_attachment

ROLES = ("anonymous", "reader", "editor_a", "editor_b", "secretary", "admin")
LOGIN = "login"  # a redirect to /login?next=…
# A POST that got past the permission check: the view ran and answered (saved, redirected,
# or refused the empty form) without an error.
HANDLED = frozenset({200, 302, 303, 400, 409, 422})
NOT_YOURS = frozenset({403, 404})
NO_SCAN_YET = frozenset({200, 404})


def everyone(status=200) -> dict:
    """Every role, anonymous visitors included, gets `status`."""
    return dict.fromkeys(ROLES, status)


def signed_in(status=200) -> dict:
    """Any account gets `status`; anonymous visitors are sent to log in."""
    return {**dict.fromkeys(ROLES, status), "anonymous": LOGIN}


def only(*roles, ok=200, others=403) -> dict:
    """The listed roles get `ok`, other accounts `others`, anonymous visitors the login page."""
    return {role: ok if role in roles else others for role in ROLES} | {"anonymous": LOGIN}


def own_post(ok=200) -> dict:
    """A post of organization A: its editor and admins get `ok`; editor B may not touch it."""
    return only("editor_a", "admin", ok=ok) | {"editor_b": NOT_YOURS}


WRITERS = ("editor_a", "editor_b", "admin")
REGISTRY = ("secretary", "admin")

# endpoint -> method -> role -> expected answer (a status, a set of statuses, or LOGIN).
EXPECTED = {
    # Public reading.
    "static": {"GET": everyone()},
    "health": {"GET": everyone()},
    "posts.home": {"GET": everyone()},
    "posts.detail": {"GET": everyone(frozenset({200, 301}))},  # /posts/<id> → canonical URL
    "posts.print_view": {"GET": everyone()},
    "posts.organization": {"GET": everyone()},
    "posts.category": {"GET": everyone()},
    "posts.feed": {"GET": everyone()},
    "posts.follow": {"GET": everyone()},
    "posts.weekly": {"GET": everyone()},
    "posts.org_feed": {"GET": everyone()},
    "posts.category_feed": {"GET": everyone()},
    "media.image": {"GET": everyone()},
    "media.image_webp": {"GET": everyone()},
    "media.attachment": {"GET": everyone()},
    "visits.stats": {"GET": everyone()},
    "search.results": {"GET": everyone()},
    "awards.honour_roll": {"GET": everyone()},
    "awards.honour_decision": {"GET": everyone()},
    "i18n.switch_language": {"POST": everyone(303)},
    # Login and one's own account.
    "auth.login": {"GET": everyone(), "POST": everyone(422)},
    "auth.logout": {"POST": signed_in(303)},
    "auth.account": {"GET": signed_in()},
    "auth.change_password": {"GET": signed_in(), "POST": signed_in(422)},
    # Two-factor login: the code step needs a password first (else back to /login).
    "auth.second_factor": {"GET": everyone(LOGIN), "POST": everyone(LOGIN)},
    "auth.two_factor_status": {"GET": signed_in()},
    "auth.two_factor_setup": {"GET": signed_in(), "POST": signed_in(422)},
    "auth.new_recovery_codes": {"POST": signed_in(303)},  # nobody here has 2FA yet
    "auth.two_factor_off": {"POST": signed_in(303)},
    # Accounts and the audit log: admins only.
    "auth.accounts_list": {"GET": only("admin")},
    "auth.new_account": {"GET": only("admin"), "POST": only("admin", ok=422)},
    "auth.edit_account": {"GET": only("admin"), "POST": only("admin", ok=422)},
    "auth.disable_account": {"POST": only("admin", ok=303)},
    "auth.enable_account": {"POST": only("admin", ok=303)},
    "auth.reset_password": {"GET": only("admin"), "POST": only("admin", ok=422)},
    "auth.reset_two_factor": {"POST": only("admin", ok=303)},
    "auth.lockouts": {"GET": only("admin")},
    "auth.unlock": {"POST": only("admin", ok=303)},
    "admin.audit_log": {"GET": only("admin")},
    # The post editor: editors for their own organizations, admins for all.
    "posts.new": {"GET": only(*WRITERS), "POST": only(*WRITERS, ok=HANDLED)},
    "posts.edit": {"GET": own_post(), "POST": own_post(ok=HANDLED)},
    "posts.archive": {"POST": own_post(ok=303)},
    "posts.revisions": {"GET": own_post()},
    "posts.revision": {"GET": own_post()},
    "posts.restore_revision": {"POST": own_post(ok=HANDLED)},
    "posts.manage": {"GET": only(*WRITERS)},
    # The commendation registry: secretaries and admins.
    "awards.index": {"GET": only(*REGISTRY)},
    "awards.new": {"GET": only(*REGISTRY), "POST": only(*REGISTRY, ok=HANDLED)},
    "awards.detail": {"GET": only(*REGISTRY)},
    "awards.edit": {"GET": only(*REGISTRY), "POST": only(*REGISTRY, ok=HANDLED)},
    "awards.void": {"POST": only(*REGISTRY, ok=HANDLED)},
    # Undoing an import (an empty POST: no reason, so nothing is voided).
    "awards.void_batch": {"POST": only(*REGISTRY, ok=HANDLED)},
    "awards.recipient": {"GET": only(*REGISTRY)},
    "awards.decision_list": {"GET": only(*REGISTRY)},
    "awards.new_decision": {"GET": only(*REGISTRY), "POST": only(*REGISTRY, ok=HANDLED)},
    "awards.decision_detail": {"GET": only(*REGISTRY)},
    "awards.edit_decision": {"GET": only(*REGISTRY), "POST": only(*REGISTRY, ok=HANDLED)},
    "awards.download_scan": {"GET": only(*REGISTRY, ok=NO_SCAN_YET)},
    "awards.upload_scan": {"POST": only(*REGISTRY, ok=HANDLED)},
    "awards.export_xlsx": {"GET": only(*REGISTRY)},
    "awards.export_csv": {"GET": only(*REGISTRY)},
    "awards.import_upload": {"GET": only(*REGISTRY), "POST": only(*REGISTRY, ok=HANDLED)},
    "awards.import_confirm": {"POST": only(*REGISTRY, ok=HANDLED)},
    # No import under way with that id (only its own account ever reads one).
    "awards.import_progress": {"GET": only(*REGISTRY, ok=404)},
    "awards.import_template": {"GET": only(*REGISTRY)},
    "awards.person_lookup": {"GET": only(*REGISTRY)},
    # No person has been merged in the matrix's world: the page answers 404.
    "awards.person_detail": {"GET": only(*REGISTRY, ok=frozenset({404}))},
    "awards.person_merge": {"POST": only(*REGISTRY, ok=HANDLED)},
    "awards.person_split": {"POST": only(*REGISTRY, ok=frozenset({404}))},
    # The catalogue of award kinds: admins only.
    "awards.kind_list": {"GET": only("admin")},
    "awards.new_kind": {"GET": only("admin"), "POST": only("admin", ok=HANDLED)},
    "awards.edit_kind": {"GET": only("admin"), "POST": only("admin", ok=HANDLED)},
    # The site's identity, organizations, categories and backups: admins only.
    "admin.site_settings": {"GET": only("admin"), "POST": only("admin", ok=HANDLED)},
    "admin.site_logo": {"GET": everyone(404)},  # no logo uploaded in the matrix's world
    "admin.organizations_list": {"GET": only("admin")},
    "admin.new_organization": {"GET": only("admin"), "POST": only("admin", ok=422)},
    "admin.edit_organization": {"GET": only("admin"), "POST": only("admin", ok=422)},
    "admin.archive_organization": {"POST": only("admin", ok=303)},
    "admin.restore_organization": {"POST": only("admin", ok=303)},
    "admin.categories_list": {"GET": only("admin")},
    "admin.new_category": {"GET": only("admin"), "POST": only("admin", ok=422)},
    "admin.edit_category": {"GET": only("admin"), "POST": only("admin", ok=422)},
    "admin.archive_category": {"POST": only("admin", ok=303)},
    "admin.restore_category": {"POST": only("admin", ok=303)},
    "admin.backups_list": {"GET": only("admin")},
    "admin.new_backup": {"POST": only("admin", ok=HANDLED)},
    # The rules of commendation: the registry reads them (and the suggested money); admins
    # keep them.
    "awards.suggest_amount": {"GET": only(*REGISTRY)},
    "awards.issuer_level": {"GET": only(*REGISTRY)},
    "awards.rule_list": {"GET": only(*REGISTRY)},
    "awards.edit_rule": {"GET": only("admin"), "POST": only("admin", ok=HANDLED)},
    "awards.edit_salary": {"GET": only("admin"), "POST": only("admin", ok=HANDLED)},
    # Reports and papers: the registry's staff.
    "awards.decision_annex": {"GET": only(*REGISTRY)},
    "awards.decision_paper": {"GET": only(*REGISTRY)},
    "awards.decision_payout": {"GET": only(*REGISTRY)},
    "awards.decision_certificates": {"GET": only(*REGISTRY)},
    "awards.certificate_layout_css": {"GET": only(*REGISTRY)},
    # The positions on pre-printed certificates: the registry's own secretaries and admins
    # (the matrix's secretary manages every organization).
    "awards.certificate_layout": {"GET": only(*REGISTRY), "POST": only(*REGISTRY, ok=422)},
    "awards.void_decision": {"POST": only(*REGISTRY, ok=HANDLED)},
    "awards.yearly_report": {"GET": only(*REGISTRY)},
    "awards.yearly_report_xlsx": {"GET": only(*REGISTRY)},
    "awards.yearly_book": {"GET": only(*REGISTRY)},
    "awards.eligible_report": {"GET": only(*REGISTRY)},
    "awards.eligible_report_xlsx": {"GET": only(*REGISTRY)},
    "awards.streak_report": {"GET": only(*REGISTRY)},
    "awards.streak_report_xlsx": {"GET": only(*REGISTRY)},
    # The commendation cycle: the registry's staff (an organization's secretaries see only
    # their own proposals: test_proposals.py); the matrix's proposal is a draft, so the
    # council's POSTs answer with a redirect and change nothing.
    "awards.proposal_list": {"GET": only(*REGISTRY)},
    "awards.new_proposal": {"GET": only(*REGISTRY), "POST": only(*REGISTRY, ok=HANDLED)},
    "awards.proposal_detail": {"GET": only(*REGISTRY)},
    "awards.edit_proposal": {"GET": only(*REGISTRY), "POST": only(*REGISTRY, ok=HANDLED)},
    "awards.submit_proposal": {"POST": only(*REGISTRY, ok=303)},  # no rows: not sent
    "awards.proposal_paper": {"GET": only(*REGISTRY)},
    "awards.upload_proposal_scan": {"POST": only(*REGISTRY, ok=HANDLED)},
    "awards.download_proposal_scan": {"GET": only(*REGISTRY, ok=NO_SCAN_YET)},
    "awards.judge_rows": {"POST": only(*REGISTRY, ok=HANDLED)},
    "awards.return_proposal": {"POST": only(*REGISTRY, ok=HANDLED)},
    "awards.decide_proposal": {"POST": only(*REGISTRY, ok=HANDLED)},
    "awards.council_year": {"GET": only(*REGISTRY)},
    "awards.new_meeting": {"GET": only(*REGISTRY), "POST": only(*REGISTRY, ok=HANDLED)},
    "awards.meeting_minutes": {"GET": only(*REGISTRY)},
    "awards.statistics_report": {"GET": only(*REGISTRY)},
    "awards.statistics_report_xlsx": {"GET": only(*REGISTRY)},
}

# Endpoints whose URL arguments are not the usual ones below.
ENDPOINT_ARGS = {
    "static": lambda w: {"filename": "css/site.css"},
    "posts.organization": lambda w: {"slug": "hoi-lhpn"},
    "posts.org_feed": lambda w: {"slug": "hoi-lhpn"},
    "media.image_webp": lambda w: {"image_id": w.photo.id, "size": "medium"},
    "posts.category": lambda w: {"slug": "tin-hoat-dong"},
    "posts.category_feed": lambda w: {"slug": "tin-hoat-dong"},
    "posts.detail": lambda w: {"post_id": w.post.id, "slug": w.post.slug},
    "awards.person_detail": lambda w: {"person_id": 1},
    "awards.person_split": lambda w: {"person_id": 1},
    # Archiving changes the post, so it gets a post of its own.
    "posts.archive": lambda w: {"post_id": w.archive_post.id},
    "admin.site_logo": lambda w: {"key": "0" * 32},
    # Archiving an organization or a category changes it: they get spare ones.
    "admin.edit_organization": lambda w: {"org_id": spare(Organization, short_name="Spare").id},
    "admin.archive_organization": lambda w: {"org_id": spare(Organization, short_name="Spare").id},
    "admin.restore_organization": lambda w: {"org_id": spare(Organization, short_name="Spare").id},
    "admin.edit_category": lambda w: {"category_id": spare(Category).id},
    "admin.archive_category": lambda w: {"category_id": spare(Category).id},
    "admin.restore_category": lambda w: {"category_id": spare(Category).id},
    "awards.edit_rule": lambda w: {"rule_id": db.session.scalar(db.select(AwardRule.id))},
    "awards.void_batch": lambda w: {"batch_id": spare_batch().id},
    "awards.import_progress": lambda w: {"progress_id": "0123456789abcdef0123456789abcdef"},
    "awards.edit_salary": lambda w: {"salary_id": db.session.scalar(db.select(BaseSalary.id))},
}
# Query strings some endpoints need to answer at all: a report's workbook is of one kind.
ENDPOINT_QUERY = {
    "awards.eligible_report_xlsx": "?kind=chien-si-thi-dua-co-so",
    "awards.streak_report_xlsx": "?kind=lao-dong-tien-tien",
}


def spare(model, **extra):
    """Return the matrix's own organization or category (slug "du-phong"), made once."""
    row = db.session.scalar(db.select(model).where(model.slug == "du-phong"))
    if row is None:
        row = model(name="Dự phòng", slug="du-phong", **extra)
        db.session.add(row)
        db.session.commit()
    return row


def spare_batch() -> ImportBatch:
    """Return the matrix's import batch (no awards of its own), made once."""
    batch = db.session.scalar(db.select(ImportBatch))
    if batch is None:
        batch = ImportBatch(file_name="so-khen-thuong.xlsx", username="thuky")
        db.session.add(batch)
        db.session.commit()
    return batch


def spare_proposal() -> Proposal:
    """Return the matrix's proposal: a draft of organization A without rows, made once."""
    proposal = db.session.scalar(db.select(Proposal))
    if proposal is None:
        org = db.session.scalar(db.select(Organization).where(Organization.slug == "hoi-lhpn"))
        proposal = Proposal(organization_id=org.id, year=2025)
        db.session.add(proposal)
        db.session.commit()
    return proposal


def spare_meeting() -> CouncilMeeting:
    """Return the matrix's council meeting, made once."""
    meeting = db.session.scalar(db.select(CouncilMeeting))
    if meeting is None:
        meeting = CouncilMeeting(year=2025, held_on=date(2026, 1, 10), chair="Hoàng Văn Thắng")
        db.session.add(meeting)
        db.session.commit()
    return meeting


@dataclass
class World:
    """The rows the matrix requests point at."""

    users: dict[str, User]
    post: object
    archive_post: object
    photo: object
    attachment: object
    revision: object
    target: User
    award: object

    def url_args(self, endpoint: str) -> dict:
        """The URL arguments by name (an existing row of organization A for each id)."""
        usual = {
            "post_id": self.post.id, "image_id": self.photo.id, "size": "thumb",
            "attachment_id": self.attachment.id, "filename": "Báo cáo.pdf",
            "revision_id": self.revision.id, "user_id": self.target.id,
            "award_id": self.award.id, "decision_id": self.award.decision_id,
            "kind_id": self.award.kind_id, "proposal_id": spare_proposal().id,
            "meeting_id": spare_meeting().id,
        }
        special = ENDPOINT_ARGS.get(endpoint)
        return {**usual, **(special(self) if special else {})}


def make_world(make) -> World:
    """Make the accounts of every role and one of each row a URL can name."""
    users = {
        "reader": make.user("docgia", "reader"),
        "editor_a": make.user("bientap_a", "editor", orgs=["hoi-lhpn"]),
        "editor_b": make.user("bientap_b", "editor", orgs=["doan-tncs"]),
        "secretary": make.user("thuky", "secretary"),
        "admin": make.user("quantri", "admin"),
    }
    post = make.post("Hội nghị tổng kết", organization="hoi-lhpn")
    stored = store_attachment(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    attachment = Attachment(post_id=post.id, original_name="Báo cáo.pdf",
                            stored_name=stored.stored_name, mime_type=stored.mime_type,
                            size_bytes=stored.size_bytes)
    revision = PostRevision(post_id=post.id, editor_id=users["editor_a"].id, title=post.title,
                            status="published", organization_id=post.organization_id)
    db.session.add_all([attachment, revision])
    db.session.commit()
    return World(users=users, post=post, photo=make.photo(post), attachment=attachment,
                 archive_post=make.post("Bài sẽ lưu trữ", organization="hoi-lhpn"),
                 revision=revision, target=make.user("nannhan", "editor"),
                 award=make.award(organization="hoi-lhpn", is_public=True))


def client_as(app: Flask, world: World, role: str):
    """A fresh client, logged in as `role` with the account's current session token."""
    client = app.test_client()
    if role != "anonymous":
        user = db.session.get(User, world.users[role].id)
        db.session.refresh(user)  # logging out in an earlier request changed the token
        with client.session_transaction() as session:
            session["_user_id"] = user.get_id()
            session["_fresh"] = True
    return client


def answer(app: Flask, world: World, role: str, method: str, url: str):
    """Return what `role` gets for `method url`: a status, or LOGIN for the login redirect."""
    # Buffered: a streamed body (CSV export) is read inside the request's own context.
    response = client_as(app, world, role).open(url, method=method, buffered=True)
    response.close()
    location = urlsplit(response.headers.get("Location", ""))
    if response.status_code == 302 and location.path == "/login":
        return LOGIN
    return response.status_code


def matches(expected, actual) -> bool:
    """Return True when the answer is the expected one."""
    if isinstance(expected, frozenset):
        return actual in expected
    return actual == expected


def rule_url(app: Flask, world: World, rule) -> str:
    """Build the URL of a rule with the world's rows (fails for an unknown argument)."""
    args = world.url_args(rule.endpoint)
    missing = [name for name in rule.arguments if name not in args]
    assert not missing, (
        f"{rule.rule} ({rule.endpoint}) takes {missing}: add a value to World.url_args or "
        f"ENDPOINT_ARGS in tests/test_route_matrix.py")
    with app.test_request_context():
        path = rule.build({name: args[name] for name in rule.arguments}, append_unknown=False)[1]
    return path + ENDPOINT_QUERY.get(rule.endpoint, "")


def mismatches(app: Flask, world: World, endpoints=None, private=False,
               first_only=False, roles=ROLES) -> list[str]:
    """Request every rule as every role; return the answers that differ from EXPECTED (with
    `first_only`, as soon as one does: enough to show a check is load-bearing)."""
    found = []
    for rule in app.url_map.iter_rules():
        if endpoints is not None and rule.endpoint not in endpoints:
            continue
        policy = EXPECTED.get(rule.endpoint)
        assert policy is not None, (
            f"{rule.rule} ({rule.endpoint}) has no entry in EXPECTED: add one to "
            f"tests/test_route_matrix.py saying which roles may use it")
        url = rule_url(app, world, rule)
        for method in sorted(rule.methods & {"GET", "POST"}):
            assert method in policy, f"EXPECTED[{rule.endpoint!r}] lacks {method}"
            for role in roles:
                expected = policy[method][role]
                if private and role == "anonymous" and rule.endpoint not in OPEN_ENDPOINTS:
                    expected = LOGIN
                actual = answer(app, world, role, method, url)
                if not matches(expected, actual):
                    found.append(f"{method} {url} ({rule.endpoint}) as {role}: "
                                 f"expected {sorted(expected) if isinstance(expected, frozenset) else expected}, got {actual}")  # noqa: E501
                    if first_only:
                        return found
    return found


@pytest.fixture
def matrix_app(make_app):
    """The app with CSRF off, so empty POSTs reach the permission checks."""
    application = make_app(WTF_CSRF_ENABLED=False)
    with application.app_context():
        yield application


@pytest.fixture
def world(matrix_app, make) -> World:
    """One row of everything, and an account per role."""
    return make_world(make)


def test_every_route_answers_each_role_as_the_table_says(matrix_app, world):
    assert mismatches(matrix_app, world) == []


def test_private_mode_sends_anonymous_visitors_to_login_everywhere_else(make_app, make):
    application = make_app(WTF_CSRF_ENABLED=False, READ_REQUIRES_LOGIN=True)
    with application.app_context():
        world = make_world(make)
        # Private mode changes what anonymous visitors get; a reader shows that logged-in
        # accounts still get the pages (every other role is the public table's business).
        assert mismatches(application, world, private=True, roles=("anonymous", "reader")) == []


def test_table_has_no_endpoints_that_no_longer_exist(matrix_app):
    live = {rule.endpoint for rule in matrix_app.url_map.iter_rules()}
    assert set(EXPECTED) - live == set(), "remove these from EXPECTED (or restore the routes)"


def test_table_lists_every_role_for_every_method():
    for endpoint, policy in EXPECTED.items():
        for method, answers in policy.items():
            assert set(answers) == set(ROLES), (endpoint, method)


def checked_endpoints(app: Flask) -> list[str]:
    """Endpoints whose view is wrapped by a check decorator (`requires`, `login_required`)."""
    return sorted({rule.endpoint for rule in app.url_map.iter_rules()
                   if hasattr(app.view_functions[rule.endpoint], "__wrapped__")})


def test_removing_a_permission_decorator_makes_the_matrix_fail(matrix_app, world):
    # Put the undecorated view in place of each checked one: the matrix must notice, which
    # shows that every decorator is load-bearing and that the table would catch its loss.
    endpoints = checked_endpoints(matrix_app)
    assert "auth.accounts_list" in endpoints and "posts.new" in endpoints
    unnoticed = []
    for endpoint in endpoints:
        checked = matrix_app.view_functions[endpoint]
        matrix_app.view_functions[endpoint] = checked.__wrapped__
        try:
            if not mismatches(matrix_app, world, endpoints={endpoint}, first_only=True):
                unnoticed.append(endpoint)
        finally:
            matrix_app.view_functions[endpoint] = checked
    assert unnoticed == []


def test_an_ownership_check_that_always_says_yes_makes_the_matrix_fail(
        matrix_app, world, monkeypatch):
    from bulletin.posts import editor

    monkeypatch.setattr(editor, "can_edit_post", lambda user, post: True)
    found = mismatches(matrix_app, world, endpoints={"posts.edit", "posts.revisions"})
    assert any("as editor_b" in line for line in found)
    assert any("as reader" in line for line in found)
