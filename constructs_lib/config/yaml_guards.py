"""Guards of the YAML reader that need no PyYAML loader: alias bombs and recursive aliases are
refused on the node graph before any value is built, and PyYAML's marks become locations."""

from __future__ import annotations

from typing import Protocol

import yaml

from constructs_lib.errors import Location, YamlError

__all__ = ["check_expansion", "yaml_location"]


class _Mark(Protocol):
    """A position in PyYAML's parsers (the Python and the C one have their own classes)."""

    line: int
    column: int


def yaml_location(file: str, mark: _Mark | None) -> Location:
    """PyYAML's 0-based mark as a 1-based location."""
    return Location(file, mark.line + 1, mark.column + 1) if mark else Location(file)


def check_expansion(root: yaml.Node, file: str, max_nodes: int) -> None:
    """Refuse alias bombs before building anything: count the values the tree expands to,
    visiting each distinct node once."""
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()  # being counted: meeting one again is an alias inside itself

    def size(node: yaml.Node) -> int:
        known = sizes.get(id(node))
        if known is not None:
            return known
        if id(node) in open_nodes:
            raise YamlError(
                "an alias refers to the value that contains it (a recursive YAML value)",
                location=yaml_location(file, node.start_mark),
            )
        open_nodes.add(id(node))
        total = 1
        if isinstance(node, yaml.SequenceNode):
            total += sum(size(child) for child in node.value)
        elif isinstance(node, yaml.MappingNode):
            total += sum(size(k) + size(v) for k, v in node.value)
        if total > max_nodes:
            mark = node.start_mark
            raise YamlError(
                f"document expands to more than {max_nodes} values through aliases (alias bomb?)",
                location=yaml_location(file, mark),
            )
        sizes[id(node)] = total
        open_nodes.discard(id(node))
        return total

    size(root)
