"""Wait until the database is reachable and fully migrated (public, template, every tenant).

What web, worker and beat pods run before they start (an init container), so that nothing serves
or runs tasks against a schema the migrator (`migrate_all`, a Job) has not finished with.
"""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import OperationalError, ProgrammingError, connection


class Command(BaseCommand):
    help = "等待数据库可连接且公共模式、租户模板与所有租户都已迁移到最新（供 Kubernetes 初始化容器使用）。"

    def add_arguments(self, parser):
        parser.add_argument("--timeout", type=int, default=600, help="最长等待秒数")
        parser.add_argument("--interval", type=float, default=3.0)

    def handle(self, *args, timeout, interval, **options):
        deadline = time.monotonic() + timeout
        while True:
            behind = self._behind()
            if not behind:
                self.stdout.write("数据库已迁移到最新。")
                return
            if time.monotonic() >= deadline:
                raise CommandError(f"MIGRATIONS_PENDING: 等待 {timeout} 秒后仍未迁移完成：{behind}")
            time.sleep(interval)

    @staticmethod
    def _behind() -> str:
        from django.conf import settings

        from tenants.migration_state import is_current
        from tenants.models import Tenant

        try:
            connection.set_schema_to_public()
            if not is_current("public"):
                return "public"
            schemas = [settings.TENANT_TEMPLATE_SCHEMA, *Tenant.objects.values_list("schema_name", flat=True)]
            stale = [s for s in schemas if not is_current(s)]
            return ", ".join(stale[:5])
        except (OperationalError, ProgrammingError) as e:  # not reachable yet, or not migrated at all
            connection.close()
            return str(e).splitlines()[0]
