"""``import fastf1`` stays light: no Dask, TensorFlow, CUDA, Arrow or pandas is loaded.

(The import layers themselves are pyproject.toml's import-linter contracts, checked in CI.)
"""

from __future__ import annotations

import subprocess
import sys

import fastf1

HEAVY = ("dask", "distributed", "tensorflow", "keras", "numba.cuda", "pyarrow", "pandas",
         "fastf1.dask", "fastf1.keras", "fastf1._kernels.cuda", "fastf1.io", "fastf1.cli")


def test_import_fastf1_loads_no_optional_dependency():
    code = (f"import sys, fastf1; print(sorted(m for m in {HEAVY!r} if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "[]"


def test_the_version_is_the_package_metadata_version():
    from importlib.metadata import PackageNotFoundError, version

    try:
        installed = version("fastf1-metrics")
    except PackageNotFoundError:  # a source tree that was never installed
        return
    assert fastf1.__version__ == installed
