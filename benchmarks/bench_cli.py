"""``fastf1 score`` on a Parquet dump against pyarrow reading the same columns and nothing else.

As a pytest-benchmark suite (tiny by default, so it doubles as a smoke test):

    python3 -m pytest benchmarks/bench_cli.py --benchmark-enable
    FASTF1_BENCH_CLI_ROWS=1e7 python3 -m pytest benchmarks/bench_cli.py --benchmark-enable

As a script, the issue's measurement: write a 10**8-row dump (int32 label and prediction
columns, written in chunks), then time, each in a fresh process, best of --repeat runs:

* pyarrow: ``pyarrow.dataset`` reading the two columns batch by batch with fastf1's scanner
  options (``fastf1.io.arrow.scan_options``: the same batch size, readahead, threads and
  ``pre_buffer``), nothing else;
* fastf1: the real ``fastf1 score DIR --true label --pred pred --json --quiet`` command;

and report rows/s, the ratio (goal: fastf1 >= 50% of pyarrow's bare read rate) and each
process's peak RSS (goal: <= 1 GB, whatever the file size).

    python3 benchmarks/bench_cli.py --rows 1e8
    python3 benchmarks/bench_cli.py --rows 3e7 --plain   # uncompressed, no dictionary encoding
"""

from __future__ import annotations

import argparse
import json
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

#: rows of the pytest suite's dump: tiny by default (a smoke test); set it for real numbers
ROWS = int(float(os.environ.get("FASTF1_BENCH_CLI_ROWS", "2e4")))
CLASSES = 20

# steady state, in one process: the kernels loaded once, then pyarrow's bare read and
# fastf1.io.score_files alternate; prints the best time of each
_STEADY = """
import sys, time
from fastf1 import io
sys.path.insert(0, sys.argv[4])
from bench_cli import bare_read
folder, batch, repeat = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
start = time.perf_counter()
io.score_files(folder, true="label", pred="pred", chunk_rows=batch)
first = time.perf_counter() - start
best = {"pyarrow": float("inf"), "fastf1": float("inf")}
for _ in range(repeat):
    start = time.perf_counter()
    bare_read(folder, batch)
    best["pyarrow"] = min(best["pyarrow"], time.perf_counter() - start)
    start = time.perf_counter()
    io.score_files(folder, true="label", pred="pred", chunk_rows=batch)
    best["fastf1"] = min(best["fastf1"], time.perf_counter() - start)
print(best["pyarrow"], best["fastf1"], first)
"""

# the bare read, run in a fresh process: pyarrow.dataset with fastf1's scanner options
# (fastf1.io.arrow.scan_options); prints its own read time in seconds
_BARE_READ = """
import sys, time
import pyarrow.dataset as ds
from fastf1.io.arrow import scan_options
folder, batch = sys.argv[1], int(sys.argv[2])
start = time.perf_counter()
dataset = ds.dataset(folder, format="parquet")
rows = sum(b.num_rows for b in dataset.to_batches(columns=["label", "pred"],
                                                  **scan_options("parquet", batch)))
print(rows, time.perf_counter() - start)
"""


def bare_read(folder: str | Path, batch_rows: int = io.DEFAULT_CHUNK_ROWS) -> int:
    """pyarrow.dataset reading the two columns batch by batch with fastf1's scanner options
    (``fastf1.io.arrow.scan_options``), and nothing else (in this process)."""
    import pyarrow.dataset as ds

    from fastf1.io.arrow import scan_options

    dataset = ds.dataset(folder, format="parquet")
    return sum(b.num_rows for b in dataset.to_batches(
        columns=["label", "pred"], **scan_options("parquet", batch_rows)))


# ---- the pytest-benchmark suite ------------------------------------------------------------


@pytest.fixture(scope="module")
def dump(tmp_path_factory):
    pytest.importorskip("pyarrow")
    folder = tmp_path_factory.mktemp("bench_cli") / "dump"
    cli.write_demo_dump(folder, ROWS, CLASSES)
    return folder


def test_pyarrow_bare_read(benchmark, dump):
    benchmark.extra_info.update(rows=ROWS, what="pyarrow.dataset read, nothing else")
    assert benchmark(bare_read, dump) == ROWS


def test_fastf1_score_files(benchmark, dump):
    io.score_files(dump, true="label", pred="pred")  # compile / load the kernels first
    benchmark.extra_info.update(rows=ROWS, what="fastf1.io.score_files")
    stats = benchmark(io.score_files, dump, true="label", pred="pred")
    assert stats.total == ROWS


def test_fastf1_score_command(benchmark, dump, capsys):
    argv = ["score", str(dump), "--true", "label", "--pred", "pred", "--json", "--quiet"]
    assert cli.main(argv) == 0
    benchmark.extra_info.update(rows=ROWS, what="fastf1 score (in process)")
    assert benchmark(cli.main, argv) == 0
    capsys.readouterr()
    assert cli.main(argv) == 0
    assert json.loads(capsys.readouterr().out)["n_rows"] == ROWS


# ---- the script: 10**8 rows, fresh processes, peak RSS -----------------------------------------


# Peak RSS of one command: Linux carries the parent's high-water mark into a child across
# fork + exec (signal->maxrss), so a big parent would inflate the figure. A small launcher
# process forks the command itself and reports the command's own ru_maxrss.
_LAUNCH = """
import json, os, sys
pid = os.fork()
if pid == 0:
    os.execvp(sys.argv[1], sys.argv[1:])
_, status, usage = os.wait4(pid, 0)
sys.stderr.write(json.dumps({"rc": os.waitstatus_to_exitcode(status),
                             "maxrss_kib": usage.ru_maxrss}) + "\\n")
"""


