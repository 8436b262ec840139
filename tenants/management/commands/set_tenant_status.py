from django.core.management.base import BaseCommand, CommandError

from jianlian.core.errors import DomainError


class Command(BaseCommand):
    help = "变更租户状态：active、suspended 或 archived。"

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("status", choices=["active", "suspended", "archived"])
        parser.add_argument("--reason", default="")

    def handle(self, *args, slug, status, reason, **options):
        from tenants.models import Tenant
        from tenants.provisioning import set_status

        tenant = Tenant.objects.filter(slug=slug).first()
        if tenant is None:
            raise CommandError(f"TENANT_NOT_FOUND: 租户 {slug} 不存在。")
        try:
            set_status(None, tenant, status, reason)
        except DomainError as e:
            raise CommandError(f"{e.code}: {e.message}") from None
        self.stdout.write(f"租户 {slug} 状态已变更为 {status}。")
