"""A decision's papers and the reports print from Chromium on A4 as the decree asks.

Chromium prints the decision itself, its annex, the payout list (portrait), the certificates
and the yearly summary (landscape) to PDF; the test reads each PDF's pages (count, size,
orientation) and, in print media at the printable width, checks that the widest table and
every cell end within it. With PAPER_SCREENS=<folder> it also saves each PDF there (to be
turned into pictures for a person to look at: docs/papers/).
"""

import os
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Page

from bulletin.extensions import db
from bulletin.models import Award, Decision, Organization, SiteSettings
from bulletin.site import site_changed
from tests.browser.test_papers import A4_POINTS, fill_registry, page_sizes
from tests.browser.test_staff import log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.parametrize("database_url", ["sqlite"], indirect=True),
]

MM = 96 / 25.4
PORTRAIT_PX = round((210 - 30 - 15) * MM)  # paper.css: left 30 mm, right 15 mm
LANDSCAPE_PX = round((297 - 30 - 15) * MM)  # paper-landscape.css
PAST_EDGE = """([selector, width]) => [...document.querySelectorAll(selector)]
  .filter(el => el.getBoundingClientRect().right > width + 0.5)
  .map(el => el.textContent.trim().slice(0, 40))"""
WIDEST_TABLE = """() => Math.max(0, ...[...document.querySelectorAll("table")]
  .map(t => t.getBoundingClientRect().right))"""


def commune_registry(make) -> int:
    """The registry with long texts of `fill_registry`, in a commune after 1 July 2025: the
    site's identity, the commune chairman's decision, a branch, sexes and ethnicities."""
    decision_id = fill_registry(make)
    db.session.add(SiteSettings(id=1, locality_name="xã Tân Lập",
                                committee_name="Ủy ban MTTQ Việt Nam", footer_text="",
                                logo_key=""))
    decision = db.session.get(Decision, decision_id)
    decision.issuer, decision.issuer_level = "Chủ tịch UBND xã Tân Lập", "commune_chair"
    decision.subject = "Khen thưởng các tập thể, hộ gia đình và cá nhân có thành tích xuất sắc " \
        "trong phong trào thi đua năm 2025"
    decision.legal_grounds = (
        "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;\n"
        "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;\n"
        "Căn cứ Nghị định số 98/2023/NĐ-CP ngày 31 tháng 12 năm 2023 của Chính phủ quy định "
        "chi tiết thi hành một số điều của Luật Thi đua, khen thưởng;\n"
        "Xét đề nghị của Hội Liên hiệp Phụ nữ xã và Hội đồng Thi đua - Khen thưởng xã")
    for number, award in enumerate(db.session.scalars(db.select(Award).order_by(Award.id))):
        if award.recipient_type == "individual":
            award.sex = "male" if "Văn" in award.recipient_name else "female"
            award.ethnicity = ("Kinh", "Tày", "Thái", "")[number % 4]
    branch = Organization(name="Chi hội Phụ nữ thôn Phước Lộc", short_name="CH Phước Lộc",
                          slug="chi-hoi-phuoc-loc", parent=make.org("hoi-lhpn"), position=1)
    db.session.add(branch)
    db.session.commit()
    site_changed()
    make.award("Lò Thị Xuân", organization=branch, year=2025, amount=540_000, sex="female",
               ethnicity="Thái", kind="lao-dong-tien-tien", number="45/QĐ-UBND",
               issuer="Chủ tịch UBND xã Tân Lập", signed_on=date(2025, 12, 28))
    return decision_id


