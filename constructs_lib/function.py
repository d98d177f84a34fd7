"""``ServerlessFunction``: one Serverless v3 function as CloudFormation, with v3's logical IDs.

It makes the log group (``<F>LogGroup``), the function (``<F>LambdaFunction``, depending on its log
group), the retained version (``<F>LambdaVersion<digest>``) with its ``QualifiedArn`` output, and
optionally a function URL (:class:`ServerlessFunctionUrl`, also reachable as :meth:`add_url`).
Usable from plain Python: build an :class:`~constructs_lib.config.model.EffectiveFunction` (or
load one from YAML) and pass it in.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from aws_cdk import CfnDeletionPolicy, CfnOutput
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from constructs import Construct

from . import naming
from .assets import add_zip_asset
from .config.model import EffectiveFunction, FunctionUrl, UrlCors
from .hashing import version_digest

__all__ = ["URL_CORS_DEFAULT_HEADERS", "ServerlessFunction", "ServerlessFunctionUrl"]

#: v3's default CORS headers for function URLs.
URL_CORS_DEFAULT_HEADERS = (
    "Content-Type",
    "X-Amz-Date",
    "Authorization",
    "X-Api-Key",
    "X-Amz-Security-Token",
    "X-Amzn-Trace-Id",
)


def _output(
    scope: Construct, logical_id: str, *, value: Any, description: str | None, export: str
) -> CfnOutput:
    out = CfnOutput(scope, logical_id, value=value, description=description, export_name=export)
    out.override_logical_id(logical_id)
    return out


class ServerlessFunction(Construct):
    """A v3 function: log group, function, version, optional URL.

    :param props: the merged function settings (function over provider over defaults).
    :param artifact: the deployment zip.
    :param service: service name (for export names).
    :param stage: stage (for export names).
    """

    def __init__(
        self,
        scope: Construct,
        id_: str,
        *,
        props: EffectiveFunction,
        artifact: Path,
        service: str,
        stage: str,
        role: str | dict[str, Any] | None = None,
    ) -> None:
        super().__init__(scope, id_)
        self.props = props
        self.service = service
        self.stage = stage
        key = props.key
        role_value = role if role is not None else props.role
        if role_value is None:
            raise ValueError(
                f"function {key!r} needs a role (provider.iam.role); generated roles come with IAM support"
            )

        self.log_group = logs.CfnLogGroup(
            self,
            "LogGroup",
            log_group_name=naming.log_group_name(props.name),
            retention_in_days=props.log_retention_in_days,
        )
        self.log_group.override_logical_id(naming.log_group_logical_id(key))

        asset = add_zip_asset(self, artifact)
        self.code_sha256 = asset.code_sha256
        #: The function's CloudFormation properties as v3 writes them (also the version-hash input).
        self.cfn_properties: dict[str, Any] = self._properties(role_value)
        self.cfn_function = lambda_.CfnFunction(
            self,
            "Function",
            code=lambda_.CfnFunction.CodeProperty(s3_bucket=asset.bucket_name, s3_key=asset.object_key),
            handler=props.handler,
            runtime=props.runtime,
            function_name=props.name,
            memory_size=props.memory_size,
            timeout=props.timeout,
            architectures=[props.architecture] if props.architecture else None,
            description=props.description,
            environment=lambda_.CfnFunction.EnvironmentProperty(variables=props.environment)
            if props.environment is not None
            else None,
            role=role_value,
        )
        self.cfn_function.override_logical_id(naming.lambda_logical_id(key))
        self.cfn_function.add_resource_dependency(self.log_group)
        self.logical_id = naming.lambda_logical_id(key)

        self.version: lambda_.CfnVersion | None = None
        if props.version:
            digest = version_digest(asset.code_sha256, self.cfn_properties)
            self.version = lambda_.CfnVersion(
                self,
                "Version",
                function_name=self.cfn_function.ref,
                code_sha256=asset.code_sha256,
                description=props.description,
            )
            self.version.cfn_options.deletion_policy = CfnDeletionPolicy.RETAIN
            self.version.override_logical_id(naming.lambda_version_logical_id(key, digest))
            _output(
                self,
                naming.lambda_version_output_logical_id(key),
                value=self.version.ref,
                description="Current Lambda function version",
                export=naming.export_name(service, stage, naming.lambda_version_output_logical_id(key)),
            )

        self.url: ServerlessFunctionUrl | None = None
        if props.url is not None:
            self.add_url(props.url)

    @property
    def function_arn(self) -> str:
        return self.cfn_function.attr_arn

    def _properties(self, role: str | dict[str, Any]) -> dict[str, Any]:
        p = self.props
        props: dict[str, Any] = {
            "Handler": p.handler,
            "Runtime": p.runtime,
            "FunctionName": p.name,
            "MemorySize": p.memory_size,
            "Timeout": p.timeout,
        }
        if p.architecture:
            props["Architectures"] = [p.architecture]
        if p.description:
            props["Description"] = p.description
        if p.environment is not None:
            props["Environment"] = {"Variables": dict(p.environment)}
        props["Role"] = role
        return props

    def add_url(self, options: FunctionUrl) -> ServerlessFunctionUrl:
        """Give the function a URL (``functions.<f>.url``)."""
        if self.url is not None:
            raise ValueError(f"function {self.props.key!r} already has a URL")
        self.url = ServerlessFunctionUrl(self, "Url", function=self, options=options)
        return self.url


class ServerlessFunctionUrl(Construct):
    """A function URL with v3's CORS defaults, its public-invoke permissions and its output.

    For ``authType NONE`` v3 adds ``<F>LambdaPermissionFnUrl`` (``lambda:InvokeFunctionUrl``).
    Since October 2025 AWS also requires ``lambda:InvokeFunction`` with ``InvokedViaFunctionUrl``
    for new public URLs; v3 never adds it, so we add ``<F>LambdaPermissionFn`` (purely additive).
    """

    def __init__(
        self, scope: Construct, id_: str, *, function: ServerlessFunction, options: FunctionUrl
    ) -> None:
        super().__init__(scope, id_)
        key = function.props.key
        auth_type = "AWS_IAM" if options.authorizer == "aws_iam" else "NONE"
        self.cfn_url = lambda_.CfnUrl(
            self,
            "Resource",
            auth_type=auth_type,
            target_function_arn=function.function_arn,
            cors=_url_cors(options.cors),
            invoke_mode="RESPONSE_STREAM" if options.invoke_mode == "RESPONSE_STREAM" else None,
        )
        self.cfn_url.override_logical_id(naming.lambda_url_logical_id(key))
        self.permissions: list[lambda_.CfnPermission] = []
        if auth_type == "NONE":
            url_permission = lambda_.CfnPermission(
                self,
                "PublicUrl",
                function_name=function.function_arn,
                action="lambda:InvokeFunctionUrl",
                principal="*",
                function_url_auth_type="NONE",
            )
            url_permission.override_logical_id(naming.lambda_url_permission_logical_id(key))
            invoke_permission = lambda_.CfnPermission(
                self,
                "PublicInvoke",
                function_name=function.function_arn,
                action="lambda:InvokeFunction",
                principal="*",
                invoked_via_function_url=True,
            )
            invoke_permission.override_logical_id(naming.lambda_url_invoke_permission_logical_id(key))
            self.permissions = [url_permission, invoke_permission]
        _output(
            self,
            naming.lambda_url_output_logical_id(key),
            value=self.cfn_url.attr_function_url,
            description="Lambda Function URL",
            export=naming.export_name(
                function.service, function.stage, naming.lambda_url_output_logical_id(key)
            ),
        )


def _url_cors(cors: bool | UrlCors) -> lambda_.CfnUrl.CorsProperty | None:
    """v3: ``true`` -> defaults; an object overrides field by field and ``null`` removes a field."""
    if cors is False:
        return None
    spec = cors if isinstance(cors, UrlCors) else UrlCors()
    nulls = spec.explicit_nulls

    def pick(field: str, value: Any, default: Any) -> Any:
        if field in nulls:
            return None
        return value if value is not None else default

    return lambda_.CfnUrl.CorsProperty(
        allow_credentials=pick("allowCredentials", spec.allow_credentials, None),
        allow_headers=pick("allowedHeaders", spec.allowed_headers, list(URL_CORS_DEFAULT_HEADERS)),
        allow_methods=pick("allowedMethods", spec.allowed_methods, ["*"]),
        allow_origins=pick("allowedOrigins", spec.allowed_origins, ["*"]),
        expose_headers=pick("exposedResponseHeaders", spec.exposed_response_headers, None),
        max_age=pick("maxAge", spec.max_age, None),
    )
