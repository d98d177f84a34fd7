"""CloudFormation models moto lacks, registered in the emulator's server process before it serves.

moto's CloudFormation skips resource types it has no model for: a ``Ref`` to them is empty, a
``Fn::GetAtt`` fails the stack, an update leaves a hole. Our templates use such types (HTTP APIs,
function URLs, bucket and queue policies, ...), so every one of them gets a model here:

* the HTTP API's ``Api``/``Stage``/``Integration``/``Route`` and ``Lambda::Url`` are made in moto's
  own apigatewayv2 and lambda backends (``get_apis``, ``get_function_url_config`` see them);
* the rest are recorded: a physical id, ``Ref`` and the attributes CloudFormation documents,
  updated in place while their name property does not change, as CloudFormation does;
* an events rule keeps its generated name when updated (moto's own model makes a new one); a
  Lambda version's ``Ref`` is its ARN (moto's gives the logical id) and it can be deleted;
* an event source mapping from a source moto does not model (Kafka, MSK, Amazon MQ, a Kinesis
  consumer, a DynamoDB stream ARN moto cannot produce) is recorded in the Lambda backend's list
  (moto refuses any source but its own queues, streams and tables);
* the REST API (:mod:`tests.emulator.rest_api`) and v3's custom resources
  (:mod:`tests.emulator.custom`) as CloudFormation handles them; a prepared load balancer or
  listener may carry the id a case names (:mod:`tests.emulator.prepared`);
* a layer version's ``Ref`` is its ARN (moto's has no physical ID: a function's ``Layers`` got the
  object and its update failed), its name its ``LayerName`` (moto's made one up); an unchanged layer version is kept on update, a changed one is
  published again (every property is create-only);
* ``Fn::Sub`` with a variable map takes any variable name (moto's ``string.Template`` skips names
  starting with a digit, as serverless-step-functions writes them, then fails on them as a Ref);
* a stack's exports follow its updates (moto registers them at create only, so a stack whose
  update added an export could not be deleted, and its other exports stayed behind);
* describing a deleted stack (the CDK CLI does, to follow ``destroy``) no longer re-creates the
  resources its outputs name (moto evaluates outputs lazily, through its resource map).
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Callable
from typing import Any

from moto.cloudformation import parsing
from moto.core.common_models import CloudFormationModel

__all__ = ["register"]

#: ``{name, region, account, props}`` -> a value
Format = Callable[[dict[str, Any]], str]


def _arn(service: str, path: str) -> Format:
    return lambda f: f"arn:aws:{service}:{f['region']}:{f['account']}:{path.format(**f)}"


#: type -> (name property, Ref, {attribute: value}); the name property picks the physical id
RECORDED: dict[str, tuple[str, Format | None, dict[str, Format]]] = {
    "AWS::ApiGateway::ApiKey": ("Name", None, {"APIKeyId": lambda f: f["name"]}),
    "AWS::ApiGateway::Authorizer": ("", None, {"AuthorizerId": lambda f: f["name"]}),
    "AWS::ApiGateway::Model": ("Name", None, {}),
    "AWS::ApiGateway::RequestValidator": ("", None, {"RequestValidatorId": lambda f: f["name"]}),
    "AWS::ApiGateway::UsagePlan": ("", None, {"Id": lambda f: f["name"]}),
    "AWS::ApiGateway::UsagePlanKey": ("", None, {"Id": lambda f: f["name"]}),
    "AWS::ApiGatewayV2::Authorizer": ("", None, {"AuthorizerId": lambda f: f["name"]}),
    "AWS::ApiGatewayV2::Deployment": ("", None, {"DeploymentId": lambda f: f["name"]}),
    "AWS::ApiGatewayV2::RouteResponse": ("", None, {"RouteResponseId": lambda f: f["name"]}),
    "AWS::CloudFront::CachePolicy": ("", None, {"Id": lambda f: f["name"]}),
    "AWS::CloudFront::Distribution": ("", None, {"DomainName": lambda f: f"{f['name']}.cloudfront.net"}),
    "AWS::Cognito::UserPool": (
        "",
        None,
        {"Arn": _arn("cognito-idp", "userpool/{name}"), "ProviderName": lambda f: f["name"]},
    ),
    "AWS::IoT::ProvisioningTemplate": ("TemplateName", None, {}),
    "AWS::IoT::TopicRule": ("RuleName", None, {"Arn": _arn("iot", "rule/{name}")}),
    "AWS::Kinesis::StreamConsumer": ("ConsumerName", None, {}),
    "AWS::Lambda::EventInvokeConfig": ("", None, {}),
    "AWS::Lambda::LayerVersionPermission": ("", None, {}),
    "AWS::Logs::SubscriptionFilter": ("FilterName", None, {}),
    "AWS::S3::BucketPolicy": ("", None, {}),
    "AWS::SNS::Subscription": ("", lambda f: f"{f['props'].get('TopicArn')}:{f['name']}", {}),
    "AWS::SQS::QueuePolicy": ("", None, {}),
    "AWS::Scheduler::Schedule": ("Name", None, {"Arn": _arn("scheduler", "schedule/default/{name}")}),
}


class _Recorded:
    """A resource kept as its properties (mixed into one CloudFormationModel subclass per type)."""

    TYPE = ""

    def __init__(self, name: str, props: dict[str, Any], account: str, region: str) -> None:
        self.name, self.props, self.account, self.region = name, props, account, region

    def _fields(self) -> dict[str, Any]:
        return {"name": self.name, "region": self.region, "account": self.account, "props": self.props}

    @property
    def physical_resource_id(self) -> str:
        ref = RECORDED[self.TYPE][1]
        return ref(self._fields()) if ref else self.name

    @classmethod
    def has_cfn_attr(cls, attr: str) -> bool:
        return attr in RECORDED[cls.TYPE][2]

    def get_cfn_attribute(self, attr: str) -> str:
        return RECORDED[self.TYPE][2][attr](self._fields())

    @classmethod
    def create_from_cloudformation_json(
        cls,
        resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
        **_: Any,
    ) -> _Recorded:
        named = RECORDED[cls.TYPE][0]
        if not named:  # ids CloudFormation makes up: short, unique
            resource_name = uuid.uuid4().hex[:10]
        return cls(resource_name, cloudformation_json.get("Properties", {}), account_id, region_name)

    @classmethod
    def update_from_cloudformation_json(
        cls,
        original_resource: _Recorded,
        new_resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
    ) -> _Recorded:
        named = RECORDED[cls.TYPE][0]
        props = cloudformation_json.get("Properties", {})
        if named and props.get(named) not in (None, original_resource.props.get(named)):
            return cls(new_resource_name, props, account_id, region_name)  # a new name replaces
        original_resource.props = props
        return original_resource

    def delete(self, account_id: str, region_name: str) -> None:
        """Nothing outside the record."""

    def is_created(self) -> bool:
        return True


def _recorded_model(resource_type: str) -> type:
    name_property = RECORDED[resource_type][0]
    return type(
        "Recorded" + resource_type.replace("::", ""),
        (_Recorded, CloudFormationModel),
        {
            "TYPE": resource_type,
            "cloudformation_type": staticmethod(lambda: resource_type),
            "cloudformation_name_type": staticmethod(lambda: name_property),
        },
    )


def register() -> None:
    """Make the models visible to moto's template parser (it lists CloudFormationModel subclasses)."""
    from tests.emulator import custom, http_api, prepared, rest_api  # noqa: F401  (classes register by being defined)

    for resource_type in RECORDED:
        _recorded_model(resource_type)
    _keeping_generated_names()
    _versions_with_arns()
    _mappings_of_every_source()
    _aliases_in_the_backend()
    _topics_updated_in_place()
    custom.register()
    prepared.register()
    _deleted_stacks_stay_deleted()
    _exports_follow_updates()
    _layer_versions_with_arns()
    _sub_with_any_variable_name()
    parsing.get_model_list.cache_clear()
    parsing.get_model_map.cache_clear()
    parsing.get_name_type_map.cache_clear()
    models = parsing.get_model_map()
    missing = set(RECORDED) - set(models)
    assert not missing, missing
    assert models["AWS::Events::Rule"].__name__ == "RuleUpdatedInPlace"
    assert models["AWS::Lambda::Version"].__name__ == "VersionWithArn"
    assert models["AWS::SNS::Topic"].__name__ == "TopicUpdatedInPlace"
    assert models["AWS::Lambda::Alias"].__name__ == "AliasInBackend"
    assert models["AWS::Lambda::EventSourceMapping"].__name__ == "MappingOfAnySource"
    assert models["AWS::ApiGateway::Method"].__name__ == "RestMethod"


