"""Write a deterministic zip holding one executable ``bootstrap``: fixed timestamp, fixed mode,
fixed compression, so the same input always gives the same bytes (and the same asset hash)."""

import sys
import zipfile
from pathlib import Path

FIXED_TIME = (1980, 1, 1, 0, 0, 0)


def main(source: str, target: str) -> None:
    info = zipfile.ZipInfo("bootstrap", date_time=FIXED_TIME)
    info.external_attr = 0o100755 << 16  # regular file, rwxr-xr-x
    info.create_system = 3  # unix, so the mode is honoured
    info.compress_type = zipfile.ZIP_STORED  # no zlib: identical bytes on every platform
    data = Path(source).read_bytes()
    tmp = Path(target).with_suffix(".zip.tmp")
    with zipfile.ZipFile(tmp, "w") as zf:
        zf.writestr(info, data)
    tmp.replace(target)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
