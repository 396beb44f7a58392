"""seed-demo: standard data, handwritten posts with photos and files, bulk posts, options."""

import html
import re
import zipfile
from datetime import date

import pytest
from flask_migrate import downgrade, upgrade
from openpyxl import load_workbook

from bulletin.awards import records
from bulletin.database import MIGRATIONS_DIR
from bulletin.demo import removal
from bulletin.demo.awards import commune_level
from bulletin.demo.content import BRANCHES, POSTS
from bulletin.extensions import db
from bulletin.models import (
    Attachment,
    Award,
    AwardKind,
    Category,
    CouncilMeeting,
    Decision,
    DemoRow,
    Organization,
    Person,
    Post,
    PostImage,
    Proposal,
    ProposalRow,
    User,
    utcnow,
)
from bulletin.posts.queries import published_posts
from bulletin.sanitize import clean_html
from bulletin.standard import AWARD_KINDS, CATEGORIES, ORGANIZATIONS
from bulletin.uploads import DOCX, PDF, XLSX, attachment_path, image_path
from tests.conftest import AuthActions

ORG_SLUGS = {slug for slug, *_ in ORGANIZATIONS}
HANDWRITTEN_PUBLISHED = sum(p.status == "published" for p in POSTS)
DEMO_ROWS_REVISION = "1da65499b33e"  # the migration that made demo_rows
POST_LINK_RE = re.compile(r'href="/posts/(\d+)/')
NEXT_LINK_RE = re.compile(r'<a rel="next"[^>]*href="([^"]+)"')


def seed(runner, *args):
    """Run seed-demo with `args` and return its output, failing the test on an error."""
    result = runner.invoke(args=["seed-demo", *args])
    assert result.exit_code == 0, result.output
    return result.output


def main_of(page: str) -> str:
    """Return the content of <main>."""
    return re.search(r"<main[^>]*>(.*)</main>", page, re.S).group(1)


def card_ids(page: str) -> list[int]:
    """Return the ids of the posts a list page shows, in order (each card links twice)."""
    ids = []
    for found in POST_LINK_RE.findall(main_of(page)):
        if not ids or ids[-1] != int(found):
            ids.append(int(found))
    return ids


def published() -> list[Post]:
    """Return the posts readers can see."""
    return list(db.session.scalars(published_posts()))


@pytest.fixture
def seeded(runner, seed_once):
    """A database seeded with the default demo content (seeded once, then put back)."""
    return seed_once("demo", lambda: seed(runner))


@pytest.fixture
def bulk_seeded(runner, seed_once):
    """The demo with 500 posts, handwritten and generated (seeded once, then put back)."""
    return seed_once("demo-500", lambda: seed(runner, "--posts", "500"))


def test_seed_demo_creates_organizations_categories_award_kinds_and_branches(runner):
    # Start from a database without them, as on a server where nothing ran at start.
    for model in (Organization, Category, AwardKind):
        db.session.execute(db.delete(model))
    db.session.commit()
    seed(runner, "--posts", "3")  # the catalogue and branches come whatever the posts
    orgs = {o.slug: o for o in db.session.scalars(db.select(Organization))}
    assert {slug for slug, org in orgs.items() if org.parent is None} >= ORG_SLUGS
    assert {slug for slug, _name in CATEGORIES} <= set(db.session.scalars(
        db.select(Category.slug)))
    for parent, slug, _name, _short in BRANCHES:
        assert orgs[slug].parent.slug == parent
    assert {slug for slug, *_ in AWARD_KINDS} <= set(db.session.scalars(
        db.select(AwardKind.slug)))


def test_seed_demo_publishes_about_thirty_posts_spread_over_recent_months(seeded):
    posts = published()
    assert len(posts) == HANDWRITTEN_PUBLISHED >= 25
    moments = [p.published_at for p in posts]
    assert all(m.tzinfo is not None and m <= utcnow() for m in moments)
    assert (max(moments) - min(moments)).days > 90
    assert (utcnow() - min(moments)).days <= 366
    assert sum(p.is_pinned for p in posts) == 2
    for post in posts:
        assert post.title and post.summary and post.slug
        assert len(re.findall(r"<(?:p|ul|table|blockquote)>", post.body)) >= 3
        assert clean_html(post.body) == post.body  # stored as the sanitiser leaves it
        assert re.fullmatch(r"[^,]+, .+", post.byline), post.byline
        assert "{" not in post.title + post.summary + post.body  # placeholders filled


