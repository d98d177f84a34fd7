"""Packaging a service folder without an artifact: v3's file selection, deterministic zips."""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

import pytest

from constructs_lib.errors import SlsCdkError
from constructs_lib.loader.packaging import glob_to_regex, select_files
from constructs_lib.loader.project import load_service
from tests.helpers import REFERENCE, synth

SERVICE = """\
service: pkg
frameworkVersion: "3"
useDotenv: true
provider:
  name: aws
  runtime: python3.11
  region: us-east-1
  deploymentBucket:
    name: my.serverless
  iam:
    role: arn:aws:iam::123456789012:role/r
package:
  patterns:
    - '!docs/**'
    - '!tests/**'
    - '!**/*.md'
    - 'src/keep.md'
    - '!node_modules/**'
    - '!notes.{txt,log}'
functions:
  shared:
    handler: src/handler.main
  alone:
    handler: src/handler.main
    package:
      individually: true
      patterns:
        - '!src/lib/**'
        - 'docs/readme.md'
"""

TREE = {
    "src/handler.py": "a",
    "src/lib/util.py": "b",
    "docs/readme.md": "c",
    "README.md": "d",
    ".git/config": "e",
    "node_modules/dep/index.js": "f",
    "tests/test_a.py": "g",
    "bin/run": "#!/bin/sh\n",
    ".gitignore": "h",
    ".env": "i",
    "yarn-error.log": "j",
    "notes.txt": "k",
    ".serverless_plugins/p.js": "l",
    "nested/.hidden/x.cfg": "m",
    "src/keep.md": "n",
}

# What `serverless package` (3.40.0) zipped for this very tree and file (names and modes), read
# from its .serverless/pkg.zip and .serverless/alone.zip.
V3_SHARED = {
    "bin/run": 0o755,
    "nested/.hidden/x.cfg": 0o644,
    "src/handler.py": 0o644,
    "src/keep.md": 0o644,
    "src/lib/util.py": 0o644,
}
V3_ALONE = {
    "bin/run": 0o755,
    "docs/readme.md": 0o644,
    "nested/.hidden/x.cfg": 0o644,
    "src/handler.py": 0o644,
    "src/keep.md": 0o644,
}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    for rel, text in TREE.items():
        target = tmp_path / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
    (tmp_path / "bin" / "run").chmod(0o755)
    (tmp_path / "serverless.yml").write_text(SERVICE)
    return tmp_path


def _listing(zip_path: Path) -> dict[str, int]:
    with zipfile.ZipFile(zip_path) as zf:
        return {info.filename: (info.external_attr >> 16) & 0o777 for info in zf.infolist()}


def test_selection_and_modes_match_v3(project: Path) -> None:
    svc = load_service(project / "serverless.yml")
    assert _listing(svc.function_artifact("shared")) == V3_SHARED
    assert _listing(svc.function_artifact("alone")) == V3_ALONE


