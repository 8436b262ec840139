"""GraphQL of supervision online — the module's roots, composed from `api/`: the read fields
(`api/queries.py` with the approval and dashboard pages' `api/pages.py`), the mutations of
definitions and values (`api/mutations.py`) and of the report's lifecycle (`api/reports.py`), and
the live events (`api/subscriptions.py`). Types are in `api/types.py` and `api/page_types.py`.

Supervisors work on the province console (no tenant): the read fields and the approval and
definition mutations are listed in the manifest's `console_fields`, so they are open there and
check their own permissions; in a tenant they are gated by the installation as usual.
"""

import graphene

from modules.supervision.api import mutations, reports
from modules.supervision.api.queries import Query  # noqa: F401 — a root the manifest's `graphql` names
from modules.supervision.api.subscriptions import Subscription  # noqa: F401 — likewise


class Mutation(reports.ReportMutation, mutations.Mutation, graphene.ObjectType):
    pass
