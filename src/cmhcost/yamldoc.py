"""Safe, strict YAML reading that remembers where every value came from.

PyYAML builds the node graph (with libyaml's C parser when it is installed); this module turns the
nodes into plain Python itself, so that it can refuse what PyYAML would accept in silence: duplicate
keys, YAML 1.1 octal numbers, unknown tags and alias bombs. Floats become exact `Decimal`s.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

import yaml
from yaml.composer import Composer

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_BYTES = 512 * 1024 * 1024
MAX_EXPANDED_NODES = 50_000_000

_TAG = "tag:yaml.org,2002:"
_OCTAL_LOOKING = re.compile(r"^[-+]?0[0-9_]+$")
_YAML11_BOOLS = frozenset({"y", "n", "yes", "no", "on", "off"})
_constructor = yaml.constructor.SafeConstructor()

Loc = Sequence[int | str]


@dataclass(frozen=True)
class Issue:
    """A problem found while reading YAML, at a 1-based line, with the path it belongs to."""

    line: int
    path: tuple[int | str, ...]
    message: str


class YamlDocument:
    """Plain Python data read from YAML, able to locate any path in it.

    The node graph that knows lines is built only when a line is asked for (a problem to report),
    so that a large valid file costs no more memory than its data.
    """

    def __init__(
        self, data: Any, text: str, root: yaml.Node | None = None, issues: list[Issue] | None = None
    ) -> None:
        self.data = data
        self.issues = issues or []
        self._text: str | None = text
        self._root = root

    @property
    def root(self) -> yaml.Node | None:
        """The node graph, composed on first use."""
        if self._root is None and self._text is not None:
            self._root = yaml.compose(self._text, Loader=_Loader)
            self._text = None
        return self._root

    def line_of(self, loc: Loc) -> int:
        """The line of the deepest node that `loc` reaches (1 when there is none)."""
        root = self.root
        return _deepest(root, loc)[0].start_mark.line + 1 if root else 1

    def scalar_text(self, loc: Loc) -> str | None:
        """The raw text of the scalar at `loc`, when `loc` reaches exactly a scalar."""
        root = self.root
        node, reached = _deepest(root, loc) if root else (None, False)
        return node.value if reached and isinstance(node, yaml.ScalarNode) else None


def _deepest(node: yaml.Node | None, loc: Loc) -> tuple[yaml.Node, bool]:
    assert node is not None
    for step in loc:
        child = _child(node, step)
        if child is None:
            return node, False
        node = child
    return node, True


def _child(node: yaml.Node, step: int | str) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if key.value == step:
                return value  # type: ignore[no-any-return]
        return None
    if isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value):
        return node.value[step]  # type: ignore[no-any-return]
    return None


class _NeedsCareful(Exception):
    """The fast reader met something the careful reader must explain."""


class _FastLoader(_Loader):
    """libyaml's safe loader, strict: duplicate keys and octal-looking numbers stop it."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        if any(key.tag == _TAG + "merge" for key, _ in node.value):
            raise _NeedsCareful
        mapping = super().construct_mapping(node, deep=deep)
        if len(mapping) != len(node.value):
            raise _NeedsCareful  # a duplicate key
        return mapping

    def construct_yaml_float(self, node: yaml.ScalarNode) -> Any:
        try:
            return Decimal(node.value.replace("_", ""))
        except InvalidOperation:
            return super().construct_yaml_float(node)

    def construct_yaml_int(self, node: yaml.ScalarNode) -> Any:
        if _OCTAL_LOOKING.match(node.value):
            raise _NeedsCareful
        return super().construct_yaml_int(node)


_FastLoader.add_constructor(_TAG + "float", _FastLoader.construct_yaml_float)
_FastLoader.add_constructor(_TAG + "int", _FastLoader.construct_yaml_int)
_FastLoader.add_constructor(_TAG + "map", _FastLoader.construct_yaml_map)  # type: ignore[type-var]


class NeedsCareful(Exception):
    """Streaming met something (an alias, a syntax error, a duplicate key) to read carefully."""


class _StreamLoader(_FastLoader, Composer):
    """libyaml's events, composed one list item at a time so that a large file never stands whole."""


def stream_items(text: str, key: str, take: Callable[[int, Any], None]) -> dict[Any, Any]:
    """Read a top-level mapping, handing each item of the list under `key` to `take` as it is read.

    Returns the other top-level values (and `key` mapped to an empty list). Raises NeedsCareful on
    anything the careful reader must explain.
    """
    if "*" in text:
        raise NeedsCareful
    loader = _StreamLoader(text)
    loader.anchors = {}
    top: dict[Any, Any] = {}
    try:
        with _gc_paused():
            _expect(loader, yaml.StreamStartEvent, yaml.DocumentStartEvent, yaml.MappingStartEvent)
            while not loader.check_event(yaml.MappingEndEvent):
                name = _next_value(loader)
                if name in top or not isinstance(name, str):
                    raise NeedsCareful
                if name == key and loader.check_event(yaml.SequenceStartEvent):
                    loader.get_event()
                    index = 0
                    while not loader.check_event(yaml.SequenceEndEvent):
                        take(index, _next_value(loader))
                        index += 1
                    loader.get_event()
                    top[name] = []
                else:
                    top[name] = _next_value(loader)
            _expect(loader, yaml.MappingEndEvent, yaml.DocumentEndEvent, yaml.StreamEndEvent)
    except (yaml.YAMLError, _NeedsCareful, ValueError, TypeError):
        raise NeedsCareful from None
    finally:
        loader.dispose()
    if key not in top:
        raise NeedsCareful
    return top


