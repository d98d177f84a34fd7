"""The typed model of a Serverless v3 service: immutable, validated, with v3's defaults.

This is the seam between configuration (YAML, variables) and constructs (CDK): constructs take
these objects, never raw dicts. Each default is declared once, on its field (the few needed
before the model exists live in :mod:`constructs_lib.config.defaults`); provider settings and
function settings are merged key by key in :meth:`Service.function`.

One module per concept; everything is importable from here:

=================  ===========================================================================
``values``         value types checked against :mod:`constructs_lib.limits` (memory, runtime...)
``http_api``       ``provider.httpApi``: CORS, authorizers
``iam``            ``provider.iam``, IAM statements
``api_gateway``    ``provider.apiGateway``: the REST API, keys, usage plans
``logs``           ``logs`` of functions, ``provider.logs``
``events``         ``functions.<key>.events`` items (one wrapper per registered event type)
``package``        ``package`` of the service and functions, ``layers``
``function``       ``functions.<key>`` as written
``provider``       ``provider``
``resources``      ``resources`` (raw CloudFormation)
``effective``      a function merged over the provider and v3's defaults
``service``        the whole ``serverless.yml``
=================  ===========================================================================
"""

from __future__ import annotations

from constructs_lib.config.model.api_gateway import (
    ApiGatewayConfig,
    ApiGatewayRequest,
    ApiKey,
    ApiKeyItem,
    EndpointType,
    RequestSchema,
    RestApiResource,
    UsagePlan,
    UsagePlanQuota,
    UsagePlanThrottle,
)
from constructs_lib.config.model.effective import EffectiveFunction, effective_function
from constructs_lib.config.model.events import EventItem
from constructs_lib.config.model.function import (
    URL_CORS_DEFAULT_HEADERS,
    Destinations,
    DestinationTarget,
    FileSystemConfig,
    Function,
    FunctionUrl,
    Image,
    RuntimeManagement,
    UrlCors,
    Vpc,
)
from constructs_lib.config.model.http_api import (
    API_CORS_DEFAULT_HEADERS,
    Cors,
    HttpApiAuthorizer,
    HttpApiConfig,
)
from constructs_lib.config.model.iam import Iam, IamRole, IamStatement, ResourcePolicyStatement
from constructs_lib.config.model.logs import HttpApiLogs, LambdaLogs, ProviderLogs, RestApiLogs, WebsocketLogs
from constructs_lib.config.model.package import FunctionPackage, Layer, LayerPackage, Package
from constructs_lib.config.model.provider import (
    DeploymentBucket,
    EventBridgeOptions,
    KinesisConfig,
    Provider,
    ProviderTracing,
    StackParameter,
    WebsocketOptions,
)
from constructs_lib.config.model.resources import ResourcesSection
from constructs_lib.config.model.service import Scripts, Service, config_validation_mode
from constructs_lib.config.model.values import (
    Architecture,
    ArnOrCfn,
    DeploymentMethod,
    Environment,
    EnvName,
    Intrinsic,
    InvokeMode,
    LogRetention,
    MemorySize,
    NonNegative,
    Region,
    Runtime,
    Tags,
    Timeout,
    Tracing,
)
from constructs_lib.config.schema import CfnValue

__all__ = [
    "API_CORS_DEFAULT_HEADERS",
    "URL_CORS_DEFAULT_HEADERS",
    "ApiGatewayConfig",
    "ApiGatewayRequest",
    "ApiKey",
    "ApiKeyItem",
    "Architecture",
    "ArnOrCfn",
    "CfnValue",
    "Cors",
    "DeploymentBucket",
    "DeploymentMethod",
    "DestinationTarget",
    "Destinations",
    "EffectiveFunction",
    "EndpointType",
    "EnvName",
    "Environment",
    "EventBridgeOptions",
    "EventItem",
    "FileSystemConfig",
    "Function",
    "FunctionPackage",
    "FunctionUrl",
    "HttpApiAuthorizer",
    "HttpApiConfig",
    "HttpApiLogs",
    "Iam",
    "IamRole",
    "IamStatement",
    "Image",
    "Intrinsic",
    "InvokeMode",
    "KinesisConfig",
    "LambdaLogs",
    "Layer",
    "LayerPackage",
    "LogRetention",
    "MemorySize",
    "NonNegative",
    "Package",
    "Provider",
    "ProviderLogs",
    "ProviderTracing",
    "Region",
    "RequestSchema",
    "ResourcePolicyStatement",
    "ResourcesSection",
    "RestApiLogs",
    "RestApiResource",
    "Runtime",
    "RuntimeManagement",
    "Scripts",
    "Service",
    "StackParameter",
    "Tags",
    "Timeout",
    "Tracing",
    "UrlCors",
    "UsagePlan",
    "UsagePlanQuota",
    "UsagePlanThrottle",
    "Vpc",
    "WebsocketLogs",
    "WebsocketOptions",
    "config_validation_mode",
    "effective_function",
]
