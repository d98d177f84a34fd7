"""The REST API's resources as CloudFormation handles them, in moto's own apigateway backend.

moto's models create a REST API, its resources and methods but update none of them (an update
leaves an empty record in the stack), its method needs ``IntegrationHttpMethod`` (a ``MOCK``
integration such as v3's CORS preflight has none: moto answered 500) and drops the method's
authorizer, validator and request parameters; its deployment cannot be deleted once a newer one
took the stage (v3 writes a new ``ApiGatewayDeployment<stamp>`` on every deploy). These classes
replace them: updates in place (the create-only properties are the takeover comparison's
business), every property the backend keeps, deletions as CloudFormation makes them.
"""

from __future__ import annotations

import contextlib
from typing import Any

from moto.apigateway.models import Resource, RestAPI, apigateway_backends
from moto.core.common_models import CloudFormationModel

__all__ = ["RestApiUpdatedInPlace", "RestMethod", "RestResourceUpdatedInPlace", "StageDeployment"]


def _backend(account: str, region: str) -> Any:
    return apigateway_backends[account][region]


class RestApiUpdatedInPlace(RestAPI, CloudFormationModel):  # type: ignore[misc]
    @classmethod
    def update_from_cloudformation_json(  # type: ignore[override]
        cls,
        original_resource: Any,
        new_resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
    ) -> Any:
        props = cloudformation_json.get("Properties", {})
        original_resource.name = props.get("Name", original_resource.name)
        original_resource.description = props.get("Description", "")
        return original_resource

    def delete(self, account_id: str, region_name: str) -> None:
        with contextlib.suppress(Exception):
            _backend(account_id, region_name).delete_rest_api(self.id)


class RestResourceUpdatedInPlace(Resource, CloudFormationModel):  # type: ignore[misc]
    @classmethod
    def update_from_cloudformation_json(  # type: ignore[override]
        cls,
        original_resource: Any,
        new_resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
    ) -> Any:
        return original_resource  # PathPart, ParentId and RestApiId are create-only

    def delete(self, account_id: str, region_name: str) -> None:
        with contextlib.suppress(Exception):  # its API went first
            _backend(account_id, region_name).delete_resource(self.api_id, self.id)


class _InBackend:
    """A resource made through backend calls (mixed into one CloudFormationModel subclass per
    type: moto lists direct subclasses only); :meth:`put` (re)applies its properties."""

    def __init__(self, props: dict[str, Any], account: str, region: str) -> None:
        self.props, self.account, self.region = props, account, region
        self.put()

    def put(self) -> None:
        """Make or change the backend object from :attr:`props`."""

    @staticmethod
    def cloudformation_name_type() -> str:
        return ""

    @classmethod
    def has_cfn_attr(cls, attr: str) -> bool:
        return False

    @classmethod
    def create_from_cloudformation_json(  # type: ignore[override]
        cls,
        resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
        **_: Any,
    ) -> Any:
        return cls(cloudformation_json.get("Properties", {}), account_id, region_name)

    @classmethod
    def update_from_cloudformation_json(  # type: ignore[override]
        cls,
        original_resource: Any,
        new_resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
    ) -> Any:
        original_resource.props = cloudformation_json.get("Properties", {})
        original_resource.put()
        return original_resource

    def is_created(self) -> bool:
        return True


class RestMethod(_InBackend, CloudFormationModel):  # type: ignore[misc]
    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::ApiGateway::Method"

    def put(self) -> None:
        p, backend = self.props, _backend(self.account, self.region)
        api, resource, verb = p["RestApiId"], p["ResourceId"], p["HttpMethod"]
        backend.put_method(
            function_id=api,
            resource_id=resource,
            method_type=verb,
            authorization_type=p.get("AuthorizationType", "NONE"),
            api_key_required=p.get("ApiKeyRequired"),
            request_parameters=p.get("RequestParameters"),
            request_models=p.get("RequestModels"),
            operation_name=p.get("OperationName"),
            authorizer_id=p.get("AuthorizerId"),
            authorization_scopes=p.get("AuthorizationScopes"),
            request_validator_id=p.get("RequestValidatorId"),
        )
        integration = p.get("Integration")
        if integration:
            backend.put_integration(
                function_id=api,
                resource_id=resource,
                method_type=verb,
                integration_type=integration["Type"],
                uri=integration.get("Uri", ""),
                integration_method=integration.get("IntegrationHttpMethod"),
                credentials=integration.get("Credentials"),
                request_templates=integration.get("RequestTemplates"),
                passthrough_behavior=integration.get("PassthroughBehavior"),
                request_parameters=integration.get("RequestParameters"),
                content_handling=integration.get("ContentHandling"),
                timeout_in_millis=integration.get("TimeoutInMillis"),
            )

    @property
    def physical_resource_id(self) -> str:
        p = self.props
        return f"{p['RestApiId']}-{p['ResourceId']}-{p['HttpMethod']}"

    def delete(self, account_id: str, region_name: str) -> None:
        p = self.props
        with contextlib.suppress(Exception):  # its resource or API went first
            _backend(account_id, region_name).delete_method(p["RestApiId"], p["ResourceId"], p["HttpMethod"])


class StageDeployment(_InBackend, CloudFormationModel):  # type: ignore[misc]
    """``AWS::ApiGateway::Deployment``; with ``StageName`` it makes (or moves) that stage."""

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::ApiGateway::Deployment"

    def put(self) -> None:
        if getattr(self, "deployment", None) is not None:
            return  # RestApiId and StageName are create-only: nothing else is kept
        api = _backend(self.account, self.region).get_rest_api(self.props["RestApiId"])
        self.deployment = api.create_deployment(
            self.props.get("StageName"), self.props.get("Description", "")
        )

    @classmethod
    def has_cfn_attr(cls, attr: str) -> bool:
        return attr == "DeploymentId"

    def get_cfn_attribute(self, attr: str) -> str:
        return str(self.deployment.id)

    @property
    def physical_resource_id(self) -> str:
        return str(self.deployment.id)

    def delete(self, account_id: str, region_name: str) -> None:
        with contextlib.suppress(Exception):  # its API went first
            api = _backend(account_id, region_name).get_rest_api(self.props["RestApiId"])
            api.deployments.pop(self.deployment.id, None)  # the stage may point at a newer one
