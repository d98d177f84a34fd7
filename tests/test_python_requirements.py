"""serverless-python-requirements (constructs_lib/packaging_plugins/python_requirements): the
reference cases' zips file by file against v3's, and the plugin's options on small services."""

from __future__ import annotations

from pathlib import Path

import pytest

from constructs_lib.loader.project import load_project
from tests.helpers import REFERENCE, compare_zip, reference_case

#: (case, zip v3 wrote, the function or layer whose zip it is, arm64)
_CASE_ZIPS = (
    ("f62-python-requirements", "pyreq.zip", "hello", False),
    ("f63-python-requirements-slim", "pyreq-slim.zip", "hello", False),
    ("f64-python-requirements-layer", "pyreq-layer.zip", "hello", False),
    ("f64-python-requirements-layer", "pythonRequirements.zip", "layer:pythonRequirements", True),
)


@pytest.mark.parametrize(("case", "zip_name", "key", "arm64"), _CASE_ZIPS)
def test_reference_zips_hold_what_v3_zipped(case: str, zip_name: str, key: str, arm64: bool) -> None:
    ref = reference_case(REFERENCE / case)
    service = load_project(ref.folder, stage=ref.stage).services[0]
    ours = (
        service.layer_artifacts[key.removeprefix("layer:")].zip
        if key.startswith("layer:")
        else service.artifacts[key]
    )
    assert compare_zip(Path(ours), ref, zip_name, arm64=arm64) == []


# --- the plugin's options on small services, installed from a local index of wheels made here ---


def _wheel(index: Path, name: str, version: str, files: dict[str, str]) -> None:
    """A pure-Python wheel ``name-version-py3-none-any.whl`` holding ``files`` (path -> text)."""
    import zipfile

    dist = f"{name.replace('-', '_')}-{version}.dist-info"
    entries = {
        **files,
        f"{dist}/METADATA": f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n",
        f"{dist}/WHEEL": "Wheel-Version: 1.0\nGenerator: tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
    }
    entries[f"{dist}/RECORD"] = "".join(f"{path},,\n" for path in [*entries, f"{dist}/RECORD"])
    index.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(index / f"{name.replace('-', '_')}-{version}-py3-none-any.whl", "w") as zf:
        for path, text in entries.items():
            zf.writestr(path, text)


