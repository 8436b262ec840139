from django.core.management.base import BaseCommand, CommandError

from jianlian.core.errors import DomainError


class Command(BaseCommand):
    help = "为医共体牵头单位或独立医院开通租户（创建模式并初始化默认角色）。"

    def add_arguments(self, parser):
        parser.add_argument("--unit", type=int, required=True, help="组织单元ID")
        parser.add_argument("--slug", required=True, help="租户标识（子域名、路径）")
        parser.add_argument("--name", default="")
        parser.add_argument("--method", choices=["clone", "migrate"], default=None)

    def handle(self, *args, unit, slug, name, method, **options):
        from jianlian.hierarchy.models import OrgUnit
        from tenants.provisioning import create_tenant

        node = OrgUnit.objects.filter(pk=unit).first()
        if node is None:
            raise CommandError(f"NOT_FOUND: 组织单元 {unit} 不存在。")
        try:
            tenant = create_tenant(None, node, slug, name=name, method=method)
        except DomainError as e:
            raise CommandError("; ".join(f"{p['code']}: {p['message']}" for p in e.as_dicts())) from None
        self.stdout.write(f"已开通租户 {tenant.slug}（模式 {tenant.schema_name}）。")
