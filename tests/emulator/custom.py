"""Custom resources as CloudFormation handles them, seen from the outside.

moto runs a ``Custom::*`` resource by invoking its ``ServiceToken`` Lambda in docker and waiting for
the handler's reply; the emulator has no docker, so the stack would wait for ever. Here a custom
resource is what CloudFormation makes of the handler's reply: its function must exist (CloudFormation
invokes it; on delete moto may have deleted it first, as it follows no dependency order), each request (``Create``, ``Update`` with the old properties, ``Delete``) is recorded
on the resource (:attr:`Custom.requests`), and the physical ID and ``Fn::GetAtt`` values are the
ones the handler returns. Only the handlers known here are modelled; any other custom type fails
the stack, as a handler that never answers would.

v3's handlers (``lib/plugins/aws/custom-resources/resources/*/handler.js``, ``handlerWrapper``)
and ours in their place (``constructs_lib/constructs/custom_resources/handlers``) answer with a
fixed physical ID per kind and no data; they act on a resource outside the stack (an existing
bucket or user pool) or on a stage, so the model checks it exists, as the handler's first call would.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from moto.cloudformation import parsing
from moto.core.common_models import CloudFormationModel

__all__ = ["HANDLERS", "Custom", "register"]


#: what a handler gets: (account, region, request type, properties, old properties); it answers data
Act = Callable[[str, str, str, dict[str, Any], dict[str, Any]], dict[str, Any]]


def _bucket_exists(
    account: str, region: str, request: str, props: dict[str, Any], old: dict[str, Any]
) -> dict[str, Any]:
    from moto.s3.models import s3_backends

    if request != "Delete":
        s3_backends[account]["aws"].get_bucket(props["BucketName"])  # NoSuchBucket otherwise
    return {}


def _pool_exists(
    account: str, region: str, request: str, props: dict[str, Any], old: dict[str, Any]
) -> dict[str, Any]:
    from moto.cognitoidp.models import cognitoidp_backends

    pools = cognitoidp_backends[account][region].user_pools.values()
    if request != "Delete" and props["UserPoolName"] not in [
        p.extended_config.get("PoolName") for p in pools
    ]:
        raise ValueError(f"no user pool named {props['UserPoolName']}")
    return {}


def _stage_exists(
    account: str, region: str, request: str, props: dict[str, Any], old: dict[str, Any]
) -> dict[str, Any]:
    from moto.apigateway.models import apigateway_backends

    if request != "Delete":
        apigateway_backends[account][region].get_stage(props["RestApiId"], props["StageName"])
    return {}


def _nothing(
    account: str, region: str, request: str, props: dict[str, Any], old: dict[str, Any]
) -> dict[str, Any]:
    """The handler acts on the account's own settings, which always exist."""
    return {}


def _export_writer(
    account: str, region: str, request: str, props: dict[str, Any], old: dict[str, Any]
) -> dict[str, Any]:
    """CDK's cross-region export writer: SSM parameters in the consumer's region, the removed
    ones deleted (aws-cdk-lib core/cross-region-ssm-writer-handler)."""
    from moto.ssm.models import ssm_backends

    writer = props["WriterProps"]
    ssm = ssm_backends[account][writer["region"]]
    if request == "Delete":
        exports, gone = {}, list(writer["exports"])
    else:
        before = old.get("WriterProps", {}).get("exports", {})
        exports, gone = writer["exports"], [name for name in before if name not in writer["exports"]]
    for name in gone:
        ssm.delete_parameter(name)
    for name, value in exports.items():
        ssm.put_parameter(
            name=name,
            description="",
            value=str(value),
            parameter_type="String",
            allowed_pattern="",
            keyid="",
            overwrite=True,
            tags=[],
            data_type="text",
            tier=None,
            policies=None,
        )
    return {}


def _export_reader(
    account: str, region: str, request: str, props: dict[str, Any], old: dict[str, Any]
) -> dict[str, Any]:
    """CDK's cross-region export reader: CloudFormation resolves each ``{{resolve:ssm:NAME}}`` of
    ``imports`` (here: read from SSM, as moto resolves no dynamic references) and the handler
    answers them as its data (aws-cdk-lib core/cross-region-ssm-reader-handler)."""
    from moto.ssm.models import ssm_backends

    ssm = ssm_backends[account][props["ReaderProps"]["region"]]
    if request == "Delete":
        return {}
    return {name: ssm.get_parameter(name).value for name in props["ReaderProps"]["imports"]}


