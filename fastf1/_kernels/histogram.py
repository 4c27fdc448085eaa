"""Numba kernels of the score histogram: rows into bins of the float's own bits, and back.

Binning (``bin_index``): a finite score ``v`` is taken as float64 (exact for float32 input)
and cut by its sign, binary exponent and top ``m`` mantissa bits, after one transform
suited to probabilities: a magnitude ``a`` in (1/2, 1) is binned by the bits of ``1 - a``
(exact in float64), counted down from the top of [0, 1/2]'s bins. So ``2**m`` equal parts of
a binade (the same *relative* width, ``2**-m``) apply to ``a`` in ``[2**-24, 1/2)``, to
``1 - a`` in ``[2**-24, 1/2)`` and to ``a`` in ``[1, 2**18)``: probabilities near 0 and
near 1 are resolved alike (the log-odds width of a bin is at most ``2**(1 - m)`` over the
whole window), logits and margins relatively. Outside the window one bin a binade (all
subnormals one bin, 1/2 a bin of its own); zero (either sign) is a bin of its own;
negative values mirror the positive ones around zero's bin. The bin index is a
non-decreasing function of ``v``: every value of a higher bin is larger than every value of
a lower one, which is all the bounds of ``fastf1.histogram`` rely on. ``bin_index_v1`` is
the first format's binning (the bits of ``a`` alone, window ``[2**-24, 2**8)``), kept to
read its documents.

The table: one 32-byte record of four uint64 per bin, ``tab[k]``. ``NEG`` and ``POS`` hold
the bin's negative and positive rows (uint64), or, in a weighted table, the bits of their
float64 weight sums (the same memory seen through a float64 view). ``LO`` and ``HI`` keep
the bin's smallest and largest score as *unsigned order keys* (``ukey``: the float's bits
with the sign bit flipped, or all bits flipped for negatives, so that keys order as the
values do): ``HI`` the largest key, ``LO`` the bitwise NOT of the smallest. Every finite
score's key and NOT key are at least ``2**52``, so zero means "no row here", a zeroed table
is an empty histogram (calloc'd pages, touched only where rows land), emptiness is never
tested in the row loop, and merging is a plain maximum. A bin whose ``~LO == HI`` holds
one value only (an exact tie).

The pass works on blocks of ``_BLOCK`` rows that stay in the first-level cache:

1. ``_block_rows`` (no branches, so the loop vectorises) checks every row, adds its log
   loss, Brier and weight terms to float64 sums, and writes its bin and its calibration
   bin to two small buffers; without weights the log-loss terms are summed as the log of
   a product (below), one multiplication per row instead of a logarithm. It takes the
   block's slices, indexed from 0, so that the compiler knows no index wraps around and
   loads whole vectors of rows;
2. ``_block_scatter`` adds each row to its bin's record (asking the CPU for the record of
   the row ``_AHEAD`` rows further on, which is most likely out of the first-level
   cache) and then to its calibration bin, in ``_REPLICAS`` interleaved copies of the
   calibration table so that rows of one bin do not wait for each other's additions.

Unweighted float32 scores (``fill32``, into a hot table, below) take the same two steps
in 32-bit arithmetic, eight rows a vector: ``bin_index32`` is ``bin_index`` on the
float32's own bits, the calibration bin is a count of float32 edges below the score
(``cal_edges32``), the score keys, the lowest and highest bin and the row counts come out
of the same vectorised loop, and the scatter takes ready indexes into flat tables. The
blocks are software-pipelined: block ``b + 1`` is binned before block ``b`` is scattered,
so that the prefetches run on across the end of a block.

Log of a product: for ``q`` in ``[eps, 1)``, ``log q = e ln 2 + log f`` with ``e`` its
binary exponent and ``f`` in ``[1, 2)`` its mantissa; the exponents add as integers, and
the mantissas multiply: a product of at most ``_BLOCK`` (512) of them stays below
``2**512``, a normal float64, in any order of multiplication. One logarithm per block
then turns the product back into a sum. Each multiplication rounds by at most half an
ulp, so the block's log sum errs by at most ``_BLOCK * 2**-53`` in absolute terms, no
more than a float64 sum of the logarithms does.

Like the other kernels: serial ``nogil`` passes into the tables given, no validation
messages; rows that cannot be counted are recorded in ``info``.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from llvmlite import ir
from numba import njit, types
from numba.core import cgutils
from numba.extending import intrinsic, overload

from ._jit import JIT

# columns of the uint64 bin record
NEG, POS, LO, HI = range(4)
NREC = 4

# the fine window: magnitudes in [2**-24, 1/2), 1 - magnitude in [2**-24, 1/2) for
# magnitudes in (1/2, 1), and magnitudes in [1, 2**18); as biased float64 exponents
FINE_LO = -24
FINE_TOP = 18
_BIAS = 1023
_E_LO = _BIAS + FINE_LO
_E_HALF = _BIAS - 1
_E_TOP = _BIAS + FINE_TOP
_E_MAX = 2046  # largest biased exponent of a finite float64
_MAG = np.int64(0x7FFFFFFFFFFFFFFF)
_MANT = np.int64(0xFFFFFFFFFFFFF)
_ONE = np.int64(_BIAS << 52)  # the bits of 1.0: a mantissa with a zero exponent
_TOP = np.uint64(1 << 63)
_MANT_BITS = 52
# the fine window of the first format's binning (``bin_index_v1``): [2**-24, 2**8)
_E_HI_V1 = _BIAS + 8

# sums slots (float64): rows (or weight) counted, log-loss terms (the logarithms' sum, less
# the power-of-two part, which is in S_LOG2 as a count of ln 2), Brier terms, positive
# weight; weight of scores below 0 and above 1 (they make log loss / Brier undefined)
S_WEIGHT, S_LOG, S_LOG2, S_BRIER, S_POS, S_BELOW0, S_ABOVE1 = range(7)
NSUMS = 7
# calibration table columns: weight, positive weight, weighted score sum
C_WEIGHT, C_POS, C_SCORE = range(3)

# info slots (int64): truth other than 0/1, NaN / inf scores, NaN / inf / negative weights;
# rows counted, positive rows among them; the lowest and highest bin reached (LOW_EMPTY
# and -1 when none)
BAD_TRUE, BAD_SCORE, BAD_WEIGHT, ROWS, ROWS_POS, K_LO, K_HI = range(7)
NINFO = 7
NDIAG = 3  # the first NDIAG slots are the bad rows
LOW_EMPTY = np.int64(1 << 62)

# rows per block: small enough for the first-level cache and for the product of mantissas
_BLOCK = 512
# the scatter asks for the record of the row this far ahead (the table is larger than the
# caches and rows land in it at random, so each row would otherwise wait for memory)
_AHEAD = 32
# interleaved copies of the calibration table (a power of two)
_REPLICAS = 4


def _half(m: int) -> int:
    """The bin of 1/2 on one side of zero (``_low``), for ``m`` mantissa bits."""
    return 1 + _E_LO + ((_E_HALF - _E_LO) << m)


def magnitude_bins(m: int, binning: int = 2) -> int:
    """Bins on one side of zero, zero's bin included, for ``m`` mantissa bits."""
    if binning == 1:
        return 1 + _E_LO + ((_E_HI_V1 - _E_LO) << m) + (_E_MAX - _E_HI_V1 + 1)
    return 2 * _half(m) + (FINE_TOP << m) + (_E_MAX - _E_TOP) + 1


