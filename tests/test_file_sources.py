"""``${file()}``: the project root it is confined to, and JavaScript files run with Node when
allowed (v3-facts.md section 8), through the real loader and, where it matters, the template."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from constructs_lib.cli.loading import report
from constructs_lib.config.variables import decide_project_root, javascript
from constructs_lib.errors import SlsCdkError
from constructs_lib.loader.project import load_project, load_service
from tests.helpers import synth

SERVICE = """\
service: files
provider:
  name: aws
  runtime: provided.al2023
{provider}
custom:
{custom}
package:
  artifact: boot.zip
functions:
  hello:
    handler: index.handler
"""


def service(folder: Path, custom: str, provider: str = "") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    text = SERVICE.format(
        custom=textwrap.indent(textwrap.dedent(custom).strip("\n"), "  "), provider=provider
    )
    (folder / "serverless.yml").write_text(text)
    (folder / "boot.zip").write_bytes(b"PK\x05\x06" + b"\x00" * 18)
    return folder / "serverless.yml"


def error_of(file: Path, **kwargs: object) -> str:
    with pytest.raises(SlsCdkError) as info:
        load_service(file, **kwargs)  # type: ignore[arg-type]
    return info.value.format()


# ---- the project root ---------------------------------------------------------------------------


def test_root_is_the_compose_folder_then_git_then_the_service_folder(tmp_path: Path) -> None:
    svc = tmp_path / "repo" / "services" / "api"
    svc.mkdir(parents=True)
    assert decide_project_root(svc).path == svc.resolve()
    assert "service folder" in decide_project_root(svc).reason
    (tmp_path / "repo" / ".git").write_text("gitdir: elsewhere\n")  # a worktree's .git is a file
    assert decide_project_root(svc).path == (tmp_path / "repo").resolve()
    assert ".git" in decide_project_root(svc).reason
    compose = decide_project_root(svc, compose_dir=tmp_path / "repo" / "services")
    assert compose.path == (tmp_path / "repo" / "services").resolve() and "compose" in compose.reason


def test_a_service_in_a_git_repository_reads_files_above_its_folder(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "shared.yml").write_text("memory: 384\n")
    file = service(tmp_path / "svc", "mem: ${file(../shared.yml):memory}")
    assert load_service(file).model.custom["mem"] == 384


def test_outside_the_root_is_a_located_error_naming_the_root(tmp_path: Path) -> None:
    (tmp_path / "secret.yml").write_text("key: outside\n")
    file = service(tmp_path / "svc", "a: ${file(../secret.yml):key}")
    message = error_of(file)
    assert (
        "serverless.yml:7:3: custom.a: ${file(../secret.yml):key}: '../secret.yml' points outside" in message
    )
    assert f"the project root {(tmp_path / 'svc').resolve()} (the service folder" in message
    absolute = service(tmp_path / "svc2", f"a: ${{file({tmp_path / 'secret.yml'}):key}}")
    assert "absolute paths are refused outside the project root" in error_of(absolute)


def test_absolute_paths_inside_the_root_and_symlinks_out_of_it(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "inside.yml").write_text("key: inside\n")
    outside = tmp_path.parent / f"{tmp_path.name}-outside.yml"
    outside.write_text("key: outside\n")
    svc = tmp_path / "svc"
    file = service(svc, f"a: ${{file({tmp_path / 'inside.yml'}):key}}\nb: ${{file(./link.yml):key}}")
    (svc / "link.yml").symlink_to(outside)
    message = error_of(file)
    assert "custom.b: ${file(./link.yml):key}: './link.yml' points outside the project" in message
    assert "custom.a" not in message  # an absolute path inside the root is fine
    outside.unlink()


def test_compose_services_read_the_compose_folder(tmp_path: Path) -> None:
    (tmp_path / "serverless-compose.yml").write_text("services:\n  a:\n    path: a\n")
    (tmp_path / "shared.yml").write_text("tags: {team: core}\n")
    service(tmp_path / "a", "tags: ${file(../shared.yml):tags}")
    project = load_project(tmp_path)
    assert project.services[0].model.custom["tags"] == {"team": "core"}


# ---- JavaScript ---------------------------------------------------------------------------------

CONFIG_JS = """\
module.exports = {
  memory: 256,
  name: async ({ options, resolveVariable, resolveConfigurationProperty }) => {
    const service = await resolveVariable('self:service');
    const runtime = await resolveConfigurationProperty(['provider', 'runtime']);
    console.log('this goes to stderr, not into the protocol');
    return `${service}-${options.stage}-${runtime}`;
  },
  later: Promise.resolve({ deep: 'promised' }),
};
"""


def test_javascript_is_refused_unless_allowed(tmp_path: Path) -> None:
    file = service(tmp_path, "a: ${file(config.js):memory}")
    (tmp_path / "config.js").write_text(CONFIG_JS)
    message = error_of(file)
    assert (
        "serverless.yml:7:3: custom.a: ${file(config.js):memory}: JavaScript files are not executed"
        in message
    )
    assert "--allow-js" in message and "custom.slsCdk.allowJavaScript: true" in message


def test_allowed_javascript_runs_like_v3(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    file = service(
        tmp_path,
        "a: ${file(config.js):memory}\nb: ${file(config.js):name}\nc: ${file(config.js):later.deep}\n"
        "d: ${file(fn.cjs):nested.k}\ne: ${file(missing.js), 'fallback'}",
    )
    (tmp_path / "config.js").write_text(CONFIG_JS)
    (tmp_path / "fn.cjs").write_text("module.exports = async () => ({ nested: { k: 'v' } });\n")
    svc = load_service(file, stage="qa", allow_js=True)
    assert svc.model.custom == {
        "a": 256,
        "b": "files-qa-provided.al2023",
        "c": "promised",
        "d": "v",
        "e": "fallback",
    }
    report(load_project(file, stage="qa", allow_js=True))
    notices = [line for line in capsys.readouterr().err.splitlines() if line.startswith("note:")]
    assert len(notices) == 2  # one per file run, where it is first used
    assert "serverless.yml:7:3: custom.a: ran config.js with Node (allowed by --allow-js)" in notices[0]
    assert "serverless.yml:10:3: custom.d: ran fn.cjs with Node" in notices[1]


def test_the_service_file_can_allow_javascript_and_values_reach_the_template(tmp_path: Path) -> None:
    file = service(
        tmp_path,
        "slsCdk:\n  allowJavaScript: true",
        provider="  memorySize: ${file(config.js):memory}\n  environment:\n    NAME: ${file(config.js):name}",
    )
    (tmp_path / "config.js").write_text(CONFIG_JS)
    (template,) = synth(file, stage="dev").values()
    props = template["Resources"]["HelloLambdaFunction"]["Properties"]
    assert props["MemorySize"] == 256
    assert props["Environment"]["Variables"]["NAME"] == "files-dev-provided.al2023"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("module.exports = { a: 1,, };", "loading bad.js failed: SyntaxError: Unexpected token ','"),
        ("throw new Error('at load\\nsecond');", "loading bad.js failed: Error: at load"),
        (
            "module.exports = () => { throw new TypeError('boom'); };",
            "the function bad.js exports failed: TypeError: boom",
        ),
        (
            "module.exports = Promise.reject(new Error('no'));",
            "the promise bad.js exports was rejected: Error: no",
        ),
        (
            "module.exports = { x: () => { throw new Error('x!'); } };",
            "the function at 'x' of bad.js failed: Error: x!",
        ),
        ("module.exports = { x: 10n };", "bad.js gave a value that is not JSON: TypeError"),
        ("process.exit(3);", "node stopped (exit code 3) before giving a value"),
        (
            "module.exports = ({ resolveVariable }) => resolveVariable('self:custom.nope');",
            "bad.js asked for a value that could not be resolved: cannot resolve ${self:custom.nope}",
        ),
    ],
)
def test_javascript_failures_are_located_errors(tmp_path: Path, source: str, expected: str) -> None:
    address = ":x" if "x:" in source else ""
    file = service(tmp_path, f"a: ${{file(bad.js){address}}}")
    (tmp_path / "bad.js").write_text(source + "\n")
    message = error_of(file, allow_js=True)
    assert f"serverless.yml:7:3: custom.a: ${{file(bad.js){address}}}: " in message
    assert expected in message
    assert "\n" not in message  # the first line of Node's message only


def test_a_silent_javascript_file_is_stopped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(javascript, "TIMEOUT_SECONDS", 1.0)
    file = service(tmp_path, "a: ${file(hang.js)}")
    (tmp_path / "hang.js").write_text("module.exports = new Promise(() => setInterval(() => {}, 1000));\n")
    assert "hang.js gave no answer within 1 s (stopped)" in error_of(file, allow_js=True)


def test_mjs_and_ts_are_text_as_in_v3(tmp_path: Path) -> None:
    file = service(tmp_path, "a: ${file(x.mjs)}")
    (tmp_path / "x.mjs").write_text("export default 1;\n")
    assert load_service(file).model.custom["a"] == "export default 1;\n"


def _js_service(tmp_path: Path) -> Path:
    file = service(tmp_path / "svc", "a: x", provider="  memorySize: ${file(config.js):memory}")
    (tmp_path / "svc" / "config.js").write_text(CONFIG_JS)
    return file


def test_cdk_synth_context_allow_js_reaches_app_py(tmp_path: Path) -> None:
    """``cdk synth -c allowJs=true``: the context travels in CDK_CONTEXT_JSON, as stage does."""
    file = _js_service(tmp_path)
    root = Path(__file__).resolve().parent.parent

    def app(context: dict[str, str]) -> subprocess.CompletedProcess[str]:
        env = {
            **os.environ,
            "CDK_CONTEXT_JSON": json.dumps({"service": str(file), **context}),
            "CDK_OUTDIR": str(tmp_path / "cdk.out"),
        }
        return subprocess.run([sys.executable, str(root / "app.py")], env=env, capture_output=True, text=True)

    refused = app({})
    assert refused.returncode == 1 and "JavaScript files are not executed" in refused.stderr
    allowed = app({"allowJs": "true"})
    assert allowed.returncode == 0, allowed.stderr
    assert "ran config.js with Node (allowed by --allow-js)" in allowed.stderr
    template = json.loads((tmp_path / "cdk.out" / "files-dev.template.json").read_text())
    assert template["Resources"]["HelloLambdaFunction"]["Properties"]["MemorySize"] == 256


def test_cli_flag_allow_js(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from constructs_lib.cli.commands import main

    file = _js_service(tmp_path)
    assert main(["check", str(file)]) == 1
    assert "JavaScript files are not executed" in capsys.readouterr().err
    assert main(["check", "--allow-js", str(file)]) == 0
    assert "note:" in capsys.readouterr().err