@pytest.fixture
def index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A local package index of two small wheels, and a private sls-cdk cache."""
    monkeypatch.setenv("SLS_CDK_CACHE", str(tmp_path / "cache"))
    folder = tmp_path / "index"
    _wheel(folder, "tiny", "1.0", {"tiny/__init__.py": "VALUE = 1\n", "tiny/data.pyi": "VALUE: int\n"})
    _wheel(folder, "other", "2.0", {"other.py": "X = 2\n"})
    return folder


def _service(folder: Path, index: Path, options: str = "", requirements: str = "tiny==1.0\nother\n") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "handler.py").write_text("def hello(event, context):\n    return 1\n")
    (folder / "requirements.txt").write_text(requirements)
    (folder / "serverless.yml").write_text(
        "service: pyreq\n"
        "provider:\n  name: aws\n  runtime: python3.12\n  region: us-east-1\n"
        "plugins:\n  - serverless-python-requirements\n"
        "custom:\n  pythonRequirements:\n"
        f"    pipCmdExtraArgs: ['--no-index', '--find-links {index}']\n"
        f"{options}"
        "functions:\n  hello:\n    handler: handler.hello\n"
    )
    return folder


def _names(zip_path: Path) -> list[str]:
    import zipfile

    with zipfile.ZipFile(zip_path) as zf:
        return sorted(zf.namelist())


def test_requirements_are_injected_into_the_service_zip(tmp_path: Path, index: Path) -> None:
    folder = _service(tmp_path / "svc", index)
    service = load_project(folder).services[0]
    names = _names(service.artifacts["hello"])
    assert {"handler.py", "tiny/__init__.py", "tiny/data.pyi", "other.py", "requirements.txt"} <= set(names)
    assert "tiny-1.0.dist-info/METADATA" in names
    import zipfile

    with zipfile.ZipFile(service.artifacts["hello"]) as zf:  # the plugin's filtered, sorted file
        assert zf.read("requirements.txt") == b"other\ntiny==1.0\n"
    again = load_project(folder).services[0]  # same inputs, same bytes
    assert again.artifacts["hello"].read_bytes() == service.artifacts["hello"].read_bytes()


def test_slim_and_no_deploy(tmp_path: Path, index: Path) -> None:
    options = "    slim: true\n    slimPatterns: ['**/*.pyi']\n    noDeploy: [other]\n"
    names = _names(load_project(_service(tmp_path / "svc", index, options)).services[0].artifacts["hello"])
    assert "tiny/__init__.py" in names
    assert not [n for n in names if ".dist-info" in n or n.endswith(".pyi") or n.startswith("other")]


def test_zip_option_ships_requirements_zip_and_the_plugins_helper(tmp_path: Path, index: Path) -> None:
    import zipfile

    from constructs_lib.packaging_plugins.python_requirements.helper import UNZIP_REQUIREMENTS

    folder = _service(tmp_path / "svc", index, "    zip: true\n")
    with zipfile.ZipFile(load_project(folder).services[0].artifacts["hello"]) as zf:
        assert zf.read("unzip_requirements.py").decode() == UNZIP_REQUIREMENTS
        assert "tiny/__init__.py" not in zf.namelist()
        inner = tmp_path / "inner.zip"
        inner.write_bytes(zf.read(".requirements.zip"))
    assert "tiny/__init__.py" in _names(inner)


def test_layer_is_added_as_the_plugin_adds_it(tmp_path: Path, index: Path) -> None:
    from tests.helpers import synth

    options = "    layer:\n      description: deps\n      compatibleArchitectures: [arm64]\n"
    folder = _service(tmp_path / "svc", index, options)
    template = synth(folder)["pyreq-dev"]
    props = template["Resources"]["PythonRequirementsLambdaLayer"]["Properties"]
    assert props["LayerName"] == "pyreq-dev-python-requirements"
    assert props["Description"] == "deps"
    assert props["CompatibleRuntimes"] == ["python3.12"]
    assert props["CompatibleArchitectures"] == ["arm64"]
    service = load_project(folder).services[0]
    assert "python/tiny/__init__.py" in _names(service.layer_artifacts["pythonRequirements"].zip)
    assert "tiny/__init__.py" not in _names(service.artifacts["hello"])  # in the layer only


def test_built_output_is_reused_unless_build_is_asked(tmp_path: Path, index: Path) -> None:
    folder = _service(tmp_path / "svc", index)
    load_project(folder)
    (installed,) = (tmp_path / "cache" / "pip" / "static").glob("[0-9a-f]*")
    marker = installed / "reused"
    marker.write_text("")
    load_project(folder)
    assert marker.is_file()  # not built again
    load_project(folder, build=True)
    assert not marker.is_file()  # --build builds again


def test_use_static_cache_false_builds_in_the_services_work_folder(tmp_path: Path, index: Path) -> None:
    folder = _service(tmp_path / "svc", index, "    useStaticCache: false\n")
    names = _names(load_project(folder).services[0].artifacts["hello"])
    assert ".completed_requirements" not in names  # the plugin marks static-cache folders only
    assert list(
        (folder / ".serverless" / "sls-cdk" / "serverless-python-requirements").glob("requirements/*")
    )


def test_a_failed_install_is_a_located_error_and_nothing_is_written(tmp_path: Path, index: Path) -> None:
    from constructs_lib.errors import BuildError

    folder = _service(tmp_path / "svc", index, requirements="tiny==1.0\nno-such-package==9\n")
    with pytest.raises(BuildError) as caught:
        load_project(folder)
    text = caught.value.format()
    assert (
        "serverless.yml:9:3: custom.pythonRequirements: building the zip of functions 'hello': pip failed"
        in text
    )
    assert "no-such-package==9" in text  # the last lines of pip's output
    assert not list((tmp_path / "cache" / "pip" / "static").glob("*"))


def test_unknown_options_warn_with_a_suggestion_and_docker_is_an_error(tmp_path: Path, index: Path) -> None:
    from constructs_lib.errors import ConfigError

    folder = _service(tmp_path / "svc", index, "    slimm: true\n")
    (warning,) = [w for w in load_project(folder).services[0].warnings if "slimm" in str(w)]
    assert "serverless.yml:11:5: custom.pythonRequirements.slimm: unknown key 'slimm'" in str(warning)
    assert "did you mean 'slim'?" in str(warning)
    folder = _service(tmp_path / "docker", index, "    dockerizePip: true\n")
    with pytest.raises(ConfigError, match=r"serverless.yml:11:5: custom.pythonRequirements.dockerizePip: "):
        load_project(folder)


def test_progress_shows_one_line_with_the_elapsed_time_on_a_terminal() -> None:
    import io

    from constructs_lib.packaging_plugins import progress

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    shown, hidden = Terminal(), io.StringIO()
    with progress("hello: pip install (3.12, arm64)", shown), progress("x", hidden):
        pass
    assert shown.getvalue().startswith("build: hello: pip install (3.12, arm64) ... done in ")
    assert shown.getvalue().endswith(" s\n") and shown.getvalue().count("\n") == 1
    assert hidden.getvalue() == ""


def test_each_individually_packaged_function_gets_wheels_for_its_architecture(tmp_path: Path) -> None:
    """From PyPI (downloads kept in ~/.cache/sls-cdk/pip between runs): pydantic-core's binary
    wheel for an arm64 and an x86_64 function of one service."""
    folder = tmp_path / "svc"
    folder.mkdir()
    (folder / "handler.py").write_text("def hello(event, context):\n    return 1\n")
    (folder / "requirements.txt").write_text("pydantic-core==2.27.2\ntyping-extensions==4.12.2\n")
    (folder / "serverless.yml").write_text(
        "service: pyarch\nprovider:\n  name: aws\n  runtime: python3.12\n"
        "package:\n  individually: true\n"
        "plugins:\n  - serverless-python-requirements\n"
        "functions:\n"
        "  arm:\n    handler: handler.hello\n    architecture: arm64\n"
        "  intel:\n    handler: handler.hello\n"
    )
    service = load_project(folder).services[0]
    so = "pydantic_core/_pydantic_core.cpython-312-{}-linux-gnu.so"
    assert so.format("aarch64") in _names(service.artifacts["arm"])
    assert so.format("x86_64") in _names(service.artifacts["intel"])


@pytest.mark.parametrize(
    ("file", "text", "tool"),
    [
        ("Pipfile", "[packages]\ntiny = '*'\n", "pipenv"),
        ("pyproject.toml", "[build-system]\nrequires = ['poetry-core']\n", "poetry"),
    ],
)
def test_a_missing_pipenv_or_poetry_is_named(
    tmp_path: Path, index: Path, monkeypatch: pytest.MonkeyPatch, file: str, text: str, tool: str
) -> None:
    """The plugin reads a Pipfile with pipenv and a poetry project with poetry: without the tool,
    a located error naming it (pip itself runs from sls-cdk's own Python)."""
    from constructs_lib.errors import BuildError

    folder = _service(tmp_path / "svc", index)
    (folder / file).write_text(text)
    monkeypatch.setenv("PATH", str(tmp_path / "no-tools"))
    with pytest.raises(BuildError) as caught:
        load_project(folder)
    message = caught.value.format()
    assert (
        f"serverless.yml:9:3: custom.pythonRequirements: building the requirements of pyreq: {tool} "
        in message
    )
    assert "is not installed (not found on PATH)" in message


def test_the_plugins_layer_survives_rebinding_for_a_cross_region_compose_reference(
    tmp_path: Path, index: Path
) -> None:
    """A compose service read from another region is validated again from its configuration
    (``rebind_imports``): the layer the plugin added stays."""
    from constructs_lib.loader.rebind import rebind_imports

    service = load_project(_service(tmp_path / "svc", index, "    layer: true\n")).services[0]
    assert "pythonRequirements" in rebind_imports(service, {}).model.layers
