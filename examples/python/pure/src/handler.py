"""The pure-Python example's function: answers with the path it was called on."""

import json
from typing import Any


def hello(event: dict[str, Any], context: object) -> dict[str, Any]:
    return {"statusCode": 200, "body": json.dumps({"path": event.get("rawPath", "/")})}
