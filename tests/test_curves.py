"""Threshold sweeps and precision_recall_curve against scikit-learn and a naive NumPy count."""

from __future__ import annotations

import pickle
import re
import warnings

import numpy as np
import pytest
import sklearn.metrics as skm
from hypothesis import assume, example, given
from hypothesis import strategies as st
from strategies import sample_weights

import fastf1
import fastf1.curves
from fastf1.curves import ThresholdSweep, precision_recall_curve, threshold_sweep

ZERO_DIVISIONS = [0.0, 1.0, np.nan]


# ---- reference: every threshold compared on its own ----------------------------------


def naive_counts(y01, s, w, thr):
    """(tp, fp, fn, tn) at each threshold by comparing every score with every threshold."""
    pred = s.astype(np.float64)[None, :] >= np.asarray(thr, np.float64)[:, None]
    pos = y01.astype(bool)[None, :]
    wt = np.ones(y01.shape[0], np.int64) if w is None else w
    return tuple(((a & b) * wt).sum(axis=1)
                 for a, b in ((pred, pos), (pred, ~pos), (~pred, pos), (~pred, ~pos)))


def assert_counts(sweep, y01, s, w, thr):
    ref = naive_counts(y01, s, w, thr)
    for name, got, want in zip("tp fp fn tn".split(), (sweep.tp, sweep.fp, sweep.fn, sweep.tn),
                               ref):
        if w is None:
            assert got.dtype == np.int64
            np.testing.assert_array_equal(got, want, err_msg=name)
        else:
            assert got.dtype == np.float64
            np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12, err_msg=name)


def assert_scores_match_sklearn(sweep, y01, s, w, zero_division):
    """precision / recall / F1 / F2 at thresholds[k] == sklearn's scores of s >= thresholds[k]."""
    got = {"precision": sweep.precision(zero_division=zero_division),
           "recall": sweep.recall(zero_division=zero_division),
           "f1": sweep.f1(zero_division=zero_division),
           "f2": sweep.fbeta(2.0, zero_division=zero_division)}
    funcs = {"precision": skm.precision_score, "recall": skm.recall_score,
             "f1": skm.f1_score, "f2": lambda *a, **k: skm.fbeta_score(*a, beta=2.0, **k)}
    for k, thr in enumerate(sweep.thresholds):
        pred = (s >= np.float64(thr)).astype(np.int64)
        for name, func in funcs.items():
            want = func(y01, pred, sample_weight=w, zero_division=zero_division)
            if w is None:
                np.testing.assert_array_equal(got[name][k], want, err_msg=f"{name} at {thr}")
            else:
                np.testing.assert_allclose(got[name][k], want, rtol=1e-12, atol=1e-15,
                                           err_msg=f"{name} at {thr}")


def all_zero(w):
    return w is not None and not w.any()


def assert_refused_as_sklearn(ours, theirs):
    """All-zero weights: ``ours()`` raises scikit-learn's error (``theirs()``'s), word for
    word."""
    with pytest.raises(ValueError, match="at least one non-zero") as want:
        theirs()
    with pytest.raises(ValueError, match=re.escape(str(want.value))):
        ours()


# ---- strategies ---------------------------------------------------------------------


@st.composite
def binary_problem(draw, max_rows=50):
    """(y 0/1, scores, weights or None, thresholds argument)."""
    n = draw(st.integers(1, max_rows))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    y = (rng.random(n) < draw(st.sampled_from([0.0, 0.3, 0.5, 1.0]))).astype(np.int64)
    kind = draw(st.sampled_from(["probs", "ties", "float32", "on-grid", "logits", "ints"]))
    grid_arg = draw(st.sampled_from([1, 2, 5, 11, "array"]))
    if kind == "probs":
        s = rng.random(n)
    elif kind == "ties":
        s = np.round(rng.random(n), 1)
    elif kind == "float32":
        s = rng.random(n).astype(np.float32)
    elif kind == "on-grid":  # every score exactly a threshold
        s = np.linspace(0, 1, 11)[rng.integers(0, 11, n)]
        grid_arg = 11
    elif kind == "logits":  # negative scores need an explicit grid
        s = rng.normal(0, 3, n)
        grid_arg = np.sort(np.unique(np.concatenate([rng.normal(0, 3, 6), s[:3]])))
    else:
        s = rng.integers(-3, 4, n)
        grid_arg = np.arange(-4, 5, 1.5)
    if isinstance(grid_arg, str):  # uneven, with some scores among the thresholds
        grid_arg = np.unique(np.concatenate([np.sort(rng.random(4)), s[:2].astype(np.float64)]))
    return y, s, draw(sample_weights(n)), grid_arg


