"""Every command's ``--help``: a one-line description and examples (``sls-cdk help COMMAND`` too).

:func:`add_command` is how each command's parser is made, so no command can lack either: the
examples are :data:`EXAMPLES`, one per line, each a command line that parses (a test parses them).
"""

from __future__ import annotations

import argparse
from typing import Any

__all__ = ["EXAMPLES", "add_command"]

#: what each command's ``--help`` shows under "examples:" (``# ...`` ends a line with a comment)
EXAMPLES = {
    "synth": (
        "sls-cdk synth examples/seed --stage prod --out cdk.out\n"
        "sls-cdk synth path/to/service --build --nag     # build hooks first, then cdk-nag"
    ),
    "package": (
        "sls-cdk package --stage prod                    # the project here, into cdk.out\n"
        "sls-cdk package path/to/service --package build/cdk.out"
    ),
    "check": (
        "sls-cdk check path/to/service\n"
        "sls-cdk check path/to/serverless-compose.yml --strict   # unknown keys are errors"
    ),
    "print": (
        "sls-cdk print --stage prod\nsls-cdk print path/to/service --format json --opt domain=example.com"
    ),
    "summary": "sls-cdk summary cdk.out",
    "run": "sls-cdk run migrate path/to/service --stage prod   # custom.scripts.commands.migrate",
    "diff": (
        "sls-cdk diff path/to/service --against .serverless/cloudformation-template-update-stack.json\n"
        "sls-cdk diff examples/seed --stack auth-dev --against auth.template.json"
    ),
    "takeover": "sls-cdk takeover path/to/service --stage prod --region eu-west-1",
    "policy": "sls-cdk policy examples/seed --account 111122223333 --stage prod",
    "info": "sls-cdk info --stage prod\nsls-cdk info path/to/serverless-compose.yml --stage dev",
    "plugins": "sls-cdk plugins path/to/serverless-compose.yml",
    "domain": (
        "sls-cdk domain create path/to/service --stage prod   # like sls create_domain\n"
        "sls-cdk domain delete path/to/service --stage prod --profile admin"
    ),
    "init": "sls-cdk init                      # the project here\nsls-cdk init path/to/service --force",
    "deploy": (
        "sls-cdk deploy --stage prod              # every service of the project here\n"
        "sls-cdk auth deploy --stage prod         # one compose service\n"
        "sls-cdk deploy function -f hello         # code and configuration only\n"
        "sls-cdk deploy --endpoint-url http://127.0.0.1:5000   # a local emulator"
    ),
    "remove": "sls-cdk remove --stage dev\nsls-cdk auth remove",
    "invoke": (
        'sls-cdk invoke -f hello --data \'{"name": "x"}\'\nsls-cdk invoke -f hello --path event.json --log'
    ),
    "logs": "sls-cdk logs -f hello --startTime 30m\nsls-cdk logs -f hello --tail --filter ERROR",
}


def add_command(sub: Any, name: str, summary: str, **kwargs: Any) -> argparse.ArgumentParser:
    """The parser of command ``name`` on ``sub`` (argparse subparsers): ``summary`` is both the
    line in ``sls-cdk --help`` and the description of ``sls-cdk NAME --help``, which ends with the
    command's examples."""
    parser: argparse.ArgumentParser = sub.add_parser(
        name,
        help=summary,
        description=kwargs.pop("description", summary),
        epilog=f"examples:\n{EXAMPLES[name]}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        **kwargs,
    )
    return parser
