"""Bad input, table-driven: each case is a small project that must fail `sls-cdk synth` with a
message naming the exact file, line, column and key, exit 1, no traceback, and no output written;
`sls-cdk check` must report exactly the same errors (the loader finds every user error, constructs
only translate).

Cases run the CLI in process (errors are found before any CDK code loads, so this is fast)."""

from __future__ import annotations

import contextlib
import io
import os
import struct
import textwrap
import zipfile
from pathlib import Path

import pytest

from constructs_lib.cli.commands import main

SERVICE = """\
service: svc
provider:
  name: aws
  runtime: provided.al2023
  region: us-east-1
  iam:
    role: arn:aws:iam::123456789012:role/serverless
  deploymentBucket:
    name: my.serverless
custom:
  obj: {a: 1}
package:
  artifact: boot.zip
functions:
  env:
    handler: bootstrap
"""

COMPOSE_SERVICE = SERVICE.replace("service: svc", "service: {name}")


def svc(*changes: tuple[str, str]) -> dict[str, str | bytes]:
    """The base service with text replacements applied (each must match)."""
    text = SERVICE
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new, 1)
    return {"serverless.yml": text}


def add_fn(lines: str) -> dict[str, str | bytes]:
    """The base service with more lines under ``functions.env`` (4-space indent)."""
    body = textwrap.indent(textwrap.dedent(lines), "    ")
    return svc(("    handler: bootstrap\n", "    handler: bootstrap\n" + body))


def strict(files: dict[str, str | bytes]) -> dict[str, str | bytes]:
    """``files`` with ``configValidationMode: error`` added at the end (line numbers unchanged):
    in v3's default mode, warn, unknown keys and unreadable events are warnings."""
    text = files["serverless.yml"]
    assert isinstance(text, str)
    return {**files, "serverless.yml": text + "configValidationMode: error\n"}


def compose(text: str, services: tuple[str, ...] = ("a", "b")) -> dict[str, str | bytes]:
    files: dict[str, str | bytes] = {"serverless-compose.yml": textwrap.dedent(text)}
    for name in services:
        files[f"{name}/serverless.yml"] = COMPOSE_SERVICE.replace("{name}", name)
        files[f"{name}/boot.zip"] = b"PK\x05\x06" + b"\x00" * 18
    return files


#: a file content that the table writes as a symlink to what follows the prefix
LINK = b"SYMLINK:"


