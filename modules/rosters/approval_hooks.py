"""What the approvals engine calls when a roster swap's approval ends (see modules/approvals/hooks.py)."""


def approval_finished(ref: str, *, status: str, instance_id: int, number: str, actor_id=None) -> None:
    from modules.rosters.swaps import approval_finished as finished

    finished(int(ref), status=status)
