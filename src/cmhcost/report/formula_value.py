"""The value of a workbook formula, worked out as it is written, so the file caches it.

A reader without a spreadsheet engine (openpyxl's `data_only`, pandas) sees the cached value of
each formula cell; XlsxWriter writes 0 unless told. The pilot workbook's formulas use a small
part of Excel's language, parsed here: numbers, absolute references ('Sheet'!$B$3) and ranges of
them, + - * / ^ (unary minus binds tighter than ^, as in Excel), = < > comparisons, and the
functions SUM, MIN, MAX, IF, AND and INT. Decimal arithmetic, like the rest of cmhcost.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from decimal import Decimal

TOKEN = re.compile(
    r"\s*(?:(?P<ref>'[^']+'!\$[A-Z]+\$\d+)|(?P<num>\d+(?:\.\d+)?(?:E[+-]?\d+)?)"
    r"|(?P<name>[A-Z]+)\(|(?P<op><=|>=|<>|[-+*/^(),:=<>]))"
)
Lookup = Callable[[str], Decimal]
FUNCTIONS: Mapping[str, Callable[[list[Decimal]], Decimal]] = {
    "SUM": lambda a: sum(a, Decimal(0)),
    "MIN": min,
    "MAX": max,
    "AND": lambda a: Decimal(all(a)),
    "INT": lambda a: Decimal(int(a[0] // 1)),
}


def _tokens(formula: str) -> list[tuple[str, str]]:
    found, at = [], 0
    text = formula.lstrip("=")
    while at < len(text):
        match = TOKEN.match(text, at)
        if match is None or match.end() == at:
            raise ValueError(f"cannot read the formula at {text[at:]!r}")
        kind = match.lastgroup
        assert kind is not None
        found.append((kind, match.group(kind)))
        at = match.end()
    return found


class _Parser:
    def __init__(self, formula: str, lookup: Lookup) -> None:
        self.tokens, self.at, self.lookup = _tokens(formula), 0, lookup

    def peek(self) -> str | None:
        return self.tokens[self.at][1] if self.at < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        self.at += 1
        return self.tokens[self.at - 1]

    def expression(self) -> Decimal:
        left = self.additive()
        while self.peek() in ("=", "<", ">", "<=", ">=", "<>"):
            op, right = self.take()[1], self.additive()
            left = Decimal(_compare(op, left, right))
        return left

    def additive(self) -> Decimal:
        value = self.term()
        while self.peek() in ("+", "-"):
            op = self.take()[1]
            value = value + self.term() if op == "+" else value - self.term()
        return value

    def term(self) -> Decimal:
        value = self.power()
        while self.peek() in ("*", "/"):
            op = self.take()[1]
            value = value * self.power() if op == "*" else value / self.power()
        return value

    def power(self) -> Decimal:
        value = self.unary()
        while self.peek() == "^":
            self.take()
            value = value ** self.unary()
        return value

    def unary(self) -> Decimal:
        if self.peek() == "-":
            self.take()
            return -self.unary()
        return self.primary()

    def primary(self) -> Decimal:
        kind, text = self.take()
        if kind == "num":
            return Decimal(text)
        if kind == "ref":
            return self.lookup(text)
        if kind == "name":
            return self.call(text)
        if text == "(":
            value = self.expression()
            self.take()  # ")"
            return value
        raise ValueError(f"unexpected {text!r} in a formula")

    def call(self, name: str) -> Decimal:
        args: list[Decimal] = []
        if name == "IF":
            test = self.expression()
            self.take()
            yes = self.expression()
            self.take()
            no = self.expression()
            self.take()
            return yes if test else no
        while True:
            if (
                self.tokens[self.at][0] == "ref"
                and self.at + 1 < len(self.tokens)
                and self.tokens[self.at + 1][1] == ":"
            ):
                first, _, last = self.take()[1], self.take(), self.take()[1]
                args += _range(first, last, self.lookup)
            else:
                args.append(self.expression())
            if self.take()[1] == ")":
                return FUNCTIONS[name](args)


def _compare(op: str, left: Decimal, right: Decimal) -> bool:
    return {
        "=": left == right, "<": left < right, ">": left > right,
        "<=": left <= right, ">=": left >= right, "<>": left != right,
    }[op]  # fmt: skip


def _range(first: str, last: str, lookup: Lookup) -> list[Decimal]:
    """The cells of a one-column range, top to bottom."""
    sheet, _, start = first.rpartition("!")
    column, row = start.strip("$").split("$")
    end = int(last.rpartition("$")[2])
    return [lookup(f"{sheet}!${column}${n}") for n in range(int(row), end + 1)]


def value_of(formula: str, lookup: Lookup) -> Decimal:
    """The value of `formula`, its references read with `lookup`."""
    return _Parser(formula, lookup).expression()
