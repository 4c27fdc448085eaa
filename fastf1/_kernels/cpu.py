"""Numba counting kernels for the CPU.

Pure functions over arrays that return count arrays: no Python objects, no validation
messages, no averaging (those live in ``_validation`` and ``_reduce``). Every kernel is one
serial ``nogil`` pass over the rows it is given, into private counts; ``_dispatch.run``
counts ranges of rows on several threads at once and adds the results (see ``fastf1._threads``).

Checks that must see every row are fused into the pass: a row whose label is out of the
counted range, not an integer, a NaN/inf score, or a non-finite weight is not counted but
recorded in ``diagnostics`` (layout below); the Python side turns that into an error or a retry.

Input forms are chosen at compile time by argument type, so one source serves them all:
``p`` 1-D holds labels, ``p`` 2-D holds scores (argmax fused); ``w`` None means unweighted;
``thr`` None means ``p`` holds labels, a float means ``p >= thr``.
"""

from __future__ import annotations

import numpy as np
from numba import njit, types
from numba.extending import overload

from ._jit import JIT
from .simd import ROWS, argmax_rows

# the rows of every (3, K) counts array, one order everywhere (kernels, Counts, StatScores,
# the formulas of _reduce): true positives, true labels (support), predicted labels
TP, TRUE, PRED = 0, 1, 2

# diagnostics slots (int64): rows skipped by ignore_index, non-integral / NaN / inf values in y_true
# and in y_pred, labels outside the counted range (count, smallest, largest), non-finite weights
IGNORED, BADVAL_TRUE, BADVAL_PRED, OUT, OUT_MIN, OUT_MAX, BAD_WEIGHT = range(7)
NDIAG = 8

# rows per packed segment: a packed counter holds the true count in its low 32 bits and tp
# above them; a segment's rows can all land in one counter (one sub-histogram, one class, and
# the row-by-row loops use the first), so fewer than 2**31 keeps tp << 32 below 2**63
_SEGMENT = 1 << 30
_LOW32 = (1 << 32) - 1
# below this many classes each block fills four sub-histograms round-robin, so consecutive
# rows with the same label never wait on the same counter
_SUBHIST_MAX_CLASSES = 4096
# up to this many classes, and from this many rows per (true, predicted) cell, unweighted rows
# are counted as pairs: one scatter per row instead of two
_PAIR_MAX_CLASSES = 128
_PAIR_MIN_ROWS_PER_CELL = 16
# rows per block of the unweighted counting loops (``_block_indices``); a multiple of 4
_BLOCK_ROWS = 512
# float labels beyond this magnitude cannot be exact int64 labels
_FLOAT_LABEL_LIMIT = 4.0e18


# ---- value helpers, specialised by type at compile time ----------------------------------


def _label_index(v, offset):  # pragma: no cover - replaced by the overload below
    raise NotImplementedError


@overload(_label_index)
def _label_index_impl(v, offset):
    """(v - offset, ok): ok is False for NaN, inf and fractional floats."""
    if isinstance(v, types.Float):

        def impl(v, offset):
            # without branches, so that block loops over float labels vectorise
            ok = (v >= -_FLOAT_LABEL_LIMIT) & (v <= _FLOAT_LABEL_LIMIT)  # False for NaN
            iv = np.int64(v if ok else 0.0)
            return iv - offset, ok & (iv == v)

        return impl
    return lambda v, offset: (np.int64(v) - offset, True)


def _as(x, like):  # pragma: no cover
    raise NotImplementedError


@overload(_as, inline="always")  # a call LLVM does not inline stops the loop vectorising
def _as_impl(x, like):
    """``x`` cast to the type of ``like`` (integers wrap)."""
    cast = {types.int16: np.int16, types.int32: np.int32, types.int64: np.int64}[like]
    return lambda x, like: cast(x)


def _fold_check(acc, v):  # pragma: no cover
    raise NotImplementedError


@overload(_fold_check, jit_options={"fastmath": {"reassoc"}})  # reassoc: a float sum vectorises
def _fold_check_impl(acc, v):
    """Fold one value into a validity accumulator (read by ``_check_failed``, or compared
    with 0 for weights): integers are ORed, floats add ``v - v``."""
    if isinstance(v, types.Float):
        return lambda acc, v: acc + (v - v)  # exactly 0 for finite v, NaN for NaN and inf
    return lambda acc, v: _as(acc | v, acc)


@njit(**JIT)
def _row_finite(p, i):
    """Are all scores of row i finite (the exact check behind the row-sum test)?"""
    for j in range(p.shape[1]):
        if not np.isfinite(p[i, j]):
            return False
    return True


def _predicted(p, i, offset):  # pragma: no cover
    raise NotImplementedError


@overload(_predicted)
def _predicted_impl(p, i, offset):
    """The predicted class index of row i: a label (1-D p) or the argmax of scores (2-D p)."""
    if p.ndim == 1:
        return lambda p, i, offset: _label_index(p[i], offset)

    def argmax(p, i, offset):
        # branch-free selects; the row sum is finite unless a value is NaN / inf (or, rarely,
        # finite values overflow: then the row is checked value by value)
        best = p[i, 0]
        k = 0
        s = best
        for j in range(1, p.shape[1]):
            x = p[i, j]
            s += x
            greater = x > best
            k = j if greater else k
            best = x if greater else best
        return np.int64(k), s - s == 0 or _row_finite(p, i)

    return argmax


def _true_of(tv, offset, ucap, ignore, use_ignore):  # pragma: no cover
    raise NotImplementedError


@overload(_true_of, inline="always")
def _true_of_impl(tv, offset, ucap, ignore, use_ignore):
    """(true class index, bad) of one row for the block loops: a row skipped by ignore_index
    gets index cap, the sink, and is not bad. Takes values, not arrays: a helper taking
    arrays stops its caller's loop vectorising."""
    def impl(tv, offset, ucap, ignore, use_ignore):
        a, ok = _label_index(tv, offset)
        ua = np.uint64(a)
        skip = use_ignore & (tv == ignore)
        return (ucap if skip else ua), (not skip) & ((ua >= ucap) | (not ok))

    return impl


