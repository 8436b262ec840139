"""The staff union in a real browser against the real server (issue 19). At 360 px a nurse checks
in, joins the waiting list of a full activity and is promoted when another member cancels, chooses
a welfare gift, answers the daily quiz through the union's 自主学习 entry (the learning centre's
`learning.quiz_completed` reaches the union through the bus) and sees her points and rank, then
browses the current offers and an album; at 1280 px a sub-union's chair sees participation charts
of their own sub-union only, and the library's click statistics. Screenshots: docs/screenshots/union-*."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from modules.union import activities, clubs, gallery, library, offers, points, surveys, welfare
from tenants.context import tenant_context
from tests.browser.conftest import DESKTOP, PHONE, SCREENSHOTS, screenshot, sign_in
from tests.factories import PASSWORD, build_province, grant
from tests.union_world import build

pytestmark = pytest.mark.django_db(transaction=True)


def _photo() -> str:
    """A real (small, coloured) PNG, so the gallery's screenshot shows a picture."""
    import base64
    import io

    from PIL import Image, ImageDraw

    img = Image.new("RGB", (320, 240), (64, 140, 220))
    ImageDraw.Draw(img).ellipse((110, 70, 210, 170), fill=(250, 200, 60))
    out = io.BytesIO()
    img.save(out, format="PNG")
    return base64.b64encode(out.getvalue()).decode()


def _learning(w):
    """The learning centre beside the union: a daily quiz of one true/false question."""
    from jianlian.marketplace import services as market
    from modules.learning import questions, quiz

    market.install(None, w.p.tenant_a, "learning")
    grant(w.user("admin"), "learning_admin", w.p.lead_a, w.p.tenant_a)
    w.user("admin").__dict__.pop("_jl_grants", None)  # the grants it held a moment ago are cached
    questions.create_question(None, kind="true_false", stem="工会会员享有选举权和被选举权。", options=[], answer=True,
                              topic="党建", difficulty="easy")
    quiz.create_campaign(w.user("admin"), title="党建知识每日一答", kind="daily", per_day=1, topic="党建")


def open_tab(page, name: str) -> None:
    """Open one of the phone page's tabs: those that do not fit 360 px sit behind the tab bar's
    ellipsis, as a user finds them."""
    tab = page.get_by_role("tab", name=name)
    box, bar = tab.bounding_box(), page.locator(".ant-tabs-nav-wrap").first.bounding_box()
    if box and bar and box["x"] >= bar["x"] and box["x"] + box["width"] <= bar["x"] + bar["width"]:
        tab.click()
    else:
        page.locator(".ant-tabs-nav-more").first.click()
        page.locator(".ant-tabs-dropdown-menu-item").filter(has_text=name).click()
    expect(tab).to_have_attribute("aria-selected", "true")


@pytest.fixture
def world():
    p = build_province()
    with tenant_context(p.tenant_a):
        w = build(p)
        _learning(w)
        chair, today = w.user("王主席"), timezone.localdate()
        album = gallery.create_album(chair, node_id=w.nodes["内科"].pk, title="春季健步走")
        gallery.add_photo(chair, album.pk, _photo(), "出发")
        offers.post_offer(chair, w.nodes["内科"].pk, title="体检套餐", merchant="协和体检中心", discount="会员八折",
                          valid_from=today, valid_until=today + dt.timedelta(days=30), image_base64=_photo())
        from modules.union.extras_models import Offer

        Offer.objects.create(node=w.nodes["内科"], title="去年的电影票", merchant="影城", discount="五折", created_by=chair.pk,
                             valid_from=today - dt.timedelta(days=60), valid_until=today - dt.timedelta(days=1))
        w.book = library.add_book(chair, w.nodes["内科"].pk, title="平凡的世界", author="路遥", category="文学",
                                  url="https://zgsw.example.cn/book/1")
        library.open_book(w.user("钱进"), w.book.pk)
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


