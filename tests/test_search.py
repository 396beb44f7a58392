"""Search: Vietnamese folding both ways, hostile input, ranking, filters, suggestions."""

import re
import unicodedata

import pytest

from bulletin import search as search_module
from bulletin.extensions import db
from bulletin.models import Attachment, Post

# (text in a post, what a reader types) — each query must find the post.
FOLDING_PAIRS = [
    ("Đại hội Đoàn TNCS Hồ Chí Minh", "dai hoi"),
    ("Đại hội Đoàn TNCS Hồ Chí Minh", "DAI HOI"),
    ("Đại hội Đoàn TNCS Hồ Chí Minh", "Đại hội"),
    ("Đại hội Đoàn TNCS Hồ Chí Minh", "đại HỘI"),
    ("Đại hội Đoàn TNCS Hồ Chí Minh", "doan"),
    ("Đại hội Đoàn TNCS Hồ Chí Minh", "ho chi minh"),
    ("Đại hội Đoàn TNCS Hồ Chí Minh", "minh ho chi"),
    ("Đại hội Đoàn TNCS Hồ Chí Minh", "tncs"),
    ("Chi bộ Đảng khu phố 3", "dang"),
    ("Chi bộ Đảng khu phố 3", "Đảng"),
    ("Chi bộ Đảng khu phố 3", "khu pho 3"),
    ("Hội nghị tổng kết công tác năm 2025", "hoi nghi"),
    ("Hội nghị tổng kết công tác năm 2025", "tong ket 2025"),
    ("Hội nghị tổng kết công tác năm 2025", "2025 cong tac"),
    ("Hội nghị tổng kết công tác năm 2025", "HỘI NGHỊ TỔNG KẾT"),
    ("Hội nghị tổng kết công tác năm 2025", "hội nghi tong kết"),
    ("Gia đình văn hóa tiêu biểu", "van hoa"),
    ("Gia đình văn hóa tiêu biểu", "văn hoá"),
    ("Gia đình văn hoá tiêu biểu", "văn hóa"),
    ("Gia đình văn hoá tiêu biểu", "gia dinh"),
    ("Thăm hỏi gia đình chính sách ở xã Hòa Bình", "hoà bình"),
    ("Thăm hỏi gia đình chính sách ở xã Hoà Bình", "hòa bình"),
    ("Thăm hỏi gia đình chính sách ở xã Hòa Bình", "hoa binh"),
    ("Bà Nguyễn Thị Thủy nhận giấy khen", "thuỷ"),
    ("Bà Nguyễn Thị Thuỷ nhận giấy khen", "thủy"),
    ("Bà Nguyễn Thị Thủy nhận giấy khen", "thuy"),
    ("Bà Nguyễn Thị Thủy nhận giấy khen", "NGUYEN THI THUY"),
    ("Chương trình sức khỏe cộng đồng", "suc khoe"),
    ("Chương trình sức khoẻ cộng đồng", "sức khỏe"),
    ("Chương trình sức khỏe cộng đồng", "sức khoẻ"),
    ("Tuổi trẻ xung kích tình nguyện hè", "tinh nguyen he"),
    ("Tuổi trẻ xung kích tình nguyện hè", "xung kich"),
    ("Tuổi trẻ xung kích tình nguyện hè", "he tinh nguyen"),
    ("Ngày hội Đại đoàn kết toàn dân tộc", "dai doan ket"),
    ("Ngày hội Đại đoàn kết toàn dân tộc", "toan dan toc"),
    ("Ngày hội Đại đoàn kết toàn dân tộc", "ĐẠI ĐOÀN KẾT"),
    ("Quỹ Vì người nghèo năm 2025", "quy vi nguoi ngheo"),
    ("Quỹ Vì người nghèo năm 2025", "người nghèo"),
    ("Quỹ Vì người nghèo năm 2025", "nguoi"),
    ("Hội Cựu chiến binh thị trấn", "cuu chien binh"),
    ("Hội Cựu chiến binh thị trấn", "thi tran"),
    ("Hội Cựu chiến binh thị trấn", "cựu chiến"),
    ("Mô hình vườn mẫu của Hội Nông dân", "vuon mau"),
    ("Mô hình vườn mẫu của Hội Nông dân", "nong dan"),
    ("Mô hình vườn mẫu của Hội Nông dân", "mo hinh"),
    ("Công đoàn cơ sở tổ chức giải bóng chuyền", "cong doan"),
    ("Công đoàn cơ sở tổ chức giải bóng chuyền", "bong chuyen"),
    ("Công đoàn cơ sở tổ chức giải bóng chuyền", "giải bóng"),
    ("Phụ nữ tiết kiệm vì sự tiến bộ", "phu nu"),
    ("Phụ nữ tiết kiệm vì sự tiến bộ", "tiet kiem"),
    ("Phụ nữ tiết kiệm vì sự tiến bộ", "tien bo phu nu"),
    ("Trồng cây xanh đầu xuân Ất Tỵ", "trong cay"),
    ("Trồng cây xanh đầu xuân Ất Tỵ", "at ty"),
    ("Trồng cây xanh đầu xuân Ất Tỵ", "dau xuan"),
    ("Phòng chống đuối nước cho trẻ em", "duoi nuoc"),
    ("Phòng chống đuối nước cho trẻ em", "phong chong"),
    ("Phòng chống đuối nước cho trẻ em", "tre em"),
    ("Hướng dẫn thủ tục đề nghị khen thưởng", "de nghi khen thuong"),
    ("Hướng dẫn thủ tục đề nghị khen thưởng", "huong dan"),
    ("Hướng dẫn thủ tục đề nghị khen thưởng", "thu tuc"),
    ("Hội nghị tổng kết công tác năm 2025", unicodedata.normalize("NFD", "hội nghị")),
    (unicodedata.normalize("NFD", "Đêm văn nghệ mừng Xuân"), "van nghe"),
    (unicodedata.normalize("NFD", "Đêm văn nghệ mừng Xuân"), "văn nghệ"),
    ("Tổ chức ngày hội tại nhà văn hóa", "ngay ho"),  # the last word is a prefix
]

