from __future__ import annotations

import json

from jianlian.identity.services import issue_token


def token_for(user) -> str:
    return issue_token(user, "test")[1]


def gql(client, query: str, variables: dict | None = None, *, user=None, path: str = "/graphql/", **headers):
    """POST a GraphQL document the way a frontend does; returns (status, body)."""
    if user is not None:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {token_for(user)}"
    response = client.post(path, data=json.dumps({"query": query, "variables": variables or {}}),
                           content_type="application/json", **headers)
    return response.status_code, response.json()


def error_code(body: dict) -> str | None:
    errors = body.get("errors") or []
    return errors[0].get("extensions", {}).get("code") if errors else None
