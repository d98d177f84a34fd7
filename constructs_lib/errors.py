"""One hierarchy for every error a user can cause.

Each error carries where it came from (file, line, column) and the key path inside the
configuration, so the CLI and ``app.py`` can print ``file:line:col: key.path: message`` and exit 1
instead of showing a Python traceback.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

__all__ = [
    "BuildError",
    "ComposeError",
    "ConfigError",
    "ErrorGroup",
    "IgnoredAsInV3",
    "LimitError",
    "Location",
    "PackagingError",
    "SchemaError",
    "SlsCdkError",
    "VariableError",
    "YamlError",
    "did_you_mean",
    "format_path",
]


@dataclass(frozen=True, slots=True)
class Location:
    """A place in a source file; line and column are 1-based."""

    file: str
    line: int | None = None
    column: int | None = None
    included_from: Location | None = None
    """Where the ``${file(...)}`` that brought this file's value in was written."""

    def __str__(self) -> str:
        parts = [self.file]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)


def format_path(path: Sequence[str | int]) -> str:
    """``("functions", "env", "events", 0)`` -> ``functions.env.events[0]``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def did_you_mean(word: str, candidates: Iterable[str]) -> str | None:
    """The closest candidate to ``word``, if one is close enough to suggest."""
    pool = list(candidates)
    lowered = {c.lower(): c for c in pool}
    if word.lower() in lowered:
        return lowered[word.lower()]
    # difflib.get_close_matches breaks ties by the largest string ('eu-west-3' for 'eu-west-l');
    # the first candidate is the better guess among equals
    score, _, best = max(
        ((difflib.SequenceMatcher(None, word, c).ratio(), -i, c) for i, c in enumerate(pool)),
        default=(0.0, 0, ""),
    )
    return best if score >= 0.6 else None


class SlsCdkError(Exception):
    """Base of every error a user can cause (bad config, missing artifact, failed hook...)."""

    code = "SLS_CDK_ERROR"

    def __init__(
        self,
        message: str,
        *,
        location: Location | None = None,
        path: Sequence[str | int] = (),
        hint: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.location = location
        self.path = tuple(path)
        self.hint = hint

    def format(self) -> str:
        head = []
        if self.location is not None:
            head.append(str(self.location))
        if self.path:
            head.append(format_path(self.path))
        text = ": ".join([*head, self.message])
        via = self.location.included_from if self.location is not None else None
        while via is not None:
            text += f"\n  included from {via}"
            via = via.included_from
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text

    def __str__(self) -> str:
        return self.format()


class ConfigError(SlsCdkError):
    """The configuration (serverless.yml or compose file) is wrong."""

    code = "CONFIG_ERROR"


class YamlError(ConfigError):
    """The file is not acceptable YAML (syntax, duplicate keys, alias bombs, encoding...)."""

    code = "YAML_ERROR"


class SchemaError(ConfigError):
    """A key is unknown, has the wrong type, or a value is out of range."""

    code = "SCHEMA_ERROR"


class IgnoredAsInV3(SchemaError):
    """A warning, not raised: a key or event Serverless v3 ignores (``configValidationMode: warn``,
    its default) is ignored here too."""

    code = "IGNORED_AS_IN_V3"


class VariableError(ConfigError):
    """A ``${...}`` variable cannot be resolved."""

    code = "VARIABLE_ERROR"


class ComposeError(ConfigError):
    """The compose file is wrong (missing path, cycle, unknown service...)."""

    code = "COMPOSE_ERROR"


class PackagingError(SlsCdkError):
    """An artifact is missing or cannot be packaged."""

    code = "PACKAGING_ERROR"


class LimitError(SlsCdkError):
    """The project is valid, but what it makes exceeds a limit AWS would refuse at deploy (found
    while synthesizing, e.g. more than 500 resources in one stack)."""

    code = "LIMIT_ERROR"
    stack: str | None = None
    """The stack that would exceed the limit, when it is one stack's."""


class BuildError(SlsCdkError):
    """A build hook failed."""

    code = "BUILD_ERROR"


class ErrorGroup(SlsCdkError):
    """Several errors reported at once (all resolution or validation problems of a file)."""

    code = "MULTIPLE_ERRORS"

    def __init__(self, errors: Sequence[SlsCdkError]) -> None:
        flat: list[SlsCdkError] = []
        for err in errors:
            flat.extend(err.errors if isinstance(err, ErrorGroup) else [err])
        self.errors: list[SlsCdkError] = flat
        super().__init__(f"{len(flat)} problems")

    def format(self) -> str:
        return "\n".join(err.format() for err in self.errors)

    @staticmethod
    def raise_if_any(errors: Sequence[SlsCdkError]) -> None:
        if len(errors) == 1:
            raise errors[0]
        if errors:
            raise ErrorGroup(errors)
