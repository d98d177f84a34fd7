"""The HTTP API's resources and function URLs, made in moto's own apigatewayv2 and lambda backends,
so what a deploy made can be read back with boto3 (``get_apis``, ``get_routes``,
``get_function_url_config``) and its outputs (``ApiEndpoint``, ``FunctionUrl``) resolve."""

from __future__ import annotations

import contextlib
from typing import Any

from moto.apigatewayv2.models import apigatewayv2_backends
from moto.awslambda.models import lambda_backends
from moto.core.common_models import CloudFormationModel
from moto.core.exceptions import JsonRESTError


def _cors(props: dict[str, Any]) -> dict[str, Any] | None:
    cors = props.get("CorsConfiguration")
    if not cors:
        return None
    return {key[0].lower() + key[1:]: value for key, value in cors.items()}


class _Backed:
    """Shared plumbing: the resource is the backend object; updates change it in place."""

    TYPE = ""

    def __init__(self, obj: Any, props: dict[str, Any], account: str, region: str) -> None:
        self.obj, self.props, self.account, self.region = obj, props, account, region

    @staticmethod
    def cloudformation_name_type() -> str:
        return ""

    @classmethod
    def has_cfn_attr(cls, attr: str) -> bool:
        return True

    @classmethod
    def update_from_cloudformation_json(
        cls,
        original_resource: Any,
        new_resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
    ) -> Any:
        original_resource.props = cloudformation_json.get("Properties", {})
        original_resource.apply()
        return original_resource

    def apply(self) -> None:
        """Copy the properties an update may change onto the backend object."""

    def is_created(self) -> bool:
        return True


def _api(account: str, region: str, api_id: str) -> Any:
    return apigatewayv2_backends[account][region].get_api(api_id)


class HttpApi(_Backed, CloudFormationModel):  # type: ignore[misc]
    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::ApiGatewayV2::Api"

    @classmethod
    def create_from_cloudformation_json(
        cls,
        resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
        **_: Any,
    ) -> HttpApi:
        p = cloudformation_json.get("Properties", {})
        api = apigatewayv2_backends[account_id][region_name].create_api(
            api_key_selection_expression=p.get("ApiKeySelectionExpression"),
            cors_configuration=_cors(p),
            description=p.get("Description"),
            disable_schema_validation=p.get("DisableSchemaValidation"),
            disable_execute_api_endpoint=p.get("DisableExecuteApiEndpoint"),
            name=p.get("Name", resource_name),
            protocol_type=p.get("ProtocolType", "HTTP"),
            route_selection_expression=p.get("RouteSelectionExpression"),
            tags=p.get("Tags") or {},
            version=p.get("Version"),
        )
        return cls(api, p, account_id, region_name)

    def apply(self) -> None:
        self.obj.name = self.props.get("Name", self.obj.name)
        self.obj.cors_configuration = _cors(self.props)
        self.obj.description = self.props.get("Description")

    @property
    def physical_resource_id(self) -> str:
        return str(self.obj.api_id)

    def get_cfn_attribute(self, attr: str) -> str:
        return str({"ApiEndpoint": self.obj.api_endpoint, "ApiId": self.obj.api_id}[attr])

    def delete(self, account_id: str, region_name: str) -> None:
        apigatewayv2_backends[account_id][region_name].delete_api(self.obj.api_id)


class HttpApiStage(_Backed, CloudFormationModel):  # type: ignore[misc]
    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::ApiGatewayV2::Stage"

    @classmethod
    def create_from_cloudformation_json(
        cls,
        resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
        **_: Any,
    ) -> HttpApiStage:
        p = cloudformation_json.get("Properties", {})
        config = {"stageName": p["StageName"], "autoDeploy": p.get("AutoDeploy"), "tags": p.get("Tags") or {}}
        stage = _api(account_id, region_name, p["ApiId"]).create_stage(config)
        return cls(stage, p, account_id, region_name)

    def apply(self) -> None:
        self.obj.auto_deploy = self.props.get("AutoDeploy")

    @property
    def physical_resource_id(self) -> str:
        return str(self.obj.name)

    def get_cfn_attribute(self, attr: str) -> str:
        raise KeyError(attr)

    def delete(self, account_id: str, region_name: str) -> None:
        with contextlib.suppress(JsonRESTError):  # its API or function went first
            _api(account_id, region_name, self.props["ApiId"]).delete_stage(self.obj.name)


