"""Versions of the tool and of the libraries whose numbers a run depends on."""
from __future__ import annotations

import platform
from importlib import metadata

VERSION = "0.1.0"


def versions() -> dict[str, str]:
    out = {"ntkverify": VERSION, "python": platform.python_version()}
    for dist in ("jax", "jaxlib", "sympy", "mpmath", "numpy", "scipy"):
        try:
            out[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            out[dist] = "not installed"
    return out
