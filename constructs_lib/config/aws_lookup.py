"""Synth-time reads of values that CloudFormation cannot express at deploy time.

Used by the ``cf`` (outputs of stacks outside this app, or in another region), ``s3`` and
``ssm(region)`` variable sources. One boto3 session per run, results cached; boto3 is imported
only when a lookup is actually needed. Every failure becomes a :class:`VariableError` that says
what was looked up and why it failed; "not found" is reported as ``None`` so fallbacks apply.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeVar

from constructs_lib.config.defaults import DEFAULT_REGION
from constructs_lib.errors import VariableError

if TYPE_CHECKING:
    from boto3 import Session

__all__ = ["AwsLookup", "StackOutput", "resolve_image"]

_R = TypeVar("_R")


@dataclass(frozen=True)
class StackOutput:
    value: str
    export_name: str | None


@dataclass
class AwsLookup:
    """Reads from the caller's AWS account with the standard credential chain."""

    profile: str | None = None
    default_region: str = DEFAULT_REGION
    _session: Session | None = None
    _outputs: dict[tuple[str, str | None], dict[str, StackOutput]] = field(default_factory=dict)
    _objects: dict[tuple[str, str], str | None] = field(default_factory=dict)
    _parameters: dict[tuple[str, str | None, bool], str | list[str] | None] = field(default_factory=dict)
    _digests: dict[tuple[str, str, str, str], str] = field(default_factory=dict)

    def _boto(self) -> Session:
        if self._session is None:
            import boto3

            self._session = boto3.Session(profile_name=self.profile)
        return self._session

    def _region(self, region: str | None) -> str:
        return region or self.default_region

    def _call(self, what: str, fn: Callable[..., _R], **kwargs: object) -> _R | None:
        """``fn(**kwargs)``; None when AWS says the thing does not exist."""
        from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError, ProfileNotFound

        try:
            return fn(**kwargs)
        except (NoCredentialsError, ProfileNotFound) as exc:
            raise VariableError(
                f"{what} is read from AWS at synth time, and no AWS credentials were found ({exc})",
                hint="set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, "
                "or give the variable a fallback",
            ) from None
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code", "")
            if code in ("ValidationError", "NoSuchKey", "NoSuchBucket", "ParameterNotFound", "404"):
                return None
            raise VariableError(f"{what}: AWS said {code}: {exc}") from None
        except BotoCoreError as exc:
            raise VariableError(f"{what}: {exc}") from None

    def stack_output(self, stack: str, key: str, region: str | None) -> StackOutput | None:
        """The output ``key`` of deployed stack ``stack`` (None when the stack or output is absent)."""
        cache_key = (stack, region)
        if cache_key not in self._outputs:
            client = self._boto().client("cloudformation", region_name=self._region(region))
            found = self._call(f"output of stack {stack!r}", client.describe_stacks, StackName=stack)
            self._outputs[cache_key] = (
                {}
                if not found
                else {
                    o["OutputKey"]: StackOutput(o.get("OutputValue", ""), o.get("ExportName"))
                    for o in found["Stacks"][0].get("Outputs", [])
                }
            )
        return self._outputs[cache_key].get(key)

    def s3_object(self, bucket: str, key: str) -> str | None:
        """The body of ``s3://bucket/key`` as UTF-8 text (None when absent)."""
        cache_key = (bucket, key)
        if cache_key not in self._objects:
            body = self.s3_object_bytes(bucket, key)
            try:
                self._objects[cache_key] = None if body is None else body.decode("utf-8")
            except UnicodeDecodeError:
                raise VariableError(f"s3://{bucket}/{key} is not UTF-8 text") from None
        return self._objects[cache_key]

    def s3_object_bytes(self, bucket: str, key: str) -> bytes | None:
        """The bytes of ``s3://bucket/key`` (None when absent); not cached (artifacts are large)."""
        client = self._boto().client("s3", region_name=self._region(None))
        found = self._call(f"s3://{bucket}/{key}", client.get_object, Bucket=bucket, Key=key)
        return None if found is None else bytes(found["Body"].read())

    def ssm_parameter(self, name: str, region: str | None, decrypt: bool) -> str | list[str] | None:
        """An SSM parameter's value; a StringList becomes a list, as in v3 (None when absent)."""
        cache_key = (name, region, decrypt)
        if cache_key not in self._parameters:
            client = self._boto().client("ssm", region_name=self._region(region))
            found = self._call(
                f"SSM parameter {name!r}", client.get_parameter, Name=name, WithDecryption=decrypt
            )
            if found is None:
                self._parameters[cache_key] = None
            else:
                param = found["Parameter"]
                value = param.get("Value", "")
                self._parameters[cache_key] = value.split(",") if param.get("Type") == "StringList" else value
        return self._parameters[cache_key]

    def ecr_image_digest(self, registry: str, repository: str, tag: str, region: str) -> str:
        """The ``sha256:...`` digest of ``repository:tag`` in ``registry`` (v3 resolves it the same way)."""
        cache_key = (registry, repository, tag, region)
        if cache_key not in self._digests:
            client = self._boto().client("ecr", region_name=self._region(region))
            found = self._call(
                f"ECR image {repository}:{tag}",
                client.describe_images,
                registryId=registry,
                repositoryName=repository,
                imageIds=[{"imageTag": tag}],
            )
            details = found.get("imageDetails") if found else None
            if not details:
                raise VariableError(
                    f"ECR image {repository}:{tag} not found in registry {registry} ({region})"
                )
            self._digests[cache_key] = str(details[0].get("imageDigest", ""))
        return self._digests[cache_key]


def resolve_image(uri: str, region: str, lookup: AwsLookup | None = None) -> tuple[str, str]:
    """``(uri@digest, sha)`` for an ECR image URI; a tag is looked up (in the stack's region only)."""
    if "@" in uri:
        return uri, uri.split("@", 1)[1].removeprefix("sha256:")
    repository, _, tag = uri[uri.index("/") + 1 :].partition(":")
    parts = uri.split(".")
    registry, image_region = parts[0], parts[3]
    if image_region != region:
        raise VariableError(
            f"the region {image_region!r} of ECR image {uri!r} must be the stack's region {region!r}"
        )
    digest = (lookup or AwsLookup(default_region=region)).ecr_image_digest(
        registry, repository, tag or "latest", region
    )
    return f"{uri.split(':')[0]}@{digest}", digest.removeprefix("sha256:")