def test_most_posts_have_two_to_four_captioned_photos_stored_on_disk(seeded, client):
    posts = published()
    with_gallery = [p for p in posts if 2 <= len(p.images) <= 4]
    assert len(with_gallery) >= 0.7 * len(posts)
    for post in with_gallery:
        assert [image.position for image in post.images] == list(range(len(post.images)))
        for image in post.images:
            assert image.caption.strip()
            assert image_path(image.file_key, "large").is_file()
            assert image_path(image.file_key, "thumb").is_file()
    post = with_gallery[0]
    page = client.get(f"/posts/{post.id}/{post.slug}").get_data(as_text=True)
    assert html.escape(post.images[0].caption, quote=False) in page
    with client.get(f"/images/{post.images[0].id}/thumb.jpg") as photo:
        assert photo.status_code == 200 and photo.mimetype == "image/jpeg"


def test_seeded_attachments_are_real_documents_with_vietnamese_names(seeded, client):
    attachments = list(db.session.scalars(db.select(Attachment)))
    by_type = {a.mime_type: a for a in attachments}
    assert {PDF[0], DOCX[0], XLSX[0]} <= set(by_type)
    for item in attachments:
        assert item.original_name != item.original_name.encode("ascii", "ignore").decode()
        data = attachment_path(item.stored_name).read_bytes()
        assert len(data) == item.size_bytes
    pdf = attachment_path(by_type[PDF[0]].stored_name).read_bytes()
    assert pdf.startswith(b"%PDF-1.4") and pdf.rstrip().endswith(b"%%EOF")
    with zipfile.ZipFile(attachment_path(by_type[DOCX[0]].stored_name)) as docx:
        assert "Báo cáo".upper() in docx.read("word/document.xml").decode()
    sheet = load_workbook(attachment_path(by_type[XLSX[0]].stored_name)).active
    assert sheet["A1"].value and sheet["A2"].value == "STT"
    item = by_type[PDF[0]]
    with client.get(f"/attachments/{item.id}/{item.original_name}") as response:
        assert response.status_code == 200 and response.data == pdf


def test_demo_drafts_and_archived_posts_stay_hidden(seeded, client):
    hidden = list(db.session.scalars(db.select(Post).where(Post.status != "published")))
    assert {p.status for p in hidden} == {"draft", "archived"}
    home = client.get("/").get_data(as_text=True)
    for post in hidden:
        assert html.escape(post.title, quote=False) not in home
        assert client.get(f"/posts/{post.id}").status_code == 404


def test_demo_posts_link_other_organizations(seeded, client):
    linked = set()
    joint_events = 0
    for post in published():
        others = set(re.findall(r'href="/org/([a-z0-9-]+)"', post.body)) - {
            post.organization.slug}
        linked |= others
        joint_events += len(others) >= 2
    assert len(linked & ORG_SLUGS) >= 2
    assert joint_events >= 1
    for slug in linked:
        assert client.get(f"/org/{slug}").status_code == 200


def test_if_empty_does_nothing_when_posts_exist(runner, make):
    make.post(title="Tin đã có từ trước")
    output = seed(runner, "--if-empty")
    assert "did nothing" in output
    assert db.session.scalar(db.select(db.func.count(Post.id))) == 1
    assert db.session.scalar(db.select(db.func.count(PostImage.id))) == 0
    assert db.session.scalar(db.select(Organization).where(Organization.parent_id.is_not(None))) \
        is None


def test_if_empty_seeds_an_empty_database(runner):
    seed(runner, "--if-empty", "--posts", "3")
    assert db.session.scalar(db.select(db.func.count(Post.id))) == 3


@pytest.mark.slow
def test_bulk_posts_appear_in_organization_lists_newest_first(bulk_seeded, client):
    output = bulk_seeded
    assert f"Seeded {len(POSTS)} handwritten posts" in output
    assert f"{500 - len(POSTS)} generated posts" in output
    assert db.session.scalar(db.select(db.func.count(Post.id))) == 500
    assert db.session.scalar(db.select(db.func.count(Post.id)).where(Post.is_pinned)) == 2
    org = db.session.scalar(db.select(Organization).where(Organization.slug == "hoi-lhpn"))
    ids = [org.id, *(branch.id for branch in org.branches)]
    expected = list(db.session.scalars(
        published_posts().where(Post.organization_id.in_(ids)).with_only_columns(Post.id)
        .order_by(Post.published_at.desc(), Post.id.desc())))
    assert len(expected) > 40  # several pages, handwritten and generated
    shown, url = [], "/org/hoi-lhpn"
    while url:
        page = client.get(url).get_data(as_text=True)
        shown += card_ids(page)
        found = NEXT_LINK_RE.search(page)
        url = html.unescape(found.group(1)) if found else None
    assert shown == expected


