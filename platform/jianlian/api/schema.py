"""The root schema: the union of the platform domains' (and, later, each module's) roots."""

import graphene

from jianlian.audit import schema as audit
from jianlian.hierarchy import schema as hierarchy
from jianlian.identity import schema as identity
from jianlian.notifications import schema as notifications
from jianlian.org import schema as org
from jianlian.realtime import schema as realtime
from tenants import schema as tenants


class Query(identity.Query, hierarchy.Query, tenants.Query, audit.Query, notifications.Query, org.Query, graphene.ObjectType):
    """Everything that can be read. Lists are cursor connections (see graphql/README.md)."""

    node = graphene.relay.Node.Field(description="按全局ID取对象。")


class Mutation(identity.Mutation, hierarchy.Mutation, tenants.Mutation, notifications.Mutation, org.Mutation, graphene.ObjectType):
    """Every change. Each takes one `input` and returns its object and `errors`."""


class Subscription(notifications.Subscription, audit.Subscription, realtime.Subscription, graphene.ObjectType):
    """Live events over WebSocket (graphql-transport-ws), each filtered by the subscriber's permissions."""


schema = graphene.Schema(query=Query, mutation=Mutation, subscription=Subscription)