def _keeping_generated_names() -> None:
    """moto's update of an ``AWS::Events::Rule`` deletes it and creates it under a fresh generated
    name; CloudFormation updates it in place, its generated name kept (unless ``Name`` changes)."""
    from moto.events.models import Rule

    class RuleUpdatedInPlace(Rule, CloudFormationModel):  # type: ignore[misc]
        @classmethod
        def update_from_cloudformation_json(  # type: ignore[override]
            cls,
            original_resource: Any,
            new_resource_name: str,
            cloudformation_json: dict[str, Any],
            account_id: str,
            region_name: str,
        ) -> Any:
            if "Name" not in cloudformation_json.get("Properties", {}):
                new_resource_name = original_resource.name
            return super().update_from_cloudformation_json(
                original_resource, new_resource_name, cloudformation_json, account_id, region_name
            )


def _versions_with_arns() -> None:
    """``AWS::Lambda::Version``: ``Ref`` is the version's ARN (``<function ARN>:<n>``, what
    ``<F>LambdaFunctionQualifiedArn`` outputs), ``Version`` its number; deleting it deletes the
    version, as CloudFormation does (moto's model has neither)."""
    from moto.awslambda.models import LambdaVersion, lambda_backends

    class VersionWithArn(LambdaVersion, CloudFormationModel):  # type: ignore[misc]
        @classmethod
        def create_from_cloudformation_json(  # type: ignore[override]
            cls,
            resource_name: str,
            cloudformation_json: dict[str, Any],
            account_id: str,
            region_name: str,
            **_: Any,
        ) -> Any:
            name = cloudformation_json["Properties"]["FunctionName"]
            function = lambda_backends[account_id][region_name].publish_version(name)
            version = cls({"Version": function.version})
            version.arn = function.function_arn
            return version

        @property
        def physical_resource_id(self) -> str:
            return str(self.arn)

        @classmethod
        def has_cfn_attr(cls, attr: str) -> bool:
            return attr in ("Version", "FunctionArn")

        def get_cfn_attribute(self, attr: str) -> str:
            return str(self.version) if attr == "Version" else str(self.arn).rsplit(":", 1)[0]

        def delete(self, account_id: str, region_name: str) -> None:
            with contextlib.suppress(Exception):  # the function (so its versions) went first
                lambda_backends[account_id][region_name].delete_function(self.arn)


