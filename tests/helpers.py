"""Shared test helpers: synthesizing projects and normalizing templates."""

from __future__ import annotations

import copy
import json
import os
import re
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "examples" / "seed"
#: every Serverless v3 reference case, one folder each (see tests/reference/sls3/README.md)
REFERENCE = ROOT / "tests" / "reference" / "sls3"

os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")


def ensure_seed_built() -> None:
    """Run the example's build script (deterministic) for both services if a zip is missing."""
    for service in ("test", "auth"):
        if not (SEED / "api" / "v1" / service / "boot.zip").is_file():
            subprocess.run(
                ["sh", str(SEED / "build.api.direct.sh"), service, "linux", "arm64"],
                check=True,
                capture_output=True,
            )


#: v3's compiled template, one per service folder of a case
V3_TEMPLATE = "cloudformation-template-update-stack.json"
COMPOSE_FILE = "serverless-compose.yml"
#: ``{cfn-lint rule: why this case's input trips it}``, only in the cases that need it
LINT_EXEMPTIONS = "lint-exemptions.json"
#: v3's configuration warnings for a case (``at '<path>': <message>`` per line), where it gave any
V3_WARNINGS = "v3-warnings.txt"
_STAGE_FLAG = re.compile(r"--stage[ =](\S+)")


@dataclass(frozen=True)
class ReferenceCase:
    """One folder of :data:`REFERENCE`, described by its own files (nothing is listed elsewhere).

    * entry: ``serverless-compose.yml`` when the folder has one, else ``.`` (a single service);
    * stage: the ``--stage`` of the v3 command recorded in the folder's README.md;
    * templates: v3's compiled templates (none for a folder that records deploy calls only)."""

    name: str
    folder: Path
    entry: str
    stage: str
    templates: tuple[Path, ...]

    @property
    def target(self) -> Path:
        """What to synthesize: the service folder or the compose file (a case with
        ``git-repo.json``: in a copy inside that repository, see tests/reference/git_repo.py)."""
        from tests.reference.git_repo import prepared

        return prepared(self.folder / self.entry)

    @property
    def lint_exemptions(self) -> dict[str, str]:
        file = self.folder / LINT_EXEMPTIONS
        return dict(json.loads(file.read_text())) if file.is_file() else {}


def recorded_stage(readme: Path) -> str:
    """The stage of the v3 command a case's README records (every ``--stage`` in it must agree)."""
    stages: set[str] = set(_STAGE_FLAG.findall(readme.read_text()) if readme.is_file() else ())
    if len(stages) != 1:
        raise ValueError(f"{readme}: the recorded v3 command must name one --stage, found {sorted(stages)}")
    return stages.pop()


def reference_case(folder: Path) -> ReferenceCase:
    entry = COMPOSE_FILE if (folder / COMPOSE_FILE).is_file() else "."
    return ReferenceCase(
        name=folder.name,
        folder=folder,
        entry=entry,
        stage=recorded_stage(folder / "README.md"),
        templates=tuple(sorted(folder.rglob(V3_TEMPLATE))),
    )


def reference_cases() -> list[ReferenceCase]:
    """Every case folder ``tests/reference/sls3/*/``, sorted by name."""
    return [reference_case(d) for d in sorted(REFERENCE.iterdir()) if d.is_dir()]


def template_cases() -> list[ReferenceCase]:
    """The cases holding v3 templates: what parity, snapshot and lint tests synthesize."""
    return [case for case in reference_cases() if case.templates]


_SYNTH_CACHE: dict[str, dict[str, dict[str, Any]]] = {}


def synth(path: Path, **kwargs: Any) -> dict[str, dict[str, Any]]:
    """Synthesize ``path`` (service or compose) and return ``{stack name: template}``.

    Results are shared within the test session (a private copy each time): parity, snapshot,
    assertion and lint tests read the same synthesized templates."""
    key = json.dumps([str(Path(path).resolve()), sorted(kwargs.items())], default=str)
    if key not in _SYNTH_CACHE:
        _SYNTH_CACHE[key] = _synth(path, **kwargs)
    return copy.deepcopy(_SYNTH_CACHE[key])


def synthesized() -> dict[str, dict[str, dict[str, Any]]]:
    """Everything synthesized so far in this session (for whole-suite checks such as cfn-lint)."""
    return copy.deepcopy(_SYNTH_CACHE)


def _synth(path: Path, **kwargs: Any) -> dict[str, dict[str, Any]]:
    from constructs_lib.cli.synthesis import in_v3_section_order
    from stacks import ComposeApp
    from tests.reference.git_repo import prepared

    outdir = tempfile.mkdtemp(prefix="sls-cdk-test-")
    app = ComposeApp.from_path(prepared(Path(path)), outdir=outdir, **kwargs)
    app.synth()
    in_v3_section_order(app, Path(outdir))  # as every synthesis path ends (constructs_lib/cli/synthesis.py)
    return {
        stack.stack_name: json.loads((Path(outdir) / f"{stack.stack_name}.template.json").read_text())
        for stack in app.stacks.values()
    }


_ASSET_KEY = re.compile(r"[0-9a-f]{64}(\.zip)$")


