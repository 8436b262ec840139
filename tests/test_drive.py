"""The cloud drive (issue 21 item 2): encryption at rest and key rotation, resumable (tus) uploads
that resume from the server's offset, the quota refused before any byte, and restricted folders
that nobody else can read through any API or URL."""

from __future__ import annotations

import base64
import os
from pathlib import Path

import pytest
from graphql_relay import to_global_id

from modules.drive import actions, crypto
from modules.drive.models import Download, FileVersion, TenantKey, Upload
from tenants.context import tenant_context
from tests.drive_world import build
from tests.utils import error_code, gql, token_for

TUS = "/t/tonglu/apps/drive/tus/"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(scope="module")
def _module_world(django_db_setup, django_db_blocker):
    from tests.conftest import _built_for_the_module, build_province

    def make():
        p = build_province()
        with tenant_context(p.tenant_a):
            return build(p)

    yield from _built_for_the_module(django_db_blocker, make)


@pytest.fixture
def w(db, _module_world, settings, tmp_path):
    settings.DRIVE_ROOT = str(tmp_path / "files")
    settings.DRIVE_STAGING_DIR = str(tmp_path / "staging")
    held, world = _module_world
    for u in world.people.values():
        u.__dict__.pop("_jl_grants", None)
        u.__dict__.pop("_jl_drive_member", None)
    with tenant_context(world.p.tenant_a):
        yield world