def _mappings_of_every_source() -> None:
    """``AWS::Lambda::EventSourceMapping``: moto's own for the queues, streams and tables it has;
    any other source (it knows no brokers, clusters or consumers) is kept as a mapping record with
    the properties given, in the Lambda backend, updated in place, deleted with the stack."""
    from moto.awslambda.models import EventSourceMapping, lambda_backends

    class RecordedMapping(_Recorded):
        TYPE = "AWS::Lambda::EventSourceMapping"

        @property
        def physical_resource_id(self) -> str:
            return self.name

        @classmethod
        def has_cfn_attr(cls, attr: str) -> bool:
            return attr == "Id"

        def get_cfn_attribute(self, attr: str) -> str:
            return self.name

        def get_configuration(self) -> dict[str, Any]:
            return {**self.props, "UUID": self.name}

        def delete(self, account_id: str, region_name: str) -> None:
            lambda_backends[account_id][region_name]._event_source_mappings.pop(self.name, None)

    class MappingOfAnySource(EventSourceMapping, CloudFormationModel):  # type: ignore[misc]
        @classmethod
        def create_from_cloudformation_json(  # type: ignore[override]
            cls,
            resource_name: str,
            cloudformation_json: dict[str, Any],
            account_id: str,
            region_name: str,
            **kwargs: Any,
        ) -> Any:
            props = cloudformation_json.get("Properties", {})
            backend = lambda_backends[account_id][region_name]
            try:
                return super().create_from_cloudformation_json(
                    resource_name, cloudformation_json, account_id, region_name, **kwargs
                )
            except Exception as error:  # a source moto does not model, or does not have
                if "EventSourceArn" not in str(error) and "Unsupported" not in str(error):
                    raise
            backend.get_function(props["FunctionName"])  # the function must exist
            record = RecordedMapping(str(uuid.uuid4()), props, account_id, region_name)
            backend._event_source_mappings[record.name] = record
            return record

        @classmethod
        def update_from_cloudformation_json(  # type: ignore[override]
            cls,
            original_resource: Any,
            new_resource_name: str,
            cloudformation_json: dict[str, Any],
            account_id: str,
            region_name: str,
        ) -> Any:
            if isinstance(original_resource, RecordedMapping):
                original_resource.props = cloudformation_json.get("Properties", {})
                return original_resource
            return super().update_from_cloudformation_json(
                original_resource, new_resource_name, cloudformation_json, account_id, region_name
            )