def n_bins(m: int, binning: int = 2) -> int:
    """Bins in all: both signs and zero."""
    return 2 * magnitude_bins(m, binning) - 1


def new_info() -> np.ndarray:
    """An ``info`` array of no rows."""
    info = np.zeros(NINFO, np.int64)
    info[K_LO], info[K_HI] = LOW_EMPTY, -1
    return info


def new_calibration(n_cal: int) -> np.ndarray:
    """The kernel's calibration table: ``[2 * bin + class, replica, (weight, score sum)]``
    (a bin's replicas side by side: one cache line)."""
    return np.zeros((2 * n_cal, _REPLICAS, 2))


def fold_calibration(calr: np.ndarray) -> np.ndarray:
    """The kernel's calibration table as ``(n_cal, 3)``: weight, positive weight, score sum."""
    c = calr.sum(axis=1).reshape(-1, 2, 2)  # [bin, class, (weight, score sum)]
    out = np.empty((c.shape[0], 3))
    np.add(c[:, 0, 0], c[:, 1, 0], out=out[:, 0])
    out[:, 1] = c[:, 1, 0]
    np.add(c[:, 0, 1], c[:, 1, 1], out=out[:, 2])
    return out


def _bitcast(src: types.Type, dst: types.Type) -> Any:
    """An intrinsic reading a ``src`` value's bits as a ``dst`` of the same width (a
    bitcast, no memory round trip)."""

    @intrinsic
    def cast(typingctx, x):
        if x != src:
            return None

        def codegen(context, builder, signature, args):
            return builder.bitcast(args[0], context.get_value_type(dst))

        return dst(src), codegen

    return cast


#: the IEEE-754 bits of a float64 as an int64, and back
_bits = _bitcast(types.float64, types.int64)
_from_bits = _bitcast(types.int64, types.float64)


@njit(**JIT)
def order_key(v):
    """An int64 that orders as the float64 ``v`` does (``v`` finite, not -0.0)."""
    b = _bits(v)
    return b ^ ((b >> 63) & _MAG)


@njit(**JIT)
def ukey(v):
    """A uint64 that orders as the float64 ``v`` does, at least ``2**52`` and at most
    ``2**64 - 2**52 - 1`` for finite ``v`` (not -0.0): ``order_key`` with its top bit
    flipped."""
    return np.uint64(order_key(v)) ^ _TOP


@njit(**JIT)
def _low(x, m):
    """The bin of a magnitude of bits ``x`` at most 1/2: 0 for zero, one a binade below
    the window (1 for subnormals), ``2**m`` a binade in it; 1/2 gets ``_half(m)``."""
    e = x >> _MANT_BITS
    below = e + np.int64(x != 0)
    fine = 1 + _E_LO + (x >> (_MANT_BITS - m)) - (np.int64(_E_LO) << m)
    return below if e < _E_LO else fine


@njit(**JIT)
def bin_index(b, m, center):
    """The bin of the finite float64 whose bits are ``b`` (selects, no branches).

    A magnitude ``a`` of at most 1/2 is binned by its own bits, ``a`` in (1/2, 1) by the
    bits of ``1 - a`` (exact in float64), counted down from twice 1/2's bin, so that
    probabilities near 1 are resolved as finely as those near 0; magnitudes of 1 and above
    follow, ``2**m`` bins a binade up to ``2**18``, then one a binade."""
    mag = b & _MAG
    a = _from_bits(mag)
    h2 = 2 * (1 + _E_LO + (np.int64(_E_HALF - _E_LO) << m))  # twice 1/2's bin
    upper = (a > 0.5) & (a < 1.0)
    low = _low(_bits(1.0 - a) if upper else mag, m)
    e = mag >> _MANT_BITS
    fine = h2 + (mag >> (_MANT_BITS - m)) - (np.int64(_BIAS) << m)
    above = h2 + (np.int64(FINE_TOP) << m) + (e - _E_TOP)
    p = (h2 - low if upper else low) if e < _BIAS else (fine if e < _E_TOP else above)
    return center - p if b < 0 else center + p


@njit(**JIT)
def bin_index_v1(b, m, center):
    """The first format's binning (histograms read from its documents): the float's bits
    alone, ``2**m`` bins a binade in ``[2**-24, 2**8)``, one a binade outside."""
    mag = b & _MAG
    e = mag >> _MANT_BITS
    below = e + np.int64(mag != 0)  # 0 for zero, 1 for subnormals, one bin per binade
    fine = 1 + _E_LO + (mag >> (_MANT_BITS - m)) - (np.int64(_E_LO) << m)
    above = 1 + _E_LO + (np.int64(_E_HI_V1 - _E_LO) << m) + (e - _E_HI_V1)
    p = below if e < _E_LO else (fine if e < _E_HI_V1 else above)
    return center - p if b < 0 else center + p


