"""``python -m constructs_lib`` / ``sls-cdk``: what the CDK CLI does not do.

* ``synth PATH [--stage S] [--region R] [--out DIR]``: writes ``DIR/<stackName>.template.json``
  per service (and the rest of the cloud assembly) atomically: nothing is written on failure.
* ``check PATH``: validate only; print every problem with ``file:line:col``.
* ``print PATH [--format yaml|json]``: the resolved configuration, like ``sls print``.
* ``summary DIR``: each stack of a synthesized cloud assembly with its resource count.
* ``run NAME PATH``: a ``custom.scripts.commands`` entry, in its service's folder.
* ``policy PATH [--account ID]``: the least-privilege deployer policy and the Lambda trust policy.
* ``info PATH``: like ``sls info``: each deployed stack's status, endpoints, functions, outputs.
* ``diff PATH --against TEMPLATE``: what deploying over that template would replace, remove,
  update or add; exit 2 when a stateful resource would be replaced or removed.
* ``takeover PATH``: the same report against each service's deployed stack (read with boto3).
* ``plugins PATH``: how sls-cdk treats each plugin the service (or each compose service) lists.
* ``domain create|delete PATH``: serverless-domain-manager's ``sls create_domain`` / ``delete_domain``.
* ``synth --build``: run the build hooks (``custom.scripts.hooks``) first.
* ``deploy [PATH]``, ``SERVICE deploy``, ``deploy function -f NAME``, ``remove``, ``logs -f NAME``:
  v3's commands over the pinned CDK CLI and boto3 (:mod:`.deploying`).
* ``init [PATH] [--force]``: write ``cdk.json`` (the app: :mod:`constructs_lib.app`) and a
  ``package.json`` pinning the CDK CLI, so ``npx cdk synth`` works in the project's repository.

* ``help [COMMAND]``: as ``COMMAND --help``; every command's help has examples (:mod:`.help`).

User errors print as ``error: file:line:col: key.path: message`` and exit 1; never a traceback.
Every diagnostic has one format (:mod:`.output`).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from constructs_lib import __version__
from constructs_lib.cli import output
from constructs_lib.cli.deploying import add_deploy_commands, cmd_deploy, cmd_invoke, cmd_logs, cmd_remove
from constructs_lib.cli.domain import add_domain_parser, cmd_domain
from constructs_lib.cli.failures import (
    catching_interrupts,
    interrupted,
    raise_if_interrupted,
    report_failure,
    silence_stderr,
)
from constructs_lib.cli.help import add_command
from constructs_lib.cli.init import cmd_init
from constructs_lib.cli.loading import add_project_args, load, load_to_synth, report
from constructs_lib.cli.reports import cmd_diff, cmd_info, cmd_policy, cmd_takeover
from constructs_lib.errors import SlsCdkError

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sls-cdk", description="Serverless Framework v3 projects through AWS CDK."
    )
    parser.add_argument("--version", action="version", version=f"sls-cdk {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    synth = add_command(sub, "synth", "synthesize CloudFormation templates")
    add_project_args(synth)
    synth.add_argument("--out", "-o", default="cdk.out", help="output folder (default: cdk.out)")
    synth.add_argument(
        "--validate", action="store_true", help="run aws-cdk-lib's built-in template validation"
    )
    synth.add_argument(
        "--build", action="store_true", help="run the build hooks (custom.scripts.hooks) first"
    )
    synth.add_argument("--nag", action="store_true", help="run cdk-nag (AwsSolutions, Serverless packs)")
    synth.add_argument(
        "--jobs", "-j", type=int, help="processes to synthesize with (default: one per CPU for 8+ services)"
    )

    package = add_command(sub, "package", "like `sls package`: synthesize, as synth does")
    add_project_args(package)
    package.add_argument(
        "--package", "-p", dest="out", default="cdk.out", help="output folder (default: cdk.out)"
    )
    package.add_argument(
        "--build", action="store_true", help="run the build hooks (custom.scripts.hooks) first"
    )
    package.set_defaults(validate=False, nag=False, jobs=None)

    diff = add_command(
        sub, "diff", "what deploying over an existing template (e.g. Serverless v3's) would replace or delete"
    )
    add_project_args(diff)
    diff.add_argument("--against", required=True, help="the template deployed today (JSON)")
    diff.add_argument("--stack", help="which stack of the project (default: the only one)")

    takeover = add_command(
        sub, "takeover", "what deploying over the deployed stacks (v3's) would replace or delete, read live"
    )
    add_project_args(takeover)

    policy = add_command(sub, "policy", "the least-privilege IAM policy a deployer needs for these stacks")
    add_project_args(policy)
    policy.add_argument("--account", default="ACCOUNT_ID", help="the AWS account id to put in ARNs")

    info = add_command(sub, "info", "like `sls info`: deployed stacks, endpoints, functions, outputs")
    add_project_args(info)

    run = add_command(sub, "run", "run a custom.scripts.commands entry (like `sls <command>`)")
    run.add_argument("name", help="the command's name")
    add_project_args(run)

    check = add_command(sub, "check", "validate the configuration and print every problem")
    add_project_args(check)

    show = add_command(sub, "print", "print the resolved configuration")
    add_project_args(show)
    show.add_argument("--format", choices=("yaml", "json"), default="yaml")

    plugins = add_command(sub, "plugins", "how each plugin the services list is treated (the catalogue)")
    add_project_args(plugins)

    add_domain_parser(sub)

    summary = add_command(sub, "summary", "list the stacks of a cloud assembly with their resource counts")
    summary.add_argument("dir", nargs="?", default="cdk.out")

    add_deploy_commands(sub)

    init = add_command(sub, "init", "write cdk.json and package.json so `npx cdk synth` runs this project")
    init.add_argument("path", nargs="?", default=".", help="the project's folder (default: here)")
    init.add_argument("--force", action="store_true", help="replace an existing cdk.json / package.json")
    return parser


def cmd_check(args: argparse.Namespace) -> int:
    project = load(args)
    report(project)
    for svc in project.services:
        print(f"ok: {svc.label}: stack {svc.stack_name} ({len(svc.model.functions)} functions)")
    return 0


def cmd_print(args: argparse.Namespace) -> int:
    """One document: the service's configuration, or for compose ``{service: configuration}``.
    The configuration only, as v3's print: nothing is built, packaged or checked for packaging."""
    project = load(args, package_code=False)
    if project.compose is None:
        doc: Any = project.services[0].data
    else:
        doc = {svc.compose_name: svc.data for svc in project.services}
    if args.format == "json":
        print(json.dumps(doc, indent=2))
    else:
        import yaml

        print(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), end="")
    return 0


