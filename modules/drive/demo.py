"""The drive for the demo province (only the demo seed calls this): installed in 桐庐, with
tonglu_admin (陈志刚) as drive administrator and three folders — 规章制度 (open to everyone),
院周会材料 (the lead hospital) and 医疗纠纷材料, restricted to tonglu_doctor (杨文斌) and managed by
tonglu_admin — each with a few small files (a PDF and a PNG to preview, a file with two
versions). Written once: a tenant that already has folders is left alone."""

from __future__ import annotations

import struct
import zlib

from django.db import transaction

from jianlian.identity.models import User


def png_chart(width: int = 96, height: int = 64) -> bytes:
    """A small bar chart as a PNG (no imaging library needed)."""
    bars = [20, 44, 36, 58]
    rows = b""
    for y in range(height):
        row = bytearray()
        for x in range(width):
            bar = x // 24
            top = height - bars[bar]
            row += bytes((22, 119, 255) if y >= top and x % 24 > 4 else (245, 247, 250))
        rows += b"\x00" + bytes(row)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def pdf_page(text: str) -> bytes:
    """A one-page PDF saying `text` (ASCII), written by hand: objects and a cross-reference table."""
    stream = f"BT /F1 18 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def seed_tenant(tenant) -> int:
    from modules.drive import actions
    from modules.drive.models import Folder

    if Folder.objects.exists():
        return 0
    people = {u.username: u for u in User.objects.filter(username__in=("tonglu_admin", "tonglu_doctor", "tonglu_staff"))}
    admin = people.get("tonglu_admin")
    if admin is None:
        return 0
    unit = tenant.org_unit.pk
    made = 0
    with transaction.atomic():
        rules = actions.create_folder(admin, unit_id=unit, name="规章制度", category="制度文件")
        weekly = actions.create_folder(admin, unit_id=unit, name="院周会材料", category="会议材料",
                                       audience={"unit_ids": [unit]})
        doctor = people.get("tonglu_doctor")
        restricted = actions.create_folder(admin, unit_id=unit, name="医疗纠纷材料", category="医务", restricted=True,
                                           audience={"user_ids": [doctor.pk] if doctor else []})
        files = [
            (rules, "院感管理制度.pdf", "application/pdf", pdf_page("Infection control rules (demo)")),
            (rules, "值班制度.txt", "text/plain", "一、各科室实行24小时值班制度。\n二、值班人员不得擅离岗位。\n".encode()),
            (weekly, "床位使用率.png", "image/png", png_chart()),
            (weekly, "院周会纪要.txt", "text/plain", "院周会纪要：本周床位使用率 92%，下周开展消防演练。\n".encode()),
            (restricted, "纠纷处理记录.txt", "text/plain", "第一稿：患者家属投诉，医务科已受理。\n".encode()),
        ]
        for folder, name, kind, data in files:
            actions.upload_whole(admin, folder.pk, filename=name, content_type=kind, length=len(data), chunks=iter([data]))
            made += 1
        record = restricted.files.get()
        second = "第二稿：调解完成，双方签字确认。\n".encode()
        actions.upload_whole(admin, restricted.pk, filename=record.name, content_type="text/plain", length=len(second),
                             chunks=iter([second]), file_id=record.pk)
    return made + 3


def seed(say=print) -> int:
    """桐庐 only: install the app (once), grant tonglu_admin the drive administrator role, then the
    folders and files."""
    from jianlian.access.models import Role, RoleGrant
    from jianlian.marketplace.services import install, is_installed
    from tenants.context import tenant_context
    from tenants.models import Tenant

    tenant = Tenant.objects.select_related("org_unit").filter(slug="tonglu").first()
    if tenant is None:
        return 0
    if not is_installed(tenant, "drive"):
        install(None, tenant, "drive")
    admin = User.objects.filter(username="tonglu_admin").first()
    role = Role.objects.filter(code="drive_admin", tenant=tenant).first()
    if admin and role:
        RoleGrant.objects.get_or_create(user=admin, role=role, node=tenant.org_unit)
    with tenant_context(tenant):
        made = seed_tenant(tenant)
    if made:
        say(f"云盘：生成 {made} 个文件夹与文件。")
    return made
