"""Turning a loaded project into a cloud assembly, as fast as this machine allows.

One place for what ``sls-cdk synth`` and ``app.py`` (``cdk synth``) share:

* :func:`prepare` decides how many processes to use and, for a one-process synth, starts
  aws-cdk-lib (Python modules and the Node process jsii drives) on a thread while the main thread
  loads the YAML: the two overlap instead of adding up (about 0.5 s of a 2 s seed synth).
* :func:`synthesize` writes the assembly. With ``jobs > 1`` the services are split into groups no
  reference crosses (compose ``dependsOn`` and ``${service.Output}`` params keep their services
  together); each group is synthesized by a forked copy of this process (the project is already
  loaded: no second variable resolution, no second build), and the assemblies are merged into
  exactly what one process writes: same manifest, same tree, same files.
* Output is atomic for the CLI: written beside ``out``, moved into place on success.
* On a terminal, one progress line counts the stacks as they are built (``[3/8] synthesizing
  auth-dev``), across the forked workers too (:class:`.output.Progress`).

Forking needs a process that has not started Node yet and runs no other thread; otherwise (e.g.
under pytest, or when a caller imported aws_cdk first) synthesis runs in one process.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import shutil
import sys
import tempfile
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from constructs_lib.cli import output
from constructs_lib.cli.assembly import merge_assemblies, order_sections, v3_section_order
from constructs_lib.cli.failures import located_in, raise_if_interrupted
from constructs_lib.cli.jsii_speed import exit_now
from constructs_lib.errors import SlsCdkError

if TYPE_CHECKING:
    from constructs_lib.loader.service import LoadedService, Project
    from stacks.compose_app import ComposeApp

__all__ = ["in_v3_section_order", "partition", "plan_jobs", "prepare", "synthesize"]

#: below this many services one process is faster: a worker pays ~1.3 s to start Node and
#: aws-cdk-lib, which a small project does not win back
PARALLEL_MIN_SERVICES = 8

#: ``SLS_CDK_JOBS=N`` overrides the automatic choice (``1``: never fork)
JOBS_ENV = "SLS_CDK_JOBS"

#: one class of each aws-cdk-lib module the stacks use: reading a static of each makes Node load
#: (``require``) the module during the warm-up instead of at the first construct
_WARM_TYPES = (
    "aws-cdk-lib.aws_lambda.CfnFunction",
    "aws-cdk-lib.aws_logs.CfnLogGroup",
    "aws-cdk-lib.aws_iam.CfnRole",
    "aws-cdk-lib.aws_apigatewayv2.CfnApi",
)


def _cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def _count_services(path: Path) -> int:
    """Services a PATH names, from a cheap read of the compose file (1 for a serverless.yml).

    Only a hint for :func:`plan_jobs`; the real loader reports anything wrong with the file."""
    try:
        from constructs_lib.config.files import find_project

        kind, file = find_project(path)
        if kind != "compose":
            return 1
        import yaml

        data = yaml.safe_load(file.read_text())
        services = data.get("services") if isinstance(data, dict) else None
        return len(services) if isinstance(services, dict) else 1
    except Exception:
        return 1


def plan_jobs(path: Path, requested: int | None = None, *, nag: bool = False) -> int:
    """How many processes to synthesize ``path`` with.

    ``requested`` (``--jobs``, ``-c jobs=N``) or ``SLS_CDK_JOBS`` wins; otherwise one per CPU for
    compose projects of :data:`PARALLEL_MIN_SERVICES` services or more. cdk-nag reads its findings
    from one assembly, so ``nag`` means one process."""
    if nag:
        return 1
    if requested is None and os.environ.get(JOBS_ENV, "").strip():
        try:
            requested = int(os.environ[JOBS_ENV])
        except ValueError:
            raise SlsCdkError(f"{JOBS_ENV} must be a number, not {os.environ[JOBS_ENV]!r}") from None
    services = _count_services(path)
    if requested is not None:
        if requested < 1:
            raise SlsCdkError(f"jobs must be 1 or more, not {requested}")
        return max(1, min(requested, services))
    if services < PARALLEL_MIN_SERVICES:
        return 1
    return max(1, min(_cpus(), services))


def _warm() -> None:
    """The warm-up thread: start Node and load aws-cdk-lib into it (``import aws_cdk``), then have
    Node load the modules the stacks use. Only this thread talks to Node until it is joined."""
    import aws_cdk  # noqa: F401 - starts the jsii kernel and loads the assemblies
    from jsii._kernel.types import StaticGetRequest
    from jsii._runtime import kernel

    for fqn in _WARM_TYPES:
        kernel.provider.sget(StaticGetRequest(fqn=fqn, property="CFN_RESOURCE_TYPE_NAME"))


def _warm_quietly() -> None:
    with contextlib.suppress(Exception):  # best effort: the main thread's own use reports problems
        _warm()


@contextlib.contextmanager
def prepare(path: Path, requested: int | None = None, *, nag: bool = False) -> Iterator[int]:
    """``with prepare(path) as jobs: project = load_project(path)``.

    For one process, a thread starts aws-cdk-lib (Node, and its Python core) while the body loads
    the project; then, while Node loads the modules the stacks use, this thread imports their
    Python side (no Node calls: importing generated jsii modules does not talk to the kernel).
    Leaving the block waits for the thread, also when loading failed."""
    jobs = plan_jobs(path, requested, nag=nag)
    thread = None
    if jobs == 1 and "aws_cdk" not in sys.modules:
        thread = threading.Thread(target=_warm_quietly, name="sls-cdk-warm-up", daemon=True)
        thread.start()
    try:
        yield jobs
        if thread is not None:
            import stacks.compose_app  # noqa: F401 - aws_cdk's Python modules, beside Node's work
    finally:
        if thread is not None:
            thread.join()


# --- synthesis ---------------------------------------------------------------------------------


def synthesize(
    project: Project,
    out: Path,
    *,
    validate: bool = False,
    nag: bool = False,
    jobs: int = 1,
    atomic: bool = True,
) -> list[Path]:
    """Synthesize ``project`` into ``out``; returns each stack's template path.

    Nothing is written on failure: the assembly is staged in a temporary folder and moved into
    place on success. ``atomic``: staged beside ``out``, which is replaced. ``cdk synth`` runs
    app.py with ``atomic=False``: the CDK CLI owns (and locks) its output folder, so the staging
    folder is inside it and its entries are moved up (an assembly's paths are relative to its root)."""
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    groups = partition(project, jobs) if jobs > 1 and not nag and _can_fork() else [project.services]
    if not atomic:
        out.mkdir(exist_ok=True)
    target = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent if atomic else out))
    progress = output.Progress(len(project.services), shared=len(groups) > 1)
    try:
        if len(groups) == 1:
            templates = _synth_here(project, target, validate=validate, nag=nag, progress=progress)
        else:
            templates = _synth_forked(project, groups, target, progress, validate=validate)
        progress.close()
        if atomic:
            _install(target, out)
        else:
            _move_into(target, out)
    except BaseException as exc:
        progress.close()
        shutil.rmtree(target, ignore_errors=True)
        located = located_in(exc, project)
        if located is exc:
            raise
        raise located from None
    return [out / name for name in templates]


