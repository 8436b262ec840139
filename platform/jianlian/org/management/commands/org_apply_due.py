"""`manage.py org_apply_due [SLUG …]`: apply due lifecycle events now (what beat does every minute)."""

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "立即执行已到生效时间的人员变动（入转调离）；不指定租户时处理所有在用租户。"

    def add_arguments(self, parser):
        parser.add_argument("slugs", nargs="*", help="租户标识（可多个）。")

    def handle(self, slugs, **options):
        from jianlian.org.management.commands._common import tenant_by_slug
        from jianlian.org.services import apply_due_events
        from tenants.context import tenant_context
        from tenants.models import Tenant, TenantStatus

        tenants = [tenant_by_slug(s) for s in slugs] or list(Tenant.objects.filter(status=TenantStatus.ACTIVE))
        for tenant in tenants:
            with tenant_context(tenant):
                applied = apply_due_events()
            if applied:
                self.stdout.write(f"{tenant.slug}：已执行 {len(applied)} 项人员变动。")
        self.stdout.write("完成。")