@njit(**JIT)
def bin_of(v, m, center):
    """The bin of the finite float64 ``v`` (a non-decreasing function of ``v``)."""
    return bin_index(_bits(v), m, center)


def _row_weight(w, i):  # pragma: no cover - replaced by the overload below
    raise NotImplementedError


@overload(_row_weight)
def _row_weight_impl(w, i):
    if w is None or isinstance(w, types.NoneType):
        return lambda w, i: 1.0
    return lambda w, i: w[i]


def _rows_of(w, lo, hi):  # pragma: no cover - replaced by the overload below
    raise NotImplementedError


@overload(_rows_of)
def _rows_of_impl(w, lo, hi):
    """``w[lo:hi]``, or None without weights."""
    if w is None or isinstance(w, types.NoneType):
        return lambda w, lo, hi: None
    return lambda w, lo, hi: w[lo:hi]


def _increment(w, i):  # pragma: no cover - replaced by the overload below
    raise NotImplementedError


@overload(_increment)
def _increment_impl(w, i):
    """What one row adds to its bin's class column: a count (uint64 1), or its weight (the
    table is then seen as float64)."""
    if w is None or isinstance(w, types.NoneType):
        return lambda w, i: np.uint64(1)
    return lambda w, i: w[i]


@njit(**JIT)
def _add_key(tab, at, u):
    """Score key ``u`` into the smallest (as NOT key) and largest of the record at index
    tuple ``at`` (``(k,)``, or ``(slot, k)`` of a table per group). Always stored, a
    maximum without a branch: whether a row is its bin's new extreme is a coin toss to
    the branch predictor, and the record's line is being written anyway."""
    tab[at + (LO,)] = max(tab[at + (LO,)], ~u)
    tab[at + (HI,)] = max(tab[at + (HI,)], u)


@njit(**JIT)
def _true_proba(sv, pos, one, lo_clip, hi_clip):
    """The probability a score gives the true class, clipped in the scores' own dtype
    (``one`` is 1 in it) as scikit-learn clips for log loss, as float64."""
    q = sv if pos else one - sv
    return np.float64(max(lo_clip, min(q, hi_clip)))


def _log_terms(w, q, wi, logw, expo, mant):  # pragma: no cover - replaced below
    raise NotImplementedError


@overload(_log_terms)
def _log_terms_impl(w, q, wi, logw, expo, mant):
    """One row's log-loss term: into (exponent sum, mantissa product) without weights,
    into a float64 sum of weighted logarithms with them. Returns the three updated."""
    if w is None or isinstance(w, types.NoneType):
        def product(w, q, wi, logw, expo, mant):
            b = _bits(q)
            return logw, expo + (b >> _MANT_BITS), mant * _from_bits((b & _MANT) | _ONE)
        return product

    def weighted(w, q, wi, logw, expo, mant):
        return logw + wi * log(q), expo, mant
    return weighted


_LN2 = 0.6931471805599453
_SQRT2 = 1.4142135623730951


@njit(**JIT)
def log(x):
    """Natural log of a positive normal float64, within a few units in the last place of
    libm's: without a library call, so that a loop of them vectorises.

    ``x = 2**e * m`` with ``m`` in [sqrt(1/2), sqrt(2)); ``log m = 2 atanh(f)``,
    ``f = (m - 1) / (m + 1)``, ``|f| <= 0.1716``: the series to ``f**21`` leaves an error
    below 3e-17.
    """
    b = _bits(x)
    e = ((b >> _MANT_BITS) & 0x7FF) - _BIAS
    m = _from_bits((b & _MANT) | _ONE)
    big = m > _SQRT2
    m = m * 0.5 if big else m
    e = e + 1 if big else e
    f = (m - 1.0) / (m + 1.0)
    z = f * f
    p = 1.0 / 21.0
    p = p * z + 1.0 / 19.0
    p = p * z + 1.0 / 17.0
    p = p * z + 1.0 / 15.0
    p = p * z + 1.0 / 13.0
    p = p * z + 1.0 / 11.0
    p = p * z + 1.0 / 9.0
    p = p * z + 1.0 / 7.0
    p = p * z + 1.0 / 5.0
    p = p * z + 1.0 / 3.0
    p = p * z + 1.0
    return np.float64(e) * _LN2 + 2.0 * f * p


@njit(**JIT)
def cal_bin(v, n_cal, step):
    """scikit-learn's ``np.searchsorted(np.linspace(0, 1, n_cal + 1)[1:-1], v)`` for v in
    [0, 1], as a float64: the number of inner edges below ``v``. ``linspace`` makes edge
    k ``k * step`` with ``step = 1 / n_cal``, computed here the same way; the guess
    ``floor(v * n_cal)`` is within one of the answer, and one comparison each way settles
    it. In float64 throughout (the integers involved are exact), with selects only, so
    that a loop of them vectorises."""
    top = np.float64(n_cal - 1)
    j = min(np.floor(v * n_cal), top)
    j = j - 1.0 if (j > 0.0) & (j * step >= v) else j
    return j + 1.0 if (j < top) & ((j + 1.0) * step < v) else j


@njit(**JIT)
def cal_index(v, n_cal, step):
    """``cal_bin`` as an int."""
    return np.int64(cal_bin(v, n_cal, step))