def _block_indices(t, p, lo, m, offset, ucap, ignore, use_ignore, ta, pb):  # pragma: no cover
    raise NotImplementedError


@overload(_block_indices, inline="always")
def _block_indices_impl(t, p, lo, m, offset, ucap, ignore, use_ignore, ta, pb):
    """Class indices of the m rows lo .. lo + m - 1 (m a multiple of 4), and whether every
    one of those rows is countable as is: into ``ta[:m]`` (true) and ``pb[:m]``
    (predicted), or, when pb is None, the (true, predicted) cells of a (cap + 1)-wide
    matrix into ``ta[:m]`` (cheaper for the pair kernel than a second pass). The
    unweighted counting loops compute a block's indices first, in loops without branches
    that vectorise, then scatter them; a block for which this says False is counted row by
    row instead, which finds and records the bad rows. A row skipped by ``ignore_index`` is
    countable: it gets the indices (cap, cap), a sink counter past the classes, whose count
    the caller records as ignored rows. For score rows "countable" is the quick test of
    ``simd.argmax_rows`` (the row sum is finite), so a valid row of huge scores also sends
    its block row by row."""
    cells = isinstance(pb, types.NoneType)  # a constant of each compiled version

    if p.ndim == 1:
        def labels(t, p, lo, m, offset, ucap, ignore, use_ignore, ta, pb):
            side = ucap + np.uint64(1)
            bad = False
            for j in range(m):
                i = np.uint64(lo + j)  # unsigned: no negative-index wraparound (gathers)
                a, bad_true = _true_of(t[i], offset, ucap, ignore, use_ignore)
                b, ok_b = _label_index(p[i], offset)
                ub = np.uint64(b)
                sink = a == ucap  # skipped (or already bad): the prediction does not matter
                bad |= bad_true | ((not sink) & ((ub >= ucap) | (not ok_b)))
                ub = ucap if sink else ub
                if cells:
                    ta[j] = a * side + ub
                else:
                    ta[j] = a
                    pb[j] = ub
            return not bad

        return labels

    def argmax(t, p, lo, m, offset, ucap, ignore, use_ignore, ta, pb):
        side = ucap + np.uint64(1)
        bad = False
        for j in range(m):
            a, bad_true = _true_of(t[np.uint64(lo + j)], offset, ucap, ignore, use_ignore)
            ta[j] = a
            bad |= bad_true
        for j in range(0, m, ROWS):
            (b0, b1, b2, b3), (l0, l1, l2, l3) = argmax_rows(p, lo + j)
            # a NaN / inf in an ignored row also sends the block row by row (rare)
            bad |= (np.uint64(max(max(b0, b1), max(b2, b3))) >= ucap) | (not (l0 & l1 & l2 & l3))
            b0, b1, b2, b3 = (ucap if ta[j] == ucap else np.uint64(b0),
                              ucap if ta[j + 1] == ucap else np.uint64(b1),
                              ucap if ta[j + 2] == ucap else np.uint64(b2),
                              ucap if ta[j + 3] == ucap else np.uint64(b3))
            if cells:
                ta[j] = ta[j] * side + b0
                ta[j + 1] = ta[j + 1] * side + b1
                ta[j + 2] = ta[j + 2] * side + b2
                ta[j + 3] = ta[j + 3] * side + b3
            else:
                pb[j] = b0
                pb[j + 1] = b1
                pb[j + 2] = b2
                pb[j + 3] = b3
        return not bad

    return argmax


def _native_labels(t, p):
    """At compile time: are t and p 1-D integer labels that int64 holds (not uint64)?"""
    def native(a):
        return (isinstance(a, types.Array) and a.ndim == 1 and isinstance(a.dtype, types.Integer)
                and (a.dtype.signed or a.dtype.bitwidth < 64))

    return native(t) and native(p)


def _block_in_range(t, p, lo, hi, offset, ucap):  # pragma: no cover
    raise NotImplementedError


@overload(_block_in_range, inline="always")
def _block_in_range_impl(t, p, lo, hi, offset, ucap):
    """Do all labels of rows lo .. hi - 1 lie in ``offset .. offset + ucap - 1``? The test
    that lets a block of integer labels skip ``_block_indices``: a smallest and a largest
    value in the labels' own width, which vectorises with as many lanes as the dtype allows
    (a per-row compare of 64-bit indices does not). A constant False where that fast path
    does not apply (float labels, which must also be integral; uint64, whose values need
    not fit int64; score matrices)."""
    if not _native_labels(t, p):
        return lambda t, p, lo, hi, offset, ucap: False

    def impl(t, p, lo, hi, offset, ucap):
        tmin = tmax = t[lo]
        pmin = pmax = p[lo]
        for i in range(np.uint64(lo), np.uint64(hi)):
            tmin = min(tmin, t[i])
            tmax = max(tmax, t[i])
            pmin = min(pmin, p[i])
            pmax = max(pmax, p[i])
        smallest = min(np.int64(tmin), np.int64(pmin))
        largest = max(np.int64(tmax), np.int64(pmax))
        # exact for every int64 offset: largest >= smallest >= offset, so the unsigned
        # difference is the true one
        return (smallest >= offset) & (np.uint64(largest) - np.uint64(offset) < ucap)

    return impl


def _fast_labels(t, p, offset, ucap, ignore, use_ignore):  # pragma: no cover
    raise NotImplementedError


