"""Zip artifacts as CDK file assets.

The asset hash is the SHA-256 of the zip's bytes (passed to CDK as a custom hash, so CDK does not
read the file again), so an unchanged artifact never changes its S3 key; with a named deployment
bucket the key sits under ``serverless/<service>/<stage>/``.

(We go through ``aws_s3_assets.Asset`` rather than calling the stack synthesizer from Python: with
jsii, ``stack.synthesizer`` of a reusable synthesizer points at the unbound original.)
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from aws_cdk import AssetHashType
from aws_cdk import aws_s3_assets as s3_assets
from constructs import Construct

from constructs_lib.constructs.hashing import b64, file_sha256
from constructs_lib.constructs.placement import stack_of

__all__ = ["ASSET_LOCATION", "ZipAsset", "add_zip_asset"]

#: attribute a stack carries when its file assets go to a literal ``(bucket, key prefix)``
ASSET_LOCATION = "_sls_cdk_asset_location"


@dataclass(frozen=True)
class ZipAsset:
    bucket_name: str
    object_key: str
    code_sha256: str
    """base64 SHA-256 of the zip, as Lambda reports ``CodeSha256``."""


def add_zip_asset(scope: Construct, artifact: Path, id_: str = "Code") -> ZipAsset:
    digest = file_sha256(artifact)
    asset = s3_assets.Asset(
        scope, id_, path=str(artifact), asset_hash=digest.hex(), asset_hash_type=AssetHashType.CUSTOM
    )
    location = stack_of(scope).__dict__.get(ASSET_LOCATION)
    if location is not None:
        # Known place (a named bucket): the key is CDK's rule, prefix + sha256(custom hash) + the
        # file's extension, computed here instead of two jsii round trips (tests/test_constructs.py
        # checks it against CDK's own value).
        bucket, prefix = location
        source_hash = hashlib.sha256(digest.hex().encode()).hexdigest()
        # the extension of the staged file ``asset.<hash><suffix>`` (".<hash>" when there is none)
        key = f"{prefix}{source_hash}{artifact.suffix or '.' + source_hash}"
        return ZipAsset(bucket, key, b64(digest))
    return ZipAsset(asset.s3_bucket_name, asset.s3_object_key, b64(digest))
