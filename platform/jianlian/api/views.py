from django.conf import settings
from graphene_django.views import GraphQLView


class JianlianGraphQLView(GraphQLView):
    """The one GraphQL endpoint, on the province console and on every tenant. GraphiQL only
    when DEBUG."""


graphql_view = JianlianGraphQLView.as_view(graphiql=settings.DEBUG)
