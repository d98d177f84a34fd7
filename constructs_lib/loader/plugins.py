"""The plugin catalogue: what sls-cdk does about each Serverless v3 plugin a service lists.

Every row names the npm package, the version its treatment was checked against (read from that
version's published source) and one treatment:

* ``translated``: we reproduce what the plugin adds to the configuration or the template;
* ``no template effect``: it acts outside ``serverless package`` (local emulators, API calls after
  deploy, CLI commands): accepted with a one-line notice saying why;
* ``packaging``: it builds the functions' code and sls-cdk does not build it yet: a located error
  saying so. A packaging plugin with a builder in :data:`constructs_lib.packaging_plugins.REGISTRY`
  is ``translated`` instead (its row says so: :data:`CATALOGUE` is made that way);
* ``not supported``: it changes the template and we do not reproduce it: a located error saying
  what it does and what to do instead.

``custom.slsCdk.acknowledgePlugins: [name]`` turns the error of a listed plugin (any treatment but
translated, and a local ``./plugin`` path or an unknown name) into a notice that its changes are
not applied.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import Enum

from constructs_lib.errors import ConfigError, Location, did_you_mean
from constructs_lib.packaging_plugins import REGISTRY as PACKAGING_BUILDERS

__all__ = ["CATALOGUE", "Plugin", "PluginNotice", "Treatment", "check_plugins", "describe", "lists_plugin"]


class Treatment(Enum):
    TRANSLATED = "translated"
    NO_TEMPLATE_EFFECT = "no template effect"
    PACKAGING = "packaging"
    NOT_SUPPORTED = "not supported"


@dataclass(frozen=True)
class Plugin:
    """One catalogue row: ``does`` is what the plugin does; ``instead`` what to do instead (errors)."""

    name: str
    version: str
    treatment: Treatment
    does: str
    instead: str = ""


_T, _N, _P, _X = (
    Treatment.TRANSLATED,
    Treatment.NO_TEMPLATE_EFFECT,
    Treatment.PACKAGING,
    Treatment.NOT_SUPPORTED,
)
_PACKAGING_LATER = "sls-cdk does not build code yet: build it first and point package.artifact at the zip"

_ROWS: tuple[Plugin, ...] = (
    # translated
    Plugin("serverless-plugin-scripts", "1.0.2", _T, "custom.scripts hooks (run with --build) and commands"),
    Plugin(
        "serverless-plugin-warmup",
        "8.4.1",
        _T,
        "warmer functions, their roles, schedules and code (custom.warmup, functions.*.warmup)",
    ),
    Plugin(
        "serverless-plugin-git-variables",
        "5.2.0",
        _T,
        "${git:...} variables, and GIT_* environment variables and tags on every function",
    ),
    Plugin(
        "serverless-dotenv-plugin",
        "6.0.0",
        _T,
        ".env files into provider.environment, so into every function (custom.dotenv)",
    ),
    Plugin(
        "serverless-iam-roles-per-function",
        "3.2.0",
        _T,
        "one IAM role per function with iamRoleStatements (functions.*.iamRoleStatements*, "
        "iamPermissionsBoundary; custom.serverless-iam-roles-per-function)",
    ),
    Plugin(
        "serverless-step-functions",
        "3.31.2",
        _T,
        "state machines, their roles, activities, alarms, notifications, and their schedule, "
        "EventBridge and REST API events (stepFunctions:; authorizers the plugin makes not yet)",
    ),
    # no template effect
    Plugin("serverless-offline", "14.8.2", _N, "emulates API Gateway and Lambda locally (sls offline)"),
    Plugin("serverless-dynamodb-local", "1.0.2", _N, "runs DynamoDB Local (sls dynamodb ...)"),
    Plugin("serverless-dynamodb", "0.2.58", _N, "runs DynamoDB Local (sls dynamodb ...)"),
    Plugin("serverless-s3-local", "0.8.5", _N, "runs a local S3 with serverless-offline"),
    Plugin("serverless-offline-sqs", "8.0.0", _N, "feeds local SQS to serverless-offline"),
    Plugin("serverless-offline-sns", "0.78.2", _N, "feeds local SNS to serverless-offline"),
    Plugin("serverless-prune-plugin", "2.1.0", _N, "deletes old function versions after deploy (API calls)"),
    Plugin(
        "serverless-export-env",
        "2.2.0",
        _N,
        "writes the functions' environment to a .env file (sls export-env)",
    ),
    Plugin("serverless-export-outputs", "1.0.2", _N, "writes the stack outputs to a file after deploy"),
    Plugin(
        "serverless-manifest-plugin", "1.0.9", _N, "writes a manifest of the deployed stack (sls manifest)"
    ),
    Plugin(
        "serverless-stage-manager", "1.0.5", _N, "refuses stages not in custom.stages (a check, no template)"
    ),
    Plugin(
        "serverless-deployment-bucket",
        "1.6.0",
        _N,
        "creates provider.deploymentBucket.name with API calls before deploy (outside the template)",
    ),
    Plugin(
        "serverless-domain-manager",
        "10.3.1",
        _N,
        "manages the custom domain and base path mappings with API calls, outside the stack "
        "(its deploy-time outputs are not part of `sls package`); a stack we take over keeps the domain; "
        "`sls-cdk domain create|delete` does what its `sls create_domain` / `sls delete_domain` do",
    ),
    Plugin("serverless-s3-sync", "3.5.1", _N, "uploads folders to buckets after deploy (API calls)"),
    Plugin("serverless-finch", "4.0.4", _N, "uploads a static site to a bucket (sls client deploy)"),
    # packaging
    Plugin(
        "serverless-python-requirements",
        "6.1.2",
        _P,
        "installs requirements.txt / Pipfile / pyproject (poetry) into the package, or a layer "
        "(custom.pythonRequirements: slim, noDeploy, zip, layer, individually modules)",
    ),
    Plugin(
        "serverless-esbuild",
        "1.57.2",
        _P,
        "bundles each Node.js handler with esbuild 0.28.2 as the plugin does (custom.esbuild options, "
        "package.patterns extras, one zip per function with package.individually)",
    ),
    Plugin(
        "serverless-webpack",
        "5.16.2",
        _P,
        "compiles with the service's own webpack and webpack.config.js (slsw.lib.entries), one zip of "
        ".webpack/service or one per function with package.individually",
    ),
    Plugin(
        "serverless-plugin-typescript",
        "2.1.5",
        _P,
        "compiles the handlers with the service's own TypeScript and tsconfig.json into the folder v3 "
        "packages (production node_modules and package.json with it)",
    ),
    Plugin("serverless-bundle", "6.3.1", _P, "bundles handlers with webpack and Babel"),
    Plugin("serverless-plugin-include-dependencies", "6.1.1", _P, "packages only the handlers' node_modules"),
    Plugin("serverless-plugin-optimize", "4.2.1-rc.1", _P, "bundles and minifies each function"),
    Plugin("serverless-layers", "2.8.5", _P, "builds a dependencies layer and attaches it to every function"),
    # not supported
    Plugin(
        "serverless-plugin-log-retention",
        "2.1.0",
        _X,
        "sets RetentionInDays on the functions' log groups from custom.logRetentionInDays",
        "use provider.logRetentionInDays / functions.<name>.logRetentionInDays (translated)",
    ),
    Plugin(
        "serverless-plugin-aws-alerts",
        "1.7.5",
        _X,
        "CloudWatch alarms, SNS topics and dashboards per function",
        "define the alarms under resources:",
    ),
    Plugin(
        "serverless-plugin-tracing",
        "2.0.0",
        _X,
        "X-Ray tracing settings on functions",
        "use provider.tracing.lambda / functions.<name>.tracing (translated)",
    ),
    Plugin(
        "serverless-pseudo-parameters",
        "2.6.1",
        _X,
        "rewrites #{AWS::Region}-style strings into Fn::Sub",
        "write ${AWS::Region} inside Fn::Sub (v3 and sls-cdk keep it)",
    ),
    Plugin(
        "serverless-apigw-binary",
        "0.4.4",
        _X,
        "binary media types on the REST API",
        "use provider.apiGateway.binaryMediaTypes (translated)",
    ),
    Plugin("serverless-appsync-plugin", "2.13.0", _X, "AppSync APIs", "define them under resources:"),
    Plugin(
        "serverless-plugin-split-stacks",
        "1.15.0",
        _X,
        "moves resources into nested stacks",
        "split the service with serverless-compose.yml",
    ),
    Plugin(
        "serverless-associate-waf",
        "1.2.1",
        _X,
        "WAF web ACL associations",
        "add AWS::WAFv2::WebACLAssociation under resources:",
    ),
    Plugin(
        "serverless-api-gateway-caching",
        "1.11.0",
        _X,
        "API Gateway stage caching",
        "set the stage's MethodSettings under resources:",
    ),
    Plugin(
        "serverless-plugin-canary-deployments",
        "0.8.0",
        _X,
        "CodeDeploy aliases, deployment groups and hooks",
        "define them under resources:",
    ),
    Plugin(
        "serverless-lift",
        "1.37.7",
        _X,
        "constructs: queues, buckets, websites, ...",
        "define the resources under resources:",
    ),
    Plugin(
        "serverless-plugin-datadog",
        "5.134.1",
        _X,
        "Datadog layers, handler wrapping, environment and forwarder subscriptions",
        "add the Datadog layer and environment to the functions yourself",
    ),
    Plugin(
        "serverless-aws-documentation",
        "1.1.0",
        _X,
        "API Gateway documentation parts and models",
        "define them under resources:",
    ),
    Plugin(
        "serverless-plugin-ifelse",
        "1.0.7",
        _X,
        "edits the configuration with conditions (custom.serverlessIfElse)",
        "use ${...} variables with fallbacks, or params per stage",
    ),
    Plugin(
        "serverless-localstack",
        "1.4.0",
        _X,
        "redirects deploys to LocalStack and rewrites function code locations for its stages",
        "deploy the synthesized stack with cdklocal",
    ),
)


def _treated(row: Plugin) -> Plugin:
    """A packaging plugin with a registered builder is translated."""
    if row.treatment is Treatment.PACKAGING and row.name in PACKAGING_BUILDERS:
        return dataclasses.replace(row, treatment=Treatment.TRANSLATED)
    return row


#: The catalogue, by npm name.
CATALOGUE: dict[str, Plugin] = {row.name: _treated(row) for row in _ROWS}


@dataclass(frozen=True)
class PluginNotice:
    plugin: str
    message: str


def lists_plugin(plugins: object, name: str) -> bool:
    """Whether a ``plugins`` value (a list, or ``{modules: [...]}``) names ``name``."""
    if isinstance(plugins, dict):
        plugins = plugins.get("modules")
    return isinstance(plugins, list) and name in plugins


def _is_local(name: str) -> bool:
    return name.startswith((".", "/")) or "\\" in name


def describe(name: str) -> tuple[str, str]:
    """``(treatment, why)`` of one listed plugin, as ``sls-cdk plugins`` prints it."""
    row = CATALOGUE.get(name)
    if row is None:
        if _is_local(name):
            return (
                "not supported",
                "a local plugin: sls-cdk does not run plugin code (acknowledge to synthesize without it)",
            )
        return (
            "unknown",
            "not in the catalogue: sls-cdk does not know what it does (acknowledge to synthesize without it)",
        )
    why = row.does
    if row.treatment is Treatment.PACKAGING:
        why = f"{why}; {_PACKAGING_LATER}"
    elif row.instead:
        why = f"{why}; instead: {row.instead}"
    return row.treatment.value, f"{why} (checked against {row.version})"


def _error(name: str) -> tuple[str, str]:
    """The message and hint of a plugin we refuse."""
    ack = f"add it to custom.slsCdk.acknowledgePlugins: [{name}] to synthesize without it"
    row = CATALOGUE.get(name)
    if row is None:
        if _is_local(name):
            return f"plugin {name!r} is not supported: a local plugin (sls-cdk does not run plugin code)", ack
        guess = did_you_mean(name, CATALOGUE)
        message = f"plugin {name!r} is not supported: sls-cdk does not know what it does"
        return message, f"did you mean {guess!r}? or {ack}" if guess else ack
    if row.treatment is Treatment.PACKAGING:
        return (
            f"plugin {name!r} is not supported yet: a packaging plugin ({row.does})",
            f"{_PACKAGING_LATER}; or {ack}",
        )
    message = f"plugin {name!r} is not supported: it changes the compiled template ({row.does})"
    return message, f"{row.instead}; or {ack}"


def check_plugins(
    plugins: Sequence[str],
    acknowledged: Sequence[str],
    *,
    path_of: Callable[[int], tuple[str | int, ...]],
    locate: Callable[[tuple[str | int, ...]], Location],
) -> tuple[list[PluginNotice], list[ConfigError]]:
    """Notices to print and errors to raise for the service's ``plugins`` list."""
    notices: list[PluginNotice] = []
    errors: list[ConfigError] = []
    for i, name in enumerate(plugins):
        row = CATALOGUE.get(name)
        if row is not None and row.treatment is Treatment.TRANSLATED:
            continue
        if row is not None and row.treatment is Treatment.NO_TEMPLATE_EFFECT:
            notices.append(PluginNotice(name, f"plugin {name} accepted, no template effect: {row.does}"))
            continue
        if name in acknowledged:
            changes = row.does if row is not None else "unknown effects"
            notices.append(
                PluginNotice(name, f"plugin {name} acknowledged: its changes ({changes}) are NOT applied")
            )
            continue
        message, hint = _error(name)
        errors.append(ConfigError(message, location=locate(path_of(i)), path=path_of(i), hint=hint))
    return notices, errors