def test_a_member_checks_in_waits_is_promoted_chooses_a_gift_answers_a_quiz_and_sees_her_rank_at_360px(site, world, new_page):
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
    open_tab(page, "福利")
    campaign = page.get_by_test_id("union-campaign").filter(has_text="春节慰问品")
    campaign.get_by_test_id("union-option").filter(has_text="坚果礼盒").click()
    expect(campaign.get_by_test_id("union-my-choice")).to_have_text("我的选择：坚果礼盒")
    screenshot(page, "union-member-welfare")

    # 自主学习 → 党建理论 → the learning centre's daily quiz: one question, answered right
    open_tab(page, "自主学习")
    learn = page.get_by_test_id("union-learn")
    expect(learn.get_by_test_id("union-learn-theory")).to_contain_text("党建知识每日一答")
    expect(learn.get_by_test_id("union-book")).to_contain_text("平凡的世界")
    screenshot(page, "union-member-learn")
    learn.get_by_test_id("union-learn-quiz").click()
    page.get_by_test_id("learning-quiz-open").click()
    page.get_by_test_id("learning-quiz-question").get_by_text("对", exact=True).click()
    page.get_by_test_id("learning-quiz-submit").click()
    expect(page.get_by_test_id("learning-quiz-result")).to_contain_text("1/1")
    # the relay delivers `learning.quiz_completed` to the union (in production a worker does)
    from jianlian.bus import relay

    relay.run_once()

    # back in the union: 5 + 10 quiz points; 李想 (25) first, then her (15), then 钱进 (7: check-in and a book opened)
    page.goto(f"{site}/union")
    expect(page.get_by_test_id("union-balance")).to_contain_text("15")
    open_tab(page, "排行榜")
    board = page.get_by_test_id("union-leaderboard")
    expect(board.get_by_text("李想")).to_be_visible()
    expect(board.locator(".ant-list-item").filter(has_text="赵敏")).to_contain_text("我")
    expect(page.get_by_test_id("union-rank")).to_contain_text("2")
    expect(board.locator(".ant-list-item").filter(has_text="赵敏")).to_contain_text("15")
    screenshot(page, "union-member-rank")

    # 惠在协和: only the current offer, its picture shown; 工会图集: an album, its photo previewed full
    # screen (both by links signed for her), and her first look at it earns 2 reading points, which
    # the header and the leaderboard show without a reload
    open_tab(page, "图集·优惠")
    expect(page.get_by_test_id("union-offer")).to_have_count(1)
    expect(page.get_by_test_id("union-offer")).to_contain_text("会员八折")
    expect(page.get_by_test_id("union-offer").locator("img")).to_have_js_property("naturalWidth", 320)
    page.get_by_test_id("union-album").filter(has_text="春季健步走").click()
    photo = page.get_by_test_id("union-album-photos").locator("img").first
    expect(photo).to_have_js_property("naturalWidth", 320)
    expect(photo).to_have_attribute("src", re.compile(r"^/t/tonglu/apps/union/images/album/\d+\?link="))
    expect(home.get_by_test_id("union-balance")).to_contain_text("17")
    screenshot(page, "union-member-gallery")
    photo.click()
    preview = page.locator(".ant-image-preview-img")
    expect(preview).to_be_visible()
    page.keyboard.press("Escape")
    expect(preview).to_be_hidden()
    open_tab(page, "排行榜")
    expect(board.locator(".ant-list-item").filter(has_text="赵敏")).to_contain_text("17")

    # the anonymous survey: she answers once; then the cinema lottery
    open_tab(page, "问卷·慰问·社团")
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

    # 职工书屋's click statistics: 钱进 opened the book once
    library_card = page.get_by_test_id("union-console-library")
    expect(library_card.get_by_test_id("union-book-stats")).to_contain_text("平凡的世界")
    expect(library_card.get_by_test_id("union-book-stats").locator("tbody tr").first).to_contain_text("1")
    library_card.scroll_into_view_if_needed()
    screenshot(page, "union-console-extras")


@pytest.fixture
def health_world():
    """The union without the rest of the big journey's scenery: 赵敏 a woman of 30 by her ID number
    (eligible for 女职工健康), 吴桐 the green channel's coordinator, and a union column of the
    announcements with one published post for 新闻资讯."""
    from jianlian.identity.models import User
    from modules.announcements import actions as posts
    from modules.announcements import columns
    from jianlian.marketplace import services as market
    from modules.union import confidential
    from tests.union_world import id_number

    p = build_province()
    with tenant_context(p.tenant_a):
        w = build(p)
        admin = w.user("admin")
        confidential.add_counsellor(admin, w.user("吴桐").pk, "maternity", intro="绿色通道协调员")
        market.install(None, p.tenant_a, "announcements")
        grant(admin, "announcements_admin", p.lead_a, p.tenant_a)
        admin.__dict__.pop("_jl_grants", None)
        column = columns.save_column(admin, key="union-news", name="工会新闻", admin_ids=[admin.pk])
        post = posts.save_post(admin, column_id=column.pk, title="职工健步走活动圆满结束",
                               body="<p>全院六百余名职工参加了本次健步走。</p>", audience={"user_ids": [w.user("赵敏").pk]})
        posts.publish_post(admin, post.pk)
    for name, number in (("赵敏", id_number(30, True, 61)), ("admin", None)):
        user = User.objects.get(pk=w.user(name).pk)
        if number:
            user.id_number = number
        user.set_password(PASSWORD)
        user.save()
    return w


