"""Scoring a hive-partitioned Parquet dataset: fastf1's reading path against pyarrow.dataset's
bare read of the same columns, and ``where`` pushdown.

As a pytest-benchmark suite (tiny by default, so it doubles as a smoke test):

    python3 -m pytest benchmarks/bench_io.py --benchmark-enable
    FASTF1_BENCH_IO_ROWS=1e7 python3 -m pytest benchmarks/bench_io.py --benchmark-enable

As a script, the issue's measurement, in one process, contenders alternating (best of
--repeat): a ``part=0 .. part=P-1`` dataset of --rows rows (int32 label and prediction) in a
temporary folder, then

* bare: ``pyarrow.dataset`` reading the two columns batch by batch, nothing else (its
  threads);
* fastf1: ``fastf1.io.score_files`` on the folder (reader thread one chunk ahead: default);
* fastf1, no prefetch: the same with the reader thread off (decoding and counting in turn);
* where: ``score_files(..., where="part = 0")``: the bytes it reads (counted by a filesystem
  wrapper) against the partition's bytes on disk, and its time against the full run's.

Peak memory (max RSS) of a fresh process scoring the whole dataset is printed last.

    python3 benchmarks/bench_io.py --rows 1e8
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from fastf1 import cli, io
from fastf1.io import chunks

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

ROWS = int(float(os.environ.get("FASTF1_BENCH_IO_ROWS", "4e4")))
PARTITIONS = 4
CLASSES = 20


def write_dataset(folder: Path, rows: int, partitions: int) -> int:
    """``folder/part=i/part-*.parquet``, the demo's predictions; returns the bytes written."""
    per = -(-rows // partitions)
    return sum(cli.write_demo_dump(folder / f"part={i}", min(per, rows - i * per), CLASSES,
                                   seed=i) for i in range(partitions) if rows > i * per)


def bare_read(folder: Path, chunk_rows: int = io.DEFAULT_CHUNK_ROWS) -> int:
    """pyarrow.dataset reading the two columns batch by batch, and nothing else."""
    import pyarrow.dataset as ds

    dataset = ds.dataset(folder, format="parquet", partitioning="hive")
    return sum(b.num_rows for b in dataset.to_batches(columns=["label", "pred"],
                                                      batch_size=chunk_rows, use_threads=True))


def score(folder: Path, **kwargs) -> object:
    return io.score_files(folder, true="label", pred="pred", **kwargs)


def bytes_read(folder: Path, where: str | None) -> tuple[int, int]:
    """(bytes read through a counting filesystem, rows) scoring ``folder`` with ``where``."""
    from _fs import counting_filesystem

    fs, counter = counting_filesystem()
    sources = [dataclasses.replace(s, filesystem=fs, paths=(str(s.paths[0]),), stamps=())
               for s in io.resolve_sources(folder)]
    result = io.count_files(sources, true="label", pred="pred", where=where)
    return counter.bytes_read, result.n_rows


def partition_bytes(folder: Path, part: int) -> int:
    return sum(f.stat().st_size for f in (folder / f"part={part}").glob("*.parquet"))


# ---- the pytest-benchmark suite ---------------------------------------------------------------


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    pytest.importorskip("pyarrow")
    pytest.importorskip("sqlglot")
    folder = tmp_path_factory.mktemp("bench_io") / "dataset"
    write_dataset(folder, ROWS, PARTITIONS)
    return folder


def test_bare_dataset_read(benchmark, dataset):
    benchmark.extra_info.update(rows=ROWS, what="pyarrow.dataset bare read")
    assert benchmark(bare_read, dataset) == ROWS


def test_score_dataset(benchmark, dataset):
    score(dataset)  # compile / load the kernels first
    benchmark.extra_info.update(rows=ROWS, what="fastf1.io.score_files")
    assert benchmark(score, dataset).total == ROWS


def test_score_one_partition_reads_only_its_bytes(benchmark, dataset):
    nbytes, rows = bytes_read(dataset, "part = 0")
    assert rows == -(-ROWS // PARTITIONS)
    # the partition's files (their footers are read twice: once to plan, once to scan)
    assert nbytes <= 2 * partition_bytes(dataset, 0) + (1 << 17)
    benchmark.extra_info.update(rows=rows, what="score_files where part = 0")
    assert benchmark(score, dataset, where="part = 0").total == rows


# ---- the script -------------------------------------------------------------------------------

_PEAK = """
import resource, sys
from fastf1 import io
io.score_files(sys.argv[1], true="label", pred="pred")
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def _time(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=float, default=1e7)
    parser.add_argument("--partitions", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", help="write (or reuse) the dataset here")
    args = parser.parse_args()
    rows = int(args.rows)
    root = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="fastf1-bench-io-"))
    folder = root / "dataset"
    try:
        if not folder.exists():
            start = time.perf_counter()
            nbytes = write_dataset(folder, rows, args.partitions)
            print(f"wrote {rows:,} rows in {args.partitions} partitions, "
                  f"{nbytes / 2**20:,.0f} MiB, in {time.perf_counter() - start:.0f} s")
        cpu = platform.processor() or platform.machine()
        try:
            cpu = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo")
                       if line.startswith("model name"))
        except (OSError, StopIteration):
            pass
        print(f"CPU: {cpu}, {os.cpu_count()} logical cores")
        start = time.perf_counter()
        score(folder)
        print(f"first call (compile or cache load, and one read): "
              f"{time.perf_counter() - start:.2f} s")

        def no_prefetch() -> None:
            old, chunks.PREFETCH = chunks.PREFETCH, 0
            try:
                score(folder)
            finally:
                chunks.PREFETCH = old

        contenders = {"bare pyarrow.dataset read": lambda: bare_read(folder),
                      "fastf1 score_files": lambda: score(folder),
                      "fastf1, no prefetch": no_prefetch}
        best = dict.fromkeys(contenders, float("inf"))
        for _ in range(args.repeat):
            for name, fn in contenders.items():
                best[name] = min(best[name], _time(fn))
        bare = best["bare pyarrow.dataset read"]
        for name, t in best.items():
            print(f"{name:28s} {t:7.3f} s  {rows / t / 1e6:8.1f} M rows/s  "
                  f"{bare / t:6.1%} of the bare read")
        where_t = min(_time(lambda: score(folder, where="part = 0"))
                      for _ in range(args.repeat))
        whole_bytes, _ = bytes_read(folder, None)
        part_bytes, part_rows = bytes_read(folder, "part = 0")
        print(f"where part = 0: {part_rows:,} rows, read {part_bytes / 2**20:,.1f} MiB "
              f"(the partition's files: {partition_bytes(folder, 0) / 2**20:,.1f} MiB; the "
              f"whole run reads {whole_bytes / 2**20:,.1f} MiB); {where_t:.3f} s = "
              f"{where_t / best['fastf1 score_files']:.1%} of the whole run's time "
              f"(rows: {part_rows / rows:.1%})")
        peak = subprocess.run([sys.executable, "-c", _PEAK, str(folder)], capture_output=True,
                              text=True, check=True).stdout.split()[-1]
        print(f"peak RSS of a fresh process scoring the dataset: {int(peak) / 1024:,.0f} MiB")
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
