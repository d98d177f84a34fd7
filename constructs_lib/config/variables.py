"""Resolution of Serverless v3 variables over a parsed configuration.

Sources are plug-ins behind one small interface: a function ``(ref, resolver) -> value`` that
returns :data:`MISSING` when it has no value (so the next fallback is tried). Register new ones in
:data:`SOURCES`. All problems are collected and raised together as one :class:`ErrorGroup`.

What each source becomes (values AWS alone knows stay deploy-time CloudFormation):

=====================  ===========================================================================
``${opt:x}``           the option given on the command line / CDK context (``-c x=..``), as text
``${self:a.b}``        the resolved value at that path of this configuration (any type)
``${env:X}``           the environment variable, as text (``.env`` files load with ``useDotenv``)
``${sls:stage}``       the stage in force (option, else ``provider.stage``, else ``dev``)
``${sls:instanceId}``  a stable id derived from service and stage (v3 draws a random one per run)
``${param:k}``         ``--param k=v``, else compose ``params``, else ``params.<stage>``/``default``
``${file(p):a.b}``     YAML / JSON / text file inside the project (``.js`` files are not executed)
``${strToBool(x)}``    ``true``/``false``/``1``/``0`` -> boolean
``${aws:accountId}``   ``{"Ref": "AWS::AccountId"}``; ``partition`` -> ``AWS::Partition``;
                       ``region`` -> the region of the stack (known at synth time)
``${ssm:/p}``          the dynamic reference ``{{resolve:ssm:/p}}``, read by CloudFormation at deploy;
                       ``/aws/reference/secretsmanager/id`` -> ``{{resolve:secretsmanager:id}}``
``${ssm(reg):/p}``     another region: read at synth time with boto3 (StringList -> list; a
                       secret's JSON -> object unless ``raw``; ``noDecrypt`` honoured)
``${cf:stack.Key}``    a stack of this app -> ``Fn::ImportValue`` of its v3 export name; another
                       deployed stack -> ``Fn::ImportValue`` when the output is exported, else its
                       value read at synth time with boto3
``${cf(reg):s.Key}``   another region: the output's value, read at synth time (exports are regional)
``${s3:bucket/key}``   the object's text, read at synth time with boto3
=====================  ===========================================================================

Synth-time reads need AWS credentials; without them the error says so and names the key. A
missing stack, output, object or parameter counts as "no value", so fallbacks apply.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shlex
import stat
from collections.abc import Callable, Mapping, MutableMapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from constructs_lib.config.aws_lookup import AwsLookup
from constructs_lib.config.source import MAX_FILE_BYTES, SourceMap, load_yaml_text, read_text
from constructs_lib.config.varsyntax import Literal, Ref, Template, Var, VarSyntaxError, parse
from constructs_lib.errors import ErrorGroup, Location, SlsCdkError, VariableError, did_you_mean, format_path

__all__ = ["MISSING", "SOURCES", "ResolveContext", "Resolver", "resolve_config"]

Key = str | int
Path_ = tuple[Key, ...]

#: Nested resolution deeper than this is a mistake (v3 stops at a similar depth).
MAX_RESOLUTION_DEPTH = 40


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()


@dataclass(frozen=True)
class Address:
    """A source reference with its address and params already resolved."""

    type: str
    address: str | None
    params: tuple[Any, ...]
    text: str  # how the user wrote the whole variable, for messages


@dataclass
class ResolveContext:
    """Everything outside the file that variables may read."""

    service_dir: Path
    project_root: Path
    options: Mapping[str, Any] = field(default_factory=dict)
    env: Mapping[str, str] = field(default_factory=lambda: dict(os.environ))
    params: Mapping[str, Any] = field(default_factory=dict)
    region: str | None = None
    allowed_sources: frozenset[str] | None = None
    """When set, only these sources may be used (a compose file allows ``sls`` and ``env``)."""
    where: str = "serverless.yml"
    known_stacks: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    """Stacks of this app: stack name -> (export-name prefix ``sls-<service>-<stage>-``, region)."""
    aws: AwsLookup | None = None
    """Synth-time AWS reads; made on first use with the default credential chain."""
    shell_quoted: Callable[[Path_], bool] | None = None
    """Paths whose interpolated values are shell-quoted (build hook commands)."""


class _DependencyFailed(Exception):
    """A referenced value failed to resolve; its own error is already recorded."""


class _Cycle(Exception):
    def __init__(self, chain: list[Path_]) -> None:
        self.chain = chain


Source = Callable[[Address, "Resolver"], Any]


class Resolver:
    """Resolves every variable of one configuration in place."""

    def __init__(self, data: dict[str, Any], sources: SourceMap, ctx: ResolveContext) -> None:
        self.data = data
        self.sources = sources
        self.ctx = ctx
        self.errors: list[SlsCdkError] = []
        self._final: set[Path_] = set()
        self._failed: set[Path_] = set()
        self._stack: list[Path_] = []
        self._files: dict[Path, tuple[Any, SourceMap | None]] = {}
        self._origin: tuple[SourceMap, Path_] | None = None
        """Set by ``file()``: where the value it just returned was written."""

    # ---- tree access --------------------------------------------------------------------------
    def _get(self, path: Path_) -> Any:
        node: Any = self.data
        for key in path:
            node = node[key]
        return node

    def _set(self, path: Path_, value: Any) -> None:
        if not path:
            self.data = value
            return
        self._get(path[:-1])[path[-1]] = value

    def _is_final(self, path: Path_) -> bool:
        return any(path[:i] in self._final for i in range(len(path) + 1))

    def lookup(self) -> AwsLookup:
        if self.ctx.aws is None:
            self.ctx.aws = AwsLookup(default_region=self.ctx.region or "us-east-1")
        return self.ctx.aws

    def location(self, path: Path_) -> Location:
        return self.sources.locate(path)

    # ---- public ---------------------------------------------------------------------------------
    def resolve_all(self) -> dict[str, Any]:
        self.walk(())
        unique: dict[str, SlsCdkError] = {}
        for err in self.errors:
            unique.setdefault(err.format(), err)
        ErrorGroup.raise_if_any(list(unique.values()))
        return self.data

    def walk(self, path: Path_) -> None:
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

    def value_at(self, path: Path_) -> Any:
        """The fully resolved value at ``path``, or MISSING (used by ``self:``)."""
        cur: Path_ = ()
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

    def _ensure(self, path: Path_) -> None:
        if isinstance(self._get(path), str) and not self._is_final(path):
            self.resolve_string(path)

    # ---- strings --------------------------------------------------------------------------------
    def resolve_string(self, path: Path_) -> None:
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
        self._set(path, value)
        if origin is not None and tpl.single is not None:
            # Values that came whole from a YAML file keep that file's lines in messages.
            self.sources.graft(path, *origin)
        if final or not isinstance(value, dict | list | str):
            self._final.add(path)

    def _fail(self, path: Path_, message: str) -> None:
        self._failed.add(path)
        self.errors.append(VariableError(message, location=self.location(path), path=path))

    def _evaluate(self, tpl: Template, text: str, path: Path_, *, quote: bool = False) -> tuple[Any, bool]:
        """Value of a template; ``final`` is False when the value may hold more variables.

        With ``quote`` each value placed inside the text is shell-quoted (hook commands)."""
        var = tpl.single
        if var is not None:
            return self._variable(var, text, path)
        pieces: list[Any] = []
        for part in tpl.parts:
            if isinstance(part, str):
                pieces.append(part)
                continue
            value, _ = self._variable(part, text, path)
            piece = _interpolate(value, text[part.start : part.end], self, path)
            pieces.append(shlex.quote(piece) if quote and isinstance(piece, str) else piece)
        return _join(pieces), True

    def _text_of(self, tpl: Template | None, text: str, path: Path_) -> str | None:
        if tpl is None:
            return None
        value, _ = self._evaluate(tpl, text, path)
        if isinstance(value, str):
            return value
        return _interpolate(value, text, self, path)

    def _variable(self, var: Var, text: str, path: Path_) -> tuple[Any, bool]:
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
            f"cannot resolve {shown}: {_missing_reason(first, self, text, path)}",
            location=self.location(path),
            path=path,
            hint="add a fallback, e.g. ${" + first.type + ":..., 'default'}"
            if len(var.sources) == 1
            else None,
        )

    def _source(self, ref: Ref, shown: str, text: str, path: Path_) -> tuple[Any, bool]:
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
        return value, ref.type not in _NON_FINAL_SOURCES


def _missing_reason(ref: Ref, resolver: Resolver, text: str, path: Path_) -> str:
    if ref.type == "env":
        return "the environment variable is not set and there is no fallback"
    if ref.type == "opt":
        return "the option was not given (-c / --opt) and there is no fallback"
    if ref.type == "self":
        return "no value at that path of the configuration"
    if ref.type == "param":
        return "no such parameter (--param k=v or compose params) and there is no fallback"
    if ref.type == "cf":
        return "that stack or output does not exist and there is no fallback"
    if ref.type == "s3":
        return "that object does not exist and there is no fallback"
    if ref.type == "ssm":
        return "that parameter does not exist and there is no fallback"
    if ref.type == "file":
        return "the file or the key in it does not exist and there is no fallback"
    return "no value found and there is no fallback"


def _interpolate(value: Any, shown: str, resolver: Resolver, path: Path_) -> Any:
    """A value placed inside a longer string, converted like JavaScript's ``String()``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, int | float | str):
        return _js_number(value) if not isinstance(value, str) else value
    if isinstance(value, dict) and len(value) == 1 and next(iter(value)).startswith(("Ref", "Fn::")):
        return value  # a CloudFormation value: joined with Fn::Join
    raise VariableError(
        f"{shown} yields a {'list' if isinstance(value, list) else 'mapping'}, "
        "which cannot be placed inside a string",
        location=resolver.location(path),
        path=path,
    )


