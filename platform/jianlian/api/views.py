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
from django.utils.translation import gettext as _
from graphene_django.views import GraphQLView, HttpError
from graphql import ExecutionResult, GraphQLError, OperationType, get_operation_ast, parse, validate
from graphql.error import GraphQLSyntaxError

from jianlian.api import persisted
from jianlian.api.execution import ExecutionContext
from jianlian.api.limits import Limits, check_limits

logger = logging.getLogger("jianlian.graphql")


@lru_cache(maxsize=512)
def _parse_and_validate(schema, query: str):
    """Parsed document and validation errors, cached by the document's text."""
    try:
        document = parse(query)
    except GraphQLSyntaxError as e:
        return None, [GraphQLError(e.message, extensions={"code": "GRAPHQL_PARSE_FAILED"})]
    errors = validate(schema, document)
    for e in errors:
        e.extensions = {**(e.extensions or {}), "code": "GRAPHQL_VALIDATION_FAILED"}
    return document, errors


def parse_and_validate(schema, query: str):
    return _parse_and_validate(schema, query)


class JianlianGraphQLView(GraphQLView):
    graphiql = True
    execution_context_class = ExecutionContext

    def can_display_graphiql(self, request, data):
        # Decided per request so that production (DEBUG off) never serves the IDE.
        return settings.DEBUG and super().can_display_graphiql(request, data)

    def get_response(self, request, data, show_graphiql=False):
        try:
            query = persisted.resolve(data)
        except GraphQLError as e:
            return self.json_encode(request, {"errors": [self.format_error(e)]}), 400
        data = {**data, "query": query}
        query, variables, operation_name, _id = self.get_graphql_params(request, data)
        request.graphql_cost = None
        result = self.execute_graphql_request(request, data, query, variables, operation_name, show_graphiql)
        if result is None:
            return None, 200
        response, status = {}, 200
        if result.errors:
            response["errors"] = [self.format_error(e) for e in result.errors]
            if any(not getattr(e, "path", None) for e in result.errors):
                status = 400
        if status == 200:
            response["data"] = result.data
        if request.graphql_cost is not None:
            limits = Limits.from_settings()
            response["extensions"] = {"cost": {"requestedQueryCost": request.graphql_cost, "maximumAvailable": limits.max_cost}}
        return self.json_encode(request, response, pretty=show_graphiql), status

    def execute_graphql_request(self, request, data, query, variables, operation_name, show_graphiql=False):
        if not query:
            if show_graphiql:
                return None
            return ExecutionResult(errors=[GraphQLError(_("请求中没有 GraphQL 查询。"), extensions={"code": "GRAPHQL_PARSE_FAILED"})])
        schema = self.schema.graphql_schema
        document, errors = parse_and_validate(schema, query)
        if errors:
            return ExecutionResult(errors=list(errors))
        operation_ast = get_operation_ast(document, operation_name)
        if operation_ast is None:
            return ExecutionResult(errors=[GraphQLError(_("找不到要执行的操作，请指定 operationName。"), extensions={"code": "GRAPHQL_VALIDATION_FAILED"})])
        if request.method.lower() == "get" and operation_ast.operation != OperationType.QUERY:
            raise HttpError(self._not_allowed(operation_ast))
        if operation_ast.operation == OperationType.SUBSCRIPTION:
            return ExecutionResult(errors=[GraphQLError(_("订阅请通过 WebSocket（graphql-transport-ws）进行。"), extensions={"code": "GRAPHQL_VALIDATION_FAILED"})])
        cost, limit_errors = check_limits(schema, document, variables, operation_name)
        request.graphql_cost = cost
        if limit_errors:
            return ExecutionResult(errors=limit_errors)
        options = {
            "root_value": self.get_root_value(request),
            "context_value": self.get_context(request),
            "variable_values": variables,
            "operation_name": operation_name,
            "middleware": self.get_middleware(request),
            "execution_context_class": self.execution_context_class,
        }
        from graphql import execute

        try:
            if operation_ast.operation == OperationType.MUTATION:
                # All mutations of a request commit together; a top-level error undoes them all.
                # Business errors are payload data and commit what the action chose to record
                # (a failed sign-in's audit record, a wrong activation code's counter).
                with transaction.atomic():
                    result = execute(schema, document, **options)
                    if result.errors:
                        transaction.set_rollback(True)
                    return result
            return execute(schema, document, **options)
        except Exception as e:  # pragma: no cover - execute reports resolver errors itself
            logger.exception("graphql execution failed")
            return ExecutionResult(errors=[e])

    @staticmethod
    def _not_allowed(operation_ast):
        from django.http import HttpResponseNotAllowed

        return HttpResponseNotAllowed(["POST"], f"Can only perform a {operation_ast.operation.value} operation from a POST request.")

    @staticmethod
    def format_error(error):
        """Every error carries `extensions.code`; unexpected ones hide their details outside DEBUG."""
        if isinstance(error, GraphQLError):
            formatted = error.formatted
            original = error.original_error
            code = (error.extensions or {}).get("code")
            from jianlian.core.errors import DomainError

            if isinstance(original, DomainError):  # raised by an action inside a query resolver
                formatted["message"] = str(original.message)
                code = original.code
            elif original is not None and not isinstance(original, GraphQLError) and code is None:
                logger.error("unexpected error in resolver", exc_info=original)
                _capture(original)
                if not settings.DEBUG:
                    formatted["message"] = _("服务器内部错误，已通知运维人员。请稍后重试。")
                code = "INTERNAL_ERROR"
            formatted.setdefault("extensions", {})["code"] = code or "GRAPHQL_VALIDATION_FAILED"
            return formatted
        _capture(error)
        return {"message": _("服务器内部错误，已通知运维人员。请稍后重试。") if not settings.DEBUG else str(error),
                "extensions": {"code": "INTERNAL_ERROR"}}


def _capture(error) -> None:
    if settings.SENTRY_DSN:
        import sentry_sdk

        sentry_sdk.capture_exception(error)


graphql_view = JianlianGraphQLView.as_view()
