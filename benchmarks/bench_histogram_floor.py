"""The score histogram's floor: the smallest kernels that could count it, against the probe.

The goal of issue 20 is a histogram pass at 50% or more of the read-bandwidth probe's speed
at 10^8 rows (int8 truth, float32 probabilities, 10% positives: ``bench_histogram``'s data).
This script times, in one process, the calls taking turns round after round, each after an
untimed pause (``workloads.SETTLE_S``: the probe's OpenMP threads spin on after it
returns), all on both threads (fastf1's own ``_threads``, one table per thread):

* ``probe``: ``bench_histogram``'s read probe (a parallel sum over as many bytes as the rows);
* ``index``: each row's bin and label, ``2 * bin + label``, summed, no table: the arithmetic
  floor; with fastf1's ``bin_index32`` (any float), and with the fewest operations that
  give the same bins to probabilities in ``[2**-24, 1 - 2**-24]`` (``_bin_proba``: every
  score of these data; no other case is handled);
* ``count pair``: that index into a table of uint32 counters, one increment a row, at the
  default bins (the indexes of a block of rows computed, vectorised, into a buffer that
  stays in the first-level cache, then scattered); with either binning;
* ``count record``: the same increment into the table the project counts into (a 16-byte
  record a bin: two uint32 counts, the smallest and the largest score's keys, left alone);
* ``count L1``: ``count pair`` at 2**12 bins, whose table fits the first-level cache: the
  floor of any scatter; with one counter a (bin, label), and with ``REPLICAS`` interleaved
  copies of each (row ``i`` takes copy ``i % REPLICAS``, so that rows of one bin in a row
  do not wait for each other's stores);
* ``radix + count pair``: each block's indexes first partitioned by their top bits (a
  counting sort, in the caches), then counted partition by partition, each into a slice
  of the ``count pair`` table that fits the first-level cache;
* ``roc_auc_score(bins=)`` and ``ScoreHistogram().update``: fastf1's own passes.

Every kernel but fastf1's counts into uint32 counters, a table per thread (allocated once,
reused by every call), checks no row (every score here is finite) and leaves the threads'
tables apart (adding them takes a few hundred microseconds): the kernels are a floor.

Printed: the CPU, the sizes, the first call of the kernels (their compile time), the table
of best rounds (seconds; CPU nanoseconds a row: the process CPU time, all threads, over the
rows; the probe's time as a % of each), the allowance (the CPU time a row that a pass at 50%
of the probe may take on all threads), and the fewest bins (a power of two) whose bounds,
by fastf1's own ``roc_auc_error_bound`` and ``average_precision_error_bound`` on the same
data, meet the goals (AUC 1e-5, AP 1e-4), with the tables they imply:

    python3 benchmarks/bench_histogram_floor.py [--rows 1e8] [--rounds 5]

Under pytest (the default test run collects it) it runs once at 1,000 rows, without the
floor kernels (their compile would take seconds); ``-m slow`` checks their counts.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from typing import Any

import bench_histogram as bh
import numpy as np
import pytest
from numba import njit

import fastf1
from fastf1 import _threads
from fastf1._kernels import histogram as kern
from fastf1._kernels._jit import JIT

#: numba's disk cache off: the first call's time is the compile time, every run
_JIT = dict(JIT, cache=False)
#: rows a block: their indexes (4 KB) stay in the first-level cache
BLOCK = 1024
#: interleaved copies of each counter in the second table of the first-level cache
REPLICAS = 4
#: the bins of the table that fits the first-level cache
L1_BINS = 1 << 12
#: the goals of issue 20
AUC_GOAL, AP_GOAL = 1e-5, 1e-4
ONE, PAIR, RECORD = np.int32(1), np.int32(2), np.int32(kern.NREC)
#: partitions of the radix kernel (top bits of a block's indexes), and its rows a block
RADIX_BITS = 6
RADIX_ROWS = 1 << 14


@njit(**_JIT)
def _bin32(b, m, center):
    """fastf1's bin of the float32 of bits ``b`` (any float)."""
    return kern.bin_index32(b, m, center)


