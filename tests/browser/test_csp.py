"""The workbench under its Content-Security-Policy, in a real browser: it signs in, renders Ant
Design's styles, opens its live socket and draws a chart without a single CSP violation."""

from __future__ import annotations

import pytest

from tests.browser.conftest import sign_in
from tests.factories import PASSWORD, build_province

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_workbench_runs_under_its_content_security_policy(site, unique, new_page):
    p = build_province(unique(""))
    page = new_page()
    violations, sockets = [], []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    page.on("websocket", lambda ws: sockets.append(ws.url))
    response = page.goto(f"{site}/login")
    policy = response.headers.get("content-security-policy", "")
    assert "script-src 'self'" in policy
    sign_in(page, site, p.users["province_admin"].username, PASSWORD)
    page.goto(f"{site}/province/tenants")
    page.wait_for_load_state("networkidle")
    # Ant Design's CSS-in-JS styles applied (a primary button is blue, not unstyled)
    assert page.evaluate("getComputedStyle(document.querySelector('.ant-layout')).display") == "flex"
    assert sockets, "the workbench opened no WebSocket"
    assert not violations, violations
    assert not page.js_errors
