"""Assertions per HTTP-facing event type, on our own reference cases (each synthesized once).

The parity test proves each case equals v3's template; these say what a reader should find.
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import pytest

from constructs_lib.errors import ErrorGroup, SlsCdkError
from constructs_lib.events.http.check import check
from constructs_lib.events.sites import CheckContext
from constructs_lib.loader.project import load_service
from tests.helpers import REFERENCE, synth

CASES = (
    "f11-rest-api",
    "f12-http-api-authorizers",
    "f13-websocket-alb",
    "f14-rest-api-extras",
    "f16-external-apis",
)


@pytest.fixture(scope="module")
def res() -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for case in CASES:
        (template,) = synth(REFERENCE / case, stage="dev").values()
        out[case] = template
    return out


def test_rest_api_methods_authorizers_and_cors(res: dict[str, dict[str, Any]]) -> None:
    r = res["f11-rest-api"]["Resources"]
    assert r["ApiGatewayRestApi"]["Properties"]["BinaryMediaTypes"] == ["image/png"]
    get = r["ApiGatewayMethodUsersIdVarGet"]["Properties"]
    assert get["Integration"]["Type"] == "AWS_PROXY"
    assert get["RequestParameters"] == {
        "method.request.path.id": True,
        "method.request.querystring.verbose": False,
    }
    delete = r["ApiGatewayMethodUsersIdVarDelete"]["Properties"]
    assert delete["AuthorizationType"] == "AWS_IAM" and delete["ApiKeyRequired"] is True
    assert r["ApiGatewayMethodUsersIdVarOptions"]["Properties"]["Integration"]["Type"] == "MOCK"
    assert r["PoolApiGatewayAuthorizer"]["Properties"]["Type"] == "COGNITO_USER_POOLS"
    assert r["AuthApiGatewayAuthorizer"]["Properties"]["Type"] == "REQUEST"  # type: request wins (merged)
    assert r["AuthorizerApiGatewayAuthorizer"]["Properties"]["Type"] == "TOKEN"  # by ARN
    legacy = r["ApiGatewayMethodLegacyItemsPost"]["Properties"]["Integration"]
    assert legacy["Type"] == "AWS" and legacy["RequestTemplates"]["text/plain"] == '{"raw": "$input.body"}'
    deployments = [k for k, v in r.items() if v["Type"] == "AWS::ApiGateway::Deployment"]
    assert len(deployments) == 1
    assert "ServiceEndpoint" in res["f11-rest-api"]["Outputs"]


def test_rest_api_keys_plans_models_and_backends(res: dict[str, dict[str, Any]]) -> None:
    r = res["f14-rest-api-extras"]["Resources"]
    assert r["ApiGatewayApiKeyFree2"]["Properties"]["Enabled"] is False
    assert r["ApiGatewayApiKeyPaid1"]["Properties"]["Name"] == "third"
    assert r["ApiGatewayUsagePlanFree"]["Properties"]["UsagePlanName"] == "restx-free-dev"
    assert r["ApiGatewayUsagePlanKeyPaid1"]["Properties"]["UsagePlanId"] == {"Ref": "ApiGatewayUsagePlanPaid"}
    (deployment,) = [k for k, v in r.items() if v["Type"] == "AWS::ApiGateway::Deployment"]
    assert r["ApiGatewayUsagePlanFree"]["DependsOn"] == [deployment]  # keys and plans wait for the stage
    post = r["ApiGatewayMethodUsersPost"]["Properties"]
    assert post["RequestModels"] == {"application/json": {"Ref": "ApiGatewayUserModelModel"}}
    assert post["RequestValidatorId"] == {"Ref": "ApiGatewayRestxRequestValidator"}
    assert r["ApiGatewayUserModelModel"]["Properties"]["Name"] == "UserModel"
    assert r["ApiGatewayMethodUsersInlinePutApplicationJsonModel"]["Properties"]["Schema"]["required"] == [
        "name"
    ]
    proxy = r["ApiGatewayMethodExtProxyVarAny"]["Properties"]["Integration"]
    assert proxy["Type"] == "HTTP_PROXY" and proxy["Uri"] == "https://example.com/{proxy}"
    assert proxy["RequestParameters"] == {"integration.request.path.proxy": "method.request.path.proxy"}
    http = r["ApiGatewayMethodExt2Get"]["Properties"]["Integration"]
    assert http["IntegrationHttpMethod"] == "POST" and http["PassthroughBehavior"] == "WHEN_NO_TEMPLATES"
    mock = r["ApiGatewayMethodMockGet"]["Properties"]
    assert mock["Integration"]["Type"] == "MOCK" and "PassthroughBehavior" not in mock["Integration"]
    assert mock["MethodResponses"][0]["StatusCode"] == "200"


def test_http_api_authorizers(res: dict[str, dict[str, Any]]) -> None:
    r = res["f12-http-api-authorizers"]["Resources"]
    jwt = r["HttpApiAuthorizerJwtAuth"]["Properties"]
    assert jwt["AuthorizerType"] == "JWT" and jwt["JwtConfiguration"]["Audience"] == ["client-1"]
    assert r["HttpApiAuthorizerCustomDashauth"]["Properties"]["AuthorizerType"] == "REQUEST"
    assert r["HttpApiRoutePutIam"]["Properties"]["AuthorizationType"] == "AWS_IAM"
    secure = r["HttpApiRouteGetSecure"]["Properties"]
    assert secure["AuthorizationScopes"] == ["read"]
    # the function has provisioned concurrency: the API invokes its alias
    assert r["ApiLambdaPermissionHttpApi"]["DependsOn"] == "ApiProvConcLambdaAlias"


def test_websocket(res: dict[str, dict[str, Any]]) -> None:
    template = res["f13-websocket-alb"]
    r = template["Resources"]
    api = r["WebsocketsApi"]["Properties"]
    assert api["ProtocolType"] == "WEBSOCKET" and api["Name"] == "chat-api"
    assert api["Tags"] == {"team": "chat"}  # provider.websocket.useProviderTags
    connect = r["SconnectWebsocketsRoute"]["Properties"]
    assert connect["AuthorizationType"] == "CUSTOM"
    assert connect["AuthorizerId"] == {"Ref": "AuthWebsocketsAuthorizer"}
    assert r["AuthWebsocketsAuthorizer"]["Properties"]["IdentitySource"] == [
        "route.request.header.Auth",
        "route.request.querystring.token",
    ]
    assert "customSlashactionDashxPeriodyUnderscorezWebsocketsRoute" in r  # v3 keeps the case
    ext = r["ExtDashauthorizerLambdaPermissionWebsockets"]["Properties"]
    assert ext["FunctionName"] == "arn:aws:lambda:us-east-1:123456789012:function:ext-authorizer"
    assert r["SdefaultWebsocketsRouteResponse"]["Properties"]["RouteResponseKey"] == "$default"
    stage = r["WebsocketsDeploymentStage"]["Properties"]
    assert stage["DefaultRouteSettings"] == {"DataTraceEnabled": True, "LoggingLevel": "INFO"}
    assert r["WebsocketsLogGroup"]["Properties"]["LogGroupName"] == "/aws/websocket/wsalb-dev"
    (deployment,) = [k for k, v in r.items() if v["Type"] == "AWS::ApiGatewayV2::Deployment"]
    assert stage["DeploymentId"] == {"Ref": deployment}
    assert "SdefaultWebsocketsRouteResponse" in r[deployment]["DependsOn"]
    role = r["IamRoleLambdaExecution"]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"]
    assert any(s["Action"] == ["execute-api:ManageConnections"] for s in role)
    assert "ServiceEndpointWebsocket" in template["Outputs"]
    # the alias-targeted function: integration and permission wait for the alias
    assert "OtherProvConcLambdaAlias" in r["OtherWebsocketsIntegration"]["DependsOn"]


def test_alb(res: dict[str, dict[str, Any]]) -> None:
    r = res["f13-websocket-alb"]["Resources"]
    group = r["WebAlbTargetGroup50dc6c495c0c9188"]["Properties"]
    assert group["TargetType"] == "lambda" and group["Name"].startswith("tg-") and len(group["Name"]) == 32
    assert group["HealthCheckEnabled"] is False
    multi = r["WebAlbMultiValueTargetGroup50dc6c495c0c9188"]["Properties"]
    assert multi["HealthCheckPath"] == "/health" and multi["Matcher"] == {"HttpCode": "200-299"}
    assert multi["TargetGroupAttributes"][0]["Value"] is True
    rule = r["WebAlbListenerRule2"]["Properties"]
    assert [a["Type"] for a in rule["Actions"]] == ["authenticate-cognito", "forward"]
    assert [c["Field"] for c in rule["Conditions"]] == [
        "path-pattern",
        "host-header",
        "http-request-method",
        "http-header",
        "query-string",
        "source-ip",
    ]
    both = r["OtherAlbListenerRule3"]["Properties"]["Actions"]
    assert [a["Type"] for a in both] == ["authenticate-oidc", "authenticate-cognito", "forward"]
    assert both[0]["AuthenticateOidcConfig"]["UseExistingClientSecret"] is True
    assert r["WebLambdaPermissionAlb"]["Properties"]["Principal"] == "elasticloadbalancing.amazonaws.com"
    assert (
        r["WebLambdaPermissionRegisterTarget"]["Properties"]["Principal"]
        == "elasticloadbalancing.amazonaws.com"
    )


def test_routes_on_apis_other_stacks_own(res: dict[str, dict[str, Any]]) -> None:
    template = res["f16-external-apis"]
    r = template["Resources"]
    types = {v["Type"] for v in r.values()}
    # nothing of the APIs themselves: no API, stage, or HTTP API outputs
    assert not types & {"AWS::ApiGateway::RestApi", "AWS::ApiGatewayV2::Api", "AWS::ApiGatewayV2::Stage"}
    assert "HttpApiUrl" not in template["Outputs"]
    assert r["HttpApiRouteGetThings"]["Properties"]["ApiId"] == "abc123"
    # REST: known paths use the given resource ids, new segments hang under them
    assert "ApiGatewayResourceUsers" not in r and "ApiGatewayResourceUsersIdVar" not in r
    assert r["ApiGatewayResourceUsersIdVarPosts"]["Properties"]["ParentId"] == "res333"
    assert r["ApiGatewayResourceOther"]["Properties"]["ParentId"] == "root111"
    assert r["ApiGatewayMethodUsersPost"]["Properties"]["ResourceId"] == "res222"
    (deployment,) = [v for v in r.values() if v["Type"] == "AWS::ApiGateway::Deployment"]
    assert deployment["Properties"]["RestApiId"] == "xyz789"
    # websocket: the deployment names the stage itself; no ManageConnections statement (v3: the
    # API's owner grants it)
    (ws,) = [v for v in r.values() if v["Type"] == "AWS::ApiGatewayV2::Deployment"]
    assert ws["Properties"]["StageName"] == "dev"
    statements = r["IamRoleLambdaExecution"]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"]
    assert not any("execute-api:ManageConnections" in s["Action"] for s in statements)


# ---- check: every problem of the REST API at load, all at once ------------------------------------

_REST_SERVICE = """\
service: svc
provider:
  name: aws
  runtime: provided.al2023
  region: us-east-1
  deploymentBucket:
    name: my.serverless
{provider}
package:
  artifact: boot.zip