@njit(**_JIT)
def _bin_proba(b, m, center):
    """The same bin for a probability in ``[2**-24, 1 - 2**-24]`` only (no other case
    handled: the fewest operations that can bin these data as fastf1 does)."""
    i32 = np.int32
    upper = b > i32(kern._HALF32)
    x = kern._bits32(np.float32(1.0) - kern._f32_of_bits(b)) if upper else b
    low = i32(i32(1 + kern._E_LO - (kern._E32_LO << m)) + kern._shr32(x, i32(23 - m)))
    h2 = i32(2 * (1 + kern._E_LO + ((kern._E_HALF - kern._E_LO) << m)))
    return i32(center + (i32(h2 - low) if upper else low))


@njit(**_JIT)
def _index_sum(t, s, m, center, binner):
    """Sum of ``2 * bin + label`` over the rows: the index arithmetic alone (int32 lanes,
    wrapping: the sum only keeps the work from being optimised away)."""
    acc = np.int32(0)
    for i in range(t.shape[0]):
        k = binner(kern._bits32(s[i]), m, center)
        acc = np.int32(acc + np.int32(np.int32(2 * k) + np.int32(t[i] == 1)))
    return acc


@njit(**_JIT)
def _block_index(t, s, m, center, binner, record, reps, out):
    """``out[i]``: the counter of row ``i``, ``(record * bin + label) * reps + i % reps``
    (vectorised, in int32 lanes: ``record`` and ``reps`` are int32; unsigned, so that
    indexing the table needs no wrap-around test)."""
    i32 = np.int32
    for i in range(t.shape[0]):
        k = binner(kern._bits32(s[i]), m, center)
        c = i32(i32(k * record) + i32(t[i] == 1))
        out[i] = np.uint32(i32(c * reps) + i32(i32(i) & i32(reps - i32(1))))


@njit(**_JIT)
def _count(t, s, m, center, binner, record, reps, tab):
    """One increment a row into the flat uint32 ``tab``, a block of indexes at a time."""
    n = t.shape[0]
    buf = np.empty(BLOCK, np.uint32)
    for b0 in range(0, n, BLOCK):
        b1 = min(n, b0 + BLOCK)
        kb = buf[:b1 - b0]
        _block_index(t[b0:b1], s[b0:b1], m, center, binner, record, reps, kb)
        for j in range(b1 - b0):
            tab[kb[j]] += np.uint32(1)


@njit(**_JIT)
def _count_radix(t, s, m, center, binner, base, bits, rows, tab):
    """``_count`` of ``PAIR`` indexes, one copy, each block of ``rows`` rows partitioned
    first by the top ``RADIX_BITS`` of ``index - base`` (``bits`` wide): a counting sort into
    a buffer, so that each partition's increments fall in one slice of the table."""
    n = t.shape[0]
    parts = 1 << RADIX_BITS
    sh = max(bits - RADIX_BITS, 0)
    buf = np.empty(rows, np.uint32)
    out = np.empty(rows, np.uint32)
    start = np.empty(parts + 1, np.int64)
    for b0 in range(0, n, rows):
        b1 = min(n, b0 + rows)
        kb = buf[:b1 - b0]
        _block_index(t[b0:b1], s[b0:b1], m, center, binner, PAIR, ONE, kb)
        start[:] = 0
        for j in range(b1 - b0):
            start[((kb[j] - base) >> sh) + 1] += 1
        for p in range(parts):
            start[p + 1] += start[p]
        for j in range(b1 - b0):
            p = (kb[j] - base) >> sh
            out[start[p]] = kb[j]
            start[p] += 1
        for j in range(b1 - b0):
            tab[out[j]] += np.uint32(1)


def _per_thread(kernel: Callable[..., Any], y: np.ndarray, s: np.ndarray, args: tuple,
                size: int) -> Callable[[], Any]:
    """``kernel(t, s, *args, table)`` on each thread's range of rows, into its own table
    (allocated once, reused by every call, as fastf1 keeps its scratch tables)."""
    ranges = _threads.row_ranges(y.shape[0])
    tables = [np.zeros(size, np.uint32) for _ in ranges]

    def count(i: int, _: int) -> None:
        lo, hi = ranges[i]
        kernel(y[lo:hi], s[lo:hi], *args, tables[i])

    def call() -> None:
        _threads.map_ranges(count, [(i, 0) for i in range(len(ranges))])

    call.tables = tables  # type: ignore[attr-defined]  # the counts, for the slow test
    return call


def _index_call(y: np.ndarray, s: np.ndarray, m: int, center: int,
                binner: Any) -> Callable[[], Any]:
    ranges = _threads.row_ranges(y.shape[0])
    return lambda: _threads.map_ranges(
        lambda lo, hi: _index_sum(y[lo:hi], s[lo:hi], m, center, binner), ranges)


