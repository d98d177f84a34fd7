"""The resolution engine: walks a configuration and replaces every variable in place, each
value resolved once, in whatever order references need, with cycles and failures reported
where they were written. What each source yields is in :mod:`.sources`."""

from __future__ import annotations

import contextlib
import json
import os
import shlex
from collections.abc import Callable
from pathlib import Path

from constructs_lib.config.aws_lookup import AwsLookup
from constructs_lib.config.data import JsonObject, JsonValue, KeyPath
from constructs_lib.config.defaults import effective_region
from constructs_lib.config.source import SourceMap
from constructs_lib.config.variables.base import MISSING, Address, FileContent, ResolveContext
from constructs_lib.config.variables.javascript import JavaScriptNotice, allows_javascript
from constructs_lib.config.variables.pseudo import PSEUDO_IN_TEXT, holds_pseudo, pseudo_errors
from constructs_lib.config.variables.sources import MISSING_REASONS, NON_FINAL_SOURCES, SOURCES
from constructs_lib.config.varsyntax import Literal, Ref, Template, Var, VarSyntaxError, parse
from constructs_lib.errors import ErrorGroup, Location, SlsCdkError, VariableError, did_you_mean, format_path

__all__ = ["Resolver", "resolve_config"]

#: Nested resolution deeper than this is a mistake (v3 stops at a similar depth).
MAX_RESOLUTION_DEPTH = 40
#: What one variable may resolve to, counted in characters plus one per value: a CloudFormation
#: template is at most 1 MB, so anything larger is variables multiplying a value (a bomb).
MAX_RESOLVED_SIZE = 1_000_000
#: The same for the whole resolved configuration (several templates' worth, with room to spare).
MAX_CONFIG_SIZE = 5_000_000

_NO_VALUE = "no value found and there is no fallback"


class _DependencyFailed(Exception):
    """A referenced value failed to resolve; its own error is already recorded."""


