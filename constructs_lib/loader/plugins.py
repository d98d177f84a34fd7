"""What we do about each Serverless plugin a service lists, in one table.

* ``IMPLEMENTED``: we reproduce what the plugin does.
* ``LOCAL_ONLY``: the plugin only matters for local development or for packaging steps we replace;
  accepted with a one-line notice.
* ``CHANGES_TEMPLATE``: the plugin changes the compiled template; synthesizing without it would
  silently differ from what v3 deploys, so it is an error unless acknowledged with
  ``custom.slsCdk.acknowledgePlugins: [name]`` (documented in the README).
* Anything else is unknown: an error, acknowledgeable the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from constructs_lib.errors import ConfigError, Location

IMPLEMENTED: dict[str, str] = {
    "serverless-plugin-scripts": "custom.scripts hooks and commands (hooks run with --build)",
    "serverless-plugin-warmup": "8.4.1: warmer functions, their roles, schedules and code",
}

LOCAL_ONLY: dict[str, str] = {
    "serverless-offline": "local HTTP emulation",
    "serverless-dynamodb-local": "local DynamoDB",
    "serverless-dynamodb": "local DynamoDB",
    "serverless-s3-local": "local S3",
    "serverless-offline-sqs": "local SQS",
    "serverless-offline-sns": "local SNS",
    "serverless-dotenv-plugin": "loads .env files (use useDotenv: true)",
    "serverless-prune-plugin": "deletes old function versions after deploy",
    "serverless-plugin-log-retention": "sets log retention (logRetentionInDays is translated)",
    "serverless-deployment-bucket": "creates the deployment bucket before deploy",
}

CHANGES_TEMPLATE: dict[str, str] = {
    "serverless-iam-roles-per-function": "one IAM role per function",
    "serverless-webpack": "bundles JavaScript handlers",
    "serverless-esbuild": "bundles JavaScript handlers",
    "serverless-plugin-typescript": "compiles TypeScript handlers",
    "serverless-python-requirements": "adds Python dependencies to the package (and layers)",
    "serverless-domain-manager": "custom domains and base path mappings",
    "serverless-step-functions": "state machines",
    "serverless-appsync-plugin": "AppSync APIs",
    "serverless-plugin-tracing": "X-Ray tracing settings",
    "serverless-plugin-split-stacks": "moves resources to nested stacks",
    "serverless-associate-waf": "WAF associations",
    "serverless-api-gateway-caching": "API Gateway caching",
    "serverless-plugin-canary-deployments": "CodeDeploy aliases and hooks",
    "serverless-lift": "constructs: queues, buckets, websites...",
}


@dataclass(frozen=True)
class PluginNotice:
    plugin: str
    message: str


def check_plugins(
    plugins: list[str],
    acknowledged: list[str],
    *,
    path_of: Callable[[int], tuple[str | int, ...]],
    locate: Callable[[tuple[str | int, ...]], Location],
) -> tuple[list[PluginNotice], list[ConfigError]]:
    """Notices to print and errors to raise for the service's ``plugins`` list."""
    notices: list[PluginNotice] = []
    errors: list[ConfigError] = []
    for i, name in enumerate(plugins):
        if name in IMPLEMENTED:
            continue
        if name in LOCAL_ONLY:
            notices.append(
                PluginNotice(name, f"plugin {name} ignored: {LOCAL_ONLY[name]} is not part of the template")
            )
            continue
        if name in acknowledged:
            changes = CHANGES_TEMPLATE.get(name, "unknown effects")
            notices.append(
                PluginNotice(name, f"plugin {name} acknowledged: its changes ({changes}) are NOT applied")
            )
            continue
        what = CHANGES_TEMPLATE.get(name)
        reason = (
            f"it changes the compiled template ({what})" if what else "sls-cdk does not know what it does"
        )
        errors.append(
            ConfigError(
                f"plugin {name!r} is not supported: {reason}",
                location=locate(path_of(i)),
                path=path_of(i),
                hint=f"to synthesize without it, add it to custom.slsCdk.acknowledgePlugins: [{name}]",
            )
        )
    return notices, errors
