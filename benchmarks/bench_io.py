"""Scoring a hive-partitioned Parquet dataset: fastf1's reading path against pyarrow.dataset's
bare read of the same columns with the very same scanner options, and ``where`` pushdown.

As a pytest-benchmark suite (tiny by default, so it doubles as a smoke test):

    python3 -m pytest benchmarks/bench_io.py --benchmark-enable
    FASTF1_BENCH_IO_ROWS=1e7 python3 -m pytest benchmarks/bench_io.py --benchmark-enable

As a script, the issue's measurement: a ``part=0 .. part=P-1`` dataset of --rows rows (the
demo's int32 label and prediction, 4 row groups of 2**20 rows a file) in a temporary folder
(deleted at the end), then, in one process, the contenders alternating round by round:

* bare: ``pyarrow.dataset.dataset(folder, partitioning="hive").to_batches`` of the two
  columns, counting the batches' rows and nothing else;
* bare_pq: ``pyarrow.parquet.ParquetFile.iter_batches`` of the two columns, file after
  file, counting the batches' rows and nothing else: the engine fastf1 itself reads local
  Parquet files with when there is no ``where`` to push down;
* fastf1: ``fastf1.io.score_files`` on the folder;
* old (with ``--old-readers REV``): ``score_files`` of the ``fastf1/io`` package of git
  revision REV (extracted with ``git archive``, imported as ``fastf1._oldio``), counting with
  this tree's ``StatScores``: the readers of an earlier version, side by side.

The dataset read gets the options of fastf1's own dataset scans (``where``, object stores):
``fastf1.io.arrow.scan_options`` (batch size = chunk rows, batch readahead, fragment
readahead, ``use_threads``, Parquet ``pre_buffer``) is passed to it as is, once with fastf1's settings and once with pyarrow's
defaults (fastf1's module constants set to them), on pyarrow's thread pool of
``--arrow-threads`` threads (default: pyarrow's own). Each setting is timed warm (the
files in the page cache) and cold (each file dropped from the page cache with
``posix_fadvise`` before every run). The ratio is the median of the per-round ratios.

To tell overlap from contention it also prints the CPU seconds of each contender and of
counting alone (the decoded columns of the first files, counted on one thread): when the
bare read keeps every core busy, ``bare CPU / (bare CPU + counting CPU)`` is the most any
reader that decodes the same bytes and counts them can reach. Then ``where`` pushdown (bytes
read through a counting filesystem), and the peak RSS of a fresh process.

    python3 benchmarks/bench_io.py --rows 1e8
    python3 benchmarks/bench_io.py --rows 1e8 --strings  # labels as class names

With ``--strings`` the labels are class names, which Parquet stores dictionary-encoded:
the bare reads gather them into string columns, fastf1 reads their indices
(``fastf1.io.arrow.dictionary_columns``).
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import gc
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from fastf1 import cli, io
from fastf1.io import arrow

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

ROWS = int(float(os.environ.get("FASTF1_BENCH_IO_ROWS", "4e4")))
PARTITIONS = 4
CLASSES = 20
COLUMNS = ["label", "pred"]


def write_dataset(folder: Path, rows: int, partitions: int, strings: bool = False) -> int:
    """``folder/part=i/part-*.parquet``, the demo's predictions; returns the bytes written.
    ``strings``: the labels as class names (``"class-07"``), dictionary-encoded as every
    Parquet writer stores such a column, row group by row group as written."""
    per = -(-rows // partitions)
    nbytes = sum(cli.write_demo_dump(folder / f"part={i}", min(per, rows - i * per), CLASSES,
                                     seed=i) for i in range(partitions) if rows > i * per)
    if strings:
        import pyarrow as pa
        import pyarrow.parquet as pq

        names = pa.array([f"class-{k:02d}" for k in range(CLASSES)])
        schema = pa.schema([(c, pa.string()) for c in COLUMNS])
        nbytes = 0
        for f in sorted(folder.rglob("*.parquet")):
            pf = pq.ParquetFile(f)
            groups = [pf.read_row_group(i) for i in range(pf.num_row_groups)]
            with pq.ParquetWriter(f, schema) as writer:
                for g in groups:
                    writer.write_table(pa.table({c: names.take(g[c]) for c in COLUMNS},
                                                schema=schema))
            nbytes += f.stat().st_size
    return nbytes


def bare_read(folder: Path, chunk_rows: int = io.DEFAULT_CHUNK_ROWS) -> int:
    """pyarrow.dataset reading the two columns batch by batch with fastf1's scanner
    options, and nothing else."""
    import pyarrow.dataset as ds

    dataset = ds.dataset(folder, format="parquet", partitioning="hive")
    return sum(b.num_rows for b in dataset.to_batches(
        columns=COLUMNS, **arrow.scan_options("parquet", chunk_rows)))


def bare_file_read(folder: Path, chunk_rows: int = io.DEFAULT_CHUNK_ROWS) -> int:
    """pyarrow.parquet reading the two columns file by file, batch by batch, and nothing
    else: the engine fastf1 reads local Parquet files with when there is no filter."""
    import pyarrow.parquet as pq

    return sum(b.num_rows for f in sorted(folder.rglob("*.parquet"))
               for b in pq.ParquetFile(f).iter_batches(batch_size=chunk_rows, columns=COLUMNS))


def score(folder: Path, **kwargs) -> object:
    return io.score_files(folder, true="label", pred="pred", **kwargs)


def load_old_readers(rev: str, into: Path) -> Any:
    """The ``fastf1/io`` package of git revision ``rev`` as ``fastf1._oldio``: its
    relative imports of the modules above it get this tree's."""
    import importlib.util

    repo = Path(__file__).resolve().parent.parent
    archive = subprocess.run(["git", "-C", str(repo), "archive", rev, "fastf1/io"],
                             capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    path = into / "fastf1" / "io"
    spec = importlib.util.spec_from_file_location(
        "fastf1._oldio", path / "__init__.py", submodule_search_locations=[str(path)])
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["fastf1._oldio"] = module
    spec.loader.exec_module(module)
    return module


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


def test_bare_file_read(benchmark, dataset):
    benchmark.extra_info.update(rows=ROWS, what="pyarrow.parquet bare read, file by file")
    assert benchmark(bare_file_read, dataset) == ROWS


def test_score_dataset(benchmark, dataset):
    score(dataset)  # compile / load the kernels first
    benchmark.extra_info.update(rows=ROWS, what="fastf1.io.score_files")
    assert benchmark(score, dataset).total == ROWS


@pytest.fixture(scope="module")
def string_dataset(tmp_path_factory):
    pytest.importorskip("pyarrow")
    folder = tmp_path_factory.mktemp("bench_io") / "strings"
    write_dataset(folder, ROWS, PARTITIONS, strings=True)
    return folder


def test_score_string_labels(benchmark, string_dataset):
    """Class names, read as dictionaries and counted from their indices."""
    score(string_dataset)
    benchmark.extra_info.update(rows=ROWS, what="fastf1.io.score_files, string labels")
    assert benchmark(score, string_dataset).total == ROWS


def test_score_one_partition_reads_only_its_bytes(benchmark, dataset):
    nbytes, rows = bytes_read(dataset, "part = 0")
    assert rows == -(-ROWS // PARTITIONS)
    # the partition's files (their footers are read twice: once to plan, once to scan)
    assert nbytes <= 2 * partition_bytes(dataset, 0) + (1 << 17)
    benchmark.extra_info.update(rows=rows, what="score_files where part = 0")
    assert benchmark(score, dataset, where="part = 0").total == rows


# ---- the script -------------------------------------------------------------------------------

# the process's own peak RSS (VmHWM, in KiB): ru_maxrss would carry this big process's
# high-water mark into the child across fork + exec
_PEAK = """
import sys
from fastf1 import io
io.score_files(sys.argv[1], true="label", pred="pred")
with open("/proc/self/status") as f:
    print(next(line.split()[1] for line in f if line.startswith("VmHWM")))
"""

#: (batch readahead, fragment readahead) of each setting compared
SETTINGS = {"fastf1's scan settings": (arrow.BATCH_READAHEAD, arrow.FRAGMENT_READAHEAD),
            "pyarrow's default scan settings": (16, 4)}


@contextlib.contextmanager
def scan_settings(batch_readahead: int, fragment_readahead: int) -> Iterator[None]:
    """fastf1's scans (and so the bare read, which takes ``scan_options``) with these."""
    old = arrow.BATCH_READAHEAD, arrow.FRAGMENT_READAHEAD
    arrow.BATCH_READAHEAD, arrow.FRAGMENT_READAHEAD = batch_readahead, fragment_readahead
    try:
        yield
    finally:
        arrow.BATCH_READAHEAD, arrow.FRAGMENT_READAHEAD = old


def drop_from_page_cache(folder: Path) -> None:
    """Evict the dataset's files (only them) from the page cache: a cold read."""
    for f in folder.rglob("*.parquet"):
        fd = os.open(f, os.O_RDONLY)
        try:
            os.fsync(fd)
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        finally:
            os.close(fd)


def _timed(fn: Callable[[], Any]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the whole process) of one call."""
    cpu, wall = time.process_time(), time.perf_counter()
    fn()
    return time.perf_counter() - wall, time.process_time() - cpu


def counting_cpu(folder: Path, chunk_rows: int, rows: int = 1 << 24) -> float:
    """CPU seconds per row of counting alone, on one thread: the decoded columns of the
    first ``rows`` rows, counted chunk by chunk as score_files counts them."""
    import pyarrow.dataset as ds

    from fastf1 import StatScores, _threads

    chunks, n = [], 0
    # string labels as fastf1 reads them: dictionaries, counted from their indices
    fmt = ds.ParquetFileFormat(read_options=ds.ParquetReadOptions(dictionary_columns=COLUMNS))
    batches = ds.dataset(folder, format=fmt, partitioning="hive").to_batches(
        columns=COLUMNS, batch_size=chunk_rows)
    for b in batches:
        chunks.append(tuple(arrow._label_column(b.column(c), c, "") for c in COLUMNS))
        n += b.num_rows
        if n >= rows:
            break
    # the scan's read-ahead threads would go on decoding while the counting is timed, and
    # process_time counts every thread's CPU
    del batches, b
    gc.collect()
    old, _threads.NUM_THREADS = _threads.NUM_THREADS, 1
    try:
        best = float("inf")
        for _ in range(3):
            stats = StatScores()
            cpu = time.process_time()
            for t, p in chunks:
                stats.update(t, p)
            best = min(best, time.process_time() - cpu)
    finally:
        _threads.NUM_THREADS = old
    return best / n


def compare(folder: Path, rows: int, chunk_rows: int, repeat: int, cold: bool,
            old: Any = None) -> dict:
    """Bare reads and score_files (and ``old``'s) alternating, ``repeat`` rounds: wall and
    CPU seconds."""
    contenders = {"bare": lambda: bare_read(folder, chunk_rows),
                  "bare_pq": lambda: bare_file_read(folder, chunk_rows),
                  "fastf1": lambda: score(folder, chunk_rows=chunk_rows)}
    if old is not None:
        contenders["old"] = lambda: old.score_files(folder, true="label", pred="pred",
                                                    chunk_rows=chunk_rows)
    runs: dict[str, list[tuple[float, float]]] = {name: [] for name in contenders}
    for r in range(repeat):
        # alternate which goes first, so neither always follows the other
        for name in (list(contenders) if r % 2 == 0 else list(contenders)[::-1]):
            if cold:
                drop_from_page_cache(folder)
            runs[name].append(_timed(contenders[name]))
    ratios = [b[0] / f[0] for b, f in zip(runs["bare"], runs["fastf1"])]
    pq_ratios = [b[0] / f[0] for b, f in zip(runs["bare_pq"], runs["fastf1"])]
    got = {"runs": runs, "ratio": statistics.median(ratios), "ratios": ratios,
           "pq_ratio": statistics.median(pq_ratios)}
    if old is not None:
        got["old_ratios"] = [o[0] / f[0] for o, f in zip(runs["old"], runs["fastf1"])]
    return got


def _cpu_name() -> str:
    try:
        with open("/proc/cpuinfo") as f:
            return next(line.split(":", 1)[1].strip() for line in f
                        if line.startswith("model name"))
    except (OSError, StopIteration):
        return platform.processor() or platform.machine()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=float, default=1e7)
    parser.add_argument("--partitions", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--chunk-rows", type=lambda s: int(float(s)),
                        default=io.DEFAULT_CHUNK_ROWS)
    parser.add_argument("--arrow-threads", type=int,
                        help="pyarrow's CPU thread pool, for both sides (default: its own)")
    parser.add_argument("--no-cold", action="store_true", help="warm page cache only")
    parser.add_argument("--keep", help="write (or reuse) the dataset here")
    parser.add_argument("--strings", action="store_true",
                        help="string labels (class names), which fastf1 reads as "
                             "dictionaries: counted from their indices")
    parser.add_argument("--old-readers", metavar="REV",
                        help="also time the fastf1/io of this git revision (side by side)")
    parser.add_argument("--only-warm-fastf1", action="store_true",
                        help="fastf1's scan settings, warm page cache only; skip the "
                             "where and peak-memory runs")
    args = parser.parse_args()
    import pyarrow as pa

    if args.arrow_threads:
        pa.set_cpu_count(args.arrow_threads)
    rows = int(args.rows)
    root = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="fastf1-bench-io-"))
    folder = root / "dataset"
    try:
        if not folder.exists():
            start = time.perf_counter()
            write_dataset(folder, rows, args.partitions, args.strings)
            print(f"wrote {rows:,} rows in {time.perf_counter() - start:.0f} s")
        files = sorted(folder.rglob("*.parquet"))
        nbytes = sum(f.stat().st_size for f in files)
        print(f"dataset: {rows:,} rows, {args.partitions} partitions, {len(files)} files of "
              f"4 row groups of 2**20 rows, {nbytes / 2**20:,.0f} MiB "
              f"({'string' if args.strings else 'int32'} label and pred, "
              f"{CLASSES} classes, dictionary + snappy)")
        print(f"CPU: {_cpu_name()}, {os.cpu_count()} logical cores; pyarrow "
              f"{pa.__version__}, its CPU threads: {pa.cpu_count()}, I/O threads: "
              f"{pa.io_thread_count()}; chunk rows (= batch size): {args.chunk_rows:,}")
        start = time.perf_counter()
        score(folder, chunk_rows=args.chunk_rows)
        print(f"first call (compile or cache load, and one read): "
              f"{time.perf_counter() - start:.2f} s")
        old = None
        if args.old_readers:
            old = load_old_readers(args.old_readers, root)
            old.score_files(folder, true="label", pred="pred", chunk_rows=args.chunk_rows)
            print(f"old: fastf1/io of {args.old_readers}, this tree's counting")
        per_row = counting_cpu(folder, args.chunk_rows)
        print(f"counting alone, one thread: {1 / per_row / 1e6:,.0f} M rows/s "
              f"({per_row * rows:.3f} CPU s for the dataset)")
        settings = SETTINGS
        if args.only_warm_fastf1:
            settings = dict(list(SETTINGS.items())[:1])
            args.no_cold = True
        for title, (batch_ra, frag_ra) in settings.items():
            with scan_settings(batch_ra, frag_ra):
                options = arrow.scan_options("parquet", args.chunk_rows)
                shown = {k: v for k, v in options.items() if k != "fragment_scan_options"}
                shown["pre_buffer"] = arrow.PRE_BUFFER
                print(f"\n{title}, both sides: {shown}")
                for cold in ([False] if args.no_cold else [False, True]):
                    got = compare(folder, rows, args.chunk_rows, args.repeat, cold, old)
                    bare = got["runs"]["bare"]
                    print(f"  {'cold' if cold else 'warm'} page cache, {args.repeat} rounds:")
                    for name, runs in got["runs"].items():
                        wall = statistics.median(w for w, _ in runs)
                        cpu = statistics.median(c for _, c in runs)
                        print(f"    {name:8s} median {wall:7.3f} s ({rows / wall / 1e6:6.1f} M "
                              f"rows/s), best {min(w for w, _ in runs):.3f} s, "
                              f"CPU {cpu:.3f} s")
                    bare_cpu = statistics.median(c for _, c in bare)
                    busy = bare_cpu / statistics.median(w for w, _ in bare)
                    print(f"    fastf1 / bare rate: median {got['ratio']:.1%} (rounds: "
                          + ", ".join(f"{r:.0%}" for r in got["ratios"]) + "); the bare "
                          f"read keeps {busy:.1f} cores busy; ceiling if it keeps all busy: "
                          f"{bare_cpu / (bare_cpu + per_row * rows):.0%}")
                    print(f"    fastf1 / bare_pq rate: median {got['pq_ratio']:.1%}")
                    if old is not None:
                        print(f"    fastf1 / old rate: median "
                              f"{statistics.median(got['old_ratios']):.1%} (rounds: "
                              + ", ".join(f"{r:.0%}" for r in got["old_ratios"]) + ")")
        if args.only_warm_fastf1:
            return
        where_t = min(_timed(lambda: score(folder, where="part = 0"))[0]
                      for _ in range(args.repeat))
        whole_t = min(_timed(lambda: score(folder))[0] for _ in range(args.repeat))
        whole_bytes, _ = bytes_read(folder, None)
        part_bytes, part_rows = bytes_read(folder, "part = 0")
        print(f"\nwhere part = 0: {part_rows:,} rows, read {part_bytes / 2**20:,.1f} MiB "
              f"(the partition's files: {partition_bytes(folder, 0) / 2**20:,.1f} MiB; the "
              f"whole run reads {whole_bytes / 2**20:,.1f} MiB); {where_t:.3f} s = "
              f"{where_t / whole_t:.1%} of the whole run's time (rows: {part_rows / rows:.1%})")
        peak = subprocess.run([sys.executable, "-c", _PEAK, str(folder)], capture_output=True,
                              text=True, check=True).stdout.split()[-1]
        print(f"peak RSS of a fresh process scoring the dataset: {int(peak) / 1024:,.0f} MiB")
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
