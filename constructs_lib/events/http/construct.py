"""``http`` event: the service's REST API, compiled in the order of v3's ``AwsCompileApigEvents``.

``build`` only wires the concerns, each in its module: the API (:mod:`.rest_api`), its resources
(:mod:`.resources`), CORS preflights (:mod:`.cors`), methods (:mod:`.methods`, with
:mod:`.integrations` and :mod:`.validators`), authorizers (:mod:`.authorizers`), the deployment and
stage (:mod:`.stage`), API keys and usage plans (:mod:`.api_keys`), permissions
(:mod:`.permissions`) and the ``ServiceEndpoint`` output. Every user error was found at load by
:mod:`.check`.
"""

from __future__ import annotations

from collections.abc import Sequence

from constructs_lib.events.build_context import BuildContext
from constructs_lib.events.http import HttpEvent
from constructs_lib.events.http.api_keys import add_api_keys_and_usage_plans
from constructs_lib.events.http.authorizers import add_authorizers
from constructs_lib.events.http.cors import add_preflight_methods
from constructs_lib.events.http.methods import add_methods, prepare
from constructs_lib.events.http.permissions import add_permissions
from constructs_lib.events.http.resources import add_resources
from constructs_lib.events.http.rest_api import RestApi
from constructs_lib.events.http.stage import add_deployment, add_stage_settings
from constructs_lib.events.sites import EventSite
from constructs_lib.plugins.step_functions.rest import add_machine_methods

__all__ = ["build"]


def build(ctx: BuildContext, sites: Sequence[EventSite[HttpEvent]]) -> None:
    methods = [prepare(ctx, site) for site in sites]
    api = RestApi(ctx)  # ApiGatewayRestApi, unless another stack owns the API
    add_resources(api, [method.event.path for method in methods])
    add_preflight_methods(api, methods)
    add_methods(api, methods)
    add_authorizers(api, methods)
    add_machine_methods(api)  # serverless-step-functions' http events (its hook runs after v3's)
    deployment_id = add_deployment(api)
    add_api_keys_and_usage_plans(api, deployment_id)
    if api.owned:
        add_stage_settings(api, deployment_id)
    api.add_endpoint_output()
    add_permissions(api, methods)
