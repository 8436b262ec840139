"""Formulas over data elements: a small, safe expression language (never `eval`).

    #{code}            the data element's total (all its disaggregation options)
    #{code.option}     one option of a disaggregated element, e.g. #{visits.emergency}
    #{code@level}      only what units of that level reported (member, lead, hospital), e.g.
                       #{visits@member} for the primary-care units' visits
    [days]             the number of days in the period (for rules such as bed-days)
    numbers, + - * /, unary minus and parentheses

DHIS2 writes its formulas the same way. The text is parsed with Python's `ast` into a tree that
is then checked against a whitelist of node types and evaluated by the walker below; no code
from the formula is ever executed. Division by zero evaluates to None (no value), as does a
formula all of whose elements have no data.
"""

from __future__ import annotations

import ast
import operator
import re
from dataclasses import dataclass

REF_RE = re.compile(r"#\{([a-z][a-z0-9_.]*)(?:@([a-z]+))?\}")
DAYS = "[days]"
MAX_LENGTH = 1000
LEVELS = ("member", "lead", "hospital")

_BINARY = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv}
_UNARY = {ast.USub: operator.neg, ast.UAdd: operator.pos}


class FormulaError(ValueError):
    """The formula cannot be parsed; `args[0]` says why (in English, for logs and tests)."""


@dataclass(frozen=True)
class Ref:
    element: str
    option: str = ""  # "" means the element's total
    level: str = ""  # "" means units of every level


@dataclass(frozen=True)
class Formula:
    text: str
    tree: ast.AST
    refs: dict[str, Ref]  # placeholder name -> reference

    @property
    def elements(self) -> set[str]:
        return {r.element for r in self.refs.values()}

    def evaluate(self, lookup, days: int = 30):
        """The formula's value, with `lookup(ref) -> number | None` giving each reference's
        value. None when a division by zero occurs or when no referenced element has data."""
        values = {name: lookup(ref) for name, ref in self.refs.items()}
        if values and all(v is None for v in values.values()):
            return None
        values = {k: (0.0 if v is None else float(v)) for k, v in values.items()}
        values["_days"] = float(days)
        try:
            return _eval(self.tree, values)
        except ZeroDivisionError:
            return None


def parse(text: str, known=None) -> Formula:
    """Parse `text`. `known(element, option) -> str | None` may return an error message for a
    reference that does not exist. Raises FormulaError."""
    text = (text or "").strip()
    if not text:
        raise FormulaError("empty formula")
    if len(text) > MAX_LENGTH:
        raise FormulaError("formula too long")
    refs: dict[str, Ref] = {}
    by_ref: dict[Ref, str] = {}

    def placeholder(match):
        code, level = match.group(1), match.group(2) or ""
        if level and level not in LEVELS:
            raise FormulaError(f"unknown level @{level}: use one of {', '.join(LEVELS)}")
        # Element codes may contain dots themselves (referrals.up): `code.option` is read as an
        # option of `code` only when the catalogue knows `code` and not the whole text.
        ref = Ref(code, "", level)
        if known is not None and "." in code and known(code, "") is not None:
            whole, _sep, last = code.rpartition(".")
            if known(whole, last) is None:
                ref = Ref(whole, last, level)
        if ref not in by_ref:
            name = f"_v{len(refs)}"
            by_ref[ref] = name
            refs[name] = ref
        return f" {by_ref[ref]} "

    source = REF_RE.sub(placeholder, text).replace(DAYS, " _days ").strip()
    if "#" in source or "{" in source or "[" in source:
        raise FormulaError("malformed reference: write #{element_code} or #{element_code.option}")
    try:
        tree = ast.parse(source, mode="eval")
    except SyntaxError as exc:
        raise FormulaError(f"syntax error: {exc.msg}") from None
    _check(tree.body, set(refs) | {"_days"})
    if known is not None:
        for ref in refs.values():
            problem = known(ref.element, ref.option)
            if problem:
                raise FormulaError(problem)
    return Formula(text, tree.body, refs)


def _check(node, names: set[str]) -> None:
    if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
        _check(node.left, names)
        _check(node.right, names)
    elif isinstance(node, ast.UnaryOp) and type(node.op) in _UNARY:
        _check(node.operand, names)
    elif isinstance(node, ast.Constant) and type(node.value) in (int, float):
        pass
    elif isinstance(node, ast.Name) and node.id in names:
        pass
    else:
        raise FormulaError(f"not allowed in a formula: {type(node).__name__}")


def _eval(node, values: dict[str, float]) -> float:
    if isinstance(node, ast.BinOp):
        return _BINARY[type(node.op)](_eval(node.left, values), _eval(node.right, values))
    if isinstance(node, ast.UnaryOp):
        return _UNARY[type(node.op)](_eval(node.operand, values))
    if isinstance(node, ast.Constant):
        return float(node.value)
    return values[node.id]
