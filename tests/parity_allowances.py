"""The differences from Serverless v3 the parity test allows: one table, :data:`ALLOWANCES`.

Each row names what it matches (resource type, logical ID pattern, path inside the resource,
output or section), why it is allowed (one sentence), and the function that applies it to a
:class:`Pair` (our template and v3's for one stack). A function returns how many places it
matched where the two templates really differ: ``tests/test_parity.py`` fails on a row that no
reference case needs, and on a README whose "Differences from Serverless v3" block is not
:func:`readme_block` (generated from this table, so the README cannot drift from it:
``python -m tests.parity_allowances`` rewrites the block).

Adding a row is one entry in :data:`ALLOWANCES`, most with a predicate (``when``) and one of the
appliers here: :func:`take_v3_value` (a value at a path), :func:`take_v3_value_anywhere` (a value
at any depth), :func:`drop_ours` (an additive resource), :func:`v3_logical_id` (an ID by design);
rows apply in table order.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any


@dataclass
class Pair:
    """Our template and v3's for one stack (private copies: rows change them in place)."""

    ours: dict[str, Any]
    theirs: dict[str, Any]
    #: the case's folder (compose cases read their seeded compose state there)
    folder: Path | None = None
    #: functions whose values a row took back to v3's literals (their versions follow)
    literal_functions: set[str] = field(default_factory=set)


Apply = Callable[["Allowance", Pair], int]
Predicate = Callable[[Any, Any], bool]


#: what a predicate sees for a value one template does not hold
MISSING: Any = object()


def _present(ours: Any, v3: Any) -> bool:
    return ours is not MISSING