@overload(_fast_labels)
def _fast_labels_impl(t, p, offset, ucap, ignore, use_ignore):
    """May blocks whose labels are all in range be counted straight from them? Not
    when ignore_index is itself a counted label: its rows then go to the sink, which only
    ``_block_indices`` knows."""
    def impl(t, p, offset, ucap, ignore, use_ignore):
        a, ok = _label_index(ignore, offset)
        return not (use_ignore and ok and np.uint64(a) < ucap)

    return impl


def _binary_predicted(pv, thr, offset):  # pragma: no cover
    raise NotImplementedError


@overload(_binary_predicted, inline="always")
def _binary_predicted_impl(pv, thr, offset):
    """(0/1 index, ok) of one prediction: a label, or a score compared with ``thr``."""
    if thr is None or isinstance(thr, types.NoneType):
        return lambda pv, thr, offset: _label_index(pv, offset)
    return lambda pv, thr, offset: (np.int64(pv >= thr), np.isfinite(pv))


def new_diagnostics():
    """Empty diagnostics: no bad rows (OUT_MIN / OUT_MAX start at the int64 extremes)."""
    diagnostics = np.zeros(NDIAG, np.int64)
    diagnostics[OUT_MIN] = np.iinfo(np.int64).max
    diagnostics[OUT_MAX] = np.iinfo(np.int64).min
    return diagnostics


new_diagnostics = njit(**JIT)(new_diagnostics)


def _row_predicted(p, i, thr, offset):  # pragma: no cover
    raise NotImplementedError


@overload(_row_predicted)
def _row_predicted_impl(p, i, thr, offset):
    """The predicted class index of row i: ``_predicted``, or a score compared with ``thr``."""
    if thr is None or isinstance(thr, types.NoneType):
        return lambda p, i, thr, offset: _predicted(p, i, offset)
    return lambda p, i, thr, offset: _binary_predicted(p[i], thr, offset)


def _row_indices(t, p, i, thr, offset, ucap):  # pragma: no cover
    raise NotImplementedError


@overload(_row_indices, inline="always")
def _row_indices_impl(t, p, i, thr, offset, ucap):
    """(true index, predicted index, countable) of row i: the test of every loop that counts
    rows one by one; a row that is not countable goes to ``_record_bad_row``."""
    def impl(t, p, i, thr, offset, ucap):
        a, ok_a = _label_index(t[i], offset)
        b, ok_b = _row_predicted(p, i, thr, offset)
        return a, b, ok_a and ok_b and np.uint64(a) < ucap and np.uint64(b) < ucap

    return impl


@njit(**JIT)
def _record_bad_row(t, p, i, thr, offset, ucap, ignore, use_ignore, d):
    """Classify a row that was not counted: ignored, bad value or label out of range."""
    if use_ignore and t[i] == ignore:
        d[IGNORED] += 1
        return
    a, ok_a = _label_index(t[i], offset)
    b, ok_b = _row_predicted(p, i, thr, offset)
    if not ok_a:
        d[BADVAL_TRUE] += 1
    if not ok_b:
        d[BADVAL_PRED] += 1
    for idx, ok in ((a, ok_a), (b, ok_b)):
        if ok and np.uint64(idx) >= ucap:
            d[OUT] += 1
            d[OUT_MIN] = min(d[OUT_MIN], idx + offset)
            d[OUT_MAX] = max(d[OUT_MAX], idx + offset)


@njit(**JIT)
def label_span(x):
    """(smallest, largest, found) of a non-empty x in its own dtype, NaN skipped (found is
    False when nothing is left): the label range guess. Not through float64, which rounds integers
    past 2**53 (2**63 - 1 would become 2**63, outside int64)."""
    found = False
    lo = x[0]  # x holds at least one value
    hi = lo
    for i in range(x.shape[0]):
        v = x[i]
        if v == v:  # False only for NaN
            lo = v if not found or v < lo else lo
            hi = v if not found or v > hi else hi
            found = True
    return lo, hi, found


# ---- multiclass: per-class tp / true / pred by scatter -----------------------------------


def count_classes(t, p, w, offset, cap, ignore, use_ignore):
    """Per-class counts of labels ``offset .. offset + cap - 1``.

    Returns (counts, wcounts, wsum, diagnostics): counts int64 (3, cap) rows tp, true, pred;
    wcounts float64 (3, cap) the same weighted (empty when w is None), wsum the total
    weight of the counted rows.

    The choice between pair counting and the per-class scatter is made here, in Python, so
    that a call compiles only the kernel it runs: each takes seconds to compile for every
    new combination of input types, and small inputs never need the pair kernel.
    """
    # weighted score rows stay in the scatter's block loop, for its vector argmax
    if (cap <= _PAIR_MAX_CLASSES and t.shape[0] >= _PAIR_MIN_ROWS_PER_CELL * cap * cap
            and (w is None or p.ndim == 1)):
        return _count_pairs(t, p, w, offset, cap, ignore, use_ignore)
    return _count_scatter(t, p, w, offset, cap, ignore, use_ignore)


