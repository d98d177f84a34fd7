"""``ApiGatewayResource<Path>``: one resource per path segment (v3's ``resources.js``); segments an
external API already has (``restApiResources``) are used as they are."""

from __future__ import annotations

from collections.abc import Iterable

from constructs_lib.events.http import plan
from constructs_lib.events.http.rest_api import RestApi

__all__ = ["add_resources"]


def add_resources(api: RestApi, paths: Iterable[str]) -> None:
    """The resources of ``paths`` the API does not have yet (``check``: every parent is known)."""
    created, _ = plan.new_resources(paths, api.resource_ids)
    for resource in created:
        api.add(
            resource.logical_id,
            {
                "Type": "AWS::ApiGateway::Resource",
                "Properties": {
                    "ParentId": api.resource_ids[resource.parent],
                    "PathPart": resource.part,
                    "RestApiId": api.ref,
                },
            },
        )
        api.resource_ids[resource.path] = {"Ref": resource.logical_id}
