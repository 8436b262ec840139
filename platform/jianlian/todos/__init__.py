"""The platform to-do centre: one list per person, fed by every module.

Modules call `create_todo`, `complete_todo`, `update_todo`, `remove_todo` and `reassign_todo`
from their actions (see services.py for the contract); the GraphQL layer reads `items` and
`counts`.
"""


def __getattr__(name):  # the contract, importable as `from jianlian import todos; todos.create_todo(...)`
    from importlib import import_module

    services = import_module("jianlian.todos.services")
    if name in ("create_todo", "complete_todo", "update_todo", "remove_todo", "reassign_todo", "counts", "items"):
        return getattr(services, name)
    raise AttributeError(name)
