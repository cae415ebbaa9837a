"""Atomic writes of report files: a temporary file in the same folder, then a rename, so a reader
or a crash never sees half a file and the previous version survives an interrupted write.

The temporary file is created like any ordinary file (mode 0666 less the umask: 0644 under the
usual umask 022), not with tempfile.mkstemp, whose private 0600 would make results.json and
junit.xml unreadable to the people a report is for."""
from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Callable, IO


def write_atomic(path: Path | str, write: Callable[[IO], None], binary: bool = False) -> Path:
    """Create `path` from `write(fh)` atomically, honouring the umask; fh is a UTF-8 text file
    object, or a binary one when `binary`."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.parent / f".{path.name}.{os.getpid()}-{secrets.token_hex(4)}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with (os.fdopen(fd, "wb") if binary else os.fdopen(fd, "w", encoding="utf-8")) as fh:
            write(fh)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


def write_text_atomic(path: Path | str, text: str) -> Path:
    return write_atomic(path, lambda fh: fh.write(text))
