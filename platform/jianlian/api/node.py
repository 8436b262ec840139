"""`node(id:)`: one access check for every type that implements `Node`.

The root `node` field resolves through `resolve_node`, and every model type's `get_node`
(`jianlian.api.types.ModelType`) through `access_node` below, which first checks what is common
to all types and then calls the type's own `access_node(info, viewer, pk)` — the object if the
viewer may see it, else None (or a DomainError / GraphQLError). A type without one resolves
nothing: access is denied by default.

Common to all types, answered as "not found":
- an anonymous caller (nothing is readable by ID without signing in);
- a tenant the viewer may not work in now (suspended, archived, not a member), and an external
  app's token outside the tenant that installed it;
- a module's type in a tenant (or on the console) where that module is not installed.

Every refusal is `node: null` with no error, exactly like an ID that does not exist, so `node`
never tells a caller whether an object exists.
"""

from __future__ import annotations

import logging

from graphql import GraphQLError

from jianlian.core.errors import DomainError

logger = logging.getLogger("jianlian.graphql")


def resolve_node(root, info, id):
    """The root `node(id:)` field."""
    from graphql_relay import from_global_id

    try:
        type_name, pk = from_global_id(id or "")
        pk = int(pk)
    except Exception:  # any malformed ID (empty, not base64, not type:int) is simply not found
        return None
    graphql_type = info.schema.get_type(type_name)
    graphene_type = getattr(graphql_type, "graphene_type", None)
    if graphene_type is None or not _is_node_type(graphene_type):
        return None
    return graphene_type.get_node(info, pk)


def _is_node_type(graphene_type) -> bool:
    from graphene import relay

    interfaces = getattr(getattr(graphene_type, "_meta", None), "interfaces", ()) or ()
    return any(isinstance(i, type) and issubclass(i, relay.Node) for i in interfaces)


def access_node(graphene_type, info, pk):
    """The object of `graphene_type` with primary key `pk` if the caller may see it, else None."""
    viewer = getattr(info.context, "user", None)
    if viewer is None or not viewer.is_authenticated:
        return None
    tenant = getattr(info.context, "tenant", None)
    if not _may_work_here(viewer, tenant):
        return None
    module_key = _module_of(graphene_type)
    if module_key is not None and not _installed(info.context, module_key):
        return None
    access = getattr(graphene_type, "access_node", None)
    if access is None:
        return None
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    try:
        return access(info, viewer, pk)
    except (DomainError, GraphQLError):
        return None


def _may_work_here(viewer, tenant) -> bool:
    if getattr(viewer, "is_app", False):
        return tenant is not None and tenant.pk == viewer.tenant_id
    if tenant is None:
        return True
    from jianlian.identity.services import tenant_refusal

    return tenant_refusal(viewer, tenant) is None


def _module_of(graphene_type) -> str | None:
    from jianlian.marketplace import manifest as manifests

    where = graphene_type.__module__ or ""
    for m in manifests.registry().values():
        if where == m.app_name or where.startswith(m.app_name + "."):
            return m.key
    return None


def _installed(context, key: str) -> bool:
    from jianlian.marketplace.composition import _installed as installed

    return getattr(context, "tenant", None) is not None and installed(context, key)
