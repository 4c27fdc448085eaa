"""Input forms: thresholded scores, argmax of score matrices, array-likes, dtypes, layouts."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
import sklearn.metrics as skm
from _reference import assert_equal_results, compare
from hypothesis import assume, example, given
from hypothesis import strategies as st
from strategies import FEW

import fastf1

AVERAGES = ["micro", "macro", "weighted", None]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 300), thr=st.floats(0.0, 1.0))
def test_binary_scores_with_threshold(dtype, seed, n, thr, kernel_mode):
    rng = np.random.default_rng(seed)
    y_true = rng.integers(0, 2, n)
    scores = rng.random(n).astype(dtype)
    # scores at and next to the threshold in their own precision: the comparison is exact,
    # score >= thr in float64, even where dtype(thr) rounds below thr
    near = dtype(thr)
    scores[: min(n, 3)] = [np.nextafter(near, dtype(-1)), near, np.nextafter(near, dtype(2))][: min(n, 3)]
    predicted = (scores.astype(np.float64) >= thr).astype(int)
    for average in ["binary", *AVERAGES]:
        ours = fastf1.f1_score(y_true, scores, threshold=thr, average=average, zero_division=0)
        theirs = skm.f1_score(y_true, predicted, average=average, zero_division=0)
        assert_equal_results(ours, theirs, exact=True)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 300), k=st.integers(2, 12))
def test_argmax_of_score_matrix(dtype, seed, n, k, kernel_mode):
    rng = np.random.default_rng(seed)
    y_true = rng.integers(0, k, n)
    scores = rng.random((n, k)).astype(dtype)
    scores[rng.random((n, k)) < 0.1] = 0.5  # ties: the first maximum wins, as np.argmax
    for average in AVERAGES:
        ours = fastf1.f1_score(y_true, scores, average=average, zero_division=0)
        theirs = skm.f1_score(y_true, scores.argmax(axis=1), average=average, zero_division=0)
        assert_equal_results(ours, theirs, exact=True)
    assert_equal_results(fastf1.confusion_matrix(y_true, scores),
                         skm.confusion_matrix(y_true, scores.argmax(axis=1)), exact=True)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 400), k=st.integers(2, 5),
       bad=st.sampled_from([None, np.nan, np.inf, -np.inf]), weighted=st.booleans())
def test_argmax_validity_of_huge_and_nonfinite_scores(dtype, seed, n, k, bad, weighted,
                                                     kernel_mode):
    # the argmax kernels test a row by its sum: finite scores near the dtype's maximum
    # overflow that sum, yet are valid; one NaN / inf anywhere in any row is an error
    rng = np.random.default_rng(seed)
    y_true = rng.integers(0, k, n)
    big = np.finfo(dtype).max
    scores = (rng.choice([-1.0, 1.0], (n, k)) * big * rng.uniform(0.5, 1.0, (n, k))).astype(dtype)
    w = rng.random(n) if weighted else None
    if bad is not None:
        scores[rng.integers(0, n), rng.integers(0, k)] = bad
        with pytest.raises(ValueError, match="NaN or inf"):
            fastf1.f1_score(y_true, scores, average="macro", sample_weight=w)
        return
    ours = fastf1.f1_score(y_true, scores, average="macro", sample_weight=w, zero_division=0)
    theirs = skm.f1_score(y_true, scores.argmax(axis=1), average="macro", sample_weight=w,
                          zero_division=0)
    assert_equal_results(ours, theirs, exact=not weighted)  # weights: sums in another order


# the kernels read score rows through their byte strides in code generic in the float type:
# every layout compiles its own kernels (seconds each), so float64's run under -m slow
@pytest.mark.parametrize("dtype", [np.float32, pytest.param(np.float64, marks=pytest.mark.slow)])
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 200), k=st.integers(2, 40),
       layout=st.sampled_from(["C", "F", "every other row", "every other column", "reversed",
                               "read-only"]))
def test_argmax_in_any_layout(dtype, seed, n, k, layout, kernel_mode):
    # score rows are read into SIMD lanes through their byte strides: every layout must give
    # np.argmax's first maximum, with ties, signed zeros and sums that overflow
    rng = np.random.default_rng(seed)
    big = np.finfo(dtype).max
    values = np.array([-big, -1.5, -0.0, 0.0, 0.25, 1.5, big / 4], dtype)
    base = rng.choice(values, (2 * n, 2 * k))
    scores = {"C": lambda: np.ascontiguousarray(base[:n, :k]),
              "F": lambda: np.asfortranarray(base[:n, :k]),
              "every other row": lambda: base[::2, :k],
              "every other column": lambda: base[:n, ::2],
              "reversed": lambda: base[:n, :k][::-1, ::-1],
              "read-only": lambda: _read_only(base[:n, :k])}[layout]()
    y_true = rng.integers(0, k, n)
    y_pred = scores.argmax(axis=1)
    labels = np.arange(k)
    for ours, theirs in [(fastf1.multilabel_confusion_matrix, skm.multilabel_confusion_matrix),
                         (fastf1.confusion_matrix, skm.confusion_matrix)]:
        assert_equal_results(ours(y_true, scores, labels=labels),
                             theirs(y_true, y_pred, labels=labels), exact=True)


def _read_only(a):
    a = a.copy()
    a.flags.writeable = False
    return a


@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 100), n_labels=st.integers(2, 6),
       per_label=st.booleans())
def test_multilabel_scores_with_threshold(seed, n, n_labels, per_label, kernel_mode):
    rng = np.random.default_rng(seed)
    y_true = rng.integers(0, 2, (n, n_labels))
    scores = rng.random((n, n_labels))
    thr = rng.random(n_labels) if per_label else 0.5
    predicted = (scores >= thr).astype(int)
    for average in ["samples", *AVERAGES]:
        ours = fastf1.f1_score(y_true, scores, threshold=thr, average=average, zero_division=0)
        theirs = skm.f1_score(y_true, predicted, average=average, zero_division=0)
        assert_equal_results(ours, theirs, exact=True)


@given(seed=st.integers(0, 2**32 - 1), n=st.integers(0, 200), n_labels=st.integers(2, 70),
       dtype=st.sampled_from([np.uint8, np.int8, np.bool_]), bad=st.sampled_from([None, 2, -1]))
def test_multilabel_byte_indicators(seed, n, n_labels, dtype, bad, kernel_mode):
    # 0/1 bytes take the eight-bytes-at-a-time kernel over whole lane blocks of rows, the
    # remaining rows the per-value one; a value other than 0/1 anywhere is still reported
    rng = np.random.default_rng(seed)
    y_true = rng.random((n + 1, n_labels)) < 0.3
    y_pred = rng.random((n + 1, n_labels)) < 0.3
    t, p = y_true.astype(dtype), y_pred.astype(dtype)
    if bad is not None and dtype is not np.bool_ and (dtype is np.int8 or bad > 0):
        where = tuple(rng.integers(0, s) for s in t.shape)
        (t if rng.random() < 0.5 else p)[where] = bad
        with pytest.raises(ValueError, match="0 and 1|0 or 1"):
            fastf1.stat_scores(t, p)
        return
    got = fastf1.stat_scores(t, p)
    np.testing.assert_array_equal(got.tp, (y_true & y_pred).sum(axis=0))
    np.testing.assert_array_equal(got.support, y_true.sum(axis=0))
    np.testing.assert_array_equal(got.fp, (~y_true & y_pred).sum(axis=0))


def test_multilabel_sparse_csr_and_bool(rng):
    y_true = (rng.random((500, 7)) < 0.3)
    y_pred = (rng.random((500, 7)) < 0.3)
    for t, p in [(sp.csr_matrix(y_true), sp.csr_matrix(y_pred)), (y_true, y_pred),
                 (sp.csr_array(y_true.astype(np.int8)), y_pred.astype(np.uint8))]:
        for average in ["samples", *AVERAGES]:
            assert_equal_results(fastf1.f1_score(t, p, average=average),
                                 skm.f1_score(y_true, y_pred, average=average), exact=True)


def _variants(y):
    """The same labels as several array-likes, dtypes and memory layouts."""
    import pandas as pd
    import polars as pl
    import pyarrow as pa

    y = np.asarray(y)
    yield "list", y.tolist()
    yield "tuple", tuple(y.tolist())
    yield "pandas", pd.Series(y)
    yield "polars", pl.Series(y)
    yield "pyarrow", pa.array(y)
    yield "column", y.reshape(-1, 1)
    yield "strided", np.repeat(y, 2)[::2]
    yield "big-endian", y.astype(y.dtype.newbyteorder(">"))
    readonly = y.copy()
    readonly.flags.writeable = False
    yield "read-only", readonly
    if y.dtype.kind in "iu":
        for dtype in [np.int8, np.uint8, np.int16, np.uint16, np.int32, np.uint32, np.int64,
                      np.uint64, np.float32, np.float64]:
            yield np.dtype(dtype).name, y.astype(dtype)


@pytest.mark.parametrize("average", AVERAGES)
def test_array_likes_dtypes_and_layouts(average, rng, kernel_mode):
    y_true = rng.integers(0, 5, 200)
    y_pred = np.where(rng.random(200) < 0.5, y_true, rng.integers(0, 5, 200))
    expected = skm.f1_score(y_true, y_pred, average=average)
    for (_, t), (_, p) in zip(_variants(y_true), _variants(y_pred)):
        got = fastf1.f1_score(t, p, average=average)
        assert_equal_results(got, expected, exact=True)
        assert_equal_results(fastf1.f1_score(t, y_pred, average=average), expected, exact=True)


def test_memory_mapped_npy(tmp_path, rng):
    y_true = rng.integers(0, 4, 10_000).astype(np.int32)
    y_pred = rng.integers(0, 4, 10_000).astype(np.int32)
    np.save(tmp_path / "t.npy", y_true)
    np.save(tmp_path / "p.npy", y_pred)
    t = np.load(tmp_path / "t.npy", mmap_mode="r")
    p = np.load(tmp_path / "p.npy", mmap_mode="r")
    assert not t.flags.writeable
    assert_equal_results(fastf1.f1_score(t, p, average="macro"),
                         skm.f1_score(y_true, y_pred, average="macro"), exact=True)


def test_bool_labels_and_string_labels(rng):
    y_true = rng.random(100) < 0.4
    y_pred = rng.random(100) < 0.4
    for average in ["binary", *AVERAGES]:
        compare(fastf1.f1_score, skm.f1_score, (y_true, y_pred), dict(average=average))
    compare(fastf1.classification_report, skm.classification_report, (y_true, y_pred), {})
    names = np.array(["ant", "bee", "cow"], dtype=object)
    compare(fastf1.classification_report, skm.classification_report,
            (names[rng.integers(0, 3, 100)], names[rng.integers(0, 3, 100)]), {})


def test_label_range_is_found_beyond_the_first_rows(kernel_mode):
    """The dense range is guessed from the first rows; later labels trigger the exact retry."""
    head = np.zeros(5000, dtype=np.int64)
    for tail in ([1, 2, 3], [70_000], [-5, 3], [10**12], [-(10**12)]):
        y_true = np.concatenate([head, tail])
        y_pred = np.concatenate([head, tail[::-1]])
        for average in AVERAGES:
            compare(fastf1.f1_score, skm.f1_score, (y_true, y_pred), dict(average=average))
        compare(fastf1.confusion_matrix, skm.confusion_matrix, (y_true, y_pred), {})


@pytest.mark.parametrize("average", AVERAGES)
def test_ignore_index_skips_rows(average, rng, kernel_mode):
    y_true = rng.integers(0, 4, 1000)
    y_pred = rng.integers(0, 4, 1000)
    y_true[rng.random(1000) < 0.3] = -100
    keep = y_true != -100
    expected = skm.f1_score(y_true[keep], y_pred[keep], average=average)
    assert_equal_results(fastf1.f1_score(y_true, y_pred, average=average, ignore_index=-100),
                         expected, exact=True)
    # an ignore_index inside the label range (drop class 2 entirely)
    keep2 = y_true != 2
    assert_equal_results(
        fastf1.f1_score(y_true, y_pred, average=average, ignore_index=2),
        skm.f1_score(y_true[keep2], y_pred[keep2], average=average), exact=True)
    # with weights, with the two-class kernel, with a score matrix, with scores
    w = rng.random(1000)
    assert_equal_results(
        fastf1.f1_score(y_true, y_pred, average=average, sample_weight=w, ignore_index=-100),
        skm.f1_score(y_true[keep], y_pred[keep], average=average, sample_weight=w[keep]),
        exact=False)
    yb = np.where(keep, y_true % 2, -100)
    pb = y_pred % 2
    assert_equal_results(fastf1.f1_score(yb, pb, average=average, ignore_index=-100),
                         skm.f1_score(yb[keep], pb[keep], average=average), exact=True)
    scores = rng.random((1000, 4))
    assert_equal_results(fastf1.f1_score(y_true, scores, average=average, ignore_index=-100),
                         skm.f1_score(y_true[keep], scores[keep].argmax(1), average=average),
                         exact=True)
    s1 = scores[:, 0]
    assert_equal_results(
        fastf1.f1_score(yb, s1, average=average, ignore_index=-100, threshold=0.5),
        skm.f1_score(yb[keep], (s1[keep] >= 0.5).astype(int), average=average), exact=True)


@pytest.mark.parametrize("k", [3, 200])  # pair matrices (many rows per cell) / per-class counters
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 6200), ignored=st.sampled_from([0, 0.01, 0.5]),
       late=st.booleans(), form=st.sampled_from(["int32", "int8", "float64", "scores"]),
       weights=st.sampled_from([None, "random", "one NaN"]))
# every row has label 1 as its true or its predicted label: its tn is 0, which scikit-learn
# finds as total - tp - fp - fn, a few ulps of the total weight off zero
@example(seed=42, n=3, ignored=0, late=False, form="int32", weights="random")
def test_blocks_of_rows(k, seed, n, ignored, late, form, weights, kernel_mode):
    # rows are counted a block of 512 at a time: rows skipped by ignore_index go to a sink
    # counter, and a block with a label outside the guessed range (found late, then counted
    # on a retry) or a NaN weight is counted row by row; the tail of each range is counted
    # one by one
    assume(not (form == "int8" and k > 100))
    rng = np.random.default_rng(seed)
    y_true = rng.integers(0, k, n)
    y_pred = np.where(rng.random(n) < 0.5, y_true, rng.integers(0, k, n))
    y_true[rng.random(n) < ignored] = -100
    if late and form != "scores":  # past the rows the label range is guessed from: a retry
        y_pred[rng.integers(min(n - 1, 4096), n)] = 100 if form == "int8" else 1000
    keep = y_true != -100
    assume(keep.any())
    if form == "scores":
        y_pred = rng.random((n, k)) + np.eye(k)[y_pred]
        predicted = y_pred[keep].argmax(axis=1)
    else:
        y_true, y_pred = y_true.astype(form), y_pred.astype(form)
        predicted = y_pred[keep]
    w = None if weights is None else rng.random(n)
    if weights == "one NaN":
        kept = np.flatnonzero(keep)
        w[kept[rng.integers(0, kept.size)]] = np.nan
        with pytest.raises(ValueError, match="1 NaN or inf"):
            fastf1.stat_scores(y_true, y_pred, ignore_index=-100, sample_weight=w)
        # one rule everywhere, as scikit-learn 1.9: a NaN weight is an error in
        # confusion_matrix too
        with pytest.raises(ValueError, match="sample_weight contains NaN"):
            fastf1.confusion_matrix(y_true[keep], y_pred[keep], sample_weight=w[keep])
        return
    ours = fastf1.stat_scores(y_true, y_pred, ignore_index=-100, sample_weight=w)
    wk = None if w is None else w[keep]
    mcm = skm.multilabel_confusion_matrix(y_true[keep], predicted, labels=ours.labels,
                                          sample_weight=wk)
    # scikit-learn finds fp and tn by subtraction (tn = total - tp - fp - fn): where they are
    # 0 its weighted ones are a few ulps of the total weight off, so that scale is the floor
    atol = 0.0 if wk is None else 1e-12 * wk.sum()
    np.testing.assert_allclose(ours.multilabel_confusion_matrix(), mcm, rtol=1e-9, atol=atol)
    # the confusion matrix comes from the same pair matrices
    np.testing.assert_allclose(
        fastf1.confusion_matrix(y_true[keep], y_pred[keep], labels=ours.labels,
                                sample_weight=wk),
        skm.confusion_matrix(y_true[keep], predicted, labels=ours.labels, sample_weight=wk),
        rtol=1e-9)
    if w is None:  # integer counts: exactly
        np.testing.assert_array_equal(ours.multilabel_confusion_matrix(), mcm)


@pytest.mark.parametrize("form", ["int8", "argmax", "integral_floats", "ignore_index",
                                  "late_wide_label", "nan_label", "odd_length"])
def test_many_rows_few_classes(form, rng, kernel_mode):
    """Unweighted inputs of many rows and few classes are counted as (true, predicted) pairs;
    the same answers, retries and errors as the per-class path (which small inputs take)."""
    n = 60_001 if form == "odd_length" else 60_000
    y_true = rng.integers(0, 5, n)
    y_pred = np.where(rng.random(n) < 0.7, y_true, rng.integers(0, 5, n))
    kwargs = {}
    if form == "int8":
        y_true, y_pred = y_true.astype(np.int8), y_pred.astype(np.int8)
    elif form == "argmax":
        scores = rng.random((n, 5)).astype(np.float32)
        scores[np.arange(n), y_pred] += 1.0
        y_pred = scores
    elif form == "integral_floats":
        y_true, y_pred = y_true.astype(np.float64), y_pred.astype(np.float64)
    elif form == "ignore_index":
        y_true[rng.random(n) < 0.2] = -100
        kwargs = dict(ignore_index=-100)
    elif form == "late_wide_label":  # outside the guessed range: counted on a retry
        y_true[-3:], y_pred[-2:] = 40, 41
    elif form == "nan_label":
        y_true = y_true.astype(np.float64)
        y_true[n // 2] = np.nan
        with pytest.raises(ValueError, match="1 value"):
            fastf1.f1_score(y_true, y_pred, average="macro")
        return
    ours = fastf1.stat_scores(y_true, y_pred, **kwargs)
    keep = y_true != -100
    t, p = y_true[keep], (y_pred[keep].argmax(axis=1) if y_pred.ndim == 2 else y_pred[keep])
    mcm = skm.multilabel_confusion_matrix(t, p, labels=ours.labels)
    np.testing.assert_array_equal(ours.multilabel_confusion_matrix(), mcm)
    np.testing.assert_array_equal(ours.labels, np.union1d(t, p))


_BINARY_DTYPES = [("int8", "int8"), ("uint8", "int8"), ("int8", "float32"), ("int16", "uint16"),
                  ("int32", "int32"), ("uint32", "int64"), ("int64", "float64"), ("int64", "uint8")]


def _fits(value, dtype):
    dtype = np.dtype(dtype)
    if dtype.kind == "f":
        return True
    return isinstance(value, int) and np.iinfo(dtype).min <= value <= np.iinfo(dtype).max


@pytest.mark.parametrize("dtypes,bad,bad_in", [
    (d, bad, where) for d in _BINARY_DTYPES
    for bad in [None, 2, -1, 2**16 + 1, 2**32, 2**32 + 1, np.nan, np.inf]
    for where in ["true", "pred"]
    if bad is None and where == "true" or bad is not None and _fits(bad, d[where == "pred"])])
@FEW
@given(seed=st.integers(0, 2**32 - 1),
       n=st.one_of(st.integers(1, 5000), st.integers(30_000, 100_000)))
def test_binary_sums_in_blocks(dtypes, bad, bad_in, seed, n, kernel_mode):
    # 0/1 labels and thresholded scores are summed in 16- or 32-bit sums per block of 16,384
    # rows (more rows than a 16-bit sum holds wrap it: most values are 1 here); one value that
    # is not 0 or 1 anywhere (which may wrap a narrow sum, or truncate to 0 or 1 in it) sends
    # the input to the exact path, which counts it as a class or reports it. The bad value
    # comes after the first rows, from which the label range is guessed, so the fast path
    # sees it.
    t_dtype, p_dtype = dtypes
    rng = np.random.default_rng(seed)
    y_true = (rng.random(n) < 0.9).astype(t_dtype)
    scores = p_dtype.startswith("float")
    y_pred = rng.random(n).astype(p_dtype) if scores else (rng.random(n) < 0.9).astype(p_dtype)
    if bad is not None:
        (y_true if bad_in == "true" else y_pred)[rng.integers(min(n - 1, 4096), n)] = bad
    thr = 0.1 if scores else None
    if scores and bad is not None and (bad_in == "true" or not np.isfinite(bad)):
        with pytest.raises(ValueError, match="0 and 1|1 invalid score"):
            fastf1.f1_score(y_true, y_pred, threshold=thr)
        return
    predicted = (y_pred >= thr).astype(int) if scores else y_pred
    ours = fastf1.stat_scores(y_true, y_pred, threshold=thr)
    mcm = skm.multilabel_confusion_matrix(y_true.astype(np.int64), predicted.astype(np.int64),
                                          labels=ours.labels)
    np.testing.assert_array_equal(ours.multilabel_confusion_matrix(), mcm)
    np.testing.assert_array_equal(ours.labels, np.union1d(y_true, predicted))


@pytest.mark.parametrize("values", [[1.0, 2.5, 0.0, 1.0, 3.0, 1.0], [1, 2, 0, 1, 3, 1],
                                    [True, False, True, True, True, False]], ids=str)
@pytest.mark.parametrize("name", ["f1_score", "confusion_matrix", "multilabel_confusion_matrix",
                                  "accuracy_score", "cohen_kappa_score", "classification_report"])
def test_sample_weight_takes_every_array_like(name, values):
    """Weights come in the forms y_true does (polars, pandas, pyarrow, lists): the same
    results, and the same int64 / float64 counts, as scikit-learn on the NumPy array."""
    pl = pytest.importorskip("polars")
    import pandas as pd
    import pyarrow as pa

    y_true, y_pred = np.array([0, 1, 2, 1, 0, 2]), np.array([0, 2, 2, 1, 0, 1])
    want = np.asarray(values)
    kwargs = {"average": "macro"} if name == "f1_score" else {}
    for w in (pl.Series(values), pd.Series(values), pa.array(values), values, tuple(values)):
        got = getattr(fastf1, name)(y_true, y_pred, sample_weight=w, **kwargs)
        expected = getattr(skm, name)(y_true, y_pred, sample_weight=want, **kwargs)
        assert_equal_results(got, expected, exact=True)
        if isinstance(expected, np.ndarray):
            assert got.dtype == expected.dtype, (type(w), got.dtype, expected.dtype)


def test_pyarrow_bool_labels():
    """pyarrow keeps bools bit-packed: they come out by copy, not zero-copy."""
    import pyarrow as pa

    t, p = [True, False, True, True], [True, True, False, True]
    assert fastf1.f1_score(pa.array(t), pa.array(p)) == skm.f1_score(t, p)
