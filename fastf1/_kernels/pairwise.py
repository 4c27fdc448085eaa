"""NumPy's pairwise float sum of a K x K matrix that is never formed.

``np.sum`` of a contiguous float64 array adds its values in a fixed order (NumPy's
``pairwise_sum``: a range of more than 128 values is the sum of its two halves, the first
half a multiple of 8 long; a range of 8 to 128 values is summed in eight interleaved partial
sums, combined ``((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))``, then the remainder added
one by one). Cohen's kappa in scikit-learn sums the expected-agreement matrix
``w * (outer(sum0, sum1) / n)`` that way. The kernel here computes each value where the sum
needs it and adds it in the same order, so the result is the same double, bit for bit, with
O(K) memory and one compiled pass instead of four K x K arrays.

Where the time goes, and why the code is shaped so:

* The values of a subtree of at most ``_SUB`` values are formed at once in one buffer, a
  matrix row segment per loop, with every weight an exact float (the column numbers are a
  float array, so the loops need no int-to-float conversion, which AVX2 lacks); the loops
  vectorise and are bound by the division, which must stay a true division to round as
  NumPy's does.
* The eight partial sums of a block are two 4-lane vectors (``lane_sums``, written in LLVM
  IR: numba runs LLVM without its SLP vectoriser, so the scalar form stays scalar). Each
  lane adds its values in the scalar order: the vectors change nothing but the speed.
* NumPy's recursion is walked with an explicit stack (numba's disk cache does not take
  recursive functions); the blocks are summed from the buffer, so forming the values costs
  one loop per matrix row segment of a subtree, not per block.
"""

from __future__ import annotations

import numpy as np
from llvmlite import ir
from numba import njit, types
from numba.core import cgutils
from numba.extending import intrinsic

from ._jit import JIT

#: NumPy's PW_BLOCKSIZE: blocks of at most this many values are summed without splitting
_BLOCK = 128
#: the values of a subtree of at most this many are formed at once, in one buffer (16 KiB)
_SUB = 2048
#: frames of the walk: the tree of n values is about log2(n / 128) deep (64 covers int64)
_STACK = 64
#: weights of the disagreement matrix: none (1 off the diagonal), linear, quadratic
UNWEIGHTED, LINEAR, QUADRATIC = 0, 1, 2


@intrinsic
def lane_sums(typingctx, buf, lo, rows):
    """NumPy's eight interleaved partial sums of ``buf[lo : lo + 8 * rows]`` (a C-contiguous
    float64 array; ``rows`` at least 1, and the caller guarantees the range exists): sum
    ``l`` adds every eighth value from ``buf[lo + l]`` in order; the result is
    ``((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))``. Sums 0-3 and 4-7 are the lanes of
    two vectors, so each vector add is four of the scalar adds, in their order."""
    if not (isinstance(buf, types.Array) and buf.ndim == 1 and buf.layout == "C"
            and buf.dtype == types.float64 and isinstance(lo, types.Integer)
            and isinstance(rows, types.Integer)):
        return None
    sig = types.float64(buf, lo, rows)

    def codegen(context, builder, signature, args):
        arrty, loty, rowsty = signature.args
        data = context.make_array(arrty)(context, builder, args[0]).data
        i64, i32 = ir.IntType(64), ir.IntType(32)
        vty = ir.VectorType(ir.DoubleType(), 4)
        base = builder.gep(data, [context.cast(builder, args[1], loty, types.int64)])
        rows = context.cast(builder, args[2], rowsty, types.int64)

        def load(at):
            """The four values ``buf[lo + at .. lo + at + 3]`` as one vector."""
            ptr = builder.bitcast(builder.gep(base, [at]), vty.as_pointer())
            return builder.load(ptr, align=8)

        low = cgutils.alloca_once_value(builder, load(ir.Constant(i64, 0)))
        high = cgutils.alloca_once_value(builder, load(ir.Constant(i64, 4)))
        one = ir.Constant(i64, 1)
        with cgutils.for_range_slice(builder, one, rows, one, inc=True) as (r, _):
            at = builder.mul(r, ir.Constant(i64, 8))
            builder.store(builder.fadd(builder.load(low), load(at)), low)
            builder.store(builder.fadd(builder.load(high), load(
                builder.add(at, ir.Constant(i64, 4)))), high)
        r = [builder.extract_element(builder.load(v), ir.Constant(i32, c))
             for v in (low, high) for c in range(4)]
        return builder.fadd(builder.fadd(builder.fadd(r[0], r[1]), builder.fadd(r[2], r[3])),
                            builder.fadd(builder.fadd(r[4], r[5]), builder.fadd(r[6], r[7])))

    return sig, codegen


