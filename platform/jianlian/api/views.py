"""The one GraphQL endpoint, on the province console and on every tenant.

On top of graphene-django's view: persisted documents, a cache of parsed and validated
documents, the depth/cost/alias/mutation limits (cost reported in `extensions.cost`),
DataLoader-friendly execution, error codes on every error, and GraphiQL only when DEBUG.
"""

from __future__ import annotations

import logging
from functools import lru_cache

from django.conf import settings
from django.db import transaction
from django.http import HttpResponse, HttpResponseNotAllowed
from django.middleware.csrf import get_token
from django.utils.translation import gettext as _
from graphene_django.settings import graphene_settings
from graphene_django.views import GraphQLView, HttpError
from graphql import (
    ExecutionResult,
    GraphQLError,
    NoSchemaIntrospectionCustomRule,
    OperationType,
    execute,
    get_operation_ast,
    parse,
    specified_rules,
    validate,
)
from graphql.error import GraphQLSyntaxError

from jianlian.api import persisted
from jianlian.audit import service as audit
from jianlian.api.errors import format_error
from jianlian.api.execution import ExecutionContext
from jianlian.api.http import GRAPHQL_RESPONSE, JSON, RequestError, enforce_csrf, parse_request, response_media_type
from jianlian.api.limits import Limits, check_limits, literal_errors

# GraphiQL (DEBUG only) loads its scripts from a CDN and starts them inline.
GRAPHIQL_CSP = ("default-src 'self'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
                "style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; img-src 'self' data:; "
                "connect-src 'self'; frame-ancestors 'none'")

logger = logging.getLogger("jianlian.graphql")


@lru_cache(maxsize=512)
def _parse_and_validate(schema, query: str, introspection: bool = True):
    """Parsed document and validation errors, cached by the document's text."""
    try:
        document = parse(query)
    except GraphQLSyntaxError as e:
        return None, [GraphQLError(e.message, extensions={"code": "GRAPHQL_PARSE_FAILED"})]
    rules = None if introspection else (*specified_rules, NoSchemaIntrospectionCustomRule)
    errors = validate(schema, document, rules)
    for e in errors:
        code = "INTROSPECTION_DISABLED" if "introspection" in e.message.lower() else "GRAPHQL_VALIDATION_FAILED"
        e.extensions = {**(e.extensions or {}), "code": code}
        if code == "INTROSPECTION_DISABLED":
            e.message = _("匿名调用不能查询接口结构（introspection），请先登录。")
    return document, (errors or literal_errors(document))


def parse_and_validate(schema, query: str, user=None):
    """The parsed document and its errors; introspection is refused to anonymous callers when
    GRAPHQL_INTROSPECTION is "authenticated" (production's default)."""
    introspection = settings.GRAPHQL_INTROSPECTION == "always" or bool(user is not None and user.is_authenticated)
    return _parse_and_validate(schema, query, introspection)


