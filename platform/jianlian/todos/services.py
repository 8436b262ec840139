"""The to-do centre's contract: what modules call, and what the list reads.

A module that gives people things to do declares its sources in its manifest (`todo_sources`)
and calls, from its actions and inside their transaction:

    from jianlian import todos
    todos.create_todo([user_id], source="approvals", kind="approve", key=f"approvals:task:{t.pk}",
                      title="赵敏的请假", link="/approvals/instances/12", due_at=...)
    todos.complete_todo(f"approvals:task:{t.pk}", outcome="approved")
    todos.remove_todo(f"approvals:task:{t.pk}")             # it no longer concerns anyone

Roles: `assignee` (待我处理 while pending, 我已处理 when done), `submitter` (我发起的), `cc` (抄送我,
pending until read). Each change tells the people concerned their new counts after commit
(`todos.counts` to their user group: the workbench badge and the live counters).
Hand-over with the person: the `todos.items` handler moves pending items to the successor.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jianlian.core.errors import DomainError
from jianlian.todos.models import Role, State, TodoItem

COUNTS_EVENT = "todos.counts"
VIEWS = {
    "pending": Q(role=Role.ASSIGNEE, state=State.PENDING),
    "done": Q(role=Role.ASSIGNEE, state=State.DONE),
    "started": Q(role=Role.SUBMITTER),
    "cc": Q(role=Role.CC),
}


@dataclass(frozen=True)
class Counts:
    pending: int = 0
    cc_unread: int = 0
    started_running: int = 0


# --- writes (called by modules inside their actions' transactions) -------------------------------

def create_todo(user_ids: Iterable[int], *, source: str, kind: str, key: str, title: str, link: str = "",
                role: str = Role.ASSIGNEE, summary: str = "", due_at=None, started_by: str = "",
                urgent: bool = False) -> int:
    """Give each of `user_ids` the item `key` (pending). An existing item of the same person, key
    and role is reopened and refreshed. Returns how many items were written."""
    ids = sorted({int(u) for u in user_ids if u})
    if not ids:
        return 0
    now = timezone.now()
    fields = {"source": source, "kind": kind, "title": str(title)[:200], "summary": str(summary)[:500],
              "link": link[:300], "started_by": str(started_by)[:60], "urgent": urgent, "due_at": due_at,
              "state": State.PENDING, "outcome": "", "done_at": None, "updated_at": now}
    TodoItem.objects.bulk_create(
        [TodoItem(user_id=u, key=key, role=role, created_at=now, **fields) for u in ids],
        update_conflicts=True, unique_fields=["user_id", "key", "role"], update_fields=list(fields))
    _touch(ids)
    return len(ids)


def complete_todo(key: str, *, user_ids: Iterable[int] | None = None, role: str | None = None, outcome: str = "") -> int:
    """Mark the pending items `key` (of `user_ids`, of `role`; default all) done."""
    from django.db import connection

    where, params = ["key = %s", "state = %s"], [key, State.PENDING]
    if user_ids is not None:
        where.append("user_id = ANY(%s)")
        params.append([int(u) for u in user_ids])
    if role:
        where.append("role = %s")
        params.append(role)
    now = timezone.now()
    with connection.cursor() as cursor:  # one round trip: the update says whose items it changed
        cursor.execute(f"UPDATE {TodoItem._meta.db_table} SET state = %s, outcome = %s, done_at = %s, updated_at = %s "
                       f"WHERE {' AND '.join(where)} RETURNING user_id", [State.DONE, outcome[:40], now, now, *params])
        touched = [row[0] for row in cursor.fetchall()]
    _touch(touched)
    return len(touched)


def update_todo(key: str, **fields) -> int:
    """Refresh what the list shows of `key` (title, summary, due_at, urgent) for everyone."""
    allowed = {k: v for k, v in fields.items() if k in ("title", "summary", "due_at", "urgent", "link")}
    qs = TodoItem.objects.filter(key=key)
    _touch(qs.values_list("user_id", flat=True))
    return qs.update(updated_at=timezone.now(), **allowed)


def remove_todo(key: str, *, user_ids: Iterable[int] | None = None, pending_only: bool = True) -> int:
    """Drop the items `key` (it went to someone else, or the thing was withdrawn)."""
    qs = TodoItem.objects.filter(key=key)
    if pending_only:
        qs = qs.filter(state=State.PENDING)
    if user_ids is not None:
        qs = qs.filter(user_id__in=list(user_ids))
    _touch(qs.values_list("user_id", flat=True))
    return qs.delete()[0]


def reassign_todo(key: str, from_user_id: int, to_user_id: int) -> int:
    """Move the pending item `key` of one person to another (forward, hand-over)."""
    TodoItem.objects.filter(key=key, user_id=to_user_id, state=State.PENDING).delete()
    n = TodoItem.objects.filter(key=key, user_id=from_user_id, state=State.PENDING).update(
        user_id=to_user_id, updated_at=timezone.now())
    _touch([from_user_id, to_user_id])
    return n


def mark_read(user, item_ids: list[int] | None = None) -> int:
    """Mark the reader's cc items (all, or `item_ids`) read. Who: the person themselves."""
    qs = TodoItem.objects.filter(user_id=user.pk, role=Role.CC, state=State.PENDING)
    if item_ids:
        qs = qs.filter(pk__in=item_ids)
    now = timezone.now()
    n = qs.update(state=State.DONE, outcome="read", done_at=now, updated_at=now)
    if n:
        _touch([user.pk])
    return n


