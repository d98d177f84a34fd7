"""Environment variables as Lambda checks them at deploy: names AWS accepts and the 4 KB total,
found at load with the key that sets them (v3 checks neither; CloudFormation fails mid-deploy).

A name starting with ``_`` (then valid) is only a warning: v3's schema allows it and a reference
case packaged by v3 uses one, though Lambda documents that names start with a letter."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping

from constructs_lib.errors import SchemaError, SlsCdkError
from constructs_lib.events.sites import CheckContext

__all__ = ["ENV_NAME", "ENV_TOTAL_MAX_BYTES", "check_environment", "environment_warnings"]

#: Names Lambda accepts (API reference, ``Environment.Variables`` key pattern).
ENV_NAME = re.compile(r"[a-zA-Z][a-zA-Z0-9_]*")
#: "Function environment variables: 4 KB, for all environment variables associated with the
#: function, in aggregate" (Lambda quotas page); Lambda measures the JSON of the map.
ENV_TOTAL_MAX_BYTES = 4096


def _measured(env: Mapping[str, object]) -> int:
    """Bytes of ``{"K":"v",...}`` as Lambda measures it ("String measured: {...}" in its error).

    Intrinsic values (``Ref``, ``Fn::GetAtt``...) are only known at deploy: those entries are
    left out, key and value, so the count is a lower bound and never a false alarm."""
    plain = {k: v for k, v in env.items() if isinstance(v, str)}
    return len(json.dumps(plain, separators=(",", ":"), ensure_ascii=False).encode())


def check_environment(ctx: CheckContext) -> list[SlsCdkError]:
    """Every bad variable name (where it is written: provider or function) and every function
    whose environment exceeds Lambda's 4 KB."""
    errors: list[SlsCdkError] = []
    for name, where in _declared(ctx):
        errors.extend(_name_errors(ctx, name, where))
    for key, fn in ctx.functions.items():
        own = ctx.service.functions[key].environment or {}
        size = _measured(fn.environment or {})
        if size > ENV_TOTAL_MAX_BYTES:
            where = ("functions", key, "environment") if own else ("provider", "environment")
            errors.append(
                ctx.error(
                    f"the environment of function {key!r} is {size} bytes; Lambda allows "
                    f"{ENV_TOTAL_MAX_BYTES} (4 KB, keys and values together)",
                    where,
                    hint="move large values to SSM Parameter Store or Secrets Manager, read at run time",
                )
            )
    return errors


def _declared(ctx: CheckContext) -> list[tuple[str, tuple[str, ...]]]:
    """Every variable name with the key that declares it (provider, then each function)."""
    out: list[tuple[str, tuple[str, ...]]] = [
        (name, ("provider", "environment", name)) for name in ctx.service.provider.environment or {}
    ]
    for key in ctx.functions:
        out.extend(
            (name, ("functions", key, "environment", name))
            for name in ctx.service.functions[key].environment or {}
        )
    return out


def environment_warnings(ctx: CheckContext) -> list[SlsCdkError]:
    """Names that start with ``_``: v3's schema accepts them, Lambda's documented rule (a letter
    first) does not; a warning, so projects v3 packages still load."""
    return [
        SchemaError(
            f"environment variable name {name!r} starts with '_'; Lambda documents that names start "
            "with a letter (v3 accepts it; the deploy may fail)",
            location=ctx.sources.locate(where),
            path=where,
        )
        for name, where in _declared(ctx)
        if name.startswith("_") and ENV_NAME.fullmatch(name[1:] or "x")
    ]


def _name_errors(ctx: CheckContext, name: str, where: tuple[str, ...]) -> list[SlsCdkError]:
    if ENV_NAME.fullmatch(name) or (name.startswith("_") and ENV_NAME.fullmatch(name[1:] or "x")):
        return []  # see environment_warnings
    return [
        ctx.error(
            f"environment variable name {name!r} is refused by Lambda: it must start with a letter "
            "and hold only letters, digits and '_'",
            where,
        )
    ]
