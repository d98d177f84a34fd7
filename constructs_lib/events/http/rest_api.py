"""The service's REST API as every ``http`` builder shares it (v3's ``rest-api.js``).

Its own ``ApiGatewayRestApi`` (named ``<stage>-<service>``, EDGE unless ``endpointType``) or, with
``provider.apiGateway.restApiId``, an API another stack owns; where the resources of its paths
are, and the methods its deployment waits for.
"""

from __future__ import annotations

from typing import Any

from constructs_lib import naming
from constructs_lib.config.model import ApiGatewayConfig, Provider
from constructs_lib.constructs.intrinsics import api_endpoint
from constructs_lib.events.build_context import BuildContext
from constructs_lib.events.http import plan

__all__ = ["REST_API", "RestApi"]

REST_API = naming.rest_api_logical_id()


class RestApi:
    """One service's REST API while its ``http`` events are compiled."""

    def __init__(self, ctx: BuildContext) -> None:
        self.ctx = ctx
        external = plan.external_rest_api_id(ctx.provider)
        self.owned = external is None
        """False: another stack owns the API (v3 leaves its settings and stages alone)."""
        self.ref: Any = {"Ref": REST_API} if external is None else external
        self.resource_ids: dict[str, Any] = (
            {"": {"Fn::GetAtt": [REST_API, "RootResourceId"]}}
            if external is None
            else plan.known_resource_ids(ctx.provider)
        )
        """Path -> its resource's ID (``""``: the root)."""
        self.method_ids: list[str] = []
        """The methods, in the order made (the deployment depends on them)."""
        gateway = self.gateway
        self.stage_name: str = (gateway.stage if gateway and gateway.stage else None) or ctx.stage
        """The stage the deployment makes (``provider.apiGateway.stage``, else the service's)."""
        if self.owned:
            self._add_rest_api()

    @property
    def provider(self) -> Provider:
        return self.ctx.provider

    @property
    def gateway(self) -> ApiGatewayConfig | None:
        return self.ctx.provider.api_gateway

    def add(self, logical_id: str, definition: dict[str, Any]) -> dict[str, Any]:
        """A raw resource of the stack (see :meth:`RawResources.add`)."""
        return self.ctx.raw.add(logical_id, definition)

    def _add_rest_api(self) -> None:
        """``ApiGatewayRestApi``, as v3 configures it."""
        provider, gateway = self.provider, self.gateway
        service, stage = self.ctx.service_name, self.ctx.stage
        name = provider.api_name or (
            f"{service}-{stage}"
            if gateway and gateway.should_start_name_with_service
            else f"{stage}-{service}"
        )
        endpoint: dict[str, Any] = {"Types": [plan.endpoint_type(provider)]}
        if provider.vpc_endpoint_ids is not None:  # check: only with endpointType PRIVATE
            endpoint["VpcEndpointIds"] = provider.vpc_endpoint_ids
        api: dict[str, Any] = {
            "Name": name,
            "BinaryMediaTypes": gateway.binary_media_types if gateway else None,
            "DisableExecuteApiEndpoint": gateway.disable_default_endpoint if gateway else None,
            "EndpointConfiguration": endpoint,
            "Policy": {"Version": "2012-10-17", "Statement": [st.to_cfn() for st in gateway.resource_policy]}
            if gateway and gateway.resource_policy
            else "",
        }
        if gateway and gateway.api_key_source_type:
            api["ApiKeySourceType"] = gateway.api_key_source_type.upper()
        if gateway and gateway.minimum_compression_size is not None:
            api["MinimumCompressionSize"] = gateway.minimum_compression_size
        if gateway and gateway.description:
            api["Description"] = gateway.description
        self.add(REST_API, {"Type": "AWS::ApiGateway::RestApi", "Properties": api})

    def add_endpoint_output(self) -> None:
        """The ``ServiceEndpoint`` output (the service's stage, as v3)."""
        self.ctx.add_output(
            "ServiceEndpoint", api_endpoint("https", self.ref, self.ctx.stage), "URL of the service endpoint"
        )