@intrinsic
def _prefetch_row(typingctx, tab, k):
    """Hint the CPU to fetch row ``k`` of the 2-D ``tab`` (element ``k`` of a 1-D one) for
    writing (``llvm.prefetch``: no fault, no effect on results, whatever ``k``)."""
    if not isinstance(tab, types.Array) or tab.ndim not in (1, 2):
        return None

    def codegen(context, builder, signature, args):
        aryty = signature.args[0]
        ary = context.make_array(aryty)(context, builder, args[0])
        zero = context.get_constant(types.intp, 0)
        index = args[1]
        if index.type.width < 64:
            index = builder.sext(index, context.get_value_type(types.intp))
        ptr = cgutils.get_item_pointer(context, builder, aryty, ary,
                                       [index, zero][:aryty.ndim])
        i8p = ir.IntType(8).as_pointer()
        i32 = ir.IntType(32)
        fn = cgutils.get_or_insert_function(
            builder.module, ir.FunctionType(ir.VoidType(), [i8p, i32, i32, i32]),
            "llvm.prefetch.p0i8")
        # write access, high locality, data cache
        builder.call(fn, [builder.bitcast(ptr, i8p), ir.Constant(i32, 1), ir.Constant(i32, 3),
                          ir.Constant(i32, 1)])
        return context.get_dummy_value()

    if not isinstance(k, types.Integer):
        return None
    return types.void(tab, k), codegen


# reassoc: the sums vectorise (summation order only); contract: fused multiply-adds
@njit(**JIT, fastmath={"reassoc", "contract"})
def _block_sums(t, s, w, lo_clip, hi_clip, sums, counted=True):
    """A block's float sums (``t``, ``s``, ``w`` are the block's slices) into ``sums``: a
    loop that stores nothing, so that it vectorises whatever the arrays' places in memory
    (a loop that both stores and sums would be vectorised only when a run-time check finds
    the buffers far enough from the input, and summed in another order otherwise: the
    sums' last bits would then depend on where the arrays happen to lie). Without
    ``counted``, the weight, positive, below-0 and above-1 sums are left out: an
    unweighted caller counts them as integers (the same whole numbers)."""
    n = t.shape[0]
    one = s.dtype.type(1.0)
    wsum = 0.0
    wpos = 0.0
    brier = 0.0
    below = 0.0
    above = 0.0
    logw = 0.0
    expo = 0
    mant = 1.0
    for i in range(n):
        sv = s[i]
        v = np.float64(sv)
        wi = _row_weight(w, i)
        pos = t[i] == 1
        yf = 1.0 if pos else 0.0
        r = yf - v
        brier += wi * (r * r)
        if counted:  # loop-invariant: the compiler makes a loop of each kind
            wsum += wi
            wpos += wi * yf
            below += wi if v < 0.0 else 0.0
            above += wi if v > 1.0 else 0.0
        # log loss: -log of the probability given to the true class
        logw, expo, mant = _log_terms(w, _true_proba(sv, pos, one, lo_clip, hi_clip), wi,
                                      logw, expo, mant)
    if w is None:
        # sum of log q = ln 2 * (sum of unbiased exponents + mant's) + log(mant's mantissa)
        b = _bits(mant)
        sums[S_LOG2] += np.float64(expo + (b >> _MANT_BITS) - _BIAS * (n + 1))
        sums[S_LOG] += log(_from_bits((b & _MANT) | _ONE))
    else:
        sums[S_LOG] += logw
    sums[S_WEIGHT] += wsum
    sums[S_BRIER] += brier
    sums[S_POS] += wpos
    sums[S_BELOW0] += below
    sums[S_ABOVE1] += above


@njit(**JIT, fastmath={"reassoc", "contract"})
def _block_rows(t, s, w, m, center, n_cal, step, lo_clip, hi_clip, kbuf, cbuf, sums, info):
    """A block's rows (``t``, ``s``, ``w`` are the block's slices): their sums into ``sums``
    and ``info``, their bins into ``kbuf`` (-1 for a score that is not finite) and their
    calibration bins and classes, ``2 * bin + y``, into ``cbuf`` (-1 outside [0, 1]). No
    branch, so the loops vectorise; bad rows add garbage to the sums, and the chunk is then
    refused. Slices, indexed from 0: their indices are known not to wrap around, so the
    loops load whole vectors of rows.

    Two loops over the block, which stays in the first-level cache: the float sums
    (``_block_sums``), then the buffers and the integer counts."""
    _block_sums(t, s, w, lo_clip, hi_clip, sums)
    n = t.shape[0]
    bad_t = 0
    bad_s = 0
    bad_w = 0
    npos = 0
    for i in range(n):
        a = t[i]
        v = np.float64(s[i]) + 0.0  # -0.0 becomes 0.0: one key for equal values
        wi = _row_weight(w, i)
        pos = a == 1
        npos += pos
        bad_t += not (a == 0 or pos)
        finite = v - v == 0
        bad_s += not finite
        bad_w += not (wi >= 0.0 and wi - wi == 0)
        kbuf[i] = np.int32(bin_index(_bits(v), m, center)) if finite else np.int32(-1)
        c = cal_bin(v, n_cal, step)
        cbuf[i] = (np.int32(2.0 * c + (1.0 if pos else 0.0)) if (v >= 0.0) & (v <= 1.0)
                   else np.int32(-1))
    info[BAD_TRUE] += bad_t
    info[BAD_SCORE] += bad_s
    info[BAD_WEIGHT] += bad_w
    info[ROWS] += n
    info[ROWS_POS] += npos


@njit(**JIT)
def _block_scatter(t, s, w, kbuf, cbuf, tab, cnt, calr, info):
    """A block's rows (``t``, ``s``, ``w`` are the block's slices) into their records
    (``cnt``: ``tab`` itself, or seen as float64 when weighted) and their calibration bins;
    the lowest and highest bin into ``info``."""
    n = t.shape[0]
    k_lo = info[K_LO]
    k_hi = info[K_HI]
    for j in range(min(n, _AHEAD)):
        if kbuf[j] >= 0:
            _prefetch_row(tab, kbuf[j])
    for j in range(n):
        if j + _AHEAD < n and kbuf[j + _AHEAD] >= 0:
            _prefetch_row(tab, kbuf[j + _AHEAD])
        k = kbuf[j]
        if k < 0:
            continue  # a bad row: reported by the sums, never indexed
        k_lo = min(k_lo, k)
        k_hi = max(k_hi, k)
        cnt[k, np.int64(t[j] == 1)] += _increment(w, j)
        _add_key(tab, (k,), ukey(np.float64(s[j]) + 0.0))
    for j in range(n):
        g = cbuf[j]
        if g >= 0:
            wi = _row_weight(w, j)
            r = j & (_REPLICAS - 1)
            calr[g, r, 0] += wi
            calr[g, r, 1] += wi * np.float64(s[j])
    info[K_LO] = k_lo
    info[K_HI] = k_hi


