"""The one-compare pass of the single-label losses: rows whose two labels differ.

Hamming and zero-one loss of single-label rows need nothing but the number of rows where
``y_true != y_pred``: for two integer arrays of one dtype every value is a valid label, so
there is nothing to validate, no label range and no scatter, and the pass is a plain
vectorised compare, bound by reading the two arrays.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from ._jit import JIT


@njit(**JIT)
def mismatches(t, p):
    """(rows with ``t[i] != p[i]``,) of two 1-D arrays of one integer dtype."""
    n = np.int64(0)
    for i in range(t.shape[0]):
        n += t[i] != p[i]
    return (n,)
