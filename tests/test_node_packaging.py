"""The Node.js packaging plugins (serverless-esbuild, serverless-plugin-typescript,
serverless-webpack): our zips hold
what v3 + the plugin zipped for the reference cases, builds are deterministic, and a failed or
impossible build is a located error that names the function, the tool and its output, with
nothing written into the service folder."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from constructs_lib.errors import BuildError, ConfigError, ErrorGroup, SlsCdkError
from constructs_lib.loader.project import load_service
from tests.helpers import REFERENCE, V3_ZIPS, compare_zip, reference_case

NODE_CASES = (
    "f65-esbuild-dependency",
    "f66-esbuild-individually",
    "f67-typescript",
    "f68-webpack",
    "f69-esbuild-externals",
)


def _errors(exc: SlsCdkError) -> list[SlsCdkError]:
    return exc.errors if isinstance(exc, ErrorGroup) else [exc]


@pytest.mark.parametrize("name", NODE_CASES)
def test_our_zips_hold_what_v3_and_the_plugin_zipped(name: str) -> None:
    """Same file list, same bytes and modes as v3's zips, function by function."""
    case = reference_case(REFERENCE / name)
    svc = load_service(case.folder / "serverless.yml", stage="dev")
    individually = bool(svc.model.package and svc.model.package.individually)
    recorded = json.loads((case.folder / V3_ZIPS).read_text())
    compared = set()
    for key, artifact in svc.artifacts.items():
        zip_name = f"{key}.zip" if individually else f"{svc.name}.zip"
        assert zip_name in recorded, f"v3 wrote no {zip_name}"
        assert compare_zip(artifact, case, zip_name) == [], (key, artifact)
        compared.add(zip_name)
    assert compared == set(recorded)


def _service(folder: Path, body: str, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "serverless.yml").write_text(textwrap.dedent(body))
    for rel, text in files.items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_text(text)
    return folder / "serverless.yml"


_ESBUILD = """\
    service: nodepack
    plugins:
      - serverless-esbuild
    provider:
      name: aws
      runtime: nodejs20.x
    custom:
      esbuild:
        minify: true
    functions:
      hello:
        handler: src/app.handler
    """


def test_esbuild_builds_are_deterministic(tmp_path: Path) -> None:
    """Two builds (``--build`` each time) of the same inputs give the same zip bytes."""
    file = _service(tmp_path, _ESBUILD, {"src/app.ts": "export const handler = async () => 1 + 1;\n"})
    first = load_service(file, stage="dev", build=True).artifacts["hello"].read_bytes()
    second = load_service(file, stage="dev", build=True).artifacts["hello"].read_bytes()
    assert first == second
    import io
    import zipfile

    names = zipfile.ZipFile(io.BytesIO(first)).namelist()
    assert names == ["src/app.js"]


