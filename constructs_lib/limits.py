"""AWS limits and the enumerations AWS enforces, in one table.

The typed model validates against these; nothing else hard-codes a range or an allowed value.
"""

from __future__ import annotations

import re

MEMORY_MB = (128, 10_240)
TIMEOUT_S = (1, 900)
EPHEMERAL_STORAGE_MB = (512, 10_240)
FUNCTION_NAME_MAX = 64
LOG_GROUP_NAME_MAX = 512

#: CloudWatch Logs retention values (days).
LOG_RETENTION_DAYS = frozenset(
    {1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653}
)

ARCHITECTURES = ("x86_64", "arm64")
URL_INVOKE_MODES = ("BUFFERED", "RESPONSE_STREAM")
DEPLOYMENT_METHODS = ("changesets", "direct")

#: v3.40.0's ``awsLambdaRuntime`` enum (lib/plugins/aws/provider.js), used for provider.runtime,
#: functions.*.runtime and layers' compatibleRuntimes. v3 warns on any other runtime and keeps it.
V3_RUNTIMES = (
    "dotnet6",
    "go1.x",
    "java21",
    "java17",
    "java11",
    "java8",
    "java8.al2",
    "nodejs14.x",
    "nodejs16.x",
    "nodejs18.x",
    "nodejs20.x",
    "provided",
    "provided.al2",
    "provided.al2023",
    "python3.7",
    "python3.8",
    "python3.9",
    "python3.10",
    "python3.11",
    "ruby2.7",
    "ruby3.2",
)

#: Runtimes Lambda creates functions on that v3's enum does not list (newer than v3.40.0).
NEWER_RUNTIMES = (
    "dotnet8",
    "dotnet10",
    "java25",
    "nodejs22.x",
    "nodejs24.x",
    "python3.12",
    "python3.13",
    "python3.14",
    "ruby3.3",
    "ruby3.4",
)

#: Deprecation date (ISO) of each Lambda runtime, from AWS's runtime table
#: (https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html, "Supported runtimes" and
#: "Deprecated runtimes"), as read on 2026-12-02. From that date AWS stops patching the runtime and
#: then blocks creating functions on it (later also updating them). Future dates are projected.
RUNTIME_DEPRECATION = {
    "nodejs": "2016-10-31",
    "nodejs4.3": "2020-03-05",
    "nodejs4.3-edge": "2020-03-05",
    "nodejs6.10": "2019-08-12",
    "nodejs8.10": "2020-03-06",
    "nodejs10.x": "2021-07-30",
    "nodejs12.x": "2023-03-31",
    "nodejs14.x": "2023-12-04",
    "nodejs16.x": "2024-06-12",
    "nodejs18.x": "2025-09-01",
    "nodejs20.x": "2026-04-30",
    "nodejs22.x": "2027-04-30",
    "nodejs24.x": "2028-04-30",
    "python2.7": "2021-07-15",
    "python3.6": "2022-07-18",
    "python3.7": "2023-12-04",
    "python3.8": "2024-10-14",
    "python3.9": "2025-12-15",
    "python3.10": "2026-06-30",
    "python3.11": "2026-06-30",
    "python3.12": "2028-10-31",
    "python3.13": "2029-06-30",
    "python3.14": "2029-06-30",
    "java8": "2024-01-08",
    "java8.al2": "2026-06-30",
    "java11": "2026-06-30",
    "java17": "2026-06-30",
    "java21": "2029-06-30",
    "java25": "2029-06-30",
    "dotnetcore1.0": "2019-07-27",
    "dotnetcore2.0": "2019-05-30",
    "dotnetcore2.1": "2022-01-05",
    "dotnetcore3.1": "2023-04-03",
    "dotnet5.0": "2022-05-10",
    "dotnet6": "2024-12-20",
    "dotnet7": "2024-05-14",
    "dotnet8": "2026-11-10",
    "dotnet10": "2028-11-14",
    "go1.x": "2024-01-08",
    "provided": "2024-01-08",
    "provided.al2": "2026-06-30",
    "provided.al2023": "2029-06-30",
    "ruby2.5": "2021-07-30",
    "ruby2.7": "2023-12-07",
    "ruby3.2": "2026-03-31",
    "ruby3.3": "2027-03-31",
    "ruby3.4": "2028-03-31",
}

#: Every runtime identifier Lambda has had (for did-you-mean on a misspelt one).
KNOWN_RUNTIMES = frozenset({*V3_RUNTIMES, *NEWER_RUNTIMES, *RUNTIME_DEPRECATION})


def deprecated_since(runtime: str, today: str) -> str | None:
    """The date AWS deprecated ``runtime`` if it is on or before ``today`` (ISO dates), else None."""
    date = RUNTIME_DEPRECATION.get(runtime)
    return date if date is not None and date <= today else None


#: HTTP APIs stop waiting for an integration after this many seconds.
HTTP_API_TIMEOUT_S = 30

#: Function names: letters, digits, hyphens and underscores, at most FUNCTION_NAME_MAX long.
FUNCTION_NAME = re.compile(r"[a-zA-Z0-9_-]+")

#: Environment variable names Lambda reserves (setting them fails at deploy time).
RESERVED_ENV_NAMES = frozenset(
    {
        "_HANDLER",
        "_X_AMZN_TRACE_ID",
        "AWS_DEFAULT_REGION",
        "AWS_REGION",
        "AWS_EXECUTION_ENV",
        "AWS_LAMBDA_FUNCTION_NAME",
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
        "AWS_LAMBDA_FUNCTION_VERSION",
        "AWS_LAMBDA_INITIALIZATION_TYPE",
        "AWS_LAMBDA_LOG_GROUP_NAME",
        "AWS_LAMBDA_LOG_STREAM_NAME",
        "AWS_ACCESS_KEY",
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_LAMBDA_RUNTIME_API",
        "LAMBDA_TASK_ROOT",
        "LAMBDA_RUNTIME_DIR",
    }
)

#: Regions (commercial, China, GovCloud) v3 accepts.
REGIONS = frozenset(
    [
        "us-east-1",
        "us-east-2",
        "us-west-1",
        "us-west-2",
        "af-south-1",
        "ap-east-1",
        "ap-northeast-1",
        "ap-northeast-2",
        "ap-northeast-3",
        "ap-south-1",
        "ap-south-2",
        "ap-southeast-1",
        "ap-southeast-2",
        "ap-southeast-3",
        "ap-southeast-4",
        "ap-southeast-5",
        "ap-southeast-7",
        "ca-central-1",
        "ca-west-1",
        "cn-north-1",
        "cn-northwest-1",
        "eu-central-1",
        "eu-central-2",
        "eu-north-1",
        "eu-south-1",
        "eu-south-2",
        "eu-west-1",
        "eu-west-2",
        "eu-west-3",
        "il-central-1",
        "me-central-1",
        "me-south-1",
        "mx-central-1",
        "sa-east-1",
        "us-gov-east-1",
        "us-gov-west-1",
    ]
)