# (text in a post, what a reader types) — each query must NOT find the post.
NON_MATCHING_PAIRS = [
    ("Đại hội Đoàn TNCS Hồ Chí Minh", "hoi nghi"),
    ("Hội Cựu chiến binh thị trấn", "nong dan"),
    ("Chi bộ Đảng khu phố 3", "khu pho 4"),
    ("Quỹ Vì người nghèo năm 2025", "nguoi giau"),
]

HOSTILE_QUERIES = [
    '"', '""', "'", "*", "**", "NEAR(", "NEAR(a b)", "-", "--", "a -b", "OR", "AND NOT",
    "hoi\" OR x", "' OR 1=1--", "Doan-TN", "^hoi", "title:hoi", "(", ")", "{}[]",
    "%", "_", "\\", "a & b | !c", ":*", "<script>alert(1)</script>", "😀 hội", "\x00",
    "x" * 500, " ".join(["hoi"] * 50),
]


def search(client, query, **params):
    """Return the titles found for `query`, as readers see them."""
    response = client.get("/search", query_string={"q": query, **params})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    titles = re.findall(r'<h2><a href="/posts/\d+/[^"]*">(.*?)</a></h2>', html)
    return [re.sub(r"</?mark>", "", t) for t in titles], html


@pytest.mark.parametrize("content,query", FOLDING_PAIRS)
def test_vietnamese_folding_finds_the_post(client, make, content, query):
    make.post(title=content)
    make.post(title="Một bài viết khác hẳn", body="<p>Không liên quan.</p>")
    titles, _html = search(client, query)
    assert titles == [content]


@pytest.mark.parametrize("content,query", FOLDING_PAIRS[:12])
def test_folding_works_in_the_body_too(client, make, content, query):
    make.post(title="Tin hoạt động", body=f"<p>Sáng nay, <b>{content}</b> đã diễn ra.</p>")
    titles, _html = search(client, query)
    assert titles == ["Tin hoạt động"]


@pytest.mark.parametrize("content,query", NON_MATCHING_PAIRS)
def test_words_that_are_not_there_find_nothing(client, make, content, query):
    make.post(title=content)
    titles, _html = search(client, query)
    assert titles == []


@pytest.mark.parametrize("query", HOSTILE_QUERIES)
def test_hostile_queries_answer_200_not_an_error(client, make, query):
    make.post(title="Hội nghị Đoàn thanh niên")
    response = client.get("/search", query_string={"q": query})
    assert response.status_code == 200
    assert "<script>alert" not in response.get_data(as_text=True)