@pytest.mark.slow
def test_home_shows_pinned_demo_posts_before_bulk_posts(bulk_seeded, client):
    pinned = set(db.session.scalars(db.select(Post.id).where(Post.is_pinned)))
    assert len(pinned) == 2
    assert set(card_ids(client.get("/").get_data(as_text=True))[:2]) == pinned


@pytest.mark.slow
def test_bulk_posts_have_no_photos_but_are_searchable(bulk_seeded, client):
    assert db.session.scalar(db.select(db.func.count(PostImage.id))) == sum(
        len(p.photos) for p in POSTS)
    # Every generated body ends with one of a few closings; this one is never handwritten.
    generated = set(db.session.scalars(
        published_posts().where(Post.body.contains("sơ kết cuối quý")).with_only_columns(
            Post.id)))
    assert generated
    page = client.get("/search", query_string={"q": "so ket cuoi quy"}).get_data(as_text=True)
    assert {int(i) for i in POST_LINK_RE.findall(main_of(page))} & generated


def test_awards_option_records_sample_commendations(runner):
    from bulletin.models import Award

    seed(runner, "--posts", "2", "--awards", "25")
    awards = db.session.scalars(db.select(Award)).all()
    # The 25 asked for, 4 of them decided by the demo's commendation cycle.
    assert len(awards) == 25 and len(cycle_awards()) == 4


    assert all(a.history for a in awards)
    assert any(a.decision.is_public for a in awards)


def test_awards_in_bulk_keep_their_counts_history_and_ids_right(runner, make):
    from sqlalchemy import text

    from bulletin.demo.awards import SMALL
    from bulletin.models import Award, AwardHistory

    seed(runner, "--posts", "0", "--awards", str(SMALL + 50))  # the bulk path
    awards = db.session.scalars(db.select(Award)).all()
    assert len(awards) == SMALL + 50  # the cycle's awards among those asked for
    # Ids handed out ahead (PostgreSQL) pair each award with its own history and decision.
    firsts = db.session.scalars(db.select(AwardHistory).where(AwardHistory.action == "create"))
    by_award = {entry.award_id: entry for entry in firsts}
    assert all(award.recipient_name in by_award[award.id].changes
               and award.decision.number in by_award[award.id].changes for award in awards)
    # The counts the registry and the reports read agree with the awards themselves, though
    # PostgreSQL's trigger was paused during the bulk insert.
    counted = db.session.execute(text(
        "SELECT organization_id, kind_id, year, recipient_type, is_voided, awards, amount "
        "FROM award_counts WHERE awards > 0")).all()
    grouped = db.session.execute(text(
        "SELECT organization_id, kind_id, year, recipient_type, is_voided, count(*), "
        "coalesce(sum(amount), 0) FROM awards "
        "GROUP BY organization_id, kind_id, year, recipient_type, is_voided")).all()
    assert sorted(map(tuple, counted)) == sorted(map(tuple, grouped))
    # And the trigger keeps counting afterwards.
    before = db.session.scalar(text("SELECT sum(awards) FROM award_counts"))
    make.award(name="Nguyễn Thị Hoa")
    assert db.session.scalar(text("SELECT sum(awards) FROM award_counts")) == before + 1


@pytest.mark.slow
def test_demo_years_of_birth_fit_the_organization_and_stay_with_a_person(runner):
    from bulletin.models import Award

    seed(runner, "--posts", "1", "--awards", "600")  # past the one-by-one path: bulk rows
    known: dict[tuple, set] = {}
    for award in db.session.scalars(db.select(Award)):
        top = award.organization.parent or award.organization
        if award.recipient_type != "individual":
            assert award.birth_year is None
            continue
        known.setdefault((top.slug, award.recipient_name), set()).add(award.birth_year)
        if award.birth_year is not None:
            assert 1948 <= award.birth_year <= award.year - 16
            if top.slug == "hoi-ccb":
                assert award.birth_year <= 1968
            if top.slug == "doan-tncs":
                assert award.birth_year >= 1990
    assert all(len(years) == 1 for years in known.values())
    assert sum(None not in years for years in known.values()) > len(known) / 2


