"""The threads that count: fastf1's own thread pool, and how an input is cut for it.

Decisions made here, on purpose:

* The kernels are serial ``nogil`` numba functions (their JIT options: ``_kernels._jit``).
  An input of many rows is cut into one contiguous range of rows per thread; the calling
  thread counts the first range while fastf1's own thread pool counts the others at the
  same time, each into private counts, and the counts are added at the end (no atomics).
  That is faster than the same kernel compiled with numba's ``parallel=True`` (the
  README's performance notes have the figures), and it needs no numba threading layer:
  calls from many threads at once (as TensorFlow makes them) just queue their ranges, and
  a forked child starts a fresh pool.
* Inputs smaller than ``PARALLEL_MIN_ROWS`` are counted on the calling thread alone: handing
  a range to another thread costs tens of microseconds, more than counting a Keras batch.
* ``NUM_THREADS`` defaults to ``NUMBA_NUM_THREADS`` (the number of CPUs unless set).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, wait
from typing import Any

import numba

#: below this many rows a kernel runs on the calling thread alone
PARALLEL_MIN_ROWS = 1 << 16

#: threads that count one input at once (the calling thread and NUM_THREADS - 1 others)
NUM_THREADS = max(1, int(numba.config.NUMBA_NUM_THREADS))  # type: ignore[attr-defined]

_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()


def _get_pool() -> ThreadPoolExecutor:
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(max(1, NUM_THREADS - 1), thread_name_prefix="fastf1")
        return _pool


def _forget_pool() -> None:
    """In a forked child: the parent's pool threads do not exist here."""
    global _pool, _pool_lock
    _pool, _pool_lock = None, threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_pool)


def row_ranges(n_rows: int, align: int = 1, cost: int = 1) -> list[tuple[int, int]]:
    """Contiguous ``(lo, hi)`` ranges covering ``range(n_rows)``, one per counting thread;
    every cut is a multiple of ``align``. One range for inputs of fewer than
    ``PARALLEL_MIN_ROWS`` rows (``cost`` values per row count as that many rows)."""
    parts = NUM_THREADS if n_rows * cost >= PARALLEL_MIN_ROWS else 1
    units = -(-n_rows // align)  # ceil
    parts = max(1, min(parts, units))
    cuts = [min(n_rows, (units * i // parts) * align) for i in range(parts + 1)]
    return [(lo, hi) for lo, hi in zip(cuts, cuts[1:]) if hi > lo] or [(0, n_rows)]


def map_ranges(count: Callable[[int, int], Any], ranges: Sequence[tuple[int, int]]) -> list:
    """``[count(lo, hi) for lo, hi in ranges]``, the ranges counted at the same time.

    Returns, or raises, only once every range is done: the ranges write into buffers
    that the caller reuses or frees when this returns (an interrupt of the calling thread
    included)."""
    if len(ranges) == 1:
        return [count(*ranges[0])]
    pool = _get_pool()
    futures = [pool.submit(count, lo, hi) for lo, hi in ranges[1:]]
    try:
        first = count(*ranges[0])
    finally:
        wait(futures)
    return [first, *(f.result() for f in futures)]