def test_title_ranks_above_body(client, make):
    make.post(title="Tin trong thôn", body="<p>Bàn về phong trào nông thôn mới.</p>", age_minutes=1)
    make.post(title="Phong trào nông thôn mới", body="<p>Nội dung.</p>", age_minutes=600)
    titles, _html = search(client, "nong thon moi")
    assert titles == ["Phong trào nông thôn mới", "Tin trong thôn"]


def test_matches_are_highlighted_in_title_and_snippet(client, make):
    make.post(title="Đại hội Hội LHPN", body="<p>Các đại biểu dự <b>Đại hội</b> lần thứ X.</p>")
    _titles, html = search(client, "dai hoi")
    assert "<mark>Đại</mark> <mark>hội</mark> <mark>Hội</mark> LHPN" in html
    assert "dự <b><mark>Đại</mark> <mark>hội</mark></b> lần" not in html  # snippets are text
    assert "dự <mark>Đại</mark> <mark>hội</mark> lần" in html


def test_byline_and_attachment_names_are_searched(client, make):
    post = make.post(title="Thông báo", byline="Lường Văn Khánh, Chủ tịch Hội Nông dân")
    db.session.add(Attachment(post=post, original_name="Kế hoạch gieo cấy vụ mùa.pdf",
                              stored_name="abc.pdf", mime_type="application/pdf", size_bytes=10))
    db.session.commit()
    assert search(client, "luong van khanh")[0] == ["Thông báo"]
    assert search(client, "gieo cay vu mua")[0] == ["Thông báo"]


def test_unpublished_posts_are_not_found_by_readers(client, make):
    make.post(title="Bản nháp hội nghị", status="draft")
    make.post(title="Lưu trữ hội nghị", status="archived")
    assert search(client, "hoi nghi")[0] == []


def test_index_follows_edits_and_archiving(client, make):
    post = make.post(title="Tên cũ của bài", summary="")
    post.title = "Tên mới hoàn toàn"
    db.session.commit()
    assert search(client, "ten moi")[0] == ["Tên mới hoàn toàn"]
    assert search(client, "ten cu")[0] == []
    post.status = "archived"
    db.session.commit()
    assert search(client, "ten moi")[0] == []


def test_filter_by_organization_and_year(client, make):
    from datetime import datetime

    from bulletin.i18n import TIMEZONE

    make.post(title="Hội nghị Công đoàn", organization="cong-doan",
              published_at=datetime(2024, 6, 1, 9, tzinfo=TIMEZONE))
    make.post(title="Hội nghị Hội Nông dân", organization="hoi-nong-dan",
              published_at=datetime(2025, 6, 1, 9, tzinfo=TIMEZONE))
    assert search(client, "hoi nghi", org="cong-doan")[0] == ["Hội nghị Công đoàn"]
    assert search(client, "hoi nghi", year="2025")[0] == ["Hội nghị Hội Nông dân"]
    assert search(client, "hoi nghi", year="2023")[0] == []
    assert sorted(search(client, "hoi nghi", year="abc", org="khong-co")[0]) == [
        "Hội nghị Công đoàn", "Hội nghị Hội Nông dân"]


def test_results_are_paginated(make_app, make):
    app = make_app()
    client = app.test_client()
    with app.app_context():
        for n in range(25):
            make.post(title=f"Hội nghị số {n}", age_minutes=n)
    first, html = search(client, "hoi nghi")
    assert len(first) == 20 and 'rel="next"' in html
    second, html = search(client, "hoi nghi", page="2")
    assert len(second) == 5 and 'rel="next"' not in html
    assert not set(first) & set(second)


def test_did_you_mean_suggests_a_close_word_that_finds_something(client, make):
    make.post(title="Hội nghị tổng kết phong trào thi đua")
    titles, html = search(client, "phong trao thii dua")
    assert titles == []
    assert "Có phải bạn muốn tìm" in html
    assert "phong trao thi dua" in html


def test_no_suggestion_when_nothing_is_close(client, make):
    make.post(title="Hội nghị tổng kết")
    _titles, html = search(client, "xyzzyq")
    assert "Có phải bạn muốn tìm" not in html
    assert "Không tìm thấy" in html


