"""The workbench badge: this person's approval tasks waiting (from the to-do centre's list)."""


def pending_for(user) -> int:
    from jianlian.todos.services import counts_by_source

    return counts_by_source(user.pk, "approvals")