def normalize_assets(template: dict[str, Any]) -> dict[str, Any]:
    """Replace the content hash in asset S3 keys (it moves with the artifact's bytes, which the
    snapshot does not pin) and ``forceDeploy`` timestamps (new each synthesis, on purpose) by
    placeholders; everything else is kept as synthesized."""
    out = copy.deepcopy(template)
    for res in out.get("Resources", {}).values():
        if res.get("Type", "").startswith("Custom::") and "ForceDeploy" in res.get("Properties", {}):
            res["Properties"]["ForceDeploy"] = "<synthesis time>"
        for key in ("Code", "Content"):
            code = res.get("Properties", {}).get(key)
            if isinstance(code, dict) and isinstance(code.get("S3Key"), str):
                code["S3Key"] = _ASSET_KEY.sub(r"<asset-sha256>\1", code["S3Key"])
    for name, output in out.get("Outputs", {}).items():
        if name.endswith("LambdaLayerS3Key") and isinstance(output.get("Value"), str):
            output["Value"] = _ASSET_KEY.sub(r"<asset-sha256>\1", output["Value"])
    return out


#: what v3 zipped per case (written by tests/reference/regenerate.py): ``{zip: {path: {sha256, mode}}}``
V3_ZIPS = "v3-zips.json"


@dataclass(frozen=True)
class ZipAllowance:
    """One documented difference between one of our zips and v3's: entries matching ``pattern``
    (fnmatch, on the path in the zip) may be ``missing`` from ours, ``extra`` in ours, or have
    other ``bytes``; ``why`` says why it is right."""

    pattern: str
    kinds: frozenset[str]
    why: str


#: the differences compare_zip allows, each with its reason
ZIP_ALLOWANCES: tuple[ZipAllowance, ...] = (
    ZipAllowance(
        "*__pycache__/*.pyc",
        frozenset({"missing"}),
        "pip compiled bytecode with the interpreter that ran v3's plugin (the host's, stamped with "
        "the install time); we install with --no-compile for the function's runtime, which "
        "compiles on import",
    ),
    ZipAllowance(
        "*.dist-info/RECORD",
        frozenset({"bytes"}),
        "pip's install record lists the bytecode files it compiled (see above) and the scripts' "
        "interpreter path",
    ),
    ZipAllowance(
        "bin/*",
        frozenset({"bytes"}),
        "console scripts start with the path of the interpreter that ran pip (v3's host python)",
    ),
)


#: files of a case folder that are not v3's inputs (regenerate.py leaves them out of its runs)
_CASE_NOTES = (
    "README.md",
    V3_TEMPLATE,
    "cloudformation-template-create-stack.json",
    "serverless-state.json",
    V3_ZIPS,
    V3_WARNINGS,
    LINT_EXEMPTIONS,
    "*.log",
)

#: with ``arm64=True``: v3's plugin (not dockerized) installed the host's x86_64 wheels even for an
#: arm64 function, which cannot load them; we install the aarch64 wheels. So v3's file names
#: holding ``x86_64`` are compared with ours holding ``aarch64``, and the files a binary wheel
#: builds per platform (its libraries, its WHEEL tag, its RECORD of both) may differ in bytes.
ARM64_ALLOWANCES: tuple[ZipAllowance, ...] = (
    ZipAllowance("*.so", frozenset({"bytes"}), "the library built for aarch64, not x86_64"),
    ZipAllowance("*.dist-info/WHEEL", frozenset({"bytes"}), "the wheel's platform tag"),
    ZipAllowance("*.dist-info/RECORD", frozenset({"bytes"}), "the record of the files above"),
)


def compare_zip(
    ours: Path, case: ReferenceCase, name: str, service: str = ".", *, arm64: bool = False
) -> list[str]:
    """The differences between our zip ``ours`` and what v3 zipped into ``name`` for ``case``
    (file list, bytes and mode; timestamps and entry order aside) that :data:`ZIP_ALLOWANCES`
    (and :data:`ARM64_ALLOWANCES` for an ``arm64`` function's code) do not allow, one line each
    (empty: the same)."""
    import fnmatch
    import hashlib
    import zipfile

    theirs: dict[str, dict[str, str]] = json.loads((case.folder / service / V3_ZIPS).read_text())[name]
    allowances = (*ZIP_ALLOWANCES, *(ARM64_ALLOWANCES if arm64 else ()))
    if arm64:
        theirs = {path.replace("x86_64", "aarch64"): entry for path, entry in theirs.items()}
    with zipfile.ZipFile(ours) as zf:
        mine = {
            info.filename: {
                "sha256": hashlib.sha256(zf.read(info)).hexdigest(),
                "mode": oct((info.external_attr >> 16) & 0o7777),
            }
            for info in zf.infolist()
            if not info.is_dir()
        }

    def allowed(path: str, kind: str) -> bool:
        return any(kind in a.kinds and fnmatch.fnmatchcase(path, a.pattern) for a in allowances)

    def note(path: str) -> bool:  # the case's own files, which v3 was not given (regenerate.py)
        return any(fnmatch.fnmatchcase(path, n) for n in _CASE_NOTES)

    problems = [f"missing: {p}" for p in sorted(theirs.keys() - mine.keys()) if not allowed(p, "missing")]
    problems += [
        f"extra: {p}" for p in sorted(mine.keys() - theirs.keys()) if not allowed(p, "extra") and not note(p)
    ]
    for path in sorted(mine.keys() & theirs.keys()):
        if mine[path]["sha256"] != theirs[path]["sha256"] and not allowed(path, "bytes"):
            problems.append(f"bytes differ: {path}")
        elif mine[path]["mode"] != theirs[path]["mode"] and not allowed(path, "mode"):
            problems.append(f"mode {mine[path]['mode']} != v3's {theirs[path]['mode']}: {path}")
    return problems
