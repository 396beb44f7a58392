"""The issuing body's level follows the typed issuer and the date in a real browser, until the
secretary chooses one; a date after 30/06/2025 offers no district level."""

import pytest
from playwright.sync_api import Page, expect

from bulletin.extensions import db
from bulletin.models import Decision
from tests.browser.test_staff import log_in

pytestmark = pytest.mark.browser


def test_the_level_is_read_as_the_issuer_is_typed(page: Page, live_server, make):
    make.user("thuky", role="secretary")
    log_in(page, live_server, "thuky")
    page.goto(live_server("/awards/decisions/new"))
    page.fill("#decision_number", "9/QĐ-MTTQ")
    page.fill("#decision_date", "20/01/2026")
    page.fill("#issuer", "Ban Thường trực Ủy ban MTTQ Việt Nam xã Hội Hợp")
    expect(page.locator("#issuer_level")).to_have_value("commune_front")
    expect(page.locator("#issuer_level option[value=district_front]")).to_be_disabled()
    page.fill("#issuer", "Chủ tịch UBND xã Đoàn Kết")
    expect(page.locator("#issuer_level")).to_have_value("commune_chair")
    page.select_option("#issuer_level", "province_front")  # her choice stays
    page.fill("#issuer", "Ban Thường trực")
    page.wait_for_timeout(600)
    expect(page.locator("#issuer_level")).to_have_value("province_front")
    page.select_option("#organization", "mttq")
    page.select_option("#kind", "bang-khen")
    page.fill("#year", "2025")
    page.fill("#recipients-0-recipient_name", "Lò Thị Hoa")
    page.get_by_role("button", name="Lưu quyết định").click()
    expect(page.locator("main")).to_contain_text("Ban Thường trực Ủy ban MTTQ cấp tỉnh")
    decision = db.session.scalar(db.select(Decision))
    assert (decision.issuer, decision.issuer_level) == ("Ban Thường trực", "province_front")
