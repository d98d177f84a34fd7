"""Zip artifacts as CDK file assets.

The asset hash is the SHA-256 of the zip's bytes (passed to CDK as a custom hash, so CDK does not
read the file again), so an unchanged artifact never changes its S3 key; with a named deployment
bucket the key sits under ``serverless/<service>/<stage>/``.

(We go through ``aws_s3_assets.Asset`` rather than calling the stack synthesizer from Python: with
jsii, ``stack.synthesizer`` of a reusable synthesizer points at the unbound original.)
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from aws_cdk import AssetHashType
from aws_cdk import aws_s3_assets as s3_assets
from constructs import Construct

from .hashing import b64, file_sha256

__all__ = ["ZipAsset", "add_zip_asset"]


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
    return ZipAsset(asset.s3_bucket_name, asset.s3_object_key, b64(digest))