def hand_over_items(from_user_id, to_user_id, *, reason, event_id=None) -> int:
    """Hand-over handler: the person's pending items go to the successor (modules move their
    own records in their handlers; the list follows here)."""
    mine = TodoItem.objects.filter(user_id=from_user_id, role=Role.ASSIGNEE, state=State.PENDING)
    TodoItem.objects.filter(user_id=to_user_id, role=Role.ASSIGNEE, key__in=mine.values("key")).delete()
    n = mine.update(user_id=to_user_id, updated_at=timezone.now())
    if n:
        _touch([from_user_id, to_user_id])
    return n


def rebuild(user) -> dict[str, int]:
    """Rebuild `user`'s pending to-dos from each installed module's `todo_sources` (the truth in
    the module's tables): open ones are (re)created, pending ones no source returns any more are
    marked done (outcome "stale"). Returns {module key: open items}. For repairs (a restored
    backup, items from before a module fed the centre); actions keep the list current anyway."""
    from django.db import connection
    from django.utils.module_loading import import_string

    from jianlian.marketplace.manifest import registry
    from jianlian.marketplace.services import installed_keys

    installed = installed_keys(connection.tenant)
    out = {}
    with transaction.atomic():
        for key, m in registry().items():
            if key not in installed or not m.todo_sources:
                continue
            keys = set()
            for dotted in m.todo_sources:
                for item in import_string(dotted)(user):
                    item = dict(item)
                    keys.add(item["key"])
                    create_todo([user.pk], source=key, **item)
            stale = TodoItem.objects.filter(user_id=user.pk, source=key, role=Role.ASSIGNEE, state=State.PENDING).exclude(key__in=keys)
            now = timezone.now()
            if stale.update(state=State.DONE, outcome="stale", done_at=now, updated_at=now):
                _touch([user.pk])
            out[key] = len(keys)
    return out


# --- reads -----------------------------------------------------------------------------------------

def items(user, view: str = "pending", *, search: str = "", source: str = "", kind: str = "",
          urgent: bool | None = None, overdue: bool | None = None, state: str = ""):
    """The person's items in `view` (pending, done, started, cc), filtered."""
    if view not in VIEWS:
        raise DomainError("INVALID_TODO_VIEW", _("待办视图只能是待我处理、我已处理、我发起的或抄送我。"), "view")
    qs = TodoItem.objects.filter(VIEWS[view], user_id=user.pk)
    if search:
        qs = qs.filter(Q(title__icontains=search) | Q(summary__icontains=search) | Q(started_by__icontains=search))
    if source:
        qs = qs.filter(source=source)
    if kind:
        qs = qs.filter(kind=kind)
    if state:
        qs = qs.filter(state=state)
    if urgent is not None:
        qs = qs.filter(urgent=urgent)
    if overdue is not None:
        late = Q(state=State.PENDING, due_at__lt=timezone.now())
        qs = qs.filter(late) if overdue else qs.exclude(late)
    return qs


def counts(user_id: int) -> Counts:
    row = TodoItem.objects.filter(user_id=user_id, state=State.PENDING).aggregate(
        pending=Count("id", filter=Q(role=Role.ASSIGNEE)), cc=Count("id", filter=Q(role=Role.CC)),
        started=Count("id", filter=Q(role=Role.SUBMITTER)))
    return Counts(row["pending"], row["cc"], row["started"])


def counts_by_source(user_id: int, source: str) -> int:
    return TodoItem.objects.filter(user_id=user_id, source=source, role=Role.ASSIGNEE, state=State.PENDING).count()


# --- live counts -------------------------------------------------------------------------------------

def _touch(user_ids) -> None:
    """Remember whose counts changed; after commit tell each of them once, with the transaction's
    other events (`events.publish_computed`). One computation per transaction and tenant collects
    everyone (one dropped with a rolled-back savepoint is simply registered again by the next
    change; counts are read after commit, so telling too many is harmless and telling too few
    impossible)."""
    from jianlian.realtime import events
    from tenants.context import current_tenant

    ids = set(user_ids)
    if not ids:
        return
    tenant = current_tenant()
    for pending in events.computed_pending():
        if isinstance(pending, _Announce) and pending.tenant == tenant:
            pending.ids |= ids
            return
    events.publish_computed(_Announce(ids, tenant))


class _Announce:
    """Counts are read after commit in the tenant whose items changed: the transaction may have
    been opened elsewhere (a supervision step commits on the province's public schema after
    feeding to-do lists in the approvers' tenants)."""

    def __init__(self, ids: set[int], tenant):
        self.ids, self.tenant = ids, tenant

    def __call__(self) -> list[dict]:
        from tenants.context import current_tenant, tenant_context

        if self.tenant is None or self.tenant == current_tenant():
            return _count_messages(self.ids)
        with tenant_context(self.tenant):
            return _count_messages(self.ids)


def _count_messages(ids: set[int]) -> list[dict]:
    """Each person's counts, read after commit, as one message to their user group."""
    from jianlian.realtime import events

    rows = {r["user_id"]: r for r in TodoItem.objects.filter(user_id__in=ids, state=State.PENDING)
            .values("user_id").order_by().annotate(
                pending=Count("id", filter=Q(role=Role.ASSIGNEE)), cc=Count("id", filter=Q(role=Role.CC)),
                started=Count("id", filter=Q(role=Role.SUBMITTER)))}
    messages = []
    for uid in sorted(ids):
        r = rows.get(uid, {})
        payload = {"userId": uid, "pending": r.get("pending", 0), "ccUnread": r.get("cc", 0),
                   "startedRunning": r.get("started", 0)}
        messages.append(events.message(COUNTS_EVENT, payload, events.user_group(uid)))
    return messages


def _register_hand_over():
    from jianlian.org import handover

    handover.register("todos.items", hand_over_items)


_register_hand_over()
