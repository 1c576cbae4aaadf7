"""One strict YAML reader that remembers where every value came from.

libyaml (through PyYAML) parses; this module turns its nodes into plain Python itself, with one set
of rules whatever the file holds: plain scalars only (text, decimal numbers, true/false, null and
dates), no tags, no YAML 1.1 octal, hexadecimal, binary or base-60 numbers, no merge keys, no
duplicate keys, a bounded nesting depth and a bounded alias expansion. Floats become exact
`Decimal`s. A long list (the services of a file) can be read one item at a time, so that a large
file never stands whole in memory.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.composer import Composer

from cmhcost.loading.yamlscalars import TAG, Refused, scalar, unsupported, yaml_hint

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_BYTES = 512 * 1024 * 1024
MAX_DEPTH = 32  # levels of nesting; cmhcost's own files use seven
MAX_ALIAS_VALUES = 100_000  # values that aliases may add to what the file writes out


Loc = Sequence[int | str]
Path = tuple[int | str, ...]


@dataclass(frozen=True)
class Issue:
    """A problem found while reading YAML, at a 1-based line, with the path it belongs to."""

    line: int
    path: Path
    message: str


class _Fatal(Exception):
    """A problem that stops the reading: syntax, nesting, an alias bomb."""

    def __init__(self, issue: Issue) -> None:
        self.issue = issue


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
        """The node graph, composed on first use (None when the text does not compose)."""
        if self._root is None and self._text is not None:
            try:
                self._root = yaml.compose(self._text, Loader=_Loader)
            except yaml.YAMLError:
                self._root = None
            self._text = None
        return self._root

    def line_of(self, loc: Loc) -> int:
        """The line of the deepest node that `loc` reaches (1 when there is none)."""
        root = self.root
        return _deepest(root, loc)[0].start_mark.line + 1 if root else 1

    def lines_of(self, loc: Loc) -> tuple[int, int]:
        """The first and last line of the node at `loc` (both 1 when there is none)."""
        root = self.root
        if not root:
            return 1, 1
        node = _deepest(root, loc)[0]
        end = node.end_mark.line + (1 if node.end_mark.column else 0)
        return node.start_mark.line + 1, max(end, node.start_mark.line + 1)

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
            if key.value == str(step):
                return value  # type: ignore[no-any-return]
        return None
    if isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value):
        return node.value[step]  # type: ignore[no-any-return]
    return None


# Items handed over one at a time: (index in the list, the value, the reader's issues inside it).
Take = Callable[[int, Any, list[Issue]], None]


def read_yaml(text: str, stream: tuple[str, Take] | None = None) -> YamlDocument:
    """Read one YAML document under the rules, noting every problem with its line.

    With `stream=(key, take)`, a top-level list under `key` is composed and handed to `take` one
    item at a time (the document then holds an empty list there), so that it never stands whole.
    """
    reader = _Reader()
    aliases = "*" in text  # without one, no check of aliases can fail
    try:
        with _gc_paused():
            if stream is not None:
                data = _read_streaming(text, reader, aliases, *stream)
                return YamlDocument(data, text, None, reader.issues)
            root = yaml.compose(text, Loader=_Loader)
            if root is None:
                return YamlDocument(None, text, None, [Issue(1, (), "the file is empty")])
            if aliases:
                seen: set[int] = set()
                reader.spend_aliases(expanded_size(root, {}, seen) - len(seen), 1)
            data = reader.value(root, (), 0)
    except yaml.YAMLError as exc:
        return YamlDocument(None, text, None, [_syntax_issue(exc, text)])
    except _Fatal as fatal:
        return YamlDocument(None, text, None, [fatal.issue])
    return YamlDocument(data, text, root, reader.issues)


def _syntax_issue(exc: yaml.YAMLError, text: str) -> Issue:
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        return Issue(mark.line + 1 if mark else 1, (), f"YAML syntax: {exc.problem}")
    if isinstance(exc, yaml.reader.ReaderError):  # a character YAML does not allow
        before = text[: exc.position]
        line, column = before.count("\n") + 1, exc.position - before.rfind("\n")
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        return Issue(
            line, (), f"column {column}: a control character (U+{code:04X}) is not allowed in YAML"
        )
    return Issue(1, (), f"YAML: {exc}")


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


class _StreamLoader(_Loader, Composer):
    """libyaml's events, composed by PyYAML one node at a time, with the nesting depth counted."""

    depth = 0

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise _Fatal(Issue(_next_line(self), (), _too_deep()))

    def ascend_resolver(self) -> None:
        self.depth -= 1


class _AliasCountingLoader(_StreamLoader):
    """The streaming loader, charging every alias with the values it adds."""

    reader: _Reader
    sizes: dict[int, int]
    targets: dict[int, yaml.Node]

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event: Any = self.peek_event()
            target = self.anchors.get(event.anchor)
            if target is not None:
                self.targets[id(target)] = target  # alive, so that no other node takes its id
                size = expanded_size(target, self.sizes, set())
                self.reader.spend_aliases(size, _next_line(self))
        return super().compose_node(parent, index)


