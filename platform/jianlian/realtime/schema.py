import graphene

from jianlian.realtime import events
from jianlian.realtime.subscriptions import listen, require_socket_user

JOB_PROGRESS = "job.progress"


def job_group(task_id: str, schema: str | None = None) -> str:
    return f"{events._schema(schema)}.job.{task_id}"


class JobProgress(graphene.ObjectType):
    """Progress of a long background job (an import, a report)."""

    task_id = graphene.String(required=True, description="任务ID。")
    done = graphene.Int(required=True, description="已完成数量。")
    total = graphene.Int(description="总数；未知时为空。")
    message = graphene.String(required=True, description="进度说明。")


class Subscription(graphene.ObjectType):
    job_progress = graphene.Field(
        JobProgress, required=True, task_id=graphene.String(required=True, description="启动任务时返回的任务ID。"),
        description="后台任务的实时进度（本租户内）。",
    )

    @staticmethod
    def subscribe_job_progress(root, info, task_id):
        require_socket_user(info)
        schema = info.context.tenant.schema_name if info.context.tenant else "public"
        return listen(info, groups=[job_group(task_id, schema)], names={JOB_PROGRESS}, build=_job_progress)


def _job_progress(p: dict) -> JobProgress:
    return JobProgress(task_id=p["taskId"], done=p["done"], total=p.get("total"), message=p.get("message", ""))