def _js_number(value: int | float) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _join(pieces: list[Any]) -> Any:
    if all(isinstance(p, str) for p in pieces):
        return "".join(pieces)
    merged: list[Any] = []
    for p in pieces:
        if isinstance(p, str) and merged and isinstance(merged[-1], str):
            merged[-1] += p
        elif p != "":
            merged.append(p)
    return {"Fn::Join": ["", merged]}


# ---- sources ------------------------------------------------------------------------------------


def _source_opt(a: Address, r: Resolver) -> Any:
    if not a.address:
        return dict(r.ctx.options)
    value = r.ctx.options.get(a.address)
    return MISSING if value is None else value


def _source_self(a: Address, r: Resolver) -> Any:
    if not a.address:
        r.walk(())
        return r.data
    return r.value_at(tuple(a.address.split(".")))


def _source_env(a: Address, r: Resolver) -> Any:
    if not a.address:
        raise VariableError(f"{a.text}: the env source needs a variable name")
    value = r.ctx.env.get(a.address)
    return MISSING if value is None else value


def _stage(r: Resolver) -> str:
    stage = r.ctx.options.get("stage")
    if stage:
        return str(stage)
    stage = r.value_at(("provider", "stage"))
    return "dev" if stage is MISSING or not stage else str(stage)


