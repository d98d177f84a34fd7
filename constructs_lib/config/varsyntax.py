"""Parser for Serverless v3's variable syntax (``${source:address, fallback, 'literal'}``).

The grammar follows v3's own parser (``lib/configuration/variables/parse.js``):

* ``${`` followed by a lower-case letter opens a variable; anything else (``${AWS::Region}`` in a
  ``Fn::Sub``, ``${Foo}``) is foreign text and left alone; ``\\$`` escapes.
* A variable is one or more comma-separated sources: ``type:address``, ``type(param, ...)`` with
  an optional ``:address``, or a literal (quoted string, number, ``true``, ``false``, ``null``).
* Addresses and params may nest variables (``${self:custom.${opt:stage}}``); fallbacks may not
  (v3 rejects ``${a:b, ${c:d}}``; write ``${a:b, c:d}``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from constructs_lib.config.data import Scalar

__all__ = ["Literal", "Ref", "Template", "Var", "VarSyntaxError", "parse"]

_TYPE = re.compile(r"^[a-z][a-zA-Z0-9]*$")
_IDENT_CHARS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.")


class VarSyntaxError(ValueError):
    """A malformed variable; ``index`` is the offset in the text."""

    def __init__(self, message: str, index: int) -> None:
        super().__init__(message)
        self.index = index


@dataclass(frozen=True)
class Literal:
    value: Scalar


@dataclass(frozen=True)
class Ref:
    type: str
    address: Template | None = None
    params: tuple[Template, ...] = ()


@dataclass(frozen=True)
class Var:
    """``${...}`` spanning ``text[start:end]``; sources are tried in order (fallbacks)."""

    sources: tuple[Literal | Ref, ...]
    start: int
    end: int


Part = str | Var


@dataclass(frozen=True)
class Template:
    """Text made of literal parts and variables."""

    parts: tuple[Part, ...] = field(default_factory=tuple)

    @property
    def is_plain(self) -> bool:
        return all(isinstance(p, str) for p in self.parts)

    @property
    def single(self) -> Var | None:
        """The variable when the template is exactly one variable (its value keeps its type)."""
        if len(self.parts) == 1 and isinstance(self.parts[0], Var):
            return self.parts[0]
        return None

    def text(self) -> str:
        return "".join(p for p in self.parts if isinstance(p, str))


class _NotLiteralType:
    """Marker: the word is not a literal (true/false/null/number)."""


_NotLiteral = _NotLiteralType()


def _literal(text: str) -> Scalar | _NotLiteralType:
    if text == "true":
        return True
    if text == "false":
        return False
    if text == "null":
        return None
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return float(text)
    except ValueError:
        return _NotLiteral


#: Variables nested inside one another's address (``${self:${self:...}}``): real files use a few
#: levels; the budget refuses a crafted string before the recursive parser runs out of stack.
MAX_NESTED_VARIABLES = 32


class _Parser:
    def __init__(self, text: str) -> None:
        self.s = text
        self.n = len(text)
        self.depth = 0

    def err(self, message: str, index: int) -> VarSyntaxError:
        return VarSyntaxError(f"{message} at index {index} in {self.s!r}", index)

    def peek(self, i: int) -> str:
        return self.s[i] if i < self.n else ""

    def skip_spaces(self, i: int) -> int:
        while i < self.n and self.s[i] == " ":
            i += 1
        return i

    # -- top level: text with variables, up to one of ``stops`` (used for nested addresses) --
    def template(self, i: int, stops: str = "") -> tuple[Template, int]:
        parts: list[Part] = []
        buf: list[str] = []
        while i < self.n:
            c = self.s[i]
            if c in stops:
                break
            if c == "\\" and i + 1 < self.n:
                buf.append(self.s[i : i + 2])
                i += 2
                continue
            if (
                c == "$"
                and self.peek(i + 1) == "{"
                and self.peek(i + 2).islower()
                and self.peek(i + 2).isascii()
            ):
                if buf:
                    parts.append("".join(buf))
                    buf = []
                var, i = self.variable(i)
                parts.append(var)
                continue
            buf.append(c)
            i += 1
        if buf:
            parts.append("".join(buf))
        return Template(tuple(parts)), i

    def variable(self, start: int) -> tuple[Var, int]:
        self.depth += 1
        if self.depth > MAX_NESTED_VARIABLES:
            raise self.err(f"variables nested more than {MAX_NESTED_VARIABLES} deep", start)
        try:
            return self._variable(start)
        finally:
            self.depth -= 1

    def _variable(self, start: int) -> tuple[Var, int]:
        i = start + 2
        sources: list[Literal | Ref] = []
        while True:
            i = self.skip_spaces(i)
            src, i = self.source(i, first=not sources)
            sources.append(src)
            i = self.skip_spaces(i)
            c = self.peek(i)
            if c == "}":
                return Var(tuple(sources), start, i + 1), i + 1
            if c == ",":
                i += 1
                continue
            if c == "":
                raise self.err("Missing variable closing bracket", start)
            raise self.err("Invalid variable source", i)

    def quoted(self, i: int) -> tuple[str, int]:
        quote = self.s[i]
        j = i + 1
        while j < self.n:
            if quote == '"' and self.s[j] == "\\":
                j += 2
                continue
            if self.s[j] == quote:
                raw = self.s[i : j + 1]
                if quote == "'":
                    return raw[1:-1], j + 1
                try:
                    return json.loads(raw), j + 1
                except json.JSONDecodeError as exc:
                    raise self.err(f"Invalid string literal ({exc.msg})", i) from None
            j += 1
        raise self.err("Missing variable closing bracket", i)

    def source(self, i: int, *, first: bool) -> tuple[Literal | Ref, int]:
        c = self.peek(i)
        if c in ("'", '"'):
            value, i = self.quoted(i)
            return Literal(value), i
        if c == "$":
            raise self.err("Invalid variable source (a fallback is written 'type:address', not '${...}')", i)
        j = i
        while j < self.n and self.s[j] in _IDENT_CHARS:
            j += 1
        word = self.s[i:j]
        if not word:
            raise self.err("Invalid variable source" if c else "Missing variable closing bracket", i)
        nxt = self.peek(j)
        if nxt in (":", "("):
            if not _TYPE.match(word):
                raise self.err("Invalid variable type", i)
            params: list[Template] = []
            if nxt == "(":
                params, j = self.params(j + 1)
            address: Template | None = None
            if self.peek(j) == ":":
                address, j = self.address(j + 1)
            return Ref(word, address, tuple(params)), j
        literal = _literal(word)
        if isinstance(literal, _NotLiteralType):
            raise self.err(f"Invalid literal source {word!r}", i)
        return Literal(literal), j

    def params(self, i: int) -> tuple[list[Template], int]:
        out: list[Template] = []
        while True:
            i = self.skip_spaces(i)
            c = self.peek(i)
            if c == ")":
                return out, i + 1
            if c in ("'", '"'):
                value, i = self.quoted(i)
                out.append(Template((value,)))
            else:
                tpl, i = self.template(i, stops=",)}")
                if self.peek(i) == "}" or not self.peek(i):
                    raise self.err("Invalid variable param", i)
                out.append(_strip(tpl))
            i = self.skip_spaces(i)
            if self.peek(i) == ",":
                i += 1
            elif self.peek(i) != ")":
                raise self.err("Invalid variable param", i)

    def address(self, i: int) -> tuple[Template, int]:
        i = self.skip_spaces(i)
        c = self.peek(i)
        if c in ("'", '"'):
            value, i = self.quoted(i)
            return Template((value,)), i
        tpl, j = self.template(i, stops=",}")
        for part in tpl.parts:
            if isinstance(part, str) and ":" in part:
                raise self.err("Invalid variable address", i)
        if not self.peek(j):
            raise self.err("Missing variable closing bracket", i)
        return _strip(tpl), j


def _strip(tpl: Template) -> Template:
    parts = list(tpl.parts)
    if parts and isinstance(parts[0], str):
        parts[0] = parts[0].lstrip()
    if parts and isinstance(parts[-1], str):
        parts[-1] = parts[-1].rstrip()
    return Template(tuple(p for p in parts if p != ""))


def parse(text: str) -> Template:
    """Parse ``text``; raise :class:`VarSyntaxError` for malformed variables."""
    tpl, _ = _Parser(text).template(0)
    return tpl
