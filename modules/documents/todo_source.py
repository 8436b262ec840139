"""The to-do source (manifest `todo_sources`): 收文 steps waiting on the person, and documents
sent or circulated to them that they have not read (from the receipts)."""

from __future__ import annotations


def open_items(user):
    from jianlian.notifications.models import Delivery
    from modules.documents import incoming, outgoing
    from modules.documents.models import InStatus, Incoming, OutStatus, Outgoing

    for doc in Incoming.objects.filter(waiting_ids__contains=[user.pk]).exclude(status=InStatus.DONE):
        yield {"key": incoming.todo_key(doc.pk), "kind": "incoming", "title": f"收文：{doc.title}",
               "summary": f"{doc.issuer} {doc.number}".strip(), "link": incoming.link(doc.pk),
               "due_at": incoming._deadline(doc.deadline), "urgent": doc.urgency != "normal", "started_by": doc.issuer}
    unread = Delivery.objects.filter(user_id=user.pk, read_at__isnull=True).values("notification_id")
    for doc in Incoming.objects.filter(notification_id__in=unread):
        yield {"key": incoming.read_key(doc.pk), "kind": "read", "title": f"传阅：{doc.title}", "summary": doc.number,
               "link": incoming.link(doc.pk), "due_at": None, "urgent": False, "started_by": doc.issuer}
    for doc in Outgoing.objects.filter(notification_id__in=unread, status__in=[OutStatus.SENT, OutStatus.ARCHIVED]):
        yield {"key": outgoing.todo_key(doc.pk), "kind": "read", "title": f"阅文：{doc.title}", "summary": doc.number,
               "link": outgoing.link(doc.pk), "due_at": None, "urgent": False, "started_by": doc.drafter_name}
