"""Assertions per HTTP-facing event type, on our own reference cases (each synthesized once).

The parity test proves each case equals v3's template; these say what a reader should find.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.helpers import OWN_REFERENCE, synth

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
        (template,) = synth(OWN_REFERENCE / case, stage="dev").values()
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
