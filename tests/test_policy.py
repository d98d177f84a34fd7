"""The deployer policy: everything the example's deploy needs, scoped, nothing wildcarded."""

from __future__ import annotations

import contextlib
import io
import json

from constructs_lib.cli.commands import main
from tests.helpers import SEED, ensure_seed_built

#: Actions a deploy of the example performs (the CDK CLI's calls with the CLI-credentials
#: synthesizer, and CloudFormation's handlers for the example's resource types).
NEEDED = {
    "cloudformation:CreateStack",
    "cloudformation:UpdateStack",
    "cloudformation:DescribeStacks",
    "cloudformation:DescribeStackEvents",
    "cloudformation:GetTemplate",
    "cloudformation:DeleteStack",
    "s3:PutObject",
    "s3:ListBucket",
    "s3:GetBucketLocation",
    "s3:GetObject",
    "lambda:CreateFunction",
    "lambda:GetFunction",
    "lambda:UpdateFunctionCode",
    "lambda:UpdateFunctionConfiguration",
    "lambda:DeleteFunction",
    "lambda:PublishVersion",
    "lambda:AddPermission",
    "lambda:RemovePermission",
    "lambda:CreateFunctionUrlConfig",
    "lambda:DeleteFunctionUrlConfig",
    "logs:CreateLogGroup",
    "logs:PutRetentionPolicy",
    "logs:DeleteLogGroup",
    "logs:DescribeLogGroups",
    "apigateway:POST",
    "apigateway:GET",
    "apigateway:PATCH",
    "apigateway:DELETE",
    "iam:PassRole",
}


def test_policy_covers_the_deploy_and_wildcards_nothing() -> None:
    ensure_seed_built()
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        assert main(["policy", str(SEED), "--account", "111122223333"]) == 0
    doc = json.loads(out.getvalue())
    statements = doc["DeployerPolicy"]["Statement"]
    allowed = {action for s in statements for action in s["Action"]}
    assert allowed >= NEEDED, sorted(NEEDED - allowed)
    for statement in statements:
        assert all(a != "*" and not a.endswith(":*") for a in statement["Action"]), statement
        assert "*" not in statement["Resource"], statement
    resources = [r for s in statements for r in s["Resource"]]
    assert "arn:aws:lambda:us-east-1:111122223333:function:test-dev-env" in resources
    assert "arn:aws:s3:::my.serverless/serverless/auth/dev/*" in resources
    assert "arn:aws:iam::123456789012:role/serverless" in resources  # the role the seed passes
    assert doc["LambdaTrustPolicy"]["Statement"][0]["Principal"] == {"Service": "lambda.amazonaws.com"}


def test_policy_follows_the_template_custom_resources_logs_and_unnamed_roles() -> None:
    """Custom resources: CloudFormation invokes their Lambda with the deployer's credentials;
    their functions, the websocket log group and CloudFormation-named roles are all in scope."""
    from tests.helpers import REFERENCE

    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        assert (
            main(
                [
                    "policy",
                    str(REFERENCE / "f15-existing-buckets-pools-api-logs"),
                    "--account",
                    "111122223333",
                ]
            )
            == 0
        )
    result = json.loads(out.getvalue())
    statements = {s["Sid"]: s for s in result["DeployerPolicy"]["Statement"]}
    function = statements["LegacyDevFunction"]
    assert "lambda:InvokeFunction" in function["Action"]
    assert (
        "arn:aws:lambda:us-east-1:111122223333:function:legacy-dev-custom-resource-existing-s3"
        in function["Resource"]
    )
    assert (
        "arn:aws:logs:us-east-1:111122223333:log-group:/aws/websocket/legacy-dev:*"
        in statements["LegacyDevLogGroup"]["Resource"]
    )
    # IamRoleCustomResourcesLambdaExecution has no RoleName: CloudFormation prefixes it with the stack
    assert "arn:aws:iam::111122223333:role/legacy-dev-*" in statements["LegacyDevRole"]["Resource"]
    assert result["Notes"] == []
    for statement in result["DeployerPolicy"]["Statement"]:
        assert "*" not in statement["Action"] and "*" not in statement["Resource"]


def _types_of_every_reference_template() -> set[str]:
    from tests.helpers import REFERENCE, V3_TEMPLATE

    return {
        resource.get("Type", "")
        for template in REFERENCE.rglob(V3_TEMPLATE)
        for resource in json.loads(template.read_text()).get("Resources", {}).values()
    }


def test_every_type_of_every_reference_template_has_a_policy_row() -> None:
    """Each type v3 (so we) generate for any event, plugin or ``resources:`` entry of a case is
    granted: scoped by the table, or from its CloudFormation schema; never left out."""
    from constructs_lib.checks.policy import DeployTarget, deployer_policy

    types = _types_of_every_reference_template()
    assert len(types) > 40
    target = DeployTarget(stack="s-dev", region="us-east-1", functions=["s-dev-f"], resource_types=types)
    policy, notes = deployer_policy([target], "123456789012")
    assert not [n for n in notes if "not a CloudFormation registry type" in n], notes
    granted = {a for st in policy["Statement"] for a in st["Action"]}
    for needed in ("sqs:CreateQueue", "events:PutRule", "iot:CreateTopicRule", "dynamodb:CreateTable"):
        assert needed in granted, needed
    wild = [st for st in policy["Statement"] if st["Resource"] == ["*"]]
    assert wild and all("iam:PassRole" not in st["Action"] for st in wild), "PassRole is never on *"


def test_an_unknown_type_is_reported_not_granted() -> None:
    from constructs_lib.checks.policy import DeployTarget, deployer_policy

    target = DeployTarget(stack="s-dev", region="us-east-1", resource_types={"AWS::SQS::Queu"})
    policy, notes = deployer_policy([target], "123456789012")
    assert notes == ["s-dev: AWS::SQS::Queu is not a CloudFormation registry type; grant its actions by hand"]
    assert all(st["Resource"] != ["*"] for st in policy["Statement"])


def test_a_type_whose_schema_lists_no_permissions_is_reported_not_an_empty_statement() -> None:
    from constructs_lib.checks.policy import DeployTarget, deployer_policy

    target = DeployTarget(stack="s-dev", region="us-east-1", resource_types={"AWS::CodeBuild::Project"})
    policy, notes = deployer_policy([target], "123456789012")
    assert all(st["Action"] for st in policy["Statement"])
    assert notes == [
        "s-dev: AWS::CodeBuild::Project: its schema lists no permissions; grant its actions by hand"
    ]