functions:
  env:
    handler: bootstrap
    name: env
    events:
{events}
"""


def _load_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, provider: str, events: str, **kwargs: Any
) -> list[str]:
    """Load a small service; the formatted message of each error it reports (one or a group)."""
    text = _REST_SERVICE.format(
        provider=textwrap.indent(textwrap.dedent(provider), "  "),
        events=textwrap.indent(textwrap.dedent(events), "      "),
    )
    (tmp_path / "serverless.yml").write_text(text)
    (tmp_path / "boot.zip").write_bytes(b"PK\x05\x06" + b"\x00" * 18)
    monkeypatch.chdir(tmp_path)  # messages name files relative to where the user runs the command
    with pytest.raises(SlsCdkError) as info:
        load_service(tmp_path / "serverless.yml", **kwargs)
    errors = info.value.errors if isinstance(info.value, ErrorGroup) else [info.value]
    return [err.format() for err in errors]


def test_check_reports_every_rest_api_problem_together(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    errors = _load_errors(
        tmp_path,
        monkeypatch,
        """\
        vpcEndpointIds: [vpce-1]
        apiGateway:
          apiKeys:
            - free: [k1]
            - plain
          usagePlan:
            - paid: {}
        """,
        """\
        - http: GET users/{id}
        - http: POST users/{ID}
        - http: {path: a, method: get, authorizer: nope}
        - http: {path: b, method: get, authorizer: {type: token}}
        - http: {path: c, method: get, authorizer: {arn: {Ref: Fn}}}
        - http:
            path: d
            method: get
            authorizer: {arn: "arn:aws:cognito-idp:us-east-1:1:userpool/p", claims: [email]}
        """,
    )
    events = "serverless.yml:22:5: functions.env.events: "  # authorizer problems name the events
    assert errors == [
        "serverless.yml:24:9: functions.env.events[1].http: paths 'users/{id}' and 'users/{ID}' would "
        "share the resource logical ID ApiGatewayResourceUsersIdVar (v3 silently merged them into one)",
        events + "authorizer function 'nope' is not a function of this service",
        events + "an http authorizer needs a name or an ARN",
        events + "an http authorizer with a CloudFormation ARN needs a name",
        events + "Cognito claims can only be filtered with the lambda integration",
        "serverless.yml:2:1: provider: vpcEndpointIds are only for private APIs (endpointType: PRIVATE)",
        "serverless.yml:10:5: provider.apiGateway.apiKeys: API keys grouped under 'free' need a usage "
        "plan of that name (provider.apiGateway.usagePlan as a list)",
        "serverless.yml:10:5: provider.apiGateway.apiKeys: with several usage plans, each API key must "
        "be listed under its plan's name",
    ]


def test_check_reports_every_external_rest_api_problem_together(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    errors = _load_errors(
        tmp_path,
        monkeypatch,
        """\
        apiName: mine
        apiGateway:
          restApiId: xyz
          binaryMediaTypes: ['image/png']
          restApiResources: {users: res1}
        """,
        """\
        - http: GET users/{id}
        - http: GET other
        """,
        stage="a.b",
    )
    assert errors[0] == (
        "serverless.yml: stage 'a.b' may only hold [-_a-zA-Z0-9] when http events are present (API Gateway)"
    )
    assert errors[1].startswith(
        "serverless.yml:11:5: provider.apiGateway.binaryMediaTypes: binaryMediaTypes configures the "
        "REST API itself, which restApiId says another stack owns\n  hint: set it where"
    )
    assert errors[2].startswith(
        "serverless.yml:8:3: provider.apiName: apiName configures the REST API itself, which "
        "apiGateway.restApiId says another stack owns"
    )
    assert errors[3] == (
        "serverless.yml:10:5: provider.apiGateway.restApiId: http events on an external REST API need "
        "provider.apiGateway.restApiRootResourceId (or the parent path in restApiResources)"
    )
    assert errors[4].startswith("stack name 'svc-a.b' is not one CloudFormation accepts")
    assert len(errors) == 5  # users/{id} hangs under a known resource: only 'other' lacks a parent


def test_check_of_a_valid_service_is_empty() -> None:
    service = load_service(REFERENCE / "f14-rest-api-extras")
    ctx = CheckContext(service.model, service.functions, service.stage, service.region, service.sources)
    assert check(service.sites["http"], ctx) == []
