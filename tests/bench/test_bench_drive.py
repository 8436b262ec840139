"""Benchmark: a 1 GiB upload to the drive through the resumable (tus) path, beside a plain
single-request upload of the same size in the same run (issue 21).

Both go over HTTP to a uvicorn process of the product, are encrypted (AES-GCM, 1 MiB records) and
stored on local disk the same way; the tus upload sends 8 MiB PATCHes (the workbench's chunk),
each one committed, so an interruption loses at most one chunk. The data is generated on the fly
(one random 8 MiB block, sent again and again) and every byte stored is deleted afterwards.
Target: the resumable path within 30 % of the single request's throughput (what resumability
costs). BENCH_DRIVE_MB changes the size.
"""

from __future__ import annotations

import base64
import os
import shutil
import tempfile
import time

import httpx
import pytest
from graphql_relay import to_global_id

from tests.bench.conftest import Row, assert_clean_start, build_county, delete_tree, print_table
from tests.bench.test_bench_3_api import _serve

SIZE = int(os.environ.get("BENCH_DRIVE_MB", 1024)) * 1024 * 1024
CHUNK = 8 * 1024 * 1024
SLUG = "benchdrive"


@pytest.fixture(scope="module")
def drive(bench_db):
    from django.db import connection

    from jianlian.identity.services import issue_token
    from jianlian.marketplace.services import install, sync_catalog
    from modules.drive import actions
    from tenants.context import tenant_context
    from tenants.provisioning import create_tenant, ensure_template
    from tests.factories import make_user, member

    assert_clean_start()
    ensure_template()
    sync_catalog()
    root, [lead] = build_county(1, prefix="云盘基准")
    tenant = create_tenant(None, lead, SLUG)
    install(None, tenant, "drive")
    user = make_user("云盘基准")
    member(user, tenant, lead)
    with tenant_context(tenant):
        folder = actions.create_folder(user, unit_id=lead.pk, name="影像资料", category="医务", restricted=True)
    storage = tempfile.mkdtemp(prefix="drive-bench-")
    saved = {k: os.environ.get(k) for k in ("DRIVE_ROOT", "DRIVE_STAGING_DIR")}
    os.environ.update(DRIVE_ROOT=f"{storage}/files", DRIVE_STAGING_DIR=f"{storage}/staging")
    yield {"tenant": tenant, "folder": folder, "token": issue_token(user, "bench")[1], "storage": storage}
    for k, v in saved.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v
    shutil.rmtree(storage, ignore_errors=True)
    connection.set_schema_to_public()
    delete_tree(root)
    user.delete()


@pytest.fixture(scope="module")
def server(drive):
    yield from _serve(1)


def _tus(c: httpx.Client, folder_gid: str, block: bytes) -> None:
    meta = ",".join(f"{k} {base64.b64encode(v.encode()).decode()}" for k, v in
                    (("folder", folder_gid), ("filename", "tus.bin"), ("filetype", "application/octet-stream")))
    r = c.post(f"/t/{SLUG}/apps/drive/tus/", headers={"Tus-Resumable": "1.0.0", "Upload-Length": str(SIZE), "Upload-Metadata": meta})
    assert r.status_code == 201, r.text
    location, offset = r.headers["Location"], 0
    while offset < SIZE:
        body = block[:min(CHUNK, SIZE - offset)]
        r = c.patch(location, content=body, headers={"Tus-Resumable": "1.0.0", "Upload-Offset": str(offset),
                                                    "Content-Type": "application/offset+octet-stream"})
        assert r.status_code == 204, r.text
        offset = int(r.headers["Upload-Offset"])


def _plain(c: httpx.Client, folder_pk: int, block: bytes) -> None:
    def body():
        sent = 0
        while sent < SIZE:
            piece = block[:min(CHUNK, SIZE - sent)]
            sent += len(piece)
            yield piece

    r = c.post(f"/t/{SLUG}/apps/drive/folders/{folder_pk}/upload", content=body(),
               headers={"Content-Length": str(SIZE), "Content-Type": "application/octet-stream", "X-Filename": "plain.bin"})
    assert r.status_code == 201, r.text


def test_a_1gb_upload_resumable_beside_a_single_request(drive, server):
    from modules.drive.models import FileVersion
    from tenants.context import tenant_context

    block = os.urandom(CHUNK)
    folder = drive["folder"]
    rows, seconds = [], {}
    with httpx.Client(base_url=f"http://{server}", headers={"Authorization": f"Bearer {drive['token']}"}, timeout=600) as c:
        for label, run in (("plain", lambda: _plain(c, folder.pk, block)), ("tus", lambda: _tus(c, to_global_id("DriveFolder", folder.pk), block))):
            t0 = time.perf_counter()
            run()
            seconds[label] = time.perf_counter() - t0
    with tenant_context(drive["tenant"]):
        assert sorted(FileVersion.objects.values_list("size", flat=True)) == [SIZE, SIZE]
        on_disk = sum(f.stat().st_size for f in __import__("pathlib").Path(drive["storage"]).rglob("*.bin"))
        assert on_disk > 2 * SIZE  # ciphertext and tags: nothing was dropped
    mb = SIZE / 1024 / 1024
    ratio = seconds["tus"] / seconds["plain"]
    rows.append(Row(f"plain single-request upload, {mb:.0f} MiB (baseline)", f"{seconds['plain']:.1f} s = {mb / seconds['plain']:.0f} MiB/s",
                    ref=True))
    rows.append(Row(f"tus resumable upload, {mb:.0f} MiB in {CHUNK >> 20} MiB PATCHes", f"{seconds['tus']:.1f} s = {mb / seconds['tus']:.0f} MiB/s",
                    "≤ 1.3 × plain", ratio <= 1.3, headline=True))
    rows.append(Row("resumable / plain time", f"{ratio:.2f}"))
    print_table("Drive uploads (encrypted at rest, local disk)", rows)
