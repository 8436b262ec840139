"""What the approvals engine calls when a union condolence request's approval ends (see modules/approvals/hooks.py)."""


def approval_finished(ref: str, *, status: str, instance_id: int, number: str, actor_id=None) -> None:
    from modules.union.condolences import approval_finished as finished

    finished(ref, status=status, actor_id=actor_id)
