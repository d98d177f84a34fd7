"""Layers keep their deployed version: v3's ``compareWithLastLayer``, by content.

Every property of an ``AWS::Lambda::LayerVersion`` is create-only: a new S3 key publishes a new
version and deletes the old one, and a function elsewhere pinning that version ARN breaks. v3
avoids it: when a layer's hash equals the deployed stack's ``<L>LambdaLayerHash`` output, it writes
the deployed ``<L>LambdaLayerS3Key`` again. We do the same, comparing what the zips hold (names,
sizes, CRCs; not timestamps), so a stack v3 made keeps its layer versions when we take it over
even though our zips are not byte-for-byte v3's.

The lookup reads the deployed stack with the deployer's credentials at synth (v3 does it during
``package``). Offline (``SLS_CDK_OFFLINE=1``, no credentials, no network) synth warns, naming each
layer a deploy over an existing stack would publish again; a stack that does not exist yet is not
a warning.
"""

from __future__ import annotations

import io
import os
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from constructs_lib import naming
from constructs_lib.config.source import SourceMap
from constructs_lib.errors import SchemaError, SlsCdkError

__all__ = ["OFFLINE_ENV", "DeployedLayer", "deployed_layers"]

#: set to 1 to skip the lookup (tests, air-gapped CI): each layer is then a warning
OFFLINE_ENV = "SLS_CDK_OFFLINE"


@dataclass(frozen=True)
class DeployedLayer:
    """Where the deployed stack's layer content is (``S3Key`` in the deployment bucket) and the
    deployed ``<L>LambdaLayerHash`` (v3's hash of that content: a retained layer's logical ID)."""

    key: str
    sha: str | None = None


def _listing(data: Path | IO[bytes]) -> set[tuple[str, int, int]] | None:
    try:
        with zipfile.ZipFile(data) as zf:
            return {(i.filename, i.file_size, i.CRC) for i in zf.infolist() if not i.is_dir()}
    except (OSError, zipfile.BadZipFile):
        return None


class _S3Object(io.RawIOBase):
    """An S3 object read by byte ranges: ``zipfile`` reads only the end record and the central
    directory (a few KB with ranged GETs), not a layer of hundreds of MB."""

    def __init__(self, s3: Any, bucket: str, key: str) -> None:
        self._s3, self._bucket, self._key = s3, bucket, key
        self._size: int = s3.head_object(Bucket=bucket, Key=key)["ContentLength"]
        self._at = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._at

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._at, io.SEEK_END: self._size}[whence]
        self._at = max(0, base + offset)
        return self._at

    def readinto(self, buffer: Any) -> int:
        if self._at >= self._size or not len(buffer):
            return 0
        end = min(self._size, self._at + len(buffer)) - 1
        got = self._s3.get_object(Bucket=self._bucket, Key=self._key, Range=f"bytes={self._at}-{end}")
        data: bytes = got["Body"].read()
        buffer[: len(data)] = data
        self._at += len(data)
        return len(data)


def _remote_listing(s3: Any, bucket: str, key: str) -> set[tuple[str, int, int]] | None:
    return _listing(io.BufferedReader(_S3Object(s3, bucket, key), buffer_size=64 * 1024))


def _warning(sources: SourceMap, key: str, why: str) -> SlsCdkError:
    where = ("layers", key)
    return SchemaError(
        f"layer {key!r}: {why}; if the stack is deployed, this deploy publishes the layer again "
        "(a new version; the old one is deleted unless retain: true)",
        location=sources.locate(where),
        path=where,
        hint="run synth where the deployer's AWS credentials work to keep the deployed version",
    )


def _config() -> Any:
    """Short timeouts, two attempts: a synth without network must not stall for minutes."""
    from botocore.config import Config

    return Config(connect_timeout=3, read_timeout=15, retries={"total_max_attempts": 2, "mode": "standard"})


def _session(region: str, profile: str | None, environ: Mapping[str, str]) -> Any:
    """v3's credentials order: what the environment names (keys or a profile), else the file's
    ``provider.profile``."""
    import boto3

    named = any(environ.get(k) for k in ("AWS_ACCESS_KEY_ID", "AWS_PROFILE", "AWS_DEFAULT_PROFILE"))
    return boto3.session.Session(profile_name=None if named else profile, region_name=region)


def deployed_layers(
    stack: str,
    region: str,
    layers: Mapping[str, Path],
    sources: SourceMap,
    *,
    named_bucket: str | None,
    profile: str | None = None,
    env: Mapping[str, str] | None = None,
) -> tuple[dict[str, DeployedLayer], list[SlsCdkError]]:
    """``({layer key: deployed}, warnings)`` for the layers (key -> our zip) whose content the
    deployed ``stack`` already has."""
    if not layers:
        return {}, []
    environ = os.environ if env is None else env
    if environ.get(OFFLINE_ENV, "") not in ("", "0"):
        return {}, [_warning(sources, key, f"not looked up ({OFFLINE_ENV} is set)") for key in layers]
    from botocore.exceptions import BotoCoreError, ClientError

    def unread(why: str) -> tuple[dict[str, DeployedLayer], list[SlsCdkError]]:
        return {}, [_warning(sources, key, why) for key in layers]

    try:
        session = _session(region, profile, environ)
        if session.get_credentials() is None:
            return unread("no AWS credentials to read the deployed stack with")
        endpoint = environ.get("AWS_ENDPOINT_URL") or None
        cf = session.client("cloudformation", config=_config(), endpoint_url=endpoint)
        described = cf.describe_stacks(StackName=stack)["Stacks"][0]
    except ClientError as exc:
        if "does not exist" in str(exc):
            return {}, []  # a first deploy: nothing to keep
        return unread(f"the deployed stack could not be read ({exc})")
    except BotoCoreError as exc:
        return unread(f"the deployed stack could not be read ({exc})")
    outputs = {o["OutputKey"]: o.get("OutputValue", "") for o in described.get("Outputs", [])}
    bucket = named_bucket or outputs.get(naming.deployment_bucket_output_logical_id())
    if not bucket:
        return unread("the deployed stack names no deployment bucket (ServerlessDeploymentBucketName)")
    found: dict[str, DeployedLayer] = {}
    warnings: list[SlsCdkError] = []
    s3 = session.client("s3", config=_config(), endpoint_url=endpoint)
    for key, zip_path in layers.items():
        _, hash_id, key_id = naming.layer_output_logical_ids(key)
        s3_key = outputs.get(key_id)
        if not s3_key:
            continue  # not a layer the deployed stack has
        try:
            deployed = _remote_listing(s3, bucket, s3_key)
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") not in ("NoSuchKey", "404", "NotFound"):
                warnings.append(_warning(sources, key, f"s3://{bucket}/{s3_key} could not be read ({exc})"))
            continue  # the object is gone: uploading ours is the only way
        except BotoCoreError as exc:
            warnings.append(_warning(sources, key, f"s3://{bucket}/{s3_key} could not be read ({exc})"))
            continue
        ours = _listing(zip_path)
        if ours is not None and ours == deployed:
            found[key] = DeployedLayer(s3_key, outputs.get(hash_id) or None)
    return found, warnings