def _synth_here(
    project: Project,
    outdir: Path,
    *,
    validate: bool,
    nag: bool,
    progress: output.Progress | None = None,
) -> list[str]:
    """The project's stacks, one by one (a step of ``progress`` each), then the assembly."""
    progress = progress or output.Progress(0)
    from constructs_lib.cli.jsii_speed import skip_runtime_type_checks
    from stacks.compose_app import ComposeApp

    skip_runtime_type_checks()
    app = ComposeApp(outdir=str(outdir), builtin_cloud_formation_validation=validate)
    for service in project.services:  # what ComposeApp(project=...) does, a step at a time
        progress.step(f"synthesizing {service.stack_name}")
        app.add_service(service)
    if nag:
        _nag(app, project, outdir)
    else:
        app.synth()
    in_v3_section_order(app, outdir)
    return [f"{stack.stack_name}.template.json" for stack in app.stacks.values()]


def in_v3_section_order(app: ComposeApp, outdir: Path) -> None:
    """Each synthesized template with its sections where v3 writes them (CDK has no option for it):
    a reviewer diffs our template against v3's section by section."""
    for stack in app.stacks.values():
        resources = stack.service.data.get("resources")
        order = v3_section_order(resources if isinstance(resources, dict) else ())
        order_sections(Path(outdir) / stack.template_file, order)


def _nag(app: ComposeApp, project: Project, outdir: Path) -> None:
    from constructs_lib.checks.nag import enable_nag, nag_findings, user_acknowledgements

    enable_nag(app, project, user_acknowledgements(project))
    try:
        app.synth()
    except Exception as exc:  # jsii reports a failed validation as a RuntimeError
        if "ValidationFailed" not in str(exc) and "Validation failed" not in str(exc):
            raise
        findings = nag_findings(outdir)
        raise SlsCdkError(
            f"cdk-nag: {len(findings)} finding(s) not acknowledged:\n  " + "\n  ".join(findings),
            hint="fix them, or acknowledge with custom.slsCdk.acknowledgeNag: {'<Pack>::<RuleId>': reason}",
        ) from None


def _install(tmp: Path, out: Path) -> None:
    """Replace ``out`` by ``tmp`` when ``out`` is ours (absent, empty or a cloud assembly);
    otherwise copy the files in (never wipe a folder we did not write)."""
    raise_if_interrupted()  # the last moment a Ctrl-C still means "nothing written"
    if not out.exists() or not any(out.iterdir()) or (out / "manifest.json").exists():
        old = None
        if out.exists():
            old = out.with_name(f".{out.name}.old.{os.getpid()}")
            out.rename(old)
        tmp.rename(out)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
        return
    _move_into(tmp, out)