@njit(**JIT)
def _fill(sum0, sum1, cols, denominator, mode, lo, n, buf):
    """``buf[:n]``: the values at flat positions ``lo .. lo + n - 1`` of the R x K matrix
    ``w[i, j] * (sum0[i] * sum1[j] / denominator)``, as NumPy computes each one (``cols``:
    the K column numbers as floats, so that every weight is an exact float)."""
    k = sum1.shape[0]
    i, j = lo // k, lo % k
    m = 0
    while m < n:
        seg = min(n - m, k - j)
        a = sum0[i]
        out = buf[m:m + seg]
        col = sum1[j:j + seg]
        # one loop per mode (a branch inside would keep the loop from vectorising)
        if mode == UNWEIGHTED:
            # weight 1 off the diagonal (1.0 * x is x), 0 on it
            for q in range(seg):
                out[q] = a * col[q] / denominator
            if j <= i < j + seg:
                out[i - j] = 0.0 * out[i - j]
        else:
            fi = np.float64(i)
            c = cols[j:j + seg]
            if mode == LINEAR:
                for q in range(seg):
                    out[q] = abs(fi - c[q]) * (a * col[q] / denominator)
            else:
                for q in range(seg):
                    d = fi - c[q]
                    out[q] = d * d * (a * col[q] / denominator)
        m += seg
        i += 1
        j = 0


@njit(**JIT)
def _half(n):
    """The length of the first half of a range of n values in NumPy's split."""
    h = n // 2
    return h - h % 8


@njit(**JIT)
def _block_sum(buf, lo, n):
    """NumPy's sum of ``buf[lo : lo + n]``, n at most 128."""
    if n < 8:
        res = 0.0
        for i in range(lo, lo + n):
            res += buf[i]
        return res
    m = n - n % 8
    res = lane_sums(buf, lo, m // 8)
    for i in range(lo + m, lo + n):
        res += buf[i]
    return res


@njit(**JIT)
def subtree_sum(sum0, sum1, denominator, mode, lo, n):
    """NumPy's pairwise sum of the ``n`` values from flat position ``lo`` of the R x K
    matrix ``w * (np.outer(sum0, sum1) / denominator)`` (``w``: the disagreement weights
    of ``mode``), where those values are one subtree of NumPy's order (``expected_sum``: the
    whole matrix). C-contiguous float64 inputs.

    NumPy's recursion is walked with an explicit stack; the first frame of at most ``_SUB``
    values on each path forms its values in the buffer, and the blocks below it are summed
    from there.
    """
    buf = np.empty(_SUB, np.float64)
    cols = np.arange(sum1.shape[0]).astype(np.float64)
    base, end = lo, lo  # the flat positions the buffer holds: base .. end - 1
    # frames: (first position, length, stage: 0 new, 1 left half done, 2 both done)
    lo_s = np.empty(_STACK, np.int64)
    n_s = np.empty(_STACK, np.int64)
    stage_s = np.zeros(_STACK, np.int64)
    left_s = np.empty(_STACK, np.float64)
    sp = 0
    lo_s[0], n_s[0], stage_s[0] = lo, n, 0
    value = 0.0  # the sum of the frame that returned last
    while sp >= 0:
        lo, n, stage = lo_s[sp], n_s[sp], stage_s[sp]
        if stage == 0 and n <= _SUB and (lo < base or lo + n > end):
            _fill(sum0, sum1, cols, denominator, mode, lo, n, buf)
            base, end = lo, lo + n
        if n <= _BLOCK:
            value = _block_sum(buf, lo - base, n)
            sp -= 1
            continue
        half = _half(n)
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


def expected_sum(sum0: np.ndarray, sum1: np.ndarray, denominator: float,
                 mode: int) -> np.float64:
    """``np.sum(w * (np.outer(sum0, sum1) / denominator))`` for the disagreement weights
    ``w`` of ``mode`` (``w[i, j]``: 0 / 1 for ``i == j`` / not, ``|i - j|``, ``(i - j)**2``;
    C-contiguous float64 inputs, of one length for kappa), bit for bit, without the matrix:
    one thread."""
    return np.float64(subtree_sum(sum0, sum1, denominator, mode, 0,
                                  sum0.shape[0] * sum1.shape[0]))