def test_rebuild_command_restores_a_lost_index(client, make, runner):
    from sqlalchemy import text

    make.post(title="Hội thi cắm hoa")
    db.session.execute(text("DELETE FROM search_posts"))
    db.session.commit()
    assert search(client, "cam hoa")[0] == []
    result = runner.invoke(args=["search", "rebuild"])
    assert "indexed 1 posts" in result.output
    assert search(client, "cam hoa")[0] == ["Hội thi cắm hoa"]


def test_empty_query_shows_the_form(client):
    response = client.get("/search")
    assert response.status_code == 200
    assert 'name="q"' in response.get_data(as_text=True)


def test_post_written_through_the_orm_is_indexed_once(client, make):
    make.post(title="Bài duy nhất")
    assert db.session.scalar(db.select(db.func.count()).select_from(Post)) == 1
    assert search(client, "bai duy nhat")[0] == ["Bài duy nhất"]


def test_staff_search_also_finds_commendations_but_readers_do_not(client, make, auth):
    make.award(name="Nguyễn Thị Hòa", achievement="Hoàn thành xuất sắc nhiệm vụ",
               number="15/QĐ-MTTQ")
    make.post(title="Tin không liên quan")
    _titles, html = search(client, "nguyen thi hoa")
    assert "Nguyễn Thị Hòa" not in html
    make.user("thuky", role="secretary")
    auth.login("thuky")
    _titles, html = search(client, "nguyen thi hoa")
    assert "Trong sổ khen thưởng" in html and "Nguyễn Thị Hòa" in html
    _titles, html = search(client, "15/QĐ-MTTQ")
    assert "Nguyễn Thị Hòa" in html


def test_secretary_of_one_organization_finds_only_its_commendations(client, make, auth):
    make.award(name="Lê Văn Bình", organization="cong-doan")
    make.user("thuky", role="secretary", orgs=["hoi-lhpn"])
    auth.login("thuky")
    _titles, html = search(client, "le van binh")
    assert "Lê Văn Bình" not in html


# Posts where "dang" and "uy" (or "hoi" and "nghi") also occur apart, newer than the phrase.
APART_AND_TOGETHER = [
    # (title, body, minutes ago)
    ("Hướng dẫn đăng ký tham gia", "<p>Hồ sơ nộp tại Ủy ban nhân dân thị trấn.</p>", 1),
    ("Thông báo của Ủy ban", "<p>Các hộ gia đình đăng ký tạm trú theo hướng dẫn.</p>", 2),
    ("Ban chấp hành họp phiên thường kỳ", "<p>Đảng viên và Ủy ban MTTQ cùng dự.</p>", 3),
    ("Sinh hoạt chuyên đề tháng 11", "<p>Đảng bộ thị trấn giao cho Đảng ủy các khu.</p>", 600),
    ("Đảng ủy thị trấn sơ kết quý IV", "<p>Nội dung sơ kết.</p>", 900),
]


def test_phrase_ranks_first_then_words_close_together_then_apart(client, make):
    for title, body, minutes in APART_AND_TOGETHER:
        make.post(title=title, body=body, age_minutes=minutes)
    titles, _html = search(client, "dang uy")
    # The phrase in the title, then in the body; then "Đảng viên và Ủy ban" (two words
    # apart); the posts with "đăng ký … Ủy ban" far apart come last, newest first.
    assert titles[:3] == ["Đảng ủy thị trấn sơ kết quý IV", "Sinh hoạt chuyên đề tháng 11",
                          "Ban chấp hành họp phiên thường kỳ"]
    assert set(titles[3:]) == {"Hướng dẫn đăng ký tham gia", "Thông báo của Ủy ban"}


def test_words_in_the_query_order_beat_the_same_words_reversed(client, make):
    make.post(title="Nghị quyết của hội", body="<p>Hội viên thảo luận nghị quyết.</p>",
              age_minutes=1)
    make.post(title="Thông báo", body="<p>Chuẩn bị hội nghị cuối năm.</p>", age_minutes=500)
    titles, _html = search(client, "hoi nghi")
    assert titles[0] == "Thông báo"


def test_results_page_says_how_many_posts_were_found(client, make):
    for title, body, minutes in APART_AND_TOGETHER:
        make.post(title=title, body=body, age_minutes=minutes)
    _titles, html = search(client, "dang uy")
    assert "Tìm thấy 5 bài viết." in html
    _titles, html = search(client, "uy ban")
    assert "Tìm thấy 3 bài viết." in html