def _topics_updated_in_place() -> None:
    """moto's update of an ``AWS::SNS::Topic`` deletes it and makes a new one under a new name (even
    with nothing changed); CloudFormation replaces a topic only for a new ``TopicName``."""
    from moto.sns.models import Topic

    class TopicUpdatedInPlace(Topic, CloudFormationModel):  # type: ignore[misc]
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
            if props.get("TopicName") not in (None, original_resource.name):
                return super().update_from_cloudformation_json(
                    original_resource, new_resource_name, cloudformation_json, account_id, region_name
                )
            original_resource.display_name = props.get("DisplayName", "")
            return original_resource


def _aliases_in_the_backend() -> None:
    """``AWS::Lambda::Alias`` made in moto's Lambda backend (a permission, a mapping or a
    provisioned concurrency config naming ``<function>:<alias>`` finds it there), updated in place
    to the new version, as CloudFormation does when v3 publishes one."""
    from moto.awslambda.models import lambda_backends

    class AliasInBackend(_Recorded, CloudFormationModel):  # type: ignore[misc]
        TYPE = "AWS::Lambda::Alias"

        @staticmethod
        def cloudformation_type() -> str:
            return "AWS::Lambda::Alias"

        @staticmethod
        def cloudformation_name_type() -> str:
            return ""

        def __init__(self, name: str, props: dict[str, Any], account: str, region: str) -> None:
            super().__init__(name, props, account, region)
            backend = lambda_backends[account][region]
            args = (props["Name"], props["FunctionName"], props["FunctionVersion"])
            alias = backend.create_alias(*args, props.get("Description", ""), props.get("RoutingConfig"))
            self.arn = str(alias.arn)

        @classmethod
        def create_from_cloudformation_json(  # type: ignore[override]
            cls,
            resource_name: str,
            cloudformation_json: dict[str, Any],
            account_id: str,
            region_name: str,
            **_: Any,
        ) -> Any:
            return cls(resource_name, cloudformation_json.get("Properties", {}), account_id, region_name)

        @property
        def physical_resource_id(self) -> str:
            return self.arn

        @classmethod
        def has_cfn_attr(cls, attr: str) -> bool:
            return attr == "AliasArn"

        def get_cfn_attribute(self, attr: str) -> str:
            return self.arn

        @classmethod
        def update_from_cloudformation_json(  # type: ignore[override]
            cls,
            original_resource: Any,
            new_resource_name: str,
            cloudformation_json: dict[str, Any],
            account_id: str,
            region_name: str,
        ) -> Any:
            p = original_resource.props = cloudformation_json.get("Properties", {})
            lambda_backends[account_id][region_name].update_alias(
                p["Name"],
                p["FunctionName"],
                p["FunctionVersion"],
                p.get("Description", ""),
                p.get("RoutingConfig"),
            )
            return original_resource

        def delete(self, account_id: str, region_name: str) -> None:
            with contextlib.suppress(Exception):  # the function (so its aliases) went first
                lambda_backends[account_id][region_name].delete_alias(
                    self.props["Name"], self.props["FunctionName"]
                )