def test_zips_are_deterministic(project: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    svc = load_service(project / "serverless.yml")
    first = hashlib.sha256(svc.function_artifact("shared").read_bytes()).hexdigest()
    other = tmp_path_factory.mktemp("copy")
    for rel, text in TREE.items():  # same content, written later: other mtimes, same zip
        (other / rel).parent.mkdir(parents=True, exist_ok=True)
        (other / rel).write_text(text)
    (other / "bin" / "run").chmod(0o755)
    (other / "serverless.yml").write_text(SERVICE)
    again = load_service(other / "serverless.yml").function_artifact("shared")
    assert hashlib.sha256(again.read_bytes()).hexdigest() == first


def test_functions_packaged_together_walk_the_folder_once(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import constructs_lib.loader.artifacts as project_module

    calls: list[str] = []
    real = project_module.package_folder

    def counting(root: Path, **kwargs: object) -> Path:
        calls.append(str(kwargs["name"]))
        return real(root, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(project_module, "package_folder", counting)
    text = SERVICE + "  third:\n    handler: src/handler.main\n"
    (project / "serverless.yml").write_text(text)
    svc = load_service(project / "serverless.yml")
    zips = {key: svc.function_artifact(key) for key in ("shared", "third", "alone", "shared")}
    assert zips["shared"] == zips["third"] != zips["alone"]
    assert calls == ["pkg", "alone"]  # the service's zip once, the individual one once


def test_packaged_functions_get_their_own_code(project: Path) -> None:
    template = synth(project, stage="dev")["pkg-dev"]
    res = template["Resources"]
    shared, alone = (res[f"{k}LambdaFunction"]["Properties"]["Code"]["S3Key"] for k in ("Shared", "Alone"))
    assert shared != alone and shared.startswith("serverless/pkg/dev/")
    assert res["SharedLambdaFunction"]["Properties"]["Runtime"] == "python3.11"


def test_no_matching_file_is_a_located_error(project: Path) -> None:
    text = SERVICE.replace("    - 'src/keep.md'\n", "").replace("    - '!docs/**'", "    - '!**'")
    (project / "serverless.yml").write_text(text.replace("        - 'docs/readme.md'\n", ""))
    with pytest.raises(Exception) as info:
        load_service(project / "serverless.yml")
    text = info.value.format()  # type: ignore[attr-defined]
    assert "serverless.yml:12:1: package: no file of the service folder matches" in text
    assert "serverless.yml:24:5: functions.alone.package: no file of the service folder matches" in text


@pytest.mark.parametrize(
    ("pattern", "matches", "misses"),
    [
        ("**/*.md", ["README.md", "a/b/c.md"], ["a.mdx", "md"]),
        ("docs/**", ["docs/a", "docs/a/b.txt"], ["docs", "xdocs/a"]),
        ("*.py", ["a.py", ".hidden.py"], ["src/a.py"]),
        ("notes.{txt,log}", ["notes.txt", "notes.log"], ["notes.md"]),
        ("src/?.py", ["src/a.py"], ["src/ab.py"]),
        ("file[0-9].txt", ["file1.txt"], ["filea.txt"]),
        ("a/**/b", ["a/b", "a/x/y/b"], ["a/b/c"]),
    ],
)
def test_glob_rules(pattern: str, matches: list[str], misses: list[str]) -> None:
    rx = glob_to_regex(pattern)
    assert all(rx.match(m) for m in matches), pattern
    assert not any(rx.match(m) for m in misses), pattern


def test_select_files_applies_patterns_in_order(tmp_path: Path) -> None:
    for rel in ("a.txt", "b.txt", "keep/c.txt"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x")
    files = select_files(tmp_path, excludes=["*.txt"], includes=["b.txt", "!keep/**", "keep/c.txt"])
    assert files == ["b.txt", "keep/c.txt"]


LAYERED = """\
service: layered
provider:
  name: aws
  runtime: python3.12
  region: us-east-1
  deploymentBucket:
    name: my.serverless
package:
  patterns:
    - '!README*'
layers:
  deps:
    path: layers/deps
    compatibleRuntimes: [python3.12]
    package:
      patterns:
        - '!**/*.txt'
functions:
  api:
    handler: src/handler.main
    layers:
      - Ref: DepsLambdaLayer
"""


def _layered(root: Path) -> Path:
    (root / "layers" / "deps" / "lib").mkdir(parents=True)
    (root / "layers" / "deps" / "lib" / "mod.py").write_text("x=1\n")
    (root / "layers" / "deps" / "README.txt").write_text("notes\n")
    (root / "src").mkdir()
    (root / "src" / "handler.py").write_text("code\n")
    (root / "serverless.yml").write_text(LAYERED)
    return root


def test_layer_path_is_zipped_as_v3_and_kept_out_of_the_service_zip(tmp_path: Path) -> None:
    """Selections observed from serverless@3.40.0 on the same tree: deps.zip = lib/mod.py (the
    layer's own patterns drop *.txt); the service zip holds src/handler.py and no layers/."""
    svc = load_service(_layered(tmp_path))
    layer_zip, recorded = svc.layer_artifact("deps")
    assert sorted(zipfile.ZipFile(layer_zip).namelist()) == ["lib/mod.py"]
    assert recorded.endswith(".serverless/deps.zip")  # v3's artifact path (sorts layers in the digest)
    assert sorted(zipfile.ZipFile(svc.function_artifact("api")).namelist()) == ["src/handler.py"]
    (template,) = synth(tmp_path, stage="dev").values()
    layer = template["Resources"]["DepsLambdaLayer"]
    assert layer["Type"] == "AWS::Lambda::LayerVersion"
    assert layer["Properties"]["CompatibleRuntimes"] == ["python3.12"]
    assert template["Resources"]["ApiLambdaFunction"]["Properties"]["Layers"] == [{"Ref": "DepsLambdaLayer"}]


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("../outside", "leaves the service folder"),
        ("layers/nope", "is not a folder"),
        ("layers/empty", "matches"),
    ],
)
def test_bad_layer_paths_are_located_errors(tmp_path: Path, path: str, message: str) -> None:
    root = _layered(tmp_path / "svc")
    (root / "layers" / "empty").mkdir()
    (root / "layers" / "empty" / "only.txt").write_text("-")
    (root / "serverless.yml").write_text(LAYERED.replace("path: layers/deps", f"path: {path}"))
    with pytest.raises(SlsCdkError) as info:
        load_service(root / "serverless.yml")
    text = str(info.value)
    assert message in text and "serverless.yml:13:5: layers.deps.path" in text


def test_the_work_folder_is_removed_only_by_the_process_that_made_it(tmp_path: Path) -> None:
    """A forked synth worker runs its parent's exit handlers: it must leave the zips alone."""
    import os

    from constructs_lib.loader.packaging import _remove_work_dir

    folder = tmp_path / "work"
    folder.mkdir()
    _remove_work_dir(folder, os.getpid() + 1)
    assert folder.is_dir()
    _remove_work_dir(folder, os.getpid())
    assert not folder.exists()


HANDLERS = """\
service: handlers
provider:
  name: aws
  runtime: python3.12
  region: us-east-1
  deploymentBucket:
    name: my.serverless
  iam:
    role: arn:aws:iam::123456789012:role/r
functions:
  present:
    handler: src/app.main
  dotted:
    handler: src.app.main
  missing:
    handler: src/gone.main
  node:
    handler: web/index.handler
    runtime: nodejs20.x
  nodeMissing:
    handler: web/nope.handler
    runtime: nodejs20.x
  ruby:
    handler: lib/fn.call
    runtime: ruby3.3
  custom:
    handler: bootstrap
    runtime: provided.al2023
    package:
      artifact: custom.zip
  layered:
    handler: bootstrap
    runtime: provided.al2023
    layers: [arn:aws:lambda:us-east-1:123456789012:layer:runtime:1]
    package:
      artifact: custom.zip
"""


def _write_zip(path: Path, names: list[str]) -> None:
    with zipfile.ZipFile(path, "w") as zf:
        for name in names:
            zf.writestr(name, "x")


def test_missing_handler_files_are_located_warnings(tmp_path: Path) -> None:
    """v3 never looks; Lambda fails at the first invoke. Interpreted runtimes need the handler's
    file, custom runtimes a root ``bootstrap`` (unless a layer may bring it)."""
    for rel in ("src/app.py", "web/index.mjs"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x")
    _write_zip(tmp_path / "custom.zip", ["bin/bootstrap"])
    (tmp_path / "serverless.yml").write_text(HANDLERS)
    warnings = [w.format() for w in load_service(tmp_path / "serverless.yml").warnings]
    text = "\n".join(warnings)
    assert (
        "serverless.yml:16:5: functions.missing.handler: handler 'src/gone.main': none of src/gone.py is in the zip of 'missing'"
        in text
    )
    assert "handler 'web/nope.handler': none of web/nope.cjs, web/nope.js, web/nope.mjs is in the zip" in text
    assert "serverless.yml:24:5: functions.ruby.handler: handler 'lib/fn.call': none of lib/fn.rb" in text
    assert (
        "serverless.yml:27:5: functions.custom.handler: the zip of 'custom' has no 'bootstrap' at its root"
        in text
    )
    assert not any(f"functions.{key}.handler" in text for key in ("present", "dotted", "node", "layered"))
    _write_zip(tmp_path / "custom.zip", ["bootstrap"])
    assert "custom.handler" not in "\n".join(
        w.format() for w in load_service(tmp_path / "serverless.yml").warnings
    )


def test_symlinks_out_of_the_service_are_left_out_and_warned(tmp_path: Path) -> None:
    """Folder packaging never follows a symlink out of the service folder (v3 would zip what it
    points to, e.g. a home directory): the link is left out, with a warning at the package key.
    Links inside the service are followed, as v3 does; excluded links are not worth a warning."""
    outside = tmp_path / "outside"
    (outside / "keys").mkdir(parents=True)
    (outside / "keys" / "id_rsa").write_text("secret")
    (outside / "token.txt").write_text("secret")
    root = tmp_path / "svc"
    (root / "src").mkdir(parents=True)
    (root / "src" / "handler.py").write_text("code")
    (root / "src" / "keys").symlink_to(outside / "keys")
    (root / "src" / "token.txt").symlink_to(outside / "token.txt")
    (root / "src" / "same.py").symlink_to(root / "src" / "handler.py")
    (root / "ignored").symlink_to(outside)
    (root / "serverless.yml").write_text(
        SERVICE.replace("    - '!docs/**'\n", "    - '!docs/**'\n    - '!ignored/**'\n")
    )
    svc = load_service(root / "serverless.yml")
    names = sorted(zipfile.ZipFile(svc.function_artifact("shared")).namelist())
    assert names == ["src/handler.py", "src/same.py"]
    text = "\n".join(w.format() for w in svc.warnings)
    assert (
        "serverless.yml:12:1: package: left out of pkg.zip: symlink(s) leading outside the service folder: "
        "src/keys, src/token.txt" in text
    )
    assert "ignored" not in text


def test_artifacts_may_live_anywhere_in_the_compose_project(tmp_path: Path) -> None:
    """The boundary is the project root: a compose service may use a zip of a sibling folder."""
    (tmp_path / "shared").mkdir()
    _write_zip(tmp_path / "shared" / "boot.zip", ["bootstrap"])
    (tmp_path / "svc").mkdir()
    text = (
        HANDLERS.split("functions:")[0]
        + "functions:\n  f:\n    handler: bootstrap\n    runtime: provided.al2023\n"
    )
    (tmp_path / "svc" / "serverless.yml").write_text(text + "package:\n  artifact: ../shared/boot.zip\n")
    svc = load_service(tmp_path / "svc" / "serverless.yml", project_root=tmp_path)
    assert svc.function_artifact("f") == (tmp_path / "shared" / "boot.zip").resolve()
    with pytest.raises(SlsCdkError, match="points outside the project"):
        load_service(tmp_path / "svc" / "serverless.yml")


def test_unreadable_files_are_located_errors() -> None:
    """A selected file the user cannot read (run as an unprivileged user: root reads anything;
    in a folder of /tmp that user can reach)."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        _check_unreadable(Path(folder))


def _check_unreadable(tmp_path: Path) -> None:
    import os

    root = tmp_path / "svc"
    (root / "src").mkdir(parents=True)
    (root / "src" / "handler.py").write_text("code")
    (root / "src" / "private.py").write_text("code")
    (root / "src" / "private.py").chmod(0)
    (root / "serverless.yml").write_text(SERVICE)
    for folder in (tmp_path, root, root / "src"):
        folder.chmod(0o755)
    (root / "serverless.yml").chmod(0o644)
    (root / "src" / "handler.py").chmod(0o644)
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child drops root when it has it, and reports the error text
        try:
            if os.geteuid() == 0:
                os.setgid(65534)
                os.setuid(65534)
            try:
                load_service(root / "serverless.yml")
                result = "loaded"
            except SlsCdkError as exc:
                result = exc.format()
            except BaseException as exc:
                result = repr(exc)
            os.write(write, result.encode())
        finally:
            os._exit(0)
    os.close(write)
    os.waitpid(pid, 0)
    with os.fdopen(read) as pipe:
        text = pipe.read()
    assert (
        "serverless.yml:12:1: package: cannot read 1 file(s) of the service folder to package: src/private.py"
        in text
    )


def test_a_zip_bomb_is_refused_from_its_central_directory_fast_and_small(tmp_path: Path) -> None:
    """A 1 KB zip claiming 4 GB: refused in milliseconds, without extracting (bounded memory)."""
    import struct
    import time
    import tracemalloc

    from constructs_lib.config.source import SourceMap
    from constructs_lib.loader.zip_checks import zip_problems

    bomb = tmp_path / "bomb.zip"
    _write_zip(bomb, ["bootstrap"])
    data = bytearray(bomb.read_bytes())
    central = data.index(b"PK\x01\x02")
    struct.pack_into("<II", data, central + 20, 10, 0xFFFF_FFF0)
    bomb.write_bytes(bytes(data))
    tracemalloc.start()
    start = time.monotonic()
    problems = zip_problems(bomb, "bomb.zip", ("package", "artifact"), SourceMap("serverless.yml"))
    elapsed = time.monotonic() - start
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    text = "\n".join(p.format() for p in problems)
    assert "a zip bomb" in text and "unzips to 4096.0 MB; Lambda's limit is 250 MB" in text
    assert elapsed < 0.5 and peak < 2 * 1024 * 1024


def test_a_layer_a_packaging_plugin_adds_is_inspected_like_ours(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What a plugin zips goes through the same entry checks as our zips: an entry climbing out
    with '..' is a located error (at the plugins listing), nothing written."""
    import zipfile

    from constructs_lib.config.model import Layer
    from constructs_lib.errors import SlsCdkError
    from constructs_lib.loader import steps
    from constructs_lib.loader.project import load_project
    from constructs_lib.packaging_plugins import AddedLayer, PluginOutput

    bad = tmp_path / "pythonRequirements.zip"
    with zipfile.ZipFile(bad, "w") as zf:
        zf.writestr("python/../../evil.py", "x")
    layer = Layer.model_validate({"package": {"artifact": ".serverless/pythonRequirements.zip"}})
    output = PluginOutput(layers={"pythonRequirements": AddedLayer(layer, bad, ".serverless/x.zip")})
    monkeypatch.setattr(steps, "_run_plugins", lambda *args: [("serverless-python-requirements", output)])
    with pytest.raises(SlsCdkError) as raised:
        load_project(REFERENCE / "f21-provider-string")
    assert "pythonRequirements.zip': entry 'python/../../evil.py' climbs out of the archive" in str(
        raised.value
    )
