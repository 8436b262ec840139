"""The cloud drive in a real browser against the real server (issue 21): 赵敏 uploads a 30 MB file
to a restricted folder; the upload is interrupted (paused with a request hanging, then the page is
reloaded) and, when she picks the file again, resumes from the server's offset — not from zero;
the file arrives intact. 孙立, outside the folder's audience, sees neither the folder nor the
file, by the page or by its download address. Screenshots: docs/screenshots/drive-*."""

from __future__ import annotations

import hashlib
import os

import pytest
from graphql_relay import to_global_id
from playwright.sync_api import expect

from modules.drive import actions
from modules.drive.demo import png_chart
from modules.drive.models import FileVersion, Upload
from tenants.context import tenant_context
from tests.browser.conftest import PHONE, screenshot, sign_in
from tests.drive_world import build
from tests.factories import PASSWORD, build_province

pytestmark = pytest.mark.django_db(transaction=True)
SIZE = 30 * 1024 * 1024
CHUNK = 8 * 1024 * 1024  # the workbench's tus chunk (upload.ts)


@pytest.fixture
def world(settings, tmp_path):
    settings.DRIVE_ROOT = str(tmp_path / "files")
    settings.DRIVE_STAGING_DIR = str(tmp_path / "staging")
    p = build_province()
    with tenant_context(p.tenant_a):
        w = build(p)
        png = png_chart()
        actions.upload_whole(w.user("赵敏"), w.folders["secret"].pk, filename="伤情照片.png", content_type="image/png",
                             length=len(png), chunks=iter([png]))
    for name in ("赵敏", "孙立"):
        w.user(name).set_password(PASSWORD)
        w.user(name).save()
    return w


def _server_offset(w) -> int | None:
    with tenant_context(w.p.tenant_a):
        row = Upload.objects.first()
        return row.offset if row else None


def test_a_large_upload_to_a_restricted_folder_resumes_and_an_outsider_cannot_open_it(site, world, new_page, tmp_path):
    data = os.urandom(SIZE)
    big = tmp_path / "手术录像.bin"
    big.write_bytes(data)
    folder = to_global_id("DriveFolder", world.folders["secret"].pk)
    page = new_page()
    sign_in(page, site, world.user("赵敏").username, PASSWORD)
    page.goto(f"{site}/drive")
    page.get_by_test_id("drive-folder").filter(has_text="医疗纠纷材料").click()
    expect(page.get_by_test_id("drive-file")).to_have_count(1)

    # the first PATCH goes through; the next one hangs (a network that stalls) until she pauses
    held, patches = [], []
    page.on("request", lambda r: patches.append(int(r.headers.get("upload-offset", -1))) if r.method == "PATCH" else None)

    def stall(route):
        if route.request.method == "PATCH" and len(patches) > 1:
            held.append(route)  # never answered
        else:
            route.continue_()

    page.route("**/apps/drive/tus/**", stall)
    page.locator("input[type=file][multiple]").set_input_files(str(big))
    upload = page.get_by_test_id("drive-upload")
    expect(upload).to_have_attribute("data-status", "uploading")
    for _ in range(200):
        if held:
            break
        page.wait_for_timeout(50)
    assert held and _server_offset(world) == CHUNK
    screenshot(page, "drive-upload", focus="drive-upload")
    upload.get_by_test_id("drive-pause").click()
    expect(upload).to_have_attribute("data-status", "paused")

    # the page is reloaded (the browser forgets the upload); she picks the same file again
    page.unroute("**/apps/drive/tus/**")
    page.reload()
    expect(page.get_by_test_id("drive-file")).to_have_count(1)
    patches.clear()
    page.locator("input[type=file][multiple]").set_input_files(str(big))
    expect(page.get_by_test_id("drive-file")).to_have_count(2, timeout=60_000)
    assert patches[0] == CHUNK, patches  # resumed from the server's offset, not from zero
    with tenant_context(world.p.tenant_a):
        version = FileVersion.objects.get(file__name="手术录像.bin")
        _v, stream = actions.open_version(world.user("赵敏"), version.pk, kind="download")
        assert hashlib.sha256(b"".join(stream)).digest() == hashlib.sha256(data).digest()
        assert not Upload.objects.exists()
    expect(upload.first).to_have_attribute("data-status", "done")

    # the photo previews inline (a signed link in an <img>), and the folder's log shows who opened it
    page.get_by_test_id("drive-file").filter(has_text="伤情照片.png").get_by_test_id("drive-preview").click()
    image = page.get_by_test_id("drive-preview-image")
    expect(image).to_be_visible()
    page.wait_for_function("() => document.querySelector('[data-testid=drive-preview-image]').naturalWidth === 96")
    page.keyboard.press("Escape")
    page.get_by_role("tab", name="下载记录").click()
    expect(page.get_by_test_id("drive-log").get_by_text("伤情照片.png v1")).to_be_visible()
    page.get_by_role("tab", name="文件").click()
    screenshot(page, "drive-folder")

    # 孙立 (护理部), on his phone: the folder is not listed, its page says so, its file's address is a 404
    outsider = new_page(viewport=PHONE)
    sign_in(outsider, site, world.user("孙立").username, PASSWORD)
    outsider.goto(f"{site}/drive")
    expect(outsider.get_by_test_id("drive-folder").filter(has_text="规章制度")).to_be_visible()
    assert "医疗纠纷材料" not in outsider.get_by_test_id("drive-folders").inner_text()
    screenshot(outsider, "drive-outsider")
    outsider.goto(f"{site}/drive/folders/{folder}")
    expect(outsider.get_by_test_id("drive-no-access")).to_be_visible()
    status = outsider.evaluate("""async (path) => (await fetch(path, {headers: {Authorization:
        'Bearer ' + localStorage.getItem('jianlian.token')}})).status""", f"/t/tonglu/apps/drive/versions/{version.pk}/download")
    assert status == 404
    assert not page.js_errors and not outsider.js_errors