def test_the_administrator_publishes_a_health_article_that_an_eligible_member_reads_at_360px(site, health_world, new_page):
    w = health_world
    # at 1280 px the union administrator writes an article; the server's field error shows under the title
    admin = new_page(viewport=DESKTOP)
    sign_in(admin, site, w.user("admin").username, PASSWORD)
    admin.goto(f"{site}/union/console")
    card = admin.get_by_test_id("union-console-health")
    card.get_by_test_id("union-health-new").click()
    editor = admin.get_by_test_id("union-health-editor")
    editor.get_by_test_id("union-health-title").fill("   ")
    editor.get_by_test_id("union-health-clinic").click()
    admin.locator(".ant-select-item-option[title='妇产科']").click()
    editor.get_by_test_id("union-health-body").fill("孕早期每天补充0.4毫克叶酸。\n产检可走绿色通道。")
    editor.get_by_test_id("union-health-publish-now").uncheck()
    admin.get_by_test_id("union-health-save").click()
    expect(editor.locator(".ant-form-item").filter(has=admin.get_by_test_id("union-health-title"))).to_contain_text("请填写标题。")
    screenshot(admin, "union-console-health-editor")
    editor.get_by_test_id("union-health-title").fill("孕早期营养与产检")
    admin.get_by_test_id("union-health-save").click()
    article = card.get_by_test_id("union-health-article").filter(has_text="孕早期营养与产检")
    expect(article.get_by_test_id("union-health-status")).to_have_text("草稿")
    expect(article.get_by_test_id("union-health-unpublish")).to_have_count(0)
    article.get_by_test_id("union-health-publish").click()
    expect(article.get_by_test_id("union-health-status")).to_have_text("已发布")
    expect(article.get_by_test_id("union-health-publish")).to_have_count(0)
    card.scroll_into_view_if_needed()
    screenshot(admin, "union-console-health", focus="union-console-health")

    # at 360 px the member finds it under 问卷·慰问·社团, reads it and asks the green channel
    page = new_page(viewport=PHONE)
    sign_in(page, site, w.user("赵敏").username, PASSWORD)
    page.goto(f"{site}/union")
    open_tab(page, "问卷·慰问·社团")
    health = page.get_by_test_id("union-womens-health")
    health.get_by_text("孕早期营养与产检").click()
    expect(health.get_by_text("孕早期每天补充0.4毫克叶酸。", exact=False)).to_be_visible()
    form = health.get_by_test_id("union-fast-track-form")
    form.locator(".ant-select").click()
    page.locator(".ant-select-item-option[title='妇产科']").click()
    form.locator(".ant-picker").click()
    page.locator(".ant-picker-dropdown .ant-picker-cell-today").click()
    form.locator("textarea").fill("孕12周，想约产检")
    form.locator("button[type=submit]").click()
    expect(health.get_by_test_id("union-fast-track-sent")).to_contain_text("吴桐")
    screenshot(page, "union-womens-health", focus="union-womens-health")
    assert health.evaluate("e => e.scrollWidth <= e.clientWidth"), "女职工健康 is wider than the phone"

    # 自主学习 → 新闻资讯: the union column's post, read in full
    open_tab(page, "自主学习")
    news = page.get_by_test_id("union-news")
    expect(news).to_contain_text("工会新闻")
    screenshot(page, "union-member-news", focus="union-news")
    news.get_by_role("link", name="职工健步走活动圆满结束").click()
    expect(page.get_by_test_id("announcement-body")).to_contain_text("全院六百余名职工参加了本次健步走。")
    screenshot(page, "union-member-news-post")

    # the same page in English at 360 px
    page.evaluate("localStorage.setItem('jianlian.language', 'en')")
    page.goto(f"{site}/union")
    open_tab(page, "Surveys & care")
    expect(page.get_by_test_id("union-womens-health")).to_contain_text("Women's health")
    page.get_by_test_id("union-womens-health").evaluate("e => e.scrollIntoView({block: 'start'})")
    page.screenshot(path=str(SCREENSHOTS / "union-womens-health-en-phone.png"))
    assert not page.js_errors and not admin.js_errors