def _geometry(bins: int) -> tuple[int, int, int]:
    """(mantissa bits, center bin, bins in all) of the project's binning at ``bins``."""
    m = fastf1.ScoreHistogram(bins)._m
    total = kern.n_bins(m)
    return m, total // 2, total


def floor_calls(y: np.ndarray, s: np.ndarray, spans: dict[int, tuple[int, int]]
                ) -> dict[str, tuple[Callable[[], Any], int]]:
    """The floor kernels, each with the bytes of the part of its table that the rows reach
    (``spans``: the lowest and highest bin these data reach, at the default bins and at
    ``L1_BINS``)."""
    m, center, total = _geometry(fastf1.histogram.DEFAULT_BINS)
    m1, center1, total1 = _geometry(L1_BINS)
    lo, hi = spans[fastf1.histogram.DEFAULT_BINS]
    reach, reach1 = hi - lo + 1, spans[L1_BINS][1] - spans[L1_BINS][0] + 1
    bits = int(2 * reach - 1).bit_length()

    def count(args: tuple, size: int) -> Callable[[], Any]:
        return _per_thread(_count, y, s, args, size)

    copies = np.int32(REPLICAS)
    return {
        "index, fastf1's bin_index32": (_index_call(y, s, m, center, _bin32), 0),
        "index, probabilities only": (_index_call(y, s, m, center, _bin_proba), 0),
        "count pair, fastf1's bin_index32": (
            count((m, center, _bin32, PAIR, ONE), 2 * total), 8 * reach),
        "count pair": (count((m, center, _bin_proba, PAIR, ONE), 2 * total), 8 * reach),
        "count record": (count((m, center, _bin_proba, RECORD, ONE), kern.NREC * total),
                         16 * reach),
        f"count L1 (2^{L1_BINS.bit_length() - 1} bins)": (
            count((m1, center1, _bin_proba, PAIR, ONE), 2 * total1), 8 * reach1),
        f"count L1 (2^{L1_BINS.bit_length() - 1} bins), {REPLICAS} copies": (
            count((m1, center1, _bin_proba, PAIR, copies), 2 * REPLICAS * total1),
            8 * REPLICAS * reach1),
        "radix + count pair": (
            _per_thread(_count_radix, y, s, (m, center, _bin_proba, 2 * lo, bits, RADIX_ROWS),
                        2 * total), 8 * reach),
    }


def fastf1_calls(y: np.ndarray, s: np.ndarray) -> dict[str, tuple[Callable[[], Any], int]]:
    """fastf1's own passes at the default bins (their table: the record table of the
    default bins' line)."""
    return {
        "roc_auc_score(bins=)": (
            lambda: fastf1.roc_auc_score(y, s, bins=fastf1.histogram.DEFAULT_BINS), 0),
        "ScoreHistogram.update": (lambda: fastf1.ScoreHistogram().update(y, s), 0),
    }


def _bin_span(h: fastf1.ScoreHistogram) -> tuple[int, int]:
    lo, hi = h._span
    return int(lo), int(hi) - 1


def fewest_bins(y: np.ndarray, s: np.ndarray) -> list[tuple[int, float, float, tuple[int, int]]]:
    """(bins, AUC bound, AP bound, the bins reached) from 2**8 bins up, doubling, to the
    first that meets both goals, and the default bins."""
    rows = []
    for b in range(8, 25):
        h = fastf1.ScoreHistogram(1 << b).update(y, s)
        auc, ap = h.roc_auc_error_bound(), h.average_precision_error_bound()
        rows.append((1 << b, auc, ap, _bin_span(h)))
        if auc <= AUC_GOAL and ap <= AP_GOAL and 1 << b >= fastf1.histogram.DEFAULT_BINS:
            break
    return rows


def _mb(nbytes: int) -> str:
    return f"{nbytes / 2**20:.2f} MiB" if nbytes >= 2**20 else f"{nbytes / 2**10:.0f} KiB"


