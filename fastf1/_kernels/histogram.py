"""Numba kernels of the score histogram: rows into bins of the float's own bits, and back.

Binning (``bin_of``): a finite score ``v`` is taken as float64 (exact for float32 input)
and cut by its sign, binary exponent and top mantissa bits. With ``m`` mantissa bits, a
magnitude ``|v|`` whose binade ``[2**e, 2**(e+1))`` lies in the fine window
``FINE_LO <= e < FINE_HI`` falls into one of the ``2**m`` equal parts of its binade (the
same *relative* width, ``2**-m``, in every binade); a magnitude outside the window gets one
bin per binade (all subnormals one bin); zero (either sign) is a bin of its own. Negative
values mirror the positive ones around zero's bin. The bin index is a non-decreasing
function of ``v``: every value of a higher bin is larger than every value of a lower one,
which is all the bounds of ``fastf1.histogram`` rely on.

Per bin the histogram keeps (int64 record ``tab[k]``) the negative and positive rows and
the smallest and largest score seen, as order-preserving int64 keys of the float64 value
(``LO``, ``HI``); a bin whose LO equals its HI holds one value only (an exact tie). LO and
HI mean something only in a bin that holds rows, so a table starts as plain zeros (pages
the OS hands over lazily: a table costs memory only where rows land). With
weights, ``wtab[k]`` holds their float64 sums per class. The per-row terms of log loss and
Brier score are summed in float64 (``sums``), and a small table of uniform bins over
[0, 1] (scikit-learn's ``calibration_curve`` bins) holds weight, positive weight and score
sums per bin.

Like the other kernels: serial ``nogil`` passes into the tables given, no validation
messages; rows that cannot be counted are recorded in ``diag``.
"""

from __future__ import annotations

import numpy as np
from llvmlite import ir
from numba import njit, types
from numba.core import cgutils
from numba.extending import intrinsic, overload

from ._jit import JIT

# columns of the int64 bin record
NEG, POS, LO, HI = range(4)
NREC = 4

# the fine window, as unbiased binary exponents: 2**-24 <= |v| < 2**8
FINE_LO = -24
FINE_HI = 8
_BIAS = 1023
_E_LO = _BIAS + FINE_LO
_E_HI = _BIAS + FINE_HI
_E_MAX = 2046  # largest biased exponent of a finite float64
_MAG = np.int64(0x7FFFFFFFFFFFFFFF)
_MANT_BITS = 52

# sums slots (float64): rows (or weight) counted, log-loss terms, Brier terms, positive
# weight; scores below 0 and above 1 (counted, since they make log loss / Brier undefined)
S_WEIGHT, S_LOGLOSS, S_BRIER, S_POS, S_BELOW0, S_ABOVE1 = range(6)
NSUMS = 6
# calibration table columns: weight, positive weight, weighted score sum
C_WEIGHT, C_POS, C_SCORE = range(3)

# diag slots (int64): truth other than 0/1, NaN / inf scores, NaN / inf / negative weights
BAD_TRUE, BAD_SCORE, BAD_WEIGHT = range(3)
NDIAG = 3


def magnitude_bins(m: int) -> int:
    """Bins on one side of zero, zero's bin included, for ``m`` mantissa bits."""
    return 1 + _E_LO + ((_E_HI - _E_LO) << m) + (_E_MAX - _E_HI + 1)


def n_bins(m: int) -> int:
    """Bins in all: both signs and zero."""
    return 2 * magnitude_bins(m) - 1


@intrinsic
def _bits(typingctx, x):
    """The IEEE-754 bits of a float64 as an int64 (a bitcast, no memory round trip)."""
    if x != types.float64:
        return None

    def codegen(context, builder, signature, args):
        return builder.bitcast(args[0], context.get_value_type(types.int64))

    return types.int64(types.float64), codegen


@njit(**JIT)
def order_key(v):
    """An int64 that orders as the float64 ``v`` does (``v`` finite, not -0.0)."""
    b = _bits(v)
    return b ^ ((b >> 63) & _MAG)


@njit(**JIT)
def bin_of(v, m, center):
    """The bin of the finite float64 ``v`` (a non-decreasing function of ``v``)."""
    b = _bits(v)
    mag = b & _MAG
    e = mag >> _MANT_BITS
    if mag == 0:
        p = np.int64(0)
    elif e < _E_LO:
        p = 1 + e
    elif e < _E_HI:
        p = 1 + _E_LO + (mag >> (_MANT_BITS - m)) - (np.int64(_E_LO) << m)
    else:
        p = 1 + _E_LO + (np.int64(_E_HI - _E_LO) << m) + (e - _E_HI)
    return center - p if b < 0 else center + p


