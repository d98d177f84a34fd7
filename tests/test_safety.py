"""Safety warnings at load time, each with the line it comes from."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from constructs_lib.errors import SlsCdkError
from constructs_lib.loader.project import load_service

SERVICE = """\
service: safe
provider:
  name: aws
  runtime: provided.al2023
  region: us-east-1
  deploymentBucket:
    name: my.serverless
  iam:
    role:
      statements:
        - Effect: Allow
          Action: s3:*
          Resource: '*'
        - Effect: Allow
          Action: dynamodb:GetItem
          Resource: arn:aws:dynamodb:us-east-1:123456789012:table/t
package:
  artifact: boot.zip
functions:
  api:
    handler: bootstrap
    runtime: nodejs16.x
    timeout: 40
    url: true
    environment:
      DB_PASSWORD: hunter2
      SAFE_SECRET: ${ssm:/app/secret}
      PLAIN: hello
    events:
      - httpApi: 'GET /x'
"""


def _warnings(tmp_path: Path, text: str = SERVICE) -> list[str]:
    (tmp_path / "serverless.yml").write_text(textwrap.dedent(text))
    (tmp_path / "boot.zip").write_bytes(b"PK\x05\x06" + b"\0" * 18)
    return [w.format() for w in load_service(tmp_path / "serverless.yml").warnings]


def test_each_risk_is_a_located_warning(tmp_path: Path) -> None:
    text = "\n".join(_warnings(tmp_path))
    assert (
        "serverless.yml:11:11: provider.iam.role.statements[0]: IAM statement grants action 's3:*' and resource '*'"
        in text
    )
    assert "statements[1]" not in text
    assert "serverless.yml:24:5: functions.api.url: function URL of 'api' is public" in text
    assert (
        "serverless.yml:26:7: functions.api.environment.DB_PASSWORD: environment variable 'DB_PASSWORD' looks like a secret"
        in text
    )
    assert "SAFE_SECRET" not in text and "PLAIN" not in text
    assert (
        "serverless.yml:22:5: functions.api.runtime: runtime nodejs16.x of 'api' is deprecated by AWS since 2024-06-12"
        in text
    )
    assert (
        "serverless.yml:23:5: functions.api.timeout: function 'api' may run 40 s but its HTTP API gives up after 30 s"
        in text
    )


def test_cors_star_with_credentials_is_an_error(tmp_path: Path) -> None:
    text = SERVICE.replace("package:", "  httpApi:\n    cors:\n      allowCredentials: true\npackage:")
    with pytest.raises(SlsCdkError, match="allowCredentials: true cannot be combined with the origin"):
        _warnings(tmp_path, text)


@pytest.mark.parametrize(
    ("cors", "warned"),
    [
        ("cors: true", True),
        ("cors:\n      allowedOrigins: ['*']", True),
        ("cors:\n      allowedOrigins: [https://a.example]", False),
    ],
)
def test_http_api_cors_for_every_origin_is_a_located_warning(tmp_path: Path, cors: str, warned: bool) -> None:
    text = "\n".join(_warnings(tmp_path, SERVICE.replace("package:", f"  httpApi:\n    {cors}\npackage:")))
    line = "serverless.yml:18:5: provider.httpApi.cors: the HTTP API's CORS answers every origin ('*')"
    assert (line in text) is warned
