"""Where the tenants live on a Citus cluster: every tenant table distributed, tenants spread."""

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "报告每个租户模式的表是否都已分布式存放，以及租户分布在哪些工作节点（Citus）。"

    def handle(self, *args, **options):
        from tenants import citus

        if not citus.is_citus():
            self.stdout.write("数据库不是 Citus 协调节点，无需分片 (not a Citus coordinator).")
            return
        rows = citus.tenant_placement()
        for r in rows:
            self.stdout.write(f"{r['schema']}: {r['distributed']}/{r['tables']} 张表已分布式，节点 {', '.join(r['nodes']) or '—'}")
        problems = citus.placement_problems(rows)
        workers = sorted({n for r in rows for n in r["nodes"]})
        self.stdout.write(f"租户模式 {len(rows)} 个（含模板），分布在 {len(workers)} 个工作节点：{', '.join(workers)}")
        if problems:
            raise CommandError("; ".join(problems))
