"""The papers print as commune offices print them: A4 portrait, no column cut off.

Chromium prints the annex of a decision and the yearly registry book to PDF; the test reads
the PDF's page size and, in print media at the printable width of an A4 page, checks that
every table cell ends within it. With PAPER_SCREENS=<folder> it also saves each PDF there
(to be turned into pictures for a person to look at).
"""

import os
import re
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Page

from bulletin.extensions import db
from tests.browser.test_staff import log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.parametrize("database_url", ["sqlite"], indirect=True),
]

A4_POINTS = (595.3, 841.9)
# The printable width of paper.css's A4 page (210 mm less 30 mm and 15 mm margins) at 96 dpi.
PRINTABLE_PX = round((210 - 30 - 15) / 25.4 * 96)
CELLS_PAST_EDGE = """width => [...document.querySelectorAll(
    "table.paper th, table.paper td, .doc-head, .signature")]
  .filter(el => el.getBoundingClientRect().right > width + 0.5)
  .map(el => el.textContent.trim().slice(0, 40))"""

LONG_ACHIEVEMENT = ("Có thành tích xuất sắc trong phong trào thi đua “Phụ nữ tích cực học tập, "
                    "lao động sáng tạo, xây dựng gia đình hạnh phúc” và cuộc vận động “Toàn dân "
                    "đoàn kết xây dựng nông thôn mới, đô thị văn minh” năm 2025")


def fill_registry(make) -> int:
    """A decision of several recipients with long texts, and a year of other awards."""
    common = {"number": "31/QĐ-UBND", "signed_on": date(2025, 12, 20), "year": 2025,
              "issuer": "Chủ tịch UBND thị trấn Phong Điền", "kind": "giay-khen",
              "organization": "hoi-lhpn", "achievement": LONG_ACHIEVEMENT}
    first = make.award("Chi hội Phụ nữ tổ dân phố Trung Thạnh Đông", amount=1_410_000,
                       recipient_type="collective", **common)
    people = ("Nguyễn Thị Hoa", "Trần Thị Ngọc Bích", "Lê Thị Thu Hương", "Phạm Thị Mai",
              "Huỳnh Thị Kim Oanh", "Hoàng Thị Diệu Linh")
    for name in people:
        make.award(name, amount=710_000, recipient_title="Chi hội trưởng Chi hội Phụ nữ "
                   "tổ dân phố Phước Lộc", **common)
    make.award("Hộ bà Võ Thị Lan", recipient_type="household", amount=710_000, **common)
    decision = first.decision
    decision.signing_mode, decision.signer_title = "KT", "Phó Chủ tịch"
    decision.signer = "Trần Văn Thắng"
    for index, slug in enumerate(("mttq", "doan-tncs", "hoi-ccb", "hoi-nong-dan", "cong-doan")):
        make.award(f"Đặng Văn Hùng {index}", organization=slug, year=2025, amount=540_000,
                   number=f"{index + 40}/QĐ-UBND", kind="lao-dong-tien-tien",
                   signed_on=date(2025, 12, 28), achievement=LONG_ACHIEVEMENT)
    db.session.commit()
    return decision.id


def page_sizes(pdf: bytes) -> list[tuple[float, float]]:
    """The MediaBox (width, height in points) of every page of a PDF Chromium wrote."""
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    return [(float(w), float(h)) for w, h in boxes]


def check_paper(page: Page, url: str, name: str) -> None:
    """Print `url` to PDF: A4 portrait pages; no cell past the printable width."""
    page.goto(url)
    page.emulate_media(media="print")
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    sizes = page_sizes(pdf)
    assert sizes, "no page in the PDF"
    for width, height in sizes:
        assert abs(width - A4_POINTS[0]) < 2 and abs(height - A4_POINTS[1]) < 2, (width, height)
    page.set_viewport_size({"width": PRINTABLE_PX, "height": 1100})
    assert page.evaluate(CELLS_PAST_EDGE, PRINTABLE_PX) == []
    overflow = page.evaluate("() => document.documentElement.scrollWidth")
    assert overflow <= PRINTABLE_PX
    assert page.locator("form, input, button:visible, nav").count() == 0
    folder = os.environ.get("PAPER_SCREENS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        (Path(folder) / f"{name}.pdf").write_bytes(pdf)
        page.screenshot(path=str(Path(folder) / f"{name}-print-media.png"), full_page=True)


def test_annex_and_yearly_book_print_on_a4_portrait_without_cut_columns(
        page: Page, live_server, make):
    decision_id = fill_registry(make)
    make.user("thuky", "secretary")
    log_in(page, live_server, "thuky")
    check_paper(page, live_server(f"/awards/decisions/{decision_id}/annex"), "annex")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.emulate_media(media="screen")
    check_paper(page, live_server("/awards/reports/book?year=2025"), "yearly-book")