class HttpApiIntegration(_Backed, CloudFormationModel):  # type: ignore[misc]
    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::ApiGatewayV2::Integration"

    @classmethod
    def create_from_cloudformation_json(
        cls,
        resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
        **_: Any,
    ) -> HttpApiIntegration:
        p = cloudformation_json.get("Properties", {})
        integration = _api(account_id, region_name, p["ApiId"]).create_integration(
            connection_type=p.get("ConnectionType"),
            description=p.get("Description"),
            integration_method=p.get("IntegrationMethod"),
            integration_type=p["IntegrationType"],
            integration_uri=p.get("IntegrationUri"),
            payload_format_version=p.get("PayloadFormatVersion"),
            timeout_in_millis=p.get("TimeoutInMillis"),
        )
        return cls(integration, p, account_id, region_name)

    def apply(self) -> None:
        self.obj.integration_uri = self.props.get("IntegrationUri")
        self.obj.payload_format_version = self.props.get("PayloadFormatVersion")
        self.obj.timeout_in_millis = self.props.get("TimeoutInMillis")

    @property
    def physical_resource_id(self) -> str:
        return str(self.obj.id)

    def get_cfn_attribute(self, attr: str) -> str:
        return str({"IntegrationId": self.obj.id}[attr])

    def delete(self, account_id: str, region_name: str) -> None:
        with contextlib.suppress(JsonRESTError):  # its API or function went first
            _api(account_id, region_name, self.props["ApiId"]).delete_integration(self.obj.id)


class HttpApiRoute(_Backed, CloudFormationModel):  # type: ignore[misc]
    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::ApiGatewayV2::Route"

    @classmethod
    def create_from_cloudformation_json(
        cls,
        resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
        **_: Any,
    ) -> HttpApiRoute:
        p = cloudformation_json.get("Properties", {})
        route = _api(account_id, region_name, p["ApiId"]).create_route(
            api_key_required=bool(p.get("ApiKeyRequired")),
            authorization_scopes=p.get("AuthorizationScopes") or [],
            route_key=p["RouteKey"],
            target=p.get("Target"),
            authorization_type=p.get("AuthorizationType"),
            authorizer_id=p.get("AuthorizerId"),
        )
        return cls(route, p, account_id, region_name)

    def apply(self) -> None:
        self.obj.route_key = self.props["RouteKey"]
        self.obj.target = self.props.get("Target")
        self.obj.authorization_type = self.props.get("AuthorizationType")
        self.obj.authorizer_id = self.props.get("AuthorizerId")

    @property
    def physical_resource_id(self) -> str:
        return str(self.obj.route_id)

    def get_cfn_attribute(self, attr: str) -> str:
        return str({"RouteId": self.obj.route_id}[attr])

    def delete(self, account_id: str, region_name: str) -> None:
        with contextlib.suppress(JsonRESTError):  # its API or function went first
            _api(account_id, region_name, self.props["ApiId"]).delete_route(self.obj.route_id)


class FunctionUrl(_Backed, CloudFormationModel):  # type: ignore[misc]
    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::Lambda::Url"

    @classmethod
    def create_from_cloudformation_json(
        cls,
        resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
        **_: Any,
    ) -> FunctionUrl:
        p = cloudformation_json.get("Properties", {})
        config = {key: p[key] for key in ("AuthType", "Cors", "InvokeMode") if key in p}
        url = lambda_backends[account_id][region_name].create_function_url_config(
            p["TargetFunctionArn"], config
        )
        return cls(url, p, account_id, region_name)

    def apply(self) -> None:
        self.obj.config = {
            key: self.props[key] for key in ("AuthType", "Cors", "InvokeMode") if key in self.props
        }

    @property
    def physical_resource_id(self) -> str:
        return str(self.obj.function.function_arn)

    def get_cfn_attribute(self, attr: str) -> str:
        return str({"FunctionUrl": self.obj.url, "FunctionArn": self.obj.function.function_arn}[attr])

    def delete(self, account_id: str, region_name: str) -> None:
        with contextlib.suppress(JsonRESTError):  # its API or function went first
            lambda_backends[account_id][region_name].delete_function_url_config(
                self.props["TargetFunctionArn"]
            )
