"""Request validation (v3's ``request-validator.js``): the API's one ``RequestValidator`` and the
``Model`` of each request schema."""

from __future__ import annotations

from typing import Any

from constructs_lib import naming
from constructs_lib.config.model import RequestSchema
from constructs_lib.events.http import HttpEvent
from constructs_lib.events.http.rest_api import RestApi

__all__ = ["request_models", "request_validator", "required"]


def required(value: Any) -> Any:
    """Whether a request parameter is required (its settings say, else: yes)."""
    if not isinstance(value, dict):
        return value
    return value.get("required") if value.get("required") is not None else True


def request_validator(
    api: RestApi, parameters: dict[str, Any], *, force: bool = False
) -> dict[str, str] | None:
    """v3 validates requests (one validator per API) once any parameter is required or a
    request schema is given."""
    if not any(required(v) for v in parameters.values()) and not force:
        return None
    service, stage = api.ctx.service_name, api.ctx.stage
    logical_id = naming.rest_request_validator_logical_id(service)
    api.add(
        logical_id,
        {
            "Type": "AWS::ApiGateway::RequestValidator",
            "Properties": {
                "RestApiId": api.ref,
                "ValidateRequestBody": True,
                "ValidateRequestParameters": True,
                "Name": f"{service}-{stage} | Validate request body and querystring parameters",
            },
        },
    )
    return {"Ref": logical_id}


def _shared_model(api: RestApi, schema_id: str, definition: RequestSchema) -> tuple[str, dict[str, Any]]:
    """``ApiGateway<Name>Model``: one of ``provider.apiGateway.request.schemas``."""
    return naming.rest_model_logical_id(schema_id), {
        "RestApiId": api.ref,
        "Schema": definition.schema_,
        "ContentType": "application/json",
        "Name": definition.name,
        "Description": definition.description,
    }


def _inline_model(api: RestApi, method_id: str, content_type: str, config: Any) -> tuple[str, dict[str, Any]]:
    """``<Method><ContentType>Model``: a schema written on the event (a string is a schema too)."""
    name = description = None
    schema: Any = config
    if isinstance(config, dict) and "schema" in config:
        schema, name, description = config["schema"], config.get("name"), config.get("description")
    return naming.rest_endpoint_model_logical_id(method_id, content_type), {
        "RestApiId": api.ref,
        "ContentType": content_type,
        "Schema": schema,
        "Name": name,
        "Description": description,
    }


def request_models(api: RestApi, event: HttpEvent, method_id: str) -> dict[str, Any] | None:
    """``request.schemas``: content type -> a model, inline or one of
    ``provider.apiGateway.request.schemas`` by name."""
    schemas = event.request.schemas if event.request else None
    if not schemas:
        return None
    gateway = api.gateway
    shared = (gateway.request.schemas if gateway and gateway.request else None) or {}
    models: dict[str, Any] = {}
    for content_type, config in schemas.items():
        if isinstance(config, str) and config in shared:
            logical_id, properties = _shared_model(api, config, shared[config])
        else:
            logical_id, properties = _inline_model(api, method_id, content_type, config)
        api.ctx.raw.definitions.pop(logical_id, None)  # v3 assigns (the last definition wins)
        api.add(logical_id, {"Type": "AWS::ApiGateway::Model", "Properties": properties})
        models[content_type] = {"Ref": logical_id}
    return models