@dataclass(frozen=True)
class Allowance:
    """One allowed difference. ``apply`` changes the pair so the difference is gone and returns the
    number of places it did so (0: this pair does not need the row)."""

    id: str
    reason: str
    apply: Apply
    resource_type: str = ""  # fnmatch pattern of resource types ("Custom::*")
    logical_id: str = ""  # regular expression, matched in full
    path: str = ""  # dotted path inside the resource, output or section ("Properties.Code.S3Key")
    output: str = ""  # regular expression of output logical IDs, matched in full
    section: str = ""  # a top-level template section
    when: Predicate = _present  # (our value or MISSING, v3's value) -> the row applies here
    described: str = ""  # what it matches, in words, where the fields above cannot say it

    @property
    def matches(self) -> str:
        """What the row matches, in words (the README column)."""
        if self.described:
            return self.described
        parts = [
            f"type `{self.resource_type}`" if self.resource_type else "",
            f"logical ID `{self.logical_id}`" if self.logical_id else "",
            f"output `{self.output}`" if self.output else "",
            f"section `{self.section}`" if self.section else "",
            f"`{self.path}`" if self.path else "",
        ]
        return ", ".join(p for p in parts if p) or "the whole template"

    def resources(self, template: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
        """``(logical ID, resource)`` of ``template`` this row's type and logical ID match."""
        for lid, res in list(template.get("Resources", {}).items()):
            if self.resource_type and not fnmatchcase(str(res.get("Type")), self.resource_type):
                continue
            if self.logical_id and not re.fullmatch(self.logical_id, lid):
                continue
            yield lid, res


def _get(node: Any, path: str) -> Any:
    for key in path.split(".") if path else ():
        if not isinstance(node, dict) or key not in node:
            return MISSING
        node = node[key]
    return node


def _set(node: dict[str, Any], path: str, value: Any) -> None:
    *parents, last = path.split(".")
    for key in parents:
        node = node.setdefault(key, {})
    node[last] = value


def take_v3_value(row: Allowance, pair: Pair) -> int:
    """Where both templates hold ``row.path`` (in a matching resource, output or section), the
    values differ and ``row.when(ours, v3)`` holds: ours becomes v3's."""
    if row.section:
        places = [(pair.ours, pair.theirs, f"{row.section}.{row.path}".rstrip("."))]
    elif row.output:
        our_out, their_out = pair.ours.get("Outputs", {}), pair.theirs.get("Outputs", {})
        places = [
            (our_out[key], out, row.path)
            for key, out in their_out.items()
            if re.fullmatch(row.output, key) and key in our_out
        ]
    else:
        mine = pair.ours.get("Resources", {})
        places = [(mine[lid], res, row.path) for lid, res in row.resources(pair.theirs) if lid in mine]
    hits = 0
    for our_node, their_node, path in places:
        ours, v3 = _get(our_node, path), _get(their_node, path)
        if v3 is MISSING or ours == v3 or not row.when(ours, v3):
            continue
        _set(our_node, path, v3)
        hits += 1
    return hits


def _take_where(row: Allowance, mine: Any, v3: Any) -> tuple[Any, int]:
    """``mine`` with v3's value at every depth where ``row.when`` holds for two differing values
    at the same place; the number of places."""
    if mine != v3 and row.when(mine, v3):
        return v3, 1
    hits = 0
    if isinstance(mine, dict) and isinstance(v3, dict):
        for key in mine.keys() & v3.keys():
            mine[key], sub = _take_where(row, mine[key], v3[key])
            hits += sub
    elif isinstance(mine, list) and isinstance(v3, list) and len(mine) == len(v3):
        for i, (a, b) in enumerate(zip(mine, v3, strict=True)):
            mine[i], sub = _take_where(row, a, b)
            hits += sub
    return mine, hits


def take_v3_value_anywhere(row: Allowance, pair: Pair) -> int:
    """Like :func:`take_v3_value` for a value that may sit at any depth of a matching resource
    (e.g. a literal v3 resolved where we keep an intrinsic): wherever ``row.when(ours, v3)`` holds
    for two differing values at the same place, ours becomes v3's."""

    total = 0
    resources = pair.ours.get("Resources", {})
    for lid, res in row.resources(pair.theirs):
        if lid in resources:
            resources[lid], hits = _take_where(row, resources[lid], res)
            total += hits
    return total


def drop_ours(row: Allowance, pair: Pair) -> int:
    """Our resources matching the row that v3's template does not have are left out (additive)."""
    extra = [lid for lid, _ in row.resources(pair.ours) if lid not in pair.theirs.get("Resources", {})]
    for lid in extra:
        del pair.ours["Resources"][lid]
    return len(extra)


def _rename(pair: Pair, renames: dict[str, str]) -> None:
    """Logical IDs of ours renamed everywhere (keys, ``Ref``, ``Fn::GetAtt``, ``DependsOn``)."""
    text = json.dumps(pair.ours)
    for old, new in renames.items():
        text = text.replace(f'"{old}"', f'"{new}"')
    pair.ours = json.loads(text)


def v3_logical_id(row: Allowance, pair: Pair) -> int:
    """One matching resource on each side under different IDs: ours takes v3's ID."""
    mine = [lid for lid, _ in row.resources(pair.ours)]
    v3 = [lid for lid, _ in row.resources(pair.theirs)]
    if len(mine) != 1 or len(v3) != 1 or mine == v3:
        return 0
    _rename(pair, {mine[0]: v3[0]})
    return 1


def _compose_literals(folder: Path | None) -> set[str]:
    """Output values compose pasted into v3's templates (from the seeded compose state)."""
    values: set[str] = set()
    for state in folder.glob("compose-state.*.seeded.json") if folder else ():
        for component in json.loads(state.read_text())["components"].values():
            values.update(str(v) for v in component.get("outputs", {}).values())
    return values


def compose_literals(row: Allowance, pair: Pair) -> int:
    """Where v3 holds a literal another service's output had, and we an intrinsic there: v3's."""
    literals = _compose_literals(pair.folder)

    def accept(mine: Any, v3: Any) -> tuple[Any, int]:
        if isinstance(v3, str) and v3 in literals and isinstance(mine, dict):
            return v3, 1
        hits = 0
        if isinstance(mine, dict) and isinstance(v3, dict):
            for key in mine.keys() & v3.keys():
                mine[key], sub = accept(mine[key], v3[key])
                hits += sub
        return mine, hits

    total = 0
    resources = pair.ours.get("Resources", {})
    for lid, res in pair.theirs.get("Resources", {}).items():
        if literals and lid in resources:
            resources[lid], hits = accept(resources[lid], res)
            if hits:
                pair.literal_functions.add(lid)
            total += hits
    return total


def literal_versions(row: Allowance, pair: Pair) -> int:
    """The version of a function a literal row changed: ours takes v3's version ID."""

    def versions(template: dict[str, Any], fn: str) -> list[str]:
        return [lid for lid, r in row.resources(template) if r["Properties"]["FunctionName"] == {"Ref": fn}]

    renames: dict[str, str] = {}
    for fn in pair.literal_functions:
        mine, v3 = versions(pair.ours, fn), versions(pair.theirs, fn)
        if len(mine) == 1 and len(v3) == 1 and mine != v3:
            renames[mine[0]] = v3[0]
    _rename(pair, renames)
    return len(renames)


def warmer_versions(row: Allowance, pair: Pair) -> int:
    """A warmer's version: ours takes v3's ID and ``CodeSha256`` (matched by the function it versions)."""

    def versions(template: dict[str, Any]) -> dict[str, str]:
        return {
            r["Properties"]["FunctionName"]["Ref"]: lid
            for lid, r in row.resources(template)
            if re.fullmatch(r"WarmUpPlugin.+LambdaFunction", str(r["Properties"]["FunctionName"].get("Ref")))
        }

    mine, v3 = versions(pair.ours), versions(pair.theirs)
    renames = {mine[fn]: lid for fn, lid in v3.items() if fn in mine and mine[fn] != lid}
    _rename(pair, renames)
    for lid in renames.values():
        ours, theirs = pair.ours["Resources"][lid], pair.theirs["Resources"][lid]
        ours["Properties"]["CodeSha256"] = theirs["Properties"]["CodeSha256"]
    return len(renames)


def _plugin_built(pair: Pair) -> bool:
    """A case whose code a packaging plugin built keeps what v3 zipped (``v3-zips.json``)."""
    return pair.folder is not None and any(pair.folder.rglob("v3-zips.json"))


def built_code_versions(row: Allowance, pair: Pair) -> int:
    """In a case a packaging plugin built: every version takes v3's ID and ``CodeSha256``
    (matched by the function it versions), and every layer hash output v3's value."""
    if not _plugin_built(pair):
        return 0

    def versions(template: dict[str, Any]) -> dict[str, str]:
        return {
            str(r["Properties"]["FunctionName"].get("Ref")): lid
            for lid, r in template.get("Resources", {}).items()
            if r.get("Type") == "AWS::Lambda::Version"
        }

    mine, v3 = versions(pair.ours), versions(pair.theirs)
    renames = {mine[fn]: lid for fn, lid in v3.items() if fn in mine and mine[fn] != lid}
    _rename(pair, renames)
    hits = len(renames)
    for lid in v3.values():
        ours, theirs = pair.ours["Resources"].get(lid), pair.theirs["Resources"][lid]["Properties"]
        if ours is not None and ours["Properties"].get("CodeSha256") != theirs.get("CodeSha256"):
            ours["Properties"]["CodeSha256"] = theirs["CodeSha256"]
            hits += lid not in renames.values()
    for key, out in pair.theirs.get("Outputs", {}).items():
        mine_out = pair.ours.get("Outputs", {}).get(key)
        if key.endswith("LambdaLayerHash") and mine_out is not None and mine_out != out:
            pair.ours["Outputs"][key] = copy.deepcopy(out)
            hits += 1
    return hits


#: the account the reference cases' stubbed STS answers (tests/reference/stub-aws.js)
REFERENCE_ACCOUNT = "123456789012"
_ACCOUNT_PLACEHOLDER = "${AWS::AccountId}"


def _account_resolved(ours: Any, v3: Any) -> bool:
    """Ours ``{"Fn::Sub": "...${AWS::AccountId}..."}`` (or that text inside a Fn::Sub), v3's the same
    text with the account STS gave it."""
    text = ours.get("Fn::Sub") if isinstance(ours, dict) and len(ours) == 1 else ours
    if not (isinstance(text, str) and isinstance(v3, str) and _ACCOUNT_PLACEHOLDER in text):
        return False
    # v3's own Fn::Sub strings keep their ${AWS::AccountId}: each placeholder may be either
    either = f"(?:{re.escape(_ACCOUNT_PLACEHOLDER)}|{REFERENCE_ACCOUNT})"
    pattern = either.join(re.escape(part) for part in text.split(_ACCOUNT_PLACEHOLDER))
    return REFERENCE_ACCOUNT in v3 and re.fullmatch(pattern, v3) is not None


def account_id_literals(row: Allowance, pair: Pair) -> int:
    """Where v3 holds the account ID it read from STS at package time and we the pseudo parameter
    (in resources and outputs): v3's; the functions touched are noted for their versions."""

    total = 0
    for section in ("Resources", "Outputs"):
        ours = pair.ours.get(section, {})
        for lid, value in pair.theirs.get(section, {}).items():
            if lid in ours:
                ours[lid], hits = _take_where(row, ours[lid], value)
                total += hits
                if hits and value.get("Type") == "AWS::Lambda::Function":
                    pair.literal_functions.add(lid)
    return total


_CONTENT_HASH_KEY = re.compile(r"(.+)/[0-9a-f]{64}\.zip")
_TIMESTAMPED_KEY = re.compile(r"(.+)/\d+-[^/]+/[^/]+\.zip")


def _same_folder_keys(ours: Any, v3: Any) -> bool:
    """``<prefix>/<sha256>.zip`` (ours) and ``<prefix>/<millis>-<time>/<name>.zip`` (v3's)."""
    mine = _CONTENT_HASH_KEY.fullmatch(ours) if isinstance(ours, str) else None
    theirs = _TIMESTAMPED_KEY.fullmatch(v3) if isinstance(v3, str) else None
    return bool(mine and theirs and mine.group(1) == theirs.group(1))


def _v3_in_stack_bucket(ours: Any, v3: Any) -> bool:
    return ours is not MISSING and v3 == {"Ref": "ServerlessDeploymentBucket"}


def _both_timestamps(ours: Any, v3: Any) -> bool:
    return all(isinstance(v, int | str) and not isinstance(v, bool) and str(v).isdigit() for v in (ours, v3))


def _v3_empty_list(ours: Any, v3: Any) -> bool:
    return ours is MISSING and v3 == []


def _one_item_list(ours: Any, v3: Any) -> bool:
    """A string and the one-item list of it (v3 or CDK writes one where the other writes the other)."""
    return (isinstance(ours, str) and v3 == [ours]) or (isinstance(v3, str) and ours == [v3])


def _v3_empty_environment(ours: Any, v3: Any) -> bool:
    return ours is MISSING and v3 == {"Variables": {}}


#: v3's names of its custom-resource Lambdas (``CustomDashresourceDash<kind>LambdaFunction``)
CUSTOM_RESOURCE_FUNCTIONS = "CustomDashresourceDash.+LambdaFunction"
_TIMESTAMP_KEY_REASON = (
    "v3 puts the artifact in a timestamped folder, we under its content hash in the same bucket and "
    "prefix (an unchanged artifact never uploads again)"
)

#: every allowed difference; rows apply in this order (renames first, then additions, then values)
ALLOWANCES: tuple[Allowance, ...] = (
    Allowance(
        id="rest-api-deployment-id",
        resource_type="AWS::ApiGateway::Deployment",
        reason="v3 suffixes `ApiGatewayDeployment` with the packaging time (a new deployment on every "
        "deploy), we with a hash of the API's definition (a new deployment when the API changes)",
        apply=v3_logical_id,
    ),
    Allowance(
        id="compose-output-reference",
        described="a value of v3's template that a seeded compose state's output holds",
        reason="where v3's compose pasted another service's output value, we hold a real reference "
        "(`Fn::ImportValue` of v3's export name, or CDK's cross-region reader)",
        apply=compose_literals,
    ),
    Allowance(
        id="account-id-pseudo-parameter",
        described="a string v3 made with the account ID from STS (`${aws:accountId}` inside a name)",
        when=_account_resolved,
        reason="v3 asks STS for the account at package time and writes it literally; we write "
        "`Fn::Sub` of `${AWS::AccountId}`, which CloudFormation resolves to the same account at deploy "
        "(synth needs no credentials, and the template deploys to any account)",
        apply=account_id_literals,
    ),
    Allowance(
        id="literal-function-version",
        resource_type="AWS::Lambda::Version",
        reason="the version hash follows the function's properties, so a function holding a compose "
        "reference or the account pseudo parameter has another version ID",
        apply=literal_versions,
    ),
    Allowance(
        id="warmer-code-hash",
        resource_type="AWS::Lambda::Version",
        described="the version of a `WarmUpPlugin<Warmer>LambdaFunction`: its ID and `CodeSha256`",
        reason="serverless-plugin-warmup's code is zipped by v3 with Node's zlib, ours by Python's: "
        "the same entry, bytes and mode, other deflate bytes, so the code hash and the version ID "
        "that follows it differ",
        apply=warmer_versions,
    ),
    Allowance(
        id="plugin-built-code-hash",
        resource_type="AWS::Lambda::Version",
        described="in a case whose code a packaging plugin built (it keeps `v3-zips.json`): each "
        "version's ID and `CodeSha256`, and the `<Layer>LambdaLayerHash` outputs",
        reason="the built files are held to v3's file by file (`tests/helpers.py` `compare_zip`, "
        "with its documented allowances); the zips' bytes differ (v3's plugins zip with JSZip, "
        "with the host's bytecode and file times), so the code hash, the version ID and the layer "
        "hash that follow them differ",
        apply=built_code_versions,
    ),
    Allowance(
        id="cdk-cross-region-exports",
        logical_id="(ExportsReader|ExportsWriter|CustomCrossRegionExport(Reader|Writer)CustomResourceProvider).*",
        reason="CDK's cross-region export reader and writer (a custom resource, its Lambda and role) "
        "carry a compose reference to another region (additive)",
        apply=drop_ours,
    ),
    Allowance(
        id="function-url-invoke-permission",
        resource_type="AWS::Lambda::Permission",
        logical_id=".+LambdaPermissionFn",
        reason="since October 2025 AWS requires a second permission for a new public function URL "
        "(`lambda:InvokeFunction`, principal `*`, `InvokedViaFunctionUrl: true`); v3 predates it "
        "(additive, the maintained fork's logical ID)",
        apply=drop_ours,
    ),
    Allowance(
        id="rest-stage-settings",
        logical_id="ApiGatewayStageSettings|IamRoleApiGatewayStageSettingsLambdaExecution"
        "|CustomDashresourceDashapigwDashstageLambdaFunction",
        reason="v3 patches the REST stage (`tracing.apiGateway`, `apiGateway.metrics`, `logs.restApi`) "
        "with API calls after deploying; we do it in the stack, with a custom resource, its Lambda "
        "and role (additive; it runs again after each new API deployment)",
        apply=drop_ours,
    ),
    Allowance(
        id="empty-environment",
        resource_type="AWS::Lambda::Function",
        path="Properties.Environment",
        when=_v3_empty_environment,
        reason="v3 writes `Environment: {Variables: {}}` where every variable is unset (a warmer unsets "
        "the provider's); CDK drops empty objects: Lambda reads no `Environment` as no variables",
        apply=take_v3_value,
    ),
    Allowance(
        id="lambda-code-s3key",
        resource_type="AWS::Lambda::Function",
        path="Properties.Code.S3Key",
        when=_same_folder_keys,
        reason=_TIMESTAMP_KEY_REASON,
        apply=take_v3_value,
    ),
    Allowance(
        id="layer-content-s3key",
        resource_type="AWS::Lambda::LayerVersion",
        path="Properties.Content.S3Key",
        when=_same_folder_keys,
        reason=_TIMESTAMP_KEY_REASON + "; taking a stack over publishes one new layer version, as v3 "
        "does whenever the key changes",
        apply=take_v3_value,
    ),
    Allowance(
        id="layer-s3key-output",
        output=".+LambdaLayerS3Key",
        path="Value",
        when=_same_folder_keys,
        reason="the layer's S3 key output follows its `Content.S3Key`",
        apply=take_v3_value,
    ),
    Allowance(
        id="lambda-code-bootstrap-bucket",
        resource_type="AWS::Lambda::Function",
        path="Properties.Code.S3Bucket",
        when=_v3_in_stack_bucket,
        reason="without `deploymentBucket.name` the code is in CDK's bootstrap bucket, not "
        "`Ref: ServerlessDeploymentBucket` (CDK cannot upload into a bucket the same stack creates); "
        "the bucket and its policy stay in the stack as v3 made them",
        apply=take_v3_value,
    ),
    Allowance(
        id="layer-content-bootstrap-bucket",
        resource_type="AWS::Lambda::LayerVersion",
        path="Properties.Content.S3Bucket",
        when=_v3_in_stack_bucket,
        reason="as for functions' code: without `deploymentBucket.name` a layer's zip is in CDK's "
        "bootstrap bucket, not `Ref: ServerlessDeploymentBucket`",
        apply=take_v3_value,
    ),
    Allowance(
        id="custom-resource-handler",
        resource_type="AWS::Lambda::Function",
        logical_id=CUSTOM_RESOURCE_FUNCTIONS,
        path="Properties.Handler",
        reason="our custom-resource Lambdas (existing S3 buckets and Cognito pools, the API Gateway "
        "account role) are Python, tested against moto, v3's Node.js: same names, role and physical "
        "IDs, so a takeover updates them in place",
        apply=take_v3_value,
    ),
    Allowance(
        id="custom-resource-runtime",
        resource_type="AWS::Lambda::Function",
        logical_id=CUSTOM_RESOURCE_FUNCTIONS,
        path="Properties.Runtime",
        reason="the same Lambdas run on a Python runtime instead of v3's Node.js one",
        apply=take_v3_value,
    ),
    Allowance(
        id="custom-resource-force-deploy",
        resource_type="Custom::*",
        path="Properties.ForceDeploy",
        when=_both_timestamps,
        reason="`ForceDeploy` stamps the synthesis time, as v3 stamps the packaging time (a new value "
        "on every build is its purpose)",
        apply=take_v3_value,
    ),
    Allowance(
        id="depends-on-string",
        path="DependsOn",
        when=_one_item_list,
        reason="v3 sometimes writes `DependsOn` as a string, CDK always as a list (CloudFormation "
        "reads both alike)",
        apply=take_v3_value,
    ),
    Allowance(
        id="depends-on-empty",
        resource_type="AWS::Lambda::EventSourceMapping",
        path="DependsOn",
        when=_v3_empty_list,
        reason="v3 writes `DependsOn: []` on some event source mappings, we write no `DependsOn` "
        "(the same: no dependency)",
        apply=take_v3_value,
    ),
    Allowance(
        id="transform-string",
        section="Transform",
        when=_one_item_list,
        reason="v3's schema turns `resources.Transform: X` into `[X]`, CDK writes one transform as a "
        "string (CloudFormation reads both alike)",
        apply=take_v3_value,
    ),
)


def apply_allowances(pair: Pair, table: tuple[Allowance, ...] = ALLOWANCES) -> dict[str, int]:
    """Every row applied to ``pair`` in order; ``{row id: places it matched}``."""
    return {row.id: row.apply(row, pair) for row in table}


README = Path(__file__).resolve().parent.parent / "README.md"
BEGIN, END = "<!-- parity-allowances:begin -->", "<!-- parity-allowances:end -->"


def readme_block(table: tuple[Allowance, ...] = ALLOWANCES) -> str:
    """The README's list of allowed differences, one line per row (between the markers)."""
    lines = [f"* `{row.id}` ({row.matches}): {row.reason}." for row in table]
    return "\n".join([BEGIN, *lines, END])


def readme_text(text: str) -> str:
    """``text`` (the README) with its block replaced by :func:`readme_block`."""
    start, end = text.index(BEGIN), text.index(END) + len(END)
    return text[:start] + readme_block() + text[end:]


if __name__ == "__main__":
    README.write_text(readme_text(README.read_text()))