def _fill(t, s, w, tab, cnt, sums, calr, info, step, m, center, eps):
    """Count rows ``t`` (0/1 truth), ``s`` (float32 / float64 scores), ``w`` (weights or
    None) into the table (``cnt``: ``tab``, or ``tab`` seen as float64 with weights), the
    sums, the calibration table (``new_calibration``) and ``info`` (``new_info``), in place.

    ``eps`` is the clipping epsilon of log loss (the machine epsilon of the scores'
    dtype, as scikit-learn uses). A chunk with a bad row (counted in ``info``) leaves the
    tables undefined: callers count into tables they can throw away, or check first.
    """
    n = t.shape[0]
    n_cal = calr.shape[0] // 2
    kbuf = np.empty(_BLOCK, np.int32)
    cbuf = np.empty(_BLOCK, np.int32)
    lo_clip = s.dtype.type(eps)
    hi_clip = s.dtype.type(1.0) - lo_clip
    for b0 in range(0, n, _BLOCK):
        b1 = min(n, b0 + _BLOCK)
        _block_rows(t[b0:b1], s[b0:b1], _rows_of(w, b0, b1), m, center, n_cal, step, lo_clip,
                    hi_clip, kbuf, cbuf, sums, info)
        _block_scatter(t[b0:b1], s[b0:b1], _rows_of(w, b0, b1), kbuf, cbuf, tab, cnt, calr,
                       info)


fill = njit(**JIT)(_fill)


# ---- the hot table of an unweighted float32 pass: 16 bytes a bin ------------------------
#
# Without weights, a thread counts float32 scores into a table of four uint32 a bin
# (negatives, positives, NOT of the smallest and the largest score's ``ukey32``, the order
# key of a float32), half the size of the histogram's own records: the part of it that
# rows reach stays in the caches longer. A uint32 count would wrap past ``HOT_ROWS`` rows:
# callers count at most that many rows into a hot table before ``flush`` adds it into the
# histogram's table (exactly: float32 keys become the same values' float64 keys) and
# zeroes it for its next use.

HOT_ROWS = (1 << 32) - 1


#: the IEEE-754 bits of a float32 as an int32
_bits32 = _bitcast(types.float32, types.int32)


@njit(**JIT)
def ukey32(x):
    """A uint32 that orders as the float32 ``x`` does (finite, not -0.0), at least
    ``2**23`` and at most ``2**32 - 2**23 - 1``: NOT key and key are never 0."""
    return np.uint32(_key32(_bits32(x)))


@njit(**JIT)
def _key32(b):
    """``ukey32`` of the float32 of bits ``b`` (an int32), as an int32 of the same bits, in
    32-bit arithmetic (so that a loop of them vectorises eight rows wide)."""
    return np.int32(b ^ np.int32(np.int32(b >> 31) | np.int32(-(1 << 31))))


@intrinsic
def _shr32(typingctx, x, sh):
    """The int32 ``x`` shifted right (arithmetic) by ``sh`` bits, ``0 <= sh < 32``, in 32-bit
    arithmetic (numba would widen it to 64 bits, halving the rows a vector holds)."""
    if x != types.int32 or not isinstance(sh, types.Integer):
        return None

    def codegen(context, builder, signature, args):
        i32 = context.get_value_type(types.int32)
        amount = args[1]
        if amount.type.width > 32:
            amount = builder.trunc(amount, i32)
        elif amount.type.width < 32:
            amount = builder.sext(amount, i32)
        return builder.ashr(args[0], amount)

    return types.int32(x, sh), codegen


# float32 exponents (biased) of the fine window's lower end (2**-24) and upper end (2**18);
# a float32's biased exponent plus _ADJ32 is the same value's float64 one (normal values)
_E32_LO = 127 + FINE_LO
_E32_TOP = 127 + FINE_TOP
_ADJ32 = _BIAS - 127
_HALF32 = 0x3F000000  # the bits of 0.5, 1.0 and +inf as a float32
_ONE32 = 0x3F800000
_INF32 = 0x7F800000


@njit(**JIT)
def bin_index32(b, m, center):
    """``bin_index`` of the finite float32 whose bits are the int32 ``b``: the same bin as
    its float64's, in 32-bit arithmetic only (selects, no branches, so that a loop of them
    vectorises eight rows wide).

    A float32 in float64 keeps its value, so its exponent is the float64 one less
    ``_ADJ32`` and its top ``m <= 18`` mantissa bits are the float64's top ``m``: each of
    ``bin_index``'s terms is the float32 bits shifted ``23 - m`` instead of ``52 - m``, less
    the constant that accounts for the two exponent biases. ``1 - a`` for ``a`` in
    (1/2, 1) is exact in float32 as in float64 (Sterbenz), and never subnormal (at least
    ``2**-24``). A subnormal float32 is normal in float64, one bin a binade below the
    window: its float64 exponent is that of the float32 of its (integer) mantissa, less
    149. The constants and every result fit an int32 for ``m <= 18``."""
    i32 = np.int32
    mag = i32(b & i32(0x7FFFFFFF))
    upper = (mag > i32(_HALF32)) & (mag < i32(_ONE32))
    x = _bits32(np.float32(1.0) - _f32_of_bits(mag)) if upper else mag  # at most 1/2
    sh = i32(_MANT_BITS32 - m)
    # x at most 1/2: below the window, one bin a binade (0 for zero), else 2**m a binade
    e = _shr32(x, 23)
    sub = i32(_shr32(_bits32(np.float32(x)), 23) + i32(_ADJ32 - 149 + 1))
    below = (i32(e + i32(_ADJ32 + 1)) if e > i32(0) else sub) if x != i32(0) else i32(0)
    low = below if e < i32(_E32_LO) else i32(i32(1 + _E_LO - (_E32_LO << m)) + _shr32(x, sh))
    h2 = i32(2 * (1 + _E_LO + ((_E_HALF - _E_LO) << m)))  # twice 1/2's bin
    em = _shr32(mag, 23)
    fine = i32(i32(h2 - (127 << m)) + _shr32(mag, sh))
    above = i32(i32(h2 + (FINE_TOP << m) - _E32_TOP) + em)
    p = ((i32(h2 - low) if upper else low) if mag < i32(_ONE32)
         else (fine if em < i32(_E32_TOP) else above))
    return i32(center - p) if b < i32(0) else i32(center + p)


