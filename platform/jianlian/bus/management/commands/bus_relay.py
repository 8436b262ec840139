"""Run the bus relay from the command line (what the `bus.relay` Celery task does)."""

import time

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _


class Command(BaseCommand):
    help = "运行一次跨租户消息中继（或用 --loop 持续运行），不依赖 Celery。"

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="持续运行，直到 Ctrl-C")
        parser.add_argument("--interval", type=float, default=2.0, help="--loop 时每轮间隔秒数")

    def handle(self, *args, loop=False, interval=2.0, **options):
        from jianlian.bus.relay import run_once

        while True:
            stats = run_once()
            self.stdout.write(
                _("投递 %(delivered)s，处理 %(applied)s，重试 %(retried)s，死信 %(dead)s，受阻 %(deferred)s，错误 %(errors)s")
                % stats.as_dict()
            )
            if not loop:
                return
            time.sleep(interval)
