from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "校验审计日志哈希链（公共模式及每个租户），指出第一条被篡改的记录。"

    def add_arguments(self, parser):
        parser.add_argument("--schema", action="append", help="只校验指定模式（可重复）")

    def handle(self, *args, schema=None, **options):
        from django_tenants.utils import schema_context

        from jianlian.audit.service import verify_chain
        from tenants.models import Tenant

        schemas = schema or ["public", *Tenant.objects.order_by("pk").values_list("schema_name", flat=True)]
        bad = 0
        for name in schemas:
            with schema_context(name):
                result = verify_chain()
            if result.ok:
                self.stdout.write(f"{name}: 正常，共 {result.checked} 条")
            else:
                bad += 1
                self.stdout.write(f"{name}: 第 {result.first_bad_seq} 条记录异常（{result.problem}），之前 {result.checked} 条正常")
        if bad:
            raise SystemExit(1)