def test_more_than_the_ranked_candidates_is_said_as_more_than(client, make, monkeypatch):
    monkeypatch.setattr(search_module, "CANDIDATES", 3)
    for title, body, minutes in APART_AND_TOGETHER:
        make.post(title=title, body=body, age_minutes=minutes)
    titles, html = search(client, "dang uy")
    assert "Tìm thấy hơn 3 bài viết" in html
    assert len(titles) == 3


# --- Issue 21: accents typed are meant -----------------------------------------------------

ACCENT_POSTS = [
    # (title, body, minutes ago): the other-accent posts hold the folded word more often, in
    # the title, and are newer, so neither relevance nor recency puts the right one first.
    ("Phát hành tài liệu mới", "<p>Kèm theo bản đồ địa giới.</p>", 300),
    ("Bán đồ cũ: chợ phiên bán đồ gây quỹ", "<p>Các hộ bán đồ dùng, bán đồ chơi.</p>", 5),
    ("Quà tặng dịp cuối năm", "<p>Con cháu tặng hoa cho mẹ.</p>", 400),
    ("Me chua: hội thi nấu chè me", "<p>Quả me, mứt me, me ngâm.</p>", 10),
    ("Sửa chữa cầu tràn liên xóm", "<p>Làm lại con đường.</p>", 500),
    ("Ông Dương nhận giấy khen: Dương Văn Minh", "<p>Ông Dương được khen.</p>", 15),
    ("Kết nạp mới năm 2026", "<p>Có 3 đảng viên trẻ.</p>", 600),
    ("Đăng ký đoàn viên, đăng ký viên chức", "<p>Đăng ký viên chức.</p>", 20),
]


@pytest.mark.parametrize(("query", "first", "also"), [
    ("bản đồ", "Phát hành tài liệu mới", "Bán đồ cũ: chợ phiên bán đồ gây quỹ"),
    ("mẹ", "Quà tặng dịp cuối năm", "Me chua: hội thi nấu chè me"),
    ("đường", "Sửa chữa cầu tràn liên xóm", "Ông Dương nhận giấy khen: Dương Văn Minh"),
    ("đảng viên", "Kết nạp mới năm 2026", "Đăng ký đoàn viên, đăng ký viên chức"),
    ("ĐẢNG VIÊN", "Kết nạp mới năm 2026", "Đăng ký đoàn viên, đăng ký viên chức"),
])
def test_a_query_typed_with_accents_ranks_those_words_first(client, make, query, first, also):
    for title, body, minutes in ACCENT_POSTS:
        make.post(title=title, body=body, age_minutes=minutes)
    titles, _html = search(client, query)
    assert titles[0] == first
    assert also in titles  # the folded matches are still found, after


@pytest.mark.parametrize(("query", "expected"), [
    ("ban do", {"Phát hành tài liệu mới", "Bán đồ cũ: chợ phiên bán đồ gây quỹ"}),
    ("me", {"Quà tặng dịp cuối năm", "Me chua: hội thi nấu chè me"}),
    ("duong", {"Sửa chữa cầu tràn liên xóm", "Ông Dương nhận giấy khen: Dương Văn Minh"}),
])
def test_a_query_typed_without_accents_still_finds_all(client, make, query, expected):
    for title, body, minutes in ACCENT_POSTS:
        make.post(title=title, body=body, age_minutes=minutes)
    titles, html = search(client, query)
    assert expected <= set(titles)
    assert f"Tìm thấy {len(titles)} bài viết." in html


def test_an_accented_phrase_beats_its_words_apart_and_other_accents(client, make):
    make.post(title="Hỏi nghi vấn về hội", body="<p>Không rõ.</p>", age_minutes=1)
    make.post(title="Nghị quyết của Hội", body="<p>Bàn về hội.</p>", age_minutes=2)
    make.post(title="Chuẩn bị Hội nghị", body="<p>Sắp diễn ra.</p>", age_minutes=300)
    titles, _html = search(client, "Hội nghị")
    assert titles == ["Chuẩn bị Hội nghị", "Nghị quyết của Hội", "Hỏi nghi vấn về hội"]
