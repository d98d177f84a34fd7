"""``Tags.of(...)`` reaches raw resources (``resources:`` entries, event-built ones) of every type
CloudFormation tags, in the type's format, merged with the resource's own tags; and a stack no
CDK tag touches synthesizes exactly as if raw resources were not taggable (issue 21)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from aws_cdk import App, Tags

from constructs_lib.checks.permissions import schema_tagging
from tests.cfn_lint_pool import lint_one

SERVICE = """\
service: tagged
provider:
  name: aws
  runtime: provided.al2023
  region: us-east-1
  deploymentBucket:
    name: my.serverless
package:
  artifact: boot.zip
functions:
  env:
    handler: bootstrap
    events:
      - schedule: rate(1 minute)
resources:
  Resources:
    Table:
      Type: AWS::DynamoDB::Table
      Properties:
        BillingMode: PAY_PER_REQUEST
        AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
        KeySchema: [{AttributeName: id, KeyType: HASH}]
        Tags:
          - Key: owner
            Value: !Ref AWS::Region
          - Key: team
            Value: mine
          - !If [IsProd, {Key: prod, Value: "yes"}, !Ref AWS::NoValue]
    Bucket:
      Type: AWS::S3::Bucket
    Param:
      Type: AWS::SSM::Parameter
      Properties:
        Type: String
        Value: v
        Tags:
          own: !Sub "${AWS::StackName}"
          team: mine
    Group:
      Type: AWS::AutoScaling::AutoScalingGroup
      Properties:
        MinSize: "0"
        MaxSize: "1"
        AvailabilityZones: [us-east-1a]
        LaunchConfigurationName: lc
        Tags:
          - {Key: team, Value: mine, PropagateAtLaunch: false}
    Policy:
      Type: AWS::SQS::QueuePolicy
      Properties:
        Queues: [x]
        PolicyDocument: {Version: "2012-10-17", Statement: []}
    EnvEventsRuleSchedule1:
      Properties:
        Tags: [{Key: merged, Value: "1"}]
    EnvLambdaFunction:
      Properties:
        Tags: [{Key: merged, Value: fn}]
  Conditions:
    IsProd: !Equals [dev, prod]
  extensions:
    IamRoleLambdaExecution:
      Properties:
        Tags: [{Key: extended, Value: role}]
