"""Warnings a reviewer wants before a template reaches an account, found at load time with the
line they come from: public function URLs, wildcard IAM grants, secret-looking plain-text
environment values, HTTP API functions that outlive the API's 30 s timeout, an HTTP API whose
CORS answers every origin.
(Runtimes and CORS are warned about in :mod:`constructs_lib.loader.checks`.)"""

from __future__ import annotations

import re

from constructs_lib import limits
from constructs_lib.config.data import KeyPath
from constructs_lib.config.model import EffectiveFunction, Function, IamStatement, Service
from constructs_lib.config.source import SourceMap
from constructs_lib.errors import SchemaError, SlsCdkError

__all__ = ["safety_warnings"]

_SECRET_NAME = re.compile(
    r"(SECRET|PASSWORD|PASSWD|TOKEN|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|CREDENTIAL)", re.I
)
_SECRET_VALUE = re.compile(
    r"(AKIA[0-9A-Z]{16}|-----BEGIN [A-Z ]*PRIVATE KEY-----|xox[baprs]-[0-9A-Za-z-]{10,})"
)


def _warn(sources: SourceMap, path: KeyPath, message: str, hint: str | None = None) -> SlsCdkError:
    return SchemaError(message, location=sources.locate(path), path=path, hint=hint)


def _wildcards(statement: IamStatement) -> list[str]:
    found: list[str] = []
    for action in statement.action or []:
        if action == "*" or action.endswith(":*"):
            found.append(f"action {action!r}")
    resources = statement.resource if isinstance(statement.resource, list) else [statement.resource]
    if statement.effect == "Allow" and "*" in resources:
        found.append("resource '*'")
    return found


def safety_warnings(model: Service, sources: SourceMap, stage: str) -> list[SlsCdkError]:
    """Every warning of the service, each once, in the order of the configuration."""
    out = [*_iam_warnings(model, sources), *_cors_warnings(model, sources)]
    for key in model.functions:
        out.extend(_function_warnings(model, key, sources, stage))
    seen: set[str] = set()
    unique = []
    for warning in out:
        text = warning.format()
        if text not in seen:
            seen.add(text)
            unique.append(warning)
    return unique


def _cors_warnings(model: Service, sources: SourceMap) -> list[SlsCdkError]:
    """``provider.httpApi.cors: true``: every origin, like an explicit ``allowedOrigins: '*'``."""
    http_api = model.provider.http_api
    cors = http_api.cors if http_api else None
    if cors is True or (cors and not isinstance(cors, bool) and "*" in (cors.allowed_origins or ["*"])):
        return [
            _warn(
                sources,
                ("provider", "httpApi", "cors"),
                "the HTTP API's CORS answers every origin ('*'): any web page may call it from a browser",
                hint="list the origins that may call it in cors.allowedOrigins",
            )
        ]
    return []


def _iam_warnings(model: Service, sources: SourceMap) -> list[SlsCdkError]:
    """Wildcard grants in the statements of the generated role."""
    provider = model.provider
    role = provider.role_customisation
    statements: list[tuple[KeyPath, IamStatement]] = []
    if role.statements is not None:
        statements = [
            (("provider", "iam", "role", "statements", i), s) for i, s in enumerate(role.statements)
        ]
    elif provider.iam_role_statements:
        statements = [
            (("provider", "iamRoleStatements", i), s) for i, s in enumerate(provider.iam_role_statements)
        ]
    out: list[SlsCdkError] = []
    for path, statement in statements:
        found = _wildcards(statement)
        if found:
            out.append(
                _warn(
                    sources,
                    path,
                    f"IAM statement grants {' and '.join(found)}",
                    "grant named actions on named ARNs",
                )
            )
    return out


def _function_warnings(model: Service, key: str, sources: SourceMap, stage: str) -> list[SlsCdkError]:
    """Public URL, plain-text secrets, a timeout past the HTTP API's (runtimes: loader/checks.py)."""
    fn = model.functions[key]
    eff = model.function(key, stage=stage)
    out: list[SlsCdkError] = []
    if fn.url is not None and fn.url.authorizer != "aws_iam":
        out.append(
            _warn(
                sources,
                ("functions", key, "url"),
                f"function URL of {key!r} is public (authType NONE): anyone can invoke it",
                "use url.authorizer: aws_iam unless the function checks callers itself",
            )
        )
    out.extend(_secret_warnings(fn, eff, sources))
    where: KeyPath
    if any(t == "httpApi" for t, _ in eff.events) and eff.timeout >= limits.HTTP_API_TIMEOUT_S:
        where = ("functions", key, "timeout") if fn.timeout else ("provider", "timeout")
        out.append(
            _warn(
                sources,
                where,
                f"function {key!r} may run {eff.timeout} s but its HTTP API gives up after "
                f"{limits.HTTP_API_TIMEOUT_S} s",
            )
        )
    return out


def _secret_warnings(fn: Function, eff: EffectiveFunction, sources: SourceMap) -> list[SlsCdkError]:
    """Environment values that look like secrets written in plain text."""
    out: list[SlsCdkError] = []
    for name, value in (eff.environment or {}).items():
        if not isinstance(value, str) or value.startswith("{{resolve:") or not value:
            continue
        if _SECRET_NAME.search(name) or _SECRET_VALUE.search(value):
            where: KeyPath = (
                ("functions", eff.key, "environment", name)
                if fn.environment and name in fn.environment
                else ("provider", "environment", name)
            )
            out.append(
                _warn(
                    sources,
                    where,
                    f"environment variable {name!r} looks like a secret in plain text "
                    "(it ends up in the template)",
                    "use ${ssm:/path} or ${ssm:/aws/reference/secretsmanager/id} (a dynamic reference)",
                )
            )
    return out