def cmd_synth(args: argparse.Namespace) -> int:
    from constructs_lib.cli.synthesis import synthesize

    _check_out(Path(args.out))
    project, jobs = load_to_synth(args, jobs=args.jobs, nag=args.nag)
    report(project)
    written = synthesize(project, Path(args.out), validate=args.validate, nag=args.nag, jobs=jobs)
    for svc, path in zip(project.services, written, strict=True):
        flags = svc.deploy_flags
        hint = f"  (deploy with: cdk deploy {svc.stack_name} {' '.join(flags)})" if flags else ""
        print(f"{svc.stack_name}: {_count(path)} resources -> {os.path.relpath(path)}{hint}")
    return 0


def _check_out(out: Path) -> None:
    """``--out`` must be a folder, or a new one in a folder that exists (a typo should not
    create a tree of folders somewhere)."""
    if out.exists() and not out.is_dir():
        raise SlsCdkError(f"--out {out}: is a file, not a folder")
    parent = out.resolve().parent
    if not out.exists() and not parent.is_dir():
        raise SlsCdkError(f"--out {out}: its parent folder {parent} does not exist")


def _count(template: Path) -> int:
    return len(json.loads(template.read_text()).get("Resources", {}))


def cmd_summary(args: argparse.Namespace) -> int:
    folder = Path(args.dir)
    manifest = folder / "manifest.json"
    if not manifest.is_file():
        raise SlsCdkError(f"{folder} is not a cloud assembly (no manifest.json); run cdk synth first")
    artifacts = json.loads(manifest.read_text())["artifacts"]
    for name, art in artifacts.items():
        if art.get("type") != "aws:cloudformation:stack":
            continue
        template = folder / art["properties"]["templateFile"]
        deps = [d for d in art.get("dependencies", []) if not d.endswith(".assets")]
        after = f"  (after {', '.join(deps)})" if deps else ""
        print(f"{name}: {_count(template)} resources -> {os.path.relpath(template)}{after}")
    return 0


def _listed_plugins(file: Path) -> list[str]:
    """The ``plugins`` a service file lists, as written (nothing resolved: an unsupported plugin
    must not stop the listing)."""
    from constructs_lib.config.source import load_yaml_file, read_text

    if file.suffix == ".json":
        data = json.loads(read_text(file))
    else:
        data = load_yaml_file(file, label=os.path.relpath(file)).data
    plugins = data.get("plugins") if isinstance(data, dict) else None
    if isinstance(plugins, dict):
        plugins = plugins.get("modules")
    return [str(name) for name in plugins] if isinstance(plugins, list) else []


