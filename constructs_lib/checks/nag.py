"""cdk-nag (v3) as an opt-in CDK validation plugin: ``sls-cdk synth --nag`` / ``cdk synth -c nag=true``.

Runs the AwsSolutions and Serverless packs over every stack. Findings that follow from Serverless
v3's own semantics (what a v3 service does unless it opts in) are acknowledged here, each with its
reason: stack-wide in :data:`V3_SEMANTICS`, and on the one resource v3 generates by default in
:func:`v3_default_findings` (its deployment bucket; functions on v3's default runtime), so the same
rule still reports a resource the user wrote. Everything else fails the synthesis and is shown to
the user, who can acknowledge more with ``custom.slsCdk.acknowledgeNag: {RuleId: reason}``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from constructs_lib.naming import deployment_bucket_logical_id, lambda_logical_id

if TYPE_CHECKING:
    from constructs import Construct

    from constructs_lib.config.model import Service

__all__ = ["V3_SEMANTICS", "enable_nag", "nag_findings", "user_acknowledgements", "v3_default_findings"]

#: Finding id -> why a Serverless v3 service has it by design.
V3_SEMANTICS: dict[str, str] = {
    "Serverless::Serverless-LambdaTracing": "X-Ray tracing is opt-in in v3 (provider.tracing.lambda)",
    "Serverless::Serverless-LambdaDLQ": "v3 functions have a dead letter target only with onError",
    "Serverless::Serverless-LambdaAsyncFailureDestination": "v3 sets failure destinations only if asked",
    "Serverless::Serverless-CloudWatchLogGroupRetentionPeriod": "v3 keeps logs unless told a retention",
    "Serverless::Serverless-APIGWDefaultThrottling": "v3 leaves stage throttling at the account default",
    "Serverless::Serverless-APIGWAccessLogging": "access logs are opt-in in v3 (provider.logs.httpApi)",
    "AwsSolutions::AwsSolutions-APIG1": "access logs are opt-in in v3 (provider.logs.*)",
    "AwsSolutions::AwsSolutions-APIG4": "routes without an authorizer are public, as the service says",
}


_LATEST_RUNTIME = ("AwsSolutions::AwsSolutions-L1", "Serverless::Serverless-LambdaLatestVersion")


def v3_default_findings(service: Service) -> dict[str, dict[str, str]]:
    """``{logical ID: {rule: reason}}``: findings on resources v3 makes this way unless told
    otherwise; acknowledged on those resources only."""
    out: dict[str, dict[str, str]] = {
        deployment_bucket_logical_id(): {
            "AwsSolutions::AwsSolutions-S1": "v3's deployment bucket holds deployment artifacts; "
            "v3 creates it without server access logs"
        }
    }
    if "runtime" in service.provider.model_fields_set:
        return out
    runtime = service.provider.runtime
    for key, fn in service.functions.items():
        if fn.runtime is None and fn.image is None:
            reason = f"no runtime written: v3's default runtime, {runtime}"
            out[lambda_logical_id(key)] = dict.fromkeys(_LATEST_RUNTIME, reason)
    return out


class _LoadedService(Protocol):
    @property
    def model(self) -> Service: ...

    @property
    def stack_name(self) -> str: ...


class _Project(Protocol):
    @property
    def services(self) -> Sequence[_LoadedService]: ...


def user_acknowledgements(project: _Project) -> dict[str, str]:
    """``custom.slsCdk.acknowledgeNag`` of every service: ``{'<Pack>::<RuleId>': reason}``."""
    extra: dict[str, str] = {}
    for svc in project.services:
        slscdk = (svc.model.custom or {}).get("slsCdk") or {}
        acknowledged = slscdk.get("acknowledgeNag") if isinstance(slscdk, dict) else None
        if isinstance(acknowledged, dict):
            extra.update({str(k): str(v) for k, v in acknowledged.items()})
    return extra


def enable_nag(
    app: Construct, project: _Project | None = None, extra: Mapping[str, str] | None = None
) -> None:
    """Register the packs on ``app``; acknowledge :data:`V3_SEMANTICS` (and ``extra``) per stack
    and :func:`v3_default_findings` per resource. Without ``project``, the services are those of
    the app's ``ServiceStack``s (an app composed in Python); call it once every stack is built."""
    from aws_cdk import Acknowledgment, CfnResource, Stack, Validations
    from cdk_nag import AwsSolutionsChecks, ServerlessChecks

    Validations.of(app).add_plugins(AwsSolutionsChecks(app), ServerlessChecks(app))
    acknowledged = {**V3_SEMANTICS, **(extra or {})}
    loaded = project.services if project is not None else _stack_services(app)
    services = {svc.stack_name: svc for svc in loaded}
    for child in app.node.children:
        if not isinstance(child, Stack):
            continue
        Validations.of(child).acknowledge(
            *(Acknowledgment(id=rule, reason=reason) for rule, reason in acknowledged.items())
        )
        svc = services.get(child.stack_name)
        by_logical_id = v3_default_findings(svc.model) if svc else {}
        for element in child.node.find_all():
            if not isinstance(element, CfnResource):
                continue
            rules = by_logical_id.get(str(child.resolve(element.logical_id)))
            if rules:
                Validations.of(element).acknowledge(
                    *(Acknowledgment(id=rule, reason=reason) for rule, reason in rules.items())
                )


def _stack_services(app: Construct) -> list[_LoadedService]:
    found: list[_LoadedService] = []
    for child in app.node.children:
        service = getattr(child, "service", None)
        if service is not None and hasattr(service, "model") and hasattr(service, "stack_name"):
            found.append(service)
    return found


def nag_findings(outdir: Path) -> list[str]:
    """``plugin rule severity: description (construct paths)`` per finding in a validation report."""
    report = outdir / "validation-report.json"
    if not report.is_file():
        return []
    lines = []
    for plugin in json.loads(report.read_text()).get("pluginReports", []):
        for violation in plugin.get("violations", []):
            paths = ", ".join(c["constructPath"] for c in violation.get("violatingConstructs", []))
            lines.append(
                f"{plugin['pluginName']} {violation['ruleName']} ({violation.get('severity', '?')}): "
                f"{violation['description']} [{paths}]"
            )
    return lines
