"""The strict YAML reader: values built from libyaml's events, every problem at its line and path."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from cmhcost.loading.yamldoc import MAX_ALIAS_VALUES, MAX_DEPTH, Issue, YamlDocument, read_yaml

DATA = Path(__file__).resolve().parents[2] / "data"


def issues(doc: YamlDocument) -> list[tuple[int, tuple[int | str, ...], str]]:
    return [(i.line, i.path, i.message) for i in doc.issues]


def streamed(text: str) -> tuple[YamlDocument, list[tuple[int, Any, list[Issue]]]]:
    """The document read with its `services` list handed over item by item, and the items."""
    taken: list[tuple[int, Any, list[Issue]]] = []
    doc = read_yaml(text, stream=("services", lambda i, v, found: taken.append((i, v, found))))
    return doc, taken


def test_an_alias_of_a_mapping_inside_a_streamed_item_is_a_fresh_copy() -> None:
    doc, taken = streamed("services:\n  - base: &b {x: 1, y: [2]}\n    again: *b\n")
    item = taken[0][1]
    assert item == {"base": {"x": 1, "y": [2]}, "again": {"x": 1, "y": [2]}}
    assert item["again"] is not item["base"] and item["again"]["y"] is not item["base"]["y"]
    assert doc.data == {"services": []} and doc.issues == []


def test_an_anchor_of_one_streamed_item_serves_a_later_one_with_its_problems() -> None:
    text = "services:\n  - id: a\n    terms: &t {rate: 012}\n  - id: b\n    terms: *t\n"
    doc, taken = streamed(text)
    octal = "012 has a leading zero, which YAML 1.1 reads as an octal number (10); drop the zero"
    # The problem is where it was written (line 3), at the path of each item that holds it.
    assert [(i, v, [(p.line, p.path) for p in found]) for i, v, found in taken] == [
        (0, {"id": "a", "terms": {"rate": None}}, [(3, ("services", 0, "terms", "rate"))]),
        (1, {"id": "b", "terms": {"rate": None}}, [(3, ("services", 1, "terms", "rate"))]),
    ]
    assert all(found[0].message.startswith(octal) for _, _, found in taken)
    assert doc.issues == []


def test_a_duplicate_key_inside_a_streamed_item_goes_to_that_item() -> None:
    doc, taken = streamed("version: 1\nservices:\n  - id: a\n  - id: b\n    id: c\n")
    assert taken[1][1] == {"id": "b"}
    assert [(p.line, p.path, p.message) for p in taken[1][2]] == [
        (5, ("services", 1, "id"), "duplicate key 'id' (first at line 4)")
    ]
    assert taken[0][2] == [] and doc.data == {"version": 1, "services": []}


def nested(levels: int) -> str:
    """A flow list `levels` deep: the innermost list is at level `levels` under its key."""
    return "[" * levels + "]" * levels


@pytest.mark.parametrize("inside", [False, True])
def test_the_depth_limit_holds_inside_and_outside_the_streamed_list(inside: bool) -> None:
    # Under `services:` an item is at level 2, so its lists start one level further down than
    # under a top-level key (level 1).
    prefix, offset, line = ("services:\n  - ", 1, 3) if inside else ("notes: ", 0, 2)
    at_limit = f"version: 1\n{prefix}{nested(MAX_DEPTH - offset)}\n"
    doc, _ = streamed(at_limit)
    assert doc.issues == []
    beyond = f"version: 1\n{prefix}{nested(MAX_DEPTH - offset + 1)}\n"
    doc, _ = streamed(beyond)
    assert issues(doc) == [
        (line, (), f"nested deeper than {MAX_DEPTH} levels; cmhcost's files need far fewer")
    ]
    assert doc.data is None


def test_an_alias_that_nests_too_deep_is_refused_at_the_alias() -> None:
    deep = nested(MAX_DEPTH)  # its innermost list at level 32 under `a`: allowed there
    doc = read_yaml(f"a: &x {deep}\nb:\n  c: *x\n")
    assert issues(doc) == [(3, (), "nested deeper than 32 levels; cmhcost's files need far fewer")]
    assert read_yaml(f"a: &x {deep}\nb: *x\n").issues == []


@pytest.mark.parametrize(
    ("text", "value", "message"),
    [
        ("a: !!str 5\n", "5", None),  # the standard tags name what a plain scalar is anyway
        ("a: !!int '7'\n", 7, None),
        ("a: ! 6\n", 6, None),
        ("a: !!int x\n", None, "unsupported YAML tag '!!int'; write plain values"),
        ("a: !!bool x\n", None, "unsupported YAML tag '!!bool'; write plain values"),
        ("a: !!timestamp x\n", None, "unsupported YAML tag '!!timestamp'; write plain values"),
        ("a: !!binary aGk=\n", None, "unsupported YAML tag '!!binary'; write plain values"),
        ("a: !local x\n", None, "unsupported YAML tag '!local'; write plain values"),
        ("a: !!set {b: 1, b: 2}\n", None, "unsupported YAML tag '!!set'; write plain values"),
    ],
)
def test_a_tagged_value_is_read_or_refused_never_a_traceback(
    text: str, value: Any, message: str | None
) -> None:
    doc = read_yaml(text)
    assert doc.data == {"a": value}
    assert issues(doc) == ([(1, ("a",), message)] if message else [])


def test_a_merge_key_is_refused_and_the_rest_of_the_mapping_read() -> None:
    doc = read_yaml("base: &b {x: 1}\nfull:\n  <<: *b\n  y: 2\n")
    assert doc.data == {"base": {"x": 1}, "full": {"y": 2}}
    assert issues(doc) == [(3, ("full",), "merge keys (<<) are not supported; write the keys out")]


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("a: *nowhere\n", 1, "YAML syntax: found undefined alias 'nowhere'"),
        ("a: &x 1\nb: &x 2\n", 2, "YAML syntax: second occurrence"),
        ("a: &x [1, *x]\n", 1, f"aliases expand to more than {MAX_ALIAS_VALUES:,} values"),
        ("a: &x {b: *x}\n", 1, f"aliases expand to more than {MAX_ALIAS_VALUES:,} values"),
        ("a: 1\n---\nb: 2\n", 2, "the file holds more than one YAML document"),
        ("# nothing\n", 1, "the file is empty"),
        ("a: 1\nb: \x07\n", 2, "column 4: a control character (U+0007) is not allowed in YAML"),
        ("a: [1,\nb: 2\n", 3, "YAML syntax: did not find expected ',' or ']'"),
    ],
)
@pytest.mark.parametrize("stream", [False, True])
def test_a_file_that_cannot_be_read_is_one_problem_at_its_line(
    text: str, line: int, message: str, stream: bool
) -> None:
    doc = streamed(text)[0] if stream else read_yaml(text)
    assert doc.data is None
    assert [(i.line, i.path) for i in doc.issues] == [(line, ())]
    assert doc.issues[0].message.startswith(message)


def test_an_alias_bomb_is_refused_at_the_alias_that_exceeds_the_budget() -> None:
    # Each row repeats the one before ten times: &a holds 11 values, &b 111, &c 1 111, &d 11 111.
    # The aliases of rows b, c and d add 110 + 1 110 + 11 110 = 12 330 values; on line 5 the
    # eighth *d brings that to 12 330 + 8 * 11 111 = 101 218, past the budget of 100 000.
    rows = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    rows += [
        f"{n}: &{n} [{', '.join([f'*{p}'] * 10)}]" for p, n in zip("abcde", "bcdef", strict=True)
    ]
    doc = read_yaml("\n".join(rows) + "\n")
    assert issues(doc) == [
        (5, (), f"aliases expand to more than {MAX_ALIAS_VALUES:,} values; refusing to read")
    ]


def test_keys_that_are_not_plain_words_are_skipped_with_their_values() -> None:
    text = "k: &k 012\n*k : 1\n? [a, 0x1]\n: 2\nyes: {b: 012}\nok: 3\n"
    doc = read_yaml(text)
    assert doc.data == {"k": None, "ok": 3}
    octal = "012 has a leading zero, which YAML 1.1 reads as an octal number (10); drop the zero or"
    octal += " quote it"
    assert issues(doc) == [
        (1, ("k",), octal),
        (1, (), octal),  # the aliased key, where its text is
        (3, (), "a key must be a plain word, not 'a collection'"),
        (
            5,
            (),
            """a key must be a plain word, not 'yes' (YAML reads yes as a boolean; write "yes" in quotes)""",
        ),
    ]


def test_the_shipped_files_are_read_without_nodes_or_pyyaml_resolver(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a node or PyYAML's resolver was used")

    monkeypatch.setattr(yaml.nodes.Node, "__init__", refuse)
    monkeypatch.setattr(yaml.resolver.BaseResolver, "resolve", refuse)
    services = (DATA / "services.yaml").read_text(encoding="utf-8")
    doc, taken = streamed(services)
    assert doc.issues == [] and taken and all(not found for _, _, found in taken)
    assert read_yaml((DATA / "exchange_rates.yaml").read_text(encoding="utf-8")).issues == []


def test_a_line_is_found_by_composing_the_text_only_when_asked() -> None:
    doc = read_yaml("a:\n  b: 1\n  c:\n    - x\n    - y\n")
    assert doc.line_of(("a", "c", 1)) == 5 and doc.lines_of(("a", "c")) == (4, 5)
    assert doc.scalar_text(("a", "b")) == "1"


words = st.text(st.characters(exclude_categories=("Cs",)), max_size=10)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**20), 10**20),
    st.floats(allow_nan=False, allow_infinity=False),
    words,
    st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31)),
)
plain_data = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(words, inner, max_size=4),
    max_leaves=25,
)


def exact(value: Any) -> Any:
    """What cmhcost reads where PyYAML reads a float: the exact decimal the file writes."""
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, list):
        return [exact(item) for item in value]
    if isinstance(value, dict):
        return {key: exact(item) for key, item in value.items()}
    return value


@settings(max_examples=200, deadline=None)
@given(plain_data, plain_data)
def test_plain_documents_read_as_pyyaml_reads_them_under_the_scalar_rules(
    item: Any, other: Any
) -> None:
    # `item` written twice is shared: PyYAML's writer gives it an anchor and an alias.
    document = {"version": 1, "notes": [item, other], "services": [item, other, item]}
    text = yaml.safe_dump(document, allow_unicode=True)
    expected = exact(yaml.load(text, Loader=yaml.CSafeLoader))
    doc = read_yaml(text)
    assert doc.issues == [] and doc.data == expected
    doc, taken = streamed(text)
    assert doc.issues == [] and doc.data == {**expected, "services": []}
    assert [(i, v) for i, v, found in taken if not found] == list(enumerate(expected["services"]))


def test_a_repeated_top_level_list_is_one_problem_and_not_read_again() -> None:
    doc, taken = streamed("services:\n  - {}\nservices:\n  - 012\n")
    assert [(i, v) for i, v, _ in taken] == [(0, {})]
    assert issues(doc) == [(3, ("services",), "duplicate key 'services' (first at line 1)")]
