"""``sls-cdk domain create|delete PATH``: serverless-domain-manager's ``sls create_domain`` and
``sls delete_domain`` (the custom domains of ``custom.customDomain``/``customDomains``, their
certificate looked up in ACM, their Route 53 records), with boto3, for each service of PATH that
configures one. ``AWS_ENDPOINT_URL`` and the standard credentials are honoured; the profile is
``--profile``, else ``provider.profile``, as the plugin does."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from constructs_lib.cli import output
from constructs_lib.cli.help import add_command
from constructs_lib.cli.loading import add_project_args, load, report
from constructs_lib.errors import ErrorGroup, SlsCdkError

if TYPE_CHECKING:
    from constructs_lib.plugins.domain_manager import Account, Domain

__all__ = ["add_domain_parser", "cmd_domain"]


def add_domain_parser(sub: Any) -> None:
    domain = add_command(
        sub, "domain", "like `sls create_domain` / `sls delete_domain` (serverless-domain-manager)"
    )
    domain.add_argument("action", choices=("create", "delete"), help="create or delete the domains")
    add_project_args(domain)
    domain.add_argument("--profile", help="AWS profile (default: provider.profile)")


def _tags(provider: Any) -> dict[str, str]:
    tags: dict[str, str] = {}
    for key in ("stackTags", "tags"):
        value = provider.get(key) if isinstance(provider, dict) else None
        if isinstance(value, dict):
            tags.update({str(k): str(v) for k, v in value.items()})
    return tags


def _printer(label: str) -> Callable[[str], None]:
    return lambda text: print(f"{label}: {text}")


def cmd_domain(args: argparse.Namespace) -> int:
    from constructs_lib.config.model.service import config_validation_mode
    from constructs_lib.plugins.domain_manager import Account, create_domain, delete_domain, domains

    project = load(args)
    report(project)
    configured = [
        svc
        for svc in project.services
        if any(k in (svc.data.get("custom") or {}) for k in ("customDomain", "customDomains"))
    ]
    if not configured:  # the plugin's "Plugin configuration is missing", located at the first service
        domains(project.services[0].data, project.services[0].sources, stage="", mode="error")
    planned: list[tuple[Domain, Account]] = []
    errors: list[SlsCdkError] = []
    for svc in configured:
        mode = config_validation_mode(svc.data, strict=args.strict)
        try:
            found, warnings = domains(svc.data, svc.sources, stage=svc.stage, mode=mode)
        except SlsCdkError as exc:
            errors.append(exc)
            continue
        for warning in warnings:
            output.warning(warning)
        provider = svc.data.get("provider") or {}
        account = Account(
            region=svc.region,
            profile=args.profile or provider.get("profile"),
            tags=_tags(provider),
            say=_printer(svc.label),
        )
        planned.extend((domain, account) for domain in found)
    ErrorGroup.raise_if_any(errors)
    act = create_domain if args.action == "create" else delete_domain
    for domain, account in planned:
        act(domain, account)
    return 0
