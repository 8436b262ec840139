"""Supervision's GraphQL: types (`types.py`, `page_types.py`), the read fields (`queries.py`, and
`pages.py` for the workbench's approval and dashboard pages), the mutations (`mutations.py`, and
`reports.py` for the report's lifecycle) and the live events (`subscriptions.py`). The module's
roots are composed in `modules/supervision/schema.py`, which the manifest names. Resolvers are
thin: each calls a read or an action of the app and shapes its answer."""