def thresholds_of(grid_arg):
    return np.linspace(0, 1, grid_arg) if isinstance(grid_arg, int) else np.asarray(grid_arg)


# ---- grid sweeps --------------------------------------------------------------------


ALL_ZERO = (np.array([0, 1, 1]), np.array([0.2, 0.6, 0.9]), np.zeros(3), 5)


@given(problem=binary_problem(), zero_division=st.sampled_from(ZERO_DIVISIONS))
@example(problem=ALL_ZERO, zero_division=0.0)
def test_grid_sweep_matches_sklearn_at_every_threshold(kernel_mode, problem, zero_division):
    y, s, w, grid_arg = problem
    if all_zero(w):
        assert_refused_as_sklearn(
            lambda: threshold_sweep(y, s, thresholds=grid_arg, sample_weight=w),
            lambda: skm.precision_score(y, (s >= 0.5).astype(np.int64), sample_weight=w))
        return
    sweep = threshold_sweep(y, s, thresholds=grid_arg, sample_weight=w)
    np.testing.assert_array_equal(sweep.thresholds, thresholds_of(grid_arg))
    assert not sweep.exact and not sweep.multilabel
    assert_counts(sweep, y, s, w, sweep.thresholds)
    assert_scores_match_sklearn(sweep, y, s, w, zero_division)


@given(problem=binary_problem(max_rows=30))
@example(problem=ALL_ZERO)
def test_scores_equal_fastf1_threshold_metrics(problem):
    y, s, w, grid_arg = problem
    if all_zero(w):
        assert_refused_as_sklearn(
            lambda: threshold_sweep(y, s.astype(np.float64), thresholds=grid_arg,
                                    sample_weight=w),
            lambda: fastf1.f1_score(y, s.astype(np.float64), threshold=0.5, sample_weight=w))
        return
    sweep = threshold_sweep(y, s.astype(np.float64), thresholds=grid_arg, sample_weight=w)
    f1 = sweep.f1(zero_division=0.0)
    for k, thr in enumerate(sweep.thresholds):
        want = fastf1.f1_score(y, s.astype(np.float64), threshold=thr, sample_weight=w,
                               zero_division=0.0)
        np.testing.assert_allclose(f1[k], want, rtol=1e-12)


def test_grids_uniform_nonuniform_and_far_scores(kernel_mode):
    rng = np.random.default_rng(3)
    n = 3000
    y = rng.integers(0, 2, n)
    grids = [np.arange(-3, 3, 0.1), np.geomspace(1e-6, 1e3, 40), np.linspace(0, 1, 1001),
             np.array([0.5]), np.linspace(-1e300, 1e300, 7), np.array([-0.0, 1e-300, 0.5])]
    for grid in grids:
        s = np.concatenate([grid, rng.normal(0, 2, n - grid.size - 4), [1e308, -1e308, 0, 1]])
        s = np.nextafter(s, rng.choice([-np.inf, np.inf], s.size)) if grid.size % 2 else s
        sweep = threshold_sweep(y[:s.size], s, thresholds=grid)
        assert_counts(sweep, y[:s.size], s, None, grid)


def test_float32_scores_compare_in_float64():
    # 0.1 as float32 is above 0.1: counted positive at threshold 0.1, as s >= np.float64(0.1)
    s = np.array([0.1, 0.3], np.float32)
    sweep = threshold_sweep([1, 0], s, thresholds=[0.1, np.float64(np.float32(0.3))])
    np.testing.assert_array_equal(sweep.tp, [1, 0])
    np.testing.assert_array_equal(sweep.fp, [1, 1])


