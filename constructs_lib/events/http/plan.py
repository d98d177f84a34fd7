"""What the REST API will hold, read from the model alone (no CDK).

``check`` and the builders both use these, so the errors found at load and the resources made at
build agree: the resources of each path (and whether an external API knows their parents), the
resource IDs of an API another stack owns, the endpoint type, the API keys and usage plans.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from constructs_lib import naming

if TYPE_CHECKING:  # config.model imports the event registry, which imports this module
    from constructs_lib.config.model import ApiGatewayConfig, ApiKey, Provider, UsagePlan

__all__ = [
    "ANY_METHODS",
    "KeyPlan",
    "NewResource",
    "PlannedKey",
    "endpoint_type",
    "external_rest_api_id",
    "key_plan",
    "known_resource_ids",
    "method_logical_id",
    "new_resources",
    "prefixes",
    "preflight_method",
]


# ---- paths ---------------------------------------------------------------------------------------


def prefixes(path: str) -> list[str]:
    """``a/b/c`` -> ``a``, ``a/b``, ``a/b/c``: the path of each resource (the root ``""`` has none)."""
    parts = path.split("/") if path else []
    return ["/".join(parts[: i + 1]) for i in range(len(parts))]


def method_logical_id(path: str, method: str) -> str:
    """``ApiGatewayMethod<Path><Method>`` (the root's methods: ``ApiGatewayMethod<Method>``)."""
    return naming.rest_method_logical_id(naming.normalize_path(path) if path else "", method)


@dataclass(frozen=True)
class NewResource:
    """One ``ApiGatewayResource<Path>``: a path segment under its parent's resource."""

    path: str
    parent: str
    part: str

    @property
    def logical_id(self) -> str:
        return naming.rest_resource_logical_id(self.path)


def new_resources(paths: Iterable[str], known: Iterable[str]) -> tuple[list[NewResource], bool]:
    """The resource of each segment of ``paths`` that is not ``known`` yet, in v3's order, and
    whether some path hangs under a parent nobody knows (an external API without that resource)."""
    have = set(known)
    out: list[NewResource] = []
    missing = False
    for path in paths:
        if not path:
            missing = missing or "" not in have
            continue
        for prefix in prefixes(path):
            if prefix in have:
                continue
            parent, _, part = prefix.rpartition("/")
            if parent not in have:
                missing = True
                break
            out.append(NewResource(prefix, parent, part))
            have.add(prefix)
    return out, missing


# ---- the API itself ------------------------------------------------------------------------------


def external_rest_api_id(provider: Provider) -> str | dict[str, Any] | None:
    """``provider.apiGateway.restApiId``: the API another stack owns (None: the service makes its own)."""
    gateway = provider.api_gateway
    return gateway.rest_api_id if gateway is not None else None


def known_resource_ids(provider: Provider) -> dict[str, Any]:
    """Path -> resource ID of an API another stack owns (its root and ``restApiResources``)."""
    gateway = provider.api_gateway
    ids: dict[str, Any] = {}
    if gateway is None:
        return ids
    if gateway.rest_api_root_resource_id is not None:
        ids[""] = gateway.rest_api_root_resource_id
    given = gateway.rest_api_resources or {}
    pairs = given.items() if isinstance(given, dict) else ((r.path, r.resource_id) for r in given)
    for path, resource_id in pairs:
        ids[path.strip().strip("/")] = resource_id
    return ids


def endpoint_type(provider: Provider) -> str:
    """``EDGE`` (v3's default), ``REGIONAL`` or ``PRIVATE``."""
    return (provider.endpoint_type or "EDGE").upper()


# ---- API keys and usage plans --------------------------------------------------------------------


@dataclass(frozen=True)
class PlannedKey:
    """One API key, its ``ApiGatewayApiKey...`` and the ``ApiGatewayUsagePlanKey...`` that puts it
    in its usage plan."""

    key: ApiKey
    logical_id: str
    link_id: str
    plan_id: str


@dataclass(frozen=True)
class KeyPlan:
    """``provider.apiGateway.apiKeys`` and ``usagePlan`` as v3 numbers them."""

    plans: dict[str, UsagePlan | None]
    """Usage plan name -> its settings (``default``: the one plan of ``usagePlan`` as a mapping)."""
    several: bool
    """``usagePlan`` is a list of named plans."""
    keys: list[PlannedKey]
    unknown_groups: list[str]
    """Names keys are grouped under that are not a usage plan of the list."""

    @property
    def ungrouped_keys_with_plans(self) -> bool:
        """Some key is not listed under a plan's name although there are several plans."""
        default = naming.rest_usage_plan_logical_id()
        return self.several and any(k.plan_id == default for k in self.keys)


def key_plan(gateway: ApiGatewayConfig | None) -> KeyPlan | None:
    """The keys (``ApiGatewayApiKey<n>``, or under a usage plan's name ``ApiGatewayApiKey<Plan><n>``:
    v3 numbers them with one counter that a group resets) and plans; None without either."""
    keys = (gateway.api_keys if gateway else None) or []
    plan = gateway.usage_plan if gateway else None
    if not keys and plan is None:
        return None
    several = isinstance(plan, list)
    plans: dict[str, UsagePlan | None] = (
        {name: config for item in plan for name, config in item.items()}
        if isinstance(plan, list)
        else {"default": plan}
    )
    planned: list[PlannedKey] = []
    unknown: list[str] = []
    number = 0
    for item in keys:
        if isinstance(item, dict):
            (group, grouped), *_ = item.items()
            if group not in plans or not several:
                unknown.append(group)
            number = 0
            for key in grouped:
                number += 1
                planned.append(
                    PlannedKey(
                        key,
                        naming.rest_api_key_logical_id(number, group),
                        naming.rest_usage_plan_key_logical_id(number, group),
                        naming.rest_usage_plan_logical_id(group),
                    )
                )
        else:
            number += 1
            planned.append(
                PlannedKey(
                    item,
                    naming.rest_api_key_logical_id(number),
                    naming.rest_usage_plan_key_logical_id(number),
                    naming.rest_usage_plan_logical_id(),
                )
            )
    return KeyPlan(plans, several, planned, unknown)


#: what ``ANY`` stands for in a CORS preflight's ``Access-Control-Allow-Methods``
ANY_METHODS = "DELETE,GET,HEAD,PATCH,POST,PUT"


def preflight_method(
    headers: dict[str, str], response_template: str, resource_id: Any, api_ref: Any
) -> dict[str, Any]:
    """v3's CORS preflight: an ``OPTIONS`` method answering ``headers`` from a MOCK integration
    (serverless-step-functions writes the same one for its http events)."""
    response = {
        "StatusCode": "200",
        "ResponseParameters": {f"method.response.header.{h}": v for h, v in headers.items()},
        "ResponseTemplates": {"application/json": response_template},
    }
    return {
        "Type": "AWS::ApiGateway::Method",
        "Properties": {
            "AuthorizationType": "NONE",
            "HttpMethod": "OPTIONS",
            "MethodResponses": [
                {
                    "StatusCode": "200",
                    "ResponseParameters": {f"method.response.header.{h}": True for h in headers},
                    "ResponseModels": {},
                }
            ],
            "RequestParameters": {},
            "Integration": {
                "Type": "MOCK",
                "RequestTemplates": {"application/json": "{statusCode:200}"},
                "ContentHandling": "CONVERT_TO_TEXT",
                "IntegrationResponses": [response],
            },
            "ResourceId": resource_id,
            "RestApiId": api_ref,
        },
    }
