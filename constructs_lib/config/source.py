"""YAML reading that keeps every value's file, line and column.

Serverless v3 parses YAML 1.2 (js-yaml); PyYAML speaks YAML 1.1. We compose the node tree with
PyYAML's C parser and build values ourselves so that plain scalars follow YAML 1.2's core schema
(``no``/``on`` stay strings, ``1:30`` is a string, ``0755`` is 755), CloudFormation short tags
(``!Ref``, ``!GetAtt``...) become their long form, duplicate keys are errors, and alias bombs and
deep nesting are refused quickly.
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from constructs_lib.config.data import JsonObject, JsonValue, KeyPath, Scalar
from constructs_lib.config.yaml_guards import check_expansion, yaml_location
from constructs_lib.errors import Location, YamlError

__all__ = ["MAX_FILE_BYTES", "Document", "SourceMap", "load_yaml_file", "load_yaml_text"]

#: PyYAML's C parser when it was built with libyaml (it is, in the wheels), else the Python one.
_Loader: type[yaml.CSafeLoader] | type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

#: Guards: a serverless.yml is small; anything past these is a mistake or an attack.
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_DEPTH = 100
MAX_NODES = 200_000
#: digits of a plain integer (Python refuses to convert past 4300; no AWS value needs 1000)
MAX_NUMBER_CHARS = 1000


@dataclass
class SourceMap:
    """Key path -> where it was written. Lookups fall back to the nearest known parent."""

    file: str
    _locations: dict[KeyPath, Location] = field(default_factory=dict)

    def add(self, path: KeyPath, location: Location) -> None:
        self._locations[path] = location

    def locate(self, path: Sequence[str | int]) -> Location:
        key = tuple(path)
        while key:
            found = self._locations.get(key)
            if found is not None:
                return found
            key = key[:-1]
        return self._locations.get((), Location(self.file))

    def graft(
        self, prefix: Sequence[str | int], other: SourceMap, other_prefix: Sequence[str | int] = ()
    ) -> None:
        """Copy ``other``'s locations under ``other_prefix`` to live under ``prefix`` here, each
        remembering the key that included them (when they are in another file)."""
        start = tuple(other_prefix)
        n = len(start)
        via = self.locate(prefix)
        for path, loc in other._locations.items():
            if path[:n] == start:
                if loc.file != via.file and loc.included_from is None:
                    loc = dataclasses.replace(loc, included_from=via)
                self._locations[tuple(prefix) + path[n:]] = loc

    def take(self, prefix: KeyPath) -> list[tuple[KeyPath, Location]]:
        """Remove and return every location strictly under ``prefix`` (in the order they were
        added), for a step that rearranges the data there and then adds them back."""
        n = len(prefix)
        taken = [(p, loc) for p, loc in self._locations.items() if len(p) > n and p[:n] == prefix]
        for path, _ in taken:
            del self._locations[path]
        return taken

    def items(self) -> Iterator[tuple[KeyPath, Location]]:
        return iter(self._locations.items())


@dataclass
class Document:
    """A parsed YAML file: its data and where each value came from."""

    data: JsonValue
    sources: SourceMap
    path: Path | None = None


# --- YAML 1.2 core schema for plain scalars -------------------------------------------------------
_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL_TRUE = re.compile(r"^(?:true|True|TRUE)$")
_BOOL_FALSE = re.compile(r"^(?:false|False|FALSE)$")
_INT_DEC = re.compile(r"^[-+]?[0-9]+$")
_INT_OCT = re.compile(r"^0o[0-7]+$")
_INT_HEX = re.compile(r"^0x[0-9a-fA-F]+$")
_FLOAT = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$")
_INF = re.compile(r"^([-+]?)\.(?:inf|Inf|INF)$")
_NAN = re.compile(r"^\.(?:nan|NaN|NAN)$")


def _plain_scalar(value: str) -> Scalar:
    if _NULL.match(value):
        return None
    if _BOOL_TRUE.match(value):
        return True
    if _BOOL_FALSE.match(value):
        return False
    if _INT_DEC.match(value):
        return int(value, 10)
    if _INT_OCT.match(value):
        return int(value[2:], 8)
    if _INT_HEX.match(value):
        return int(value[2:], 16)
    if _FLOAT.match(value):
        return float(value)
    m = _INF.match(value)
    if m:
        return -math.inf if m.group(1) == "-" else math.inf
    if _NAN.match(value):
        return math.nan
    return value


# --- CloudFormation short tags ----------------------------------------------------------------------
_CFN_TAGS = {
    "!Ref": "Ref",
    "!Condition": "Condition",
    **{
        f"!{name}": f"Fn::{name}"
        for name in [
            "And",
            "Base64",
            "Cidr",
            "Equals",
            "FindInMap",
            "GetAtt",
            "GetAZs",
            "If",
            "ImportValue",
            "Join",
            "Length",
            "Not",
            "Or",
            "Select",
            "Split",
            "Sub",
            "ToJsonString",
            "Transform",
        ]
    },
}

_STD = "tag:yaml.org,2002:"


class _Builder:
    def __init__(self, file: str) -> None:
        self.file = file
        self.sources = SourceMap(file)
        self.count = 0

    def loc(self, node: yaml.Node) -> Location:
        return yaml_location(self.file, node.start_mark)

    def error(self, node: yaml.Node, message: str, path: KeyPath = ()) -> YamlError:
        return YamlError(message, location=self.loc(node), path=path)

    def build(self, node: yaml.Node, path: KeyPath, depth: int = 0) -> JsonValue:
        self.count += 1
        if self.count > MAX_NODES:
            raise self.error(node, f"document expands to more than {MAX_NODES} values (alias bomb?)", path)
        if depth > MAX_DEPTH:
            raise self.error(node, f"nesting deeper than {MAX_DEPTH} levels", path)
        self.sources._locations.setdefault(path, self.loc(node))
        tag = node.tag or ""
        if tag in _CFN_TAGS:
            return self._cfn(node, tag, path, depth)
        if tag.startswith("!") and not tag.startswith("!!"):
            raise self.error(node, f"unknown YAML tag {tag}", path)
        if isinstance(node, yaml.ScalarNode):
            return self._scalar(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(child, (*path, i), depth + 1) for i, child in enumerate(node.value)]
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path, depth)
        raise self.error(node, "unsupported YAML node", path)  # pragma: no cover

    def _scalar(self, node: yaml.ScalarNode, path: KeyPath) -> Scalar:
        if node.style:  # quoted or block scalars are strings unless tagged otherwise
            return node.value if node.tag == f"{_STD}str" else self._explicit(node, path)
        if node.tag == _implicit_tag(node.value):
            if len(node.value) > MAX_NUMBER_CHARS and any(
                pattern.match(node.value) for pattern in (_INT_DEC, _INT_OCT, _INT_HEX)
            ):
                raise self._long_number(node, path)
            return _plain_scalar(node.value)
        return self._explicit(node, path)

    def _long_number(self, node: yaml.ScalarNode, path: KeyPath) -> YamlError:
        return self.error(node, f"a number of {len(node.value)} digits: no AWS setting takes one", path)

    def _explicit(self, node: yaml.ScalarNode, path: KeyPath) -> Scalar:
        tag = node.tag
        value: str = node.value
        try:
            if tag == f"{_STD}str":
                return value
            if tag == f"{_STD}int":
                if len(value) > MAX_NUMBER_CHARS:
                    raise self._long_number(node, path)
                return int(value.replace("_", ""), 0)
            if tag == f"{_STD}float":
                return float(value)
            if tag == f"{_STD}bool":
                return (
                    _plain_scalar(value)
                    if value in ("true", "True", "TRUE", "false", "False", "FALSE")
                    else bool(value)
                )
            if tag == f"{_STD}null":
                return None
        except ValueError as exc:
            shown = value if len(value) <= 40 else f"{value[:40]}..."
            raise self.error(node, f"cannot read {shown!r} as {tag[len(_STD) :]}", path) from exc
        if tag.startswith(_STD):
            # Implicit YAML 1.1 types PyYAML recognised (timestamps, sexagesimals...): YAML 1.2 keeps text.
            return value if node.style else _plain_scalar(value)
        raise self.error(node, f"unknown YAML tag {tag}", path)

    def _mapping(self, node: yaml.MappingNode, path: KeyPath, depth: int) -> JsonObject:
        out: JsonObject = {}
        merged: JsonObject = {}
        for key_node, value_node in node.value:
            if key_node.tag == f"{_STD}merge" or (
                isinstance(key_node, yaml.ScalarNode) and key_node.value == "<<" and not key_node.style
            ):
                sources = value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
                for src in sources:
                    built = self.build(src, path, depth + 1)
                    if not isinstance(built, dict):
                        raise self.error(src, "a merge key '<<' needs a mapping", path)
                    for k, v in built.items():
                        merged.setdefault(k, v)
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                raise self.error(key_node, "mapping keys must be plain text", path)
            key = key_node.value if key_node.style else _plain_scalar(key_node.value)
            key = "null" if key is None else key
            key = str(key).lower() if isinstance(key, bool) else str(key)
            if key in out:
                first = self.sources._locations.get((*path, key))
                where = f" (first at line {first.line})" if first else ""
                raise self.error(key_node, f"duplicate key {key!r}{where}", (*path, key))
            self.sources._locations[(*path, key)] = self.loc(key_node)
            out[key] = self.build(value_node, (*path, key), depth + 1)
        for k, v in merged.items():
            out.setdefault(k, v)
        return out

    def _cfn(self, node: yaml.Node, tag: str, path: KeyPath, depth: int) -> JsonObject:
        fn = _CFN_TAGS[tag]
        if isinstance(node, yaml.ScalarNode):
            value: JsonValue = node.value
            if fn == "Fn::GetAtt":
                value = value.split(".", 1)
            elif fn == "Fn::GetAZs" and value == "":
                value = ""
        elif isinstance(node, yaml.SequenceNode):
            value = [self.build(child, (*path, fn, i), depth + 1) for i, child in enumerate(node.value)]
        else:
            value = self._mapping(node, (*path, fn), depth + 1)  # type: ignore[arg-type]
        return {fn: value}


def _implicit_tag(value: str) -> str:
    """The tag PyYAML's resolver gives a plain scalar; any other tag was written explicitly."""
    resolve: Callable[..., str] = yaml.resolver.Resolver.resolve  # untyped in the stubs
    return resolve(_Loader, yaml.ScalarNode, value, (True, False))