_MANT_BITS32 = 23
#: calibration bins counted by comparisons with their float32 edges (``cal_edges32``):
#: up to the default's 10 bins (each edge a comparison per row, needed or not); more bins
#: are found by ``cal_bin``
CAL_EDGES32 = 9


def cal_edges32(n_cal: int) -> tuple:
    """The inner edges of ``n_cal`` calibration bins as float32, padded to ``CAL_EDGES32``
    with 2.0 (above every score counted): edge ``k`` is the largest float32 at most
    ``k * step`` (``cal_bin``'s float64 edge), so that for a float32 score ``v``,
    ``v > edge`` exactly when ``v > k * step``: no float32 lies strictly between the two.
    For more bins, all padding (the kernel then calls ``cal_bin``)."""
    step = 1.0 / n_cal
    out = [np.float32(2.0)] * CAL_EDGES32
    if n_cal <= CAL_EDGES32 + 1:
        for k in range(1, n_cal):
            e = k * step
            f = np.float32(e)
            out[k - 1] = np.nextafter(f, np.float32(-np.inf)) if float(f) > e else f
    return tuple(out)


@njit(**JIT)
def _block_rows32(t, s, m, center, n_cal, step, edges, lo_clip, hi_clip, kbuf, ubuf, cbuf,
                  sums, info, full):
    """``_block_rows`` of an unweighted float32 block, in 32-bit arithmetic: bins
    (``bin_index32``) and score keys (``ukey32``, -0.0 as 0.0) into ``kbuf`` and ``ubuf``,
    the lowest and highest bin reached into ``info``; with at most ``CAL_EDGES32 + 1``
    calibration bins, a calibration bin is the number of float32 edges below the score
    (``cal_edges32``; a loop of constant length, unrolled). Without ``full``, no log-loss
    and Brier sums and no calibration bins (``cbuf`` is left as it is)."""
    if full:
        _block_sums(t, s, None, lo_clip, hi_clip, sums, False)
    i32 = np.int32
    n = t.shape[0]
    bad_t = i32(0)
    bad_s = i32(0)
    npos = i32(0)
    below = i32(0)
    above = i32(0)
    k_lo = i32(0x7FFFFFFF)
    k_hi = i32(-1)
    for i in range(n):
        a = t[i]
        pos = a == 1
        npos = i32(npos + pos)
        bad_t = i32(bad_t + (not (a == 0 or pos)))
        b = _bits32(s[i])
        mag = i32(b & i32(0x7FFFFFFF))
        finite = mag < i32(_INF32)
        bad_s = i32(bad_s + (not finite))
        below = i32(below + ((b < i32(0)) & (mag != i32(0))))  # scores < 0: -0.0 is not
        above = i32(above + (b > i32(_ONE32)))  # > 1 (and +NaN, refused anyway)
        k = bin_index32(b, m, center) if finite else i32(-1)
        # the row's count in the flat hot table: NREC a record, NEG + 1 == POS
        kbuf[i] = i32(i32(k * NREC) + i32(pos)) if finite else i32(-1)
        k_lo = min(k_lo, k if finite else i32(0x7FFFFFFF))
        k_hi = max(k_hi, k)
        ubuf[i] = _key32(b if mag != i32(0) else i32(0))  # -0.0 ties with 0.0
    if full and n_cal <= CAL_EDGES32 + 1:
        for i in range(n):
            x = s[i]
            g = i32(t[i] == 1)  # loaded whatever the score: the loop has no branch
            for e in edges:
                g = i32(g + i32(2 * (x > e)))
            inside = (x >= np.float32(0.0)) & (x <= np.float32(1.0))
            # in the flat calibration table: 2 * bin + class, replica i % _REPLICAS
            at = i32(2 * i32(i32(g * _REPLICAS) + i32(i32(i) & i32(_REPLICAS - 1))))
            cbuf[i] = at if inside else i32(-1)
    elif full:
        for i in range(n):
            v = np.float64(s[i])
            g = np.int64(2.0 * cal_bin(v, n_cal, step)) + (t[i] == 1)
            at = 2 * (g * _REPLICAS + (i & (_REPLICAS - 1)))
            cbuf[i] = np.int32(at) if (v >= 0.0) & (v <= 1.0) else np.int32(-1)
    sums[S_WEIGHT] += n
    sums[S_POS] += npos
    sums[S_BELOW0] += below
    sums[S_ABOVE1] += above
    info[BAD_TRUE] += bad_t
    info[BAD_SCORE] += bad_s
    info[ROWS] += n
    info[ROWS_POS] += npos
    if k_hi >= 0:
        info[K_LO] = min(info[K_LO], k_lo)
        info[K_HI] = max(info[K_HI], k_hi)


