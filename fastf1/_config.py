"""JIT options, the threading layer, and the serial/parallel choice: the one home for them.

Decisions made here, on purpose:

* Kernels compile lazily, once per argument signature, and are cached on disk
  (``cache=True``; numba writes next to the sources or into ``NUMBA_CACHE_DIR``).
  Nothing compiles at import.
* numba's threading layer is process-wide and fixed at the first parallel launch. Unless
  the user chose one (``NUMBA_THREADING_LAYER``), fastf1 asks for ``workqueue``: it ships
  with every numba wheel and is fork-safe (GNU OpenMP is not). ``workqueue`` is not
  thread-safe, and TensorFlow calls metric code from several threads at once, so every
  parallel launch goes through :func:`parallel_slot`: one thread at a time runs a parallel
  kernel, any other thread meanwhile runs the serial twin of the same kernel (``nogil``,
  so it still runs concurrently). Nobody waits and nobody aborts.
* Inputs smaller than ``PARALLEL_MIN_ROWS`` run serially: a parallel launch costs tens of
  microseconds, more than counting a Keras batch.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterator

import numba

if "NUMBA_THREADING_LAYER" not in os.environ:
    numba.config.THREADING_LAYER = "workqueue"

#: options shared by every CPU kernel
JIT = dict(cache=True, nogil=True, error_model="numpy")

#: below this many rows a kernel runs serially
PARALLEL_MIN_ROWS = 1 << 16

_parallel_lock = threading.Lock()


@contextlib.contextmanager
def parallel_slot(n_rows: int) -> Iterator[bool]:
    """Yield True if this call may launch a parallel kernel now, else False (run serially)."""
    if n_rows < PARALLEL_MIN_ROWS or numba.get_num_threads() == 1:
        yield False
        return
    acquired = _parallel_lock.acquire(blocking=False)
    try:
        yield acquired
    finally:
        if acquired:
            _parallel_lock.release()
