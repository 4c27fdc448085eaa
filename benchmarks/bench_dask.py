"""The Dask path's overhead: the same rows scored in-process and on a LocalCluster.

    python3 benchmarks/bench_dask.py [--rows 1e8] [--chunk-rows 1e7]

As a pytest suite it runs once on 10,000 rows (a smoke test).
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pytest

import fastf1


def _data(n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    t = rng.integers(0, 10, n, dtype=np.int32)
    return t, np.where(rng.random(n, dtype=np.float32) < 0.8, t,
                       rng.integers(0, 10, n, dtype=np.int32))


def measure(n: int, chunk_rows: int, workers: int = 2) -> dict:
    import dask.array as da
    import distributed

    t, p = _data(n)
    fastf1.f1_score(t, p, average="macro")
    start = time.perf_counter()
    local = fastf1.f1_score(t, p, average="macro")
    in_process = time.perf_counter() - start
    with distributed.LocalCluster(n_workers=workers, threads_per_worker=1,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        # the data lives on the workers before timing, as a cluster's data would
        dt = client.persist(da.from_array(t, chunks=chunk_rows))
        dp = client.persist(da.from_array(p, chunks=chunk_rows))
        distributed.wait([dt, dp])
        wt, wp = (da.from_array(x[:1000], chunks=500) for x in (t, p))
        fastf1.f1_score(wt, wp, average="macro")  # compile on the workers (other keys)
        start = time.perf_counter()
        remote = fastf1.f1_score(dt, dp, average="macro")
        on_cluster = time.perf_counter() - start
    assert remote == local
    return dict(rows=n, chunk_rows=chunk_rows, workers=workers, in_process_s=in_process,
                cluster_s=on_cluster, overhead_s=on_cluster - in_process)


def test_dask_overhead_smoke():
    pytest.importorskip("distributed")
    result = measure(10_000, 2_500)
    assert result["rows"] == 10_000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=float, default=1e8)
    parser.add_argument("--chunk-rows", type=float, default=1e7)
    args = parser.parse_args()
    r = measure(int(args.rows), int(args.chunk_rows))
    print(f"{r['rows']:.0e} rows, chunks of {r['chunk_rows']:.0e}, {r['workers']} workers: "
          f"in-process {r['in_process_s'] * 1e3:.0f} ms, LocalCluster {r['cluster_s'] * 1e3:.0f} ms, "
          f"overhead {r['overhead_s'] * 1e3:.0f} ms")


if __name__ == "__main__":
    main()
