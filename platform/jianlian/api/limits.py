"""Limits on what one GraphQL document may ask for: depth, cost, aliases and mutations.

One function, `check_limits`, serves HTTP and WebSocket alike. Cost is estimated from the
document and its variables before execution, Saleor-style: every object field costs 1 (or what
`COST_MAP` says), and a list multiplies the cost of what is selected under it by its `first`
argument (or `DEFAULT_LIST_SIZE` when the list is not paginated). Introspection is free.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _
from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
    Visitor,
    get_named_type,
    value_from_ast,
    visit,
)
from graphql.language.visitor import BREAK

DEFAULT_LIST_SIZE = 20
PAGE_SIZE_CAP = 100
# "Type.field" → base cost, for fields far dearer than a row fetch.
COST_MAP: dict[str, int] = {
    "Query.auditRecords": 5,
}


@dataclass
class Limits:
    max_depth: int
    max_cost: int
    max_aliases: int
    max_mutations: int

    @classmethod
    def from_settings(cls) -> "Limits":
        return cls(settings.GRAPHQL_MAX_DEPTH, settings.GRAPHQL_MAX_COST, settings.GRAPHQL_MAX_ALIASES,
                   settings.GRAPHQL_MAX_MUTATIONS)


def _error(code: str, message: str) -> GraphQLError:
    return GraphQLError(message, extensions={"code": code})


def _is_list(type_) -> bool:
    if isinstance(type_, GraphQLNonNull):
        type_ = type_.of_type
    return isinstance(type_, GraphQLList)


class _Walker:
    def __init__(self, schema: GraphQLSchema, document: DocumentNode, variables: dict | None):
        self.schema = schema
        self.variables = variables or {}
        self.fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
        self.aliases = 0
        self.negative_page = False

    def _first(self, node: FieldNode, field_def) -> int | None:
        for arg in node.arguments or ():
            if arg.name.value == "first" and "first" in field_def.args:
                value = value_from_ast(arg.value, field_def.args["first"].type, self.variables)
                if isinstance(value, int):
                    self.negative_page = self.negative_page or value < 0
                    return max(0, min(value, PAGE_SIZE_CAP))
        if "first" in field_def.args:
            default = field_def.args["first"].default_value
            return default if isinstance(default, int) else PAGE_SIZE_CAP
        return None

    def walk(self, selection_set, parent_type, depth: int, seen: frozenset = frozenset()) -> tuple[int, int]:
        """(cost, max depth) of a selection set under `parent_type`."""
        cost, deepest = 0, depth
        if selection_set is None:
            return 0, depth
        for sel in selection_set.selections:
            if isinstance(sel, FieldNode):
                name = sel.name.value
                if name.startswith("__"):
                    continue
                if sel.alias:
                    self.aliases += 1
                fields = getattr(parent_type, "fields", {})
                field_def = fields.get(name)
                if field_def is None:
                    continue  # validation reports unknown fields
                child_type = get_named_type(field_def.type)
                if sel.selection_set is None:
                    continue  # scalars are free
                child_cost, child_depth = self.walk(sel.selection_set, child_type, depth + 1, seen)
                first = self._first(sel, field_def)
                in_connection = parent_type.name.endswith("Connection") or parent_type.name.endswith("Edge")
                if first is not None:
                    multiplier = first
                elif _is_list(field_def.type) and not in_connection:
                    multiplier = DEFAULT_LIST_SIZE
                else:
                    multiplier = 1
                # Connection and edge wrappers are free; each row (`node`) and object costs 1.
                default_base = 1 if (not in_connection or name == "node") else 0
                base = COST_MAP.get(f"{parent_type.name}.{name}", default_base)
                cost += base + multiplier * child_cost
                deepest = max(deepest, child_depth)
            elif isinstance(sel, InlineFragmentNode):
                t = self.schema.get_type(sel.type_condition.name.value) if sel.type_condition else parent_type
                c, d = self.walk(sel.selection_set, t, depth, seen)
                cost, deepest = cost + c, max(deepest, d)
            elif isinstance(sel, FragmentSpreadNode):
                name = sel.name.value
                frag = self.fragments.get(name)
                if frag is None or name in seen:
                    continue  # validation reports unknown or cyclic fragments
                t = self.schema.get_type(frag.type_condition.name.value)
                c, d = self.walk(frag.selection_set, t, depth, seen | {name})
                cost, deepest = cost + c, max(deepest, d)
        return cost, deepest


_BAD_CHARACTERS = re.compile("[\x00\ud800-\udfff]")


def _bad_characters_error() -> GraphQLError:
    return _error("INVALID_CHARACTERS", _("输入含有不允许的字符（NUL 或不成对的 Unicode 代理字符），请删除后重试。"))


def _has_bad_characters(value) -> bool:
    if isinstance(value, str):
        return _BAD_CHARACTERS.search(value) is not None
    if isinstance(value, dict):
        return any(_has_bad_characters(k) or _has_bad_characters(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_bad_characters(v) for v in value)
    return False


def bad_characters(values) -> GraphQLError | None:
    """Strings no column can hold (PostgreSQL refuses NUL; UTF-8 cannot carry a lone surrogate)
    are refused for the whole operation before anything runs: every String and ID argument, in
    variables or in the document's literals (see `literal_errors`), in one place."""
    if _has_bad_characters(values):
        return _bad_characters_error()
    return None


