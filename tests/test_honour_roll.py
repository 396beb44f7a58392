"""The public honour roll: only public decisions' live awards, names without money; post
pages and decision pages link to each other."""

import re

from bulletin.awards import records
from bulletin.extensions import db

LAST_YEAR = records.today().year - 1


def void(award, reason="Nhập sai"):
    """Void an award and commit."""
    records.void_award(award, reason)
    db.session.commit()


def main(page: str) -> str:
    """The page's own content."""
    return page.split("<main", 1)[1].split("</main>", 1)[0]


def test_honour_roll_shows_only_live_awards_of_public_decisions_without_money(client, make):
    make.award(name="Nguyễn Thị Hoa", is_public=True, amount=300_000, number="1/QĐ",
               recipient_title="Chi hội trưởng", achievement="Xuất sắc trong phong trào")
    make.award(name="Trần Văn Kín", is_public=False, number="2/QĐ")
    voided = make.award(name="Lê Văn Hủy", is_public=True, number="1/QĐ")
    void(voided)
    response = client.get("/honour-roll")
    assert response.status_code == 200
    page = main(response.get_data(as_text=True))
    assert "Nguyễn Thị Hoa" in page and "Giấy khen" in page and "Xuất sắc trong phong trào" in page
    assert "Trần Văn Kín" not in page and "Lê Văn Hủy" not in page
    assert "300.000" not in page and "300000" not in page and "đồng" not in page
    assert "Chi hội trưởng" not in page


def test_honour_roll_groups_by_year_then_organization(client, make):
    make.award(name="Người A", organization="hoi-ccb", year=LAST_YEAR - 1, is_public=True,
               number="1/QĐ")
    make.award(name="Người B", organization="mttq", year=LAST_YEAR, is_public=True,
               number="2/QĐ")
    make.award(name="Người C", organization="hoi-ccb", year=LAST_YEAR, is_public=True,
               number="2/QĐ")
    page = main(client.get("/honour-roll").get_data(as_text=True))
    headings = re.findall(r'<h2 id="honour-(\d+)">|<h3><a href="/org/([^"]+)">', page)
    assert headings == [(str(LAST_YEAR), ""), ("", "mttq"), ("", "hoi-ccb"),
                        (str(LAST_YEAR - 1), ""), ("", "hoi-ccb")]
    assert page.index("Người B") < page.index("Người C") < page.index("Người A")


def test_honour_roll_filters_by_year_and_organization(client, make):
    make.award(name="Người A", organization="hoi-ccb", year=LAST_YEAR - 1, is_public=True,
               number="1/QĐ")
    make.award(name="Người B", organization="mttq", year=LAST_YEAR, is_public=True,
               number="2/QĐ")
    page = main(client.get(f"/honour-roll?year={LAST_YEAR}").get_data(as_text=True))
    assert "Người B" in page and "Người A" not in page
    page = main(client.get("/honour-roll?org=hoi-ccb").get_data(as_text=True))
    assert "Người A" in page and "Người B" not in page


def test_honour_roll_is_public_unless_the_board_is_private(make_app, make):
    app = make_app()
    with app.app_context():
        assert app.test_client().get("/honour-roll").status_code == 200
    private = make_app(READ_REQUIRES_LOGIN=True)
    with private.app_context():
        response = private.test_client().get("/honour-roll")
        assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_post_links_to_its_public_decisions_and_they_link_back(client, make):
    post = make.post(title="Hội nghị tổng kết phong trào thi đua")
    public = make.award(name="Nguyễn Thị Hoa", number="9/QĐ-UBND", is_public=True, post=post)
    hidden = make.award(name="Trần Văn Kín", number="10/QĐ-UBND", is_public=False, post=post)
    page = client.get(f"/posts/{post.id}/{post.slug}").get_data(as_text=True)
    assert f'href="/honour-roll/decisions/{public.decision_id}"' in page
    assert "9/QĐ-UBND" in page
    assert f"/honour-roll/decisions/{hidden.decision_id}" not in page
    page = client.get(f"/honour-roll/decisions/{public.decision_id}").get_data(as_text=True)
    assert f'href="/posts/{post.id}/{post.slug}"' in page
    assert "Nguyễn Thị Hoa" in main(page)
    assert client.get(f"/honour-roll/decisions/{hidden.decision_id}").status_code == 404


def test_public_decision_page_hides_voided_names_and_unpublished_posts(client, make):
    draft = make.post(title="Bài chưa đăng", status="draft")
    live = make.award(name="Nguyễn Thị Hoa", number="9/QĐ", is_public=True, post=draft)
    voided = make.award(name="Lê Văn Hủy", number="9/QĐ", is_public=True)
    void(voided)
    page = main(client.get(f"/honour-roll/decisions/{live.decision_id}").get_data(as_text=True))
    assert "Nguyễn Thị Hoa" in page and "Lê Văn Hủy" not in page
    assert f"/posts/{draft.id}" not in page