def _source_sls(a: Address, r: Resolver) -> Any:
    if a.address == "stage":
        return _stage(r)
    if a.address == "instanceId":
        service = r.value_at(("service",))
        digest = hashlib.sha256(f"{service}:{_stage(r)}".encode()).hexdigest()
        return digest[:13]
    raise VariableError(f"{a.text}: the sls source knows 'stage' and 'instanceId', not {a.address!r}")


def _source_param(a: Address, r: Resolver) -> Any:
    if not a.address:
        raise VariableError(f"{a.text}: the param source needs a parameter name")
    value = r.ctx.params.get(a.address)
    return MISSING if value is None else value


def _source_str_to_bool(a: Address, r: Resolver) -> Any:
    if len(a.params) != 1:
        raise VariableError(f"{a.text}: strToBool takes exactly one argument")
    raw = a.params[0]
    text = str(raw).strip().lower() if not isinstance(raw, bool) else str(raw).lower()
    if text in ("true", "1"):
        return True
    if text in ("false", "0"):
        return False
    raise VariableError(f"{a.text}: strToBool expects true, false, 1 or 0, not {raw!r}")


_AWS_PSEUDO = {"accountId": "AWS::AccountId", "partition": "AWS::Partition"}


def _source_aws(a: Address, r: Resolver) -> Any:
    if a.address == "region":
        if r.ctx.region:
            return r.ctx.region
        region = r.value_at(("provider", "region"))
        return "us-east-1" if region is MISSING or not region else region
    pseudo = _AWS_PSEUDO.get(a.address or "")
    if pseudo is None:
        raise VariableError(
            f"{a.text}: the aws source knows accountId, region and partition, not {a.address!r}"
        )
    return {"Ref": pseudo}


_SSM_FLAGS = ("raw", "noDecrypt")


def _region_here(r: Resolver) -> str:
    return str(_source_aws(Address("aws", "region", (), ""), r))


def _other_region(requested: Any, r: Resolver) -> str | None:
    """``requested`` when it names a region other than the stack's, else None."""
    if requested in (None, ""):
        return None
    return None if requested == _region_here(r) else str(requested)


def _source_ssm(a: Address, r: Resolver) -> Any:
    if not a.address:
        raise VariableError(f"{a.text}: the ssm source needs a parameter name")
    flags = [p for p in a.params if p in _SSM_FLAGS]
    regions = [p for p in a.params if p not in _SSM_FLAGS and p not in (None, "")]
    region = _other_region(regions[0], r) if regions else None
    secret = a.address.removeprefix("/aws/reference/secretsmanager/")
    if region is None:
        # Same region: CloudFormation reads it at deploy time (secrets through Secrets Manager).
        if secret != a.address:
            return "{{resolve:secretsmanager:" + secret + "}}"
        return "{{resolve:ssm:" + a.address + "}}"
    # Dynamic references cannot cross regions: read it now, as v3 does.
    value = r.lookup().ssm_parameter(a.address, region, decrypt="noDecrypt" not in flags)
    if value is None:
        return MISSING
    if secret != a.address and "raw" not in flags and isinstance(value, str):
        with contextlib.suppress(ValueError):
            return json.loads(value)
    return value