def zipped(*entries: tuple[str, bytes], link: str | None = None) -> bytes:
    """A small zip built in memory; ``link`` adds a symlink entry of that name."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries:
            zf.writestr(name, data)
        if link:
            info = zipfile.ZipInfo(link)
            info.external_attr = (0o120777) << 16
            zf.writestr(info, "/etc/passwd")
    return buf.getvalue()


def lying_zip(file_size: int, compress_size: int) -> bytes:
    """A 1 KB zip whose central directory claims ``file_size`` bytes unzipped from
    ``compress_size``: how a zip bomb looks to a reader that never extracts."""
    data = bytearray(zipped(("bootstrap", b"\0" * 1000)))
    central = data.index(b"PK\x01\x02")
    struct.pack_into("<II", data, central + 20, compress_size, file_size)
    return bytes(data)


def with_zip(content: bytes, *changes: tuple[str, str]) -> dict[str, str | bytes]:
    return {**svc(*changes), "boot.zip": content}


def hooks(lines: str) -> dict[str, str | bytes]:
    """The base service with ``custom.scripts.hooks`` lines (6-space indent)."""
    return svc(("custom:\n", "custom:\n  scripts:\n    hooks:\n" + textwrap.indent(lines, "      ")))


def resources(lines: str) -> dict[str, str | bytes]:
    """The base service with ``resources.Resources`` lines after it (entries from line 19)."""
    return {"serverless.yml": SERVICE + "resources:\n  Resources:\n" + textwrap.indent(lines, "    ")}


# (id, files, expected fragment of the message). Service files are serverless.yml unless named.
CASES: list[tuple[str, dict[str, str | bytes], str]] = [
    # ---- YAML ----
    ("yaml-tab-indent", svc(("  region: us-east-1", "\tregion: us-east-1")), "serverless.yml:5:1:"),
    (
        "yaml-unclosed-quote",
        svc(("region: us-east-1", "region: 'us-east-1")),
        "serverless.yml:5:11: invalid YAML: found unexpected end of stream",
    ),
    (
        "yaml-duplicate-key",
        svc(("  region: us-east-1", "  region: us-east-1\n  region: eu-west-1")),
        "serverless.yml:6:3: provider.region: duplicate key 'region'",
    ),
    (
        "yaml-not-a-mapping",
        {"serverless.yml": "- a\n- b\n"},
        "serverless.yml:1:1: the document must be a mapping",
    ),
    ("yaml-empty", {"serverless.yml": ""}, "serverless.yml:1:1: file is empty"),
    (
        "yaml-not-utf8",
        {"serverless.yml": b"service: caf\xe9\n"},
        "serverless.yml:1:13: file is not valid UTF-8 (byte 0xe9)",
    ),
    ("yaml-nul-byte", {"serverless.yml": "service: a\x00\n"}, "serverless.yml:1:11: file contains NUL bytes"),
    (
        "yaml-alias-bomb",
        {
            "serverless.yml": "a: &a [x, x, x, x, x, x, x, x, x]\n"
            + "".join(
                f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
                for p, c in zip("abcde", "bcdef", strict=True)
            )
            + "g: [*f, *f, *f, *f, *f, *f, *f, *f, *f]\n"
        },
        "serverless.yml:6:4: document expands to more than 200000 values through aliases",
    ),
    (
        "yaml-deep-nesting",
        {"serverless.yml": "a: " + "[" * 500 + "]" * 500 + "\n"},
        "serverless.yml:1:103: nesting deeper than 100 levels",
    ),
    (
        "yaml-unknown-tag",
        svc(("  region: us-east-1", "  region: !Fancy us-east-1")),
        "serverless.yml:5:11: provider.region: unknown YAML tag !Fancy",
    ),
    # ---- schema ----
    (
        "schema-service-object-notation",
        svc(("service: svc", "service:\n  name: svc")),
        'serverless.yml:1:1: service: object notation for "service" is not supported (as in Serverless v3)',
    ),
    (
        "schema-unknown-top-key",
        strict(svc(("custom:", "provder:\n  x: 1\ncustom:"))),
        "serverless.yml:10:1: provder: unknown key 'provder'\nerror:   hint: did you mean 'provider'?",
    ),
    (
        "schema-unknown-provider-key",
        strict(svc(("  region:", "  regoin: x\n  region:"))),
        "serverless.yml:5:3: provider.regoin: unknown key 'regoin'\nerror:   hint: did you mean 'region'?",
    ),
    (
        "schema-unknown-function-key",
        strict(add_fn("memorysize: 256\n")),
        "serverless.yml:17:5: functions.env.memorysize: unknown key 'memorysize'\nerror:   hint: did you mean 'memorySize'?",
    ),
    (
        "schema-memory-range",
        add_fn("memorySize: 64\n"),
        "serverless.yml:17:5: functions.env.memorySize: memorySize must be between 128 and 10240, not 64",
    ),
    (
        "schema-memory-not-number",
        add_fn("memorySize: big\n"),
        "serverless.yml:17:5: functions.env.memorySize:",
    ),
    (
        "schema-timeout-range",
        add_fn("timeout: 901\n"),
        "serverless.yml:17:5: functions.env.timeout: timeout must be between 1 and 900",
    ),
    (
        "schema-architecture",
        svc(("  region:", "  architecture: arm\n  region:")),
        "serverless.yml:5:3: provider.architecture: architecture 'arm'",
    ),
    (
        "schema-log-retention",
        svc(("  region:", "  logRetentionInDays: 2\n  region:")),
        "serverless.yml:5:3: provider.logRetentionInDays:",
    ),
    (
        "schema-region",
        svc(("region: us-east-1", "region: us-moon-1")),
        "serverless.yml:5:3: provider.region: unknown region 'us-moon-1'",
    ),
    ("schema-provider-name", svc(("name: aws", "name: azure")), "serverless.yml:3:3: provider.name:"),
    (
        "schema-missing-handler",
        svc(("    handler: bootstrap", "    memorySize: 256")),
        "serverless.yml:15:3: functions.env: a function needs a 'handler'",
    ),
    (
        "schema-function-not-mapping",
        svc(("  env:\n    handler: bootstrap", "  env: bootstrap")),
        "serverless.yml:15:3: functions.env:",
    ),
    (
        "schema-name-too-long",
        add_fn("name: " + "x" * 65 + "\n"),
        "serverless.yml:17:5: functions.env.name: function name '"
        + "x" * 65
        + "' is 65 characters; Lambda allows 64",
    ),
    (
        "schema-reserved-env",
        add_fn("environment:\n  AWS_REGION: x\n"),
        "serverless.yml:18:7: functions.env.environment.AWS_REGION: environment variable 'AWS_REGION' is reserved",
    ),
    (
        "schema-env-list-value",
        add_fn("environment:\n  A: [1, 2]\n"),
        "serverless.yml:18:7: functions.env.environment.A:",
    ),
    (
        "schema-unknown-event",
        strict(add_fn("events:\n  - httpAPI: 'GET /x'\n")),
        "serverless.yml:18:9: functions.env.events[0]: unknown event type 'httpAPI'",
    ),
    (
        "schema-bad-route",
        add_fn("events:\n  - httpApi: 'FETCH /x'\n"),
        "serverless.yml:18:9: functions.env.events[0].httpApi: method 'FETCH' must be one of GET",
    ),
    (
        "schema-url-invoke-mode",
        add_fn("url:\n  invokeMode: STREAM\n"),
        "serverless.yml:18:7: functions.env.url.invokeMode:",
    ),
    (
        "schema-url-authorizer",
        add_fn("url:\n  authorizer: cognito\n"),
        "serverless.yml:18:7: functions.env.url.authorizer:",
    ),
    (
        "schema-unknown-plugin",
        svc(("package:", "plugins:\n  - serverless-bundle\npackage:")),
        "serverless.yml:13:5: plugins[0]: plugin 'serverless-bundle' is not supported",
    ),
    (
        "schema-efs-without-vpc",
        add_fn(
            "fileSystemConfig:\n  arn: arn:aws:elasticfilesystem:us-east-1:123456789012:access-point/fsap-0123456789abcdef0\n  localMountPath: /mnt/x\n"
        ),
        "serverless.yml:17:5: functions.env.fileSystemConfig: fileSystemConfig needs a vpc",
    ),
    (
        "schema-destination-typo",
        add_fn("destinations:\n  onSuccess: evn\n"),
        "serverless.yml:18:7: functions.env.destinations.onSuccess: destination 'evn' is neither an ARN nor a function of this service\nerror:   hint: did you mean 'env'?",
    ),
    (
        "schema-handler-and-image",
        add_fn("image: 123456789012.dkr.ecr.us-east-1.amazonaws.com/app:latest\n"),
        "serverless.yml:15:3: functions.env: a function takes either 'handler' or 'image', not both",
    ),
    (
        "schema-iam-statement-no-action",
        svc(
            (
                "    role: arn:aws:iam::123456789012:role/serverless",
                "    role:\n      statements:\n        - Effect: Allow\n          Resource: '*'",
            )
        ),
        "serverless.yml:9:11: provider.iam.role.statements[0]: a statement needs exactly one of Action and NotAction",
    ),
    (
        "schema-iam-statement-bad-effect",
        svc(
            (
                "    role: arn:aws:iam::123456789012:role/serverless",
                "    role:\n      statements:\n        - Effect: allow\n          Action: s3:*\n          Resource: '*'",
            )
        ),
        "serverless.yml:9:11: provider.iam.role.statements[0].Effect: must be 'Allow' or 'Deny', not 'allow'",
    ),
    (
        "schema-snapstart-and-provisioned",
        add_fn("snapStart: true\nprovisionedConcurrency: 2\n"),
        "serverless.yml:15:3: functions.env: snapStart and provisionedConcurrency cannot be combined",
    ),
    (
        "schema-extension-attribute",
        svc(
            (
                "package:",
                "resources:\n  extensions:\n    EnvLambdaFunction:\n      Type: AWS::Lambda::Url\npackage:",
            )
        ),
        "serverless.yml:13:3: resources.extensions: extensions.EnvLambdaFunction.Type: only Condition",
    ),
    (
        "package-layer-artifact-missing",
        svc(("package:", "layers:\n  deps:\n    package:\n      artifact: layer.zip\npackage:")),
        "serverless.yml:15:7: layers.deps.package.artifact: layer artifact 'layer.zip' not found",
    ),
    (
        "schema-duplicate-route",
        add_fn("events:\n  - httpApi: 'GET /x'\n  - httpApi: 'GET /x'\n"),
        "serverless.yml:19:9: functions.env.events[1].httpApi: duplicate HTTP API route 'GET /x' (also in function 'env')",
    ),
    (
        "schema-route-logical-id-clash",
        add_fn("events:\n  - httpApi: 'GET /users/{id}'\n  - httpApi: 'GET /users/{ID}'\n"),
        "functions.env.events[1].httpApi: routes 'GET /users/{id}' (function 'env') and 'GET /users/{ID}' would share the logical ID HttpApiRouteGetUsersIdVar",
    ),
    (
        "schema-http-integration-needs-uri",
        add_fn("events:\n  - http:\n      path: x\n      method: get\n      integration: http-proxy\n"),
        "serverless.yml:18:9: functions.env.events[0].http: the http-proxy integration needs request.uri",
    ),
    (
        "schema-api-keys-without-plan",
        svc(
            ("  deploymentBucket:", "  apiGateway:\n    apiKeys:\n      - free: [k1]\n  deploymentBucket:"),
            ("    handler: bootstrap\n", "    handler: bootstrap\n    events:\n      - http: GET /x\n"),
        ),
        "serverless.yml:9:5: provider.apiGateway.apiKeys: API keys grouped under 'free' need a usage plan",
    ),
    (
        "schema-websocket-authorizer-unknown",
        add_fn("events:\n  - websocket:\n      route: $connect\n      authorizer: nope\n"),
        "serverless.yml:20:11: functions.env.events[0].websocket.authorizer: websocket authorizer 'nope' is not a function",
    ),
    (
        "schema-s3-existing-two-buckets",
        add_fn("events:\n  - s3: {bucket: one, existing: true}\n  - s3: {bucket: two, existing: true}\n"),
        "functions.env.events[1].s3.bucket: function 'env' already has an existing bucket (one)",
    ),
    (
        "schema-external-http-api-with-cors",
        svc(("  deploymentBucket:", "  httpApi:\n    id: abc123\n    cors: true\n  deploymentBucket:")),
        "serverless.yml:8:3: provider.httpApi: cors configure(s) the HTTP API itself, which 'id' says another stack owns",
    ),
    (
        "schema-external-rest-api-with-binary-types",
        svc(
            (
                "  deploymentBucket:",
                "  apiGateway:\n    restApiId: xyz\n    restApiRootResourceId: root\n"
                "    binaryMediaTypes: ['image/png']\n  deploymentBucket:",
            ),
            ("    handler: bootstrap\n", "    handler: bootstrap\n    events:\n      - http: GET /x\n"),
        ),
        "serverless.yml:11:5: provider.apiGateway.binaryMediaTypes: binaryMediaTypes configures the REST API itself",
    ),
    (
        "schema-external-rest-api-without-root",
        svc(
            ("  deploymentBucket:", "  apiGateway:\n    restApiId: xyz\n  deploymentBucket:"),
            ("    handler: bootstrap\n", "    handler: bootstrap\n    events:\n      - http: GET /x\n"),
        ),
        "provider.apiGateway.restApiId: http events on an external REST API need provider.apiGateway.restApiRootResourceId",
    ),
    (
        "schema-websocket-route-logical-id-clash",
        add_fn("events:\n  - websocket: a-b\n  - websocket: aDashb\n"),
        "serverless.yml:19:9: functions.env.events[1].websocket: websocket routes 'a-b' and 'aDashb' would share the logical ID aDashbWebsocketsRoute",
    ),
    (
        "schema-http-resource-logical-id-clash",
        add_fn("events:\n  - http: GET users/{id}\n  - http: POST users/{ID}\n"),
        "serverless.yml:19:9: functions.env.events[1].http: paths 'users/{id}' and 'users/{ID}' would share the resource logical ID ApiGatewayResourceUsersIdVar",
    ),
    (
        "schema-alb-no-condition",
        add_fn(
            "events:\n  - alb:\n      listenerArn: arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/lb/50dc6c495c0c9188/f2f7dc8efc522ab2\n      priority: 1\n      conditions: {}\n"
        ),
        "serverless.yml:21:11: functions.env.events[0].alb.conditions: an alb event needs at least one condition",
    ),
    (
        "schema-alb-authorizer-unknown",
        svc(
            (
                "  deploymentBucket:",
                "  alb:\n    authorizers:\n      cognito:\n        type: cognito\n"
                "        userPoolArn: arn:aws:cognito-idp:us-east-1:1:userpool/x\n"
                "        userPoolClientId: c\n        userPoolDomain: d\n  deploymentBucket:",
            ),
            (
                "    handler: bootstrap\n",
                "    handler: bootstrap\n    events:\n      - alb:\n          listenerArn: arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/lb/50dc6c495c0c9188/f2f7dc8efc522ab2\n"
                "          priority: 1\n          authorizer: cognitoo\n          conditions:\n            path: /x\n",
            ),
        ),
        "alb.authorizer: alb authorizer 'cognitoo' is not one of provider.alb.authorizers\nerror:   hint: did you mean 'cognito'?",
    ),
    (
        "schema-alb-target-group-conflict",
        add_fn(
            "events:\n"
            "  - alb:\n      listenerArn: arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/lb/50dc6c495c0c9188/f2f7dc8efc522ab2\n      priority: 1\n      healthCheck: true\n      conditions:\n        path: /a\n"
            "  - alb:\n      listenerArn: arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/lb/50dc6c495c0c9188/f2f7dc8efc522ab2\n      priority: 2\n      conditions:\n        path: /b\n"
        ),
        "functions.env.events[1].alb: alb events of 'env' on load balancer 50dc6c495c0c9188 share the target group EnvAlbTargetGroup50dc6c495c0c9188",
    ),
    (
        "schema-alb-priority-reused",
        add_fn(
            "events:\n"
            "  - alb:\n      listenerArn: arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/lb/50dc6c495c0c9188/f2f7dc8efc522ab2\n      priority: 1\n      conditions:\n        path: /a\n"
            "  - alb:\n      listenerArn: arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/lb/50dc6c495c0c9188/f2f7dc8efc522ab2\n      priority: 1\n      conditions:\n        path: /b\n"
        ),
        "functions.env.events[1].alb.priority: alb priority 1 is already used by another alb event of 'env'",
    ),
    # ---- variables ----
    (
        "var-env-missing",
        svc(("region: us-east-1", "region: ${env:SLS_CDK_NOPE}")),
        "serverless.yml:5:3: provider.region: cannot resolve ${env:SLS_CDK_NOPE}",
    ),
    (
        "var-unknown-source",
        svc(("region: us-east-1", "region: ${sefl:custom.r}")),
        "serverless.yml:5:3: provider.region: unknown variable source 'sefl' in ${sefl:custom.r}\nerror:   hint: did you mean 'self'?",
    ),
    (
        "var-unterminated",
        svc(("region: us-east-1", "region: ${self:custom.r")),
        "serverless.yml:5:3: provider.region: Missing variable closing bracket",
    ),
    (
        "var-cycle",
        svc(("  obj: {a: 1}", "  obj: {a: 1}\n  x: ${self:custom.y}\n  y: ${self:custom.x}")),
        "serverless.yml:12:3: custom.x: variables reference each other in a cycle: custom.x -> custom.y -> custom.x",
    ),
    (
        "var-self-missing",
        svc(("region: us-east-1", "region: ${self:custom.region}")),
        "serverless.yml:5:3: provider.region: cannot resolve ${self:custom.region}: no value at that path",
    ),
    (
        "var-file-outside",
        svc(("  obj: {a: 1}", "  obj: ${file(../secret.yml)}")),
        "serverless.yml:11:3: custom.obj: ${file(../secret.yml)}: '../secret.yml' points outside the project",
    ),
    (
        "var-file-absolute",
        svc(("  obj: {a: 1}", "  obj: ${file(/etc/passwd)}")),
        "serverless.yml:11:3: custom.obj: ${file(/etc/passwd)}: absolute paths are refused",
    ),
    (
        "var-file-js",
        {**svc(("  obj: {a: 1}", "  obj: ${file(conf.js)}")), "conf.js": "module.exports = {}"},
        "serverless.yml:11:3: custom.obj: ${file(conf.js)}: JavaScript files are not executed",
    ),
    (
        "var-file-bad-json",
        {**svc(("  obj: {a: 1}", "  obj: ${file(conf.json)}")), "conf.json": '{\n  "a": 1,\n}'},
        "conf.json:3:1: invalid JSON",
    ),
    (
        "var-file-bad-value",
        {
            **svc(("  env:\n    handler: bootstrap", "  env: ${file(fn.yml)}")),
            "fn.yml": "handler: bootstrap\nmemorySize: 1\n",
        },
        "fn.yml:2:1: functions.env.memorySize: memorySize must be between 128 and 10240, not 1",
    ),
    (
        "var-str-to-bool",
        svc(("  obj: {a: 1}", "  obj: ${strToBool(maybe)}")),
        "serverless.yml:11:3: custom.obj: ${strToBool(maybe)}: strToBool expects true, false, 1 or 0",
    ),
    (
        "var-object-in-string",
        svc(("region: us-east-1", "region: x-${self:custom.obj}")),
        "serverless.yml:5:3: provider.region: ${self:custom.obj} yields a mapping, which cannot be placed inside a string",
    ),
    (
        "var-fallback-not-var",
        svc(("region: us-east-1", "region: ${env:A, ${env:B}}")),
        "serverless.yml:5:3: provider.region: Invalid variable source",
    ),
    # ---- compose ----
    (
        "compose-cycle",
        compose("services:\n  a:\n    path: a\n    dependsOn: b\n  b:\n    path: b\n    dependsOn: [a]\n"),
        "serverless-compose.yml:2:3: services.a: services depend on each other in a cycle: a -> b -> a",
    ),
    (
        "compose-missing-folder",
        compose("services:\n  a:\n    path: nowhere\n", ()),
        "serverless-compose.yml:3:5: services.a.path: service 'a': folder 'nowhere' does not exist",
    ),
    (
        "compose-path-outside",
        compose("services:\n  a:\n    path: ../outside\n", ()),
        "serverless-compose.yml:3:5: services.a.path: path '../outside' of service 'a' is outside the compose folder",
    ),
    (
        "compose-unknown-dependency",
        compose("services:\n  a:\n    path: a\n    dependsOn: c\n", ("a",)),
        "serverless-compose.yml:4:5: services.a.dependsOn[0]: service 'a' depends on unknown service 'c'",
    ),
    (
        "compose-no-config-file",
        {**compose("services:\n  a:\n    path: a\n", ()), "a/readme.txt": "x"},
        "serverless-compose.yml:3:5: services.a.path: service 'a': no serverless.yml in 'a'",
    ),
    (
        "compose-unknown-key",
        compose("services:\n  a:\n    path: a\n    dependson: b\n", ("a",)),
        "serverless-compose.yml:4:5: services.a.dependson: unknown key 'dependson'\nerror:   hint: did you mean 'dependsOn'?",
    ),
    (
        "compose-disallowed-source",
        compose("services:\n  a:\n    path: ${opt:where}\n", ("a",)),
        "serverless-compose.yml:3:5: services.a.path: ${opt:where}: only env, sls sources can be used in a compose file",
    ),
    (
        "compose-service-error-names-its-file",
        {
            **compose("services:\n  a:\n    path: a\n", ()),
            "a/serverless.yml": SERVICE.replace(
                "  region: us-east-1", "  region: us-east-1\n  memorySize: 1"
            ),
            "a/boot.zip": b"PK",
        },
        "a/serverless.yml:6:3: provider.memorySize: memorySize must be between 128 and 10240, not 1",
    ),
    (
        "compose-duplicate-service",
        compose("services:\n  a:\n    path: a\n  a:\n    path: a\n", ("a",)),
        "serverless-compose.yml:4:3: services.a: duplicate key 'a'",
    ),
    (
        "compose-missing-config-file",
        compose("services:\n  a:\n    path: a\n    config: other.yml\n", ("a",)),
        "serverless-compose.yml:4:5: services.a.config: service 'a': no other.yml in 'a'",
    ),
    (
        "compose-param-unknown-service",
        compose("services:\n  a:\n    path: a\n    params:\n      u: ${b.Url}\n", ("a",)),
        "serverless-compose.yml:5:7: services.a.params.u: param 'u' of service 'a' references unknown service 'b'",
    ),
    # ---- packaging ----
    (
        "package-artifact-missing",
        {"serverless.yml": SERVICE, "no-zip": ""},
        "serverless.yml:13:3: package.artifact: artifact 'boot.zip' not found",
    ),
    (
        "package-function-artifact-missing",
        add_fn("package:\n  artifact: other.zip\n"),
        "serverless.yml:18:7: functions.env.package.artifact: artifact 'other.zip' not found",
    ),
    (
        "package-artifact-is-folder",
        {**svc(("artifact: boot.zip", "artifact: dist")), "dist/x": "x"},
        "serverless.yml:13:3: package.artifact: artifact 'dist' not found",
    ),
    (
        "package-artifact-climbs-out",
        svc(("artifact: boot.zip", "artifact: ../boot.zip")),
        "serverless.yml:13:3: package.artifact: artifact '../boot.zip' points outside the project",
    ),
    (
        "package-artifact-absolute-outside",
        svc(("artifact: boot.zip", "artifact: /etc/hostname")),
        "serverless.yml:13:3: package.artifact: artifact '/etc/hostname' points outside the project",
    ),
    (
        "package-artifact-symlink-out",
        {**svc(("artifact: boot.zip", "artifact: link.zip")), "link.zip": LINK + b"/etc/hostname"},
        "serverless.yml:13:3: package.artifact: artifact 'link.zip' is a symlink that points outside the project",
    ),
    (
        "package-function-artifact-climbs-out",
        add_fn("package:\n  artifact: sub/../../x.zip\n"),
        "serverless.yml:18:7: functions.env.package.artifact: artifact 'sub/../../x.zip' points outside",
    ),
    (
        "package-layer-artifact-outside",
        svc(("package:", "layers:\n  deps:\n    package:\n      artifact: /etc/hostname\npackage:")),
        "serverless.yml:15:7: layers.deps.package.artifact: layer artifact '/etc/hostname' points outside",
    ),
    (
        "package-artifact-not-a-zip",
        with_zip(b"#!/bin/sh\necho not a zip\n"),
        "serverless.yml:13:3: package.artifact: artifact 'boot.zip' is not a zip file",
    ),
    (
        "package-artifact-truncated-zip",
        with_zip(zipped(("bootstrap", b"x" * 100))[:60]),
        "serverless.yml:13:3: package.artifact: artifact 'boot.zip' is not a zip file",
    ),
    (
        "package-layer-artifact-not-a-zip",
        {
            **svc(("package:", "layers:\n  deps:\n    package:\n      artifact: layer.zip\npackage:")),
            "layer.zip": "plain text",
        },
        "serverless.yml:15:7: layers.deps.package.artifact: artifact 'layer.zip' is not a zip file",
    ),
    (
        "package-zip-entry-absolute",
        with_zip(zipped(("bootstrap", b"x"), ("/etc/cron.d/evil", b"x"))),
        "serverless.yml:13:3: package.artifact: artifact 'boot.zip': entry '/etc/cron.d/evil' has an absolute path",
    ),
    (
        "package-zip-entry-dotdot",
        with_zip(zipped(("bootstrap", b"x"), ("lib/../../evil.sh", b"x"))),
        "artifact 'boot.zip': entry 'lib/../../evil.sh' climbs out of the archive with '..'",
    ),
    (
        "package-zip-entry-symlink",
        with_zip(zipped(("bootstrap", b"x"), link="passwd")),
        "serverless.yml:13:3: package.artifact: artifact 'boot.zip': entry 'passwd' is a symlink",
    ),
    (
        "package-zip-over-250mb-unzipped",
        with_zip(lying_zip(260 * 1024 * 1024, 1024 * 1024)),
        "artifact 'boot.zip' unzips to 260.0 MB; Lambda's limit is 250 MB (unzipped",
    ),
    (
        "package-zip-bomb-ratio",
        with_zip(lying_zip(100 * 1024 * 1024, 20)),
        "entry 'bootstrap' claims 100.0 MB from 20 bytes (ratio 5242880:1, more than deflate can produce): a zip bomb",
    ),
    (
        "package-zip-bomb-huge",
        with_zip(lying_zip(0xFFFF_FFF0, 20)),
        "artifact 'boot.zip' unzips to 4096.0 MB; Lambda's limit is 250 MB",
    ),
    (
        "package-function-and-layers-over-250mb",
        {
            **with_zip(
                lying_zip(150 * 1024 * 1024, 200_000),
                ("package:", "layers:\n  deps:\n    package:\n      artifact: layer.zip\npackage:"),
                (
                    "    handler: bootstrap\n",
                    "    handler: bootstrap\n    layers:\n      - Ref: DepsLambdaLayer\n",
                ),
            ),
            "layer.zip": lying_zip(120 * 1024 * 1024, 200_000),
        },
        "serverless.yml:21:5: functions.env.layers: function 'env' unzips to 270.0 MB with its layers "
        "(env's code 150.0 MB, DepsLambdaLayer 120.0 MB); Lambda's limit is 250 MB",
    ),
    # ---- build hooks ----
    (
        "hook-event-typo",
        hooks("before:package:createDeploymentArtifact: make\n"),
        "serverless.yml:13:7: custom.scripts.hooks.before:package:createDeploymentArtifact: hook event "
        "'before:package:createDeploymentArtifact' is not a lifecycle event of Serverless v3, so it would never run\n"
        "error:   hint: did you mean 'before:package:createDeploymentArtifacts'?",
    ),
    (
        "hook-event-deploy-typo",
        hooks("after:deploy:deplyo: ./notify.sh\n"),
        "custom.scripts.hooks.after:deploy:deplyo: hook event 'after:deploy:deplyo' is not a lifecycle event"
        " of Serverless v3, so it would never run\nerror:   hint: did you mean 'after:deploy:deploy'?",
    ),
    (
        "hook-event-bare-word",
        hooks("build: make\n"),
        "serverless.yml:13:7: custom.scripts.hooks.build: hook event 'build' is not a lifecycle event",
    ),
    (
        "hook-timeout-negative",
        svc(("  obj: {a: 1}", "  obj: {a: 1}\n  slsCdk:\n    hookTimeout: -5")),
        "serverless.yml:13:5: custom.slsCdk.hookTimeout: hookTimeout must be a number of seconds between 1 and 86400, not -5",
    ),
    (
        "hook-timeout-text",
        svc(("  obj: {a: 1}", "  obj: {a: 1}\n  slsCdk:\n    hookTimeout: ten")),
        "serverless.yml:13:5: custom.slsCdk.hookTimeout: hookTimeout must be a number of seconds between 1 and 86400, not 'ten'",
    ),
    (
        "hook-timeout-below-one",
        svc(("  obj: {a: 1}", "  obj: {a: 1}\n  slsCdk:\n    hookTimeout: 0.5")),
        "serverless.yml:13:5: custom.slsCdk.hookTimeout: hookTimeout must be a number of seconds between 1 and 86400, not 0.5",
    ),
    (
        "hook-timeout-bool",
        svc(("  obj: {a: 1}", "  obj: {a: 1}\n  slsCdk:\n    hookTimeout: true")),
        "custom.slsCdk.hookTimeout: hookTimeout must be a number of seconds between 1 and 86400, not True",
    ),
    # ---- environment ----
    (
        "env-name-dash",
        add_fn("environment:\n  MY-VAR: x\n"),
        "serverless.yml:18:7: functions.env.environment.MY-VAR: environment variable name 'MY-VAR' is refused by Lambda",
    ),
    (
        "env-name-digit-first",
        svc(("  region: us-east-1", "  region: us-east-1\n  environment:\n    1ST: x")),
        "serverless.yml:7:5: provider.environment.1ST: environment variable name '1ST' is refused by Lambda: it must start with a letter",
    ),
    (
        "env-name-space",
        add_fn("environment:\n  'MY VAR': x\n"),
        "serverless.yml:18:7: functions.env.environment.MY VAR: environment variable name 'MY VAR' is refused",
    ),
    (
        "env-name-dot",
        add_fn("environment:\n  app.mode: x\n"),
        "functions.env.environment.app.mode: environment variable name 'app.mode' is refused",
    ),
    (
        "env-over-4kb",
        add_fn("environment:\n  BIG: " + "x" * 4100 + "\n"),
        "serverless.yml:17:5: functions.env.environment: the environment of function 'env' is 4110 bytes; "
        "Lambda allows 4096 (4 KB, keys and values together)",
    ),
    (
        "env-over-4kb-together",
        svc(
            ("  region: us-east-1", "  region: us-east-1\n  environment:\n    A: " + "a" * 2100),
            (
                "    handler: bootstrap\n",
                "    handler: bootstrap\n    environment:\n      B: " + "b" * 2100 + "\n",
            ),
        ),
        "functions.env.environment: the environment of function 'env' is 4215 bytes; Lambda allows 4096",
    ),
    (
        "env-over-4kb-provider",
        svc(("  region: us-east-1", "  region: us-east-1\n  environment:\n    A: " + "a" * 4090)),
        "serverless.yml:6:3: provider.environment: the environment of function 'env' is 4098 bytes",
    ),
    # ---- resources: shapes CloudFormation refuses ----
    (
        "schema-resources-type-not-a-type",
        resources("T:\n  Type: NotAType\n"),
        "serverless.yml:20:7: resources.Resources.T.Type: Type 'NotAType' is not a resource type",
    ),
    (
        "schema-resources-type-a-number",
        resources("T:\n  Type: 5\n"),
        "serverless.yml:20:7: resources.Resources.T.Type: Type 5 is not a resource type",
    ),
    (
        "schema-resources-type-two-parts",
        resources("T:\n  Type: AWS::SNS\n"),
        "serverless.yml:20:7: resources.Resources.T.Type: Type 'AWS::SNS' is not a resource type",
    ),
    (
        "schema-resources-properties-a-list",
        resources("T:\n  Type: AWS::SNS::Topic\n  Properties: [a]\n"),
        "serverless.yml:21:7: resources.Resources.T.Properties: Properties must be a mapping",
    ),
    (
        "schema-resources-override-properties-a-number",
        resources("EnvLambdaFunction:\n  Properties: 7\n"),
        "serverless.yml:20:7: resources.Resources.EnvLambdaFunction.Properties: Properties must be a mapping",
    ),
    (
        "schema-resources-depends-on-a-number",
        resources("T:\n  Type: AWS::SNS::Topic\n  DependsOn: 5\n"),
        "serverless.yml:21:7: resources.Resources.T.DependsOn: DependsOn must be a logical ID or a list of them",
    ),
    (
        "schema-resources-deletion-policy",
        resources("T:\n  Type: AWS::SNS::Topic\n  DeletionPolicy: Keep\n"),
        "serverless.yml:21:7: resources.Resources.T.DeletionPolicy: DeletionPolicy must be one of",
    ),
    (
        "schema-resources-logical-id",
        resources("bad-id:\n  Type: AWS::SNS::Topic\n"),
        "serverless.yml:19:5: resources.Resources.bad-id: logical ID 'bad-id' is not one CloudFormation accepts",
    ),
    # ---- ARNs the builders read ----
    (
        "schema-arn-sns-short",
        add_fn("events:\n  - sns: 'arn:aws:sns'\n"),
        "functions.env.events[0].sns: 'arn:aws:sns' is not a whole ARN",
    ),
    (
        "schema-arn-sqs-short",
        add_fn("events:\n  - sqs: 'arn:aws:sqs'\n"),
        "functions.env.events[0].sqs: 'arn:aws:sqs' is not a whole ARN",
    ),
    (
        "schema-arn-stream-no-path",
        add_fn("events:\n  - stream: 'arn:aws:kinesis:us-east-1:123456789012:stream'\n"),
        "is not a stream ARN",
    ),
    (
        "schema-layer-not-an-arn",
        add_fn("layers: [mylayer]\n"),
        "functions.env.layers[0]: 'mylayer' is not a layer version ARN",
    ),
]


@pytest.mark.parametrize(("files", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_input_is_located_and_writes_nothing(
    tmp_path: Path, files: dict[str, str | bytes], expected: str
) -> None:
    project = tmp_path / "project"
    for name, content in files.items():
        target = project / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes) and content.startswith(LINK):
            target.symlink_to(content.removeprefix(LINK).decode())
        elif isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content)
    if "serverless.yml" in files and "no-zip" not in files and not (project / "boot.zip").exists():
        (project / "boot.zip").write_bytes(b"PK\x05\x06" + b"\x00" * 18)
    (tmp_path / "secret.yml").write_text("key: outside\n")
    out = tmp_path / "out"
    code, text = _run(project, ["synth", ".", "--out", str(out)])
    assert code == 1, text
    assert expected in text, text
    assert "Traceback" not in text
    assert not out.exists() and not list(tmp_path.glob(".out*")), "nothing may be written on failure"
    check_code, check_text = _run(project, ["check", "."])
    assert (check_code, _errors(check_text)) == (1, _errors(text)), "check and synth must agree"


def _run(project: Path, argv: list[str]) -> tuple[int, str]:
    """Run the CLI in ``project`` (messages name files relative to where the user runs it)."""
    stderr = io.StringIO()
    cwd = os.getcwd()
    os.chdir(project)
    try:
        with contextlib.redirect_stderr(stderr), contextlib.redirect_stdout(io.StringIO()):
            code = main(argv)
    finally:
        os.chdir(cwd)
    return code, stderr.getvalue()


def _errors(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("error")]


def test_the_table_is_large_enough() -> None:
    assert len(CASES) >= 40
    kinds = {c[0].split("-")[0] for c in CASES}
    assert kinds == {"yaml", "schema", "var", "compose", "package", "hook", "env"}
    for kind in ("hook", "env", "schema-resources", "schema-arn"):
        assert sum(c[0].startswith(f"{kind}-") for c in CASES) >= 3, kind
    zips = [
        c for c in CASES if c[0].startswith(("package-zip", "package-artifact-not", "package-artifact-trunc"))
    ]
    outside = [c for c in CASES if "outside" in c[0] or "climbs-out" in c[0] or "symlink-out" in c[0]]
    assert len(zips) >= 3 and len(outside) >= 3


def test_env_name_starting_with_underscore_is_a_located_warning(tmp_path: Path) -> None:
    """v3's schema accepts ``_NAME`` (a v3 reference case uses one), Lambda documents a letter
    first: a warning, and the synth goes on."""
    files = add_fn("environment:\n  _PRIVATE: x\n")
    (tmp_path / "serverless.yml").write_text(str(files["serverless.yml"]))
    (tmp_path / "boot.zip").write_bytes(zipped(("bootstrap", b"x")))
    code, text = _run(tmp_path, ["check", "."])
    assert code == 0, text
    assert (
        "serverless.yml:18:7: functions.env.environment._PRIVATE: environment variable name '_PRIVATE' "
        "starts with '_'; Lambda documents that names start with a letter" in text
    )
