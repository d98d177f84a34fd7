#!/usr/bin/env python3
"""Build benchmark of serverless-python-requirements: one Python service with 10 dependencies
(pure and binary wheels, pinned), wall time of a whole ``synth`` process, cold and cached, side by
side with ``serverless package`` and the plugin.

    .venv/bin/python bench/python_requirements_bench.py [--repeat N] [--sls SLS]

(SLS: ``node_modules/.bin/serverless`` of serverless@3 with serverless-python-requirements@6.1.2
installed beside it, e.g. ``~/.cache/sls-cdk/sls3/serverless-3.40.0/node_modules/.bin/serverless``.)

* **cold**: an empty cache (``$SLS_CDK_CACHE``; for v3 a private ``$HOME``, so the plugin's own
  caches are empty too): every wheel downloaded and installed;
* **downloads cached**: ``--build`` with pip's download cache kept (v3: the plugin's static cache
  removed, its download cache kept);
* **cached**: nothing to build (our installed requirements reused; v3: the plugin's static
  cache).

Needs the network for the cold runs (PyPI). Prints one line per measurement (the median).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = ROOT / ".venv" / "bin" / "python"

REQUIREMENTS = """\
pydantic==2.10.4
pydantic-core==2.27.2
typing-extensions==4.12.2
annotated-types==0.7.0
requests==2.32.3
urllib3==2.3.0
idna==3.10
certifi==2024.12.14
charset-normalizer==3.4.1
pyyaml==6.0.2
"""

SERVICE = """\
service: pybench
provider:
  name: aws
  runtime: python3.11
  region: us-east-1
plugins:
  - serverless-python-requirements
functions:
  hello:
    handler: handler.hello
"""


def _project(folder: Path) -> Path:
    folder.mkdir(parents=True)
    (folder / "serverless.yml").write_text(SERVICE)
    (folder / "requirements.txt").write_text(REQUIREMENTS)
    (folder / "handler.py").write_text("def hello(event, context):\n    return 1\n")
    return folder


def _timed(argv: list[str], cwd: Path, env: dict[str, str]) -> float:
    start = time.monotonic()
    done = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    elapsed = time.monotonic() - start
    if done.returncode != 0:
        sys.exit(f"{' '.join(argv)} failed:\n{(done.stdout + done.stderr)[-2000:]}")
    return elapsed


def ours(work: Path, repeat: int) -> dict[str, float]:
    """Median seconds of our synth: cold, with downloads cached, cached."""
    project = _project(work / "ours")
    out = work / "out"
    argv = [str(PY), "-m", "constructs_lib", "synth", str(project), "--out", str(out)]
    results: dict[str, list[float]] = {"cold": [], "downloads cached": [], "cached": []}
    for _ in range(repeat):
        cache = work / "cache"
        shutil.rmtree(cache, ignore_errors=True)
        env = {**os.environ, "SLS_CDK_CACHE": str(cache)}
        results["cold"].append(_timed([*argv, "--build"], project, env))
        results["downloads cached"].append(_timed([*argv, "--build"], project, env))
        results["cached"].append(_timed(argv, project, env))
    return {k: statistics.median(v) for k, v in results.items()}


def v3(work: Path, sls: Path, repeat: int) -> dict[str, float]:
    """Median seconds of ``serverless package`` with the plugin, in the same three states."""
    project = _project(work / "v3")
    node_modules = sls.resolve().parent.parent
    (work / "node_modules").symlink_to(node_modules)
    argv = [str(sls), "package", "--stage", "dev"]
    results: dict[str, list[float]] = {"cold": [], "downloads cached": [], "cached": []}
    for _ in range(repeat):
        home = work / "home"
        shutil.rmtree(home, ignore_errors=True)
        home.mkdir()
        env = {
            **os.environ,
            "HOME": str(home),
            "AWS_ACCESS_KEY_ID": "test",
            "AWS_SECRET_ACCESS_KEY": "test",
            "SLS_TELEMETRY_DISABLED": "1",
            "SLS_NOTIFICATIONS_MODE": "off",
            "NODE_OPTIONS": f"--require {ROOT / 'tests' / 'reference' / 'stub-aws.js'}",
        }
        results["cold"].append(_timed(argv, project, env))
        for static in (home / ".cache" / "serverless-python-requirements").glob("*_slspyc*"):
            shutil.rmtree(static) if static.is_dir() else static.unlink()
        results["downloads cached"].append(_timed(argv, project, env))
        results["cached"].append(_timed(argv, project, env))
    return {k: statistics.median(v) for k, v in results.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--sls", type=Path, help="serverless@3's bin, with the plugin beside it")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="pyreq-bench-") as tmp:
        mine = ours(Path(tmp), args.repeat)
        theirs = v3(Path(tmp), args.sls, args.repeat) if args.sls else {}
    print(f"python service, 10 dependencies (median of {args.repeat}):")
    for state, seconds in mine.items():
        line = f"  {state:17} sls-cdk synth {seconds:6.2f} s"
        if state in theirs:
            line += f" | serverless package {theirs[state]:6.2f} s | ratio {seconds / theirs[state]:.2f}"
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