def _check_shape(text: str, file: str) -> None:
    """Refuse deep nesting before the (recursive) composer sees it."""
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    mark = event.start_mark
                    raise YamlError(
                        f"nesting deeper than {MAX_DEPTH} levels",
                        location=yaml_location(file, mark),
                    )
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError as exc:
        raise _yaml_error(exc, file) from None


def _yaml_error(exc: yaml.YAMLError, file: str) -> YamlError:
    marked = exc if isinstance(exc, yaml.MarkedYAMLError) else None
    context_mark = marked.context_mark if marked else None
    mark = (marked.problem_mark if marked else None) or context_mark
    problem = (marked.problem if marked else None) or str(exc)
    if "end of stream" in problem and context_mark is not None:
        mark = context_mark  # where the unclosed value began
    context = marked.context if marked else None
    message = f"invalid YAML: {problem}" + (f" ({context})" if context else "")
    return YamlError(message, location=yaml_location(file, mark))


def load_yaml_text(
    text: str, file: str, *, allow_empty: bool = False, require_mapping: bool = True
) -> Document:
    """Parse YAML text; ``file`` is only used in locations."""
    if "\x00" in text:
        at = text.index("\x00")
        line, column = text.count("\n", 0, at) + 1, at - (text.rfind("\n", 0, at) + 1) + 1
        raise YamlError("file contains NUL bytes; is it binary?", location=Location(file, line, column))
    _check_shape(text, file)
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        raise _yaml_error(exc, file) from None
    builder = _Builder(file)
    if node is not None:
        check_expansion(node, file, MAX_NODES)
    if node is None:
        if allow_empty:
            return Document({}, builder.sources)
        raise YamlError("file is empty", location=Location(file, 1, 1))
    data = builder.build(node, ())
    if require_mapping and not isinstance(data, dict):
        kind = type(data).__name__ if data is not None else "null"
        raise YamlError(f"the document must be a mapping of keys, not {kind}", location=builder.loc(node))
    return Document(data, builder.sources)


def read_text(path: Path, *, max_bytes: int = MAX_FILE_BYTES, label: str | None = None) -> str:
    """Read a config file as strict UTF-8 with the size guard."""
    shown = label or str(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise YamlError(
                f"file is {size} bytes, more than the {max_bytes} allowed", location=Location(shown)
            )
        raw = path.read_bytes()
    except FileNotFoundError:
        raise YamlError("file not found", location=Location(shown)) from None
    except IsADirectoryError:
        raise YamlError("is a directory, not a file", location=Location(shown)) from None
    except OSError as exc:
        raise YamlError(f"cannot read file: {exc.strerror}", location=Location(shown)) from None
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise YamlError(
            f"file is not valid UTF-8 (byte 0x{raw[exc.start]:02x})", location=Location(shown, line, column)
        ) from None


def load_yaml_file(path: Path, *, label: str | None = None, **kwargs: bool) -> Document:
    """Read and parse one YAML file with all guards."""
    shown = label or str(path)
    doc = load_yaml_text(read_text(path, label=shown), shown, **kwargs)
    doc.path = path
    return doc