def test_running_seed_demo_twice_adds_posts_and_keeps_one_set_of_branches(runner):
    seed(runner, "--posts", "3")
    seed(runner, "--posts", "3")
    assert db.session.scalar(db.select(db.func.count(Post.id))) == 6
    branches = db.session.scalar(
        db.select(db.func.count(Organization.id)).where(Organization.parent_id.is_not(None)))
    assert branches == len(BRANCHES)
    assert db.session.scalar(db.select(db.func.count(Post.id)).where(Post.is_pinned)) == 2



def cycle_awards() -> list:
    """The awards the demo's cycle made from its proposal rows."""
    return db.session.scalars(db.select(ProposalRow.award_id).where(
        ProposalRow.award_id.is_not(None))).all()


def test_the_demo_runs_a_commendation_cycle_in_the_commune(runner, client, make):
    seed(runner, "--posts", "1", "--awards", "10")
    proposals = db.session.scalars(db.select(Proposal).order_by(Proposal.id)).all()
    assert [(p.organization.slug, p.status) for p in proposals] == [
        ("hoi-lhpn", "decided"), ("hoi-nong-dan", "submitted")]
    # Made by nobody, like the demo's decisions: the mark `seed-demo --remove` reads.
    assert all(p.created_by_id is None for p in proposals)
    decided, waiting = proposals
    assert {r.verdict for r in waiting.rows} == {"accepted", "refused", "pending"}
    assert all(r.verdict_reason for r in waiting.rows if r.verdict == "refused")
    accepted = [r for r in decided.rows if r.verdict == "accepted"]
    assert all(r.award.decision_id == decided.decision_id for r in accepted)
    assert len(cycle_awards()) == len(accepted) == len(decided.decision.awards)
    meeting = db.session.scalar(db.select(CouncilMeeting))
    assert meeting.created_by_id is None and decided.decision.created_by_id is None
    assert all(r.meeting_id == meeting.id for r in decided.rows)
    days = [decided.dated, waiting.dated, meeting.held_on, decided.decision.signed_on]
    assert all(date(2025, 7, 1) < day <= utcnow().date() for day in days)
    texts = " ".join([decided.decision.issuer, decided.decision.legal_grounds, meeting.place,
                      meeting.members_present, *(r.recipient_title for r in decided.rows)])
    assert "thị trấn" not in texts and "huyện" not in texts and "xã Hòa Sơn" in texts
    make.user("quantri", "admin")
    AuthActions(client).login("quantri")
    for path in (f"/awards/proposals/{decided.id}", f"/awards/proposals/{waiting.id}/paper",
                 f"/awards/council/meetings/{meeting.id}",
                 f"/awards/decisions/{decided.decision_id}/annex"):
        assert client.get(path).status_code == 200, path
    # A second run adds awards but no second cycle.
    seed(runner, "--posts", "1", "--awards", "5")
    assert db.session.scalar(db.select(db.func.count(Proposal.id))) == 2


def test_the_demo_commune_is_named_as_after_the_2025_reorganization():
    texts = " ".join(f"{p.title} {p.summary} {p.body}" for p in POSTS)
    assert "thị trấn" not in texts.lower()
    assert not re.search(r"\bhuyện\b", texts.lower())
    assert commune_level(2025) == "xã" and commune_level(2024) == "thị trấn"


def test_demo_decisions_name_the_commune_of_their_date(runner):
    seed(runner, "--posts", "1", "--awards", "150")
    decisions = db.session.scalars(db.select(Decision)).all()
    after = [d for d in decisions if d.signed_on >= date(2025, 7, 1)]
    assert after and all("thị trấn" not in d.issuer and "huyện" not in d.issuer for d in after)
    # A decision signed for an achievement from 2025 on is signed by the commune's bodies.
    assert not [d for d in decisions if any(a.year >= 2025 for a in d.awards)
                and "thị trấn" in d.issuer]
# seed-demo --remove

