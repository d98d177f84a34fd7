"""Hashes v3 puts into names: the Lambda version's logical-ID digest and artifact digests.

v3 names each ``AWS::Lambda::Version`` ``<F>LambdaVersion<digest>`` where the digest is the base64
SHA-256 over the artifact's base64 SHA-256, the hashes of local layers, and the JSON of the
function's ``Properties`` (without ``Code``, ``ReservedConcurrentExecutions`` and ``Tags``, plus
``layerConfigurations``) with keys deep-sorted by JavaScript's ``localeCompare``. Reproducing it
byte for byte keeps version logical IDs stable when a v3 stack is taken over.
"""

from __future__ import annotations

import base64
import functools
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from constructs_lib.config.data import js_stringify

__all__ = ["LayerHashInput", "b64", "deep_sort", "file_sha256", "js_json", "locale_key", "version_digest"]

# ICU root collation order of ASCII punctuation and symbols (they sort before digits and letters).
_PUNCT_ORDER = "\t\n\v\f\r _-,;:!?.'\"()[]{}@*/\\&#%`^+<=>|~$"
_PUNCT_RANK = {c: i for i, c in enumerate(_PUNCT_ORDER)}


def _primary(ch: str) -> tuple[int, int]:
    if ch in _PUNCT_RANK:
        return (0, _PUNCT_RANK[ch])
    if ch.isdigit():
        return (1, ord(ch))
    if ch.isalpha():
        return (2, ord(ch.lower()))
    return (3, ord(ch))


def locale_key(text: str) -> tuple[tuple[tuple[int, int], ...], tuple[int, ...]]:
    """Sort key approximating ``a.localeCompare(b)`` in Node's default (ICU root) collation:
    punctuation < digits < letters, case-insensitive first, lower case before upper on ties."""
    return tuple(_primary(c) for c in text), tuple(1 if c.isupper() else 0 for c in text)


def _is_array_index(key: str) -> bool:
    return key.isdigit() and (key == "0" or not key.startswith("0")) and int(key) < 2**32 - 1


def deep_sort(value: Any) -> Any:
    """v3's ``deepSortObjectByKey``. JavaScript objects then list integer-like keys first in
    numeric order, whatever the sort said; that is reproduced too."""
    if isinstance(value, list):
        return [deep_sort(v) for v in value]
    if isinstance(value, dict):
        keys = sorted(value, key=locale_key)
        ints = sorted((k for k in keys if _is_array_index(k)), key=int)
        rest = [k for k in keys if not _is_array_index(k)]
        return {k: deep_sort(value[k]) for k in [*ints, *rest]}
    return value


def js_json(value: Any) -> str:
    """``JSON.stringify`` output: compact, non-ASCII kept, numbers like JavaScript prints them."""
    return js_stringify(value)


@functools.lru_cache(maxsize=256)
def _file_digest(path: str, size: int, mtime_ns: int) -> bytes:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.digest()


def file_sha256(path: Path) -> bytes:
    """SHA-256 of a file (cached by path, size and mtime: each artifact is read once per run)."""
    st = path.stat()
    return _file_digest(str(path), st.st_size, st.st_mtime_ns)


def b64(digest: bytes) -> str:
    return base64.b64encode(digest).decode("ascii")


def version_digest(
    code_sha256_b64: str | None,
    properties: dict[str, Any],
    layers: Sequence[LayerHashInput] = (),
) -> str:
    """The digest v3 puts in a version's logical ID (before non-alphanumerics are dropped).

    ``code_sha256_b64``: the zip's digest; None for an image function, whose ``Code.ImageUri``
    stays in the hashed properties instead. ``layers``: the stack's own layers the function
    references, each with its artifact path (v3 hashes their artifacts in path order) and its
    configuration (properties without S3Key)."""
    dropped = (
        ("ReservedConcurrentExecutions", "Tags")
        if code_sha256_b64 is None
        else (
            "Code",
            "ReservedConcurrentExecutions",
            "Tags",
        )
    )
    props = {k: v for k, v in properties.items() if k not in dropped}
    props["layerConfigurations"] = [
        {"name": layer.name, "ref": layer.ref, "properties": layer.properties} for layer in layers
    ]
    h = hashlib.sha256()
    if code_sha256_b64 is not None:
        h.update(code_sha256_b64.encode())
    for layer in sorted(layers, key=lambda item: item.artifact_path):
        h.update(layer.artifact_sha256_b64.encode())
    h.update(js_json(deep_sort(props)).encode())
    return b64(h.digest())


@dataclass(frozen=True)
class LayerHashInput:
    """What a function's version digest needs to know about one local layer."""

    name: str
    ref: str
    properties: dict[str, Any]
    artifact_path: str
    artifact_sha256_b64: str
