"""The to-do source (manifest `todo_sources`): the person's unread 必读 posts, from the receipts."""

from __future__ import annotations


def unread_required(user):
    from jianlian.notifications.models import Delivery
    from modules.announcements.access import live
    from modules.announcements.actions import link, todo_key

    unread = Delivery.objects.filter(user_id=user.pk, read_at__isnull=True).values("notification_id")
    from modules.announcements.models import Post

    for post in Post.objects.filter(live(), required=True, notification_id__in=unread):
        yield {"key": todo_key(post.pk), "kind": "read", "title": f"必读：{post.title}", "summary": post.text[:120],
               "link": link(post.pk), "due_at": post.read_deadline, "urgent": False, "started_by": post.author_name}
