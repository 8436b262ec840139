"""Columns (栏目) and their administrators. The four usual columns arrive with the app
(migration 0002); holders of `announcements.manage` add columns, name their administrators and
switch comments and likes."""

from __future__ import annotations

import re

from django.db import transaction
from django.utils.translation import gettext as _

from jianlian.audit import service as audit
from jianlian.core.errors import DomainError, PermissionDeniedError
from modules.announcements import access
from modules.announcements.models import Column

DEFAULTS = (("affairs", "院务公开", 10), ("notices", "通知公告", 20), ("news", "新闻动态", 30), ("topics", "专题", 40))
KEY = re.compile(r"^[a-z][a-z0-9_-]{0,39}$")


def install_defaults(column_model=Column) -> None:
    for key, name, sort in DEFAULTS:
        column_model.objects.get_or_create(key=key, defaults={"name": name, "sort": sort})


def _members(user_ids) -> list[int]:
    from jianlian.org.audience import Targets, resolve_audience

    ids = sorted({int(u) for u in user_ids or []})
    unknown = set(ids) - resolve_audience(Targets(user_ids=ids))
    if unknown:
        raise DomainError("INVALID", _("栏目管理员须是本单位在职人员。"), "admins")
    return ids


def save_column(user, *, column_id: int | None = None, key: str | None = None, name: str | None = None,
                description: str | None = None, admin_ids=None, comments_enabled: bool | None = None,
                likes_enabled: bool | None = None, sort: int | None = None) -> Column:
    """Create a column (key and name required) or change one. Who: `announcements.manage`."""
    if not access.is_manager(user):
        raise PermissionDeniedError()
    with transaction.atomic():
        if column_id is None:
            if not key or not KEY.match(key):
                raise DomainError("INVALID", _("栏目代码须以小写字母开头，只含小写字母、数字、-和_。"), "key")
            if Column.objects.filter(key=key).exists():
                raise DomainError("COLUMN_KEY_TAKEN", _("已有同代码的栏目。"), "key")
            if not name:
                raise DomainError("REQUIRED", _("请填写栏目名称。"), "name")
            column = Column(key=key)
        else:
            column = access.access_column(user, column_id)
        for field, value in (("name", name), ("description", description), ("comments_enabled", comments_enabled),
                             ("likes_enabled", likes_enabled), ("sort", sort)):
            if value is not None:
                setattr(column, field, value)
        if len(column.name) > 40:
            raise DomainError("TOO_LONG", _("栏目名称不能超过40个字。"), "name")
        if admin_ids is not None:
            column.admin_ids = _members(admin_ids)
        column.save()
        audit.record("announcements.save_column", actor=user, target=column,
                     after={"name": column.name, "admins": column.admin_ids, "comments": column.comments_enabled,
                            "likes": column.likes_enabled})
    return column
