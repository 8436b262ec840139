"""`manage.py org_import SLUG FILE.xlsx`: import departments and staff into a tenant from the template."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from jianlian.core.errors import DomainError


class Command(BaseCommand):
    help = "从 Excel 模板导入某租户的科室与人员（按工号更新，可重复执行）。"

    def add_arguments(self, parser):
        parser.add_argument("slug", help="租户标识。")
        parser.add_argument("file", help="由模板填写的 .xlsx 文件。")
        parser.add_argument("--mode", choices=("all_or_nothing", "valid_only"), default="all_or_nothing",
                            help="all_or_nothing：有错误则全部不导入（默认）；valid_only：只导入正确的行。")
        parser.add_argument("--dry-run", action="store_true", help="只校验并预览，不写入。")

    def handle(self, slug, file, mode, dry_run, **options):
        from jianlian.org import importer
        from jianlian.org.management.commands._common import print_report, tenant_by_slug
        from tenants.context import tenant_context

        tenant = tenant_by_slug(slug)
        try:
            data = Path(file).read_bytes()
        except OSError as e:
            raise CommandError(f"无法读取文件：{e}") from None
        try:
            with tenant_context(tenant):
                report = importer.import_workbook(
                    None, data, mode=mode, dry_run=dry_run,
                    progress=lambda done, total, message: self.stderr.write(f"\r{message} {done}/{total}", ending=""))
        except DomainError as e:
            raise CommandError(str(e.message)) from None
        self.stderr.write("")
        print_report(self.stdout, report.as_dict())
