from django.conf import settings
from graphene_django.views import GraphQLView


class JianlianGraphQLView(GraphQLView):
    """The one GraphQL endpoint, on the province console and on every tenant."""

    graphiql = True

    def can_display_graphiql(self, request, data):
        # Decided per request so that production (DEBUG off) never serves the IDE.
        return settings.DEBUG and super().can_display_graphiql(request, data)


graphql_view = JianlianGraphQLView.as_view()
