"""ScoreHistogram against scikit-learn: bounded AUC / AP always hold, sums match, merging."""

from __future__ import annotations

import json
import pickle
import threading
import time
import warnings

import numpy as np
import pytest
import sklearn.metrics
from hypothesis import given
from hypothesis import strategies as st
from sklearn.calibration import calibration_curve
from sklearn.metrics import (
    average_precision_score,
    brier_score_loss,
    f1_score,
    log_loss,
    roc_auc_score,
    roc_curve,
)

import fastf1
from fastf1 import ScoreHistogram
from fastf1._kernels import histogram as kern

SMALL_BINS = [64, 256, 4096]


def _sk(func, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return func(*args, **kwargs)


def _realistic(n, seed=0, dtype=np.float32):
    rng = np.random.default_rng(seed)
    y = (rng.random(n) < 0.1).astype(np.int8)
    z = rng.normal(0.0, 1.5, n) + np.where(y == 1, 2.0, -1.0)
    return y, (1.0 / (1.0 + np.exp(-z))).astype(dtype)


# ---- scores: kinds of data, adversarial ones included ---------------------------------

@st.composite
def scored(draw, max_rows=60):
    """(y_true 0/1 with both classes, scores, weights or None)."""
    n = draw(st.integers(2, max_rows))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    kind = draw(st.sampled_from(["probs", "logits", "one_bin", "near_equal", "ties", "extreme",
                                 "mixed_sign_tiny", "float32", "float16", "ints"]))
    if kind == "probs":
        s = rng.random(n)
    elif kind == "logits":
        s = rng.normal(0.0, 4.0, n)
    elif kind == "one_bin":  # distinct values all in one bin of every binning
        s = 0.5 + rng.random(n) * 2.0**-40
    elif kind == "near_equal":  # a few values one ulp apart: distinct, in the same bins
        base = np.array([0.3, 0.7, 0.7 + 2.0**-30])
        s = np.nextafter(base[rng.integers(0, 3, n)], 1.0) if draw(st.booleans()) else \
            base[rng.integers(0, 3, n)] + rng.integers(0, 3, n) * 2.0**-50
    elif kind == "ties":
        s = rng.choice([0.0, -0.0, 0.25, 0.5, 1.0], n)
    elif kind == "extreme":
        s = rng.choice([-1e300, -3.0, -1e-310, 0.0, 5e-324, 1e-30, 2.0**-24, 255.9, 1e30, 1e300], n)
    elif kind == "mixed_sign_tiny":
        s = rng.normal(0.0, 1e-20, n)
    elif kind == "float32":
        s = rng.random(n).astype(np.float32)
    elif kind == "float16":  # few distinct values, many exact ties
        s = rng.random(n).astype(np.float16)
    else:
        s = rng.integers(-3, 4, n)
    y = (rng.random(n) < draw(st.sampled_from([0.1, 0.5, 0.9]))).astype(np.int64)
    y[0], y[1] = 0, 1
    w = None
    if draw(st.booleans()):
        w = rng.choice([0.0, 0.5, 1.0, 3.0], n) if draw(st.booleans()) else rng.random(n) * 10
        w[0] = w[1] = 1.0
    return y, s, w


@given(scored(), st.sampled_from(SMALL_BINS + [fastf1.histogram.DEFAULT_BINS]))
def test_auc_and_ap_within_bound(data, bins):
    y, s, w = data
    h = ScoreHistogram(bins).update(y, s, sample_weight=w)
    auc, ap = roc_auc_score(y, s, sample_weight=w), average_precision_score(y, s, sample_weight=w)
    assert abs(h.roc_auc_score() - auc) <= h.roc_auc_error_bound()
    assert abs(h.average_precision_score() - ap) <= h.average_precision_error_bound()


@given(scored(), st.sampled_from(SMALL_BINS))
def test_roc_points_are_exact_points(data, bins):
    y, s, w = data
    h = ScoreHistogram(bins).update(y, s, sample_weight=w)
    fpr, tpr, thr = h.roc_curve(drop_intermediate=False)
    efpr, etpr, _ = _sk(roc_curve, y, s, sample_weight=w, drop_intermediate=False)
    exact_points = np.stack([efpr, etpr], axis=1)
    assert thr[0] == np.inf and (np.diff(thr) < 0).all()
    for f, t in zip(fpr, tpr):  # each point is one of the exact curve's points
        gap = np.abs(exact_points - [f, t]).max(axis=1)
        assert gap.min() <= 1e-12


def test_one_bin_bound_is_the_whole_range():
    y = np.array([0, 1, 0, 1])
    s = 0.5 + np.array([1, 2, 3, 4]) * 2.0**-45  # distinct, one bin
    h = ScoreHistogram(64).update(y, s)
    assert h.roc_auc_score() == 0.5
    assert h.roc_auc_error_bound() == pytest.approx(0.5)


def test_exact_ties_cost_nothing():
    y = np.array([0, 1, 0, 1, 1, 0])
    s = np.array([0.25, 0.25, 0.75, 0.75, 0.5, 0.1])
    h = ScoreHistogram(1024).update(y, s)  # 16 bins a binade: one value a bin
    assert h.roc_auc_score() == roc_auc_score(y, s)
    assert h.roc_auc_error_bound() == kern_rounding(h)
    assert h.average_precision_score() == pytest.approx(average_precision_score(y, s), rel=1e-15)
    assert h.average_precision_error_bound() == kern_rounding(h)


def kern_rounding(h):
    return fastf1.histogram.rounding_allowance(h.n_rows, h.weighted)


def assert_same_bins(a, b):
    """The same bins, smallest and largest scores and rows; the same counts, or weight sums
    equal up to the order of float64 summation."""
    sa, sb = a.__getstate__(), b.__getstate__()
    np.testing.assert_array_equal(sa["_used"], sb["_used"])
    np.testing.assert_array_equal(sa["_records"][:, kern.LO:], sb["_records"][:, kern.LO:])
    np.testing.assert_array_equal(a._rows, b._rows)
    assert a.weighted == b.weighted and a._span == b._span
    if a.weighted:
        np.testing.assert_allclose(sa["_records"][:, :2].view(np.float64),
                                   sb["_records"][:, :2].view(np.float64), rtol=1e-12)
    else:
        np.testing.assert_array_equal(sa["_records"], sb["_records"])


@given(scored(), st.sampled_from(SMALL_BINS), st.integers(-960, 1000))
def test_weights_of_any_magnitude(data, bins, k):
    # AUC and AP are unchanged by scaling the weights; 2**k scales them exactly (the weights
    # stay normal floats), so scikit-learn on the unscaled weights gives the exact value
    y, s, w = data
    w = np.ones(len(y)) if w is None else w
    h = ScoreHistogram(bins).update(y, s, sample_weight=np.ldexp(w, k))
    auc = roc_auc_score(y, s, sample_weight=w)
    ap = average_precision_score(y, s, sample_weight=w)
    assert abs(h.roc_auc_score() - auc) <= h.roc_auc_error_bound()
    assert abs(h.average_precision_score() - ap) <= h.average_precision_error_bound()


@pytest.mark.parametrize("scale", [1e-300, 1e-200, 1e-162, 1e155, 1e300])
def test_weights_of_extreme_magnitude(scale):
    rng = np.random.default_rng(0)
    y, s, w = rng.integers(0, 2, 50), rng.random(50), rng.random(50)
    for bins in (64, 1024):
        h = ScoreHistogram(bins).update(y, s, sample_weight=w * scale)
        for got, bound, func in [(h.roc_auc_score(), h.roc_auc_error_bound(), roc_auc_score),
                                 (h.average_precision_score(),
                                  h.average_precision_error_bound(), average_precision_score)]:
            assert abs(got - func(y, s, sample_weight=w)) <= bound
            assert abs(got - func(y, s, sample_weight=w * scale)) <= bound
    y, s, w = [0, 1, 0, 1], [0.1, 0.4, 0.35, 0.8], np.full(4, scale)
    assert fastf1.roc_auc_score(y, s, sample_weight=w, bins=1024) == 1.0
    assert fastf1.average_precision_score(y, s, sample_weight=w, bins=1024) == 1.0


def test_rounding_allowance_covers_weighted_summation():
    # scikit-learn's cumulative weights absorb the unit weights next to 2**53 (its answer is
    # 0.0; the exact AUC is 1e5 / (2 (2**53 + 1e5))): the allowance covers both
    n = 100_000
    s = np.r_[10.0, 9.0, np.linspace(8, 1, n), 0.5]
    y = np.r_[0, 1, np.zeros(n, int), 1]
    w = np.r_[2.0**53, 1.0, np.ones(n), 1.0]
    h = ScoreHistogram(1024).update(y, s, sample_weight=w)
    assert abs(h.roc_auc_score() - roc_auc_score(y, s, sample_weight=w)) <= \
        h.roc_auc_error_bound()
    assert abs(h.average_precision_score() - average_precision_score(y, s, sample_weight=w)) \
        <= h.average_precision_error_bound()
    assert h.roc_auc_error_bound() == fastf1.histogram.rounding_allowance(n + 3, True)


def test_minus_zero_ties_with_zero():
    h = ScoreHistogram(64).update([0, 1], [-0.0, 0.0])
    assert h.roc_auc_score() == 0.5
    assert h.roc_auc_error_bound() == kern_rounding(h)


def test_realistic_goals_at_1e5_rows():
    y, s = _realistic(10**5)
    h = ScoreHistogram().update(y, s)
    assert h.roc_auc_error_bound() <= 1e-5
    assert h.average_precision_error_bound() <= 1e-4
    assert abs(h.roc_auc_score() - roc_auc_score(y, s)) <= h.roc_auc_error_bound()


# ---- bins are monotone ------------------------------------------------------------------

@given(st.lists(st.floats(allow_nan=False, allow_infinity=False), min_size=2, max_size=50),
       st.sampled_from([0, 2, 8, 14, 18]))
def test_bin_of_is_monotone(values, m):
    v = np.sort(np.array(values, np.float64) + 0.0)
    center = kern.magnitude_bins(m) - 1
    b = np.array([kern.bin_of(x, m, center) for x in v])
    assert (np.diff(b) >= 0).all()
    assert ((b >= 0) & (b < kern.n_bins(m))).all()
    # equal values share a bin (so do -0.0 and 0.0)
    assert kern.bin_of(-0.0 + 0.0, m, center) == kern.bin_of(0.0, m, center)


def test_resolution_is_relative():
    m = 14
    center = kern.magnitude_bins(m) - 1
    for x in (1e-7, 0.3, 0.999, 3.0, 100.0, -0.01):
        a, b = kern.bin_of(x, m, center), kern.bin_of(x * (1 + 2.0**-13), m, center)
        assert a != b


# ---- sums: log loss, Brier, calibration, thresholds --------------------------------------

@given(st.integers(2, 80), st.integers(0, 2**32 - 1), st.booleans(),
       st.sampled_from([np.float64, np.float32]))
def test_sums_match_sklearn(n, seed, weighted, dtype):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, n)
    y[:2] = [0, 1]
    s = rng.choice([0.0, 1.0, 0.5, 1e-20], n) if seed % 5 == 0 else rng.random(n)
    s = s.astype(dtype)
    w = rng.random(n) * 3 if weighted else None
    h = ScoreHistogram(256).update(y[: n // 2], s[: n // 2],
                                   None if w is None else w[: n // 2])
    h.update(y[n // 2:], s[n // 2:], None if w is None else w[n // 2:])
    rel = 1e-9 if dtype == np.float64 else 1e-5  # scikit-learn rounds float32 in float32
    assert h.log_loss() == pytest.approx(log_loss(y, s, sample_weight=w), rel=rel)
    assert h.log_loss(normalize=False) == pytest.approx(
        log_loss(y, s, sample_weight=w, normalize=False), rel=rel)
    assert h.brier_score_loss() == pytest.approx(brier_score_loss(y, s, sample_weight=w), rel=rel)
    if w is None:
        for got, want in zip(h.calibration_curve(), calibration_curve(y, s, n_bins=10)):
            np.testing.assert_allclose(got, want, rtol=1e-12)


def test_calibration_and_ece():
    y, s = _realistic(5000, seed=3, dtype=np.float64)
    h = ScoreHistogram(256, calibration_bins=7).update(y, s)
    prob_true, prob_pred = calibration_curve(y, s, n_bins=7)
    np.testing.assert_allclose(h.calibration_curve()[0], prob_true, rtol=1e-12)
    np.testing.assert_allclose(h.calibration_curve()[1], prob_pred, rtol=1e-12)
    binids = np.searchsorted(np.linspace(0, 1, 8)[1:-1], s)
    ece = sum(abs(y[binids == b].mean() - s[binids == b].mean()) * (binids == b).sum()
              for b in np.unique(binids)) / s.size
    assert h.expected_calibration_error() == pytest.approx(ece, rel=1e-12)


def test_f1_at_threshold_and_best():
    y, s = _realistic(3000, seed=4, dtype=np.float64)
    h = ScoreHistogram(1 << 16).update(y, s)
    for thr in (0.5, 0.25, 0.125):  # binade edges: always exact
        assert h.f1_score(thr) == f1_score(y, s >= thr)
    thr, best = h.best_f1_threshold()
    assert best == pytest.approx(f1_score(y, s >= thr), rel=1e-15)
    candidates = np.unique(s)
    assert best >= max(f1_score(y, s >= t) for t in candidates[::50]) - 1e-12


def test_threshold_inside_a_mixed_bin_warns():
    h = ScoreHistogram(64).update([0, 1, 1], [0.3, 0.3 + 2.0**-30, 1.5])
    with pytest.warns(UserWarning, match="falls inside a bin"):
        tp, fp, fn, tn = h.confusion_at(0.3 + 2.0**-31)
    assert (tp, fp, fn, tn) == (1, 0, 1, 1)


def test_log_loss_errors():
    h = ScoreHistogram(64).update([0, 1], [0.2, 1.5])
    with pytest.raises(ValueError, match="greater than 1"):
        h.log_loss()
    with pytest.raises(ValueError, match="outside"):
        h.calibration_curve()
    h = ScoreHistogram(64).update([1, 1], [0.2, 0.5])
    with pytest.raises(ValueError, match="only one label"):
        h.log_loss()
    assert h.log_loss(labels=[0, 1]) == pytest.approx(log_loss([1, 1], [0.2, 0.5], labels=[0, 1]))
    mixed = ScoreHistogram(64).update([0, 1], np.array([0.2, 0.5], np.float32))
    mixed.update([0, 1], [0.2, 0.5])
    with pytest.raises(ValueError, match="float32 and float64"):
        mixed.log_loss()


def test_one_class_as_sklearn():
    h = ScoreHistogram(64).update([0, 0], [0.1, 0.2])
    with pytest.warns(fastf1.UndefinedMetricWarning, match="Only one class"):
        assert np.isnan(h.roc_auc_score())
    with pytest.warns(UserWarning, match="No positive class"):
        assert h.average_precision_score() == 0.0


# ---- merging, chunks, pickles -------------------------------------------------------------

@given(scored(max_rows=40), st.integers(1, 5), st.randoms(use_true_random=False))
def test_merge_in_any_order_gives_the_same_counts(data, parts, rnd):
    y, s, w = data
    whole = ScoreHistogram(256).update(y, s, sample_weight=w)
    cuts = sorted(rnd.sample(range(1, y.size), min(parts, y.size - 1)))
    pieces = []
    for lo, hi in zip([0, *cuts], [*cuts, y.size]):
        pieces.append(ScoreHistogram(256).update(y[lo:hi], s[lo:hi],
                                                 None if w is None else w[lo:hi]))
    rnd.shuffle(pieces)
    total = ScoreHistogram(256)
    for p in pieces:
        total = total + p
    assert_same_bins(whole, total)
    for h in (whole, total):  # the log-loss sum, whatever its split into ln 2's and the rest
        h._sums[kern.S_LOG] += np.log(2) * h._sums[kern.S_LOG2]
        h._sums[kern.S_LOG2] = 0.0
    np.testing.assert_allclose(whole._sums, total._sums, rtol=1e-12, atol=1e-300)
    assert total.roc_auc_score() == pytest.approx(whole.roc_auc_score(), rel=1e-12)


def test_threads_equal_one_thread(monkeypatch):
    y, s = _realistic(200_000, seed=5)
    w = np.random.default_rng(1).random(y.size)
    threaded = ScoreHistogram(1 << 12).update(y, s, sample_weight=w)
    monkeypatch.setattr(fastf1.histogram, "row_ranges", lambda n: [(0, n)])
    single = ScoreHistogram(1 << 12).update(y, s, sample_weight=w)
    assert_same_bins(threaded, single)
    assert threaded.roc_auc_score() == pytest.approx(single.roc_auc_score(), rel=1e-12)


def test_pickle_round_trip_and_empty_chunks():
    y, s = _realistic(1000, seed=6)
    h = ScoreHistogram(1 << 12).update(y, s).update([], [])
    back = pickle.loads(pickle.dumps(h))
    assert back == h
    assert back.roc_auc_score() == h.roc_auc_score()
    assert len(pickle.dumps(h)) < 100_000
    back.update(y, s)
    assert back.n_rows == 2 * h.n_rows
    empty = ScoreHistogram(1 << 12)
    assert pickle.loads(pickle.dumps(empty)) == empty
    assert (empty + h) == h and (h + empty) == h


def test_weighted_merges_with_unweighted():
    y, s = _realistic(500, seed=7, dtype=np.float64)
    a = ScoreHistogram(256).update(y[:200], s[:200])
    b = ScoreHistogram(256).update(y[200:], s[200:], sample_weight=np.full(300, 2.0))
    w = np.r_[np.ones(200), np.full(300, 2.0)]
    for h in (a + b, b + a, ScoreHistogram(256).update(y[:200], s[:200]).update(
            y[200:], s[200:], sample_weight=np.full(300, 2.0))):
        assert abs(h.roc_auc_score() - roc_auc_score(y, s, sample_weight=w)) <= \
            h.roc_auc_error_bound()


def test_minus_one_one_labels_and_bool():
    s = np.array([0.1, 0.8, 0.4, 0.9])
    a = ScoreHistogram(64).update([-1, 1, -1, 1], s)
    b = ScoreHistogram(64).update(np.array([False, True, False, True]), s)
    assert a == b


def test_errors():
    with pytest.raises(ValueError, match="power of two"):
        ScoreHistogram(1000)
    with pytest.raises(TypeError, match="bins must be an int"):
        ScoreHistogram(2.0**20)
    with pytest.raises(ValueError, match="calibration_bins"):
        ScoreHistogram(calibration_bins=0)
    h = ScoreHistogram(64)
    with pytest.raises(ValueError, match="empty"):
        h.roc_auc_score()
    with pytest.raises(ValueError, match="y_true takes value in"):
        h.update([0, 2], [0.1, 0.2])
    with pytest.raises(ValueError, match="NaN or inf"):
        h.update([0, 1], [0.1, np.nan])
    with pytest.raises(ValueError, match="negative"):
        h.update([0, 1], [0.1, 0.2], sample_weight=[1.0, -1.0])
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        h.update([0, 1], [0.1])
    with pytest.raises(ValueError, match="1-D"):
        h.update([0, 1], [[0.1, 0.2, 0.3], [0.1, 0.2, 0.3]])
    with pytest.raises(TypeError, match="numbers"):
        h.update([0, 1], ["a", "b"])
    assert h.n_rows == 0  # failed chunks count nothing
    with pytest.raises(ValueError, match="different binning"):
        ScoreHistogram(64) + ScoreHistogram(128)
    big = np.zeros(1 << 17, np.int8)
    big[-1] = 5
    h = ScoreHistogram(64).update([0, 1], [0.1, 0.2])
    with pytest.raises(ValueError, match="y_true takes value in"):
        h.update(big, np.zeros(big.size))
    assert h.n_rows == 2  # a failed threaded chunk leaves the histogram as it was


def test_docstring_examples():
    import doctest

    result = doctest.testmod(fastf1.histogram, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0


def test_calibration_edges_are_linspace():
    for n in range(1, 1001):
        step = fastf1.histogram._cal_step(n)
        np.testing.assert_array_equal(np.arange(1, n) * step, np.linspace(0, 1, n + 1)[1:-1])


@given(st.lists(st.floats(0.0, 1.0), min_size=1, max_size=40), st.integers(1, 40))
def test_cal_index_is_searchsorted(values, n):
    step = fastf1.histogram._cal_step(n)
    edges = np.linspace(0, 1, n + 1)[1:-1]
    v = np.array(values + [k * step for k in range(n)])
    v = v[(v >= 0) & (v <= 1)]
    got = [kern.cal_index(x, n, step) for x in v]
    np.testing.assert_array_equal(got, np.searchsorted(edges, v))


def test_log_is_libm_within_ulps():
    x = np.concatenate([np.geomspace(2.0**-1022, 1.0, 2000), 1 - np.geomspace(1e-16, 0.5, 500),
                        np.random.default_rng(0).random(2000)])
    got = np.array([kern.log(v) for v in x])
    np.testing.assert_allclose(got, np.log(x), rtol=4e-16, atol=0)


# ---- bins= in the ranking functions ---------------------------------------------------------

def _per_column(y_ind, s, w, bins):
    return [ScoreHistogram(bins).update(y_ind[:, k], s[:, k], sample_weight=w)
            for k in range(s.shape[1])]


@given(st.integers(0, 2**32 - 1), st.sampled_from([64, 1024]), st.booleans(),
       st.sampled_from(["ovr", "ovo"]))
def test_bins_in_roc_auc_score_multiclass(seed, bins, weighted, multi_class):
    rng = np.random.default_rng(seed)
    n, k = 60, 3
    y = rng.integers(0, k, n)
    y[:k] = np.arange(k)
    p = rng.dirichlet(np.ones(k), n)
    w = rng.random(n) + 0.1 if weighted and multi_class == "ovr" else None
    for average in (("macro", "weighted", None, "micro") if multi_class == "ovr"
                    else ("macro", "weighted")):
        got = fastf1.roc_auc_score(y, p, multi_class=multi_class, average=average,
                                   sample_weight=w, bins=bins)
        want = roc_auc_score(y, p, multi_class=multi_class, average=average, sample_weight=w)
        if multi_class == "ovr" and average != "micro":
            hists = _per_column((y[:, None] == np.arange(k)).astype(int), p, w, bins)
            bound = max(h.roc_auc_error_bound() for h in hists)
        else:
            bound = 0.5  # ovo and micro: checked within the trivial bound, and run
        np.testing.assert_array_less(np.abs(np.asarray(got) - want), bound + 1e-12)
    if multi_class == "ovr":
        per_class = fastf1.roc_auc_score(y, p, multi_class="ovr", average=None,
                                         sample_weight=w, bins=bins)
        hists = _per_column((y[:, None] == np.arange(k)).astype(int), p, w, bins)
        np.testing.assert_array_equal(per_class, [h.roc_auc_score() for h in hists])


@given(st.integers(0, 2**32 - 1), st.sampled_from([64, 4096]))
def test_bins_in_average_precision_multilabel(seed, bins):
    rng = np.random.default_rng(seed)
    y = (rng.random((50, 3)) < 0.4).astype(int)
    y[0], y[1] = 1, 0
    s = rng.random((50, 3))
    got = fastf1.average_precision_score(y, s, average=None, bins=bins)
    hists = _per_column(y, s, None, bins)
    want = average_precision_score(y, s, average=None)
    np.testing.assert_array_equal(got, [h.average_precision_score() for h in hists])
    assert (np.abs(got - want) <= [h.average_precision_error_bound() for h in hists]).all()
    macro = fastf1.average_precision_score(y, s, bins=bins)
    assert macro == pytest.approx(np.mean(got), rel=1e-12)


def test_bins_in_binary_functions():
    y, s = _realistic(2000, seed=9, dtype=np.float64)
    h = ScoreHistogram(1 << 12).update(y, s)
    assert fastf1.roc_auc_score(y, s, bins=1 << 12) == h.roc_auc_score()
    assert fastf1.average_precision_score(y, s, bins=1 << 12) == h.average_precision_score()
    for got, want in zip(fastf1.roc_curve(y, s, bins=1 << 12), h.roc_curve()):
        np.testing.assert_array_equal(got, want)
    with pytest.raises(ValueError, match="max_fpr"):
        fastf1.roc_auc_score(y, s, bins=1 << 12, max_fpr=0.5)
    with pytest.raises(ValueError, match="power of two"):
        fastf1.roc_auc_score(y, s, bins=1000)
    with pytest.warns(fastf1.UndefinedMetricWarning, match="Only one class"):
        assert np.isnan(fastf1.roc_auc_score([0, 0], [0.1, 0.2], bins=64))


@pytest.mark.parametrize("func", ["roc_auc_score", "average_precision_score", "roc_curve"])
def test_bins_refuse_all_zero_weights_as_sklearn(func):
    y, s, w = [0, 1, 0, 1], [0.1, 0.4, 0.35, 0.8], [0, 0, 0, 0]
    with pytest.raises(ValueError) as want:
        getattr(sklearn.metrics, func)(y, s, sample_weight=w)
    with pytest.raises(ValueError) as got:
        getattr(fastf1, func)(y, s, sample_weight=w, bins=1024)
    assert str(got.value) == str(want.value)


def test_dask_partitions_add_up():
    da = pytest.importorskip("dask.array")
    fastf1_dask = pytest.importorskip("fastf1.dask")
    y, s = _realistic(20_000, seed=11)
    w = np.random.default_rng(2).random(y.size)
    whole = ScoreHistogram(1 << 12).update(y, s, sample_weight=w)
    lazy = fastf1_dask.score_histogram(da.from_array(y, chunks=3000), da.from_array(s, chunks=3000),
                                       sample_weight=da.from_array(w, chunks=3000), bins=1 << 12)
    got = lazy.compute()
    assert_same_bins(got, whole)
    assert got.roc_auc_score() == pytest.approx(whole.roc_auc_score(), rel=1e-12)
    assert got.log_loss() == pytest.approx(whole.log_loss(), rel=1e-12)
    h = ScoreHistogram(1 << 12).update(da.from_array(y, chunks=5000), da.from_array(s, chunks=5000),
                                       da.from_array(w, chunks=5000))
    assert_same_bins(h, whole)


@given(st.integers(0, 2**32 - 1), st.booleans(), st.sampled_from([np.float32, np.float64]),
       st.booleans())
def test_bins_in_log_loss_and_brier(seed, weighted, dtype, half):
    rng = np.random.default_rng(seed)
    n = 40
    y = rng.choice(["no", "yes"], n)
    y[:2] = ["no", "yes"]
    p = rng.random(n).astype(dtype)
    w = rng.random(n) if weighted else None
    rel = 1e-9 if dtype == np.float64 else 1e-5
    assert fastf1.log_loss(y, p, sample_weight=w, bins=64) == pytest.approx(
        log_loss(y, p, sample_weight=w), rel=rel)
    assert fastf1.log_loss(y, p, sample_weight=w, normalize=False, bins=64) == pytest.approx(
        log_loss(y, p, sample_weight=w, normalize=False), rel=rel)
    assert fastf1.brier_score_loss(y, p, sample_weight=w, pos_label="yes", bins=64,
                                   scale_by_half=half) == pytest.approx(
        brier_score_loss(y, p, sample_weight=w, pos_label="yes", scale_by_half=half), rel=rel)


def test_bins_in_losses_is_binary_only():
    p = np.full((4, 3), 1 / 3)
    with pytest.raises(ValueError, match="binary probabilities"):
        fastf1.log_loss([0, 1, 2, 0], p, bins=64)
    with pytest.raises(ValueError, match="binary probabilities"):
        fastf1.brier_score_loss([0, 1, 2, 0], p, bins=64)
    with pytest.raises(ValueError, match="power of two"):
        fastf1.log_loss([0, 1], [0.2, 0.7], bins=3)


def _same_sums(a, b):
    """Equal log loss, Brier and calibration sums up to the order of float64 summation."""
    for h in (a, b):
        assert h._eps == b._eps
    np.testing.assert_allclose(
        a._sums[kern.S_LOG] + np.log(2) * a._sums[kern.S_LOG2],
        b._sums[kern.S_LOG] + np.log(2) * b._sums[kern.S_LOG2], rtol=1e-12, atol=1e-300)
    rest = [i for i in range(kern.NSUMS) if i not in (kern.S_LOG, kern.S_LOG2)]
    np.testing.assert_allclose(a._sums[rest], b._sums[rest], rtol=1e-12, atol=1e-300)
    np.testing.assert_allclose(a._cal, b._cal, rtol=1e-12, atol=1e-300)


@given(scored(max_rows=80), st.integers(1, 6), st.sampled_from(["int", "str", "float"]),
       st.sampled_from([64, 4096]), st.integers(0, 2**32 - 1))
def test_by_group_is_each_group_alone(data, n_groups, kind, bins, seed):
    y, s, w = data
    rng = np.random.default_rng(seed)
    g = rng.integers(0, n_groups, y.size)
    g = {"int": g * 7 - 3, "str": np.array([f"g{v}" for v in g]), "float": g / 4}[kind]
    hs = ScoreHistogram.by_group(y, s, g, sample_weight=w, bins=bins)
    assert list(hs) == sorted(set(g.tolist()))
    for key, h in hs.items():
        rows = g == key
        ww = None if w is None else w[rows]
        alone = ScoreHistogram(bins).update(y[rows], s[rows], sample_weight=ww)
        assert_same_bins(h, alone)
        _same_sums(h, alone)
        if 0 < y[rows].sum() < rows.sum() and (ww is None or ww[y[rows] == 1].sum() > 0):
            auc = _sk(roc_auc_score, y[rows], s[rows], sample_weight=ww)
            ap = _sk(average_precision_score, y[rows], s[rows], sample_weight=ww)
            if np.isfinite(auc):
                assert abs(h.roc_auc_score() - auc) <= h.roc_auc_error_bound()
            assert abs(h.average_precision_score() - ap) <= h.average_precision_error_bound()


def test_by_group_against_sklearn_per_group(monkeypatch):
    y, s = _realistic(6000, seed=12, dtype=np.float64)
    rng = np.random.default_rng(3)
    g = rng.choice(["x", "y", "z", "w"], y.size, p=[0.6, 0.3, 0.05, 0.05])
    w = rng.random(y.size)
    # two threads on a small input: each group's rows in two ranges
    monkeypatch.setattr(fastf1.histogram, "row_ranges", lambda n: [(0, n // 2), (n // 2, n)])
    for weights in (None, w):
        hs = ScoreHistogram.by_group(y, s, g, sample_weight=weights, bins=1 << 12,
                                     calibration_bins=5)
        assert list(hs) == ["w", "x", "y", "z"]
        for key, h in hs.items():
            r = g == key
            ww = None if weights is None else weights[r]
            assert h.n_rows == r.sum()
            auc = roc_auc_score(y[r], s[r], sample_weight=ww)
            ap = average_precision_score(y[r], s[r], sample_weight=ww)
            assert abs(h.roc_auc_score() - auc) <= h.roc_auc_error_bound()
            assert abs(h.average_precision_score() - ap) <= h.average_precision_error_bound()
            assert h.log_loss() == pytest.approx(log_loss(y[r], s[r], sample_weight=ww),
                                                 rel=1e-9)
            assert h.brier_score_loss() == pytest.approx(
                brier_score_loss(y[r], s[r], sample_weight=ww), rel=1e-9)
            if weights is None:
                for got, want in zip(h.calibration_curve(),
                                     calibration_curve(y[r], s[r], n_bins=5)):
                    np.testing.assert_allclose(got, want, rtol=1e-12)
    both = hs + ScoreHistogram.by_group(y, s, g, sample_weight=w, bins=1 << 12,
                                        calibration_bins=5)
    assert both["x"].n_rows == 2 * (g == "x").sum()
    per_group_auc = hs.map(lambda h: h.roc_auc_score())
    assert list(per_group_auc) == ["w", "x", "y", "z"]


def test_by_group_edges():
    assert ScoreHistogram.by_group([], [], [], bins=64) == {}
    hs = ScoreHistogram.by_group([-1, 1, -1, 1], [0.1, 0.8, 0.4, 0.9], [1, 1, 2, 2], bins=64)
    alone = ScoreHistogram(64).update([0, 1], [0.4, 0.9])
    assert_same_bins(hs[2], alone)
    _same_sums(hs[2], alone)
    with pytest.raises(ValueError, match="NaN or inf"):
        ScoreHistogram.by_group([0, 1], [0.1, np.nan], ["a", "b"], bins=64)
    with pytest.raises(ValueError, match="y_true takes value in"):
        ScoreHistogram.by_group([0, 2], [0.1, 0.2], ["a", "b"], bins=64)
    with pytest.raises(ValueError, match="missing"):
        ScoreHistogram.by_group([0, 1], [0.1, 0.2], ["a", None], bins=64)
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        ScoreHistogram.by_group([0, 1], [0.1, 0.2], ["a"], bins=64)
    hs = ScoreHistogram.by_group([0, 1], [0.2, 0.7], ["a", "a"], bins=64)
    assert pickle.loads(pickle.dumps(hs["a"])) == hs["a"]
    hs["a"].update([1], [0.9])  # a group's histogram counts on
    assert hs["a"].n_rows == 3


@pytest.mark.parametrize("weighted", [False, True])
def test_add_leaves_both_operands_unchanged(weighted):
    wa = [1.0, 2.0, 0.5, 1.5] if weighted else None
    wb = [2.0, 1.0] if weighted else None
    a = ScoreHistogram(1024).update([0, 1, 0, 1], [0.2, 0.7, 0.4, 0.9], wa)
    b = ScoreHistogram(1024).update([1, 1], [0.1, 0.1], wb)
    a0, b0 = pickle.loads(pickle.dumps(a)), pickle.loads(pickle.dumps(b))
    brier_a, brier_b = a.brier_score_loss(), b.brier_score_loss()
    c = a + b
    assert a == a0 and b == b0
    assert (a.brier_score_loss(), b.brier_score_loss()) == (brier_a, brier_b)
    c.update([0, 1], [0.3, 0.6], [1.0, 1.0] if weighted else None)
    (c + a).update([1], [0.5], [1.0] if weighted else None)
    assert a == a0 and b == b0
    assert (a.brier_score_loss(), b.brier_score_loss()) == (brier_a, brier_b)
    want = np.r_[[0, 1, 0, 1, 1, 1, 0, 1]], np.r_[0.2, 0.7, 0.4, 0.9, 0.1, 0.1, 0.3, 0.6]
    ww = None if not weighted else np.r_[wa, wb, 1.0, 1.0]
    assert c.brier_score_loss() == pytest.approx(brier_score_loss(*want, sample_weight=ww))


@given(st.integers(0, 2**32 - 1), st.sampled_from([None, 1 << 12]), st.booleans())
def test_groups_in_the_functions_are_each_group_alone(seed, bins, weighted):
    rng = np.random.default_rng(seed)
    n = 300
    y = rng.integers(0, 2, n)
    p = rng.random(n)
    g = rng.choice([3, 1, 2], n)
    y[:6] = [0, 1, 0, 1, 0, 1]
    g[:6] = [1, 1, 2, 2, 3, 3]
    w = rng.random(n) if weighted else None
    for name in ("roc_auc_score", "average_precision_score", "log_loss", "brier_score_loss"):
        got = getattr(fastf1, name)(y, p, sample_weight=w, bins=bins, groups=g)
        assert isinstance(got, fastf1.ByGroup) and list(got) == [1, 2, 3]
        for key, value in got.items():
            r = g == key
            ww = None if w is None else w[r]
            assert value == getattr(fastf1, name)(y[r], p[r], sample_weight=ww, bins=bins)
            want = getattr(sklearn.metrics, name)(y[r], p[r], sample_weight=ww)
            if bins is None or name in ("log_loss", "brier_score_loss"):
                assert value == pytest.approx(want, rel=1e-9)
            else:
                h = ScoreHistogram(bins).update(y[r], p[r], sample_weight=ww)
                bound = (h.roc_auc_error_bound() if name == "roc_auc_score"
                         else h.average_precision_error_bound())
                assert abs(value - want) <= bound


def test_groups_in_the_functions_multiclass_and_errors():
    rng = np.random.default_rng(5)
    y = rng.integers(0, 3, 400)
    p = rng.dirichlet(np.ones(3), 400)
    g = rng.choice(["a", "b"], 400)
    for bins in (None, 1024):
        got = fastf1.roc_auc_score(y, p, multi_class="ovr", average=None, bins=bins, groups=g)
        for key in ("a", "b"):
            np.testing.assert_array_equal(
                got[key], fastf1.roc_auc_score(y[g == key], p[g == key], multi_class="ovr",
                                               average=None, bins=bins))
    assert fastf1.log_loss(y, p, groups=g)["a"] == pytest.approx(
        log_loss(y[g == "a"], p[g == "a"]), rel=1e-12)
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        fastf1.roc_auc_score([0, 1, 0], [0.1, 0.9, 0.3], groups=["a", "b"])
    with pytest.raises(ValueError, match="missing"):
        fastf1.average_precision_score([0, 1], [0.1, 0.9], groups=[None, "b"])
    with pytest.warns(fastf1.UndefinedMetricWarning, match="Only one class"):
        one_class = fastf1.roc_auc_score([0, 1, 0, 0], [0.1, 0.9, 0.3, 0.2], bins=64,
                                         groups=["a", "a", "b", "b"])
    assert one_class["a"] == 1.0 and np.isnan(one_class["b"])


@given(st.integers(0, 2**32 - 1), st.integers(1, 12), st.sampled_from([np.float32, np.float64]),
       st.sampled_from([64, 1 << 16]))
def test_bins_in_calibration_curve(seed, n_bins, dtype, bins):
    rng = np.random.default_rng(seed)
    n = 200
    y = rng.choice(["no", "yes"], n)
    p = (rng.random(n) if seed % 3 else rng.choice([0.0, 0.5, 1.0, 0.1, 0.3], n)).astype(dtype)
    got = fastf1.calibration_curve(y, p, pos_label="yes", n_bins=n_bins, bins=bins)
    want = calibration_curve(y, p, pos_label="yes", n_bins=n_bins)
    for a, b in zip(got, want):
        np.testing.assert_allclose(a, b, rtol=1e-12)


def test_bins_in_calibration_curve_errors():
    y, p = [0, 1, 1], [0.2, 0.6, 0.9]
    with pytest.raises(ValueError, match="uniform"):
        fastf1.calibration_curve(y, p, strategy="quantile", bins=1024)
    with pytest.raises(ValueError, match="power of two"):
        fastf1.calibration_curve(y, p, bins=1000)
    with pytest.raises(ValueError, match="outside"):
        fastf1.calibration_curve(y, [0.2, 0.6, 1.5], bins=1024)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_log_loss_over_many_blocks_of_extreme_scores(dtype):
    # blocks of 512 rows whose log-loss terms multiply mantissas near 2 (q just below 1),
    # exactly 1 (q clipped to eps) and tiny scores: the product trick against scikit-learn
    rng = np.random.default_rng(8)
    n = 5000
    y = rng.integers(0, 2, n)
    s = rng.choice([1 - 2.0**-20, 2.0**-20, 0.0, 1.0, 0.5, 1e-30], n).astype(dtype)
    h = ScoreHistogram(1024).update(y, s)
    rel = 1e-9 if dtype == np.float64 else 1e-6
    assert h.log_loss() == pytest.approx(log_loss(y, s), rel=rel)
    assert h.brier_score_loss() == pytest.approx(brier_score_loss(y, s), rel=rel)
    w = rng.random(n)
    hw = ScoreHistogram(1024).update(y, s, sample_weight=w)
    assert hw.log_loss() == pytest.approx(log_loss(y, s, sample_weight=w), rel=rel)


def test_a_table_is_32_bytes_a_bin_with_or_without_weights():
    y, s = _realistic(2000, seed=13)
    for w in (None, np.random.default_rng(0).random(y.size)):
        h = ScoreHistogram(1 << 12).update(y, s, sample_weight=w)
        arrays = [v for v in vars(h).values() if isinstance(v, np.ndarray)]
        assert h._tab.nbytes == kern.n_bins(h._m) * 32
        assert sum(a.nbytes for a in arrays) < h._tab.nbytes + 1024


def test_float16_scores_clip_at_float16_epsilon_in_groups_and_bins():
    """Log loss clips at the epsilon of the scores' own dtype: float16 scores are widened
    for the kernels, but clip at float16's, as scikit-learn does, grouped or binned."""
    y = np.array([1, 1, 1, 0, 1, 0, 0, 1, 1, 0])
    p = np.array([0, 0, 0, 1, 1, .5, .5, 0, .5, 0], np.float16)
    want = sklearn.metrics.log_loss(y, p)
    one_group = np.zeros(10, int)
    assert fastf1.log_loss(y, p, groups=one_group)[0] == want
    assert fastf1.log_loss(y, np.stack([1 - p, p], 1), groups=one_group)[0] == want
    assert fastf1.brier_score_loss(y, p, groups=one_group)[0] == \
        sklearn.metrics.brier_score_loss(y, p)
    # binned: float64 sums of the clipped float16 values (scikit-learn sums in float16)
    assert fastf1.log_loss(y, p, bins=1024) == pytest.approx(want, rel=1e-3)
    assert fastf1.log_loss(y, p, bins=1024, groups=one_group)[0] == pytest.approx(want, rel=1e-3)
    assert fastf1.ScoreHistogram(1024).update(y, p)._eps == np.finfo(np.float16).eps


# ---- the binning's edges, the hot tables of large unweighted float32 chunks ---------------

EDGES = [0.0, 0.5, 1.0, 2.0**18, 2.0**-24, 2.0**-1074, 1e308]


def _around(values):
    out = []
    for v in values:
        for x in (v, -v):
            out += [x, np.nextafter(x, -np.inf), np.nextafter(x, np.inf)]
    return np.unique(np.array(out))  # sorted; -0.0 and 0.0 are one value


@pytest.mark.parametrize("m", [0, 4, 12, 18])
@pytest.mark.parametrize("binning", [1, 2])
def test_bins_are_monotone_across_the_binning_edges(m, binning):
    """Both binnings: a bin never decreases with the score, at and next to every edge (zero,
    1/2, where 1 - |v| takes over, 1, the fine window's ends, the extremes)."""
    rng = np.random.default_rng(m)
    v = np.union1d(_around(EDGES + [0.75, 0.25 + 2.0**-40, 1 - 2.0**-24, 256.0]),
                   rng.standard_normal(2000) * 10.0 ** rng.integers(-40, 40, 2000))
    center = kern.magnitude_bins(m, binning) - 1
    b, _ = kern.bins_and_keys(v, m, center, binning)
    assert (np.diff(b) >= 0).all()
    assert b.min() >= 0 and b.max() < kern.n_bins(m, binning)
    if binning == 2:
        np.testing.assert_array_equal(b, [kern.bin_of(x, m, center) for x in v])
        # probabilities near 1 are as finely resolved as those near 0: 2**m bins a binade
        # of 1 - v
        for r in (2.0**-20, 0.001, 0.3):
            assert kern.bin_of(1 - r, m, center) != kern.bin_of(1 - r * (1 + 2.0**-m), m, center)


def _hot_data(n, seed):
    """float32 scores with ties, both zeros, subnormals, scores outside [0, 1]."""
    rng = np.random.default_rng(seed)
    y, s = _realistic(n, seed)
    special = np.array([0.0, -0.0, 1e-45, 0.5, 1.0, 1 - 2**-24, -3.0, 7e5, 3.4e38, -3.4e38],
                       np.float32)
    at = rng.integers(0, n, n // 10)
    s[at] = special[rng.integers(0, special.size, at.size)]
    return y, s


def _same_counts(a, b):
    assert_same_bins(a, b)
    np.testing.assert_allclose(a._sums, b._sums, rtol=1e-12)  # summed in other orders
    np.testing.assert_allclose(a._cal, b._cal, rtol=1e-12)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_hot_tables_equal_the_direct_path(dtype):
    """Large chunks count on every thread into pooled scratch tables (unweighted float32:
    16-byte hot records): the same histogram as small chunks counted straight into the
    histogram's table."""
    y, s = _hot_data(150_000, 21)
    s = s.astype(dtype)
    big = ScoreHistogram(1 << 12).update(y, s)
    small = ScoreHistogram(1 << 12)
    for lo in range(0, y.size, 40_000):  # below PARALLEL_MIN_ROWS: the direct path
        small.update(y[lo:lo + 40_000], s[lo:lo + 40_000])
    _same_counts(big, small)
    assert big.roc_auc_error_bound() == small.roc_auc_error_bound()


def test_float32_bins_are_the_float64_bins():
    """``bin_index32`` (32-bit arithmetic, the hot path's) gives every float32 its float64
    value's bin: a sweep of the finite float32 bit patterns, both signs, subnormals, the
    neighbours of every edge of the binning, at the fewest and the most mantissa bits."""
    rng = np.random.default_rng(5)
    edges = np.array(EDGES[:5] + [0.75, 1 - 2.0**-24, 2.0**-126, 2.0**-149], np.float32)
    near = (edges.view(np.int32)[:, None] + np.arange(-2, 3)).ravel()
    sweep = np.r_[np.arange(0, 0x7F800000, 40_000), rng.integers(0, 0x7F800000, 20_000),
                  near[(near >= 0) & (near < 0x7F800000)]].astype(np.int32).view(np.float32)
    s = np.r_[sweep, -sweep]
    for m in (0, 12, 18):
        center = kern.magnitude_bins(m) - 1
        np.testing.assert_array_equal(kern.bins_and_keys(s, m, center)[0],
                                      kern.bins_and_keys(s.astype(np.float64), m, center)[0])


def test_functions_count_the_bins_alone(monkeypatch):
    """roc_auc_score / average_precision_score / roc_curve with bins= count the bins and
    rows only (no log-loss, Brier or calibration sums on the hot path): the same bins, so
    the same scores, bounds and curve, as a whole histogram's; the sums they skip are NaN,
    never a number that would look right."""
    y, s = _hot_data(30_000, 23)
    s = np.clip(s, 0, 1)
    monkeypatch.setattr(fastf1.histogram, "PARALLEL_MIN_ROWS", 0)  # the hot path
    whole = ScoreHistogram(1 << 12).update(y, s)
    alone = fastf1.histogram._column(y, s, None, 1 << 12)
    assert_same_bins(alone, whole)
    assert np.isnan(alone.brier_score_loss()) and np.isnan(alone.log_loss())
    assert np.isnan(alone._cal).all()
    assert fastf1.roc_auc_score(y, s, bins=1 << 12) == whole.roc_auc_score()
    assert alone.roc_auc_error_bound() == whole.roc_auc_error_bound()
    assert fastf1.average_precision_score(y, s, bins=1 << 12) == \
        whole.average_precision_score()
    assert alone.average_precision_error_bound() == whole.average_precision_error_bound()
    for got, want in zip(fastf1.roc_curve(y, s, bins=1 << 12), whole.roc_curve()):
        np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("n_cal", [1, 3, 10, 16, 17])
def test_hot_calibration_bins_are_searchsorted(monkeypatch, n_cal):
    """The hot path finds a float32 score's calibration bin by comparisons with float32
    edges (``cal_edges32``, up to 10 bins; ``cal_bin`` above): the same bins as the
    direct path at, and next to, every edge."""
    rng = np.random.default_rng(n_cal)
    at = np.float32(np.linspace(0, 1, n_cal + 1))
    s = np.r_[np.nextafter(at, -1), at, np.nextafter(at, 2), rng.random(300, np.float32)]
    s = np.repeat(s.astype(np.float32), 3)
    y = rng.integers(0, 2, s.size).astype(np.int8)  # the dtype other tests compile
    want = ScoreHistogram(256, calibration_bins=n_cal).update(y, s)
    monkeypatch.setattr(fastf1.histogram, "PARALLEL_MIN_ROWS", 0)  # the hot path
    got = ScoreHistogram(256, calibration_bins=n_cal).update(y, s)
    _same_counts(got, want)
    np.testing.assert_array_equal(got._cal[:, :2], want._cal[:, :2])


def test_hot_pieces_and_failed_updates(monkeypatch):
    """Chunks of more than _HOT_ROWS rows count a piece at a time (uint32 counts never
    overflow); a bad row anywhere raises before any piece is added, and every scratch
    table goes back to the pool zeroed."""
    y, s = _hot_data(200_000, 22)
    want = ScoreHistogram(1 << 10).update(y, s)
    monkeypatch.setattr(fastf1.histogram, "_HOT_ROWS", 70_000)
    got = ScoreHistogram(1 << 10).update(y, s)
    _same_counts(got, want)
    before = got._copy()
    s_bad = s.copy()
    s_bad[-1] = np.nan
    with pytest.raises(ValueError, match="NaN or inf"):
        got.update(y, s_bad)
    assert got == before
    monkeypatch.undo()
    for bad in ((np.r_[y[:-1], 3], s, None), (y, s_bad, None),
                (y, s_bad.astype(np.float64), None), (y, s, -np.ones(y.size)),
                (y[:9], s[:9], [1.0] * 8 + [np.inf])):
        with pytest.raises(ValueError):
            got.update(*bad)
        assert got == before
    for tables in fastf1.histogram._scratch._free.values():
        assert tables and not any(t.any() for t in tables)
    assert ScoreHistogram(1 << 10).update(y, s) == want  # pooled tables count afresh


def test_an_interrupted_update_leaves_the_pool_clean(monkeypatch):
    """An interrupt of the calling thread (Ctrl-C) while another thread still counts: the
    update raises only once every range is done, and the scratch tables go back zeroed
    (a table given back while a thread still counts into it would add those rows to a
    later update)."""
    y, s = _hot_data(200_000, 23)
    want = ScoreHistogram(1 << 10).update(y, s)
    real, caller = kern.fill32, threading.get_ident()

    def fill32(t, *args):
        if threading.get_ident() == caller:
            raise KeyboardInterrupt
        time.sleep(0.2)  # still counting when the caller is interrupted
        real(t, *args)

    monkeypatch.setattr(fastf1.histogram, "row_ranges", lambda n: [(0, n // 2), (n // 2, n)])
    monkeypatch.setattr(kern, "fill32", fill32)
    h = ScoreHistogram(1 << 10)
    with pytest.raises(KeyboardInterrupt):
        h.update(y, s)
    monkeypatch.undo()
    time.sleep(0.3)  # the other range would be writing into a pooled table meanwhile
    assert h == ScoreHistogram(1 << 10)
    for tables in fastf1.histogram._scratch._free.values():
        assert not any(t.any() for t in tables)
    assert ScoreHistogram(1 << 10).update(y, s) == want


def test_first_binning_documents_and_pickles():
    """Version-1 documents (and pickles) hold the first binning: read back, they score and
    add to one another, but count no more rows and do not add to new histograms."""
    h = ScoreHistogram(1024).update([0, 1, 0, 1], [0.1, 0.3, 0.6, 3.0])
    doc = json.loads(h.to_json())
    assert doc["version"] == 2
    doc["version"] = 1
    old = ScoreHistogram.from_json(json.dumps(doc))
    assert old._binning == 1 and json.loads(old.to_json())["version"] == 1
    assert (old + old).roc_auc_score() == h.roc_auc_score() == 0.75
    assert ScoreHistogram.from_json(old.to_json()) == old
    with pytest.raises(ValueError, match="version-1 document"):
        old.update([0, 1], [0.2, 0.4])
    with pytest.raises(ValueError, match="different binning"):
        old + h
    # one old bin of two scores that the new binning puts in two bins, and back
    doc = json.loads(ScoreHistogram(64).update([0, 1], [0.75, 0.9]).to_json())
    with pytest.raises(ValueError, match="not the bins of a 64-bin histogram"):
        ScoreHistogram.from_json(json.dumps(doc | {"bins_used": {
            "lowest": {"dtype": "float64", "values": [0.75]},
            "highest": {"dtype": "float64", "values": [0.9]},
            "negative": {"dtype": "int64", "values": [1]},
            "positive": {"dtype": "int64", "values": [1]}}}))
    doc["version"] = 1
    doc["bins_used"] = {"lowest": {"dtype": "float64", "values": [0.75]},
                        "highest": {"dtype": "float64", "values": [0.9]},
                        "negative": {"dtype": "int64", "values": [1]},
                        "positive": {"dtype": "int64", "values": [1]}}
    assert ScoreHistogram.from_json(json.dumps(doc)).roc_auc_error_bound() > 0.49
    state = old.__getstate__()
    del state["_binning"]  # as pickled before the binning had a version
    unpickled = ScoreHistogram.__new__(ScoreHistogram)
    unpickled.__setstate__(state)
    assert unpickled == old
    assert pickle.loads(pickle.dumps(h)) == h


def test_a_histogram_without_rows_takes_either_binning():
    """A histogram without rows holds no bins: one read from a version-1 document counts
    rows in the current binning, and an empty histogram of either binning adds to one with
    rows of the other (``sum(histograms, ScoreHistogram(bins))`` over old documents)."""
    h = ScoreHistogram(1024).update([0, 1, 0, 1], [0.1, 0.3, 0.6, 3.0])
    doc = json.loads(h.to_json()) | {"version": 1}
    old = ScoreHistogram.from_json(json.dumps(doc))
    empty_doc = json.loads(ScoreHistogram(1024).to_json()) | {"version": 1}
    old_empty = ScoreHistogram.from_json(json.dumps(empty_doc))
    assert old_empty._binning == 1
    for total in (ScoreHistogram(1024) + old, old + ScoreHistogram(1024),
                  old_empty + old, sum([old, old], ScoreHistogram(1024)) + old_empty):
        assert total._binning == 1 and total.roc_auc_score() == h.roc_auc_score()
    assert (old_empty + h) == h and (h + old_empty) == h
    assert old_empty.update([0, 1, 0, 1], [0.1, 0.3, 0.6, 3.0]) == h
    with pytest.raises(ValueError, match="version-1 document"):
        old + h


def test_the_pool_keeps_no_large_tables(monkeypatch):
    """Tables above the byte cap are let go, not held for the life of the process."""
    pool = fastf1.histogram._ScratchPool()
    monkeypatch.setattr(pool, "_KEEP_MAX_BYTES", 1 << 12)
    small, large = pool.take((16, 2), np.uint64), pool.take((1024, 2), np.uint64)
    pool.give(small)
    pool.give(large)
    assert [t.nbytes for ts in pool._free.values() for t in ts] == [small.nbytes]
    assert pool.take((16, 2), np.uint64) is small
