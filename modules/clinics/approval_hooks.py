"""What the approvals engine calls when a 停诊/替诊 approval ends (see modules/approvals/hooks.py)."""


def approval_finished(ref: str, *, status: str, instance_id: int, number: str, actor_id=None) -> None:
    from modules.clinics.changes import approval_finished as finished

    finished(int(ref), status=status)