def cmd_plugins(args: argparse.Namespace) -> int:
    """One line per listed plugin: ``service: name: treatment: why`` (like ``sls plugin list``,
    for what sls-cdk does with them)."""
    from constructs_lib.config.compose import load_compose
    from constructs_lib.config.defaults import effective_stage
    from constructs_lib.config.files import find_project
    from constructs_lib.loader.plugins import describe

    kind, file = find_project(Path(args.path))
    files = {os.path.relpath(file): file}
    if kind != "service":
        compose = load_compose(file, stage=effective_stage(args.stage))
        files = {name: compose.services[name].config_file for name in compose.order}
    for label, service_file in files.items():
        names = _listed_plugins(service_file)
        if not names:
            print(f"{label}: no plugins")
        for name in names:
            treatment, why = describe(name)
            print(f"{label}: {name}: {treatment}: {why}")
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    from constructs_lib.loader.build import run_command

    project = load(args)
    ran = False
    for svc in project.services:
        command = svc.model.scripts.commands.get(args.name)
        if command is not None:
            run_command(command, cwd=svc.dir, label=f"{svc.name}: command {args.name!r}")
            ran = True
    if not ran:
        known = sorted({name for svc in project.services for name in svc.model.scripts.commands})
        raise SlsCdkError(
            f"no custom.scripts.commands entry named {args.name!r}",
            hint=f"known: {', '.join(known)}" if known else "this project defines no commands",
        )
    return 0


_COMMANDS = {
    "synth": cmd_synth,
    "package": cmd_synth,
    "check": cmd_check,
    "print": cmd_print,
    "summary": cmd_summary,
    "run": cmd_run,
    "diff": cmd_diff,
    "takeover": cmd_takeover,
    "info": cmd_info,
    "policy": cmd_policy,
    "plugins": cmd_plugins,
    "init": cmd_init,
    "deploy": cmd_deploy,
    "remove": cmd_remove,
    "logs": cmd_logs,
    "invoke": cmd_invoke,
    "domain": cmd_domain,
}


#: the commands that take ``--service`` (``sls-cdk SERVICE <command>`` in a compose project)
_SERVICE_COMMANDS = frozenset({"deploy", "remove", "logs", "invoke"})


def _v3_shaped(argv: list[str]) -> list[str]:
    """v3's command shapes as our arguments: ``SERVICE deploy ...`` (compose, as
    ``sls SERVICE deploy``) as ``deploy ... --service SERVICE``; ``deploy function`` as
    ``deploy --only-function``; ``help [COMMAND]`` as ``[COMMAND] --help``."""
    if argv[:1] == ["help"]:
        return [*argv[1:2], "--help"]
    if len(argv) >= 2 and argv[0] not in _COMMANDS and not argv[0].startswith("-") and argv[1] in _COMMANDS:
        if argv[1] not in _SERVICE_COMMANDS:
            raise SlsCdkError(
                f"`sls-cdk {argv[0]} {argv[1]}`: naming a service first works for "
                f"{', '.join(sorted(_SERVICE_COMMANDS))}",
                hint=f"give the service's folder as PATH: sls-cdk {argv[1]} path/to/{argv[0]}",
            )
        rest = argv[2:]
        cut = rest.index("--") if "--" in rest else len(rest)
        argv = [argv[1], *rest[:cut], "--service", argv[0], *rest[cut:]]
    if argv[:2] == ["deploy", "function"] and not Path("function").is_dir():
        argv = ["deploy", "--only-function", *argv[2:]]
    return argv


def run() -> None:
    """The ``sls-cdk`` command: :func:`main`, then a fast exit (see :func:`.jsii_speed.exit_fast`)."""
    from constructs_lib.cli.jsii_speed import exit_fast, short_lived

    short_lived()
    try:
        code = main()
    except BrokenPipeError:  # `sls-cdk synth | head`: the reader left; not an error of ours
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = 0
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the work is done (or undone): leave quietly
    if code == 130:  # Ctrl-C also ended jsii's Node child (its pipe closes with us): nothing to
        silence_stderr()  # stop, and what it still says is noise
        os._exit(130)
    exit_fast(code)


def main(argv: Sequence[str] | None = None) -> int:
    os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")
    output.reset()  # a run: each warning once
    try:
        shaped = _v3_shaped(list(sys.argv[1:] if argv is None else argv))
    except SlsCdkError as exc:
        return report_failure(exc)
    args = _parser().parse_args(shaped)
    with catching_interrupts():
        try:
            code = _COMMANDS[args.command](args)
            raise_if_interrupted()  # a Ctrl-C a library swallowed is still one
            return code
        except BrokenPipeError as exc:
            if interrupted():  # Ctrl-C ended jsii's Node child: its pipe broke, not stdout's
                return report_failure(exc)
            raise  # `sls-cdk print | head`: run() leaves quietly
        except (KeyboardInterrupt, Exception) as exc:  # the last resort: Ctrl-C, a user error, a bug
            return report_failure(exc)
