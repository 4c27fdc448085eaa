"""Scores per group (``groups=``): one pass against a loop over the groups' rows.

Every way scores the same data in the same run: fastf1 with ``groups=`` (one pass), fastf1
without groups (the floor: the same pass, one group), fastf1 and scikit-learn called on each
group's rows in a loop (a boolean mask per group). Multiclass int32 labels, K = 10, int32
group ids, macro F1.

    FASTF1_BENCH_SIZES=1e7 python3 -m pytest benchmarks/bench_groups.py \
        --benchmark-enable --benchmark-json=groups.json
    python3 benchmarks/bench_groups.py --rows 1e7      # a table, one run

Without FASTF1_BENCH_SIZES the suite runs once at 1,000 rows as a smoke test (CI does this).
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pytest
import workloads as wl

import fastf1

WAYS = ["fastf1-groups", "fastf1-no-groups", "fastf1-loop", "sklearn-loop"]
GROUPS = [10, 1000]


def make_data(n: int, n_groups: int, k: int = 10, seed: int = 0):
    rng = np.random.default_rng(seed)
    t = rng.integers(0, k, n, dtype=np.int32)
    p = np.where(rng.random(n) < 0.8, t, rng.integers(0, k, n, dtype=np.int32))
    g = rng.integers(0, n_groups, n, dtype=np.int32)
    return t, p, g


def call(way: str, t: np.ndarray, p: np.ndarray, g: np.ndarray):
    if way == "fastf1-groups":
        return lambda: fastf1.f1_score(t, p, average="macro", groups=g)
    if way == "fastf1-no-groups":
        return lambda: fastf1.f1_score(t, p, average="macro")
    if way == "fastf1-loop":
        f1 = fastf1.f1_score
    else:
        import sklearn.metrics as skm

        f1 = skm.f1_score

    def loop():
        return {v: f1(t[g == v], p[g == v], average="macro") for v in np.unique(g).tolist()}

    return loop


@pytest.mark.parametrize("n", wl.SIZES, ids=lambda n: f"n={n:.0e}")
@pytest.mark.parametrize("way", WAYS)
@pytest.mark.parametrize("n_groups", GROUPS, ids=lambda g: f"G={g}")
def test_f1_by_group(benchmark, n_groups, way, n):
    if way.endswith("loop") and n * n_groups > 10**10:
        pytest.skip("minutes per call")
    t, p, g = make_data(n, n_groups)
    func = call(way, t, p, g)
    func()  # warm-up: compile
    benchmark.group = f"f1 by group G={n_groups} n={n:.0e}"
    benchmark.extra_info.update(lib=way, workload=f"groups-G{n_groups}", n=n)
    benchmark.pedantic(func, rounds=3 if way.endswith("loop") else 10, iterations=1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=float, default=1e7)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    n = int(args.rows)
    print(f"rows {n:,}, K = 10 int32 labels, int32 groups, macro F1; best of {args.repeat}")
    print(f"{'groups':>6}  " + "  ".join(f"{w:>16}" for w in WAYS))
    for n_groups in GROUPS:
        t, p, g = make_data(n, n_groups)
        cells = []
        for way in WAYS:
            func = call(way, t, p, g)
            func()
            best = min(_timed(func) for _ in range(args.repeat))
            cells.append(f"{best * 1e3:13.1f} ms")
        print(f"{n_groups:>6}  " + "  ".join(cells))


def _timed(func) -> float:
    start = time.perf_counter()
    func()
    return time.perf_counter() - start


if __name__ == "__main__":
    main()
