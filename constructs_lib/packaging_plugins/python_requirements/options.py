"""``custom.pythonRequirements`` of serverless-python-requirements 6.1.2, read and checked.

Defaults are the plugin's (its ``get options()`` in ``index.js``). Every key the plugin reads is
known here; an unknown key is a located warning with a did-you-mean (the plugin ignores it), or an
error under ``configValidationMode: error``. ``dockerizePip`` (``true``, or ``non-linux`` off
Linux) and the Docker options need Docker, which sls-cdk does not run: a located error, since the
built code would differ (we install Linux wheels for the function's runtime without Docker).
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from constructs_lib.config.source import SourceMap
from constructs_lib.config.validate import ValidationMode
from constructs_lib.errors import ConfigError, SchemaError, SlsCdkError, did_you_mean

__all__ = ["KEY", "Options", "read_options"]

KEY = ("custom", "pythonRequirements")

#: the plugin's keys and what each must be (as written; "str|bool" etc. as the plugin reads them)
_KINDS: dict[str, tuple[type, ...]] = {
    "slim": (bool, str),
    "slimPatterns": (list, bool),
    "slimPatternsAppendDefaults": (bool, str),
    "strip": (bool, str),
    "zip": (bool, str),
    "layer": (bool, dict),
    "cleanupZipHelper": (bool,),
    "invalidateCaches": (bool,),
    "fileName": (str,),
    "usePipenv": (bool,),
    "usePoetry": (bool,),
    "pythonBin": (str,),
    "dockerizePip": (bool, str),
    "dockerSsh": (bool,),
    "dockerPrivateKey": (str, type(None)),
    "dockerImage": (str, type(None)),
    "dockerFile": (str, type(None)),
    "dockerEnv": (bool, list),
    "dockerBuildCmdExtraArgs": (list,),
    "dockerRunCmdExtraArgs": (list,),
    "dockerExtraFiles": (list,),
    "dockerRootless": (bool,),
    "useStaticCache": (bool,),
    "useDownloadCache": (bool,),
    "cacheLocation": (str, bool),
    "staticCacheMaxVersions": (int, str),
    "pipCmdExtraArgs": (list,),
    "noDeploy": (list,),
    "vendor": (str,),
    "requirePoetryLockFile": (bool,),
    "poetryWithGroups": (list,),
    "poetryWithoutGroups": (list,),
    "poetryOnlyGroups": (list,),
}
_DOCKER_ONLY = ("dockerSsh", "dockerPrivateKey", "dockerImage", "dockerFile")


def _truthy(value: object) -> bool:
    """The plugin's ``x === true || x === 'true'``."""
    return value is True or value == "true"


@dataclass(frozen=True)
class Options:
    """The options in force (the plugin's defaults under what the service sets)."""

    slim: bool = False
    slim_patterns: tuple[str, ...] = ()
    slim_patterns_append_defaults: bool = True
    strip: bool = True
    zip: bool = False
    layer: Mapping[str, Any] | None = None
    file_name: str = "requirements.txt"
    use_pipenv: bool = True
    use_poetry: bool = True
    use_static_cache: bool = True
    use_download_cache: bool = True
    pip_extra_args: tuple[str, ...] = ()
    no_deploy: tuple[str, ...] = ()
    vendor: str = ""
    require_poetry_lock: bool = False
    poetry_with: tuple[str, ...] = ()
    poetry_without: tuple[str, ...] = ()
    poetry_only: tuple[str, ...] = ()
    raw: Mapping[str, Any] = field(default_factory=dict)

    @property
    def strip_so(self) -> bool:
        """The plugin strips ``*.so`` only when ``slim`` is on and ``strip`` is not false."""
        return self.slim and self.strip


def _texts(value: object) -> tuple[str, ...]:
    return tuple(str(v) for v in value) if isinstance(value, list) else ()