#: type -> (physical ID the handler answers, or None: the create request's ID, as CDK's provider
#: framework answers; what the handler does)
HANDLERS: dict[str, tuple[str | None, Act]] = {
    "Custom::S3": ("CustomResourceExistingS3", _bucket_exists),
    "Custom::CognitoUserPool": ("CustomResourceExistingCognitoUserPool", _pool_exists),
    "Custom::ApiGatewayAccountRole": ("CustomResourceApiGatewayAccountCloudWatchRole", _nothing),
    # ours (constructs_lib/constructs/custom_resources/handlers/api_gateway_stage.py): v3 makes
    # these calls after its deploy instead; it patches the stage the deployment made
    "Custom::ApiGatewayStageSettings": ("ApiGatewayStageSettings", _stage_exists),
    # CDK's, for a compose service's outputs read by a service in another region
    "Custom::CrossRegionExportWriter": (None, _export_writer),
    "Custom::CrossRegionExportReader": (None, _export_reader),
}


class Custom(CloudFormationModel):  # type: ignore[misc]
    """One custom resource: its type, properties and the requests CloudFormation sent."""

    def __init__(self, resource_type: str, props: dict[str, Any], account: str, region: str) -> None:
        self.type, self.props, self.account, self.region = resource_type, props, account, region
        self.requests: list[tuple[str, dict[str, Any]]] = []
        self.request_id = str(uuid.uuid4())
        self.data = self._send("Create", {})

    def _send(self, request: str, old: dict[str, Any]) -> dict[str, Any]:
        """What CloudFormation does: invoke the service token (it must exist), take the reply."""
        from moto.awslambda.models import lambda_backends

        if request != "Delete":  # moto deletes in no dependency order: the function may be gone
            lambda_backends[self.account][self.region].get_function(self.props["ServiceToken"])
        data = HANDLERS[self.type][1](self.account, self.region, request, self.props, old)
        self.requests.append((request, dict(self.props)))
        return data

    @staticmethod
    def cloudformation_type() -> str:
        return "Custom::S3"  # one of HANDLERS (moto maps types to models by this name)

    @staticmethod
    def cloudformation_name_type() -> str:
        return ""

    @property
    def physical_resource_id(self) -> str:
        return HANDLERS[self.type][0] or self.request_id

    @classmethod
    def has_cfn_attr(cls, attr: str) -> bool:
        return True  # the handler's data decides (v3's answer none)

    def get_cfn_attribute(self, attr: str) -> Any:
        return self.data[attr]  # a KeyError fails the stack, as CloudFormation does

    @classmethod
    def create_from_cloudformation_json(  # type: ignore[override]
        cls,
        resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
        **kwargs: Any,
    ) -> Custom:
        props = cloudformation_json.get("Properties", {})
        return cls(kwargs["ResourceType"], props, account_id, region_name)

    @classmethod
    def update_from_cloudformation_json(  # type: ignore[override]
        cls,
        original_resource: Custom,
        new_resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
    ) -> Custom:
        props = cloudformation_json.get("Properties", {})
        if props != original_resource.props:  # CloudFormation sends Update only on a change
            old, original_resource.props = original_resource.props, props
            original_resource.data = original_resource._send("Update", old)
        return original_resource

    def delete(self, account_id: str, region_name: str) -> None:
        self._send("Delete", {})

    def is_created(self) -> bool:
        return True


def register() -> None:
    """Custom types of :data:`HANDLERS` get :class:`Custom` (moto's parser picks by type name)."""
    original = parsing.resource_class_from_type

    def resource_class_from_type(resource_type: str) -> Any:
        if resource_type in HANDLERS:
            return Custom
        if resource_type.startswith("Custom::") or resource_type == "AWS::CloudFormation::CustomResource":
            raise ValueError(f"{resource_type}: no handler modelled in tests/emulator/custom.py")
        return original(resource_type)

    parsing.resource_class_from_type = resource_class_from_type
