"""Browser tests: Debian's chromium driven by Playwright against the real server (`live_asgi`),
which serves the production build of the workbench (frontend/dist) and the API.

Playwright's own browser download cannot work on machines without internet, so the tests use
/usr/bin/chromium and install Debian's package (with a CJK font for readable screenshots) when
it is missing — CI runs as root on a fresh machine that reaches only the package registries.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
import uuid
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
DIST = REPO_ROOT / "frontend" / "dist"
SCREENSHOTS = REPO_ROOT / "docs" / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 360, "height": 740}
TOASTS_HIDDEN = ".ant-notification, .ant-message { display: none !important; }"

# `expect(...)` waits up to 15 s (Playwright's default is 5 s), as long as an action may: a
# publish that fans out to an audience took longer than 5 s on a busy 2-core machine, and the
# test failed although the page did the right thing a moment later.
from playwright.sync_api import expect  # noqa: E402

expect.set_options(timeout=15_000)

# Figures measured by the tests, printed at the end of the run.
FIGURES: dict[str, str] = {}


def _ensure_chromium() -> str:
    if Path(CHROMIUM).exists():
        return CHROMIUM
    if shutil.which("apt-get") and os.geteuid() == 0:
        packages = ["chromium", "fonts-wqy-microhei"]
        subprocess.run(["apt-get", "update", "-qq"], check=True)
        subprocess.run(["apt-get", "install", "-y", "-qq", *packages], check=True,
                       env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
    if not Path(CHROMIUM).exists():
        pytest.fail(f"浏览器测试需要 Debian 的 chromium（{CHROMIUM}）：apt-get install -y chromium "
                    "(browser tests need Debian's chromium package)")
    return CHROMIUM


@pytest.fixture(scope="module")
def browser():
    """One chromium for a module of tests. Module-scoped on purpose: Playwright's sync API keeps
    an event loop running on this thread while it is started, which the rest of the suite's
    asyncio tests must not meet."""
    if not (DIST / "index.html").exists():
        pytest.fail("工作台尚未构建：请用 make test 运行（它会先构建 frontend/dist）"
                    " (the workbench is not built: run the tests through `make test`)")
    executable = _ensure_chromium()
    from playwright.sync_api import sync_playwright

    # That running loop makes Django refuse the tests' own (synchronous, single-threaded) ORM
    # calls as "async unsafe"; here they are safe, so the check is off while the browser runs.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(autouse=True)
def persisted_only(settings):
    """As in production: the server runs only the documents of the frontend's manifest, so
    every page here also proves its operations are in graphql/persisted-documents.json."""
    settings.GRAPHQL_PERSISTED_ONLY = True
    return settings


@pytest.fixture
def site(live_asgi):
    return f"http://{live_asgi}"


@pytest.fixture
def new_page(browser):
    """A page in a fresh context (empty cache and storage), closed after the test."""
    contexts = []

    def make(viewport=DESKTOP, language="zh-CN"):
        # The browser asks for reduced motion, which the workbench honours by turning Ant Design's
        # animations off: a click into a dialog still zooming in could be pressed on its Save and
        # released over the backdrop (the button had grown away under the pointer), and was lost.
        context = browser.new_context(viewport=viewport, locale=language, reduced_motion="reduce")
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.js_errors = errors
        return page

    yield make
    for context in contexts:
        context.close()


def settled(page) -> None:
    """Waits until the page has drawn what it was doing: two frames, each followed by the tasks
    queued in it (Ant Design's responsive layout re-renders after a resize from its media-query
    listeners; React commits in a task of its own). A fixed pause waited 0.6 s per screenshot."""
    # A page behind another window draws no frames (requestAnimationFrame never fires there): it is
    # brought to the front first, and the wait gives up after a second rather than hanging the run.
    page.bring_to_front()
    page.evaluate("""() => new Promise(done => {
        setTimeout(done, 1000);
        const frame = then => requestAnimationFrame(() => setTimeout(then, 0));
        frame(() => frame(done));
    })""")


def screenshot(page, name: str, focus: str | None = None) -> None:
    """docs/screenshots/<name>-desktop.png and <name>-phone.png of the page as it is now;
    `focus`, a test id, is scrolled to the top of the view at each width (a part further down)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    original = page.viewport_size
    for label, size in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(size)
        settled(page)
        menu = page.get_by_test_id("user-menu")
        if label == "phone" and menu.count():  # every signed-in page keeps its user menu on screen
            box = menu.bounding_box()
            assert box and box["x"] + box["width"] <= size["width"], f"{name}: the user menu is cut off at {size['width']} px"
        if focus:
            page.get_by_test_id(focus).evaluate("e => e.scrollIntoView({block: 'start'})")
            settled(page)
        # toasts would cover the whole header at phone width: hidden for the picture only (removing
        # them from the page broke React's own removal of them once no animation delayed it)
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{label}.png"), style=TOASTS_HIDDEN if label == "phone" else None)
    page.set_viewport_size(original)
    settled(page)


def sign_in(page, site: str, identifier: str, password: str) -> None:
    page.goto(f"{site}/login")
    page.get_by_label("手机号或用户名").fill(identifier)
    page.get_by_label("密码", exact=True).fill(password)
    page.get_by_role("button", name="登录").click()
    page.get_by_test_id("current-workspace").wait_for()


def record(name: str, value: str) -> None:
    FIGURES[name] = value
    print(f"{name}: {value}")


def pytest_terminal_summary(terminalreporter):
    if FIGURES:
        terminalreporter.section("workbench figures")
        for name, value in FIGURES.items():
            terminalreporter.write_line(f"{name}: {value}")


@pytest.fixture
def job_queue():
    """Install jobs go to Celery's default queue; for this test that is a queue of its own, so
    only the worker started here takes them (and no other run's worker does)."""
    from jianlian.celery_app import app

    queue = f"test-{uuid.uuid4().hex}"
    previous = app.conf.task_default_queue
    app.conf.task_default_queue = queue
    try:
        yield queue
    finally:
        app.conf.task_default_queue = previous


@pytest.fixture
def bus_relay():
    """What the relay worker does in production: deliver due bus messages, again and again
    (in a background thread, for tests whose steps cross tenants)."""
    from django.db import connections

    from jianlian.bus import relay

    stop = threading.Event()

    def loop():
        try:
            while not stop.is_set():
                relay.run_once()
                stop.wait(0.3)
        finally:
            connections.close_all()

    thread = threading.Thread(target=loop, daemon=True)
    thread.start()
    yield
    stop.set()
    thread.join(10)