def _auth(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {token_for(user)}", "HTTP_TUS_RESUMABLE": "1.0.0"}


def _meta(**kv) -> str:
    return ",".join(f"{k} {base64.b64encode(v.encode()).decode()}" for k, v in kv.items())


def _create(client, user, folder, length, filename="报告.bin", filetype="application/octet-stream", **extra):
    meta = _meta(folder=to_global_id("DriveFolder", folder.pk), filename=filename, filetype=filetype, **extra)
    return client.post(TUS, HTTP_UPLOAD_LENGTH=str(length), HTTP_UPLOAD_METADATA=meta, **_auth(user))


def _patch(client, user, location, offset, data):
    return client.generic("PATCH", location, data=data, content_type="application/offset+octet-stream",
                          HTTP_UPLOAD_OFFSET=str(offset), **_auth(user))


def _read(client, user, path) -> tuple[int, bytes]:
    r = client.get(f"/t/tonglu{path}", HTTP_AUTHORIZATION=f"Bearer {token_for(user)}")
    body = b"".join(r.streaming_content) if getattr(r, "streaming", False) else r.content
    return r.status_code, body


def _on_disk(root: str) -> list[Path]:
    return [p for p in Path(root).rglob("*") if p.is_file()]


def test_restricted_bytes_on_disk_are_ciphertext_and_rotation_keeps_every_file_readable(w, settings):
    secret = os.urandom(100) + "患者张某某的病历摘要".encode() * 50_000  # ~1.5 MB: several records
    v1 = actions.upload_whole(w.user("赵敏"), w.folders["secret"].pk, filename="病历.txt", content_type="text/plain",
                              length=len(secret), chunks=iter([secret[:700_000], secret[700_000:]]))
    other = actions.upload_whole(w.user("赵敏"), w.folders["secret"].pk, filename="附件.png", content_type="image/png",
                                 length=len(PNG), chunks=iter([PNG]))
    [stored] = [p for p in _on_disk(settings.DRIVE_ROOT) if p.name == Path(v1.storage_name).name]
    raw = stored.read_bytes()
    assert "病历摘要".encode() not in raw and secret[:100] not in raw and len(raw) > len(secret)
    assert not _on_disk(settings.DRIVE_STAGING_DIR)  # the staging file was moved, not left behind

    def readable():
        return {v.pk: b"".join(actions.open_version(w.user("钱进"), v.pk, kind="download")[1]) for v in (v1, other)}

    assert readable() == {v1.pk: secret, other.pk: PNG}
    old_key = FileVersion.objects.get(pk=v1.pk).key_id
    assert actions.rotate_keys(w.user("admin")) == 2
    crypto._KEK_CACHE.clear()  # prove it from the database, not from a cached key
    assert set(FileVersion.objects.values_list("key_id", flat=True)) == {TenantKey.objects.get(retired_at=None).pk}
    assert TenantKey.objects.get(pk=old_key).retired_at is not None
    assert stored.read_bytes() == raw  # the bytes were not re-encrypted
    assert readable() == {v1.pk: secret, other.pk: PNG}
    # a tampered record is refused, not returned
    stored.write_bytes(raw[:40] + bytes([raw[40] ^ 1]) + raw[41:])
    with pytest.raises(crypto.CorruptFile):
        b"".join(actions.open_version(w.user("钱进"), v1.pk, kind="download")[1])


def test_an_interrupted_tus_upload_resumes_from_the_servers_offset(client, w, settings):
    data = os.urandom(3 * 1024 * 1024 + 123)
    options = client.options(TUS, **_auth(w.user("赵敏")))
    assert options.status_code == 204 and options["Tus-Extension"] == "creation,termination,expiration"
    created = _create(client, w.user("赵敏"), w.folders["secret"], len(data))
    assert created.status_code == 201, created.content
    location = created["Location"]
    assert location.startswith(TUS)
    # the first request is cut off after 1.2 MB: the server keeps what arrived
    first = _patch(client, w.user("赵敏"), location, 0, data[:1_200_000])
    assert first.status_code == 204 and first["Upload-Offset"] == "1200000"
    # the client, restarted, asks where to go on
    head = client.head(location, **_auth(w.user("赵敏")))
    assert head.status_code == 200 and head["Upload-Offset"] == "1200000" and head["Upload-Length"] == str(len(data))
    # resending from 0 (a client that forgot) is refused with the server's offset
    stale = _patch(client, w.user("赵敏"), location, 0, data)
    assert stale.status_code == 409 and stale["Upload-Offset"] == "1200000"
    assert [p.stat().st_size for p in _on_disk(settings.DRIVE_STAGING_DIR)][0] > 1_200_000  # staged, encrypted
    assert data[:1000] not in _on_disk(settings.DRIVE_STAGING_DIR)[0].read_bytes()
    done = _patch(client, w.user("赵敏"), location, 1_200_000, data[1_200_000:])
    assert done.status_code == 204 and done["Upload-Offset"] == str(len(data))
    assert not Upload.objects.exists()
    file_id = done["Drive-File"]
    body = gql(client, "query($id: ID!) { node(id: $id) { ... on DriveFile { name current { size downloadPath } } } }",
               {"id": file_id}, user=w.user("钱进"), HTTP_X_TENANT="tonglu")[1]
    current = body["data"]["node"]["current"]
    assert current["size"] == len(data)
    assert _read(client, w.user("钱进"), current["downloadPath"]) == (200, data)
    assert client.head(location, **_auth(w.user("赵敏"))).status_code == 404  # finished uploads are gone


def test_a_new_version_and_termination(client, w):
    v1 = actions.upload_whole(w.user("admin"), w.folders["rules"].pk, filename="制度.pdf", content_type="application/pdf",
                              length=8, chunks=iter([b"%PDF-1.4"]))
    created = _create(client, w.user("admin"), w.folders["rules"], 9, filename="制度.pdf", filetype="application/pdf",
                      file=to_global_id("DriveFile", v1.file_id))
    assert _patch(client, w.user("admin"), created["Location"], 0, b"%PDF-1.5!").status_code == 204
    assert list(FileVersion.objects.filter(file_id=v1.file_id).values_list("number", "size")) == [(2, 9), (1, 8)]
    used = actions.used_bytes()
    gone = _create(client, w.user("admin"), w.folders["rules"], 1000)
    assert actions.used_bytes() == used + 1000  # reserved at creation
    deleted = client.delete(gone["Location"], **_auth(w.user("admin")))
    assert deleted.status_code == 204 and actions.used_bytes() == used and not Upload.objects.exists()


def test_an_abandoned_upload_expires_and_gives_its_space_back(client, w, settings):
    from datetime import timedelta
    from email.utils import parsedate_to_datetime

    from django.utils import timezone

    from modules.drive import tasks

    used = actions.used_bytes()
    # a nurse starts a 1,000-byte upload, sends half, and her phone never comes back
    created = _create(client, w.user("赵敏"), w.folders["secret"], 1000)
    assert created.status_code == 201 and created["Upload-Expires"]
    half = _patch(client, w.user("赵敏"), created["Location"], 0, b"x" * 500)
    expires = parsedate_to_datetime(half["Upload-Expires"])
    assert timedelta(hours=23) < expires - timezone.now() <= timedelta(hours=24)  # a day after the last bytes
    assert actions.used_bytes() == used + 1000 and len(_on_disk(settings.DRIVE_STAGING_DIR)) == 1
    # a day passes: the hourly sweep frees the space and the staged bytes
    Upload.objects.update(touched_at=timezone.now() - timedelta(hours=25))
    assert client.head(created["Location"], **_auth(w.user("赵敏"))).status_code == 404  # expired: start again
    assert tasks.expire_uploads.run() == 1
    assert actions.used_bytes() == used and not Upload.objects.exists()
    assert _on_disk(settings.DRIVE_STAGING_DIR) == []
    assert _patch(client, w.user("赵敏"), created["Location"], 500, b"x" * 500).status_code == 404


def test_the_quota_is_refused_before_any_byte_is_accepted(client, w):
    actions.set_quota(w.user("admin"), actions.used_bytes() + 1000)
    refused = _create(client, w.user("赵敏"), w.folders["secret"], 5000)
    assert refused.status_code == 413
    error = refused.json()["errors"][0]
    assert error["extensions"]["code"] == "DRIVE_QUOTA_EXCEEDED" and "空间不足" in error["message"]
    assert not Upload.objects.exists()
    plain = client.post(f"/t/tonglu/apps/drive/folders/{w.folders['secret'].pk}/upload", data=b"x" * 5000,
                        content_type="text/plain", HTTP_X_FILENAME="a.txt", HTTP_AUTHORIZATION=f"Bearer {token_for(w.user('赵敏'))}")
    assert plain.status_code == 413 and plain.json()["errors"][0]["extensions"]["code"] == "DRIVE_QUOTA_EXCEEDED"
    assert _create(client, w.user("赵敏"), w.folders["secret"], 900).status_code == 201


FOLDERS = "{ driveFolders { id name restricted canManage audienceSummary files { id name } downloads { userName kind } } }"
NODE = "query($id: ID!) { node(id: $id) { id } }"


def test_a_restricted_folder_is_unreadable_by_anyone_else_through_every_api_and_url(client, w):
    zhao, qian, sun = w.user("赵敏"), w.user("钱进"), w.user("孙立")
    png = actions.upload_whole(zhao, w.folders["secret"].pk, filename="伤情照片.png", content_type="image/png",
                               length=len(PNG), chunks=iter([PNG]))
    folder_id, file_id = to_global_id("DriveFolder", w.folders["secret"].pk), to_global_id("DriveFile", png.file_id)
    preview, download = f"/apps/drive/versions/{png.pk}/preview", f"/apps/drive/versions/{png.pk}/download"
    pending = _create(client, zhao, w.folders["secret"], 10)["Location"]

    # the audience (医务科) reads it: listed, node, preview inline with its type, download; each open logged
    seen = gql(client, FOLDERS, user=qian, HTTP_X_TENANT="tonglu")[1]["data"]["driveFolders"]
    assert sorted((f["name"], f["audienceSummary"], f["downloads"]) for f in seen) == [("医疗纠纷材料", "医务科", None),
                                                                                       ("规章制度", "全体成员", None)]
    assert gql(client, NODE, {"id": file_id}, user=qian, HTTP_X_TENANT="tonglu")[1]["data"]["node"] == {"id": file_id}
    r = client.get(f"/t/tonglu{preview}", HTTP_AUTHORIZATION=f"Bearer {token_for(qian)}")
    assert r.status_code == 200 and r["Content-Type"] == "image/png" and r["Content-Disposition"].startswith("inline")
    assert b"".join(r.streaming_content) == PNG
    assert _read(client, qian, download) == (200, PNG)
    mine = gql(client, FOLDERS, user=zhao, HTTP_X_TENANT="tonglu")[1]["data"]["driveFolders"]
    log = next(f["downloads"] for f in mine if f["restricted"])
    assert log == [{"userName": "钱进", "kind": "download"}, {"userName": "钱进", "kind": "preview"}]

    # 孙立 (护理部) gets nothing anywhere: not listed, node null, folder null, 404 on every URL
    listed = gql(client, FOLDERS, user=sun, HTTP_X_TENANT="tonglu")[1]["data"]["driveFolders"]
    assert [f["name"] for f in listed] == ["规章制度"]
    for gid in (folder_id, file_id):
        assert gql(client, NODE, {"id": gid}, user=sun, HTTP_X_TENANT="tonglu")[1]["data"]["node"] is None
    assert gql(client, "query($id: ID!) { driveFolder(id: $id) { name } }", {"id": folder_id}, user=sun,
               HTTP_X_TENANT="tonglu")[1]["data"]["driveFolder"] is None
    for path in (preview, download):
        status, body = _read(client, sun, path)
        assert status == 404 and PNG not in body
        # a signed link he asks for opens nothing either: the view checks him, not the link
        link = gql(client, "mutation($p: String!) { createSignedLink(input: {path: $p}) { url errors { code } } }",
                   {"p": path}, user=sun, HTTP_X_TENANT="tonglu")[1]["data"]["createSignedLink"]["url"]
        assert client.get(link).status_code == 404
    # 赵敏's upload in progress is hers only
    for method in ("head", "delete"):
        assert getattr(client, method)(pending, **_auth(sun)).status_code == 404
    assert _patch(client, sun, pending, 0, b"0123456789").status_code == 404
    assert _patch(client, qian, pending, 0, b"0123456789").status_code == 404
    assert Upload.objects.get().offset == 0
    # and he cannot upload into it, nor start a new version of its file
    assert _create(client, sun, w.folders["secret"], 10).status_code == 404
    assert _create(client, qian, w.folders["secret"], 10).status_code == 403  # a reader, not a manager
    deleted = gql(client, "mutation($f: ID!) { deleteDriveFile(input: {file: $f}) { ok errors { code } } }", {"f": file_id},
                  user=sun, HTTP_X_TENANT="tonglu")[1]
    assert error_code(deleted) == "NOT_FOUND" and FileVersion.objects.filter(pk=png.pk).exists()
    # a member of another tenant and an anonymous caller neither
    outsider = w.p.users["doctor_b"]
    assert client.get(f"/t/tonglu{download}", HTTP_AUTHORIZATION=f"Bearer {token_for(outsider)}").status_code in (403, 404)
    assert client.get(f"/t/tonglu{download}").status_code == 401
    assert Download.objects.filter(user_id=sun.pk).count() == 0
