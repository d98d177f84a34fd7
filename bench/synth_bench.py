#!/usr/bin/env python3
"""Synth benchmark: wall time and peak memory (PSS of Python, the Node process jsii starts and any
forked workers, summed).

    .venv/bin/python bench/synth_bench.py                     # seed + N = 1, 10, 50, 100 services
    .venv/bin/python bench/synth_bench.py --services 1 10     # a subset
    .venv/bin/python bench/synth_bench.py --sls SLS --compose COMPOSE  # side by side with v3

(SLS: node_modules/.bin/serverless of serverless@3; COMPOSE: node_modules/.bin/serverless-compose
of @serverless/compose@1.)

Each measurement runs ``python -m constructs_lib synth`` in a fresh process (what ``cdk synth``
pays), three times by default (``--repeat N``; the median is shown), with aws-cdk-lib's
built-in template validation off and on. Generated projects have N
services x M functions, each function with two httpApi routes, a URL and log retention. With
``--sls`` the same projects are packaged by Serverless v3 (``serverless package`` per service, in
sequence; with ``--compose`` also ``serverless-compose package``, which runs them in parallel) and
the ratios are printed. The largest project is also synthesized in one process (``--jobs 1``).
Prints a table and the growth per service.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "examples" / "seed"
PY = ROOT / ".venv" / "bin" / "python"

SERVICE = """\
service: {name}
provider:
  name: aws
  runtime: provided.al2023
  architecture: arm64
  region: us-east-1
  logRetentionInDays: 7
  iam:
    role: arn:aws:iam::123456789012:role/serverless
  deploymentBucket:
    name: bench.serverless
  httpApi:
    cors: true
package:
  artifact: boot.zip
functions:
{functions}
"""

FUNCTION = """\
  fn{i}:
    handler: bootstrap
    memorySize: 256
    url: true
    environment:
      INDEX: "{i}"
    events:
      - httpApi: 'GET /items{i}'
      - httpApi: 'POST /items{i}/{{id}}'