def _row_weight(w, i):  # pragma: no cover - replaced by the overload below
    raise NotImplementedError


@overload(_row_weight)
def _row_weight_impl(w, i):
    if w is None or isinstance(w, types.NoneType):
        return lambda w, i: 1.0
    return lambda w, i: w[i]


def _add_weight(wtab, k, y, wi):  # pragma: no cover
    raise NotImplementedError


@overload(_add_weight)
def _add_weight_impl(wtab, k, y, wi):
    """Weight sums per bin and class; nothing to do without weights."""
    if wtab is None or isinstance(wtab, types.NoneType):
        return lambda wtab, k, y, wi: None

    def impl(wtab, k, y, wi):
        wtab[k, y] += wi

    return impl


@intrinsic
def _from_bits(typingctx, x):
    """The float64 whose IEEE-754 bits are the int64 ``x`` (a bitcast)."""
    if x != types.int64:
        return None

    def codegen(context, builder, signature, args):
        return builder.bitcast(args[0], context.get_value_type(types.float64))

    return types.float64(types.int64), codegen


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
    m = _from_bits((b & 0xFFFFFFFFFFFFF) | (np.int64(_BIAS) << _MANT_BITS))
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
def cal_index(v, n_cal, step):
    """scikit-learn's ``np.searchsorted(np.linspace(0, 1, n_cal + 1)[1:-1], v)`` for v in
    [0, 1]: the number of inner edges below ``v``. ``linspace`` makes edge k
    ``k * step`` with ``step = 1 / n_cal``, computed here the same way; the guess
    ``floor(v * n_cal)`` is within one of the answer, and one comparison each way,
    without branches (which way a row goes is unpredictable), settles it."""
    j = min(np.int64(v * n_cal), n_cal - 1)
    j -= np.int64((j > 0) & (j * step >= v))
    j += np.int64((j < n_cal - 1) & ((j + 1) * step < v))
    return j


# rows per block: the sums of a block are one vectorised loop, its bins another
_BLOCK = 1024
# the bin loop asks for the record of the row this far ahead: the table is larger than the
# caches and rows land in it at random, so each row would otherwise wait for memory
_PREFETCH_ROWS = 16


@intrinsic
def _prefetch_row(typingctx, tab, k):
    """Hint the CPU to fetch row ``k`` of the 2-D ``tab`` for writing (``llvm.prefetch``:
    no fault, no effect on results, whatever ``k``)."""
    if not isinstance(tab, types.Array) or tab.ndim != 2:
        return None

    def codegen(context, builder, signature, args):
        aryty = signature.args[0]
        ary = context.make_array(aryty)(context, builder, args[0])
        zero = context.get_constant(types.intp, 0)
        ptr = cgutils.get_item_pointer(context, builder, aryty, ary, [args[1], zero])
        i8p = ir.IntType(8).as_pointer()
        i32 = ir.IntType(32)
        fn = cgutils.get_or_insert_function(
            builder.module, ir.FunctionType(ir.VoidType(), [i8p, i32, i32, i32]),
            "llvm.prefetch.p0i8")
        # write access, high locality, data cache
        builder.call(fn, [builder.bitcast(ptr, i8p), ir.Constant(i32, 1), ir.Constant(i32, 3),
                          ir.Constant(i32, 1)])
        return context.get_dummy_value()

    return types.void(tab, types.int64), codegen


@njit(**JIT, fastmath={"reassoc"})  # reassoc: the sums vectorise (summation order only)
def _block_sums(t, s, w, lo, hi, lo_clip, hi_clip, acc, d):
    """Sums of rows lo..hi into ``acc`` (S_* slots) and the bad rows into ``d``: no branch,
    so the loop vectorises. Bad rows add garbage to the sums; the chunk is then refused."""
    one = s.dtype.type(1.0)
    ll = 0.0
    br = 0.0
    wsum = 0.0
    wpos = 0.0
    below = 0.0
    above = 0.0
    bad_t = 0
    bad_s = 0
    bad_w = 0
    for i in range(lo, hi):
        a = t[i]
        sv = s[i]
        v = np.float64(sv)
        wi = _row_weight(w, i)
        pos = a == 1
        bad_t += not (a == 0 or pos)
        bad_s += not v - v == 0
        bad_w += not (wi >= 0.0 and wi - wi == 0)
        yf = 1.0 if pos else 0.0
        # log loss: -log of the probability given to the true class, clipped in the
        # scores' own dtype as scikit-learn clips
        q = sv if pos else one - sv
        q = max(lo_clip, min(q, hi_clip))
        ll += wi * log(np.float64(q))
        r = yf - v
        br += wi * (r * r)
        wsum += wi
        wpos += wi * yf
        below += wi if v < 0.0 else 0.0
        above += wi if v > 1.0 else 0.0
    acc[S_WEIGHT] += wsum
    acc[S_LOGLOSS] -= ll
    acc[S_BRIER] += br
    acc[S_POS] += wpos
    acc[S_BELOW0] += below
    acc[S_ABOVE1] += above
    d[BAD_TRUE] += bad_t
    d[BAD_SCORE] += bad_s
    d[BAD_WEIGHT] += bad_w


