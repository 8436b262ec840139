"""`manage.py org_sync SLUG FILE.json`: bring a tenant's organisation in line with an HR export."""

from django.core.management.base import BaseCommand, CommandError

from jianlian.core.errors import DomainError


class Command(BaseCommand):
    help = "按外部通讯录（HR 系统导出的 JSON 文件）同步某租户的科室与人员，可重复执行，并报告改动。"

    def add_arguments(self, parser):
        parser.add_argument("slug", help="租户标识。")
        parser.add_argument("file", help="外部通讯录 JSON 文件（格式见 jianlian.org.directory）。")
        parser.add_argument("--dry-run", action="store_true", help="只预览将要发生的改动。")

    def handle(self, slug, file, dry_run, **options):
        from jianlian.org.directory import FileDirectoryAdapter, sync
        from jianlian.org.management.commands._common import print_report, tenant_by_slug
        from tenants.context import tenant_context

        tenant = tenant_by_slug(slug)
        try:
            with tenant_context(tenant):
                report = sync(None, FileDirectoryAdapter(file), dry_run=dry_run)
        except DomainError as e:
            raise CommandError(str(e.message)) from None
        print_report(self.stdout, report)
