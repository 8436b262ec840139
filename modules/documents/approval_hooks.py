"""What the approvals engine calls when a 发文's approval ends (see modules/approvals/hooks.py)."""


def approval_finished(ref: str, *, status: str, instance_id: int, number: str, actor_id=None) -> None:
    from modules.documents.outgoing import approval_finished as finished

    finished(int(ref), status=status, actor_id=actor_id)