def literal_errors(document: DocumentNode) -> list[GraphQLError]:
    """The document's string literals checked like variables (cached with the parsed document)."""
    found = []

    class _Literals(Visitor):
        def enter_string_value(self, node, *args):
            if _BAD_CHARACTERS.search(node.value):
                found.append(node)
                return BREAK
            return None

    visit(document, _Literals())
    return [_bad_characters_error()] if found else []


def _operation(document: DocumentNode, operation_name: str | None) -> OperationDefinitionNode | None:
    ops = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if operation_name:
        return next((o for o in ops if o.name and o.name.value == operation_name), None)
    return ops[0] if len(ops) == 1 else None


def check_limits(
    schema: GraphQLSchema, document: DocumentNode, variables: dict | None, operation_name: str | None,
    limits: Limits | None = None,
) -> tuple[int, list[GraphQLError]]:
    """Estimate the operation's cost and check every limit. Returns (cost, errors)."""
    limits = limits or Limits.from_settings()
    op = _operation(document, operation_name)
    if op is None:
        return 0, []  # validation reports a missing or ambiguous operation
    root = {OperationType.QUERY: schema.query_type, OperationType.MUTATION: schema.mutation_type,
            OperationType.SUBSCRIPTION: schema.subscription_type}[op.operation]
    walker = _Walker(schema, document, variables)
    cost, depth = walker.walk(op.selection_set, root, 0) if isinstance(root, GraphQLObjectType) else (0, 0)
    errors = []
    bad = bad_characters(variables)
    if bad is not None:
        errors.append(bad)
    if walker.negative_page:
        errors.append(_error("INVALID_PAGINATION", _("first 不能为负数。")))
    if depth > limits.max_depth:
        errors.append(_error("QUERY_TOO_DEEP", _("查询嵌套过深（%(depth)s 层），最多 %(max)s 层。") % {"depth": depth, "max": limits.max_depth}))
    if cost > limits.max_cost:
        errors.append(_error("QUERY_TOO_COSTLY", _("查询代价过高（%(cost)s），上限为 %(max)s。请减少分页条数或字段。") % {"cost": cost, "max": limits.max_cost}))
    if walker.aliases > limits.max_aliases:
        errors.append(_error("TOO_MANY_ALIASES", _("别名过多（%(n)s 个），最多 %(max)s 个。") % {"n": walker.aliases, "max": limits.max_aliases}))
    if op.operation == OperationType.MUTATION:
        count = sum(1 for s in op.selection_set.selections if isinstance(s, FieldNode) and not s.name.value.startswith("__"))
        if count > limits.max_mutations:
            errors.append(_error("TOO_MANY_MUTATIONS", _("一次请求最多执行 %(max)s 个变更，本次有 %(n)s 个。") % {"n": count, "max": limits.max_mutations}))
    return cost, errors