def _move_into(tmp: Path, out: Path) -> None:
    """Every entry of ``tmp`` moved into ``out`` (replacing one of the same name), then ``tmp``
    removed."""
    for item in tmp.iterdir():
        target = out / item.name
        if target.is_dir():
            shutil.rmtree(target)
        shutil.move(str(item), target)
    shutil.rmtree(tmp, ignore_errors=True)


# --- parallel ----------------------------------------------------------------------------------


def _can_fork() -> bool:
    """Forking is safe before Node starts and while this is the only thread."""
    return hasattr(os, "fork") and "aws_cdk" not in sys.modules and threading.active_count() == 1


def _service_name(service: LoadedService) -> str:
    return service.compose_name or service.name


def partition(project: Project, jobs: int) -> list[tuple[LoadedService, ...]]:
    """``project.services`` in at most ``jobs`` groups, balanced by function count.

    Services joined by ``dependsOn`` or an output reference stay in one group (their stacks
    reference each other inside one CDK app); each group keeps the project's order."""
    services = list(project.services)
    parent = {_service_name(s): _service_name(s) for s in services}

    def root(name: str) -> str:
        while parent[name] != name:
            parent[name] = parent[parent[name]]
            name = parent[name]
        return name

    for svc in services:
        for other in (*svc.depends_on, *(ref.service for ref in svc.output_refs)):
            if other in parent:
                parent[root(other)] = root(_service_name(svc))
    components: dict[str, list[LoadedService]] = {}
    for svc in services:
        components.setdefault(root(_service_name(svc)), []).append(svc)

    def weight(group: list[LoadedService]) -> int:
        return sum(1 + len(s.model.functions) for s in group)

    buckets: list[list[LoadedService]] = [[] for _ in range(max(1, min(jobs, len(components))))]
    for component in sorted(components.values(), key=weight, reverse=True):
        min(buckets, key=weight).extend(component)
    order = {_service_name(s): i for i, s in enumerate(services)}
    return [tuple(sorted(b, key=lambda s: order[_service_name(s)])) for b in buckets if b]


def _synth_forked(
    project: Project,
    groups: Sequence[tuple[LoadedService, ...]],
    outdir: Path,
    progress: output.Progress,
    *,
    validate: bool,
) -> list[str]:
    """Each group but the first in a forked child, the first here; then merge the assemblies."""
    parts = [Path(tempfile.mkdtemp(prefix=f".{outdir.name}.part.", dir=outdir.parent)) for _ in groups]
    children: list[tuple[int, int]] = []  # (pid, read end of its error pipe), one per started child
    failures: list[str] = []
    own_error: BaseException | None = None
    try:
        try:
            for group, part in zip(groups[1:], parts[1:], strict=True):
                children.append(_fork(dataclasses.replace(project, services=group), part, progress, validate))
            mine = dataclasses.replace(project, services=groups[0])
            _synth_here(mine, parts[0], validate=validate, nag=False, progress=progress)
        except BaseException as exc:  # raised once every started child is waited for
            own_error = exc
        for (pid, fd), group in zip(children, groups[1:], strict=False):
            if message := _wait(pid, fd, ", ".join(_service_name(s) for s in group)):
                failures.append(message)
        if own_error is not None:
            raise own_error
        if failures:
            raise SlsCdkError("synthesis failed in a worker process:\n" + "\n".join(failures))
        stack_order = [svc.stack_name for svc in project.services]
        merge_assemblies(parts, stack_order, outdir)
    finally:
        for part in parts:
            shutil.rmtree(part, ignore_errors=True)
    return [f"{name}.template.json" for name in stack_order]


def _fork(project: Project, outdir: Path, progress: output.Progress, validate: bool) -> tuple[int, int]:
    """Start a child that synthesizes ``project`` into ``outdir``; returns its pid and the read end
    of a pipe on which it reports a failure as one line of text."""
    read_fd, write_fd = os.pipe()
    for stream in (sys.stdout, sys.stderr):  # else the child would print their buffers again
        stream.flush()
    pid = os.fork()
    if pid:
        os.close(write_fd)
        return pid, read_fd
    # the child: synthesize, report any failure on the pipe, never return into the caller
    os.close(read_fd)
    code = 0
    message = ""
    try:
        _synth_here(project, outdir, validate=validate, nag=False, progress=progress)
    except BaseException as exc:  # a user error, a CDK refusal, or a bug: the parent reports it
        known = located_in(exc, project)
        if isinstance(known, SlsCdkError):
            code, message = 1, known.format()
        else:
            code, message = 2, f"{type(exc).__name__}: {exc}"
    try:
        os.write(write_fd, message.encode())
        os.close(write_fd)
    finally:
        exit_now(code)  # stops the jsii Node process; never returns into the caller


def _wait(pid: int, fd: int, services: str) -> str:
    """Wait for a child; its failure message (naming its services), or "" when it succeeded."""
    chunks = []
    while chunk := os.read(fd, 65536):
        chunks.append(chunk)
    os.close(fd)
    _, status = os.waitpid(pid, 0)
    code = os.waitstatus_to_exitcode(status)
    if code == 0:
        return ""
    message = b"".join(chunks).decode(errors="replace").strip() or f"exit status {code}"
    return f"[{services}] {message}"