def count(model) -> int:
    """Return how many rows a table holds."""
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def test_remove_takes_away_everything_the_demo_made_and_keeps_what_staff_wrote(
        runner, make, client, app):
    editor = make.user("bientap", "editor", orgs=["mttq"])
    secretary = make.user("thuky", "secretary")
    staff_post = make.post("Thông báo lịch họp tháng 12 của Ủy ban", author_id=editor.id)
    staff_photo = make.photo(staff_post)
    staff_award = make.award("Nguyễn Văn Thật", user=secretary)
    seed(runner, "--posts", "4", "--awards", "12")
    demo_titles = [p.title for p in
                   db.session.scalars(db.select(Post).where(Post.id != staff_post.id))]
    demo_files = [image_path(key, "large") for key in db.session.scalars(
        db.select(PostImage.file_key).where(PostImage.post_id != staff_post.id))]
    assert len(demo_titles) == 4 and demo_files and all(p.is_file() for p in demo_files)
    assert demo_titles[0] in client.get("/").get_data(as_text=True)  # kept by the page cache
    demo_decision = db.session.get(Decision, db.session.scalar(
        db.select(DemoRow.row_id).where(DemoRow.table_name == "decisions").limit(1)))
    staff_on_demo = records.create_award(records.AwardValues(
        recipient_type="individual", recipient_name="Lê Thị Thương",
        organization=make.org("mttq"),
        kind=make.award_kind("giay-khen"), year=demo_decision.signed_on.year - 1,
        decision_number=demo_decision.number, decision_date=demo_decision.signed_on,
        issuer=demo_decision.issuer, signer=demo_decision.signer), user=secretary,
        decision=demo_decision)
    db.session.commit()
    before = {model: count(model) for model in (Organization, Category, AwardKind, User)}

    output = seed(runner, "--remove")

    assert "Removed the demo:" in output and " 4 posts," in output
    assert "2 proposals" in output and "Kept 1 decisions" in output
    db.session.expire_all()
    assert count(Proposal) == count(ProposalRow) == count(CouncilMeeting) == 0
    assert [p.id for p in db.session.scalars(db.select(Post))] == [staff_post.id]
    assert [i.id for i in db.session.scalars(db.select(PostImage))] == [staff_photo.id]
    assert image_path(staff_photo.file_key, "large").is_file()
    assert not any(path.exists() for path in demo_files)
    assert count(Attachment) == 0
    kept = set(db.session.scalars(db.select(Award.id)))
    assert kept == {staff_award.id, staff_on_demo.id}
    assert set(db.session.scalars(db.select(Decision.id))) == {staff_award.decision_id,
                                                               demo_decision.id}
    assert {model: count(model) for model in before} == before
    home = client.get("/").get_data(as_text=True)
    assert demo_titles[0] not in home and staff_post.title in home
    assert demo_titles[0] not in client.get(
        "/search?q=" + demo_titles[0].split()[0]).get_data(as_text=True).split("<main", 1)[1]
    again = seed(runner, "--remove")
    assert "Removed the demo: nothing" in again and "Kept 1 decisions" in again


def test_a_table_the_demo_fills_joins_the_removal_without_code(runner, make):
    """Any table with an integer id the demo fills is marked: here, people rows."""
    seed(runner, "--posts", "1", "--awards", "0")
    with removal.marking():
        db.session.add(Person(recipient_type="individual", name="Người mẫu trình diễn"))
        db.session.commit()
    staff = Person(recipient_type="individual", name="Hội viên thật")
    db.session.add(staff)
    db.session.commit()
    seed(runner, "--remove")
    assert [p.name for p in db.session.scalars(db.select(Person))] == ["Hội viên thật"]


def test_the_demo_of_a_board_seeded_before_the_marks_is_recognised_by_the_upgrade(
        runner, make, app):
    editor = make.user("bientap", "editor", orgs=["mttq"])
    secretary = make.user("thuky", "secretary")
    staff_post = make.post("Thông báo lịch họp của Ủy ban", author_id=editor.id).id
    staff_award = make.award("Nguyễn Văn Thật", user=secretary).id
    seed(runner, "--posts", "3", "--awards", "10")
    db.session.remove()
    downgrade(directory=MIGRATIONS_DIR, revision=DEMO_ROWS_REVISION + "-1")  # an older board
    upgrade(directory=MIGRATIONS_DIR)
    output = seed(runner, "--remove")
    assert "Removed the demo:" in output and " 3 posts," in output and " 10 awards," in output
    assert [p.id for p in db.session.scalars(db.select(Post))] == [staff_post]
    assert set(db.session.scalars(db.select(Award.id))) == {staff_award}
