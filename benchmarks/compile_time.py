"""First-call cost in a fresh process: import, then the first f1_score on 10^6 int32 rows,
with an empty numba disk cache (compiling) and with a warm one.

    python3 benchmarks/compile_time.py
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile

CHILD = """
import time
t0 = time.perf_counter()
import numpy as np, fastf1
t1 = time.perf_counter()
rng = np.random.default_rng(0)
y_true = rng.integers(0, 10, 10**6).astype(np.int32)
y_pred = rng.integers(0, 10, 10**6).astype(np.int32)
t2 = time.perf_counter()
fastf1.f1_score(y_true, y_pred, average="macro")
t3 = time.perf_counter()
fastf1.f1_score(y_true, y_pred, average="macro")
t4 = time.perf_counter()
print(f"{t1 - t0:.3f} {t3 - t2:.3f} {t4 - t3:.4f}")
"""


def run(cache_dir: str) -> tuple[float, float, float]:
    env = dict(os.environ, NUMBA_CACHE_DIR=cache_dir)
    out = subprocess.run([sys.executable, "-c", CHILD], env=env, capture_output=True,
                         text=True, check=True).stdout.split()
    return tuple(float(x) for x in out)  # type: ignore[return-value]


def main() -> None:
    with tempfile.TemporaryDirectory() as cache:
        for label in ("empty cache (compiles)", "warm cache", "warm cache"):
            imp, first, second = run(cache)
            print(f"{label:24s} import {imp:.2f} s, first call {first:.2f} s, "
                  f"import + first call {imp + first:.2f} s, second call {second * 1e3:.1f} ms")


if __name__ == "__main__":
    main()
