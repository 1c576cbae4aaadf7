"""Which plain YAML scalars cmhcost accepts, and what each becomes.

Text, decimal integers, exact `Decimal`s for numbers with a point, true/false, null and real dates.
YAML 1.1 octal, hexadecimal, binary and base-60 numbers, merge keys and every other tag are refused
with a message that says what YAML would have made of them.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

import yaml

TAG = "tag:yaml.org,2002:"
_PLAIN_INT = re.compile(r"^[-+]?(0|[1-9][0-9_]*)$")
_YAML11_BOOLS = frozenset({"y", "n", "yes", "no", "on", "off"})
_IMPLICIT = yaml.resolver.Resolver.yaml_implicit_resolvers


class _Text:
    """A scalar's text where PyYAML's constructors expect a node: they read only its value."""

    __slots__ = ("value",)

    def __init__(self, value: str) -> None:
        self.value = value


class _Constructor(yaml.constructor.SafeConstructor):
    """PyYAML's own scalar constructors, given the text rather than a composed node."""

    def construct_scalar(self, node: Any) -> Any:
        return node.value


_constructor = _Constructor()


class Refused(Exception):
    """A value the rules refuse; the message says why."""


def plain_tag(text: str) -> str:
    """The tag YAML 1.1 gives an untagged plain scalar, by PyYAML's table of implicit tags."""
    for tag, regexp in _IMPLICIT.get(text[:1], []) + _IMPLICIT.get(None, []):
        if regexp.match(text):
            return str(tag)
    return TAG + "str"


def scalar(tag: str, text: str) -> Any:
    """A scalar of `tag` as Python: str, int, exact Decimal, bool, None or a date; else Refused."""
    try:
        return _constructed(tag, text)
    except (ValueError, KeyError, AttributeError):  # a tag written out over text it does not fit
        raise Refused(unsupported(tag)) from None


def _constructed(tag: str, text: str) -> Any:
    if tag == TAG + "str":
        return text
    node: Any = _Text(text)  # typed as the node PyYAML's constructors expect
    if tag == TAG + "int":
        return _integer(node)
    if tag == TAG + "float":
        return _float(node)
    if tag == TAG + "bool":
        return _constructor.construct_yaml_bool(node)
    if tag == TAG + "null":
        return None
    if tag == TAG + "timestamp":
        try:
            return _constructor.construct_yaml_timestamp(node)
        except ValueError as exc:
            raise Refused(
                f"{text} is not a real date ({exc}); write it in quotes if it is text"
            ) from None
    if tag == TAG + "merge":
        raise Refused("merge keys (<<) are not supported; write the keys out")
    raise Refused(unsupported(tag))


def _integer(node: Any) -> int:
    text = node.value
    if _PLAIN_INT.match(text):
        return int(text.replace("_", ""))
    value = _constructor.construct_yaml_int(node)
    digits = text.lstrip("+-")
    if ":" in text:
        kind = "a base-60 number"
    elif digits[:2] in ("0x", "0b"):
        kind = "a hexadecimal number" if digits[1] == "x" else "a binary number"
    else:
        raise Refused(
            f"{text} has a leading zero, which YAML 1.1 reads as an octal number ({value}); "
            "drop the zero or quote it"
        )
    raise Refused(
        f"{text} is {kind} in YAML 1.1 ({value}); write {value}, or quote it if it is text"
    )


def _float(node: Any) -> Decimal | float:
    text = node.value
    if ":" in text:
        value = _constructor.construct_yaml_float(node)
        raise Refused(
            f"{text} is a base-60 number in YAML 1.1 ({value}); write {value}, or quote it if it is text"
        )
    try:
        return Decimal(text.replace("_", ""))
    except InvalidOperation:
        return float(
            _constructor.construct_yaml_float(node)
        )  # .inf and .nan, refused by the models


def unsupported(tag: str) -> str:
    name = tag.replace(TAG, "!!")
    return f"unsupported YAML tag {name!r}; write plain values"


_TIMESTAMP = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}([Tt ]|$)")


def yaml_hint(text: str | None) -> str:
    """A hint for a plain word that YAML 1.1 reads as a boolean (NO, yes, off) or as a date."""
    if text is None:
        return ""
    if text.lower() in _YAML11_BOOLS:
        return f' (YAML reads {text} as a boolean; write "{text}" in quotes)'
    if _TIMESTAMP.match(text):
        return f' (YAML reads {text} as a date; write "{text}" in quotes)'
    return ""