@njit(**JIT)
def _count_scatter(t, p, w, offset, cap, ignore, use_ignore):
    """``count_classes`` by scatter into per-class counters (any number of classes)."""
    n = t.shape[0]
    weighted = w is not None
    ucap = np.uint64(cap)
    nsub = 4 if cap <= _SUBHIST_MAX_CLASSES else 1
    # packed[s, k]: true count of class k in the low 32 bits, tp in the high bits; index cap
    # is the sink of rows skipped by ignore_index (``_block_indices``)
    packed = np.zeros((nsub, cap + 1), np.int64)
    npred = np.zeros((nsub, cap + 1), np.int64)
    # wsub[s]: weighted tp, true, pred of sub-histogram s (column cap: the sink)
    wsub = np.zeros((nsub if weighted else 0, 3, cap + 1), np.float64)
    counts = np.zeros((3, cap), np.int64)
    wt = np.zeros((3, cap if weighted else 0), np.float64)
    ws = 0.0
    d = new_diagnostics()
    h0, h1, h2, h3 = packed[0], packed[1 % nsub], packed[2 % nsub], packed[3 % nsub]
    g0, g1, g2, g3 = npred[0], npred[1 % nsub], npred[2 % nsub], npred[3 % nsub]
    if weighted:
        u0, u1, u2, u3 = wsub[0], wsub[1 % nsub], wsub[2 % nsub], wsub[3 % nsub]
    else:  # never used: the unweighted version compiles without them
        u0 = u1 = u2 = u3 = np.zeros((3, 0), np.float64)
    # a block of rows at a time (``_block_indices``), each row of four consecutive ones into
    # its own sub-histogram
    ta = np.empty(_BLOCK_ROWS, np.uint64)
    pb = np.empty(_BLOCK_ROWS, np.uint64)
    # weighted rows keep the block loop (its weight check and sums)
    fast = not weighted and _fast_labels(t, p, offset, ucap, ignore, use_ignore)
    for seg_lo in range(0, n, _SEGMENT):
        seg_hi = min(n, seg_lo + _SEGMENT)
        lo = seg_lo
        while lo < seg_hi:
            if fast:
                lo = _scatter_classes(t, p, lo, seg_hi, offset, ucap, h0, g0)
                if lo == seg_hi:
                    break
            hi = min(seg_hi, lo + _BLOCK_ROWS)
            m = (hi - lo) // 4 * 4  # whole groups of four rows
            first = lo  # the first row left to count one by one
            whole = _block_indices(t, p, lo, m, offset, ucap, ignore, use_ignore, ta, pb)
            if weighted and whole:  # a NaN / inf weight: the block goes row by row
                check = 0.0
                for j in range(m):
                    check = _fold_check(check, w[np.uint64(lo + j)])
                whole = check == 0
            if whole:
                for j in range(0, m, 4):
                    # read before the counters change: the compiler cannot tell that the
                    # buffers and counters never overlap, and would re-read them
                    a0, a1, a2, a3 = ta[j], ta[j + 1], ta[j + 2], ta[j + 3]
                    b0, b1, b2, b3 = pb[j], pb[j + 1], pb[j + 2], pb[j + 3]
                    h0[a0] += 1 + (np.int64(a0 == b0) << 32)
                    g0[b0] += 1
                    h1[a1] += 1 + (np.int64(a1 == b1) << 32)
                    g1[b1] += 1
                    h2[a2] += 1 + (np.int64(a2 == b2) << 32)
                    g2[b2] += 1
                    h3[a3] += 1 + (np.int64(a3 == b3) << 32)
                    g3[b3] += 1
                    if weighted:
                        i = np.uint64(lo + j)
                        _add_weight(u0, a0, b0, w[i])
                        _add_weight(u1, a1, b1, w[i + 1])
                        _add_weight(u2, a2, b2, w[i + 2])
                        _add_weight(u3, a3, b3, w[i + 3])
                first = lo + m
            for r in range(first, hi):  # a block with a bad row, or its last rows
                a, b, ok = _row_indices(t, p, r, None, offset, ucap)
                if ok:
                    h0[a] += 1 + (np.int64(a == b) << 32)
                    g0[b] += 1
                    if weighted:
                        d[BAD_WEIGHT] += not np.isfinite(w[r])
                        _add_weight(u0, a, b, w[r])
                else:
                    _record_bad_row(t, p, r, None, offset, ucap, ignore, use_ignore, d)
            lo = hi
        # unpack this segment's counters into the int64 totals
        for s in range(nsub):
            for k in range(cap):
                v = packed[s, k]
                counts[0, k] += v >> 32
                counts[1, k] += v & _LOW32
                counts[2, k] += npred[s, k]
                packed[s, k] = 0
                npred[s, k] = 0
            d[IGNORED] += npred[s, cap]
            packed[s, cap] = 0
            npred[s, cap] = 0
    for s in range(wsub.shape[0]):
        for k in range(cap):
            for r in range(3):
                wt[r, k] += wsub[s, r, k]
            ws += wsub[s, 1, k]  # the weight of the counted rows: each adds to one true class
    return counts, wt, ws, d


def _scatter_classes(t, p, lo, hi, offset, ucap, ht, hp):  # pragma: no cover
    raise NotImplementedError


@overload(_scatter_classes)
def _scatter_classes_impl(t, p, lo, hi, offset, ucap, ht, hp):
    """Count rows lo .. hi - 1 into packed true counts ``ht`` and predictions ``hp``, a
    block at a time while ``_block_in_range`` passes the block; returns the first row not
    counted (hi when all were; lo, at once, for inputs it does not apply to). Its own
    function, not inlined: inside the caller's loop the counters' addresses would not stay
    in registers."""
    if not _native_labels(t, p):
        return lambda t, p, lo, hi, offset, ucap, ht, hp: lo

    def impl(t, p, lo, hi, offset, ucap, ht, hp):
        while lo < hi:
            end = min(hi, lo + _BLOCK_ROWS)
            if not _block_in_range(t, p, lo, end, offset, ucap):
                break
            for i in range(np.uint64(lo), np.uint64(end)):
                # wrapping uint64 arithmetic: exact for any int64 offset
                a = np.uint64(np.int64(t[i])) - np.uint64(offset)
                b = np.uint64(np.int64(p[i])) - np.uint64(offset)
                ht[a] += 1 + (np.int64(a == b) << 32)
                hp[b] += 1
            lo = end
        return lo

    return impl


@njit(**JIT)
def _add_weight(u, a, b, wi):
    """Weighted tp, true, pred of one row into sub-histogram u (without a branch)."""
    u[0, a] += wi if a == b else 0.0
    u[1, a] += wi
    u[2, b] += wi


def _scatter_pairs(t, p, lo, hi, offset, ucap, h0, h1, h2, h3, cells):  # pragma: no cover
    raise NotImplementedError


