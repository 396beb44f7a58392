"""A long dry run and its confirm show how far they have got, then their page, in a browser."""

import time

import pytest
from playwright.sync_api import Page, expect

from bulletin.awards.importing import dryrun, progress
from bulletin.extensions import db
from bulletin.models import Award
from tests.browser.test_staff import log_in
from tests.test_awards_import import row, workbook

pytestmark = pytest.mark.browser


def test_the_rows_checked_are_counted_while_the_secretary_waits(page: Page, live_server, make,
                                                                monkeypatch):
    make.user("thuky", role="secretary")
    read_row = dryrun.read_row

    def slow_read_row(*args):
        time.sleep(0.25)  # eight rows take two seconds: the page polls in between
        return read_row(*args)

    monkeypatch.setattr(dryrun, "read_row", slow_read_row)
    monkeypatch.setattr(progress, "EVERY_ROWS", 1)
    data = workbook([row(f"Người Thứ {n}", number=f"{n}/QĐ-MTTQ") for n in range(8)])
    log_in(page, live_server, "thuky")
    page.goto(live_server("/awards/import"))
    page.set_input_files("#file", files=[{"name": "so.xlsx", "buffer": data, "mimeType":
                         "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}])
    page.get_by_role("button", name="Tải lên và kiểm tra").click()
    expect(page.locator(".import-progress")).to_contain_text("Đã kiểm tra", timeout=4000)
    expect(page.locator("h1")).to_contain_text("Kiểm tra trước khi nhập")
    expect(page.locator('[data-fate="new"]')).to_contain_text("8")
    page.get_by_role("button", name="Xác nhận nhập").click()
    expect(page.locator(".confirm-import .import-progress")).to_contain_text("Đã kiểm tra",
                                                                             timeout=4000)
    expect(page.locator("body")).to_contain_text("Đã nhập tệp “so.xlsx”: 8 khen thưởng mới")
    assert "batch=" in page.url
    assert db.session.scalar(db.select(db.func.count(Award.id))) == 8
