"""Regenerate v3's templates of the reference cases with Serverless Framework 3.40.0, offline.

    python tests/reference/regenerate.py [--check] [-j N] [CASE ...]     (or: make reference)

For each case folder of ``tests/reference/sls3/`` (or the ones named): copy its inputs into a
temporary folder, run ``serverless package --stage <stage>`` there as the case README records it
(fake credentials, telemetry and notifications off, AWS answered by ``stub-aws.js``; a compose
case's ``compose-state.<stage>.seeded.json`` is put where compose keeps its state first), and
write what v3 compiled back into the case folder: ``cloudformation-template-update-stack.json``
per service, and ``cloudformation-template-create-stack.json``, ``serverless-state.json`` and the
compose ``compose-state.<stage>.json`` where the case keeps them.

v3 stamps every run with the time (S3 keys, REST deployment IDs, ``ForceDeploy``; compose adds a
random state id), and the order of some keys follows which async work finished first: a file whose
only differences are those is left untouched, so regenerating an unchanged case changes
nothing in git. ``--check`` writes nothing and exits 1 on any real difference.

serverless@3.40.0, @serverless/compose@1.3.0 and the plugins the cases list (:data:`PACKAGES`) are
installed from npm, pinned, once into ``$XDG_CACHE_HOME/sls-cdk/sls3/`` (``~/.cache/sls-cdk/sls3/``;
``SLS_CDK_CACHE`` overrides the ``sls-cdk`` folder). A case holding ``git-repo.json`` is compiled
inside the repository it describes (``git_repo.py``). Nothing here runs from the test suite.
"""

from __future__ import annotations

import argparse
import difflib
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

from tests.helpers import LINT_EXEMPTIONS, REFERENCE, V3_WARNINGS, ReferenceCase, reference_case  # noqa: E402
from tests.reference.git_repo import make_repo  # noqa: E402
from tests.reference.node_deps import install as install_node_deps  # noqa: E402

#: the npm packages v3's runs need, pinned (compose and the scripts plugin for the seed example,
#: the plugins the f46-f54 cases list)
PACKAGES = {
    "serverless": "3.40.0",
    "@serverless/compose": "1.3.0",
    "serverless-plugin-scripts": "1.0.2",
    "serverless-plugin-warmup": "8.4.1",
    "serverless-plugin-git-variables": "5.2.0",
    "serverless-dotenv-plugin": "6.0.0",
    "serverless-iam-roles-per-function": "3.2.0",
    "serverless-python-requirements": "6.1.2",
    "serverless-step-functions": "3.31.2",
    "serverless-esbuild": "1.57.2",
    "esbuild": "0.28.2",
    "esbuild-node-externals": "1.23.1",
    "serverless-plugin-typescript": "2.1.5",
    "typescript": "5.9.3",
    "serverless-webpack": "5.16.2",
    "webpack": "5.113.0",
}
STUB = HERE / "stub-aws.js"
#: v3's whole configuration schema (core and every built-in plugin), as its validator uses it
SCHEMA = HERE / "v3-schema.json"
SCHEMA_DUMPER = HERE / "dump-schema.js"
#: what v3 writes into a service's .serverless/ that a case may keep (update-stack always)
UPDATE_STACK = "cloudformation-template-update-stack.json"
SERVICE_OUTPUTS = (UPDATE_STACK, "cloudformation-template-create-stack.json", "serverless-state.json")
#: serverless-plugin-warmup's code of warmer ``X``, as the plugin zipped it into ``warmUpPluginX.zip``
WARMER_CODE = "warmup-*.mjs"
#: what v3 zipped into each ``.serverless/*.zip`` of a service: ``{zip name: {path: {sha256, mode}}}``
#: (tests/helpers.py ``compare_zip`` holds our zips to it)
V3_ZIPS = "v3-zips.json"
#: the plugins that build code: a case listing one keeps :data:`V3_ZIPS` (as does a case that has one)
ZIPPING_PLUGINS = (
    "serverless-python-requirements",
    "serverless-esbuild",
    "serverless-webpack",
    "serverless-plugin-typescript",
)
#: files of a case folder that are not v3's inputs (notes, logs, our own test data)
NOT_INPUTS = (
    "README.md",
    "*.log",
    LINT_EXEMPTIONS,
    "aws-calls-*.json",
    "compose-state.*.json",
    V3_WARNINGS,
    WARMER_CODE,
    V3_ZIPS,
    ".serverless",
    "node_modules",
    *SERVICE_OUTPUTS,
)
TIMEOUT = 300