"""


def _service(tmp_path: Path, text: str = SERVICE) -> Path:
    from tests.helpers import SEED, ensure_seed_built

    ensure_seed_built()
    (tmp_path / "boot.zip").write_bytes((SEED / "api" / "v1" / "test" / "boot.zip").read_bytes())
    (tmp_path / "serverless.yml").write_text(text)
    return tmp_path / "serverless.yml"


def _synth(path: Path, tag: Callable[[Any], None] | None = None) -> dict[str, Any]:
    """The template of ``path`` built with ``ServiceStack``, ``tag(stack)`` applied first."""
    from constructs_lib.loader.project import load_service
    from stacks.service_stack import ServiceStack

    app = App(outdir=str(path.parent / "cdk.out"), builtin_cloud_formation_validation=False)
    stack = ServiceStack(app, service=load_service(path, stage="dev"))
    if tag is not None:
        tag(stack)
    template: dict[str, Any] = app.synth().get_stack_by_name(stack.stack_name).template
    return template


def _tags(template: dict[str, Any]) -> dict[str, Any]:
    return {k: r.get("Properties", {}).get("Tags", "-") for k, r in template["Resources"].items()}


def test_tag_table_from_the_schemas() -> None:
    """The table tells the tag property and its format; types CloudFormation does not tag (or
    tags inside another property) are absent."""
    assert schema_tagging("AWS::S3::Bucket") == ("Tags", "list")
    assert schema_tagging("AWS::SSM::Parameter") == ("Tags", "map")
    assert schema_tagging("AWS::AutoScaling::AutoScalingGroup") == ("Tags", "asg")
    assert schema_tagging("AWS::Cognito::UserPool") == ("UserPoolTags", "map")
    assert schema_tagging("AWS::CodeBuild::Project") == ("Tags", "list")  # schema has no tagging section
    assert schema_tagging("AWS::Serverless::Function") == ("Tags", "map")  # SAM
    assert schema_tagging("AWS::DeviceFarm::Project") == ("Tags", "list")  # us-west-2 only
    assert schema_tagging("AWS::Lambda::Permission") is None
    assert schema_tagging("AWS::SQS::QueuePolicy") is None
    assert schema_tagging("AWS::EC2::CapacityReservation") is None  # TagSpecifications/*/Tags
    assert schema_tagging("AWS::CloudFront::AnycastIpList") is None  # Tags: {Items: [...]}
    assert schema_tagging("Custom::Thing") is None


def test_tags_of_reaches_resources_entries(tmp_path: Path) -> None:
    """GIVEN a service whose ``resources`` hold a table with its own tags (an intrinsic value, an
    intrinsic entry), an untagged bucket, an SSM parameter (map tags), an ASG and a policy (not
    taggable) WHEN ``Tags.of(stack)`` adds two tags, one excluding buckets THEN each taggable
    resource gets them in its format after its own, a tag of the same key replaces the own one
    in place, the bucket lacks the excluded one, the policy is untouched; event-built resources
    (the schedule's rule, merged with ``resources``) and the L1s are tagged too, the function
    after the tags ``resources`` merged into it."""

    def tag(stack: Any) -> None:
        Tags.of(stack).add("team", "cdk")
        Tags.of(stack).add("cost", "42", exclude_resource_types=["AWS::S3::Bucket"])

    template = _synth(_service(tmp_path), tag)
    tags = _tags(template)
    assert tags["Table"] == [
        {"Key": "owner", "Value": {"Ref": "AWS::Region"}},
        {"Key": "team", "Value": "cdk"},
        {"Fn::If": ["IsProd", {"Key": "prod", "Value": "yes"}, {"Ref": "AWS::NoValue"}]},
        {"Key": "cost", "Value": "42"},
    ]
    assert tags["Bucket"] == [{"Key": "team", "Value": "cdk"}]
    assert tags["Param"] == {"own": {"Fn::Sub": "${AWS::StackName}"}, "team": "cdk", "cost": "42"}
    assert tags["Group"] == [
        {"Key": "team", "Value": "cdk", "PropagateAtLaunch": True},
        {"Key": "cost", "Value": "42", "PropagateAtLaunch": True},
    ]
    assert tags["Policy"] == "-"
    assert tags["EnvEventsRuleSchedule1"] == [
        {"Key": "merged", "Value": "1"},
        {"Key": "cost", "Value": "42"},
        {"Key": "team", "Value": "cdk"},
    ]
    assert tags["EnvLambdaPermissionEventsRuleSchedule1"] == "-"
    assert tags["EnvLambdaFunction"] == [  # an L1 merged with resources: the merge, then CDK's
        {"Key": "merged", "Value": "fn"},
        {"Key": "cost", "Value": "42"},
        {"Key": "team", "Value": "cdk"},
    ]
    assert tags["IamRoleLambdaExecution"] == [  # extended: the extension's, then CDK's
        {"Key": "extended", "Value": "role"},
        {"Key": "cost", "Value": "42"},
        {"Key": "team", "Value": "cdk"},
    ]
    # each in its type's format: cfn-lint finds nothing about any tag property
    findings = lint_one(json.dumps(template))
    assert [f for f in findings if "/Tags" in f[2]] == [], findings


def test_priorities_removal_and_included_types(tmp_path: Path) -> None:
    """A tag added below CDK's priority for given tags (50) leaves the own one; a removal drops
    the own tag; ``include_resource_types`` limits a tag to its types; the ASG format takes
    ``apply_to_launched_instances``; an override of the tag property written in Python is merged
    with CDK's tags, not replaced by them."""

    def tag(stack: Any) -> None:
        Tags.of(stack).add("team", "low", priority=10)
        Tags.of(stack).remove("owner")
        Tags.of(stack).add("only", "ssm", include_resource_types=["AWS::SSM::Parameter"])
        Tags.of(stack).add("fleet", "x", apply_to_launched_instances=False)
        stack.node.find_child("Resources").node.find_child("ResourceBucket").add_property_override(
            "Tags", [{"Key": "written", "Value": "in python"}]
        )

    tags = _tags(_synth(_service(tmp_path), tag))
    assert tags["Table"] == [
        {"Key": "team", "Value": "mine"},
        {"Fn::If": ["IsProd", {"Key": "prod", "Value": "yes"}, {"Ref": "AWS::NoValue"}]},
        {"Key": "fleet", "Value": "x"},
    ]
    assert tags["Param"] == {
        "own": {"Fn::Sub": "${AWS::StackName}"},
        "team": "mine",
        "fleet": "x",
        "only": "ssm",
    }
    assert tags["Group"] == [
        {"Key": "team", "Value": "mine", "PropagateAtLaunch": False},
        {"Key": "fleet", "Value": "x", "PropagateAtLaunch": False},
    ]
    assert tags["Bucket"] == [  # no own "team": the low-priority one applies
        {"Key": "written", "Value": "in python"},
        {"Key": "fleet", "Value": "x"},
        {"Key": "team", "Value": "low"},
    ]


def test_without_cdk_tags_the_template_is_unchanged(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """GIVEN no ``Tags.of`` THEN the template is byte for byte the one built when no type is
    taggable (plain ``CfnResource``s and raw tag overrides on L1s, as before)."""
    import constructs_lib.constructs.raw as raw
    import constructs_lib.constructs.resources as resources

    path = _service(tmp_path)
    taggable = json.dumps(_synth(path), indent=1)
    monkeypatch.setattr(raw, "schema_tagging", lambda resource_type: None)
    monkeypatch.setattr(resources, "schema_tagging", lambda resource_type: None)
    plain = json.dumps(_synth(path), indent=1)
    assert taggable == plain
    assert '"Key": "owner"' in plain


def test_a_tag_property_that_is_one_intrinsic(tmp_path: Path) -> None:
    """A tag property written as one intrinsic stays as written without CDK tags; with them the
    synthesis fails naming the resource, as CDK refuses it for an L1."""
    text = SERVICE.replace(
        "  Conditions:\n",
        "    Param2:\n      Type: AWS::SSM::Parameter\n      Properties:\n        Type: String\n        Value: v\n"
        "        Tags: !If [IsProd, {a: b}, !Ref AWS::NoValue]\n  Conditions:\n",
    )
    path = _service(tmp_path, text)
    assert _tags(_synth(path))["Param2"] == {"Fn::If": ["IsProd", {"a": "b"}, {"Ref": "AWS::NoValue"}]}
    with pytest.raises(RuntimeError, match="resource Param2: CDK tags cannot be merged with its Tags"):
        _synth(path, lambda stack: Tags.of(stack).add("team", "cdk"))


_OVERRIDES: list[tuple[str, list[tuple[str, Any]]]] = [
    ("list replaced", [("Properties.Tags", [{"Key": "a", "Value": "b"}])]),
    ("list element", [("Properties.Tags.0.Value", "x"), ("Properties.Tags.2", {"Key": "n", "Value": "m"})]),
    ("deleted", [("Properties.Tags", None)]),
    ("deleted then set", [("Properties.Tags", None), ("Properties.Tags.k", "v")]),
    (
        "whole properties",
        [("Properties.Tags.x", "1"), ("Properties", {"Tags": [{"Key": "p", "Value": "q"}]})],
    ),
    ("properties without tags", [("Properties.Tags", []), ("Properties", {"Other": 1})]),
    ("escaped dot", [("Properties.Tags.0.Key", "a.b"), ("Properties.Other\\.Name", 2)]),
]
_MAP_OVERRIDES: list[tuple[str, list[tuple[str, Any]]]] = [
    ("map merged", [("Properties.Tags", {"b": "2"})]),
    ("map key deleted", [("Properties.Tags.own", None)]),
    ("map emptied", [("Properties.Tags.own", None), ("Properties.Tags.team", None)]),
    ("intrinsic replaces", [("Properties.Tags", {"Fn::If": ["C", {"a": "b"}, {"Ref": "AWS::NoValue"}]})]),
    ("into intrinsic", [("Properties.Tags", {"Ref": "P"}), ("Properties.Tags.k", "v")]),
]


@pytest.mark.parametrize(
    ("resource_type", "tags", "overrides"),
    [
        *[("AWS::S3::Bucket", [{"Key": "own", "Value": {"Ref": "R"}}], o) for o in _OVERRIDES],
        *[("AWS::S3::Bucket", None, o) for o in _OVERRIDES],
        *[("AWS::SSM::Parameter", {"own": "1", "team": "t"}, o) for o in _MAP_OVERRIDES],
    ],
    ids=lambda value: value[0] if isinstance(value, tuple) else None,
)
def test_overrides_of_the_tag_property_render_as_cdks(
    resource_type: str, tags: Any, overrides: tuple[str, list[tuple[str, Any]]]
) -> None:
    """Overrides of the tag property (kept by the resource, to merge CDK's tags with) render as
    CDK renders them on a plain ``CfnResource``, whatever the order and depth."""
    from aws_cdk import CfnResource, Stack

    from constructs_lib.constructs.raw import TaggableResource, raw_resource

    def render(make: Callable[..., CfnResource]) -> dict[str, Any]:
        app = App(builtin_cloud_formation_validation=False)
        stack = Stack(app, "S")
        properties = {"Name": "n", **({"Tags": tags} if tags is not None else {}), "Last": 1}
        resource = make(stack, "R", resource_type=resource_type, properties=properties)
        for path, value in overrides[1]:
            resource.add_override(path, value)
        template: dict[str, Any] = app.synth().get_stack_by_name("S").template
        return template

    def plain(scope: Any, construct_id: str, *, resource_type: str, properties: Any) -> CfnResource:
        return CfnResource(scope, construct_id, type=resource_type, properties=properties)

    taggable = render(raw_resource)
    assert json.dumps(taggable) == json.dumps(render(plain))
    app = App(builtin_cloud_formation_validation=False)
    assert isinstance(
        raw_resource(Stack(app, "T"), "R", resource_type=resource_type, properties={}), TaggableResource
    )