def _measured(argv: list[str]) -> tuple[str, float, int]:
    """(stdout, wall seconds, peak RSS bytes) of one command, in a process of its own."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", _LAUNCH, *argv], capture_output=True,
                          text=True)
    wall = time.perf_counter() - start
    *err, last = done.stderr.splitlines() or [""]
    try:
        status = json.loads(last)
    except json.JSONDecodeError:
        raise SystemExit(f"{' '.join(argv)} failed: {done.stderr.strip()}") from None
    if status["rc"]:
        raise SystemExit(f"{' '.join(argv)} failed ({status['rc']}): {' '.join(err)}")
    return done.stdout, wall, status["maxrss_kib"] * 1024


def _machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            names = [ln.split(":", 1)[1].strip() for ln in f if ln.startswith("model name")]
        cpu = f"{names[0]}" if names else cpu
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} logical CPUs, {platform.system()} {platform.release()}"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=lambda s: int(float(s)), default=10**8)
    parser.add_argument("--classes", type=int, default=CLASSES)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--chunk-rows", type=lambda s: int(float(s)),
                        default=io.DEFAULT_CHUNK_ROWS)
    parser.add_argument("--dir", help="where to write the dump (default: a temporary folder)")
    parser.add_argument("--plain", action="store_true",
                        help="write uncompressed Parquet without dictionary encoding")
    parser.add_argument("--keep", action="store_true", help="keep the dump")
    args = parser.parse_args(argv)

    root = Path(tempfile.mkdtemp(prefix="fastf1-bench-", dir=args.dir))
    folder = root / "dump"
    options = {"compression": "none", "use_dictionary": False} if args.plain else {}
    print(f"machine: {_machine()}")
    print(f"writing {args.rows:,} rows ({args.classes} classes, int32 label and pred, "
          f"{'plain, uncompressed' if args.plain else 'pyarrow defaults: dictionary, snappy'}) "
          f"to {folder} ...", flush=True)
    start = time.perf_counter()
    nbytes = cli.write_demo_dump(folder, args.rows, args.classes, **options)
    print(f"  {nbytes / 2**20:,.0f} MiB in {len(list(folder.glob('*.parquet')))} file(s), "
          f"{time.perf_counter() - start:.1f} s", flush=True)
    fastf1_exe = shutil.which("fastf1")
    score_cmd = ([fastf1_exe] if fastf1_exe else [sys.executable, "-m", "fastf1"]) + [
        "score", str(folder), "--true", "label", "--pred", "pred", "--json", "--quiet",
        "--chunk-rows", str(args.chunk_rows)]
    read_cmd = [sys.executable, "-c", _BARE_READ, str(folder), str(args.chunk_rows)]
    _measured(score_cmd)  # compile (or load from the cache) the kernels once, untimed
    results: dict[str, list[tuple[float, float, int]]] = {"pyarrow": [], "fastf1": []}
    try:
        for _ in range(args.repeat):
            out, wall, rss = _measured(read_cmd)
            rows, seconds = out.split()
            assert int(rows) == args.rows
            results["pyarrow"].append((float(seconds), wall, rss))
            out, wall, rss = _measured(score_cmd)
            got = json.loads(out)
            assert got["n_rows"] == args.rows
            results["fastf1"].append((got["seconds"], wall, rss))
        out, _, _ = _measured([sys.executable, "-c", _STEADY, str(folder), str(args.chunk_rows),
                               str(args.repeat), str(Path(__file__).resolve().parent)])
        steady = [float(x) for x in out.split()]
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
    best = {k: min(v) for k, v in results.items()}
    peak = {k: max(r for _, _, r in v) for k, v in results.items()}
    print(f"\nbest of {args.repeat}, {args.rows:,} rows, chunks of {args.chunk_rows:,} rows:")
    print(f"{'':28s} {'read/score s':>12s} {'M rows/s':>9s} {'process wall s':>15s} "
          f"{'peak RSS MiB':>13s}")
    for name, what in (("pyarrow", "pyarrow.dataset read only"), ("fastf1", "fastf1 score")):
        seconds, wall, _ = best[name]
        print(f"{what:28s} {seconds:12.3f} {args.rows / seconds / 1e6:9.1f} {wall:15.2f} "
              f"{peak[name] / 2**20:13.0f}")
    ratio = best["pyarrow"][0] / best["fastf1"][0]
    print(f"\nfresh processes: fastf1 score runs at {ratio:.0%} of pyarrow's bare read rate; "
          f"its peak RSS is {peak['fastf1'] / 2**20:,.0f} MiB (goal <= 1 GB)")
    print("(read/score s: inside the process, from opening the files to the last chunk, so "
          "fastf1's includes loading its kernels once; process wall s: the whole command, "
          "with interpreter start-up and imports)")
    print(f"steady state (one process, kernels loaded, best of {args.repeat}): pyarrow "
          f"{args.rows / steady[0] / 1e6:,.1f} M rows/s, fastf1 {args.rows / steady[1] / 1e6:,.1f}"
          f" M rows/s: {steady[0] / steady[1]:.0%} of the bare read rate (goal >= 50%); "
          f"the first call in that process took {steady[2]:.2f} s")


if __name__ == "__main__":
    main()