def test_default_grid_and_best_threshold():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 2000)
    s = np.clip(y * 0.3 + rng.random(2000) * 0.7, 0, 1)
    sweep = threshold_sweep(y, s)
    np.testing.assert_array_equal(sweep.thresholds, np.linspace(0, 1, 1001))
    f1 = sweep.f1(zero_division=0)
    best = sweep.best_threshold()
    assert isinstance(best, float)
    k = int(np.flatnonzero(sweep.thresholds == best)[0])
    assert f1[k] == f1.max() and (f1[:k] < f1.max()).all()  # ties go to the lowest
    assert "1001 thresholds" in repr(sweep)


def test_best_threshold_ties_go_to_the_lowest():
    sweep = threshold_sweep([1, 1, 0], [0.9, 0.9, 0.1], thresholds=[0.0, 0.2, 0.5, 0.9, 1.0])
    np.testing.assert_array_equal(sweep.f1(zero_division=0), [0.8, 1, 1, 1, 0])
    assert sweep.best_threshold() == 0.2
    assert sweep.best_threshold(beta=0.5) == 0.2


def test_zero_division_warns_like_sklearn():
    sweep = threshold_sweep([0, 1], [0.2, 0.4], thresholds=[0.1, 0.5])
    with pytest.warns(fastf1.UndefinedMetricWarning, match="Precision is ill-defined"):
        p = sweep.precision()
    np.testing.assert_array_equal(p, [0.5, 0.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        np.testing.assert_array_equal(sweep.precision(zero_division=1.0), [0.5, 1.0])
        np.testing.assert_array_equal(sweep.recall(), [1.0, 0.0])
    with pytest.raises(ValueError, match="zero_division"):
        sweep.precision(zero_division=2)
    with pytest.raises(ValueError, match="beta"):
        sweep.fbeta(-1)


# ---- labels and pos_label -----------------------------------------------------------


@pytest.mark.parametrize("labels, pos_label", [
    ([0, 1], None), ([-1, 1], None), ([False, True], None), ([0.0, 1.0], None),
    (["neg", "pos"], "pos"), ([3, 7], 7), ([0, 1, 2], 2), ([1, 0], 0)],
    ids=["01", "minus1-1", "bool", "float", "strings", "3-7", "one-vs-rest", "pos0"])
def test_label_forms(kernel_mode, labels, pos_label):
    rng = np.random.default_rng(1)
    y = np.array(labels)[rng.integers(0, len(labels), 500)]
    s = rng.random(500)
    y01 = (y == (1 if pos_label is None else pos_label)).astype(np.int64)
    for grid in (7, "exact"):
        sweep = threshold_sweep(y, s, thresholds=grid, pos_label=pos_label)
        assert_counts(sweep, y01, s, None, sweep.thresholds)


@pytest.mark.parametrize("labels", [[0], [1], [-1]])
def test_one_class_is_binary(labels):
    y = np.array(labels * 4)
    sweep = threshold_sweep(y, np.linspace(0, 1, 4), thresholds=3)
    assert_counts(sweep, (y == 1).astype(int), np.linspace(0, 1, 4), None, sweep.thresholds)


# ---- multilabel ---------------------------------------------------------------------


@given(n=st.integers(1, 40), n_labels=st.integers(2, 5), seed=st.integers(0, 2**32 - 1),
       weighted=st.booleans(), grid=st.sampled_from([5, 11, "exact"]))
def test_multilabel_columns_are_binary_sweeps(kernel_mode, n, n_labels, seed, weighted, grid):
    rng = np.random.default_rng(seed)
    y = (rng.random((n, n_labels)) < 0.4).astype(np.uint8)
    s = np.round(rng.random((n, n_labels)), 2)
    w = rng.random(n) + 0.1 if weighted else None
    sweep = threshold_sweep(y, s, thresholds=grid, sample_weight=w)
    assert sweep.multilabel and sweep.tp.shape == (n_labels, sweep.thresholds.shape[0])
    for c in range(n_labels):
        column = ThresholdSweep(sweep.thresholds, *(a[c] for a in
                                                    (sweep.tp, sweep.fp, sweep.fn, sweep.tn)))
        assert_counts(column, y[:, c], s[:, c], w, sweep.thresholds)
    best = sweep.best_threshold()
    assert best.shape == (n_labels,)


def test_one_column_is_read_as_1d_like_sklearn():
    sweep = threshold_sweep(np.array([[0], [1]]), np.array([[0.2], [0.7]]), thresholds=3)
    assert not sweep.multilabel
    np.testing.assert_array_equal(sweep.tp, [1, 1, 0])


def test_multilabel_bool_and_float32():
    rng = np.random.default_rng(2)
    y = rng.random((300, 3)) < 0.5
    s = rng.random((300, 3)).astype(np.float32)
    sweep = threshold_sweep(y, s, thresholds=9)
    for c in range(3):
        want = threshold_sweep(y[:, c], s[:, c], thresholds=9)
        np.testing.assert_array_equal(sweep.tp[c], want.tp)
        np.testing.assert_array_equal(sweep.tn[c], want.tn)


# ---- exact mode and precision_recall_curve ------------------------------------------


@st.composite
def curve_problem(draw, max_rows=40):
    n = draw(st.integers(1, max_rows))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    vocab, pos_label = draw(st.sampled_from([([0, 1], None), ([-1, 1], None), ([0, 1], 0),
                                             (["a", "b"], "b"), ([0, 1, 2], 1),
                                             ([False, True], None)]))
    y = np.array(vocab)[rng.integers(0, len(vocab), n)]
    kind = draw(st.sampled_from(["probs", "ties", "float32", "ints", "logits"]))
    s = {"probs": lambda: rng.random(n), "ties": lambda: np.round(rng.random(n), 1),
         "float32": lambda: np.round(rng.random(n), 2).astype(np.float32),
         "ints": lambda: rng.integers(-2, 3, n), "logits": lambda: rng.normal(0, 5, n)}[kind]()
    return y, s, draw(sample_weights(n)), pos_label


def sk_curve(*args, **kwargs):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = skm.precision_recall_curve(*args, **kwargs)
    return out, [str(c.message) for c in caught]


@given(problem=curve_problem(), drop=st.booleans())
@example(problem=(np.array(["a", "b"]), np.array([0.5, 0.5]), np.zeros(2), "b"), drop=True)
def test_precision_recall_curve_equals_sklearn(problem, drop):
    y, s, w, pos_label = problem
    if all_zero(w):
        kwargs = dict(pos_label=pos_label, sample_weight=w, drop_intermediate=drop)
        assert_refused_as_sklearn(lambda: precision_recall_curve(y, s, **kwargs),
                                  lambda: skm.precision_recall_curve(y, s, **kwargs))
        return
    want, sk_warnings = sk_curve(y, s, pos_label=pos_label, sample_weight=w,
                                 drop_intermediate=drop)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        got = precision_recall_curve(y, s, pos_label=pos_label, sample_weight=w,
                                     drop_intermediate=drop)
    assert [str(c.message) for c in caught] == sk_warnings
    for name, a, b in zip(["precision", "recall", "thresholds"], got, want):
        np.testing.assert_array_equal(a, b, err_msg=name)  # bit for bit, weighted too
        assert a.dtype == b.dtype, name


@given(problem=binary_problem(max_rows=40))
@example(problem=ALL_ZERO)
def test_exact_sweep_matches_sklearn_at_every_score(problem):
    y, s, w, _ = problem
    if all_zero(w):
        assert_refused_as_sklearn(
            lambda: threshold_sweep(y, s, thresholds="exact", sample_weight=w),
            lambda: skm.precision_recall_curve(y, s, sample_weight=w))
        return
    sweep = threshold_sweep(y, s, thresholds="exact", sample_weight=w)
    assert sweep.exact
    kept = s if w is None else s[w != 0]  # zero-weight rows make no threshold, as in sklearn
    np.testing.assert_array_equal(sweep.thresholds, np.unique(kept))
    assert_counts(sweep, y, s, w, sweep.thresholds)
    assert_scores_match_sklearn(sweep, y, s, w, 1.0)


def test_no_positive_warning_and_big_curve():
    with pytest.warns(UserWarning, match="No positive class found in y_true"):
        _, recall, _ = precision_recall_curve([0, 0, 0], [0.1, 0.5, 0.5])
    np.testing.assert_array_equal(recall, [1, 1, 0])
    rng = np.random.default_rng(5)
    y = rng.integers(0, 2, 200_000)
    s = np.round(rng.random(200_000), 4)
    w = rng.integers(0, 3, 200_000)
    for kwargs in ({}, {"sample_weight": w}, {"drop_intermediate": True}):
        for a, b in zip(precision_recall_curve(y, s, **kwargs),
                        skm.precision_recall_curve(y, s, **kwargs)):
            np.testing.assert_array_equal(a, b)


# ---- additivity, pickling, Dask -----------------------------------------------------


@given(problem=binary_problem(), cut=st.floats(0, 1))
def test_sweeps_add_like_the_union_of_rows(problem, cut):
    y, s, w, grid_arg = problem
    assume(w is None or w.any())
    k = int(cut * y.shape[0])
    assume(0 < k < y.shape[0])
    assume(w is None or (w[:k].any() and w[k:].any()))
    for grid in (grid_arg, "exact"):
        parts = [threshold_sweep(y[a], s[a], thresholds=grid,
                                 sample_weight=None if w is None else w[a])
                 for a in (slice(0, k), slice(k, None))]
        whole = threshold_sweep(y, s, thresholds=grid, sample_weight=w)
        total = parts[0] + parts[1]
        np.testing.assert_array_equal(total.thresholds, whole.thresholds)
        for a, b in zip((total.tp, total.fp, total.fn, total.tn),
                        (whole.tp, whole.fp, whole.fn, whole.tn)):
            np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)


def test_adding_mismatched_sweeps_is_an_error():
    a = threshold_sweep([0, 1], [0.2, 0.7], thresholds=5)
    with pytest.raises(ValueError, match="different threshold grids"):
        a + threshold_sweep([0, 1], [0.2, 0.7], thresholds=6)
    with pytest.raises(ValueError, match="exact sweep and a grid"):
        a + threshold_sweep([0, 1], [0.2, 0.7], thresholds="exact")
    with pytest.raises(ValueError, match="cannot add sweeps of"):
        a + threshold_sweep([[0, 1]], [[0.2, 0.7]], thresholds=5)
    with pytest.raises(TypeError):
        a + 1
    restored = pickle.loads(pickle.dumps(a))
    np.testing.assert_array_equal(restored.tp, a.tp)


def test_dask_chunks_sum_to_the_numpy_sweep():
    da = pytest.importorskip("dask.array")
    rng = np.random.default_rng(9)
    n = 5000
    y = rng.integers(0, 2, n)
    s = rng.random(n)
    w = rng.random(n)
    Y = (rng.random((n, 3)) < 0.3).astype(np.int8)
    S = rng.random((n, 3)).astype(np.float32)
    chunks = (1, 999, 0, 2000, 1500, 500)
    dy, ds, dw = (da.from_array(x, chunks=chunks) for x in (y, s, w))
    for grid in (101, np.linspace(0.2, 0.8, 13), "exact"):
        for weights, dweights in ((None, None), (w, dw)):
            got = threshold_sweep(dy, ds, thresholds=grid, sample_weight=dweights)
            want = threshold_sweep(y, s, thresholds=grid, sample_weight=weights)
            np.testing.assert_array_equal(got.thresholds, want.thresholds)
            for a, b in zip((got.tp, got.fp, got.fn, got.tn), (want.tp, want.fp, want.fn, want.tn)):
                np.testing.assert_allclose(a, b, rtol=1e-12)
    got = threshold_sweep(da.from_array(Y, chunks=(700, 2)), da.from_array(S, chunks=(900, 3)))
    np.testing.assert_array_equal(got.tp, threshold_sweep(Y, S).tp)
    with pytest.raises(TypeError, match="mix of Dask and in-memory"):
        threshold_sweep(dy, s)


# ---- errors -------------------------------------------------------------------------


@pytest.mark.parametrize("grid", [11, "exact"])
@pytest.mark.parametrize("y, s, kwargs, error, match", [
    ([0, 1, 1], [0.1, np.nan, 0.3], {}, ValueError, "y_score contains 1 NaN or inf"),
    ([0, 1, 1], [0.1, np.inf, 0.3], {}, ValueError, "y_score contains 1 NaN or inf"),
    ([0, 1, 2], [0.1, 0.2, 0.3], {}, ValueError, r"takes value in \{0, 1, 2\}"),
    (["a", "b"], [0.1, 0.2], {}, ValueError, "pass pos_label explicitly"),
    ([0.0, np.nan], [0.1, 0.2], {}, ValueError, "y_true contains NaN"),
    ([0.0, np.nan], [0.1, 0.2], {"pos_label": 1}, ValueError, "y_true contains NaN"),
    ([0, 1], [0.1, 0.2, 0.3], {}, ValueError, "inconsistent numbers of samples"),
    ([0, 1], [[0.1, 0.2], [0.3, 0.4]], {}, ValueError, "both be 1-D"),
    ([], [], {}, ValueError, "Found empty input array"),
    ([0, 1], [0.1, 0.2], {"sample_weight": [1.0, np.nan]}, ValueError, "sample_weight contains 1"),
    ([0, 1], [0.1, 0.2], {"sample_weight": [0, 0]}, ValueError, "at least one non-zero"),
    ([0, 1], ["x", "y"], {}, TypeError, "y_score must hold numbers"),
    ([[0, 2]], [[0.1, 0.2]], {}, ValueError, r"other than 0 and 1 \(multilabel"),
    ([[0, 1]], [[0.1, 0.2]], {"pos_label": "a"}, ValueError, "pos_label is for 1-D"),
], ids=["nan", "inf", "multiclass", "strings", "nan-truth", "nan-truth-pos", "length", "ndim",
        "empty", "nan-weight", "zero-weights", "str-scores", "multilabel-2", "multilabel-pos"])
def test_clear_errors(y, s, kwargs, error, match, grid):
    with pytest.raises(error, match=match):
        threshold_sweep(np.array(y), np.array(s), thresholds=grid, **kwargs)


@pytest.mark.parametrize("grid, match", [
    (0, "at least 1"), (-3, "at least 1"), ("linear", "'exact'"), ([0.5, 0.2], "strictly"),
    ([0.2, 0.2], "strictly"), ([0.1, np.nan], "NaN or inf"), ([[0.1, 0.2]], "1-D"),
    ([], "non-empty"), (["a"], "an int, an array"), (True, "non-empty")])
def test_bad_thresholds(grid, match):
    with pytest.raises(ValueError, match=match):
        threshold_sweep([0, 1], [0.2, 0.7], thresholds=grid)


def test_precision_recall_curve_rejects_multilabel():
    with pytest.raises(ValueError, match="multilabel-indicator format is not supported"):
        precision_recall_curve([[0, 1]], [[0.1, 0.2]])


def test_exact_multilabel_sweeps_add_and_run_on_dask():
    """Found in review: exact multilabel sweeps could not be added (so not Dask-swept)."""
    T = np.array([[0, 1], [1, 0], [1, 1], [0, 0]])
    S = np.array([[0.2, 0.4], [0.6, 0.1], [0.9, 0.5], [0.3, 0.3]])
    whole = threshold_sweep(T, S, thresholds="exact")
    added = threshold_sweep(T[:2], S[:2], thresholds="exact") + threshold_sweep(
        T[2:], S[2:], thresholds="exact")
    for a, b in zip((added.thresholds, added.tp, added.fp, added.fn, added.tn),
                    (whole.thresholds, whole.tp, whole.fp, whole.fn, whole.tn)):
        np.testing.assert_array_equal(a, b)
    da = pytest.importorskip("dask.array")
    lazy = threshold_sweep(da.from_array(T, chunks=(3, 2)), da.from_array(S, chunks=(3, 2)),
                           thresholds="exact")
    np.testing.assert_array_equal(lazy.tp, whole.tp)
    np.testing.assert_array_equal(lazy.tn, whole.tn)


@pytest.mark.parametrize("scores", [np.array([0.1, 0.9, 0.4, 0.3, 0.9], np.float16),
                                    np.array([0, 1, 0, 1, 1], bool)], ids=["float16", "bool"])
def test_precision_recall_curve_keeps_the_score_dtype(scores):
    y_true = np.array([0, 1, 1, 0, 1])
    ours = precision_recall_curve(y_true, scores)
    theirs = skm.precision_recall_curve(y_true, scores)
    for a, b in zip(ours, theirs):
        assert a.dtype == b.dtype
        np.testing.assert_array_equal(a, b)