#: the time stamps of one v3 run: ``<millis>-<ISO time>`` in S3 keys, the REST API deployment's
#: logical ID suffix, the custom resources' ``ForceDeploy``
_STAMPS = (
    (re.compile(r"\d{13}-\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z"), "<time>"),
    (re.compile(r"ApiGatewayDeployment\d{13}"), "ApiGatewayDeployment<time>"),
    (re.compile(r'"ForceDeploy": \d{13}'), '"ForceDeploy": "<time>"'),
)


def cache_dir() -> Path:
    base = os.environ.get("SLS_CDK_CACHE") or Path(
        os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache", "sls-cdk"
    )
    return Path(base) / "sls3" / f"serverless-{PACKAGES['serverless']}"


def ensure_tools() -> Path:
    """The pinned packages installed in the cache (npm runs only when the pins change)."""
    cache = cache_dir()
    marker = cache / ".installed"
    wanted = json.dumps(PACKAGES, sort_keys=True)
    if marker.is_file() and marker.read_text() == wanted and (cache / "node_modules" / ".bin").is_dir():
        return cache
    for tool in ("node", "npm"):
        if not shutil.which(tool):
            sys.exit(f"regenerate: {tool} is not on PATH")
    cache.mkdir(parents=True, exist_ok=True)
    manifest = {"name": "sls-cdk-reference-tools", "private": True, "dependencies": PACKAGES}
    (cache / "package.json").write_text(json.dumps(manifest, indent=2) + "\n")
    print(f"installing {', '.join(f'{k}@{v}' for k, v in PACKAGES.items())} into {cache} ...", flush=True)
    subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--loglevel=error"], cwd=cache, check=True)
    marker.write_text(wanted)
    return cache


def comparable(text: str, name: str) -> str:
    """The file as JSON with the run's stamps replaced and object keys sorted: v3 adds some
    resources in the order async work finishes (two functions' artifact hashes), so the key order
    of one run is not stable either. A warmer's code is compared as it is."""
    if name.endswith(".mjs"):
        return text
    for pattern, placeholder in _STAMPS:
        text = pattern.sub(placeholder, text)
    data = json.loads(text)
    if name.startswith("compose-state."):  # compose gives its state a random id on each run
        data.get("service", {})["id"] = "<id>"
    return json.dumps(data, indent=2, sort_keys=True)


@dataclass
class Result:
    case: str
    status: str = "identical"  # identical | updated | differs | skipped | failed
    notes: list[str] = field(default_factory=list)


def run_v3(case: ReferenceCase, cache: Path, work: Path) -> subprocess.CompletedProcess[str]:
    """``serverless package --stage <stage>`` on a copy of the case's inputs in ``work/case``."""
    inputs = work / "case"
    shutil.copytree(case.folder, inputs, ignore=shutil.ignore_patterns(*NOT_INPUTS))
    make_repo(inputs)  # a case with git-repo.json is compiled in that repository (git_repo.py)
    install_node_deps(inputs)  # a case's own npm dependencies, from its package-lock.json (node_deps.py)
    (work / "node_modules").symlink_to(cache / "node_modules")  # plugins and compose, found upwards
    (work / "home").mkdir()
    for seeded in case.folder.glob("compose-state.*.seeded.json"):  # an earlier deploy's outputs
        stage = seeded.name.removeprefix("compose-state.").removesuffix(".seeded.json")
        (inputs / ".serverless").mkdir(exist_ok=True)
        shutil.copyfile(seeded, inputs / ".serverless" / f"state.{stage}.json")
    env = {
        "PATH": f"{cache / 'node_modules' / '.bin'}{os.pathsep}{os.environ.get('PATH', '')}",
        "HOME": str(work / "home"),
        "AWS_ACCESS_KEY_ID": "test",
        "AWS_SECRET_ACCESS_KEY": "test",
        "SLS_TELEMETRY_DISABLED": "1",
        "SLS_NOTIFICATIONS_MODE": "off",
        "SLS_DEPRECATION_DISABLE": "*",
        "NODE_OPTIONS": f"--require {STUB}",
    }
    return subprocess.run(
        ["serverless", "package", "--stage", case.stage],
        cwd=inputs,
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )


def configuration_warnings(output: str) -> str:
    """v3's "Invalid configuration encountered" lines (``at '<path>': <message>``), one per line,
    as the case's :data:`~tests.helpers.V3_WARNINGS` holds them ("" when v3 gave none)."""
    lines: list[str] = []
    inside = False
    for line in output.splitlines():
        if line.strip().startswith("Warning: Invalid configuration encountered"):
            inside = True
        elif inside and line.strip().startswith("at "):
            lines.append(line.strip())
        else:
            inside = False
    return "".join(f"{line}\n" for line in lines)


def zip_listing(state_dir: Path) -> str | None:
    """:data:`V3_ZIPS` of one ``.serverless`` folder (None when v3 zipped nothing): every entry's
    sha256 and mode, sorted; timestamps and entry order left out."""
    listing: dict[str, dict[str, dict[str, str]]] = {}
    for archive in sorted(state_dir.glob("*.zip")):
        with zipfile.ZipFile(archive) as zf:
            listing[archive.name] = {
                info.filename: {
                    "sha256": hashlib.sha256(zf.read(info)).hexdigest(),
                    "mode": oct((info.external_attr >> 16) & 0o7777),
                }
                for info in sorted(zf.infolist(), key=lambda i: i.filename)
                if not info.is_dir()
            }
    return json.dumps(listing, indent=1, sort_keys=True) + "\n" if listing else None


def produced(case: ReferenceCase, inputs: Path) -> dict[Path, Path]:
    """``{file in the case folder: what v3 wrote}`` for the files this case keeps."""
    out: dict[Path, Path] = {}
    for state_dir in sorted(inputs.rglob(".serverless")):
        service = state_dir.parent.relative_to(inputs)
        for name in SERVICE_OUTPUTS:
            dest = case.folder / service / name
            if (state_dir / name).is_file() and (name == UPDATE_STACK or dest.is_file()):
                out[dest] = state_dir / name
        for warmer in sorted(state_dir.glob("warmUpPlugin*.zip")):  # the plugin removed its folder
            code = state_dir / f"{warmer.stem}.mjs"
            with zipfile.ZipFile(warmer) as zf:
                code.write_bytes(zf.read(next(n for n in zf.namelist() if n.endswith("/index.mjs"))))
            out[case.folder / service / f"warmup-{warmer.stem.removeprefix('warmUpPlugin')}.mjs"] = code
        listing = zip_listing(state_dir)
        config = "".join(f.read_text() for f in state_dir.parent.glob("serverless.*") if f.is_file())
        keeps = (case.folder / service / V3_ZIPS).is_file() or any(p in config for p in ZIPPING_PLUGINS)
        if listing is not None and keeps:
            (state_dir / V3_ZIPS).write_text(listing)
            out[case.folder / service / V3_ZIPS] = state_dir / V3_ZIPS
        compose_state = case.folder / f"compose-state.{case.stage}.json"
        if service == Path(".") and compose_state.is_file():
            out[compose_state] = state_dir / f"state.{case.stage}.json"
    return out


def kept_outputs(case: ReferenceCase) -> set[Path]:
    kept = {p for name in SERVICE_OUTPUTS for p in case.folder.rglob(name)}
    return kept | set(case.folder.glob(f"compose-state.{case.stage}.json"))


