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

#: Runtimes Lambda accepts for new functions (v3's schema plus newer ones AWS added since).
RUNTIMES = (
    "dotnet6",
    "dotnet8",
    "go1.x",
    "java8",
    "java8.al2",
    "java11",
    "java17",
    "java21",
    "nodejs14.x",
    "nodejs16.x",
    "nodejs18.x",
    "nodejs20.x",
    "nodejs22.x",
    "provided",
    "provided.al2",
    "provided.al2023",
    "python3.7",
    "python3.8",
    "python3.9",
    "python3.10",
    "python3.11",
    "python3.12",
    "python3.13",
    "ruby2.7",
    "ruby3.2",
    "ruby3.3",
)

#: Runtimes AWS has deprecated (date), per the Lambda runtime table; creating functions on them
#: is or will soon be blocked.
DEPRECATED_RUNTIMES = {
    "dotnet6": "2024-12-20",
    "go1.x": "2024-01-08",
    "java8": "2024-01-08",
    "nodejs14.x": "2023-12-04",
    "nodejs16.x": "2024-06-12",
    "nodejs18.x": "2025-09-01",
    "provided": "2024-01-08",
    "provided.al2": "2026-07-31",
    "python3.7": "2023-12-04",
    "python3.8": "2024-10-14",
    "python3.9": "2025-12-15",
    "ruby2.7": "2023-12-07",
    "ruby3.2": "2026-03-31",
}

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