def _files(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


def test_a_syntax_error_is_located_with_the_tool_and_its_output(tmp_path: Path) -> None:
    file = _service(
        tmp_path, _ESBUILD, {"src/app.ts": "export const handler = async () => {\n  return (1 +;\n};\n"}
    )
    before = _files(tmp_path)
    with pytest.raises(SlsCdkError) as raised:
        load_service(file, stage="dev")
    [err] = _errors(raised.value)
    assert isinstance(err, BuildError)
    text = err.format()
    assert "serverless.yml:12:" in text  # the function's handler line
    assert "building function 'hello': esbuild failed with exit code 1: esbuild src/app.ts" in text
    assert "src/app.ts:2:" in text  # esbuild's own message, in the last lines shown
    assert _files(tmp_path) == before  # nothing written


def test_esbuild_options_are_checked_at_load(tmp_path: Path) -> None:
    body = _ESBUILD.replace("minify: true", "minfy: true\n        config: ./esbuild.config.js")
    with pytest.raises(SlsCdkError) as raised:
        load_service(_service(tmp_path, body, {"src/app.ts": "export const handler = 1;\n"}), stage="dev")
    [err] = _errors(raised.value)
    assert isinstance(err, ConfigError)
    assert "custom.esbuild.config: a JavaScript file of esbuild config cannot be run" in err.format()
    with pytest.raises(SlsCdkError) as raised:
        body = _ESBUILD.replace("minify: true", "minfy: true")
        load_service(
            _service(tmp_path / "b", body, {"src/app.ts": "export const handler = 1;\n"}), stage="dev"
        )
    text = _errors(raised.value)[0].format()
    assert (
        "serverless.yml:9:" in text
        and "'minfy' is not an option" in text
        and "did you mean 'minify'?" in text
    )


def test_esbuild_needs_a_node_provider_runtime_and_resolves_the_entry(tmp_path: Path) -> None:
    body = _ESBUILD.replace("runtime: nodejs20.x", "runtime: python3.12")
    with pytest.raises(SlsCdkError) as raised:
        load_service(_service(tmp_path, body, {}), stage="dev")
    assert "serverless-esbuild needs provider.runtime to be a Node.js runtime" in raised.value.format()
    with pytest.raises(SlsCdkError) as raised:
        load_service(
            _service(tmp_path / "b", _ESBUILD, {"src/other.ts": "export const x = 1;\n"}), stage="dev"
        )
    text = raised.value.format()
    assert "no file to bundle for function 'hello'" in text and "src/app.ts" in text


_TYPESCRIPT = """\
    service: tspack
    plugins:
      - serverless-plugin-typescript
    provider:
      name: aws
      runtime: nodejs20.x
    functions:
      hello:
        handler: src/app.handler
    """


def test_a_missing_tool_is_named_with_how_to_install_it(tmp_path: Path) -> None:
    file = _service(tmp_path, _TYPESCRIPT, {"src/app.ts": "export const handler = async () => 1;\n"})
    before = _files(tmp_path)
    with pytest.raises(SlsCdkError) as raised:
        load_service(file, stage="dev")
    [err] = _errors(raised.value)
    text = err.format()
    assert "serverless.yml:9:" in text
    assert "serverless-plugin-typescript builds with the service's own tsc, which is not installed" in text
    assert "npm install --save-dev typescript" in text
    assert _files(tmp_path) == before


def test_typescript_compiles_with_the_services_own_compiler(tmp_path: Path) -> None:
    """The service's TypeScript (f67's installed one) compiles into the package, deterministically."""
    modules = REFERENCE / "f67-typescript" / "node_modules"
    file = _service(
        tmp_path,
        _TYPESCRIPT,
        {"src/app.ts": "export const handler = async (n: number): Promise<number> => n * 2;\n"},
    )
    (tmp_path / "node_modules").symlink_to(modules)
    import zipfile

    first = load_service(file, stage="dev", build=True).artifacts["hello"]
    data = first.read_bytes()
    with zipfile.ZipFile(first) as zf:
        code = zf.read("src/app.js").decode()
        assert "exports.handler" in code and "n * 2" in code
        assert "src/app.js.map" in zf.namelist()  # the plugin's default: sourceMap on
    assert load_service(file, stage="dev", build=True).artifacts["hello"].read_bytes() == data


_WEBPACK = """\
    service: wppack
    plugins:
      - serverless-webpack
    provider:
      name: aws
      runtime: nodejs20.x
    custom:
      webpack:
        includeModule: true
    functions:
      hello:
        handler: src/app.handler
    """


def test_webpack_without_webpack_installed_is_a_located_error(tmp_path: Path) -> None:
    """The tool is named with its install command; an unknown key of custom.webpack is a located
    warning with did-you-mean (the plugin ignores it)."""
    file = _service(
        tmp_path, _WEBPACK, {"src/app.js": "exports.handler = async () => 1;\n", "webpack.config.js": ""}
    )
    before = _files(tmp_path)
    with pytest.raises(SlsCdkError) as raised:
        load_service(file, stage="dev")
    text = raised.value.format()
    assert "serverless.yml:12:" in text
    assert "serverless-webpack builds with the service's own webpack, which is not installed" in text
    assert "npm install --save-dev webpack" in text
    assert _files(tmp_path) == before
    (tmp_path / "node_modules").symlink_to(REFERENCE / "f68-webpack" / "node_modules")
    (tmp_path / "webpack.config.js").write_text(
        "const slsw = require('serverless-webpack');\n"
        "module.exports = { entry: slsw.lib.entries, mode: 'production', target: 'node',\n"
        "  output: { libraryTarget: 'commonjs2', path: __dirname + '/.webpack', filename: '[name].js' } };\n"
    )
    svc = load_service(file, stage="dev")
    [warning] = [w.format() for w in svc.warnings if "custom.webpack" in w.format()]
    assert (
        "serverless.yml:9:5: custom.webpack.includeModule: unknown key" in warning
        and "did you mean 'includeModules'?" in warning
    )
    import zipfile

    with zipfile.ZipFile(svc.artifacts["hello"]) as zf:
        assert zf.namelist() == ["src/app.js"]


def test_esbuild_externals_follow_the_plugins_rules(tmp_path: Path) -> None:
    """An external only in devDependencies is the plugin's error, located at ``external``; a
    packager other than npm is refused at load."""
    body = _ESBUILD.replace("minify: true", "external:\n          - left-pad")
    files = {
        "src/app.js": "exports.handler = async () => require('left-pad')('x', 3);\n",
        "package.json": json.dumps(
            {"dependencies": {"ms": "2.1.3"}, "devDependencies": {"left-pad": "1.3.0"}}
        ),
    }
    with pytest.raises(SlsCdkError) as raised:
        load_service(_service(tmp_path, body, files), stage="dev")
    text = raised.value.format()
    assert "serverless.yml:9:5: custom.esbuild.external:" in text
    assert "runtime dependency 'left-pad' found in devDependencies" in text
    with pytest.raises(SlsCdkError) as raised:
        body = _ESBUILD.replace("minify: true", "packager: yarn")
        load_service(_service(tmp_path / "b", body, files), stage="dev")
    assert "custom.esbuild.packager: packager 'yarn' is not supported" in raised.value.format()


def test_a_build_runs_with_build_or_when_its_inputs_changed(tmp_path: Path) -> None:
    """Without ``--build`` the kept zip of unchanged inputs is used as it is (not rebuilt); a
    changed handler, or ``--build``, builds again."""
    file = _service(tmp_path, _ESBUILD, {"src/app.ts": "export const handler = async () => 1;\n"})
    first = load_service(file, stage="dev").artifacts["hello"]
    stamp = first.stat().st_mtime_ns
    again = load_service(file, stage="dev").artifacts["hello"]
    assert again == first and again.stat().st_mtime_ns == stamp
    rebuilt = load_service(file, stage="dev", build=True).artifacts["hello"]
    assert rebuilt == first and rebuilt.stat().st_mtime_ns != stamp
    (tmp_path / "src/app.ts").write_text("export const handler = async () => 2;\n")
    changed = load_service(file, stage="dev").artifacts["hello"]
    assert changed != first
    import zipfile

    with zipfile.ZipFile(changed) as zf:
        assert "2" in zf.read("src/app.js").decode()


def test_esbuild_is_the_services_own_else_sls_cdks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """As Node resolves serverless-esbuild's peer dependency: the service's node_modules (or a
    folder above), then this checkout's pinned one; an installed sls-cdk has none of its own."""
    from constructs_lib.packaging_plugins import node_common

    service = tmp_path / "repo" / "svc"
    service.mkdir(parents=True)
    own = tmp_path / "repo" / "node_modules" / "esbuild"
    own.mkdir(parents=True)
    (own / "package.json").write_text('{"name": "esbuild"}')
    assert node_common.esbuild_package(None, (), service) == own
    assert (
        node_common.esbuild_package(None, (), tmp_path) == node_common.REPOSITORY / "node_modules" / "esbuild"
    )
    monkeypatch.setattr(node_common, "REPOSITORY", tmp_path / "installed")
    with pytest.raises(BuildError, match="esbuild is not installed") as raised:
        node_common.esbuild_package(None, ("custom", "esbuild"), tmp_path)
    assert "npm install --save-dev esbuild" in (raised.value.hint or "")