def _options(raw: Mapping[str, Any]) -> Options:
    layer = raw.get("layer")
    return Options(
        slim=_truthy(raw.get("slim", False)),
        slim_patterns=_texts(raw.get("slimPatterns")),
        slim_patterns_append_defaults=raw.get("slimPatternsAppendDefaults", True) not in (False, "false"),
        strip=raw.get("strip", True) not in (False, "false"),
        zip=_truthy(raw.get("zip", False)),
        layer=({} if layer is True else dict(layer)) if layer else None,
        file_name=str(raw.get("fileName", "requirements.txt")),
        use_pipenv=raw.get("usePipenv", True) is not False,
        use_poetry=raw.get("usePoetry", True) is not False,
        use_static_cache=raw.get("useStaticCache", True) is not False,
        use_download_cache=raw.get("useDownloadCache", True) is not False,
        pip_extra_args=tuple(p for arg in _texts(raw.get("pipCmdExtraArgs")) for p in arg.split(None, 1)),
        no_deploy=_texts(raw.get("noDeploy")),
        vendor=str(raw.get("vendor") or ""),
        require_poetry_lock=raw.get("requirePoetryLockFile") is True,
        poetry_with=_texts(raw.get("poetryWithGroups")),
        poetry_without=_texts(raw.get("poetryWithoutGroups")),
        poetry_only=_texts(raw.get("poetryOnlyGroups")),
        raw=dict(raw),
    )


def _dockerized(raw: Mapping[str, Any]) -> bool:
    value = raw.get("dockerizePip", False)
    if value == "non-linux":
        return not sys.platform.startswith("linux")
    return bool(value)


def read_options(
    custom: Mapping[str, Any] | None, sources: SourceMap, mode: ValidationMode
) -> tuple[Options, list[SlsCdkError], list[SlsCdkError]]:
    """``(options, warnings, errors)`` of ``custom.pythonRequirements``."""
    raw = (custom or {}).get("pythonRequirements")
    warnings: list[SlsCdkError] = []
    errors: list[SlsCdkError] = []
    if raw is None:
        return Options(), warnings, errors
    if not isinstance(raw, dict):
        return Options(), warnings, [_error(KEY, sources, "must be an object of the plugin's options")]
    for key, value in raw.items():
        where = (*KEY, key)
        if key not in _KINDS:
            guess = did_you_mean(key, _KINDS)
            hint = f"did you mean {guess!r}?" if guess else None
            text = f"unknown key {key!r} of serverless-python-requirements"
            if mode == "error":
                errors.append(SchemaError(text, location=sources.locate(where), path=where, hint=hint))
            elif mode == "warn":
                warnings.append(
                    SchemaError(
                        f"{text}: ignored, as the plugin ignores it",
                        location=sources.locate(where),
                        path=where,
                        hint=hint,
                    )
                )
            continue
        kinds = _KINDS[key]
        if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
            names = " or ".join("null" if k is type(None) else k.__name__ for k in kinds)
            errors.append(_error(where, sources, f"must be {names.replace('str', 'text')}, not {value!r}"))
    if _dockerized(raw):
        errors.append(
            _error(
                (*KEY, "dockerizePip"),
                sources,
                "dockerizePip: sls-cdk does not run Docker; it installs Linux wheels for each "
                "function's runtime and architecture itself (pip --platform manylinux2014_<arch>)",
                hint="remove dockerizePip (a requirement with no Linux wheel must be built into "
                "a package.artifact or a layer yourself)",
            )
        )
    elif any(raw.get(k) for k in _DOCKER_ONLY):
        where = (*KEY, next(k for k in _DOCKER_ONLY if raw.get(k)))
        warnings.append(
            SchemaError(
                "a Docker option is set but dockerizePip is false: ignored, as the plugin warns",
                location=sources.locate(where),
                path=where,
            )
        )
    return _options(raw), warnings, errors


def _error(where: tuple[str, ...], sources: SourceMap, message: str, hint: str | None = None) -> ConfigError:
    return ConfigError(message, location=sources.locate(where), path=where, hint=hint)
