"""Keyset (cursor) pagination for every list that can grow.

A cursor encodes the row's sort key, so a page is one indexed range scan however deep the caller
pages, and rows inserted meanwhile never shift a page (as offsets do). `first` is capped at
PAGE_SIZE_CAP; `totalCount` runs its COUNT only when the field is selected.
"""

from __future__ import annotations

import base64
import json

import graphene
from django.db.models import Q
from django.utils.translation import gettext as _
from graphql import GraphQLError

from jianlian.api.limits import PAGE_SIZE_CAP


class CountableConnection(graphene.relay.Connection):
    class Meta:
        abstract = True

    total_count = graphene.Int(required=True, description="总条数（仅在查询此字段时计算）。")

    @staticmethod
    def resolve_total_count(root, info):
        return root.queryset.count()


def _encode(values: list) -> str:
    return base64.urlsafe_b64encode(json.dumps(values, default=str, separators=(",", ":")).encode()).decode()


def _decode(cursor: str, n: int) -> list:
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor.encode()).decode())
        if not isinstance(values, list) or len(values) != n:
            raise ValueError
        return values
    except (ValueError, UnicodeDecodeError, json.JSONDecodeError, base64.binascii.Error):
        raise GraphQLError(_("分页游标无效。"), extensions={"code": "INVALID_PAGINATION"}) from None


def _after(order: tuple[str, ...], values: list) -> Q:
    """Rows strictly after `values` in `order` (each field may be '-desc')."""
    q = Q()
    for i, field in enumerate(order):
        name = field.lstrip("-")
        op = "lt" if field.startswith("-") else "gt"
        clause = Q(**{f"{name}__{op}": values[i]})
        for prev_field, prev_value in zip(order[:i], values[:i]):
            clause &= Q(**{prev_field.lstrip("-"): prev_value})
        q |= clause
    return q


def paginate(queryset, connection_type, *, first: int | None, after: str | None, order: tuple[str, ...] = ("pk",)):
    """One page of `queryset` as a `connection_type` instance. `order` must end in a unique
    field; the primary key is appended when it does not."""
    first = 20 if first is None else first
    if not 1 <= first <= PAGE_SIZE_CAP:
        raise GraphQLError(_("first 应在 1 到 %(max)s 之间。") % {"max": PAGE_SIZE_CAP}, extensions={"code": "INVALID_PAGINATION"})
    if order[-1].lstrip("-") not in ("pk", "id"):
        order = (*order, "pk")
    names = [f.lstrip("-") for f in order]
    page = queryset.order_by(*order)
    if after:
        page = page.filter(_after(order, _decode(after, len(order))))
    rows = list(page[: first + 1])
    has_next = len(rows) > first
    rows = rows[:first]
    edge_type = connection_type.Edge
    edges = [edge_type(node=row, cursor=_encode([getattr(row, n) for n in names])) for row in rows]
    conn = connection_type(
        edges=edges,
        page_info=graphene.relay.PageInfo(
            has_next_page=has_next, has_previous_page=bool(after),
            start_cursor=edges[0].cursor if edges else None, end_cursor=edges[-1].cursor if edges else None,
        ),
    )
    conn.queryset = queryset
    return conn


def connection_args(**extra) -> dict:
    return {
        "first": graphene.Int(description=f"每页条数，1–{PAGE_SIZE_CAP}，默认20。"),
        "after": graphene.String(description="上一页最后一条的游标（pageInfo.endCursor）。"),
        **extra,
    }
