"""The root schema: the union of the platform domains' roots and every module's (read from the
modules' manifests; a module's fields answer APP_NOT_INSTALLED where it is not installed)."""

import graphene

from jianlian.api import scalars

scalars.install()  # before any type is built: zone-less times are the hospital's

from jianlian.api.execution import settle_ok_fields
from jianlian.access import schema as access
from jianlian.audit import schema as audit
from jianlian.hierarchy import schema as hierarchy
from jianlian.identity import schema as identity
from jianlian.marketplace import schema as marketplace
from jianlian.marketplace import viewer
from jianlian.org import mutations as org_mutations, schema as org
from jianlian.org import secondment_schema as org_secondments
from jianlian.api.node import resolve_node
from jianlian.marketplace.composition import gate_module_fields, module_roots
from jianlian.notifications import schema as notifications
from jianlian.realtime import schema as realtime
from jianlian.todos import schema as todos
from tenants import schema as tenants

def _node_field():
    """`node(id:)`: common checks, then each type's `access_node` decides what the caller may see."""
    from jianlian.api.base import describe
    from jianlian.api.permissions import PER_OBJECT

    # one access check for every Node type (jianlian.api.node); refusals look like missing objects
    field = graphene.Field(graphene.relay.Node, id=graphene.ID(required=True, description="The ID of the object"),
                           resolver=resolve_node, description=describe("按全局ID取对象。", PER_OBJECT))
    field.permissions = PER_OBJECT
    return field


Query = type("Query", (identity.Query, access.Query, hierarchy.Query, tenants.Query, audit.Query, notifications.Query,
                       org.Query, org_secondments.Query, todos.Query, marketplace.Query, viewer.Query,
                       *module_roots("Query"), graphene.ObjectType), {
    "__doc__": "Everything that can be read. Lists are cursor connections (see graphql/README.md).",
    "__module__": __name__,
    "node": _node_field(),
})

Mutation = type("Mutation", (identity.Mutation, access.Mutation, hierarchy.Mutation, tenants.Mutation, notifications.Mutation,
                             org_mutations.Mutation, org_secondments.Mutation, todos.Mutation, marketplace.Mutation,
                             *module_roots("Mutation"), graphene.ObjectType), {
    "__doc__": "Every change. Each takes one `input` and returns its object and `errors`.",
    "__module__": __name__,
})

Subscription = type("Subscription", (notifications.Subscription, audit.Subscription, realtime.Subscription,
                                     todos.Subscription, marketplace.Subscription, *module_roots("Subscription"), graphene.ObjectType), {
    "__doc__": "Live events over WebSocket (graphql-transport-ws), each filtered by the subscriber's permissions.",
    "__module__": __name__,
})

schema = graphene.Schema(query=Query, mutation=Mutation, subscription=Subscription)
GATED_FIELDS = gate_module_fields(schema)
settle_ok_fields(schema)
