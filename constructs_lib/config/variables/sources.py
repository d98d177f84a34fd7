"""The variable sources: one plug-in per name written before the colon, registered in
:data:`SOURCES`. Each returns the value, or :data:`MISSING` so the next fallback is tried."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import stat
from collections.abc import Mapping, MutableMapping
from pathlib import Path
from typing import TYPE_CHECKING

from constructs_lib.config.data import JsonValue, Key
from constructs_lib.config.defaults import effective_region, effective_stage
from constructs_lib.config.source import MAX_FILE_BYTES, load_yaml_text, read_text
from constructs_lib.config.variables.base import MISSING, Address, FileContent, ResolveContext, Source
from constructs_lib.config.variables.git import source_git
from constructs_lib.config.variables.javascript import JS_SUFFIXES, run_javascript
from constructs_lib.errors import Location, VariableError

if TYPE_CHECKING:
    from constructs_lib.config.variables.engine import Resolver

__all__ = ["MISSING_REASONS", "NON_FINAL_SOURCES", "SOURCES"]


def _source_opt(a: Address, r: Resolver) -> JsonValue:
    if not a.address:
        return dict(r.ctx.options)
    value = r.ctx.options.get(a.address)
    return MISSING if value is None else value


def _source_self(a: Address, r: Resolver) -> JsonValue:
    if not a.address:
        r.walk(())
        return r.data
    return r.value_at(tuple(a.address.split(".")))


def _source_env(a: Address, r: Resolver) -> JsonValue:
    if not a.address:
        raise VariableError(f"{a.text}: the env source needs a variable name")
    value = r.ctx.env.get(a.address)
    return MISSING if value is None else value


def _given(value: JsonValue) -> str | None:
    """A value that counts as given (not missing, not empty), as text."""
    return None if value is MISSING or not value else str(value)


def _stage(r: Resolver) -> str:
    """:func:`effective_stage`; ``provider.stage`` is read only when no option is given (so
    ``provider.stage: ${sls:stage}`` is no cycle)."""
    option = _given(r.ctx.options.get("stage"))
    return effective_stage(option, None if option else _given(r.value_at(("provider", "stage"))))


def _source_sls(a: Address, r: Resolver) -> JsonValue:
    if a.address == "stage":
        return _stage(r)
    if a.address == "instanceId":
        service = r.value_at(("service",))
        digest = hashlib.sha256(f"{service}:{_stage(r)}".encode()).hexdigest()
        return digest[:13]
    raise VariableError(f"{a.text}: the sls source knows 'stage' and 'instanceId', not {a.address!r}")


def _source_param(a: Address, r: Resolver) -> JsonValue:
    if not a.address:
        raise VariableError(f"{a.text}: the param source needs a parameter name")
    value = r.ctx.params.get(a.address)
    return MISSING if value is None else value


def _source_str_to_bool(a: Address, r: Resolver) -> JsonValue:
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


def _source_aws(a: Address, r: Resolver) -> JsonValue:
    if a.address == "region":
        return _region_here(r)
    pseudo = _AWS_PSEUDO.get(a.address or "")
    if pseudo is None:
        raise VariableError(
            f"{a.text}: the aws source knows accountId, region and partition, not {a.address!r}"
        )
    return {"Ref": pseudo}


_SSM_FLAGS = ("raw", "noDecrypt")


def _region_here(r: Resolver) -> str:
    """The stack's region: :func:`effective_region` (``provider.region`` read only when needed)."""
    option = r.ctx.region or None
    return effective_region(option, None if option else _given(r.value_at(("provider", "region"))))


def _other_region(requested: JsonValue, r: Resolver) -> str | None:
    """``requested`` when it names a region other than the stack's, else None."""
    if requested in (None, ""):
        return None
    return None if requested == _region_here(r) else str(requested)


def _source_ssm(a: Address, r: Resolver) -> JsonValue:
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


def _source_cf(a: Address, r: Resolver) -> JsonValue:
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


def _source_s3(a: Address, r: Resolver) -> JsonValue:
    bucket, slash, key = (a.address or "").partition("/")
    if not slash or not bucket or not key:
        raise VariableError(f"{a.text}: the s3 source needs 'bucket/key'")
    value = r.lookup().s3_object(bucket, key)
    return MISSING if value is None else value


def _source_file(a: Address, r: Resolver) -> JsonValue:
    if not a.params or not isinstance(a.params[0], str) or not a.params[0]:
        raise VariableError(f"{a.text}: file() needs a path")
    target = _safe_project_path(a.params[0], r.ctx, a.text)
    if not target.exists():
        return MISSING
    if target.suffix in JS_SUFFIXES:
        return run_javascript(target, a, r)
    value, where = r.file_content(target, lambda path: _read_variable_file(path, r.ctx))
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
        r.came_from(where, tuple(prefix))
    return json.loads(json.dumps(value))  # a private copy: it will be resolved in place


def _safe_project_path(raw: str, ctx: ResolveContext, shown: str) -> Path:
    """``raw`` (relative to the service folder) when it lies inside the project root."""
    candidate = Path(raw)
    root = ctx.project_root.resolve()
    full = (ctx.service_dir / candidate).resolve()
    if full == root or root in full.parents:
        return full
    where = f"the project root {root} ({ctx.root_reason})"
    if candidate.is_absolute():
        raise VariableError(
            f"{shown}: absolute paths are refused outside {where}",
            hint="use a path inside the project root",
        )
    raise VariableError(
        f"{shown}: {raw!r} points outside the project: it resolves to {full}, outside {where}",
        hint="${file()} reads only inside the compose project, git repository or service folder",
    )


def _read_variable_file(target: Path, ctx: ResolveContext) -> FileContent:
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
    "git": source_git,  # serverless-plugin-git-variables, only when the service lists it
}

#: Sources whose values may themselves hold variables that must still be resolved.
NON_FINAL_SOURCES = frozenset({"file"})

#: Why a source found nothing, for the message when no fallback is given.
MISSING_REASONS: Mapping[str, str] = {
    "env": "the environment variable is not set and there is no fallback",
    "opt": "the option was not given (-c / --opt) and there is no fallback",
    "self": "no value at that path of the configuration",
    "param": "no such parameter (--param k=v or compose params) and there is no fallback",
    "cf": "that stack or output does not exist and there is no fallback",
    "s3": "that object does not exist and there is no fallback",
    "ssm": "that parameter does not exist and there is no fallback",
    "file": "the file or the key in it does not exist and there is no fallback",
}