def _read_streaming(text: str, reader: _Reader, aliases: bool, key: str, take: Take) -> Any:
    """A top-level mapping whose list under `key` goes to `take` item by item."""
    loader = _AliasCountingLoader(text) if aliases else _StreamLoader(text)
    loader.anchors = {}
    if isinstance(loader, _AliasCountingLoader):
        loader.reader, loader.sizes, loader.targets = reader, {}, {}
    try:
        loader.get_event()  # the stream starts
        if loader.check_event(yaml.StreamEndEvent):
            raise _Fatal(Issue(1, (), "the file is empty"))
        loader.get_event()  # the document starts
        if not loader.check_event(yaml.MappingStartEvent):
            return reader.value(_next_node(loader), (), 0)
        loader.get_event()
        top: dict[Any, Any] = {}
        first_line: dict[Any, int] = {}
        while not loader.check_event(yaml.MappingEndEvent):
            key_node = _next_node(loader)
            name = reader.key(key_node, (), top, first_line)
            if name == key and loader.check_event(yaml.SequenceStartEvent):
                _stream_list(loader, reader, key, take)
                value: Any = []
            else:
                path = () if name is _SKIP else (name,)
                value = reader.value(_next_node(loader), path, 1)
            if name is not _SKIP:
                top[name] = value
        loader.get_event()
        loader.get_event()  # the document ends
        if not loader.check_event(yaml.StreamEndEvent):
            message = "the file holds more than one YAML document"
            raise _Fatal(Issue(_next_line(loader), (), message))
        return top
    finally:
        loader.dispose()


def _next_node(loader: _StreamLoader) -> yaml.Node:
    """Compose the next node of the event stream (None as parent: composed like a root)."""
    node: Any = loader.compose_node(None, None)  # type: ignore[arg-type]
    return node  # type: ignore[no-any-return]


def _next_line(loader: _StreamLoader) -> int:
    event: Any = loader.peek_event()
    return int(event.start_mark.line) + 1


def _stream_list(loader: _StreamLoader, reader: _Reader, key: str, take: Take) -> None:
    loader.get_event()
    loader.depth += 1  # the list (the top mapping counts as level 0)
    index = 0
    while not loader.check_event(yaml.SequenceEndEvent):
        node = _next_node(loader)
        before = len(reader.issues)
        value = reader.value(node, (key, index), 2)
        take(index, value, reader.issues[before:])
        del reader.issues[before:]
        index += 1
    loader.depth -= 1
    loader.get_event()


_SKIP = object()


def _too_deep() -> str:
    return f"nested deeper than {MAX_DEPTH} levels; cmhcost's files need far fewer"


@dataclass
class _Reader:
    """The rules, applied node by node; problems are noted and reading goes on."""

    issues: list[Issue] = field(default_factory=list)
    alias_budget: int = MAX_ALIAS_VALUES

    def value(self, node: yaml.Node, path: Path, depth: int) -> Any:
        """The node as plain Python (None where a value is refused)."""
        if depth > MAX_DEPTH:
            raise _Fatal(Issue(node.start_mark.line + 1, (), _too_deep()))
        if isinstance(node, yaml.ScalarNode):
            try:
                return scalar(node)
            except Refused as refused:
                self.issues.append(Issue(node.start_mark.line + 1, path, str(refused)))
                return None
        if node.tag == TAG + "seq" and isinstance(node, yaml.SequenceNode):
            return [self.value(item, (*path, i), depth + 1) for i, item in enumerate(node.value)]
        if node.tag == TAG + "map" and isinstance(node, yaml.MappingNode):
            return self._mapping(node, path, depth)
        self.issues.append(Issue(node.start_mark.line + 1, path, unsupported(node.tag)))
        return None

    def _mapping(self, node: yaml.MappingNode, path: Path, depth: int) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        first_line: dict[Any, int] = {}
        for key_node, value_node in node.value:
            name = self.key(key_node, path, result, first_line)
            if name is not _SKIP:
                result[name] = self.value(value_node, (*path, name), depth + 1)
        return result

    def key(self, node: yaml.Node, path: Path, seen: dict[Any, Any], lines: dict[Any, int]) -> Any:
        """A mapping key, or _SKIP (with a problem noted) for a refused or repeated one."""
        line = node.start_mark.line + 1
        try:
            name = scalar(node) if isinstance(node, yaml.ScalarNode) else _SKIP
        except Refused as refused:
            self.issues.append(Issue(line, path, str(refused)))
            return _SKIP
        if not isinstance(name, (str, int)) or isinstance(name, bool):
            text = node.value if isinstance(node, yaml.ScalarNode) else "a collection"
            message = f"a key must be a plain word, not {text!r}{yaml_hint(text)}"
            self.issues.append(Issue(line, path, message))
            return _SKIP
        if name in seen:
            message = f"duplicate key {name!r} (first at line {lines[name]})"
            self.issues.append(Issue(line, (*path, name), message))
            return _SKIP
        lines[name] = line
        return name

    def spend_aliases(self, expanded: int, line: int) -> None:
        """Note `expanded` values added by aliases; refuse an alias bomb."""
        self.alias_budget -= expanded
        if self.alias_budget < 0:
            message = f"aliases expand to more than {MAX_ALIAS_VALUES:,} values; refusing to read"
            raise _Fatal(Issue(line, (), message))


def expanded_size(node: yaml.Node, memo: dict[int, int], seen: set[int], depth: int = 0) -> int:
    """How many values `node` holds once its aliases are expanded (without expanding them).

    `seen` collects the distinct nodes met; a cycle counts as too many values.
    """
    known = memo.get(id(node))
    if known is not None:
        return known
    seen.add(id(node))
    memo[id(node)] = MAX_ALIAS_VALUES + 1  # until known: only a cycle meets it again
    if isinstance(node, yaml.MappingNode):
        children: list[yaml.Node] = [n for pair in node.value for n in pair]
    elif isinstance(node, yaml.SequenceNode):
        children = node.value
    else:
        children = []
    total = 1
    if depth <= MAX_DEPTH:  # deeper is reported by the reader
        total += sum(expanded_size(child, memo, seen, depth + 1) for child in children)
    memo[id(node)] = total
    return total