@njit(**JIT)
def _block_scatter32(s, at, kbuf, ubuf, cbuf, hot, calr, full):
    """``_block_scatter`` of an unweighted float32 block (``s``) into a flat hot table and
    (with ``full``) a flat calibration table, from the indexes and keys that
    ``_block_rows32`` wrote from ``at`` on in the ring buffers ``kbuf``, ``ubuf``, ``cbuf``
    (``2 * _BLOCK`` long). The prefetch reads ``kbuf`` ``_AHEAD`` rows on, round the ring:
    into the next block's indexes, already computed, or stale ones (a prefetch never
    faults)."""
    n = s.shape[0]
    kb = kbuf[at:at + n]  # slices indexed from 0: no wrap-around tests
    ub = ubuf[at:at + n]
    cb = cbuf[at:at + n]
    for j in range(n):
        _prefetch_row(hot, kbuf[(at + j + _AHEAD) & (2 * _BLOCK - 1)])
        c = cb[j]
        if full and c >= 0:  # ``full`` is loop-invariant: a loop of each kind
            calr[c] += 1.0
            calr[c + 1] += np.float64(s[j])
        k = kb[j]
        if k < 0:
            continue
        hot[k] += np.uint32(1)
        rec = k & ~np.int32(NREC - 1)
        u = np.uint32(ub[j])
        # maxima without branches, as in ``_add_key``
        hot[rec + LO] = max(hot[rec + LO], ~u)
        hot[rec + HI] = max(hot[rec + HI], u)


