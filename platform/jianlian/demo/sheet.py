"""The demo sign-in sheet: the fixed demo accounts and the tenant addresses, printed as tables
that line up with Chinese text in a terminal (`make run`, `seed_demo --print-accounts`). Reads only."""

from __future__ import annotations

import unicodedata
from collections import defaultdict

from django.conf import settings

from jianlian.access.models import Membership, RoleGrant
from jianlian.demo.seed import DEMO_ACCOUNTS, ensure_not_production
from jianlian.identity.models import User
from tenants.models import Tenant


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def format_table(headers: tuple, rows: list) -> str:
    """A plain-text table that lines up with Chinese text in a terminal."""
    cells = [[str(c) for c in headers], *([str(c) for c in row] for row in rows)]
    widths = [max(_width(row[i]) for row in cells) for i in range(len(headers))]
    lines = ["  ".join(c + " " * (w - _width(c)) for c, w in zip(row, widths)).rstrip() for row in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def account_rows() -> list[tuple]:
    """(username, role, unit(s), tenant slug, password) of the fixed demo accounts that exist."""
    order = [a[0] for a in DEMO_ACCOUNTS]
    grants = RoleGrant.objects.filter(user__username__in=order).select_related("user", "role__tenant", "node")
    units = defaultdict(list)
    for username, unit in (Membership.objects.filter(user__username__in=order).order_by("-is_primary", "pk")
                           .values_list("user__username", "unit__name")):
        units[username].append(unit)
    rows = [
        (g.user.username, g.role.name, "、".join(units[g.user.username]) or g.node.name,
         g.role.tenant.slug if g.role.tenant else "—（全省）", settings.DEMO_PASSWORD)
        for g in grants
    ]
    return sorted(rows, key=lambda r: order.index(r[0]))


def tenant_rows() -> list[tuple]:
    admins = set(User.objects.filter(username__endswith="_admin").values_list("username", flat=True))
    return [
        (t.slug, t.name, t.get_status_display(), f"/t/{t.slug}/graphql/",
         f"{t.slug}_admin" if f"{t.slug}_admin" in admins else "")
        for t in Tenant.objects.order_by("kind", "slug")
    ]


def print_accounts(stdout) -> None:
    """Print the demo sign-ins and the tenant addresses (reads only)."""
    ensure_not_production()
    rows = account_rows()
    if not rows:
        stdout.write("尚未生成演示数据，请先运行 manage.py seed_demo。\n")
        return
    stdout.write(f"演示账号（密码均为 {settings.DEMO_PASSWORD}）：\n")
    stdout.write(format_table(("用户名", "角色", "单位", "租户", "密码"), rows) + "\n\n")
    stdout.write("租户地址（各租户管理员账号密码同上）：\n")
    stdout.write(format_table(("租户标识", "名称", "状态", "地址", "管理员账号"), tenant_rows()) + "\n")
