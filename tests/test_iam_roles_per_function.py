"""serverless-iam-roles-per-function 3.2.0, translated: its keys validated like ours (located
warnings and errors, did-you-mean), its refusals located, and each option on the synthesized
template. Whole templates are compared with v3's by tests/test_parity.py (f55-f57)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from constructs_lib.errors import ConfigError, ErrorGroup, IgnoredAsInV3, SchemaError, SlsCdkError
from constructs_lib.loader.project import load_service
from tests.helpers import REFERENCE, synth

BOOT_ZIP = REFERENCE / "08-schedule" / "boot.zip"
PLUGIN = "serverless-iam-roles-per-function"
_STATEMENT = "      - Effect: Allow\n        Action: s3:GetObject\n        Resource: arn:aws:s3:::b/*\n"


def _service(tmp_path: Path, body: str, *, plugin: bool = True, service: str = "svc") -> Path:
    shutil.copyfile(BOOT_ZIP, tmp_path / "boot.zip")
    plugins = f"plugins:\n  - {PLUGIN}\n" if plugin else ""
    (tmp_path / "serverless.yml").write_text(
        f"service: {service}\nframeworkVersion: '3'\n" + plugins + "provider:\n  name: aws\n"
        "  runtime: provided.al2023\n  region: us-east-1\n" + body
    )
    return tmp_path / "serverless.yml"


def _function(key: str = "a", extra: str = "") -> str:
    """A function with one statement of its own; ``extra`` is more of its keys (4 spaces)."""
    return f"  {key}:\n    handler: bootstrap\n    package:\n      artifact: boot.zip\n{extra}    iamRoleStatements:\n{_STATEMENT}"


def _error(file: Path, *, strict: bool = False) -> SlsCdkError:
    with pytest.raises(SlsCdkError) as info:
        load_service(file, stage="dev", strict=strict)
    error = info.value
    if isinstance(error, ErrorGroup):
        error = error.errors[0]
    return error


def _template(file: Path) -> dict[str, Any]:
    (template,) = synth(file, stage="dev").values()
    return template["Resources"]


def test_without_the_plugin_its_keys_are_v3s_unknown_keys(tmp_path: Path) -> None:
    file = _service(
        tmp_path, "functions:\n" + _function(extra="    iamRoleStatementsInherit: true\n"), plugin=False
    )
    warnings = [w for w in load_service(file, stage="dev").warnings if isinstance(w, IgnoredAsInV3)]
    assert [w.path for w in warnings] == [
        ("functions", "a", "iamRoleStatements"),
        ("functions", "a", "iamRoleStatementsInherit"),
    ]
    assert [w.location.line if w.location else None for w in warnings] == [13, 12]
    assert all("list the plugin under plugins" in (w.hint or "") for w in warnings)
    error = _error(file, strict=True)
    assert isinstance(error, SchemaError) and "iamRoleStatements" in str(error)
    resources = _template(file)
    assert "AIamRoleLambdaExecution" not in resources, "ignored, as v3 ignores it"
    assert resources["ALambdaFunction"]["Properties"]["Role"] == {
        "Fn::GetAtt": ["IamRoleLambdaExecution", "Arn"]
    }


def test_with_the_plugin_its_keys_are_known_even_in_error_mode() -> None:
    load_service(REFERENCE / "f56-iam-per-function-events" / "serverless.yml", stage="dev", strict=True)


def test_a_misspelled_function_key_is_located_with_did_you_mean(tmp_path: Path) -> None:
    body = "functions:\n  a:\n    handler: bootstrap\n    package:\n      artifact: boot.zip\n"
    file = _service(tmp_path, body + "    iamRoleStatement:\n" + _STATEMENT)
    (warning,) = [w for w in load_service(file, stage="dev").warnings if isinstance(w, IgnoredAsInV3)]
    assert warning.path == ("functions", "a", "iamRoleStatement")
    assert warning.location is not None and warning.location.line == 14
    assert "iamRoleStatements" in (warning.hint or "")


def test_iam_managed_policies_on_a_function_is_not_the_plugins(tmp_path: Path) -> None:
    """3.2.0 defines four function keys; ``iamManagedPolicies`` is none of them: v3 warns, ignores it."""
    extra = "    iamManagedPolicies:\n      - arn:aws:iam::aws:policy/ReadOnlyAccess\n"
    file = _service(tmp_path, "functions:\n" + _function(extra=extra))
    (warning,) = [w for w in load_service(file, stage="dev").warnings if isinstance(w, IgnoredAsInV3)]
    assert warning.path == ("functions", "a", "iamManagedPolicies")
    role = _template(file)["AIamRoleLambdaExecution"]["Properties"]
    assert role["ManagedPolicyArns"] == []


def test_the_plugins_custom_keys_are_checked_with_did_you_mean(tmp_path: Path) -> None:
    custom = f"custom:\n  {PLUGIN}:\n    defaultInherits: true\n"
    file = _service(tmp_path, custom + "functions:\n" + _function())
    (warning,) = [w for w in load_service(file, stage="dev").warnings if isinstance(w, IgnoredAsInV3)]
    assert warning.path == ("custom", PLUGIN, "defaultInherits")
    assert warning.location is not None and warning.location.line == 11
    assert "defaultInherit" in (warning.hint or "")
    assert isinstance(_error(file, strict=True), SchemaError)
    bad = _service(
        tmp_path, f"custom:\n  {PLUGIN}:\n    defaultInherit: sometimes\n" + "functions:\n" + _function()
    )
    error = _error(bad)
    assert error.path == ("custom", PLUGIN, "defaultInherit") and error.location is not None
    assert error.location.line == 11


def test_a_statement_without_effect_is_located(tmp_path: Path) -> None:
    body = "functions:\n  a:\n    handler: bootstrap\n    package:\n      artifact: boot.zip\n"
    file = _service(
        tmp_path, body + "    iamRoleStatements:\n      - Action: s3:GetObject\n        Resource: '*'\n"
    )
    error = _error(file)
    assert isinstance(error, SchemaError)
    assert error.path[:4] == ("functions", "a", "iamRoleStatements", 0)
    assert error.location is not None and error.location.line == 15


def test_role_and_iam_role_statements_together_are_refused(tmp_path: Path) -> None:
    extra = "    role: arn:aws:iam::123456789012:role/mine\n"
    error = _error(_service(tmp_path, "functions:\n" + _function(extra=extra) + _function("b")))
    assert isinstance(error, ConfigError) and "both 'role' and 'iamRoleStatements'" in str(error)
    assert error.path == ("functions", "a", "iamRoleStatements")
    assert error.location is not None and error.location.line == 15


def test_a_provider_role_leaves_nothing_to_clone(tmp_path: Path) -> None:
    provider = "  iam:\n    role: arn:aws:iam::123456789012:role/shared\n"
    error = _error(_service(tmp_path, provider + "functions:\n" + _function()))
    assert "IamRoleLambdaExecution" in str(error) and error.path == ("functions", "a", "iamRoleStatements")
    assert error.location is not None and error.location.line == 16


def test_a_role_name_over_64_characters_is_refused_and_iam_role_statements_name_fixes_it(
    tmp_path: Path,
) -> None:
    key = "handleEveryIncomingOrderNotificationFromPartners"
    file = _service(tmp_path, "functions:\n" + _function(key), service="orders-service")
    error = _error(file)
    assert "over 64 characters" in str(error) and "iamRoleStatementsName" in (error.hint or "")
    assert error.path == ("functions", key, "iamRoleStatements")
    file = _service(
        tmp_path, "functions:\n" + _function(key, "    iamRoleStatementsName: orders-partner-role\n")
    )
    role = _template(file)[f"{key[0].upper()}{key[1:]}IamRoleLambdaExecution"]["Properties"]
    assert role["RoleName"] == "orders-partner-role"
    too_long = _service(
        tmp_path, "functions:\n" + _function(extra=f"    iamRoleStatementsName: {'r' * 65}\n")
    )
    assert _error(too_long).path == ("functions", "a", "iamRoleStatementsName")


def test_a_named_provider_role_needs_iam_role_statements_name(tmp_path: Path) -> None:
    provider = "  iam:\n    role:\n      name: shared-role\n"
    error = _error(_service(tmp_path, provider + "functions:\n" + _function()))
    assert "provider.iam.role.name" in str(error) and "iamRoleStatementsName" in (error.hint or "")


def test_boundaries_inheritance_and_the_old_provider_statements(tmp_path: Path) -> None:
    """The function's boundary over the plugin's global one, which the shared role gets too;
    ``provider.iamRoleStatements`` is what a role inherits when there is no ``provider.iam``;
    ``resources`` extending the shared role reach only the shared role (they merge after the hook)."""
    provider = "  iamRoleStatements:\n    - Effect: Allow\n      Action: sqs:SendMessage\n      Resource: arn:aws:sqs:us-east-1:123456789012:q\n"
    custom = f"custom:\n  {PLUGIN}:\n    defaultInherit: true\n    iamGlobalPermissionsBoundary: arn:aws:iam::123456789012:policy/global\n"
    functions = (
        "functions:\n"
        + _function("own", "    iamPermissionsBoundary: arn:aws:iam::123456789012:policy/own\n")
        + _function("optOut", "    iamRoleStatementsInherit: false\n")
        + "  shared:\n    handler: bootstrap\n    package:\n      artifact: boot.zip\n"
    )
    extension = "resources:\n  extensions:\n    IamRoleLambdaExecution:\n      Properties:\n        Description: shared\n"
    resources = _template(_service(tmp_path, provider + custom + functions + extension))
    own, opt_out = (resources[f"{k}IamRoleLambdaExecution"]["Properties"] for k in ("Own", "OptOut"))
    shared = resources["IamRoleLambdaExecution"]["Properties"]
    assert own["PermissionsBoundary"] == "arn:aws:iam::123456789012:policy/own"
    assert (
        opt_out["PermissionsBoundary"]
        == shared["PermissionsBoundary"]
        == "arn:aws:iam::123456789012:policy/global"
    )
    actions = [[s["Action"] for s in r["Policies"][0]["PolicyDocument"]["Statement"]] for r in (own, opt_out)]
    logs = ["logs:CreateLogStream", "logs:CreateLogGroup", "logs:PutLogEvents"]
    assert actions == [[logs, ["sqs:SendMessage"], ["s3:GetObject"]], [logs, ["s3:GetObject"]]]
    assert shared["Description"] == "shared" and "Description" not in own
    assert resources["SharedLambdaFunction"]["Properties"]["Role"] == {
        "Fn::GetAtt": ["IamRoleLambdaExecution", "Arn"]
    }


def test_function_vpc_streams_and_mappings_point_at_the_functions_role(tmp_path: Path) -> None:
    """A function's own VPC gives only its role the VPC policy; its mappings depend on its role
    (a bare logical ID, as the plugin writes it), the function on its role then its log group."""
    vpc = "    vpc:\n      securityGroupIds: [sg-1]\n      subnetIds: [subnet-1]\n"
    events = "    events:\n      - stream: arn:aws:kinesis:us-east-1:123456789012:stream/clicks\n"
    file = _service(tmp_path, "functions:\n" + _function("worker", vpc + events))
    resources = _template(file)
    role = resources["WorkerIamRoleLambdaExecution"]["Properties"]
    assert role["ManagedPolicyArns"] == [
        {
            "Fn::Join": [
                "",
                [
                    "arn:",
                    {"Ref": "AWS::Partition"},
                    ":iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole",
                ],
            ]
        }
    ]
    statements = role["Policies"][0]["PolicyDocument"]["Statement"]
    assert statements[1]["Resource"] == ["arn:aws:kinesis:us-east-1:123456789012:stream/clicks"]
    assert statements[1]["Action"][0] == "kinesis:GetRecords"
    function = resources["WorkerLambdaFunction"]
    assert function["DependsOn"] == ["WorkerIamRoleLambdaExecution", "WorkerLogGroup"]
    assert function["Properties"]["Role"] == {"Fn::GetAtt": ["WorkerIamRoleLambdaExecution", "Arn"]}
    assert resources["WorkerEventSourceMappingKinesisClicks"]["DependsOn"] == "WorkerIamRoleLambdaExecution"