class Resolver:
    """Resolves every variable of one configuration in place."""

    def __init__(self, data: JsonObject, sources: SourceMap, ctx: ResolveContext) -> None:
        self.data = data
        self.sources = sources
        self.ctx = ctx
        self.errors: list[SlsCdkError] = []
        self._final: set[KeyPath] = set()
        self._failed: set[KeyPath] = set()
        self._stack: list[KeyPath] = []
        self._files: dict[Path, FileContent] = {}
        self._origin: tuple[SourceMap, KeyPath] | None = None
        """Set by ``file()`` (:meth:`came_from`): where the value it just returned was written."""
        self.js_allowed = ctx.allow_js or allows_javascript(data)
        """``${file(x.js)}`` may run: ``--allow-js``, or the file's own ``custom.slsCdk.allowJavaScript``."""
        self._js_run: set[Path] = set()

    # ---- tree access --------------------------------------------------------------------------
    def _get(self, path: KeyPath) -> JsonValue:
        node: JsonValue = self.data
        for key in path:
            node = node[key]
        return node

    def _set(self, path: KeyPath, value: JsonValue) -> None:
        if not path:
            self.data = value
            return
        self._get(path[:-1])[path[-1]] = value

    def _is_final(self, path: KeyPath) -> bool:
        return any(path[:i] in self._final for i in range(len(path) + 1))

    def lookup(self) -> AwsLookup:
        if self.ctx.aws is None:
            self.ctx.aws = AwsLookup(default_region=effective_region(self.ctx.region))
        return self.ctx.aws

    def file_content(self, target: Path, read: Callable[[Path], FileContent]) -> FileContent:
        """``read(target)``, once per file for this configuration."""
        cached = self._files.get(target)
        if cached is None:
            cached = self._files[target] = read(target)
        return cached

    def came_from(self, where: SourceMap, prefix: KeyPath) -> None:
        """Say that the value a source is returning was written at ``prefix`` of ``where``."""
        self._origin = (where, prefix)

    def location(self, path: KeyPath) -> Location:
        return self.sources.locate(path)

    def note_javascript(self, target: Path) -> None:
        """A located notice, once per file, that ``target`` is run with Node."""
        if target in self._js_run:
            return
        self._js_run.add(target)
        path = self._stack[-1] if self._stack else ()
        why = "--allow-js" if self.ctx.allow_js else "custom.slsCdk.allowJavaScript: true"
        shown = os.path.relpath(target, self.ctx.service_dir)
        self.ctx.notices.append(
            JavaScriptNotice(
                f"ran {shown} with Node (allowed by {why})", location=self.location(path), path=path
            )
        )

    def resolve_text(self, text: str) -> JsonValue:
        """``text`` with its variables resolved where the current value is (JavaScript's
        ``resolveVariable`` / ``resolveVariablesInString``)."""
        path = self._stack[-1] if self._stack else ()
        try:
            tpl = parse(text)
        except VarSyntaxError as exc:
            raise VariableError(str(exc), location=self.location(path), path=path) from None
        if tpl.is_plain:
            return text
        return self._evaluate(tpl, text, path)[0]

    # ---- public ---------------------------------------------------------------------------------
    def resolve_all(self) -> JsonObject:
        self.walk(())
        if not self.errors:
            self._check_total_size()
        if not self.errors:
            self.errors.extend(pseudo_errors(self.data, self.sources))
        unique: dict[str, SlsCdkError] = {}
        for err in self.errors:
            unique.setdefault(err.format(), err)
        ErrorGroup.raise_if_any(list(unique.values()))
        return self.data

    def _check_total_size(self) -> None:
        """Each value within :data:`MAX_RESOLVED_SIZE` can still add up (a list of lists of
        references): the whole configuration has a budget too, blamed on its largest key."""
        seen: dict[int, int] = {}
        if _size(self.data, MAX_CONFIG_SIZE, seen) <= MAX_CONFIG_SIZE:
            return
        largest = max(self.data, key=lambda k: _size(self.data[k], MAX_CONFIG_SIZE, seen))
        self._fail(
            (largest,),
            f"the configuration resolves to more than {MAX_CONFIG_SIZE:,} characters, most of them here",
        )

    def walk(self, path: KeyPath) -> None:
        """Resolve everything under ``path``."""
        if self._is_final(path):
            return
        node = self._get(path)
        if isinstance(node, str):
            with contextlib.suppress(_DependencyFailed):
                self.resolve_string(path)
            node = self._get(path)
            if isinstance(node, dict | list) and not self._is_final(path):
                self.walk(path)
            return
        if isinstance(node, dict):
            for key in list(node):
                self.walk((*path, key))
        elif isinstance(node, list):
            for i in range(len(node)):
                self.walk((*path, i))

    def value_at(self, path: KeyPath) -> JsonValue:
        """The fully resolved value at ``path``, or MISSING (used by ``self:``)."""
        cur: KeyPath = ()
        for key in path:
            self._ensure(cur)
            node = self._get(cur)
            if isinstance(node, dict) and str(key) in node:
                cur = (*cur, str(key))
            elif isinstance(node, list) and str(key).isdigit() and int(key) < len(node):
                cur = (*cur, int(key))
            else:
                return MISSING
        self._ensure(cur)
        self.walk(cur)
        if any(cur[: len(p)] == p or p[: len(cur)] == cur for p in self._failed):
            raise _DependencyFailed
        return self._get(cur)

    def _ensure(self, path: KeyPath) -> None:
        if isinstance(self._get(path), str) and not self._is_final(path):
            self.resolve_string(path)

    # ---- strings --------------------------------------------------------------------------------
    def resolve_string(self, path: KeyPath) -> None:
        if path in self._failed:
            raise _DependencyFailed
        if path in self._stack:
            chain = [*self._stack[self._stack.index(path) :], path]
            self._fail(
                path,
                "variables reference each other in a cycle: "
                + " -> ".join(format_path(p) or "(root)" for p in chain),
            )
            raise _DependencyFailed
        if len(self._stack) >= MAX_RESOLUTION_DEPTH:
            self._fail(path, f"variables nest deeper than {MAX_RESOLUTION_DEPTH} levels")
            raise _DependencyFailed
        text = self._get(path)
        try:
            tpl = parse(text)
        except VarSyntaxError as exc:
            self._fail(path, str(exc))
            raise _DependencyFailed from None
        if tpl.is_plain:
            self._final.add(path)
            return
        self._stack.append(path)
        outer_origin, self._origin = self._origin, None
        try:
            quote = self.ctx.shell_quoted is not None and self.ctx.shell_quoted(path)
            value, final = self._evaluate(tpl, text, path, quote=quote)
            origin = self._origin
        except VariableError as exc:
            self._failed.add(path)
            self.errors.append(exc)
            raise _DependencyFailed from None
        finally:
            self._stack.pop()
            self._origin = outer_origin
        if _size(value, MAX_RESOLVED_SIZE) > MAX_RESOLVED_SIZE:
            self._fail(
                path, f"resolves to more than {MAX_RESOLVED_SIZE:,} characters (variables multiply a value?)"
            )
            raise _DependencyFailed
        self._set(path, value)
        if origin is not None and tpl.single is not None:
            # Values that came whole from a YAML file keep that file's lines in messages.
            self.sources.graft(path, *origin)
        if final or not isinstance(value, dict | list | str):
            self._final.add(path)

    def _fail(self, path: KeyPath, message: str) -> None:
        self._failed.add(path)
        self.errors.append(VariableError(message, location=self.location(path), path=path))

    def _evaluate(
        self, tpl: Template, text: str, path: KeyPath, *, quote: bool = False
    ) -> tuple[JsonValue, bool]:
        """Value of a template; ``final`` is False when the value may hold more variables.

        With ``quote`` each value placed inside the text is shell-quoted (hook commands)."""
        var = tpl.single
        if var is not None:
            return self._variable(var, text, path)
        pieces: list[JsonValue] = []
        for part in tpl.parts:
            if isinstance(part, str):
                pieces.append(part)
                continue
            value, _ = self._variable(part, text, path)
            piece = _interpolate(value, text[part.start : part.end], self, path)
            pieces.append(shlex.quote(piece) if quote and isinstance(piece, str) else piece)
        return _join(pieces), True

    def _text_of(self, tpl: Template | None, text: str, path: KeyPath) -> str | None:
        if tpl is None:
            return None
        value, _ = self._evaluate(tpl, text, path)
        if isinstance(value, str) and not holds_pseudo(value):
            return value
        piece = _interpolate(value, text, self, path)
        if not isinstance(piece, str) or holds_pseudo(piece):
            raise VariableError(
                f"{text}: a variable's address must be text, not a CloudFormation value",
                location=self.location(path),
                path=path,
            )
        return piece

    def _variable(self, var: Var, text: str, path: KeyPath) -> tuple[JsonValue, bool]:
        shown = text[var.start : var.end]
        for src in var.sources:
            if isinstance(src, Literal):
                return src.value, True
            value, final = self._source(src, shown, text, path)
            if value is not MISSING:
                return value, final
        first = var.sources[0]
        assert isinstance(first, Ref)
        raise VariableError(
            f"cannot resolve {shown}: {MISSING_REASONS.get(first.type, _NO_VALUE)}",
            location=self.location(path),
            path=path,
            hint="add a fallback, e.g. ${" + first.type + ":..., 'default'}"
            if len(var.sources) == 1
            else None,
        )

    def _source(self, ref: Ref, shown: str, text: str, path: KeyPath) -> tuple[JsonValue, bool]:
        fn = SOURCES.get(ref.type)
        allowed = self.ctx.allowed_sources
        if fn is not None and allowed is not None and ref.type not in allowed:
            raise VariableError(
                f"{shown}: only {', '.join(sorted(allowed))} sources can be used in a {self.ctx.where}",
                location=self.location(path),
                path=path,
            )
        if fn is None:
            guess = did_you_mean(ref.type, SOURCES)
            raise VariableError(
                f"unknown variable source {ref.type!r} in {shown}",
                location=self.location(path),
                path=path,
                hint=f"did you mean {guess!r}?" if guess else f"known sources: {', '.join(sorted(SOURCES))}",
            )
        address = Address(
            ref.type,
            self._text_of(ref.address, text, path),
            tuple(self._evaluate(p, text, path)[0] for p in ref.params),
            shown,
        )
        try:
            value = fn(address, self)
        except VariableError as exc:
            if exc.location is None:
                exc.location, exc.path = self.location(path), path
            raise
        return value, ref.type not in NON_FINAL_SOURCES


