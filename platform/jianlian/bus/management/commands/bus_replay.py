"""Make dead (or stalled) bus messages pending again, after their cause was fixed."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from jianlian.core.errors import DomainError


class Command(BaseCommand):
    help = "重放跨租户死信：将指定消息重置为待处理，由中继重新投递与处理。"

    def add_arguments(self, parser):
        parser.add_argument("message_ids", nargs="+", metavar="message-id", help="消息ID（UUID）")

    def handle(self, *args, message_ids=(), **options):
        from jianlian.bus.services import replay

        failed = 0
        for message_id in message_ids:
            try:
                result = replay(message_id, actor_label="manage.py bus_replay")
            except DomainError as e:
                failed += 1
                self.stderr.write(f"{message_id}: {e.message}")
                continue
            self.stdout.write(
                _("%(id)s：已重置为待处理（%(sender)s → %(receiver)s）。")
                % {"id": result.id, "sender": result.sender, "receiver": result.receiver}
            )
        if failed:
            raise CommandError(_("有 %(n)s 条消息未能重放。") % {"n": failed})
