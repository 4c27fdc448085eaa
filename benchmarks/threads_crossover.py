"""Where counting on two threads starts to pay: ``_threads.PARALLEL_MIN_ROWS``.

For each input size, ``StatScores().update`` on one thread (``NUM_THREADS`` set to 1) and
on ``NUM_THREADS`` threads (``PARALLEL_MIN_ROWS`` set to 0), alternating call by call in
one process; the median time of each and their ratio (above 1: the threads pay). On a
machine whose cores are taken by other jobs the second thread waits for a core, and the
threads pay later or never: run it on a quiet machine. Three workloads: int32 labels of
20 classes, binary int8 labels, and float32 (n, 10) score matrices (argmax).

    python3 benchmarks/threads_crossover.py [--calls 60] [--rounds 3]
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

from fastf1 import StatScores, _threads


def workloads(n: int, rng: np.random.Generator) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    return {
        "int32 K=20": (rng.integers(0, 20, n).astype(np.int32),
                       rng.integers(0, 20, n).astype(np.int32)),
        "int8 K=2": (rng.integers(0, 2, n).astype(np.int8), rng.integers(0, 2, n).astype(np.int8)),
        "argmax float32 K=10": (rng.integers(0, 10, n).astype(np.int32),
                                rng.random((n, 10), dtype=np.float32)),
    }


def one_call(t: np.ndarray, p: np.ndarray, parallel: bool) -> float:
    old = _threads.PARALLEL_MIN_ROWS, _threads.NUM_THREADS
    if parallel:
        _threads.PARALLEL_MIN_ROWS = 0
    else:
        _threads.NUM_THREADS = 1
    try:
        start = time.perf_counter()
        StatScores().update(t, p)
        return time.perf_counter() - start
    finally:
        _threads.PARALLEL_MIN_ROWS, _threads.NUM_THREADS = old


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=60, help="calls of each per size")
    parser.add_argument("--min-log2", type=int, default=11)
    parser.add_argument("--max-log2", type=int, default=20)
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    if _threads.NUM_THREADS < 2:
        raise SystemExit("one counting thread (NUMBA_NUM_THREADS=1): nothing to compare")
    print(f"NUM_THREADS = {_threads.NUM_THREADS}; PARALLEL_MIN_ROWS = "
          f"{_threads.PARALLEL_MIN_ROWS:,}")
    print("rows, workload: median us on one thread, on all, one / all")
    for k in range(args.min_log2, args.max_log2 + 1):
        n = 1 << k
        for name, (t, p) in workloads(n, rng).items():
            one_call(t, p, False), one_call(t, p, True)  # compile, warm the pool
            times: dict[bool, list[float]] = {False: [], True: []}
            for i in range(args.calls):
                for parallel in ((False, True) if i % 2 == 0 else (True, False)):
                    times[parallel].append(one_call(t, p, parallel))
            one, two = statistics.median(times[False]), statistics.median(times[True])
            print(f"2**{k:<2d} {name:20s} {one * 1e6:9.1f} {two * 1e6:9.1f}  {one / two:5.2f}x")


if __name__ == "__main__":
    main()
