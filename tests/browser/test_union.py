"""The staff union in a real browser against the real server (issue 19). At 360 px a nurse checks
in, joins the waiting list of a full activity and is promoted when another member cancels, chooses
a welfare gift and sees her points and rank; at 1280 px a sub-union's chair sees participation
charts of their own sub-union only. Screenshots: docs/screenshots/union-*."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from modules.union import activities, clubs, points, surveys, welfare
from tenants.context import tenant_context
from tests.browser.conftest import DESKTOP, PHONE, screenshot, sign_in
from tests.factories import PASSWORD, build_province
from tests.union_world import build

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world():
    p = build_province()
    with tenant_context(p.tenant_a):
        w = build(p)
        start = timezone.now() + dt.timedelta(days=1)
        w.activity = activities.create_activity(
            w.user("王主席"), w.nodes["内科"].pk, title="职工羽毛球赛", start_at=start, end_at=start + dt.timedelta(hours=2),
            quota=1, place="体育馆", form=[{"key": "size", "label": "T恤尺码", "required": True, "options": ["M", "L"]}])
        activities.sign_up(w.user("钱进"), w.activity.pk, {"size": "L"})  # the only place is taken
        welfare.create_campaign(w.user("admin"), w.nodes["工会"].pk, title="春节慰问品", closes_at=start + dt.timedelta(days=7),
                                options=[{"name": "大米礼盒", "supplier": "富春粮油"}, {"name": "坚果礼盒", "supplier": "桐君堂"}])
        w.survey = surveys.create_survey(
            w.user("王主席"), w.nodes["内科"].pk, title="食堂满意度", anonymous=True, closes_at=start + dt.timedelta(days=7),
            form_schema={"type": "object", "required": ["mood"], "properties": {
                "mood": {"title": "总体评价", "enum": ["满意", "一般"]}, "advice": {"title": "建议", "type": "string"}}})
        surveys.answer(w.user("钱进"), w.survey.pk, {"mood": "一般"})
        clubs.create_screening(w.user("王主席"), w.nodes["内科"].pk, title="流浪地球", show_at=start, tickets=1)
        for name in ("钱进", "李想"):
            points.check_in(w.user(name))
        points.award(points.access.member_of(w.user("李想")), "adjust", 20, "browser:seed")
    for name in ("赵敏", "王主席"):
        user = w.user(name)
        user.set_password(PASSWORD)
        user.save()
    return w


def test_a_member_checks_in_waits_is_promoted_chooses_a_gift_and_sees_her_rank_at_360px(site, world, new_page):
    page = new_page(viewport=PHONE)
    sign_in(page, site, world.user("赵敏").username, PASSWORD)
    page.goto(f"{site}/union")
    home = page.get_by_test_id("union-home")

    # she checks in: 5 points, and the button says so
    home.get_by_test_id("union-check-in").click()
    expect(home.get_by_test_id("union-check-in")).to_have_text("今天已签到")
    expect(home.get_by_test_id("union-balance")).to_contain_text("5")

    # the activity is full: she joins the waiting list through the sign-up form
    card = home.get_by_test_id("union-activity").filter(has_text="职工羽毛球赛")
    expect(card.get_by_test_id("union-places")).to_have_text("名额 1/1")
    card.get_by_test_id("union-action-SIGN_UP").click()
    page.get_by_test_id("union-field-size").click()
    page.locator(".ant-select-item-option[title='M']").click()
    page.get_by_role("button", name="报 名").or_(page.get_by_role("button", name="报名")).last.click()
    expect(card.get_by_test_id("union-my-status")).to_have_text("候补中 · 第 1 位")
    screenshot(page, "union-member-waiting")

    # 钱进 cancels: she moves up, in order
    with tenant_context(world.p.tenant_a):
        activities.cancel(world.user("钱进"), world.activity.pk)
    page.reload()
    card = page.get_by_test_id("union-activity").filter(has_text="职工羽毛球赛")
    expect(card.get_by_test_id("union-my-status")).to_have_text("报名成功")

    # she chooses a welfare gift
    page.get_by_role("tab", name="福利").click()
    campaign = page.get_by_test_id("union-campaign").filter(has_text="春节慰问品")
    campaign.get_by_test_id("union-option").filter(has_text="坚果礼盒").click()
    expect(campaign.get_by_test_id("union-my-choice")).to_have_text("我的选择：坚果礼盒")
    screenshot(page, "union-member-welfare")

    # and sees her points and rank: 李想 (25) first, then her (5) with 钱进 (5)
    page.get_by_role("tab", name="排行榜").click()
    board = page.get_by_test_id("union-leaderboard")
    expect(board.get_by_text("李想")).to_be_visible()
    expect(board.locator(".ant-list-item").filter(has_text="赵敏")).to_contain_text("我")
    expect(page.get_by_test_id("union-rank")).to_contain_text("2")
    screenshot(page, "union-member-rank")

    # the anonymous survey: she answers once; then the cinema lottery
    page.get_by_role("tab", name="问卷·慰问·社团").click()
    survey = page.get_by_test_id("union-survey").filter(has_text="食堂满意度")
    expect(survey).to_contain_text("匿名")
    survey.get_by_label("满意", exact=True).check()
    survey.get_by_role("button", name="提 交").or_(survey.get_by_role("button", name="提交")).click()
    expect(survey).to_contain_text("已作答")
    show = page.get_by_test_id("union-screening").filter(has_text="流浪地球")
    show.get_by_role("button").click()
    expect(show).to_contain_text("已登记")
    screenshot(page, "union-member-care")


def test_a_sub_union_chair_sees_participation_of_their_sub_union_only_at_1280px(site, world, new_page):
    page = new_page(viewport=DESKTOP)
    sign_in(page, site, world.user("王主席").username, PASSWORD)
    page.goto(f"{site}/union/console")
    scope = page.get_by_test_id("union-scope")
    expect(scope).to_contain_text("内科分工会 · 近30天参与度")
    expect(page.get_by_test_id("union-participation-chart").locator("canvas")).to_be_visible()
    table = page.get_by_test_id("union-participation-table")
    expect(table).to_contain_text("内科一组")
    assert "外科" not in scope.inner_text()
    board = page.get_by_test_id("union-leaderboard")
    expect(board).to_contain_text("钱进")
    assert "李想" not in board.inner_text()  # 外科's member, outside the chair's part
    screenshot(page, "union-console")

    # the survey's figures per question (only the chair's survey), and the lottery to draw
    stats = page.get_by_test_id("union-survey-stats")
    expect(stats).to_contain_text("总体评价")
    expect(stats).to_contain_text("一般 (1)")
    page.get_by_test_id("union-console-screening").get_by_role("button").click()
    expect(page.get_by_test_id("union-console-screening")).to_contain_text("种子")
    stats.scroll_into_view_if_needed()
    screenshot(page, "union-console-care")
