"""``StatScores.update`` over a stream of chunks: the fixed cost of one chunk.

What `fastf1.io.score_files` does with each decoded batch, without the files: a loop of
``StatScores.update`` over chunks of int32 labels (20 classes, 80% right), unweighted and
weighted. Small chunks show the Python around the counting pass (validation, the label
range, the merge into the running counts), big ones the counting.

    FASTF1_BENCH_CHUNKS=65536,1048576 python3 -m pytest benchmarks/bench_stream.py \
        --benchmark-enable --benchmark-json=stream.json
    python3 benchmarks/bench_stream.py --chunk-rows 65536 --chunks 1000   # a table, one run

Without FASTF1_BENCH_CHUNKS the suite runs once with 1,000-row chunks as a smoke test (CI
does this).
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np
import pytest

import fastf1

CHUNK_ROWS = [int(float(s)) for s in os.environ.get("FASTF1_BENCH_CHUNKS", "1e3").split(",")]
CHUNKS = 20


def make_chunk(rows: int, weighted: bool, k: int = 20, seed: int = 0):
    rng = np.random.default_rng(seed)
    t = rng.integers(0, k, rows, dtype=np.int32)
    p = np.where(rng.random(rows) < 0.8, t, rng.integers(0, k, rows, dtype=np.int32))
    return t, p.astype(np.int32), rng.random(rows) if weighted else None


def stream(t: np.ndarray, p: np.ndarray, w, chunks: int) -> fastf1.StatScores:
    s = fastf1.StatScores()
    for _ in range(chunks):
        s.update(t, p, w)
    return s


@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "weighted"])
@pytest.mark.parametrize("rows", CHUNK_ROWS)
def test_update_stream(benchmark, rows, weighted):
    t, p, w = make_chunk(rows, weighted)
    stream(t, p, w, 1)  # compile outside the timing
    benchmark.extra_info.update(chunk_rows=rows, chunks=CHUNKS)
    s = benchmark(stream, t, p, w, CHUNKS)
    assert s.total == pytest.approx(rows * CHUNKS if not weighted else CHUNKS * w.sum())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--chunk-rows", type=lambda s: int(float(s)), default=1 << 16)
    ap.add_argument("--chunks", type=int, default=1000)
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    for weighted in (False, True):
        t, p, w = make_chunk(args.chunk_rows, weighted)
        stream(t, p, w, 1)
        wall, cpu = [], []
        for _ in range(args.rounds):
            t0, c0 = time.perf_counter(), time.process_time()
            stream(t, p, w, args.chunks)
            wall.append((time.perf_counter() - t0) / args.chunks * 1e6)
            cpu.append((time.process_time() - c0) / args.chunks * 1e6)
        print(f"{args.chunk_rows} rows, {'weighted' if weighted else 'unweighted'}: "
              f"wall {min(wall):.0f}-{max(wall):.0f} us, CPU {min(cpu):.0f}-{max(cpu):.0f} us "
              "a chunk")


if __name__ == "__main__":
    main()
