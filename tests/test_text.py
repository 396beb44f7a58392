"""Vietnamese text: folding, slugs, tone placement and the people sort order."""

import random
import re
import unicodedata

import pytest

from bulletin.text import fold, modern_tones, name_sort_key, slugify, text_sort_key

# 44 names in the order a Vietnamese list is read: given name (the last word) first, in the
# Vietnamese alphabet (a ă â b c d đ e ê …) and tones (ngang, huyền, hỏi, ngã, sắc, nặng),
# then the family and middle names.
PEOPLE_IN_ORDER = [
    "Nguyễn Văn An", "Trần Thị An", "Lê Văn Anh", "Phạm Thị Ánh", "Hoàng Văn Ân",
    "Bùi Thị Bình", "Đinh Thị Chi", "Lò Thị Cúc", "Trần Thị Dung", "Phạm Văn Dũng",
    "Nông Văn Duy", "Hà Thị Đào", "Lê Văn Đức", "Ma Thị Giang", "Nguyễn Thị Hà",
    "Nguyễn Văn Hai", "Nguyễn Văn Hải", "Vi Thị Hạnh", "Đỗ Thị Hoà", "Vũ Thị Hòa",
    "Lương Văn Hùng", "Triệu Văn Hưng", "Hoàng Thị Khánh", "Nông Thị Lan", "Sầm Thị Linh",
    "Dương Thị Mai", "Đỗ Thị Mai", "Lý Văn Minh", "Mông Thị Nga", "Hứa Thị Ngọc",
    "Đàm Thị Oanh", "La Văn Phúc", "Nguyễn Hồng Quân", "Lâm Thị Quyên", "Hoàng Văn Sơn",
    "Bế Thị Tâm", "Chu Thị Thảo", "Nguyễn Thị Thủy", "Lục Thị Trang", "Mạc Văn Tuấn",
    "Quan Thị Uyên", "Vy Thị Vân", "Đặng Thị Xuân", "Phùng Thị Yến",
]


def test_people_sort_by_given_name_in_vietnamese_order():
    shuffled = PEOPLE_IN_ORDER[:]
    random.Random(7).shuffle(shuffled)
    assert sorted(shuffled, key=name_sort_key) == PEOPLE_IN_ORDER


@pytest.mark.parametrize("first,second", [
    ("Anh", "Ánh"), ("Ánh", "Ân"), ("Dung", "Dũng"), ("Dũng", "Duy"), ("Duy", "Đào"),
    ("Hà", "Hai"), ("Hai", "Hải"), ("Hùng", "Hưng"), ("Ma", "Mà"), ("Mà", "Mả"), ("Mả", "Mã"),
    ("Mã", "Má"), ("Má", "Mạ"), ("Dương", "Đông"), ("Ô", "Ơ"), ("Tư", "Tứ"),
])
def test_letters_and_tones_compare_the_vietnamese_way(first, second):
    assert text_sort_key(first) < text_sort_key(second)


def test_old_and_new_tone_placement_sort_and_fold_alike():
    assert name_sort_key("Vũ Thị Hoà") == name_sort_key("Vũ Thị Hòa")
    assert name_sort_key("Lê Thuỷ") == name_sort_key("Lê Thủy")
    assert modern_tones("khoẻ hoà thuỷ quý") == "khỏe hòa thủy quý"
    assert fold("Hoà") == fold("Hòa") == "hoa"


def test_nfd_input_sorts_like_nfc():
    nfd = unicodedata.normalize("NFD", "Nguyễn Thị Thủy")
    assert name_sort_key(nfd) == name_sort_key("Nguyễn Thị Thủy")


@pytest.mark.parametrize("value,folded", [
    ("Đại hội Đoàn", "dai hoi doan"), ("ĐẢNG", "dang"), ("Hội nghị", "hoi nghi"),
    (unicodedata.normalize("NFD", "Tiếng Việt"), "tieng viet"), ("", ""), (None, ""),
    ("Ưu tiên Ơn", "uu tien on"),
])
def test_fold_removes_marks_and_folds_d(value, folded):
    assert fold(value) == folded


@pytest.mark.parametrize("title,slug", [
    ("Hội nghị tổng kết", "hoi-nghi-tong-ket"),
    ("Đại hội Đoàn TNCS Hồ Chí Minh lần thứ XV!", "dai-hoi-doan-tncs-ho-chi-minh-lan-thu-xv"),
    ("  --  ", "bai-viet"),
    ("Quỹ “Vì người nghèo” 2025", "quy-vi-nguoi-ngheo-2025"),
])
def test_slugs_from_vietnamese_titles(title, slug):
    assert slugify(title) == slug


def test_long_slugs_stop_at_a_word():
    slug = slugify("Hội nghị " * 30)
    assert len(slug) <= 80 and not slug.endswith("-") and re.fullmatch(r"[a-z0-9-]+", slug)


def test_registry_lists_people_in_vietnamese_order_from_the_database(client, make, auth):
    shuffled = PEOPLE_IN_ORDER[:]
    random.Random(3).shuffle(shuffled)
    for number, name in enumerate(shuffled, start=1):
        make.award(name=name, number=f"{number}/QĐ-MTTQ")
    make.user("thuky", role="secretary")
    auth.login("thuky")
    html = client.get("/awards/?year=2025").get_data(as_text=True)
    found = [name for name in re.findall(r">([^<>]+)</a>", html) if name in PEOPLE_IN_ORDER]
    assert found == PEOPLE_IN_ORDER