class JianlianGraphQLView(GraphQLView):
    graphiql = True
    execution_context_class = ExecutionContext

    def can_display_graphiql(self, request, data):
        # Decided per request so that production (DEBUG off) never serves the IDE.
        return settings.DEBUG and request.method == "GET" and super().can_display_graphiql(request, data)

    def dispatch(self, request, *args, **kwargs):
        """GraphQL over HTTP: GET (queries only) and POST (JSON, one operation or a bounded batch)."""
        media_type = response_media_type(request)
        try:
            if request.method not in ("GET", "POST"):
                raise HttpError(HttpResponseNotAllowed(["GET", "POST"], _("GraphQL 只接受 GET 和 POST 请求。")))
            if request.method == "POST":
                enforce_csrf(request)
            data = parse_request(request)
            if isinstance(data, dict) and self.can_display_graphiql(request, data):
                get_token(request)  # GraphiQL posts with the CSRF cookie's token
                response = self.render_graphiql(request, **self._graphiql_options())
                response["Content-Security-Policy"] = GRAPHIQL_CSP
                return response
            if isinstance(data, list):
                answers = [self.get_response(request, entry, media_type=media_type) for entry in data]
                content = "[" + ",".join(body for body, _status in answers) + "]"
                status = 200 if any(s == 200 for _b, s in answers) else max(s for _b, s in answers)
            else:
                content, status = self.get_response(request, data, media_type=media_type)
        except RequestError as e:
            content, status = self.json_encode(request, e.as_body()), e.status
        except HttpError as e:
            response = e.response
            response["Content-Type"] = JSON
            response.content = self.json_encode(request, {"errors": [
                {"message": e.message or response.content.decode(), "extensions": {"code": "BAD_REQUEST"}}]})
            return response
        if request.method == "GET":
            get_token(request)  # sets the csrftoken cookie that session clients send back
        return HttpResponse(status=status, content=content, content_type=f"{media_type}; charset=utf-8")

    def _graphiql_options(self) -> dict:
        return {name: getattr(self, name) for name in (
            "whatwg_fetch_version", "whatwg_fetch_sri", "react_version", "react_sri", "react_dom_sri",
            "graphiql_version", "graphiql_sri", "graphiql_css_sri", "subscriptions_transport_ws_version",
            "subscriptions_transport_ws_sri", "graphiql_plugin_explorer_version", "graphiql_plugin_explorer_sri",
            "graphiql_plugin_explorer_css_sri", "subscription_path")} | {
            "graphiql_header_editor_enabled": graphene_settings.GRAPHIQL_HEADER_EDITOR_ENABLED,
            "graphiql_should_persist_headers": graphene_settings.GRAPHIQL_SHOULD_PERSIST_HEADERS,
            "graphiql_input_value_deprecation": graphene_settings.GRAPHIQL_INPUT_VALUE_DEPRECATION,
        }

    def get_response(self, request, data, show_graphiql=False, media_type=JSON):
        """(encoded body, status) of one operation. With `application/json` every well-formed
        request answers 200, errors included; with `application/graphql-response+json` a
        document that could not run (parse, validation, limits) answers 400."""
        try:
            query, register_hash = persisted.lookup(data)
        except GraphQLError as e:
            return self.json_encode(request, {"errors": [self.format_error(e)]}), 200 if media_type == JSON else 400
        if not query:
            raise RequestError("BAD_REQUEST", _("请求中没有 GraphQL 查询。"))
        variables, operation_name = data.get("variables"), data.get("operationName")
        request.graphql_cost = None
        result, ran = self.execute_graphql_request(request, data, query, variables, operation_name)
        if ran and register_hash:
            persisted.register(register_hash, query)
        response, status = {}, 200
        if result.errors:
            response["errors"] = [self.format_error(e) for e in result.errors]
        if ran:
            response["data"] = result.data
        elif media_type == GRAPHQL_RESPONSE:
            status = 400
        if request.graphql_cost is not None:
            limits = Limits.from_settings()
            response["extensions"] = {"cost": {"requestedQueryCost": request.graphql_cost, "maximumAvailable": limits.max_cost}}
        return self.json_encode(request, response), status

    def execute_graphql_request(self, request, data, query, variables, operation_name, show_graphiql=False):
        """(result, whether execution started): a document that does not parse, validate or fit
        the limits never runs."""
        schema = self.schema.graphql_schema
        document, errors = parse_and_validate(schema, query, request.user)
        if errors:
            return ExecutionResult(errors=list(errors)), False
        operation_ast = get_operation_ast(document, operation_name)
        if operation_ast is None:
            return ExecutionResult(errors=[GraphQLError(_("找不到要执行的操作，请指定 operationName。"), extensions={"code": "GRAPHQL_VALIDATION_FAILED"})]), False
        if request.method.lower() == "get" and operation_ast.operation != OperationType.QUERY:
            raise HttpError(self._not_allowed(operation_ast))
        if operation_ast.operation == OperationType.SUBSCRIPTION:
            return ExecutionResult(errors=[GraphQLError(_("订阅请通过 WebSocket（graphql-transport-ws）进行。"), extensions={"code": "GRAPHQL_VALIDATION_FAILED"})]), False
        cost, limit_errors = check_limits(schema, document, variables, operation_name)
        request.graphql_cost = cost
        if limit_errors:
            return ExecutionResult(errors=limit_errors), False
        options = {
            "root_value": self.get_root_value(request),
            "context_value": self.get_context(request),
            "variable_values": variables,
            "operation_name": operation_name,
            "middleware": self.get_middleware(request),
            "execution_context_class": self.execution_context_class,
        }
        try:
            if operation_ast.operation == OperationType.MUTATION:
                # All mutations of a request commit together; a top-level error undoes them all.
                # Business errors are payload data and commit what the action chose to record
                # (a failed sign-in's audit record, a wrong activation code's counter).
                # Audit records are appended last (audit.written_last): the chain's lock is then
                # held for the commit only, not while the answer is read and serialised.
                with transaction.atomic():
                    with audit.written_last():
                        result = execute(schema, document, **options)
                    if result.errors:
                        transaction.set_rollback(True)
                    return result, True
            return execute(schema, document, **options), True
        except Exception as e:  # pragma: no cover - execute reports resolver errors itself
            logger.exception("graphql execution failed")
            return ExecutionResult(errors=[e]), True

    @staticmethod
    def _not_allowed(operation_ast):
        return HttpResponseNotAllowed(["POST"], f"Can only perform a {operation_ast.operation.value} operation from a POST request.")

    format_error = staticmethod(format_error)


graphql_view = JianlianGraphQLView.as_view()
