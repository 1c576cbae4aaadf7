"""One strict YAML reader that remembers where every value came from.

libyaml (through PyYAML) parses; this module builds plain Python straight from its events, with one
set of rules whatever the file holds: plain scalars only (text, decimal numbers, true/false, null and
dates), no tags, no YAML 1.1 octal, hexadecimal, binary or base-60 numbers, no merge keys, no
duplicate keys, a bounded nesting depth and a bounded alias expansion. Floats become exact
`Decimal`s. A long list (the services of a file) can be read one item at a time, so that a large
file never stands whole in memory.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from copy import deepcopy
from dataclasses import dataclass
from typing import Any

import yaml
from yaml.composer import ComposerError
from yaml.events import (
    AliasEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)

from cmhcost.loading.yamlscalars import TAG, Refused, plain_tag, scalar, unsupported, yaml_hint

try:
    from yaml import CSafeLoader as _Loader
    from yaml._yaml import CParser as _Parser
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]
    from yaml import SafeLoader as _Parser  # type: ignore[assignment]

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
    """A problem that stops the reading: nesting, an alias bomb, a second document."""

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

    With `stream=(key, take)`, a top-level list under `key` is read and handed to `take` one item
    at a time (the document then holds an empty list there), so that it never stands whole.
    """
    builder = _Builder(text)
    try:
        with _gc_paused():
            data = builder.document(stream)
    except yaml.YAMLError as exc:
        return YamlDocument(None, text, None, [_syntax_issue(exc, text)])
    except _Fatal as fatal:
        return YamlDocument(None, text, None, [fatal.issue])
    return YamlDocument(data, text, None, builder.issues)


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


_SKIP = object()  # a refused or repeated key: its value is read (for its anchors) and dropped
_KEY = object()  # the step of a mapping key: what is wrong with it is said at the mapping
_ROOT = object()  # the step of the document's root, whose path is ()
_MISSING = object()
_TAGS = {SequenceStartEvent: (None, "!", TAG + "seq"), MappingStartEvent: (None, "!", TAG + "map")}


def _path(parent: Path, step: Any) -> Path:
    return parent if step is _KEY or step is _ROOT else (*parent, step)


def _line(event: Any) -> int:
    return int(event.start_mark.line) + 1


def _too_deep(line: int) -> _Fatal:
    return _Fatal(
        Issue(line, (), f"nested deeper than {MAX_DEPTH} levels; cmhcost's files need far fewer")
    )


@dataclass
class _Anchor:
    """What an anchored node read as, for its aliases to repeat."""

    value: Any
    line: int
    text: str | None  # a scalar's text (the key an alias may stand for); None for a collection
    size: int  # values it holds, its own aliases expanded
    issues: list[Issue]  # its problems, with paths from the anchored node
    height: int = -1  # levels of nesting below it, once asked for


