"""Migrate the public schema, the tenant template and every tenant that is behind.

Tenants whose recorded migrations already match the code are skipped without starting Django's
migrate for them, so a deploy with nothing to apply stays fast however many tenants there are.
"""

from django.core.management import call_command
from django.core.management.base import BaseCommand

from tenants.migration_state import is_current
from tenants.provisioning import ensure_template, migrate_schema, seed_province_roles


class Command(BaseCommand):
    help = "迁移公共模式、租户模板以及所有落后于代码的租户模式。"

    def add_arguments(self, parser):
        parser.add_argument("--skip-public", action="store_true")

    def handle(self, *args, verbosity=1, skip_public=False, **options):
        from tenants.models import Tenant

        if not skip_public and not is_current("public"):
            call_command("migrate_schemas", shared=True, interactive=False, verbosity=verbosity)
        seed_province_roles()
        from jianlian.marketplace.services import record_deployed_versions, sync_catalog

        sync_catalog()
        if ensure_template(verbosity=verbosity):
            self.stdout.write("租户模板已更新。")
        schemas = list(Tenant.objects.order_by("pk").values_list("schema_name", flat=True))
        stale = [s for s in schemas if not is_current(s)]
        for schema in stale:
            migrate_schema(schema, verbosity=verbosity)
        upgraded = record_deployed_versions()
        if upgraded:
            self.stdout.write(f"已随部署升级 {upgraded} 个应用安装。")
        self.stdout.write(f"租户共 {len(schemas)} 个，已迁移 {len(stale)} 个，其余已是最新。")