def print_pdf(page: Page, url: str, name: str) -> list[tuple[float, float]]:
    """Open `url`, print it to PDF as Chromium does (CSS page size), keep it if asked."""
    page.set_viewport_size({"width": 1280, "height": 900})
    page.emulate_media(media="screen")
    page.goto(url)
    page.emulate_media(media="print")
    pdf = page.pdf(format="A4", prefer_css_page_size=True, print_background=True)
    folder = os.environ.get("PAPER_SCREENS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        (Path(folder) / f"{name}.pdf").write_bytes(pdf)
    sizes = page_sizes(pdf)
    assert sizes, "no page in the PDF"
    return sizes


def assert_a4(sizes, landscape: bool) -> None:
    """Every page is A4, in the orientation asked."""
    width, height = (A4_POINTS[1], A4_POINTS[0]) if landscape else A4_POINTS
    for size in sizes:
        assert abs(size[0] - width) < 2 and abs(size[1] - height) < 2, size


def assert_fits(page: Page, width: int, selector: str) -> None:
    """At the printable width, in print media, nothing named by `selector` passes the edge."""
    page.set_viewport_size({"width": width, "height": 1100})
    assert page.evaluate(PAST_EDGE, [selector, width]) == []
    assert page.evaluate(WIDEST_TABLE) <= width + 0.5
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width
    assert page.locator("form, input, button:visible, nav").count() == 0


def test_decision_annex_and_payout_print_on_a4_portrait_within_the_margins(
        page: Page, live_server, make):
    decision_id = commune_registry(make)
    make.user("thuky", "secretary")
    log_in(page, live_server, "thuky")
    cells = "table.paper th, table.paper td, .doc-head, .signature, .articles p, .recipients"
    for paper in ("paper", "annex", "payout"):
        sizes = print_pdf(page, live_server(f"/awards/decisions/{decision_id}/{paper}"),
                          f"decision-{paper}")
        assert_a4(sizes, landscape=False)
        assert_fits(page, PORTRAIT_PX, cells)
        if paper == "paper":
            assert len(sizes) <= 2


def test_certificates_print_one_a4_landscape_page_per_recipient(page: Page, live_server, make):
    decision_id = commune_registry(make)
    make.user("thuky", "secretary")
    log_in(page, live_server, "thuky")
    for blank in ("", "?blank=1"):
        url = live_server(f"/awards/decisions/{decision_id}/certificates{blank}")
        sizes = print_pdf(page, url, "certificates" + ("-blank" if blank else ""))
        assert len(sizes) == 8  # a collective, six people, a household
        assert_a4(sizes, landscape=True)
        page.set_viewport_size({"width": round(297 * MM), "height": 800})
        assert page.evaluate(PAST_EDGE, [".sheet .t", round(297 * MM)]) == []
        overflowing = page.evaluate("""() => [...document.querySelectorAll(".sheet .t")]
          .filter(el => el.scrollWidth > el.clientWidth + 1).length""")
        assert overflowing == 0


def test_yearly_summary_prints_on_a4_landscape_without_cutting_a_column(
        page: Page, live_server, make):
    commune_registry(make)
    make.user("thuky", "secretary")
    log_in(page, live_server, "thuky")
    sizes = print_pdf(page, live_server("/awards/reports/yearly?year=2025&print=1"),
                      "yearly-summary")
    assert_a4(sizes, landscape=True)
    assert_fits(page, LANDSCAPE_PX, "table.paper th, table.paper td, .doc-head, .signature")
    assert_a4(print_pdf(page, live_server("/awards/reports/book?year=2025"), "yearly-book"),
              landscape=False)
    assert_fits(page, PORTRAIT_PX, "table.paper th, table.paper td, .doc-head, .signature")
    for url, name in (("/awards/reports/statistics?year=2025&print=1", "statistics"),
                      ("/awards/reports/eligible?year=2025&kind=chien-si-thi-dua-co-so"
                       "&print=1", "eligible"),
                      ("/awards/reports/streaks?year=2025&kind=lao-dong-tien-tien&min=1"
                       "&print=1", "streaks")):
        assert_a4(print_pdf(page, live_server(url), name), landscape=True)
        assert_fits(page, LANDSCAPE_PX, "table.paper th, table.paper td, .doc-head")