@njit(**JIT)
def fill32(t, s, hot, sums, calr, info, step, m, center, eps, edges, full):
    """``fill`` of unweighted float32 scores into a hot table (at most ``HOT_ROWS`` rows);
    ``edges``: ``cal_edges32`` of the calibration bins. Without ``full``, the table and
    the row counts only: the log-loss, Brier and calibration sums are left as they are
    (for callers that score the bins alone: ROC AUC, average precision, the ROC curve).

    Software-pipelined: block ``b + 1``'s rows are binned before block ``b`` is scattered,
    so that the scatter's prefetches run on across the end of a block."""
    n = t.shape[0]
    n_cal = calr.shape[0] // 2
    kbuf = np.zeros(2 * _BLOCK, np.int32)  # rings of two blocks: block b in half b % 2
    ubuf = np.empty(2 * _BLOCK, np.int32)
    cbuf = np.empty(2 * _BLOCK, np.int32)
    lo_clip = s.dtype.type(eps)
    hi_clip = s.dtype.type(1.0) - lo_clip
    flat = hot.reshape(-1)
    cflat = calr.reshape(-1)
    blocks = -(-n // _BLOCK)
    for b in range(blocks + 1):
        if b < blocks:
            b0 = b * _BLOCK
            b1 = min(n, b0 + _BLOCK)
            h0 = (b & 1) * _BLOCK
            h1 = h0 + _BLOCK
            _block_rows32(t[b0:b1], s[b0:b1], m, center, n_cal, step, edges, lo_clip,
                          hi_clip, kbuf[h0:h1], ubuf[h0:h1], cbuf[h0:h1], sums, info, full)
        if b > 0:
            b0 = (b - 1) * _BLOCK
            _block_scatter32(s[b0:min(n, b0 + _BLOCK)], ((b - 1) & 1) * _BLOCK, kbuf, ubuf,
                             cbuf, flat, cflat, full)


@njit(**JIT)
def flush(hot, tab, lo, hi):
    """Add bins lo..hi of a hot table into the histogram's (counts add, the smallest and
    largest score's keys become float64 keys) and zero them."""
    for k in range(lo, hi):
        h = hot[k, HI]
        if h == 0:
            continue
        tab[k, NEG] += np.uint64(hot[k, NEG])
        tab[k, POS] += np.uint64(hot[k, POS])
        a = ~ukey(np.float64(_from_key32(~hot[k, LO])))
        b = ukey(np.float64(_from_key32(h)))
        tab[k, LO] = max(tab[k, LO], a)
        tab[k, HI] = max(tab[k, HI], b)
        hot[k, NEG] = 0
        hot[k, POS] = 0
        hot[k, LO] = 0
        hot[k, HI] = 0


@intrinsic
def _f32_of_bits(typingctx, x):
    """The float32 whose bits are the int32 ``x``."""
    if x != types.int32:
        return None

    def codegen(context, builder, signature, args):
        return builder.bitcast(args[0], context.get_value_type(types.float32))

    return types.float32(types.int32), codegen


@njit(**JIT)
def _from_key32(u):
    """The float32 of a ``ukey32``."""
    b = np.int64(u) ^ np.int64(0x80000000)  # the bits, unsigned, of the order key
    b = b ^ (((b >> 31) & 1) * np.int64(0x7FFFFFFF))
    return _f32_of_bits(np.int32(b - ((b >> 31) << 32)))


@njit(**JIT)
def group_order(index, starts):
    """The rows in group order, stable (a counting sort: one pass, whatever the number of
    groups): group ``g``'s rows, ``index[i] == g``, fill the places from ``starts[g]``."""
    free = starts.copy()
    order = np.empty(index.shape[0], np.int64)
    for i in range(index.shape[0]):
        g = index[i]
        order[free[g]] = i
        free[g] += 1
    return order


@njit(**JIT)
def merge_into(tab, cnt, other, ocnt, lo, hi):
    """Add bins lo..hi of ``other`` into ``tab`` (counts or weights add through ``cnt`` /
    ``ocnt``, LO and HI take the maximum)."""
    for k in range(lo, hi):
        if other[k, HI] == 0:
            continue
        cnt[k, NEG] += ocnt[k, NEG]
        cnt[k, POS] += ocnt[k, POS]
        tab[k, LO] = max(tab[k, LO], other[k, LO])
        tab[k, HI] = max(tab[k, HI], other[k, HI])


@njit(**JIT)
def used_bins(tab, cnt, lo, hi):
    """The bins lo..hi that hold rows, ascending: (index, negative and positive rows or
    weight, as float64; NOT of LO, HI: the smallest and largest score's keys)."""
    n = 0
    for k in range(lo, hi):
        n += tab[k, HI] != 0
    index = np.empty(n, np.int64)
    counts = np.empty((2, n))
    keys = np.empty((2, n), np.uint64)
    j = 0
    for k in range(lo, hi):
        if tab[k, HI] != 0:
            index[j] = k
            counts[0, j] = np.float64(cnt[k, NEG])
            counts[1, j] = np.float64(cnt[k, POS])
            keys[0, j] = ~tab[k, LO]
            keys[1, j] = tab[k, HI]
            j += 1
    return index, counts, keys


@njit(**JIT)
def _exponent(x):
    """The power of two that puts ``x`` (>= 0) in [0.5, 1): ``frexp``'s exponent (0 for 0)."""
    return math.frexp(x)[1] if x > 0 else 0


@njit(**JIT)
def _factor(e):
    """``2**-e`` when it is a normal float64, else 0.0 (then ``_scaled`` calls ldexp)."""
    return math.ldexp(1.0, -e) if -1022 <= e <= 1022 else 0.0


@njit(**JIT)
def _scaled(x, e, f):
    """``ldexp(x, -e)``, ``f = _factor(e)``: a multiplication when ``f`` is not 0 (the same
    result: a power of two scales exactly, or rounds once into the subnormals)."""
    return x * f if f != 0.0 else math.ldexp(x, -e)


@njit(**JIT)
def auc_sums(tab, cnt, lo, hi, weighted):
    """Sums of the bins lo..hi for ROC AUC (``fastf1.histogram``): (P, N, positive-negative
    pairs across bins, pairs within bins, pairs within bins that are not an exact tie).
    With weights, each class is first scaled by the power of two that puts its largest bin
    in [0.5, 1) (exact; AUC does not change), so that no sum overflows and no product
    underflows, whatever the weights; counts need no scaling."""
    en = 0
    ep = 0
    if weighted:
        top_n = 0.0
        top_p = 0.0
        for k in range(lo, hi):
            if tab[k, HI] != 0:
                top_n = max(top_n, np.float64(cnt[k, NEG]))
                top_p = max(top_p, np.float64(cnt[k, POS]))
        en, ep = _exponent(top_n), _exponent(top_p)
    fn, fp = _factor(en), _factor(ep)
    total_n = 0.0
    total_p = 0.0
    across = 0.0
    within = 0.0
    untied = 0.0
    for k in range(lo, hi):
        if tab[k, HI] == 0:
            continue
        n = _scaled(np.float64(cnt[k, NEG]), en, fn)
        p = _scaled(np.float64(cnt[k, POS]), ep, fp)
        across += p * total_n
        within += p * n
        if ~tab[k, LO] != tab[k, HI]:
            untied += p * n
        total_n += n
        total_p += p
    return total_p, total_n, across, within, untied


@njit(**JIT)
def ap_sums(tab, cnt, lo, hi, weighted):
    """Sums of the bins lo..hi for average precision (``fastf1.histogram``): (P, the upper
    and the lower end of the range of the sum over positives of precision, divided by P).
    With weights, both classes are first scaled by one power of two (exact; precisions do
    not change), so that no sum overflows; each term is a weight times a ratio in [0, 1]."""
    e = 0
    if weighted:
        top = 0.0
        for k in range(lo, hi):
            if tab[k, HI] != 0:
                top = max(top, max(np.float64(cnt[k, NEG]), np.float64(cnt[k, POS])))
        e = _exponent(top)
    f = _factor(e)
    upper = 0.0
    lower = 0.0
    t_above = 0.0  # positive and negative weight of the bins above
    f_above = 0.0
    for k in range(hi - 1, lo - 1, -1):  # descending scores
        if tab[k, HI] == 0:
            continue
        n = _scaled(np.float64(cnt[k, NEG]), e, f)
        p = _scaled(np.float64(cnt[k, POS]), e, f)
        if p > 0:
            c = f_above + n
            exact = p * ((t_above + p) / (t_above + p + c))
            if ~tab[k, LO] == tab[k, HI]:  # an exact tie: one step, known
                upper += exact
                lower += exact
            else:
                upper += p * ((t_above + p) / (t_above + p + f_above))
                low = p
                if c > 0:
                    # p - C ln(1 + p / (T + C)) = p (1 - C / (T + C) ln(1 + x) / x)
                    x = p / (t_above + c)
                    ratio = math.log1p(x) / x if x > 0 else 1.0
                    ratio = 0.0 if math.isinf(x) else ratio  # T + C negligible against p
                    low = p * (1.0 - c / (t_above + c) * ratio)
                lower += min(low, exact)
        t_above += p
        f_above += n
    if t_above == 0:
        return 0.0, 0.0, 0.0
    return t_above, upper / t_above, lower / t_above


@njit(**JIT)
def check_rows(t, s, w):
    """The bad-row slots of ``info`` for a chunk, without counting it (small chunks are
    checked first)."""
    d = np.zeros(NDIAG, np.int64)
    for i in range(t.shape[0]):
        a = t[i]
        v = np.float64(s[i])
        wi = _row_weight(w, i)
        if not (a == 0 or a == 1):
            d[BAD_TRUE] += 1
        elif not v - v == 0:
            d[BAD_SCORE] += 1
        elif not (wi >= 0.0 and wi - wi == 0):
            d[BAD_WEIGHT] += 1
    return d


@njit(**JIT)
def bins_and_keys(s, m, center, binning=2):
    """Each finite score's bin and order key (the Keras path aggregates a batch from these;
    ``binning`` 1: the first format's, ``bin_index_v1``)."""
    n = s.shape[0]
    bins = np.empty(n, np.int64)
    keys = np.empty(n, np.int64)
    for i in range(n):
        v = np.float64(s[i]) + 0.0
        bins[i] = bin_index_v1(_bits(v), m, center) if binning == 1 else _score_bin(s[i], m,
                                                                                   center)
        keys[i] = order_key(v)
    return bins, keys


def _score_bin(x, m, center):  # pragma: no cover - replaced by the overload below
    raise NotImplementedError


@overload(_score_bin)
def _score_bin_impl(x, m, center):
    """``bin_index`` of a finite score: in 32-bit arithmetic for a float32
    (``bin_index32``, the same bin)."""
    if x == types.float32:
        return lambda x, m, center: np.int64(bin_index32(_bits32(x), m, center))
    return lambda x, m, center: bin_index(_bits(np.float64(x) + 0.0), m, center)
