"""``ServerlessFunctionUrl``: ``functions.<f>.url`` as v3 compiles it.

``<F>LambdaFunctionUrl`` (v3's CORS defaults; ``RESPONSE_STREAM`` when asked), the public-invoke
permissions for ``authType NONE`` and the ``<F>LambdaFunctionUrl`` output. Made by
:meth:`ServerlessFunction.add_url <constructs_lib.constructs.function.ServerlessFunction.add_url>`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar, cast

from aws_cdk import aws_lambda as lambda_

from constructs_lib import naming
from constructs_lib.config.model import URL_CORS_DEFAULT_HEADERS, FunctionUrl, UrlCors
from constructs_lib.constructs.placement import output

if TYPE_CHECKING:
    from constructs_lib.constructs.function import ServerlessFunction

__all__ = ["ServerlessFunctionUrl"]

_T = TypeVar("_T")


class ServerlessFunctionUrl:
    """A function URL with v3's CORS defaults, its public-invoke permissions and its output.

    For ``authType NONE`` v3 adds ``<F>LambdaPermissionFnUrl`` (``lambda:InvokeFunctionUrl``).
    Since October 2025 AWS also requires ``lambda:InvokeFunction`` with ``InvokedViaFunctionUrl``
    for new public URLs; v3 never adds it, so we add ``<F>LambdaPermissionFn`` (purely additive).
    """

    def __init__(self, *, function: ServerlessFunction, options: FunctionUrl) -> None:
        key = function.props.key
        auth_type = "AWS_IAM" if options.authorizer == "aws_iam" else "NONE"
        target = function.target_arn_text
        self.cfn_url = lambda_.CfnUrl(
            function.home,
            naming.lambda_url_logical_id(key),
            auth_type=auth_type,
            target_function_arn=target,
            cors=_url_cors(options.cors),
            invoke_mode="RESPONSE_STREAM" if options.invoke_mode == "RESPONSE_STREAM" else None,
        )
        function.depend_on_alias(self.cfn_url)
        self.permissions: list[lambda_.CfnPermission] = []
        if auth_type == "NONE":
            self.permissions = _public_permissions(function, target)
            for permission in self.permissions:
                function.depend_on_alias(permission)
        output(
            function,
            naming.lambda_url_output_logical_id(key),
            value=self.cfn_url.attr_function_url,
            description="Lambda Function URL",
            export=naming.export_name(
                function.service, function.stage, naming.lambda_url_output_logical_id(key)
            ),
            nested=True,
            pinned=function.pinned,
        )


def _public_permissions(function: ServerlessFunction, target: str) -> list[lambda_.CfnPermission]:
    """``<F>LambdaPermissionFnUrl`` (v3's) and ``<F>LambdaPermissionFn`` (AWS's since 2025)."""
    key = function.props.key
    url_permission = lambda_.CfnPermission(
        function.home,
        naming.lambda_url_permission_logical_id(key),
        function_name=target,
        action="lambda:InvokeFunctionUrl",
        principal="*",
        function_url_auth_type="NONE",
    )
    invoke_permission = lambda_.CfnPermission(
        function.home,
        naming.lambda_url_invoke_permission_logical_id(key),
        function_name=target,
        action="lambda:InvokeFunction",
        principal="*",
        invoked_via_function_url=True,
    )
    return [url_permission, invoke_permission]


def _url_cors(cors: bool | UrlCors) -> lambda_.CfnUrl.CorsProperty | None:
    """v3: ``true`` -> defaults; an object overrides field by field and ``null`` removes a field."""
    if cors is False:
        return None
    spec = cors if isinstance(cors, UrlCors) else UrlCors()
    nulls = spec.explicit_nulls

    def pick(field: str, value: _T | None, default: _T | None) -> _T | None:
        if field in nulls:
            return None
        return value if value is not None else default

    return lambda_.CfnUrl.CorsProperty(
        allow_credentials=pick("allowCredentials", spec.allow_credentials, None),
        allow_headers=pick("allowedHeaders", _texts(spec.allowed_headers), list(URL_CORS_DEFAULT_HEADERS)),
        allow_methods=pick("allowedMethods", _texts(spec.allowed_methods), ["*"]),
        allow_origins=pick("allowedOrigins", _texts(spec.allowed_origins), ["*"]),
        expose_headers=pick("exposedResponseHeaders", _texts(spec.exposed_response_headers), None),
        max_age=pick("maxAge", spec.max_age, None),
    )


def _texts(value: object) -> list[str] | None:
    """A ``ListOf[str]`` field: a list of text at runtime (the annotation hides it from mypy)."""
    return cast("list[str] | None", value)