class _Builder:
    """Plain Python straight from libyaml's events, every rule applied as the events come."""

    def __init__(self, text: str) -> None:
        self._parser = _Parser(text)
        self._next = self._parser.get_event
        self.issues: list[Issue] = []
        self._anchors: dict[Any, _Anchor | None] = {}  # None while the anchored node is read
        self._plain: dict[str, Any] = {}  # plain scalar text -> its value, or Refused
        self._count = 0  # values read, each alias counted as the values it repeats
        self._budget = MAX_ALIAS_VALUES

    def document(self, stream: tuple[str, Take] | None) -> Any:
        """The one document of the text as plain Python."""
        try:
            self._next()  # the stream starts
            if type(self._next()) is StreamEndEvent:
                raise _Fatal(Issue(1, (), "the file is empty"))
            value = self._value(self._next(), (), _ROOT, 0, stream)
            self._next()  # the document ends
            event = self._next()
            if type(event) is not StreamEndEvent:
                message = "the file holds more than one YAML document"
                raise _Fatal(Issue(_line(event), (), message))
            return value
        finally:
            self._parser.dispose()

    def _value(self, event: Any, parent: Path, step: Any, depth: int, stream: Any = None) -> Any:
        """The node `event` starts, as plain Python (None where a value is refused)."""
        if type(event) is AliasEvent:
            return self._alias(event, _path(parent, step), depth)
        if depth > MAX_DEPTH:
            raise _too_deep(_line(event))
        if event.anchor is not None:
            return self._anchored(event, parent, step, depth)
        self._count += 1
        if type(event) is ScalarEvent:
            return self._scalar(event, parent, step)
        return self._collection(event, _path(parent, step), depth, stream)

    def _scalar(self, event: Any, parent: Path, step: Any) -> Any:
        """A scalar under the rules; a refused one is noted and read as None."""
        tag, text = event.tag, event.value
        if tag is not None and tag != "!":
            value = _scalar_or_refusal(tag, text)
        elif not event.implicit[0]:
            return text  # quoted or block text
        else:
            value = self._plain.get(text, _MISSING)
            if value is _MISSING:
                value = self._plain[text] = _scalar_or_refusal(plain_tag(text), text)
        if type(value) is Refused:
            self.issues.append(Issue(_line(event), _path(parent, step), str(value)))
            return None
        return value

    def _collection(self, event: Any, path: Path, depth: int, stream: Any) -> Any:
        """A list or mapping; under a tag it is read through and refused as a whole."""
        mark = len(self.issues)
        tag = event.tag
        plain = tag in _TAGS[type(event)]
        if type(event) is SequenceStartEvent:
            value: Any = self._sequence(path, depth)
        else:
            value = self._mapping(path, depth, stream if plain else None)
        if plain:
            return value
        del self.issues[mark:]  # what is inside a refused collection goes unsaid
        self.issues.append(Issue(_line(event), path, unsupported(tag)))
        return None

    def _sequence(self, path: Path, depth: int) -> list[Any]:
        items: list[Any] = []
        while type(event := self._next()) is not SequenceEndEvent:
            items.append(self._value(event, path, len(items), depth + 1))
        return items

    def _mapping(self, path: Path, depth: int, stream: tuple[str, Take] | None) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        lines: dict[Any, int] = {}
        while type(event := self._next()) is not MappingEndEvent:
            name = self._key(event, path, lines, depth + 1)
            event = self._next()
            if name is _SKIP:
                mark = len(self.issues)
                self._value(event, path, _KEY, depth + 1)
                del self.issues[mark:]
            elif stream and name == stream[0] and type(event) is SequenceStartEvent:
                self._stream(name, stream[1])
                result[name] = []
            else:
                result[name] = self._value(event, path, name, depth + 1)
        return result

    def _key(self, event: Any, path: Path, lines: dict[Any, int], depth: int) -> Any:
        """A mapping key, or _SKIP (with a problem noted) for a refused or repeated one."""
        mark = len(self.issues)
        name = self._value(event, path, _KEY, depth)
        if type(event) is AliasEvent:
            anchor: Any = self._anchors[event.anchor]
            line, text = anchor.line, anchor.text
        else:
            line, text = _line(event), event.value if type(event) is ScalarEvent else None
        if text is not None and len(self.issues) > mark:
            return _SKIP  # a refused scalar, said so
        if text is None or not isinstance(name, (str, int)) or isinstance(name, bool):
            del self.issues[mark:]  # nothing inside a collection key is said
            shown = "a collection" if text is None else text
            message = f"a key must be a plain word, not {shown!r}{yaml_hint(shown)}"
            self.issues.append(Issue(line, path, message))
            return _SKIP
        if name in lines:
            message = f"duplicate key {name!r} (first at line {lines[name]})"
            self.issues.append(Issue(line, (*path, name), message))
            return _SKIP
        lines[name] = line
        return name

    def _stream(self, key: str, take: Take) -> None:
        """Hand the items of the top-level list under `key` to `take`, one at a time."""
        index = 0
        while type(event := self._next()) is not SequenceEndEvent:
            before = len(self.issues)
            value = self._value(event, (key,), index, 2)
            take(index, value, self.issues[before:])
            del self.issues[before:]
            index += 1

    def _anchored(self, event: Any, parent: Path, step: Any, depth: int) -> Any:
        """A node with an anchor, kept for its aliases with its size and problems."""
        name = event.anchor
        if name in self._anchors:  # refused as PyYAML's composer refuses it
            context = f"found duplicate anchor {name!r}; first occurrence"
            raise ComposerError(context, None, "second occurrence", event.start_mark)
        self._anchors[name] = None
        count, mark, path = self._count, len(self.issues), _path(parent, step)
        self._count += 1
        if type(event) is ScalarEvent:
            value = self._scalar(event, parent, step)
            text = event.value
        else:
            value, text = self._collection(event, path, depth, None), None
        issues = [Issue(i.line, i.path[len(path) :], i.message) for i in self.issues[mark:]]
        self._anchors[name] = _Anchor(value, _line(event), text, self._count - count, issues)
        return value

    def _alias(self, event: Any, path: Path, depth: int) -> Any:
        """A fresh copy of what the anchor read, its problems said again at `path`."""
        anchor: Any = self._anchors.get(event.anchor, _MISSING)
        if anchor is _MISSING:
            problem = f"found undefined alias {event.anchor!r}"
            raise ComposerError(None, None, problem, event.start_mark)
        size = anchor.size if isinstance(anchor, _Anchor) else MAX_ALIAS_VALUES + 1  # a cycle
        self._budget -= size
        if self._budget < 0:
            message = f"aliases expand to more than {MAX_ALIAS_VALUES:,} values; refusing to read"
            raise _Fatal(Issue(_line(event), (), message))
        assert isinstance(anchor, _Anchor)
        if anchor.height < 0:
            anchor.height = _height(anchor.value)
        if depth + anchor.height > MAX_DEPTH:
            raise _too_deep(_line(event))
        self._count += size
        self.issues += [Issue(i.line, (*path, *i.path), i.message) for i in anchor.issues]
        return deepcopy(anchor.value)


def _scalar_or_refusal(tag: str, text: str) -> Any:
    try:
        return scalar(tag, text)
    except Refused as refused:
        return refused


def _height(value: Any) -> int:
    """Levels of nesting below `value` (0 for a scalar or an empty collection)."""
    if isinstance(value, dict):
        children: Any = value.values()
    elif isinstance(value, list):
        children = value
    else:
        return 0
    return 1 + max(map(_height, children), default=-1)