def _source_cf(a: Address, r: Resolver) -> Any:
    stack, dot, key = (a.address or "").partition(".")
    if not dot or not stack or not key:
        raise VariableError(f"{a.text}: the cf source needs 'stackName.OutputKey'")
    region = _other_region(a.params[0] if a.params else None, r)
    known = r.ctx.known_stacks.get(stack)
    if known is not None and region is None and known[1] == _region_here(r):
        # A stack of this app in the same region: its outputs carry v3's export names.
        return {"Fn::ImportValue": known[0] + key}
    output = r.lookup().stack_output(stack, key, region or _region_here(r))
    if output is None:
        return MISSING
    if output.export_name and region is None:
        return {"Fn::ImportValue": output.export_name}
    return output.value


def _source_s3(a: Address, r: Resolver) -> Any:
    bucket, slash, key = (a.address or "").partition("/")
    if not slash or not bucket or not key:
        raise VariableError(f"{a.text}: the s3 source needs 'bucket/key'")
    value = r.lookup().s3_object(bucket, key)
    return MISSING if value is None else value


def _source_file(a: Address, r: Resolver) -> Any:
    if not a.params or not isinstance(a.params[0], str) or not a.params[0]:
        raise VariableError(f"{a.text}: file() needs a path")
    target = _safe_project_path(a.params[0], r.ctx, a.text)
    if target.suffix in (".js", ".cjs", ".mjs", ".ts"):
        raise VariableError(f"{a.text}: JavaScript files are not executed; convert it to YAML or JSON")
    if not target.exists():
        return MISSING
    cached = r._files.get(target)
    if cached is None:
        cached = r._files[target] = _read_variable_file(target, r.ctx)
    value, where = cached
    prefix: list[Key] = []
    for key in a.address.split(".") if a.address else ():
        if isinstance(value, dict) and key in value:
            value = value[key]
            prefix.append(key)
        elif isinstance(value, list) and key.isdigit() and int(key) < len(value):
            value = value[int(key)]
            prefix.append(int(key))
        else:
            return MISSING
    if where is not None:
        r._origin = (where, tuple(prefix))
    return json.loads(json.dumps(value))  # a private copy: it will be resolved in place


def _safe_project_path(raw: str, ctx: ResolveContext, shown: str) -> Path:
    candidate = Path(raw)
    if candidate.is_absolute():
        raise VariableError(f"{shown}: absolute paths are refused; use a path inside the project")
    root = ctx.project_root.resolve()
    full = (ctx.service_dir / candidate).resolve()
    if full != root and root not in full.parents:
        raise VariableError(f"{shown}: {raw!r} points outside the project folder {root}")
    return full


def _read_variable_file(target: Path, ctx: ResolveContext) -> tuple[Any, SourceMap | None]:
    """The file's value and, for YAML, where each of its values was written."""
    shown = os.path.relpath(target)
    st = target.stat()
    if not stat.S_ISREG(st.st_mode):
        raise VariableError(f"{shown}: not a regular file")
    if st.st_size > MAX_FILE_BYTES:
        raise VariableError(f"{shown}: file is larger than {MAX_FILE_BYTES} bytes")
    text = read_text(target, label=shown)
    if target.suffix in (".yml", ".yaml"):
        doc = load_yaml_text(text, shown, allow_empty=True, require_mapping=False)
        return doc.data, doc.sources
    if target.suffix in (".json", ".tfstate"):
        try:
            return json.loads(text), None
        except json.JSONDecodeError as exc:
            raise VariableError(
                f"invalid JSON: {exc.msg}", location=Location(shown, exc.lineno, exc.colno)
            ) from None
    return text, None


#: The source plug-ins, by the name written before the colon.
SOURCES: MutableMapping[str, Source] = {
    "opt": _source_opt,
    "self": _source_self,
    "env": _source_env,
    "sls": _source_sls,
    "param": _source_param,
    "file": _source_file,
    "strToBool": _source_str_to_bool,
    "aws": _source_aws,
    "ssm": _source_ssm,
    "cf": _source_cf,
    "s3": _source_s3,
}

#: Sources whose values may themselves hold variables that must still be resolved.
_NON_FINAL_SOURCES = frozenset({"file"})


def resolve_config(data: dict[str, Any], sources: SourceMap, ctx: ResolveContext) -> dict[str, Any]:
    """Resolve all variables of ``data`` (a private copy is made); raise all errors at once."""
    resolver = Resolver(json.loads(json.dumps(data)), sources, ctx)
    return resolver.resolve_all()