@overload(_scatter_pairs)
def _scatter_pairs_impl(t, p, lo, hi, offset, ucap, h0, h1, h2, h3, cells):
    """Count rows lo .. hi - 1 into the (true, predicted) cells of four (cap + 1) x (cap + 1)
    matrices round-robin, a block at a time while all its labels lie in ``offset .. offset +
    cap - 1``; returns the first row not counted (``_scatter_classes`` says why a function of
    its own). The rows after the last whole group of four are left to the caller.

    A block's label differences ``label - offset`` are taken modulo 2**w, w the labels'
    widest width, so that its loop vectorises with as many lanes as the labels allow: the
    block passes when their largest is below cap, and its cells go to ``cells`` (uint16:
    cap <= 128), which the scatter then reads from L1. Exact when every value of the dtypes
    lies less than 2**w above offset and at most 2**w - cap below it (w = 64: always, as
    int64 labels span less than 2**64); for other offsets (labels= far outside the dtypes'
    range) this counts nothing and the caller's block loop counts the rows."""
    if not _native_labels(t, p):
        return lambda t, p, lo, hi, offset, ucap, h0, h1, h2, h3, cells: lo
    wide = max(t.dtype.bitwidth, p.dtype.bitwidth)
    lane = {8: np.uint8, 16: np.uint16, 32: np.uint32, 64: np.uint64}[wide]
    # casts to unsigned lanes (modulo 2**w) after every step: Numba computes in 64 bits and
    # LLVM narrows only what is truncated. Cells in 16-bit lanes for int8 / int16 labels,
    # 32-bit otherwise
    cell = np.uint16 if wide <= 16 else np.uint32
    # the largest difference in at most 32-bit lanes (AVX2 has no 64-bit unsigned max): for
    # 64-bit labels the low halves' largest, and the high halves ORed must be 0
    low = np.uint32 if wide == 64 else lane
    shift = np.uint64(32 if wide == 64 else 63)  # high >> 63 of narrower lanes: always 0
    if wide == 64:
        first = last = 0  # unused: always exact
    else:
        first = max(t.dtype.maxval, p.dtype.maxval) - (1 << wide) + 1  # smallest exact offset
        last = min(t.dtype.minval, p.dtype.minval) + (1 << wide)  # offset + cap at most this

    def impl(t, p, lo, hi, offset, ucap, h0, h1, h2, h3, cells):
        if wide < 64 and not (first <= offset <= last - np.int64(ucap)):
            return lo
        off = lane(offset)
        cap = lane(ucap)
        side = cell(ucap + np.uint64(1))
        while hi - lo >= 4:
            m = min(hi - lo, _BLOCK_ROWS) // 4 * 4
            largest = low(0)
            high = lane(0)
            for j in range(m):
                i = np.uint64(lo + j)  # unsigned: no negative-index wraparound
                a = lane(lane(t[i]) - off)
                b = lane(lane(p[i]) - off)
                high |= a | b
                largest = max(largest, max(low(a), low(b)))
                cells[j] = np.uint16(cell(cell(cell(a) * side) + cell(b)))
            if largest >= cap or high >> shift:
                break
            for j in range(0, m, 4):
                h0[cells[j]] += 1
                h1[cells[j + 1]] += 1
                h2[cells[j + 2]] += 1
                h3[cells[j + 3]] += 1
            lo += m
        return lo

    return impl


@njit(**JIT)
def _pair_confusion(t, p, offset, cap, ignore, use_ignore):
    """(cap x cap confusion matrix, diagnostics) of unweighted rows, counted in four flat
    (cap + 1) x (cap + 1) matrices of 32-bit counters (half the cache of int64 ones), one
    counter per row, filled round-robin so consecutive rows never wait on the same counter,
    and added to the int64 matrix after every segment of rows (fewer than 2**32); cell
    (cap, cap) is the sink of rows skipped by ignore_index (``_block_indices``). A block of
    integer labels all in range is counted straight from the labels (``_scatter_pairs``)."""
    n = t.shape[0]
    ucap = np.uint64(cap)
    side = cap + 1
    h = np.zeros((4, side * side), np.uint32)
    h0, h1, h2, h3 = h[0], h[1], h[2], h[3]
    cm = np.zeros((cap, cap), np.int64)
    d = new_diagnostics()
    fast = _fast_labels(t, p, offset, ucap, ignore, use_ignore)
    cells = np.empty(_BLOCK_ROWS, np.uint64)
    fast_cells = np.empty(_BLOCK_ROWS if fast else 0, np.uint16)
    for seg_lo in range(0, n, _SEGMENT):
        seg_hi = min(n, seg_lo + _SEGMENT)
        lo = seg_lo
        while lo < seg_hi:
            if fast:
                lo = _scatter_pairs(t, p, lo, seg_hi, offset, ucap, h0, h1, h2, h3, fast_cells)
            hi = min(seg_hi, lo + _BLOCK_ROWS)
            m = (hi - lo) // 4 * 4  # whole groups of four rows
            first = lo  # the first row left to count one by one
            if _block_indices(t, p, lo, m, offset, ucap, ignore, use_ignore, cells, None):
                for j in range(0, m, 4):
                    h0[cells[j]] += 1
                    h1[cells[j + 1]] += 1
                    h2[cells[j + 2]] += 1
                    h3[cells[j + 3]] += 1
                first = lo + m
            for r in range(first, hi):  # a block with a bad row, or its last rows
                a, b, ok = _row_indices(t, p, r, None, offset, ucap)
                if ok:
                    h0[a * side + b] += 1
                else:
                    _record_bad_row(t, p, r, None, offset, ucap, ignore, use_ignore, d)
            lo = hi
        # this segment's 32-bit counters into the int64 matrix
        for s in range(4):
            for a in range(cap):
                for b in range(cap):
                    cm[a, b] += h[s, a * side + b]
            d[IGNORED] += h[s, side * side - 1]
            h[s] = 0
    return cm, d