def _interpolate(value: JsonValue, shown: str, resolver: Resolver, path: KeyPath) -> str | JsonObject:
    """A value placed inside a longer string, converted like JavaScript's ``String()``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, int | float | str):
        return _js_number(value) if not isinstance(value, str) else value
    if isinstance(value, dict) and len(value) == 1 and value.get("Ref") in PSEUDO_IN_TEXT:
        return PSEUDO_IN_TEXT[str(value["Ref"])]  # the string stays a string (see .pseudo)
    if isinstance(value, dict) and len(value) == 1 and next(iter(value)).startswith(("Ref", "Fn::")):
        return value  # a CloudFormation value: joined with Fn::Join
    raise VariableError(
        f"{shown} yields a {'list' if isinstance(value, list) else 'mapping'}, "
        "which cannot be placed inside a string",
        location=resolver.location(path),
        path=path,
    )


def _size(value: JsonValue, cap: int, seen: dict[int, int] | None = None) -> int:
    """Characters plus one per value, as the template would hold them (a branch shared by a
    multiplied list counts each time it appears), computed once per distinct branch and no
    further than past ``cap``."""
    if isinstance(value, str):
        return 1 + len(value)
    if not isinstance(value, dict | list):
        return 1
    seen = {} if seen is None else seen
    known = seen.get(id(value))
    if known is not None:
        return known
    total = 1
    children = value.items() if isinstance(value, dict) else enumerate(value)
    for key, child in children:
        total += len(str(key)) if isinstance(value, dict) else 0
        total += _size(child, cap, seen)
        if total > cap:
            break
    seen[id(value)] = total
    return total


def _js_number(value: int | float) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _join(pieces: list[JsonValue]) -> JsonValue:
    if all(isinstance(p, str) for p in pieces):
        return "".join(pieces)
    merged: list[JsonValue] = []
    for p in pieces:
        if isinstance(p, str) and merged and isinstance(merged[-1], str):
            merged[-1] += p
        elif p != "":
            merged.append(p)
    return {"Fn::Join": ["", merged]}


def resolve_config(data: JsonObject, sources: SourceMap, ctx: ResolveContext) -> JsonObject:
    """Resolve all variables of ``data`` (a private copy is made); raise all errors at once."""
    resolver = Resolver(json.loads(json.dumps(data)), sources, ctx)
    return resolver.resolve_all()