def _next_value(loader: _StreamLoader) -> Any:
    """Compose and construct the next value of the event stream (None: composed as a root)."""
    return loader.construct_document(loader.compose_node(None, None))  # type: ignore[arg-type]


def _expect(loader: _StreamLoader, *events: type[yaml.Event]) -> None:
    for event in events:
        if not loader.check_event(event):
            raise NeedsCareful
        loader.get_event()


def read_yaml(text: str) -> YamlDocument:
    """Parse one YAML document strictly: quickly when it is clean, carefully when it is not."""
    if "*" not in text:  # no alias, so no alias bomb: libyaml may build the data directly
        try:
            with _gc_paused():
                data = yaml.load(text, Loader=_FastLoader)
        except (yaml.YAMLError, _NeedsCareful, ValueError, TypeError):
            pass
        else:
            if data is not None:
                return YamlDocument(data, text)
    return _read_carefully(text)


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector: it rescans the growing tree of acyclic data otherwise."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _read_carefully(text: str) -> YamlDocument:
    """Build the node graph, check it and turn it into data, noting every problem with its line."""
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        return YamlDocument(None, text, None, [Issue(line, (), f"YAML syntax: {exc.problem}")])
    except yaml.YAMLError as exc:
        return YamlDocument(None, text, None, [Issue(1, (), f"YAML: {exc}")])
    if root is None:
        return YamlDocument(None, text, None, [Issue(1, (), "the file is empty")])
    expanded = _expanded_size(root, {})
    if expanded > MAX_EXPANDED_NODES:
        message = f"aliases expand to more than {MAX_EXPANDED_NODES:,} values; refusing to read"
        return YamlDocument(None, text, root, [Issue(1, (), message)])
    issues: list[Issue] = []
    with _gc_paused():
        data = _to_python(root, (), issues)
    return YamlDocument(data, text, root, issues)


def _expanded_size(node: yaml.Node, memo: dict[int, int]) -> int:
    """How many values the graph holds once every alias is expanded (without expanding it)."""
    known = memo.get(id(node))
    if known is not None:
        return known
    memo[id(node)] = MAX_EXPANDED_NODES + 1  # a cycle counts as too large
    if isinstance(node, yaml.MappingNode):
        children: Iterator[yaml.Node] = (n for pair in node.value for n in pair)
    elif isinstance(node, yaml.SequenceNode):
        children = iter(node.value)
    else:
        children = iter(())
    total = 1
    for child in children:
        total += _expanded_size(child, memo)
        if total > MAX_EXPANDED_NODES:
            break
    memo[id(node)] = total
    return total


def _to_python(node: yaml.Node, path: tuple[int | str, ...], issues: list[Issue]) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return _scalar(node, path, issues)
    if node.tag not in (_TAG + "map", _TAG + "seq"):
        return _unsupported(node, path, issues)
    if isinstance(node, yaml.MappingNode):
        return _mapping(node, path, issues)
    return [_to_python(item, (*path, i), issues) for i, item in enumerate(node.value)]


def _unsupported(node: yaml.Node, path: tuple[int | str, ...], issues: list[Issue]) -> None:
    line = node.start_mark.line + 1
    issues.append(Issue(line, path, f"unsupported YAML tag {node.tag!r}; write plain values"))


def _mapping(node: yaml.MappingNode, path: tuple[int | str, ...], issues: list[Issue]) -> Any:
    result: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        key = _scalar(key_node, path, issues) if isinstance(key_node, yaml.ScalarNode) else None
        line = key_node.start_mark.line + 1
        if not isinstance(key, (str, int)) or isinstance(key, bool):
            text = key_node.value if isinstance(key_node, yaml.ScalarNode) else "a collection"
            issues.append(Issue(line, path, f"a key must be a plain word, not {text!r}"))
            continue
        if key in result:
            first = next(k for k, _ in node.value if k.value == key_node.value)
            where = f"line {first.start_mark.line + 1}"
            issues.append(Issue(line, (*path, key), f"duplicate key {key!r} (first at {where})"))
            continue
        result[key] = _to_python(value_node, (*path, key), issues)
    return result


def _scalar(node: yaml.ScalarNode, path: tuple[int | str, ...], issues: list[Issue]) -> Any:
    tag, text = node.tag, node.value
    line = node.start_mark.line + 1
    if tag == _TAG + "str":
        return text
    if tag == _TAG + "float":
        try:
            return Decimal(text.replace("_", ""))
        except InvalidOperation:
            return float(_constructor.construct_yaml_float(node))  # .inf and .nan
    if tag == _TAG + "int":
        if _OCTAL_LOOKING.match(text):
            message = (
                f"{text} has a leading zero, which YAML 1.1 reads as an octal number "
                f"({_constructor.construct_yaml_int(node)}); drop the zero or quote it"
            )
            issues.append(Issue(line, path, message))
        return _constructor.construct_yaml_int(node)
    if tag == _TAG + "bool":
        return _constructor.construct_yaml_bool(node)
    if tag == _TAG + "null":
        return None
    if tag == _TAG + "timestamp":
        return _constructor.construct_yaml_timestamp(node)
    return _unsupported(node, path, issues)


def bool_hint(text: str | None) -> str:
    """A hint for a YAML 1.1 word (NO, yes, off) that was read as true or false."""
    if text is not None and text.lower() in _YAML11_BOOLS:
        return f' (YAML reads {text} as a boolean; write "{text}" in quotes)'
    return ""
