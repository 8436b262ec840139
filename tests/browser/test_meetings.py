"""Meeting rooms in a real browser against the real server (issue 21): on a 360 px phone a nurse
books a room from the board, sees it on the board, and a second booking that overlaps it is
refused with the clashing time named. Screenshots: docs/screenshots/meetings-*."""

from __future__ import annotations

import pytest
from graphql_relay import to_global_id
from playwright.sync_api import expect

from modules.meetings import booking
from tenants.context import tenant_context
from tests.browser.conftest import PHONE, screenshot, sign_in
from tests.factories import PASSWORD, build_province
from tests.meetings_world import build, tomorrow

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world():
    p = build_province()
    with tenant_context(p.tenant_a):
        w = build(p)
        booking.book(w.user("钱进"), w.rooms["医务"].pk, title="病例讨论", start=tomorrow(10), end=tomorrow(11))
        booking.book(w.user("钱进"), w.rooms["小会"].pk, title="人事谈话", start=tomorrow(14), end=tomorrow(15), is_private=True)
    user = w.user("赵敏")
    user.set_password(PASSWORD)
    user.save()
    return w


def _book(page, site, w, day, start, end, title):
    page.goto(f"{site}/meetings/book?date={day}&room={to_global_id('MeetingRoom', w.rooms['一会'].pk)}")
    form = page.get_by_test_id("meetings-book")
    expect(form.get_by_text("第一会议室")).to_be_visible()
    form.get_by_test_id("meetings-title").fill(title)
    for testid, value in (("meetings-start", start), ("meetings-end", end)):
        field = form.get_by_test_id(testid)
        field.click()
        field.fill(value)
        field.press("Tab")  # not Enter: that would submit the form from inside the picker
    expect(form.get_by_test_id("meetings-end")).to_have_value(end)
    form.get_by_test_id("meetings-submit").click()


def test_book_a_room_at_360px_and_see_the_clash_refused(site, world, new_page):
    day = tomorrow(0).date().isoformat()
    page = new_page(viewport=PHONE)
    sign_in(page, site, world.user("赵敏").username, PASSWORD)

    # the board of tomorrow: three rooms, others' meetings, a private one only as taken
    page.goto(f"{site}/meetings")
    board = page.get_by_test_id("meetings-board")
    board.get_by_test_id("meetings-date").click()
    page.keyboard.press("Control+A")
    page.keyboard.type(day)
    page.keyboard.press("Enter")
    expect(board.get_by_test_id("room-医务科会议室").get_by_text("病例讨论")).to_be_visible()
    expect(board.get_by_test_id("room-小会议室").get_by_text("私密会议")).to_be_visible()
    assert "人事谈话" not in board.inner_text()

    # when she books 第一会议室 09:00–10:00 on her phone
    _book(page, site, world, day, "09:00", "10:00", "护理质控周会")
    detail = page.get_by_test_id("meetings-booking")
    expect(detail.get_by_test_id("meetings-status")).to_have_text("已预订")
    expect(detail.get_by_test_id("action-CANCEL")).to_be_visible()
    page.goto(f"{site}/meetings")
    board.get_by_test_id("meetings-date").click()
    page.keyboard.press("Control+A")
    page.keyboard.type(day)
    page.keyboard.press("Enter")
    expect(board.get_by_test_id("room-第一会议室").get_by_text("护理质控周会")).to_be_visible()
    screenshot(page, "meetings-board")

    # then a second booking of 09:30–10:30 is refused, naming the clashing time
    _book(page, site, world, day, "09:30", "10:30", "临时加会")
    error = page.get_by_test_id("meetings-book")
    expect(error.get_by_text("09:00–10:00")).to_be_visible()
    expect(error.get_by_text("会议室时间冲突", exact=False).first).to_be_visible()
    screenshot(page, "meetings-clash", focus="meetings-book")
    # and in English, the form and the server's refusal alike
    page.get_by_test_id("language-switch").click()
    page.get_by_text("Book a room").wait_for()
    page.get_by_test_id("meetings-submit").click()
    expect(page.get_by_test_id("meetings-book").get_by_text("The room is taken", exact=False).first).to_be_visible()
    screenshot(page, "meetings-clash-en", focus="meetings-book")
    assert not page.js_errors
    with tenant_context(world.p.tenant_a):
        from modules.meetings.models import Booking

        assert list(Booking.objects.filter(room=world.rooms["一会"]).values_list("title", flat=True)) == ["护理质控周会"]
