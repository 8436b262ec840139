"""`manage.py seed_demo`: the demo province (see jianlian.demo.seed). Never in production."""

from django.core.management.base import BaseCommand, CommandError

from jianlian.core.errors import DomainError


class Command(BaseCommand):
    help = (
        "生成演示省份（浙江）：五级组织、医共体与医院租户、人员，以及各内置角色的演示账号。"
        "可重复运行：已有的数据不会重复生成。生产环境拒绝执行。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale", choices=("demo", "full"), default="demo",
            help="demo：2 个市、5 个县（默认，数秒完成）；full：11 个市、90 个县、18 家省级医院、30 万人员。",
        )
        parser.add_argument("--staff", type=int, metavar="N", help="人员总数（覆盖所选规模的默认值）。")
        parser.add_argument("--if-empty", action="store_true", help="仅当还没有任何组织单元时生成（make run 每次启动时使用）。")
        parser.add_argument("--print-accounts", action="store_true", help="只打印演示账号和租户地址，不生成数据。")

    def handle(self, *args, scale="demo", staff=None, if_empty=False, print_accounts=False, **options):
        from jianlian.demo import seed, sheet
        from jianlian.hierarchy.models import OrgUnit

        try:
            seed.ensure_not_production()
            if print_accounts:
                sheet.print_accounts(self.stdout)
                return
            if if_empty and OrgUnit.objects.exists():
                self.stdout.write("已有组织数据，跳过演示数据生成。")
                return
            result = seed.seed_province(scale, staff, stdout=self.stdout)
        except DomainError as e:
            raise CommandError(str(e.message)) from None

        counts = (
            f"{result['cities']} 个市、{result['counties']} 个县（市、区）、{result['communities']} 个医共体、"
            f"{result['hospitals']} 家独立医院、{result['tenants']} 个租户、{result['staff']} 名人员"
        )
        if not any(result["created"].values()):
            self.stdout.write(f"演示数据已是最新，未做任何更改（现有 {counts}）。")
        else:
            self.stdout.write(self.style.SUCCESS(f"演示数据已生成：{counts}，用时 {result['seconds']} 秒。"))
            self.stdout.write("运行 manage.py seed_demo --print-accounts 查看演示账号。")
