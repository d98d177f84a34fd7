"""``ServerlessLayer``: a ``layers.<key>`` entry as v3 compiles it.

``<L>LambdaLayer`` (``AWS::Lambda::LayerVersion``; with ``retain: true`` the logical ID carries
v3's content hash and the version is retained), one ``LayerVersionPermission`` per allowed
account, and the ``QualifiedArn`` / ``Hash`` / ``S3Key`` outputs. The hash is v3's: SHA-1 over
the JSON of the resource (without its S3 key) and the artifact's bytes, so retained layers keep
their logical IDs. When the deployed stack already holds the same content (``deployed``,
:mod:`constructs_lib.loader.layer_takeover`), the layer points at that S3 key, as v3's
``compareWithLastLayer`` does, and nothing is uploaded: the version is kept.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from aws_cdk import CfnDeletionPolicy, Token
from aws_cdk import aws_lambda as lambda_
from constructs import Construct

from constructs_lib import naming
from constructs_lib.config.model import Layer
from constructs_lib.constructs.assets import ZipAsset, add_zip_asset
from constructs_lib.constructs.hashing import LayerHashInput, b64, file_sha256, js_json
from constructs_lib.constructs.overrides import override_property
from constructs_lib.constructs.placement import output
from constructs_lib.loader.layer_takeover import DeployedLayer

__all__ = ["ServerlessLayer"]


class ServerlessLayer(Construct):
    """One layer; ``hash_input`` is what functions referencing it put into their version digest.

    :param v3_bucket: the ``S3Bucket`` v3 writes (the named bucket, or a ``Ref`` to
        ``ServerlessDeploymentBucket``): it is part of v3's hashes, wherever CDK puts the asset.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        key: str,
        layer: Layer,
        artifact: Path,
        artifact_as_written: str,
        service: str,
        stage: str,
        v3_bucket: str | dict[str, str],
        deployed: DeployedLayer | None = None,
    ) -> None:
        super().__init__(scope, id)
        asset = self._content(artifact, v3_bucket, deployed.key if deployed else None)
        props: dict[str, Any] = {"Content": {"S3Bucket": v3_bucket}, "LayerName": layer.name or key}
        if layer.description:
            props["Description"] = layer.description
        if layer.license_info:
            props["LicenseInfo"] = layer.license_info
        if layer.compatible_runtimes:
            props["CompatibleRuntimes"] = list(layer.compatible_runtimes)
        if layer.compatible_architectures:
            props["CompatibleArchitectures"] = list(layer.compatible_architectures)
        sha = hashlib.sha1(js_json({"Type": "AWS::Lambda::LayerVersion", "Properties": props}).encode())
        sha.update(artifact.read_bytes())
        # the deployed content kept: its hash is v3's (a retained layer's logical ID carries it)
        self.sha = deployed.sha if deployed and deployed.sha else sha.hexdigest()
        self.logical_id = naming.layer_logical_id(key) + (self.sha if layer.retain else "")

        self.cfn_layer = lambda_.CfnLayerVersion(
            self,
            "Resource",
            content=lambda_.CfnLayerVersion.ContentProperty(
                s3_bucket=asset.bucket_name, s3_key=asset.object_key
            ),
        )
        for name, value in props.items():
            if name != "Content":
                override_property(self.cfn_layer, name, value)
        self.cfn_layer.override_logical_id(self.logical_id)
        if layer.retain:
            self.cfn_layer.cfn_options.deletion_policy = CfnDeletionPolicy.RETAIN

        for account in layer.allowed_accounts or ():
            permission = lambda_.CfnLayerVersionPermission(
                self,
                f"Permission{account}",
                action="lambda:GetLayerVersion",
                layer_version_arn=self.cfn_layer.ref,
                principal=account,
            )
            permission_id = naming.layer_permission_logical_id(key, account)
            permission.override_logical_id(permission_id + (self.sha if layer.retain else ""))
            if layer.retain:
                permission.cfn_options.deletion_policy = CfnDeletionPolicy.RETAIN

        arn_id, hash_id, key_id = naming.layer_output_logical_ids(key)
        for logical_id, value, description in (
            (arn_id, self.cfn_layer.ref, "Current Lambda layer version"),
            (hash_id, self.sha, "Current Lambda layer hash"),
            (key_id, asset.object_key, "Current Lambda layer S3Key"),
        ):
            output(
                self,
                logical_id,
                value=value,
                description=description,
                export=naming.export_name(service, stage, logical_id),
            )
        self.hash_input = LayerHashInput(
            name=key,
            ref=self.logical_id,
            properties=props,
            artifact_path=artifact_as_written,
            artifact_sha256_b64=asset.code_sha256,
        )

    def _content(self, artifact: Path, v3_bucket: str | dict[str, str], deployed_key: str | None) -> ZipAsset:
        """Our asset, or the deployed content where v3 put it (its deployment bucket, in the stack)."""
        if deployed_key is None:
            return add_zip_asset(self, artifact, "Content")
        bucket = v3_bucket if isinstance(v3_bucket, str) else Token.as_string(v3_bucket)
        return ZipAsset(bucket, deployed_key, b64(file_sha256(artifact)))
