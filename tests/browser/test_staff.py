"""What staff do in a real browser: write and publish a post, log out, keep the registry."""

import io
import re

import pytest
from openpyxl import load_workbook
from PIL import Image
from playwright.sync_api import Page, expect

pytestmark = [
    pytest.mark.browser,
    pytest.mark.parametrize("database_url", ["sqlite"], indirect=True),
]

PASSWORD = "correct-horse-battery"


def log_in(page: Page, live_server, username: str) -> None:
    """Log in through the real form."""
    page.goto(live_server("/login"))
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("button", name="Đăng xuất")).to_be_visible()


def photo_file(tmp_path, name: str, color) -> str:
    """Write a JPEG to disk and return its path."""
    path = tmp_path / name
    buffer = io.BytesIO()
    Image.new("RGB", (1600, 1200), color).save(buffer, "JPEG")
    path.write_bytes(buffer.getvalue())
    return str(path)


def test_editor_publishes_a_post_with_two_captioned_photos_and_an_attachment(
        page: Page, live_server, make, tmp_path, outside_requests):
    make.user("bientap", role="editor", orgs=["hoi-lhpn"], full_name="Nguyễn Thu Hà")
    log_in(page, live_server, "bientap")
    page.goto(live_server("/posts/new"))
    page.fill("#title", "Hội LHPN ra quân ngày chủ nhật xanh")
    page.fill("#summary", "Hơn 200 hội viên dọn vệ sinh đường làng.")
    editor = page.locator(".rte-area")  # the self-hosted rich-text editor over the textarea
    editor.click()
    page.keyboard.type("Sáng chủ nhật, các chi hội đã ra quân.")
    # The old way still works beside the new buttons: the status dropdown, then "Lưu bài".
    page.select_option("#status", "published")
    page.fill("#byline", "Nguyễn Thu Hà, Chủ tịch Hội LHPN")
    page.set_input_files("#images", [photo_file(tmp_path, "mot.jpg", (200, 30, 30)),
                                     photo_file(tmp_path, "hai.jpg", (30, 120, 30))])
    page.get_by_label(re.compile("Chú thích ảnh 1")).fill("Hội viên dọn vệ sinh")  # next to
    page.get_by_label(re.compile("Chú thích ảnh 2")).fill("Trồng hoa ven đường")  # each photo
    pdf = tmp_path / "Kế hoạch ra quân.pdf"
    pdf.write_bytes(b"%PDF-1.4\n% test\n")
    page.set_input_files("#attachments", str(pdf))
    page.get_by_role("button", name="Lưu bài").click()

    expect(page).to_have_url(re.compile(r"/posts/\d+/hoi-lhpn-ra-quan-ngay-chu-nhat-xanh$"))
    expect(page.locator("h1")).to_have_text("Hội LHPN ra quân ngày chủ nhật xanh")
    expect(page.locator(".body")).to_contain_text("Sáng chủ nhật, các chi hội đã ra quân.")
    expect(page.locator(".gallery-grid figcaption")).to_have_text(
        ["Hội viên dọn vệ sinh", "Trồng hoa ven đường"])
    expect(page.locator(".attachments")).to_contain_text("Kế hoạch ra quân.pdf")
    page.goto(live_server("/"))
    expect(page.locator("main")).to_contain_text("Hội LHPN ra quân ngày chủ nhật xanh")
    assert outside_requests == []


def test_after_logout_the_back_button_shows_nothing_private(page: Page, live_server, make):
    make.user("bientap", role="editor", orgs=["hoi-lhpn"])
    make.post(title="Bản nháp bí mật", status="draft", organization="hoi-lhpn")
    log_in(page, live_server, "bientap")
    page.goto(live_server("/posts/manage?tab=draft"))
    expect(page.locator("main")).to_contain_text("Bản nháp bí mật")
    page.get_by_role("button", name="Đăng xuất").click()
    expect(page.get_by_role("link", name="Đăng nhập")).to_be_visible()
    page.go_back()
    page.wait_for_load_state()
    expect(page.locator("body")).not_to_contain_text("Bản nháp bí mật")
    expect(page).to_have_url(re.compile(r"/login"))


def test_secretary_records_a_decision_finds_a_name_without_diacritics_and_exports(
        page: Page, live_server, make, tmp_path):
    make.user("thuky", role="secretary")
    log_in(page, live_server, "thuky")
    page.goto(live_server("/awards/decisions/new"))
    page.fill("#decision_number", "25/QĐ-MTTQ")
    page.fill("#decision_date", "20/01/2026")
    page.fill("#issuer", "Ban Thường trực Ủy ban MTTQ thị trấn")
    page.fill("#signer", "Hoàng Nam Tuấn")
    page.select_option("#organization", "mttq")
    page.select_option("#kind", "giay-khen")
    page.fill("#year", "2025")
    names = ["Nguyễn Thị Hòa", "Đặng Văn Đức", "Lường Thị Thủy"]
    for row, name in enumerate(names):
        page.fill(f"#recipients-{row}-recipient_name", name)
        page.fill(f"#recipients-{row}-amount", "300.000")
    page.get_by_role("button", name="Lưu quyết định").click()
    expect(page).to_have_url(re.compile(r"/awards/decisions/\d+$"))
    for name in names:
        expect(page.locator("main")).to_contain_text(name)

    page.goto(live_server("/awards/"))
    page.fill("#q", "nguyen thi hoa")
    page.get_by_role("button", name="Lọc", exact=True).click()
    expect(page).to_have_url(re.compile(r"q=nguyen\+thi\+hoa"))
    rows = page.locator("main table.registry tbody tr:not(.year-row)")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Nguyễn Thị Hòa")

    page.goto(live_server("/awards/"))
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Xuất Excel").click()
    path = tmp_path / "so.xlsx"
    download_info.value.save_as(path)
    sheet = load_workbook(path).worksheets[0]
    cells = [str(c) for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
    for name in names:
        assert name in cells
    assert 300000 in [c for row in sheet.iter_rows(values_only=True) for c in row]
