"""Deterministic zips for packaging plugins: files added into a packaged zip, and folders zipped.

Same inputs, same bytes: entries sorted by name (added files after the zip's own entries, as a
plugin injects them), fixed timestamps, modes normalised to 644 / 755 (owner-executable), as
:mod:`constructs_lib.loader.packaging` zips a service folder. A zip is made once per distinct
input (its name carries a digest of them) next to the zip it extends, or in a given folder.
"""

from __future__ import annotations

import hashlib
import os
import stat
import zipfile
from collections.abc import Mapping
from pathlib import Path

__all__ = ["ZIP_TIME", "with_files", "zip_files"]

#: v3's and our packages' entry time (1980-01-01, the earliest a zip can hold)
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def _mode(file: Path) -> int:
    return 0o755 if os.stat(file).st_mode & 0o100 else 0o644


def _write(zf: zipfile.ZipFile, name: str, data: bytes, mode: int) -> None:
    info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
    info.external_attr = (stat.S_IFREG | mode) << 16
    info.compress_type = zipfile.ZIP_DEFLATED
    zf.writestr(info, data)


def _digest(files: Mapping[str, Path], salt: str) -> str:
    digest = hashlib.sha256(salt.encode() + b"\0")
    for name in sorted(files):
        st = os.stat(files[name])
        digest.update(f"{name}\0{st.st_size}:{st.st_mtime_ns}:{_mode(files[name])}\0".encode())
    return digest.hexdigest()[:16]


def zip_files(files: Mapping[str, Path], target_dir: Path, name: str) -> Path:
    """``{path in the zip: file}`` zipped into ``target_dir/<digest>-<name>.zip`` (made once)."""
    target = target_dir / f"{_digest(files, name)}-{name}.zip"
    if not target.exists():
        target_dir.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f"{target.name}.{os.getpid()}.partial")
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
            for arcname in sorted(files):
                _write(zf, arcname, files[arcname].read_bytes(), _mode(files[arcname]))
        os.replace(partial, target)
    return target


def with_files(base: Path, added: Mapping[str, Path]) -> Path:
    """``base`` (a packaged zip) with ``added`` put in after its entries; an entry ``base``
    already holds is replaced, as a plugin's injection overwrites it."""
    target = base.with_name(f"{_digest(added, base.name)}-{base.name}")
    if target.exists():
        return target
    partial = target.with_name(f"{target.name}.{os.getpid()}.partial")
    with (
        zipfile.ZipFile(base) as src,
        zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf,
    ):
        for info in src.infolist():
            if info.filename not in added:
                zf.writestr(info, src.read(info))
        for arcname in sorted(added):
            _write(zf, arcname, added[arcname].read_bytes(), _mode(added[arcname]))
    os.replace(partial, target)
    return target