def _fill(t, s, w, tab, wtab, sums, cal, step, m, center, eps):
    """Count rows ``t`` (0/1 truth), ``s`` (float32 / float64 scores), ``w`` (weights or
    None) into the tables (in place); returns ``diag``.

    ``eps`` is the clipping epsilon of log loss (the machine epsilon of the scores'
    dtype, as scikit-learn uses). A chunk with a bad row (counted in ``diag``) leaves the
    tables undefined: callers count into tables they can throw away, or check first.
    """
    n = t.shape[0]
    n_cal = cal.shape[0]
    d = np.zeros(NDIAG, np.int64)
    lo_clip = s.dtype.type(eps)
    hi_clip = s.dtype.type(1.0) - lo_clip
    for b0 in range(0, n, _BLOCK):
        b1 = min(n, b0 + _BLOCK)
        _block_sums(t, s, w, b0, b1, lo_clip, hi_clip, sums, d)
        for i in range(b0, b1):
            if i + _PREFETCH_ROWS < n:
                ahead = np.float64(s[i + _PREFETCH_ROWS]) + 0.0
                if ahead - ahead == 0:
                    _prefetch_row(tab, bin_of(ahead, m, center))
            v = np.float64(s[i]) + 0.0  # -0.0 becomes 0.0: one key for equal values
            if not v - v == 0:
                continue  # a bad row: reported by the sums, never indexed
            y = np.int64(t[i] == 1)
            wi = _row_weight(w, i)
            k = bin_of(v, m, center)
            key = order_key(v)
            if tab[k, NEG] + tab[k, POS] == 0:
                tab[k, LO] = key
                tab[k, HI] = key
            else:
                if key < tab[k, LO]:
                    tab[k, LO] = key
                if key > tab[k, HI]:
                    tab[k, HI] = key
            tab[k, y] += 1
            _add_weight(wtab, k, y, wi)
            if 0.0 <= v <= 1.0:
                c = cal_index(v, n_cal, step)
                cal[c, C_WEIGHT] += wi
                cal[c, C_POS] += wi * np.float64(y)
                cal[c, C_SCORE] += wi * v
    return d


fill = njit(**JIT)(_fill)


@njit(**JIT)
def merge_into(tab, wtab, other, wother):
    """Add the bins of ``other`` into ``tab`` (counts add, LO min, HI max); the weight
    tables add when both are given."""
    for k in range(tab.shape[0]):
        if other[k, NEG] == 0 and other[k, POS] == 0:
            continue
        if tab[k, NEG] == 0 and tab[k, POS] == 0:
            tab[k, LO] = other[k, LO]
            tab[k, HI] = other[k, HI]
        else:
            if other[k, LO] < tab[k, LO]:
                tab[k, LO] = other[k, LO]
            if other[k, HI] > tab[k, HI]:
                tab[k, HI] = other[k, HI]
        tab[k, NEG] += other[k, NEG]
        tab[k, POS] += other[k, POS]
        if wtab is not None:
            wtab[k, 0] += wother[k, 0]
            wtab[k, 1] += wother[k, 1]


@njit(**JIT)
def check_rows(t, s, w):
    """``diag`` of a chunk without counting it (small chunks are checked first)."""
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
def bins_and_keys(s, m, center):
    """Each finite score's bin and order key (the Keras path aggregates a batch from these)."""
    n = s.shape[0]
    bins = np.empty(n, np.int64)
    keys = np.empty(n, np.int64)
    for i in range(n):
        v = np.float64(s[i]) + 0.0
        bins[i] = bin_of(v, m, center)
        keys[i] = order_key(v)
    return bins, keys