"""


@dataclass
class Result:
    label: str
    seconds: float
    peak_mb: float


def _memory_kb(pid: int) -> int:
    """Memory of one process: its PSS (proportional set size: a page it shares with a forked
    worker, or with Python's other processes, counts once across them), else its RSS."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    with open(f"/proc/{pid}/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def _tree_memory_kb(pid: int) -> int:
    """Memory of ``pid`` and all its descendants (Node, forked workers), from /proc (Linux)."""
    total = 0
    stack = [pid]
    while stack:
        current = stack.pop()
        try:
            total += _memory_kb(current)
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as fh:
                    stack.extend(int(c) for c in fh.read().split())
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
    return total


#: runs per measurement (``--repeat``); the table shows the median time and the largest peak
REPEAT = 3


def measure(label: str, argv: list[str], cwd: Path | None = None) -> Result:
    """The median of :data:`REPEAT` runs (this machine's timings vary by +-20 % run to run)."""
    runs = sorted((_measure_once(label, argv, cwd) for _ in range(REPEAT)), key=lambda r: r.seconds)
    return Result(label, runs[len(runs) // 2].seconds, max(r.peak_mb for r in runs))


def _measure_once(label: str, argv: list[str], cwd: Path | None = None) -> Result:
    env = {
        **os.environ,
        "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20",
        "SLS_TELEMETRY_DISABLED": "1",
        "SLS_NOTIFICATIONS_MODE": "off",
        "AWS_ACCESS_KEY_ID": "bench",
        "AWS_SECRET_ACCESS_KEY": "bench",
    }
    start = time.perf_counter()
    proc = subprocess.Popen(
        argv, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_memory_kb(proc.pid))
            time.sleep(0.25)  # reading PSS costs ~1-4 ms per process: keep the sampler light

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = proc.communicate()
    elapsed = time.perf_counter() - start
    done.set()
    sampler.join()
    if proc.returncode != 0:
        raise SystemExit(f"{label} failed ({proc.returncode}):\n{err[-2000:]}")
    return Result(label, elapsed, peak / 1024)


def generate(root: Path, services: int, functions: int) -> Path:
    zip_src = SEED / "api" / "v1" / "test" / "boot.zip"
    lines = ["services:"]
    for s in range(services):
        name = f"svc{s}"
        folder = root / name
        folder.mkdir(parents=True)
        body = "".join(FUNCTION.format(i=i) for i in range(functions))
        (folder / "serverless.yml").write_text(SERVICE.format(name=name, functions=body))
        shutil.copy(zip_src, folder / "boot.zip")
        lines.append(f"  {name}:\n    path: {name}")
    (root / "serverless-compose.yml").write_text("\n".join(lines) + "\n")
    return root / "serverless-compose.yml"


def synth(label: str, path: Path, out: Path, validate: bool, jobs: int | None = None) -> Result:
    """``sls-cdk synth``; ``jobs`` None lets it choose (one process per CPU for 8+ services)."""
    argv = [str(PY), "-m", "constructs_lib", "synth", str(path), "--out", str(out)]
    if validate:
        argv.append("--validate")
        label += " (validation on)"
    if jobs is not None:
        argv += ["--jobs", str(jobs)]
        label += f" ({jobs} process{'es' if jobs > 1 else ''})"
    return measure(label, argv, cwd=ROOT)


def sls_package(label: str, compose: Path, sls: str) -> Result:
    """Serverless v3 packages each service; compose runs them one by one here (a lower bound for
    compose, which adds its own start-up)."""
    folders = [p.parent for p in sorted(compose.parent.glob("*/serverless.yml"))]
    folders += [p.parent for p in sorted(compose.parent.glob("api/v1/*/serverless.yml"))]
    script = " && ".join(f"cd {f} && {sls} package --stage dev >/dev/null" for f in folders)
    return measure(label, ["/bin/sh", "-c", script])


def compose_package(label: str, compose: Path, sls: str, compose_bin: str) -> Result:
    """``serverless-compose package`` (@serverless/compose 1.x) at the project root: what a v3 user
    runs for a compose project; it packages the services in parallel with ``serverless`` from PATH."""
    env_path = f"{Path(sls).absolute().parent}{os.pathsep}{os.environ.get('PATH', '')}"
    script = f"cd {compose.parent} && PATH={env_path} {compose_bin} package >/dev/null"
    return measure(label, ["/bin/sh", "-c", script])


def compare(label: str, compose: Path, ours: Result, args: argparse.Namespace) -> list[Result]:
    """v3's figures for ``compose`` and the ratios to ``ours``."""
    found = [sls_package(f"{label}: serverless package, per service", compose, args.sls)]
    if args.compose:
        found.append(compose_package(f"{label}: serverless-compose package", compose, args.sls, args.compose))
    for theirs in found:
        what = theirs.label.removeprefix(f"{label}: ")
        print(f"{label}: sls-cdk synth is {theirs.seconds / ours.seconds:.1f}x faster than {what}")
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--services", type=int, nargs="*", default=[1, 10, 50, 100])
    parser.add_argument("--functions", type=int, default=5)
    parser.add_argument("--sls", help="path to serverless 3.x (node_modules/.bin/serverless) to compare with")
    parser.add_argument(
        "--compose", help="with --sls: path to @serverless/compose's serverless-compose, to time it too"
    )
    parser.add_argument("--no-validate-runs", action="store_true", help="skip the runs with validation on")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (median shown)")
    args = parser.parse_args()
    global REPEAT
    REPEAT = max(1, args.repeat)
    if not (SEED / "api" / "v1" / "test" / "boot.zip").is_file():
        raise SystemExit("build the example first: make build-example")

    results: list[Result] = []
    per_service: list[tuple[int, float]] = []
    with tempfile.TemporaryDirectory(prefix="sls-cdk-bench-") as tmp:
        work = Path(tmp)
        results.append(
            synth("seed compose (2 services)", SEED / "serverless-compose.yml", work / "out-seed", False)
        )
        if args.sls:
            seed_copy = work / "seed"
            shutil.copytree(SEED, seed_copy)
            for file in seed_copy.glob("api/v1/*/serverless.yml"):  # v3 would need the plugin installed
                text = file.read_text().replace("plugins:\n  - serverless-plugin-scripts\n", "")
                file.write_text(text)
            results += compare("seed", seed_copy / "serverless-compose.yml", results[0], args)
        for n in args.services:
            compose = generate(work / f"p{n}", n, args.functions)
            label = f"{n} x {args.functions}"
            result = synth(label, compose, work / f"out{n}", False)
            results.append(result)
            per_service.append((n, result.seconds))
            if not args.no_validate_runs:
                results.append(synth(label, compose, work / f"out{n}v", True))
            if args.sls and n <= 10:
                results += compare(label, compose, result, args)
            if n == max(args.services) and n >= 8:  # what forking the services over the CPUs brings
                results.append(synth(label, compose, work / f"out{n}j1", False, jobs=1))

    print(f"\n{'run':45} {'seconds':>8} {'peak MB':>8}")
    for r in results:
        print(f"{r.label:45} {r.seconds:8.2f} {r.peak_mb:8.0f}")
    if len(per_service) >= 2:
        (n0, t0), (n1, t1) = per_service[0], per_service[-1]
        print(f"\ngrowth: {(t1 - t0) / (n1 - n0):.3f} s per extra service ({args.functions} functions each)")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