@njit(**JIT)
def _row_confusion(t, p, w, offset, cap, ignore, use_ignore):
    """(cap x cap confusion matrix, the same weighted (0 x 0 when w is None), diagnostics), one row
    at a time; NaN / inf weights are counted in diagnostics[BAD_WEIGHT]. For
    weighted rows this plain loop beats blocks of rows into four (or one) pairs of flat
    matrices."""
    n = t.shape[0]
    weighted = w is not None
    ucap = np.uint64(cap)
    cm = np.zeros((cap, cap), np.int64)
    wcm = np.zeros((cap if weighted else 0, cap if weighted else 0), np.float64)
    d = new_diagnostics()
    nonfinite = 0  # a counter, not d[BAD_WEIGHT]: a store per row to d would be a chain
    for i in range(n):
        a, b, ok = _row_indices(t, p, i, None, offset, ucap)
        if ok:
            cm[a, b] += 1
            if weighted:
                wcm[a, b] += w[i]
                nonfinite += not np.isfinite(w[i])
        else:
            _record_bad_row(t, p, i, None, offset, ucap, ignore, use_ignore, d)
    d[BAD_WEIGHT] += nonfinite
    return cm, wcm, d


@njit(**JIT)
def _count_pairs(t, p, w, offset, cap, ignore, use_ignore):
    """``count_classes`` of up to ``_PAIR_MAX_CLASSES`` classes: tp, true and pred are the
    diagonal, row sums and column sums of their confusion matrix (weighted: of the weighted
    matrix, whose total is the weight of the counted rows)."""
    if w is None:
        cm, d = _pair_confusion(t, p, offset, cap, ignore, use_ignore)
        return _matrix_counts(cm), np.zeros((3, 0), np.float64), 0.0, d
    cm, wcm, d = _row_confusion(t, p, w, offset, cap, ignore, use_ignore)
    return _matrix_counts(cm), _matrix_counts(wcm), wcm.sum(), d


@njit(**JIT)
def _matrix_counts(cm):
    """(3, K) rows tp, true, pred of a K x K confusion matrix."""
    k = cm.shape[0]
    counts = np.zeros((3, k), cm.dtype)
    for a in range(k):
        for b in range(k):
            counts[1, a] += cm[a, b]
            counts[2, b] += cm[a, b]
        counts[0, a] = cm[a, a]
    return counts




# ---- counts per group: the same counts, one block of classes per group -------------------


def _count_grouped(t, p, w, g, goffset, ngroups, thr, offset, cap, ignore, use_ignore):
    """Per-(group, class) counts: row i counts into the block of group ``g[i] - goffset``
    (index ``(g[i] - goffset) * cap + class``); the caller guarantees that every group code
    is in ``goffset .. goffset + ngroups - 1`` (``goffset`` of the codes' own dtype).

    ``p`` holds labels, scores compared with ``thr``, or (2-D) scores to argmax. Returns
    (counts int64 (3, ngroups * cap), wcounts float64 (3, ngroups * cap) or (3, 0), wsum
    float64 (ngroups,) total weight per group (or (0,)), diagnostics), rows tp, true, pred.
    A plain loop: the group index already spreads consecutive rows over many counters.
    """
    ucap = np.uint64(cap)
    weighted = w is not None
    counts = np.zeros((3, ngroups * cap), np.int64)
    wt = np.zeros((3, ngroups * cap if weighted else 0), np.float64)
    ws = np.zeros(ngroups if weighted else 0, np.float64)
    d = new_diagnostics()
    for i in range(t.shape[0]):
        a, b, ok = _row_indices(t, p, i, thr, offset, ucap)
        if ok:
            k = np.int64(g[i] - goffset)  # goffset has g's dtype: no overflow
            base = k * cap
            counts[0, base + a] += a == b
            counts[1, base + a] += 1
            counts[2, base + b] += 1
            if weighted:
                wi = w[i]
                if not np.isfinite(wi):
                    d[BAD_WEIGHT] += 1
                ws[k] += wi
                wt[1, base + a] += wi
                wt[2, base + b] += wi
                if a == b:
                    wt[0, base + a] += wi
        else:
            _record_bad_row(t, p, i, thr, offset, ucap, ignore, use_ignore, d)
    return counts, wt, ws, d


count_grouped = njit(**JIT)(_count_grouped)


# ---- two classes: three reductions, no scatter -------------------------------------------


