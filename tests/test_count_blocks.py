"""The multiclass counting kernels block by block: a block of integer labels whose smallest
and largest values lie in the counted range is counted straight from the labels, any other
block (a label out of range, a row skipped by ignore_index) the general way. Both ways, in
any mix over one input, must give the counts and diagnostics of a plain NumPy reference.
"""

from __future__ import annotations

import numpy as np
import pytest

from fastf1._kernels import cpu

BLOCK = cpu._BLOCK_ROWS
I64_MIN, I64_MAX = -(2**63), 2**63 - 1


def _reference(t, p, offset, cap, ignore):
    """(cap x cap confusion matrix, diagnostics) the kernels must return: Python ints."""
    cm = np.zeros((cap, cap), np.int64)
    d = cpu.new_diagnostics()
    for a, b in zip(t.tolist(), p.tolist()):
        if ignore is not None and a == ignore:
            d[cpu.IGNORED] += 1
            continue
        out = [v for v in (a, b) if not offset <= v < offset + cap]
        if out:
            d[cpu.OUT] += len(out)
            d[cpu.OUT_MIN] = min(d[cpu.OUT_MIN], *out)
            d[cpu.OUT_MAX] = max(d[cpu.OUT_MAX], *out)
        else:
            cm[a - offset, b - offset] += 1
    return cm, d


def _labels(rng, dtype, offset, cap, n):
    """n rows of labels in range, mostly right (consecutive rows often share a cell)."""
    t = rng.integers(0, cap, n)
    p = np.where(rng.random(n) < 0.8, t, rng.integers(0, cap, n))
    return [(v + offset).astype(dtype) for v in (t.astype(object), p.astype(object))]


def _check(t, p, offset, cap, ignore=None, confusion=True):
    ign, use = (0, False) if ignore is None else (ignore, True)
    cm_ref, d_ref = _reference(t, p, offset, cap, ignore)
    counts, _, _, d = cpu.count_classes(t, p, None, offset, cap, ign, use)
    np.testing.assert_array_equal(d, d_ref)
    np.testing.assert_array_equal(counts, np.stack([np.diag(cm_ref), cm_ref.sum(1),
                                                    cm_ref.sum(0)]))
    if not confusion:
        return
    cm, _, d = cpu.confusion(t, p, None, offset, cap, ign, use)
    np.testing.assert_array_equal(cm, cm_ref)
    np.testing.assert_array_equal(d, d_ref)


# cap 3 is counted as (true, predicted) pairs (enough rows per cell), 300 (or as many
# labels as the dtype has) per class
@pytest.mark.parametrize("cap", [3, 300])
@pytest.mark.parametrize(("dtype", "offset"), [
    (np.int32, -7), (np.int64, I64_MAX - 299), (np.int64, I64_MIN),
    # each further dtype compiles both kernels again (many seconds)
    pytest.param(np.int8, -128, marks=pytest.mark.slow),
    pytest.param(np.uint16, 65000, marks=pytest.mark.slow),
])
def test_blocks_in_and_out_of_range(dtype, offset, cap, rng):
    info = np.iinfo(dtype)
    cap = min(cap, int(info.max) - offset + 1)
    n = 5 * BLOCK + 3  # five whole blocks and a tail of rows
    t, p = _labels(rng, dtype, offset, cap, n)
    _check(t, p, offset, cap)
    outside = [v for v in (offset - 1, offset + cap) if info.min <= v <= info.max]
    for v in outside:
        # one label out of range in block 1, in y_true or in y_pred (its row not counted)
        for arr in (t, p):
            bad = arr.copy()
            bad[BLOCK + 17] = v
            _check(*((bad, p) if arr is t else (t, bad)), offset, cap)
        # the last row (the tail), and a whole block
        bad = p.copy()
        bad[-1] = v
        bad[2 * BLOCK: 3 * BLOCK] = v
        _check(t, bad, offset, cap)


@pytest.mark.parametrize("offset", [-(2**31) - 1, -(2**31), 2**31 - 3, 2**31 - 2])
def test_offsets_at_the_edges_of_the_wrapping_window(offset, rng):
    """The pair kernel takes int32 labels minus offset modulo 2**32: exact for offsets from
    -2**31 to 2**31 - cap. Past them a label at the other end of int32 would wrap into the
    range (2**31 - 1 - (-2**31 - 1) is 0 modulo 2**32); such blocks are counted the general
    way, which finds it out of range."""
    cap = 3
    lo, hi = max(offset, -(2**31)), min(offset + cap - 1, 2**31 - 1)
    t = rng.integers(lo, hi + 1, 5 * BLOCK + 3).astype(np.int32)
    p = np.where(rng.random(t.size) < 0.8, t, rng.integers(lo, hi + 1, t.size)).astype(np.int32)
    _check(t, p, offset, cap)
    far = -(2**31) if offset > 0 else 2**31 - 1  # the other end of int32
    for rows in ([BLOCK + 17], [-1], slice(2 * BLOCK, 3 * BLOCK)):
        bad = p.copy()
        bad[rows] = far
        _check(t, bad, offset, cap)


def test_int64_labels_2_to_the_32_away(rng):
    """int64 label differences are checked in 32-bit halves: a label 2**32 above or below
    the range has low half in range and must still be found out of range."""
    cap, offset = 3, 2**40
    t, p = _labels(rng, np.int64, offset, cap, 5 * BLOCK + 3)
    for v in (offset + 2**32, offset + 2**32 + 1, offset - 2**32 + 2, offset - 2**63):
        bad = p.copy()
        bad[[BLOCK + 17, -1]] = v
        bad[2 * BLOCK: 3 * BLOCK: 7] = v
        _check(t, bad, offset, cap)


@pytest.mark.parametrize("cap", [3, 300])
def test_ignore_index_inside_and_outside_the_range(cap, rng):
    n = 4 * BLOCK + 1
    t, p = _labels(rng, np.int32, 0, cap, n)
    # ignore_index a counted label: its rows go to the sink, every block the general way
    # (the row-by-row confusion matrix of many classes never sees it: the caller drops those
    # rows first)
    _check(t, p, 0, cap, ignore=1, confusion=cap <= cpu._PAIR_MAX_CLASSES)
    # outside the range: only the blocks that hold skipped rows leave the fast way
    t2 = t.copy()
    t2[[5, BLOCK + 1, BLOCK + 2, 3 * BLOCK + 100]] = -1
    _check(t2, p, 0, cap, ignore=-1)
    # ignore_index out of range but not every out-of-range label is ignored
    t2[2 * BLOCK + 3] = cap
    _check(t2, p, 0, cap, ignore=-1)


@pytest.mark.slow  # four more compiled versions of the kernels
def test_mixed_dtypes_and_strided_rows(rng):
    """t and p of different widths and signedness, and a non-contiguous view."""
    t, p = _labels(rng, np.int64, 0, 4, 6 * BLOCK)
    _check(t.astype(np.uint8), p.astype(np.int16), 0, 4)
    _check(t[::2].astype(np.int16), p[::2].astype(np.uint32), 0, 4)