def run(n: int, rounds: int, floors: bool = True) -> list[str]:
    """The report's lines: sizes, compile time, the table, the allowance, the bins."""
    from report import machine

    y, s = bh.make_data(n)
    lines = [f"Machine: {machine()}; threads {_threads.NUM_THREADS}.",
             f"Rows: {n:.0e} (int8 truth {y.nbytes / 1e6:.0f} MB, float32 scores "
             f"{s.nbytes / 1e6:.0f} MB, {y.mean():.1%} positives)."]
    bounds = fewest_bins(y, s)
    probe = bh.make_call("probe", n)
    assert probe is not None
    floor = floor_calls(y, s, {b: span for b, *_, span in bounds}) if floors else {}
    calls = {"probe": (probe, 0), **floor, **fastf1_calls(y, s)}
    first = {}
    for name, (f, _) in calls.items():
        t0 = time.perf_counter()
        f()  # compile (numba); first touch of the tables
        first[name] = time.perf_counter() - t0
    lines.append(f"First call of the floor kernels (numba compile, no disk cache, and the "
                 f"tables' first touch): {sum(first[k] for k in floor):.2f} s in all; "
                 f"fastf1's two (from numba's disk cache where it has them): "
                 f"{first['roc_auc_score(bins=)'] + first['ScoreHistogram.update']:.2f} s.")
    best = bh.best_of_rounds({k: f for k, (f, _) in calls.items()},
                             {k: rounds for k in calls})
    p = best["probe"][0]
    lines += ["", "| pass | table reached | seconds | CPU ns a row | probe / pass |",
              "|---|---|---|---|---|"]
    for name, (_, nbytes) in calls.items():
        wall, cpu = best[name]
        table = _mb(nbytes) if nbytes else "-"
        lines.append(f"| {name} | {table} | {wall:.4f} | {cpu / n * 1e9:.2f} | "
                     f"{100 * p / wall:.1f}% |")
    allowance = 2 * p * _threads.NUM_THREADS / n * 1e9
    lines += ["", f"Allowance at 50% of the probe: {2 * p:.4f} s, {allowance:.2f} ns of CPU "
              f"a row on {_threads.NUM_THREADS} threads (twice the probe's own CPU time a "
              f"row: {2 * best['probe'][1] / n * 1e9:.2f} ns; the two differ when the probe "
              f"did not have every core to itself).", "",
              "| bins | AUC bound | AP bound | bins reached | pair table | record table |",
              "|---|---|---|---|---|---|"]
    for bins, auc, ap, (lo, hi) in bounds:
        meets = " (meets both goals)" if auc <= AUC_GOAL and ap <= AP_GOAL else ""
        lines.append(f"| 2^{bins.bit_length() - 1}{meets} | {auc:.2e} | {ap:.2e} | "
                     f"{hi - lo + 1} | {_mb(8 * (hi - lo + 1))} | {_mb(16 * (hi - lo + 1))} |")
    return lines


def test_smoke() -> None:
    """The report at 1,000 rows with fastf1's passes and the probe only."""
    lines = run(1000, 1, floors=False)
    assert any(line.startswith("| probe |") for line in lines)
    assert any("meets both goals" in line for line in lines)


@pytest.mark.slow
def test_floor_counts() -> None:
    """The floor kernels count every row, into the bin fastf1 gives it."""
    y, s = bh.make_data(200_000)
    spans, pairs = {}, {}
    for bins in (fastf1.histogram.DEFAULT_BINS, L1_BINS):
        spans[bins] = _bin_span(fastf1.ScoreHistogram(bins).update(y, s))
        m, center, total = _geometry(bins)
        k, _ = kern.bins_and_keys(s, m, center)
        pairs[bins] = np.bincount(2 * k + y, minlength=2 * total)
    for name, (f, _) in floor_calls(y, s, spans).items():
        f()
        if name.startswith("index"):
            continue
        tab = sum(t.astype(np.int64) for t in f.tables)  # type: ignore[attr-defined]
        if "L1" in name:
            got = tab.reshape(-1, REPLICAS if "copies" in name else 1).sum(axis=1)
            np.testing.assert_array_equal(got, pairs[L1_BINS], err_msg=name)
        elif "record" in name:
            np.testing.assert_array_equal(tab.reshape(-1, kern.NREC)[:, :2].ravel(),
                                          pairs[fastf1.histogram.DEFAULT_BINS], err_msg=name)
        else:
            np.testing.assert_array_equal(tab, pairs[fastf1.histogram.DEFAULT_BINS],
                                          err_msg=name)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=float, default=1e8, help="rows (default: 1e8)")
    parser.add_argument("--rounds", type=int, default=5, help="rounds (default: 5)")
    args = parser.parse_args()
    for line in run(int(args.rows), args.rounds):
        print(line, flush=True)


if __name__ == "__main__":
    main()