def _count_binary(t, p, w, thr, offset, ignore, use_ignore):
    """Counts for labels ``offset`` and ``offset + 1`` (or 0/1 truth vs ``p >= thr``).

    Same outputs as ``count_classes`` with cap == 2. The loop is branch-free so it
    vectorises: a row outside {0, 1} adds zero and is counted in ``nbad``; only when there
    are bad rows that are not ignored rows are the rows read a second time, to classify them.
    """
    n = t.shape[0]
    weighted = w is not None
    nbad = 0
    nign = 0
    st = 0
    sp = 0
    stp = 0
    # weighted: the four cells of the 2 x 2 confusion matrix, each a sum of its own rows;
    # class 0's counts taken as differences of totals would cancel (weights 1e17 and 1)
    w00 = 0.0
    w01 = 0.0
    w10 = 0.0
    w11 = 0.0
    for i in range(n):
        a, ok_a = _label_index(t[i], offset)
        b, ok_b = _binary_predicted(p[i], thr, offset)
        good = ok_a & ok_b & (np.uint64(a) < 2) & (np.uint64(b) < 2)
        a = a if good else 0
        b = b if good else 0
        nbad += not good
        if use_ignore:
            nign += t[i] == ignore
        st += a
        sp += b
        stp += a & b
        if weighted:
            wi = w[i] if good else 0.0
            wa = wi * a  # wi when the true label is 1, else 0
            wab = wa * b
            w0 = wi - wa  # exact: wi or 0
            w0b = w0 * b
            w11 += wab
            w10 += wa - wab  # exact: wa or 0
            w01 += w0b
            w00 += w0 - w0b
    d = new_diagnostics()
    if nbad > nign:
        for i in range(n):
            a, ok_a = _label_index(t[i], offset)
            b, ok_b = _binary_predicted(p[i], thr, offset)
            if use_ignore and t[i] == ignore:
                d[IGNORED] += 1
                continue
            d[BADVAL_TRUE] += not ok_a
            d[BADVAL_PRED] += not ok_b
            for idx, ok in ((a, ok_a), (b, ok_b)):
                if ok and np.uint64(idx) >= 2:
                    d[OUT] += 1
                    d[OUT_MIN] = min(d[OUT_MIN], idx + offset)
                    d[OUT_MAX] = max(d[OUT_MAX], idx + offset)
    else:
        d[IGNORED] += nign
    wcounts = np.zeros((3, 0), np.float64)
    wn = w00 + w01 + w10 + w11
    if weighted:
        for i in range(n):  # a row skipped by ignore_index is not read: nor its weight
            if not np.isfinite(w[i]) and not (use_ignore and t[i] == ignore):
                d[BAD_WEIGHT] += 1
        wcounts = np.array([[w00, w11], [w00 + w01, w10 + w11], [w00 + w10, w01 + w11]])
    counts = binary_counts(np.array([n - nbad, st, sp, stp], np.int64))
    return counts, wcounts, wn, d


count_binary = njit(**JIT)(_count_binary)


@njit(**JIT)
def binary_counts(sums):
    """(3, 2) rows tp, true, pred of classes 0 and 1 from (rows, sum t, sum p, sum t*p)."""
    nrows, st, sp, stp = sums[0], sums[1], sums[2], sums[3]
    counts = np.empty((3, 2), sums.dtype)
    counts[0, 1] = stp
    counts[1, 1] = st
    counts[2, 1] = sp
    counts[1, 0] = nrows - st
    counts[2, 0] = nrows - sp
    counts[0, 0] = nrows - st - sp + stp
    return counts


# rows per block of ``sum_binary``, whose block sums are 16- or 32-bit: a block of 0/1 values
# cannot wrap even a signed 16-bit sum
_SUM_BLOCK_ROWS = 1 << 14


def _sum_types(t, p):  # pragma: no cover - replaced by the overload below
    raise NotImplementedError


@overload(_sum_types)
def _sum_types_impl(t, p):
    """Zeros of ``sum_binary``'s types: (block sums, validity of t, validity of p).

    Block sums are 16-bit when both inputs are bytes, else 32-bit: narrow lanes are what make
    the loop fast (twice or four times the rows per vector instruction of int64 sums). A
    validity accumulator ORs integer values in the block sums' width where they fit it (so
    no bit is lost), else in int64, and adds ``v - v`` of float scores (0, or NaN after a
    NaN or inf).
    """
    def bits(a):
        return 64 if isinstance(a.dtype, types.Float) else a.dtype.bitwidth

    lane = np.int16 if bits(t) == 8 and bits(p) == 8 else np.int32

    def check(a):
        if isinstance(a.dtype, types.Float):
            return np.float32 if a.dtype.bitwidth == 32 else np.float64
        return np.int64 if a.dtype.bitwidth == 64 else lane

    check_t, check_p = check(t), check(p)
    return lambda t, p: (lane(0), check_t(0), check_p(0))


def _check_failed(acc):  # pragma: no cover
    raise NotImplementedError


@overload(_check_failed)
def _check_failed_impl(acc):
    """A value was not 0 or 1 (integers), or a score was NaN or inf (floats)."""
    if isinstance(acc, types.Float):
        return lambda acc: acc != 0
    return lambda acc: (acc & ~1) != 0


@njit(**JIT)
def _binary_sums(n, st, sp, stp):
    sums = np.empty(4, np.int64)
    sums[0] = n
    sums[1] = st
    sums[2] = sp
    sums[3] = stp
    return sums


@njit(**JIT)
def sum_binary(t, p, thr):
    """(rows, sum t, sum p, sum t*p) of 0/1 integer truth against 0/1 integer labels
    (``thr`` None) or ``p >= thr``, and ``bad``: nonzero when a value was not 0 or 1 or a
    score was NaN or inf (the sums then mean nothing).

    The fast path of ``count_binary`` (no weights, no ignore_index, labels 0 and 1): plain
    sums with no per-row validity select, in 16- or 32-bit sums per block of rows added to
    int64 ones, so they vectorise with many lanes. A value that is not 0 or 1 can wrap a
    block sum, but it also sets a high bit of its validity OR. When ``bad``, the caller
    recounts with ``count_binary``, which finds and reports the bad rows.
    """
    n = t.shape[0]
    zero, zero_t, zero_p = _sum_types(t, p)
    st = 0
    sp = 0
    stp = 0
    bad = False
    for lo in range(0, n, _SUM_BLOCK_ROWS):
        a = zero
        b = zero
        c = zero
        check_t = zero_t
        check_p = zero_p
        # an unsigned row index: a signed one may be negative (wrapped), so LLVM gathers
        for i in range(np.uint64(lo), np.uint64(min(lo + _SUM_BLOCK_ROWS, n))):
            x = _as(t[i], zero)
            v = p[i]
            y = _as(_binary_predicted(v, thr, 0)[0], zero)
            a = _as(a + x, zero)
            b = _as(b + y, zero)
            c = _as(c + (x if y else zero), zero)
            check_t = _fold_check(check_t, t[i])  # not x: the cast may drop high bits
            check_p = _fold_check(check_p, v)
        st += a
        sp += b
        stp += c
        bad |= _check_failed(check_t) | _check_failed(check_p)
    return _binary_sums(n, st, sp, stp), np.int64(bad)