class _NoOutputs(dict[str, Any]):
    @property
    def exports(self) -> list[Any]:
        return []


def _deleted_stacks_stay_deleted() -> None:
    from moto.cloudformation.models import Stack

    delete = Stack.delete

    def delete_then_forget_outputs(self: Any) -> None:
        delete(self)
        self.output_map = _NoOutputs()

    Stack.delete = delete_then_forget_outputs  # type: ignore[method-assign]


def _exports_follow_updates() -> None:
    from moto.cloudformation.models import CloudFormationBackend

    update = CloudFormationBackend.update_stack

    def update_then_export(self: Any, name: str, *args: Any, **kwargs: Any) -> Any:
        before = [export.name for export in self.get_stack(name).exports]
        stack = update(self, name, *args, **kwargs)
        for export_name in before:
            self.exports.pop(export_name, None)
        for export in stack.exports:
            self.exports[export.name] = export
        return stack

    CloudFormationBackend.update_stack = update_then_export  # type: ignore[method-assign]


def _layer_versions_with_arns() -> None:
    from moto.awslambda.models import LayerVersion

    create = LayerVersion.create_from_cloudformation_json

    def create_keeping_properties(cls: Any, name: str, cfn: dict[str, Any], *args: Any, **kwargs: Any) -> Any:
        version = create(name, cfn, *args, **kwargs)
        version.cfn_properties = cfn.get("Properties", {})
        return version

    def update_as_cloudformation(
        cls: Any, original: Any, name: str, cfn: dict[str, Any], account_id: str, region_name: str
    ) -> Any:
        if cfn.get("Properties", {}) == getattr(original, "cfn_properties", None):
            return original
        return LayerVersion.create_from_cloudformation_json(name, cfn, account_id, region_name)

    LayerVersion.physical_resource_id = property(lambda self: self.arn)  # type: ignore[attr-defined]
    LayerVersion.cloudformation_name_type = staticmethod(lambda: "LayerName")  # type: ignore[method-assign]
    LayerVersion.create_from_cloudformation_json = classmethod(create_keeping_properties)  # type: ignore[assignment,method-assign]
    LayerVersion.update_from_cloudformation_json = classmethod(update_as_cloudformation)  # type: ignore[assignment,method-assign]


def _sub_with_any_variable_name() -> None:
    clean_json = parsing.clean_json

    def clean_json_any_variable(resource_json: Any, resources_map: Any) -> Any:
        sub = resource_json.get("Fn::Sub") if isinstance(resource_json, dict) else None
        if isinstance(sub, list):
            template, variables = sub
            for name, value in variables.items():
                template = template.replace(
                    "${" + name + "}", str(clean_json_any_variable(value, resources_map))
                )
            return clean_json({"Fn::Sub": template}, resources_map)
        return clean_json(resource_json, resources_map)

    parsing.clean_json = clean_json_any_variable
