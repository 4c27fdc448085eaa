"""NumPy's pairwise float sum of a K x K matrix that is never formed.

``np.sum`` of a contiguous float64 array adds its values in a fixed order (NumPy's
``pairwise_sum``: blocks of at most 128 values, each summed in eight interleaved partial
sums, the blocks combined in a binary tree). Cohen's kappa in scikit-learn sums the
expected-agreement matrix ``w * (outer(sum0, sum1) / n)`` that way. The kernel here computes
each value where the sum needs it and adds it in the same order, so the result is the same
double, bit for bit, with O(K) memory and one compiled pass instead of four K x K arrays.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from ._jit import JIT

#: NumPy's PW_BLOCKSIZE: blocks of at most this many values are summed without splitting
_BLOCK = 128
#: frames of the walk: the tree of n values is about log2(n / 128) deep (64 covers int64)
_STACK = 64
#: weights of the disagreement matrix: none (1 off the diagonal), linear, quadratic
UNWEIGHTED, LINEAR, QUADRATIC = 0, 1, 2


@njit(**JIT)
def _fill(sum0, sum1, denominator, mode, lo, n, buf):
    """``buf[:n]``: the values at flat positions ``lo .. lo + n - 1`` of the K x K matrix
    ``w[i, j] * (sum0[i] * sum1[j] / denominator)``, as NumPy computes each one; a row at a
    time, so that the inner loop vectorises."""
    k = sum1.shape[0]
    i, j = lo // k, lo % k
    m = 0
    while m < n:
        seg = min(n - m, k - j)
        a = sum0[i]
        # one loop per mode (a branch inside would keep the loop from vectorising)
        if mode == UNWEIGHTED:
            for q in range(seg):
                w = 0.0 if i == j + q else 1.0
                buf[m + q] = w * (a * sum1[j + q] / denominator)
        elif mode == LINEAR:
            for q in range(seg):
                w = np.float64(abs(i - (j + q)))
                buf[m + q] = w * (a * sum1[j + q] / denominator)
        else:
            for q in range(seg):
                d = np.float64(i - (j + q))
                buf[m + q] = d * d * (a * sum1[j + q] / denominator)
        m += seg
        i += 1
        j = 0


@njit(**JIT)
def _block_sum(buf, n):
    """NumPy's sum of ``buf[:n]``, n at most 128."""
    if n < 8:
        res = 0.0
        for i in range(n):
            res += buf[i]
        return res
    r0, r1, r2, r3 = buf[0], buf[1], buf[2], buf[3]
    r4, r5, r6, r7 = buf[4], buf[5], buf[6], buf[7]
    i = 8
    while i < n - n % 8:
        r0 += buf[i]
        r1 += buf[i + 1]
        r2 += buf[i + 2]
        r3 += buf[i + 3]
        r4 += buf[i + 4]
        r5 += buf[i + 5]
        r6 += buf[i + 6]
        r7 += buf[i + 7]
        i += 8
    res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
    while i < n:
        res += buf[i]
        i += 1
    return res


@njit(**JIT)
def expected_sum(sum0, sum1, denominator, mode):
    """``np.sum(w * (np.outer(sum0, sum1) / denominator))`` for the disagreement weights
    ``w`` of ``mode`` (float64 inputs of one length), bit for bit, without the matrix.

    NumPy's recursion (a range of more than 128 values is the sum of its two halves, the
    first half a multiple of 8 long) is walked with an explicit stack: numba's disk cache
    does not take recursive functions.
    """
    buf = np.empty(_BLOCK, np.float64)
    # frames: (first position, length, stage: 0 new, 1 left half done, 2 both done)
    lo_s = np.empty(_STACK, np.int64)
    n_s = np.empty(_STACK, np.int64)
    stage_s = np.zeros(_STACK, np.int64)
    left_s = np.empty(_STACK, np.float64)
    sp = 0
    lo_s[0], n_s[0], stage_s[0] = 0, sum0.shape[0] * sum1.shape[0], 0
    value = 0.0  # the sum of the frame that returned last
    while sp >= 0:
        lo, n, stage = lo_s[sp], n_s[sp], stage_s[sp]
        if n <= _BLOCK:
            _fill(sum0, sum1, denominator, mode, lo, n, buf)
            value = _block_sum(buf, n)
            sp -= 1
            continue
        half = n // 2
        half -= half % 8
        if stage == 0:
            stage_s[sp] = 1
            sp += 1
            lo_s[sp], n_s[sp], stage_s[sp] = lo, half, 0
        elif stage == 1:
            left_s[sp] = value
            stage_s[sp] = 2
            sp += 1
            lo_s[sp], n_s[sp], stage_s[sp] = lo + half, n - half, 0
        else:
            value = left_s[sp] + value
            sp -= 1
    return value