# ---- multilabel: per-column reductions ---------------------------------------------------


def _count_multilabel(T, P, w, g, thr, goffset, ngroups):
    """Per-column counts of indicator matrices T (truth) and P (indicators, or scores when
    ``thr`` is a float64 array of per-column thresholds).

    Returns (counts int64 (3, L), wcounts float64 (3, L) or (3, 0), wsum, diagnostics); truth
    values other than 0/1 count as BADVAL_TRUE, predictions other than 0/1 (or NaN/inf
    scores) as BADVAL_PRED. With group codes ``g`` (else None, and ngroups 1) row i counts
    into the columns of group ``g[i] - goffset``: counts (3, ngroups * L), wsum over all rows.
    """
    n, L = T.shape
    weighted = w is not None
    c = np.zeros((3, ngroups * L), np.int64)
    wc = np.zeros((3, ngroups * L if weighted else 0), np.float64)
    wsum = 0.0
    d = new_diagnostics()
    bad_t = 0
    bad_p = 0
    for i in range(n):
        base = 0 if g is None else np.int64(g[i] - goffset) * L
        for j in range(L):
            a, ok_a = _label_index(T[i, j], 0)
            if thr is None:
                b, ok_b = _label_index(P[i, j], 0)
            else:
                b, ok_b = np.int64(P[i, j] >= thr[j]), np.isfinite(P[i, j])
            ok_a = ok_a & (np.uint64(a) < 2)
            ok_b = ok_b & (np.uint64(b) < 2)
            bad_t += not ok_a
            bad_p += not ok_b
            c[0, base + j] += a & b
            c[1, base + j] += a
            c[2, base + j] += b
        if weighted:
            wi = w[i]
            if not np.isfinite(wi):
                d[BAD_WEIGHT] += 1
            wsum += wi
            for j in range(L):
                a = np.int64(T[i, j] != 0)
                if thr is None:
                    b = np.int64(P[i, j] != 0)
                else:
                    b = np.int64(P[i, j] >= thr[j])
                wc[0, base + j] += wi * (a & b)
                wc[1, base + j] += wi * a
                wc[2, base + j] += wi * b
    d[BADVAL_TRUE] += bad_t
    d[BADVAL_PRED] += bad_p
    return c, wc, wsum, d


count_multilabel = njit(**JIT)(_count_multilabel)


def _count_indicator_words(Tw, Pw, L, W):
    """Per-column counts of 0/1 byte indicator matrices, eight bytes at a time.

    ``Tw`` and ``Pw`` are the matrices' bytes as uint64 words, a whole number of lane
    blocks of ``W`` words (``8 * W`` bytes, a multiple of L, so lane byte q of every block
    belongs to column ``q % L``). Each word adds eight bytes at once (SWAR) into per-lane
    byte counters, flushed to int64 every 255 blocks before a byte can overflow. Returns
    (counts int64 (3, L) rows tp, true, pred; bad): bad is nonzero if any byte was not 0/1,
    and then the counts mean nothing (the caller recounts with ``count_multilabel``).
    The inner loop runs over one block's W lanes with every accumulator (the validity OR
    too) a lane array, so it vectorises (a scalar OR would not).
    """
    nb = Tw.shape[0] // W
    T2 = Tw[: nb * W].reshape(nb, W)
    P2 = Pw[: nb * W].reshape(nb, W)
    c = np.zeros((3, L), np.int64)
    byte = np.uint64(255)
    lt = np.zeros(W, np.uint64)
    lp = np.zeros(W, np.uint64)
    ltp = np.zeros(W, np.uint64)
    seen = np.zeros(W, np.uint64)
    k = 0
    while k < nb:
        m = min(255, nb - k)
        for r in range(k, k + m):
            tr = T2[r]
            pr = P2[r]
            for q in range(W):
                x = tr[q]
                y = pr[q]
                lt[q] += x
                lp[q] += y
                ltp[q] += x & y
                seen[q] |= x | y
        k += m
        for q in range(W):
            for b in range(8):
                j = (q * 8 + b) % L
                shift = np.uint64(8 * b)
                c[0, j] += (ltp[q] >> shift) & byte
                c[1, j] += (lt[q] >> shift) & byte
                c[2, j] += (lp[q] >> shift) & byte
            lt[q] = 0
            lp[q] = 0
            ltp[q] = 0
    any_seen = np.uint64(0)
    for q in range(W):
        any_seen |= seen[q]
    return c, np.int64((any_seen & np.uint64(0xFEFEFEFEFEFEFEFE)) != 0)


count_indicator_words = njit(**JIT)(_count_indicator_words)


# ---- the K x K confusion matrix, only when asked for -------------------------------------


def confusion(t, p, w, offset, cap, ignore, use_ignore):
    """cap x cap matrix of (true, predicted) counts; rows out of range go to
    diagnostics[OUT], rows skipped by ignore_index to diagnostics[IGNORED] (their prediction
    and weight unread). Unweighted rows of up to ``_PAIR_MAX_CLASSES`` classes are counted by
    ``_pair_confusion`` (above that its extra (cap + 1)^2 matrix costs more than it
    saves), other rows one by one. A NaN / inf weight is counted in
    diagnostics[BAD_WEIGHT]: an error, as in scikit-learn.

    Chosen in Python, as in ``count_classes``: a jitted chooser would compile both kernels
    for every new combination of input types, and constant arguments passed from jitted
    code make numba compile yet another copy of the kernel for them.
    """
    if w is None and cap <= _PAIR_MAX_CLASSES:
        cm, d = _pair_confusion(t, p, offset, cap, ignore, use_ignore)
        return cm, np.zeros((0, 0), np.float64), d
    return _row_confusion(t, p, w, offset, cap, ignore, use_ignore)
