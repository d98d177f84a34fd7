"""The plugin catalogue, ``sls-cdk plugins``, and the two translated plugins' errors and options
(serverless-plugin-git-variables, serverless-dotenv-plugin) on real loads and synthesized
templates. Their parity with v3 is in the reference cases f46-f49, f53 and f54."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from constructs_lib.cli.commands import main
from constructs_lib.errors import ErrorGroup, SlsCdkError
from constructs_lib.loader.dotenv_plugin import parse_dotenv
from constructs_lib.loader.plugins import CATALOGUE, Treatment
from constructs_lib.loader.project import load_project
from tests.helpers import REFERENCE, synth
from tests.reference.git_repo import make_repo

BOOT = REFERENCE / "f21-provider-string" / "boot.zip"


def _service(folder: Path, body: str, files: dict[str, str] | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(BOOT, folder / "boot.zip")
    head = (
        "service: plug\nprovider:\n  name: aws\n  runtime: provided.al2023\npackage:\n  artifact: boot.zip\n"
    )
    (folder / "serverless.yml").write_text(head + body)
    for name, text in (files or {}).items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text)
    return folder


_FUNCTION = "functions:\n  hello:\n    handler: index.handler\n"


def _errors(folder: Path, **kwargs: Any) -> list[str]:
    with pytest.raises(SlsCdkError) as info:
        load_project(folder, stage="dev", env={}, **kwargs)
    exc = info.value
    return [e.format() for e in (exc.errors if isinstance(exc, ErrorGroup) else [exc])]


def _environment(template: dict[str, Any], logical_id: str = "HelloLambdaFunction") -> dict[str, Any]:
    props = template["Resources"][logical_id]["Properties"]
    return dict(props.get("Environment", {}).get("Variables", {}))


# ---- the catalogue ------------------------------------------------------------------------------


def test_the_catalogue_holds_every_treatment_with_versions() -> None:
    assert len(CATALOGUE) >= 30
    assert {row.treatment for row in CATALOGUE.values()} == set(Treatment)
    for row in CATALOGUE.values():
        assert row.version[0].isdigit() and row.does, row
        if row.treatment is Treatment.NOT_SUPPORTED:
            assert row.instead, f"{row.name}: an error must say what to do instead"


def test_plugins_that_change_the_template_are_never_without_effect() -> None:
    """Checked in each plugin's source: these add or change resources at package time."""
    for name in ("serverless-plugin-log-retention", "serverless-plugin-aws-alerts", "serverless-localstack"):
        assert CATALOGUE[name].treatment is Treatment.NOT_SUPPORTED


def test_a_service_with_only_no_template_effect_plugins_synthesizes(tmp_path: Path) -> None:
    local = [name for name, row in CATALOGUE.items() if row.treatment is Treatment.NO_TEMPLATE_EFFECT]
    listed = _service(tmp_path / "with", "plugins:\n" + "".join(f"  - {n}\n" for n in local) + _FUNCTION)
    bare = _service(tmp_path / "without", _FUNCTION)
    project = load_project(listed, stage="dev", env={})
    notices = [n.message for n in project.services[0].notices]
    assert len(notices) == len(local)
    assert (
        "plugin serverless-domain-manager accepted, no template effect: manages the custom domain"
        in "\n".join(notices)
    )
    assert synth(listed)["plug-dev"] == synth(bare)["plug-dev"]


def test_unsupported_packaging_local_and_unknown_plugins_are_located_errors(tmp_path: Path) -> None:
    body = "plugins:\n  - serverless-appsync-plugin\n  - serverless-bundle\n  - ./my-plugin\n  - serverless-ofline\n"
    errors = _errors(_service(tmp_path, body + _FUNCTION))
    assert len(errors) == 4
    assert (
        "serverless.yml:8:5: plugins[0]: plugin 'serverless-appsync-plugin' is not supported: it changes"
        in (errors[0])
    )
    assert "define them under resources:" in errors[0]
    assert "plugins[1]: plugin 'serverless-bundle' is not supported yet: a packaging plugin" in errors[1]
    assert "plugins[2]: plugin './my-plugin' is not supported: a local plugin" in errors[2]
    assert "did you mean 'serverless-offline'?" in errors[3]


def test_acknowledged_plugins_synthesize_with_a_notice(tmp_path: Path) -> None:
    body = (
        "plugins:\n  - serverless-plugin-aws-alerts\n  - ./my-plugin\n"
        "custom:\n  slsCdk:\n    acknowledgePlugins: [serverless-plugin-aws-alerts, ./my-plugin]\n"
    )
    folder = _service(tmp_path, body + _FUNCTION)
    notices = [n.message for n in load_project(folder, stage="dev", env={}).services[0].notices]
    assert notices == [
        "plugin serverless-plugin-aws-alerts acknowledged: its changes (CloudWatch alarms, SNS topics and "
        "dashboards per function) are NOT applied",
        "plugin ./my-plugin acknowledged: its changes (unknown effects) are NOT applied",
    ]
    assert "HelloLambdaFunction" in synth(folder)["plug-dev"]["Resources"]


# ---- sls-cdk plugins ---------------------------------------------------------------------------


