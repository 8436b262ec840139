import graphene


class Query(graphene.ObjectType):
    approvals_ping = graphene.Boolean(description="占位。")