def regenerate(case: ReferenceCase, cache: Path, check: bool) -> Result:
    result = Result(case.name)
    if list(case.folder.glob("aws-calls-*.json")):
        result.status = "skipped"
        result.notes.append("records `serverless deploy` calls against a stubbed AWS, not a package case")
        return result
    work = Path(tempfile.mkdtemp(prefix=f"sls3-{case.name}-"))
    try:
        run = run_v3(case, cache, work)
    except subprocess.TimeoutExpired:
        result.status = "failed"
        result.notes.append(f"serverless package timed out after {TIMEOUT} s (inputs kept in {work})")
        return result
    if run.returncode != 0:
        result.status = "failed"
        lines = (run.stdout + run.stderr).strip().splitlines()
        unanswered = [line.strip() for line in lines if "stub-aws.js: unexpected" in line][:1]
        result.notes += [f"serverless package exited {run.returncode} (inputs kept in {work}):", *unanswered]
        result.notes += lines[-12:]
        return result
    warnings_file = case.folder / V3_WARNINGS
    warnings = configuration_warnings(run.stderr)
    had = warnings_file.read_text() if warnings_file.is_file() else ""
    if warnings != had:
        result.notes.append(f"{case.name}/{V3_WARNINGS}: {'differs' if had else 'new'}")
        if check:
            result.status = "differs"
        else:
            result.status = "updated"
            if warnings:
                warnings_file.write_text(warnings)
            else:
                warnings_file.unlink()
    files = produced(case, work / "case")
    for missing in sorted(kept_outputs(case) - set(files)):
        result.status = "failed"
        result.notes.append(f"{missing.relative_to(REFERENCE)}: kept in the case, but v3 did not write it")
    for dest, source in files.items():
        new = source.read_text()
        label = str(dest.relative_to(REFERENCE))
        if dest.is_file():
            old = dest.read_text()
            before, after = comparable(old, dest.name), comparable(new, dest.name)
            if before == after:
                continue
            diff = difflib.unified_diff(
                before.splitlines(), after.splitlines(), "committed", "v3", n=1, lineterm=""
            )
            result.notes += [f"{label}: differs", *[f"    {line}" for line in list(diff)[2:42]]]
        else:
            result.notes.append(f"{label}: new")
        if check:
            result.status = "failed" if result.status == "failed" else "differs"
        else:
            dest.write_text(new)
            result.status = "failed" if result.status == "failed" else "updated"
    shutil.rmtree(work, ignore_errors=True)
    return result


def regenerate_schema(cache: Path, check: bool) -> Result:
    """:data:`SCHEMA` from v3 itself (``dump-schema.js`` loads its plugins, then prints the schema
    they defined); tests/test_v3_schema.py holds our model to it."""
    result = Result("v3-schema.json")
    with tempfile.TemporaryDirectory(prefix="sls3-schema-") as work:
        run = subprocess.run(
            ["node", str(SCHEMA_DUMPER), str(cache / "node_modules" / "serverless")],
            cwd=work,
            env={"PATH": os.environ.get("PATH", ""), "HOME": work, "SLS_TELEMETRY_DISABLED": "1"},
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            check=False,
        )
    if run.returncode != 0:
        result.status = "failed"
        result.notes += run.stderr.strip().splitlines()[-12:]
        return result
    new = json.dumps(json.loads(run.stdout), indent=1, sort_keys=True) + "\n"
    if SCHEMA.is_file() and SCHEMA.read_text() == new:
        return result
    result.notes.append("differs" if SCHEMA.is_file() else "new")
    if check:
        result.status = "differs"
    else:
        SCHEMA.write_text(new)
        result.status = "updated"
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("cases", nargs="*", help="case folder names (default: every case)")
    parser.add_argument("--check", action="store_true", help="compare only; exit 1 on a real difference")
    parser.add_argument("-j", "--jobs", type=int, default=min(4, os.cpu_count() or 1))
    args = parser.parse_args(argv)
    folders = [REFERENCE / name for name in args.cases] or sorted(
        d for d in REFERENCE.iterdir() if d.is_dir()
    )
    unknown = [f.name for f in folders if not f.is_dir()]
    if unknown:
        parser.error(f"no such case in {REFERENCE}: {', '.join(unknown)}")
    cases = [reference_case(folder) for folder in folders]
    cache = ensure_tools()
    with ThreadPoolExecutor(max(1, args.jobs)) as pool:
        results = list(pool.map(lambda case: regenerate(case, cache, args.check), cases))
    if not args.cases:
        results.append(regenerate_schema(cache, args.check))
    for result in results:
        print(f"{result.case}: {result.status}")
        for note in result.notes:
            print(f"  {note}")
    counts = {s: sum(r.status == s for r in results) for s in dict.fromkeys(r.status for r in results)}
    print(", ".join(f"{n} {s}" for s, n in counts.items()))
    bad = {"failed"} | ({"differs"} if args.check else set())
    return 1 if any(r.status in bad for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