def test_the_plugins_command_prints_each_treatment(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    body = "plugins:\n  modules:\n    - serverless-offline\n    - serverless-bundle\n    - serverless-nope\n"
    folder = _service(tmp_path, body + _FUNCTION)
    assert main(["plugins", str(folder)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(": ")[1:3] for line in lines] == [
        ["serverless-offline", "no template effect"],
        ["serverless-bundle", "packaging"],
        ["serverless-nope", "unknown"],
    ]
    assert "(checked against 14.8.2)" in lines[0]


def test_the_plugins_command_reads_a_compose_project(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _service(tmp_path / "a", "plugins:\n  - serverless-dotenv-plugin\n" + _FUNCTION)
    _service(tmp_path / "b", _FUNCTION)
    (tmp_path / "serverless-compose.yml").write_text("services:\n  a:\n    path: a\n  b:\n    path: b\n")
    assert main(["plugins", str(tmp_path)]) == 0
    assert capsys.readouterr().out.splitlines()[0].startswith("a: serverless-dotenv-plugin: translated: ")


# ---- serverless-plugin-git-variables ---------------------------------------------------------------

_GIT_REPO = (
    '{"branch": "main", "user": {"name": "T", "email": "t@example.com"}, "date": "2024-01-01T00:00:00+00:00",'
    ' "message": "m", "files": ["serverless.yml"]}'
)


def test_git_is_an_unknown_source_without_the_plugin(tmp_path: Path) -> None:
    folder = _service(tmp_path, "custom:\n  b: ${git:branch}\n" + _FUNCTION)
    (errors,) = _errors(folder)
    assert "unknown variable source 'git'" in errors and "serverless-plugin-git-variables" in errors


def test_an_unknown_git_variable_is_located_with_a_suggestion(tmp_path: Path) -> None:
    body = "plugins: [serverless-plugin-git-variables]\ncustom:\n  b: ${git:brnch}\n"
    folder = _service(tmp_path / "case", body + _FUNCTION, {"git-repo.json": _GIT_REPO})
    make_repo(folder)
    (error,) = _errors(folder)
    assert "serverless.yml:9:" in error and "unknown git variable 'brnch'" in error
    assert "did you mean 'branch'?" in error


def test_no_repository_is_a_located_error(tmp_path: Path) -> None:
    ceiling = {"GIT_CEILING_DIRECTORIES": str(tmp_path)}
    folder = _service(tmp_path / "svc", "plugins: [serverless-plugin-git-variables]\n" + _FUNCTION)
    with pytest.MonkeyPatch.context() as patch:
        for key, value in ceiling.items():
            patch.setenv(key, value)
        (error,) = _errors(folder)
    assert "serverless.yml:7:" in error and "exports GIT_* variables" in error
    assert "not a git repository" in error and "exportGitVariables: false" in error


def test_export_git_variables_false_exports_nothing(tmp_path: Path) -> None:
    body = "plugins: [serverless-plugin-git-variables]\ncustom:\n  exportGitVariables: false\n"
    body += "  sha: ${git:sha1}\nfunctions:\n  hello:\n    handler: index.handler\n    description: ${git:branch}\n"
    folder = _service(tmp_path / "case", body, {"git-repo.json": _GIT_REPO})
    template = synth(folder)["plug-dev"]
    props = template["Resources"]["HelloLambdaFunction"]["Properties"]
    assert props["Description"] == "main" and "Environment" not in props and "Tags" not in props


# ---- serverless-dotenv-plugin -----------------------------------------------------------------------

_DOTENV = "plugins: [serverless-dotenv-plugin]\n"


def test_dotenv_exclude_and_node_env(tmp_path: Path) -> None:
    body = _DOTENV + "custom:\n  dotenv:\n    exclude: [SECRET]\n" + _FUNCTION
    files = {".env": "A=base\nSECRET=s\n", ".env.production": "A=prod\n"}
    folder = _service(tmp_path, body, files)
    assert _environment(synth(folder)["plug-dev"]) == {"A": "base"}
    project = load_project(folder, stage="dev", env={"NODE_ENV": "production"})
    assert project.services[0].model.provider.environment == {"A": "prod"}
    assert [n.message for n in project.services[0].notices] == [
        "DOTENV: Loading environment variables from .env, .env.production: A"
    ]


def test_dotenv_required_and_options_are_checked(tmp_path: Path) -> None:
    required = _DOTENV + "custom:\n  dotenv:\n    required:\n      file: true\n      env: [API_KEY]\n"
    (error,) = _errors(_service(tmp_path / "a", required + _FUNCTION))
    assert "DOTENV: Could not find .env file." in error and "serverless.yml:" in error
    (error,) = _errors(_service(tmp_path / "b", required + _FUNCTION, {".env": "OTHER=1\n"}))
    assert "Missing the following required environment variables: API_KEY" in error
    typo = _DOTENV + "custom:\n  dotenv:\n    exlude: [A]\n"
    (error,) = _errors(_service(tmp_path / "c", typo + _FUNCTION))
    assert "unknown option 'exlude'" in error and "did you mean 'exclude'?" in error
    parser = _DOTENV + "custom:\n  dotenv:\n    dotenvParser: parse.js\n"
    (error,) = _errors(_service(tmp_path / "d", parser + _FUNCTION))
    assert "runs JavaScript" in error
    outside = _DOTENV + "custom:\n  dotenv:\n    path: ../../secrets.env\n"
    (error,) = _errors(_service(tmp_path / "e" / "f", outside + _FUNCTION))
    assert "is outside the project" in error


def test_dotenv_parses_as_dotenv_16() -> None:
    text = "A = spaced \nB='single # kept'\nC=\"a\\nb\"\r\nexport D=x # comment\nE: colon\nnot a line\n"
    assert parse_dotenv(text) == {"A": "spaced", "B": "single # kept", "C": "a\nb", "D": "x", "E": "colon"}


def test_the_readme_table_is_the_catalogue() -> None:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    rows = [line for line in readme.splitlines() if line.startswith("| `serverless-")]
    listed = {line.split("`")[1]: line.split(" | ")[1:3] for line in rows}
    assert listed == {name: [row.version, row.treatment.value] for name, row in CATALOGUE.items()}
