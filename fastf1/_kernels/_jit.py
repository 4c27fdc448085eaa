"""The JIT options every CPU kernel shares: the one home for them.

Kernels compile lazily, once per argument signature, and are cached on disk (``cache=True``;
numba writes next to the sources or into ``NUMBA_CACHE_DIR``). Nothing compiles at import.
``nogil`` lets fastf1's thread pool (``fastf1._threads``) run one kernel on many row ranges
at once; ``error_model="numpy"`` keeps division by zero a NaN / inf, never an exception.
"""

from __future__ import annotations

from typing import Any

#: options shared by every CPU kernel
JIT: dict[str, Any] = dict(cache=True, nogil=True, error_model="numpy")
