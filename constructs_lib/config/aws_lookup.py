"""Synth-time reads of values that CloudFormation cannot express at deploy time.

Used by the ``cf`` (outputs of stacks outside this app, or in another region), ``s3`` and
``ssm(region)`` variable sources. One boto3 session per run, results cached; boto3 is imported
only when a lookup is actually needed. Every failure becomes a :class:`VariableError` that says
what was looked up and why it failed; "not found" is reported as ``None`` so fallbacks apply.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from constructs_lib.errors import VariableError

__all__ = ["AwsLookup", "StackOutput", "resolve_image"]


@dataclass(frozen=True)
class StackOutput:
    value: str
    export_name: str | None


@dataclass
class AwsLookup:
    """Reads from the caller's AWS account with the standard credential chain."""

    profile: str | None = None
    default_region: str = "us-east-1"
    _session: Any = None
    _cache: dict[tuple[Any, ...], Any] = field(default_factory=dict)

    def _client(self, service: str, region: str | None) -> Any:
        if self._session is None:
            import boto3

            self._session = boto3.Session(profile_name=self.profile)
        return self._session.client(service, region_name=region or self.default_region)

    def _call(self, what: str, fn: Any, *args: Any, **kwargs: Any) -> Any:
        from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError, ProfileNotFound

        try:
            return fn(*args, **kwargs)
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
        cache_key = ("cf", stack, region)
        if cache_key not in self._cache:
            client = self._client("cloudformation", region)
            found = self._call(f"output of stack {stack!r}", client.describe_stacks, StackName=stack)
            outputs = (
                {}
                if not found
                else {
                    o["OutputKey"]: StackOutput(o.get("OutputValue", ""), o.get("ExportName"))
                    for o in found["Stacks"][0].get("Outputs", [])
                }
            )
            self._cache[cache_key] = outputs
        return self._cache[cache_key].get(key)

    def s3_object(self, bucket: str, key: str) -> str | None:
        """The body of ``s3://bucket/key`` as UTF-8 text (None when absent)."""
        cache_key = ("s3", bucket, key)
        if cache_key not in self._cache:
            client = self._client("s3", None)
            found = self._call(f"s3://{bucket}/{key}", client.get_object, Bucket=bucket, Key=key)
            if found is None:
                self._cache[cache_key] = None
            else:
                body = found["Body"].read()
                try:
                    self._cache[cache_key] = body.decode("utf-8")
                except UnicodeDecodeError:
                    raise VariableError(f"s3://{bucket}/{key} is not UTF-8 text") from None
        return self._cache[cache_key]

    def s3_object_bytes(self, bucket: str, key: str) -> bytes | None:
        """The bytes of ``s3://bucket/key`` (None when absent); not cached (artifacts are large)."""
        found = self._call(
            f"s3://{bucket}/{key}", self._client("s3", None).get_object, Bucket=bucket, Key=key
        )
        return None if found is None else bytes(found["Body"].read())

    def ssm_parameter(self, name: str, region: str | None, decrypt: bool) -> Any:
        """An SSM parameter's value; a StringList becomes a list, as in v3 (None when absent)."""
        cache_key = ("ssm", name, region, decrypt)
        if cache_key not in self._cache:
            client = self._client("ssm", region)
            found = self._call(
                f"SSM parameter {name!r}", client.get_parameter, Name=name, WithDecryption=decrypt
            )
            if found is None:
                self._cache[cache_key] = None
            else:
                param = found["Parameter"]
                value = param["Value"]
                self._cache[cache_key] = value.split(",") if param.get("Type") == "StringList" else value
        return self._cache[cache_key]

    def ecr_image_digest(self, registry: str, repository: str, tag: str, region: str) -> str:
        """The ``sha256:...`` digest of ``repository:tag`` in ``registry`` (v3 resolves it the same way)."""
        cache_key = ("ecr", registry, repository, tag, region)
        if cache_key not in self._cache:
            client = self._client("ecr", region)
            found = self._call(
                f"ECR image {repository}:{tag}",
                client.describe_images,
                registryId=registry,
                repositoryName=repository,
                imageIds=[{"imageTag": tag}],
            )
            if not found or not found.get("imageDetails"):
                raise VariableError(
                    f"ECR image {repository}:{tag} not found in registry {registry} ({region})"
                )
            self._cache[cache_key] = found["imageDetails"][0]["imageDigest"]
        return str(self._cache[cache_key])


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
