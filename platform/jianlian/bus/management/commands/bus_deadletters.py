"""List the bus's dead letters across the public schema and every tenant."""

import json

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _


class Command(BaseCommand):
    help = "列出所有模式中的跨租户死信（处理失败的消息）和投递受阻的消息。"

    def add_arguments(self, parser):
        parser.add_argument("--schema", action="append", help="只看指定模式（可重复）")
        parser.add_argument("--json", action="store_true", dest="as_json", help="以 JSON 输出")

    def handle(self, *args, schema=None, as_json=False, **options):
        from jianlian.bus.services import dead_letters

        entries = dead_letters(schema)
        if as_json:
            self.stdout.write(_dumps([{**e.__dict__, "since": e.since.isoformat()} for e in entries]))
            return
        if not entries:
            self.stdout.write(_("没有死信。"))
            return
        kinds = {"dead": _("死信"), "stalled": _("投递受阻")}
        for e in entries:
            where = f"{e.conversation}#{e.sequence}" if e.conversation else "-"
            error = (e.last_error.strip().splitlines() or [""])[-1][:200]
            tries = _("尝试 %(n)s 次") % {"n": e.attempts}
            self.stdout.write(
                f"{e.id}  [{kinds[e.kind]}]  {e.sender} → {e.receiver}  {e.type}  {where}  {tries}  "
                f"{e.since:%Y-%m-%d %H:%M:%S}\n    {error}"
            )
        self.stdout.write(_("共 %(n)s 条。重放：manage.py bus_replay <消息ID>") % {"n": len(entries)})


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)
