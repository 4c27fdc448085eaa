"""Counting exactness at the edges: integer limits, mixed signedness, non-canonical bools,
packed counters, duplicate labels, integer weights, merge rules, empty chunks.

Each case was once a silently wrong number; each test compares with scikit-learn where it has
an answer (on labels recoded to small integers where scikit-learn itself rounds them).
"""

from __future__ import annotations

import re
import warnings

import numpy as np
import pytest
import sklearn.metrics as skm
from hypothesis import example, given, settings
from strategies import edge_label_problem

import fastf1
from fastf1._kernels import cpu

I64_MAX = 2**63 - 1


def _ranks(*arrays):
    """The arrays' values as their ranks in the sorted union (exact, via Python ints)."""
    values = sorted({int(v) for a in arrays for v in np.asarray(a).tolist()})
    index = {v: k for k, v in enumerate(values)}
    return values, [np.array([index[int(v)] for v in np.asarray(a).tolist()]) for a in arrays]


def _assert_counts_as_sklearn(y_true, y_pred, sample_weight=None):
    """StatScores and confusion_matrix of exact integer labels against scikit-learn's of
    their ranks (scikit-learn turns int64 mixed with uint64 into float64)."""
    values, (rt, rp) = _ranks(y_true, y_pred)
    warnings.simplefilter("ignore", UserWarning)  # a single label: both warn alike
    s = fastf1.stat_scores(y_true, y_pred, sample_weight=sample_weight)
    assert [int(v) for v in s.labels.tolist()] == values
    # float weights are summed in another order (the last bit may differ); counts and
    # integer weights exactly
    same = (np.testing.assert_array_equal if sample_weight is None
            or np.asarray(sample_weight).dtype.kind in "iu"
            else lambda a, b: np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12))
    expected = skm.multilabel_confusion_matrix(rt, rp, sample_weight=sample_weight)
    same(s.multilabel_confusion_matrix(), expected)
    cm = fastf1.confusion_matrix(y_true, y_pred, sample_weight=sample_weight)
    expected_cm = skm.confusion_matrix(rt, rp, sample_weight=sample_weight)
    assert cm.dtype == expected_cm.dtype
    same(cm, expected_cm)
    return s


# ---- integers at the ends of their dtype ------------------------------------------------

@pytest.mark.parametrize("values", [
    [I64_MAX, I64_MAX - 1],
    [I64_MAX],
    [-(2**63), -(2**63) + 1],
    [-(2**63), I64_MAX, 0],
    [I64_MAX - 3, I64_MAX - 1, I64_MAX - 2],
])
def test_int64_labels_at_the_limits(values):
    rng = np.random.default_rng(0)
    t = rng.choice(np.array(values, np.int64), 50)
    p = rng.choice(np.array(values, np.int64), 50)
    for _ in range(2):  # a second identical call (cached kernels, same guess) too
        _assert_counts_as_sklearn(t, p)
    # merged counts keep every row
    a = fastf1.stat_scores(t[:20], p[:20]) + fastf1.stat_scores(t[20:], p[20:])
    np.testing.assert_array_equal(a.multilabel_confusion_matrix(),
                                  fastf1.multilabel_confusion_matrix(t, p))
    assert a.labels.dtype == np.int64


@pytest.mark.parametrize("dtype", [np.int8, np.uint32])  # the rest: the property test
def test_narrow_labels_at_the_top_of_their_dtype(dtype):
    top = int(np.iinfo(dtype).max)
    t = np.array([top, top - 1, top, top], dtype)
    p = np.array([top, top, top - 1, top], dtype)
    s = _assert_counts_as_sklearn(t, p)
    assert s.labels.dtype == dtype


def test_uint64_labels_past_int64_found_after_the_first_rows():
    """The range guess sees small labels; later rows hold labels past 2**63 (the retry)."""
    t = np.zeros(10_000, np.uint64)
    p = np.zeros(10_000, np.uint64)
    t[-3:] = [2**63 + 5, 2**64 - 1, 2**63 + 5]
    p[-2:] = [2**63 + 5, 2**63 + 6]
    s = _assert_counts_as_sklearn(t, p)
    assert s.labels.dtype == np.uint64
    # a dense range just above 2**63
    t = np.full(10_000, 2**63 + 1, np.uint64)
    t[-1] = 2**63 + 3
    _assert_counts_as_sklearn(t, t[::-1].copy())


def test_hint_labels_near_the_limits():
    t = np.array([I64_MAX, I64_MAX - 1], np.int64)
    for _ in range(2):
        s = fastf1.stat_scores(t, t, labels=[I64_MAX, I64_MAX - 1])
        assert s.labels.tolist() == sorted(t.tolist())


# ---- mixed signedness and widths --------------------------------------------------------

@pytest.mark.parametrize("t, p", [
    (np.array([0, 1, 2], np.int64), np.array([0, 2**64 - 1, 2**63], np.uint64)),
    (np.array([-1, 1, 2], np.int64), np.array([1, 2**64 - 1, 2**63], np.uint64)),
    (np.array([-5, 1, 2], np.int8), np.array([1, 2**64 - 1, 2], np.uint64)),
    (np.array([-1, 1, 2**62], np.int64), np.array([1, 2**62, 7], np.uint64)),
    (np.array([0, 2**64 - 1], np.uint64), np.array([-(2**63), 3], np.int64)),
])
def test_mixed_signedness_keeps_every_label(t, p):
    _assert_counts_as_sklearn(t, p)
    _assert_counts_as_sklearn(p, t)
    f1 = fastf1.f1_score(t, p, average="macro", zero_division=0)
    _, (rt, rp) = _ranks(t, p)
    assert f1 == skm.f1_score(rt, rp, average="macro", zero_division=0)


# ---- bool arrays whose bytes are not 0 / 1 ----------------------------------------------

def _mask(bytes_):
    return np.array(bytes_, np.uint8).view(bool)


def test_noncanonical_bools_are_true():
    t = _mask([0, 255, 1, 2, 0, 7] * 20)
    p = _mask([0, 1, 128, 0, 3, 255] * 20)
    ct, cp = t != 0, p != 0  # canonical twins (NumPy reads any nonzero byte as True)
    assert ct.view(np.uint8).max() == 1
    for func, kwargs in [(fastf1.f1_score, {}), (fastf1.confusion_matrix, {}),
                         (fastf1.multilabel_confusion_matrix, {}),
                         (fastf1.accuracy_score, {}),
                         (fastf1.f1_score, dict(average=None, sample_weight=np.arange(120.0)))]:
        sk = getattr(skm, func.__name__)
        np.testing.assert_array_equal(func(t, p, **kwargs), sk(ct, cp, **kwargs))
    s = fastf1.stat_scores(t, p)
    assert s.labels.tolist() == [False, True]
    # bool truth against scores and against a score matrix
    scores = np.linspace(0, 1, 120)
    assert fastf1.f1_score(t, scores, threshold=0.5) == skm.f1_score(ct, scores >= 0.5)
    matrix = np.stack([1 - scores, scores], axis=1)
    assert fastf1.f1_score(t, matrix) == skm.f1_score(ct, scores > 0.5)


def test_noncanonical_bool_multilabel_and_groups():
    t = _mask([[0, 255, 1], [9, 0, 0], [1, 1, 200], [0, 0, 0]])
    p = _mask([[0, 1, 1], [255, 0, 3], [1, 0, 0], [0, 4, 0]])
    np.testing.assert_array_equal(fastf1.multilabel_confusion_matrix(t, p),
                                  skm.multilabel_confusion_matrix(t != 0, p != 0))
    groups = _mask([0, 255, 1, 0, 7, 0])
    y_true, y_pred = [0, 1, 1, 0, 1, 1], [0, 1, 0, 0, 1, 0]
    by = fastf1.f1_score(y_true, y_pred, groups=groups)
    canonical = groups != 0
    assert list(by) == [False, True]
    for g in (False, True):
        rows = canonical == g
        assert by[g] == skm.f1_score(np.array(y_true)[rows], np.array(y_pred)[rows])


def test_noncanonical_bools_bootstrap():
    t = _mask([0, 255, 1, 2, 0, 7] * 10)
    p = _mask([0, 1, 128, 0, 3, 255] * 10)
    a = fastf1.bootstrap(t, p, n_resamples=20, random_state=0)
    b = fastf1.bootstrap(t != 0, p != 0, n_resamples=20, random_state=0)
    np.testing.assert_array_equal(a.bootstrap_distribution, b.bootstrap_distribution)
    assert a.estimate == b.estimate


# ---- confusion_matrix(labels=) with a label given twice -------------------------------

@pytest.mark.parametrize("labels", [[1, 1, 2], [2, 1, 2, 1], [3, 1, 1], [1, 1], [5, 1, 5]])
@pytest.mark.parametrize("weighted", [False, True])
def test_confusion_matrix_duplicate_labels(labels, weighted):
    t, p = [1, 2, 1, 2, 3, 1], [1, 1, 2, 2, 3, 3]
    w = [1, 2, 3, 4, 5, 6] if weighted else None
    ours = fastf1.confusion_matrix(t, p, labels=labels, sample_weight=w)
    theirs = skm.confusion_matrix(t, p, labels=labels, sample_weight=w)
    assert ours.dtype == theirs.dtype
    np.testing.assert_array_equal(ours, theirs)


# ---- packed counters --------------------------------------------------------------------

@pytest.mark.slow
def test_packed_counter_of_one_class_past_2_to_the_31_rows():
    """More than 4,096 classes in the range (one sub-histogram), 2**31 + 3 rows of one class
    on one thread (the kernel called directly): tp is packed above a 32-bit count."""
    n = 2**31 + 3
    y = np.broadcast_to(np.int32(5000), (n,))
    counts, _, _, diag = cpu.count_classes(y, y, None, 0, 8192, 0, False)
    assert counts[:, 5000].tolist() == [n, n, n]
    assert counts.sum() == 3 * n and not diag[cpu.OUT]
    s = fastf1.stat_scores(y, y, labels=[0, 8000])
    assert s.tp.tolist() == [n] and s.total == n


def test_packed_counter_segment_fits():
    """Every row of a segment may land in one packed counter: tp << 32 must stay in int64."""
    assert cpu._SEGMENT < 2**31


# ---- property tests over the edge shapes ------------------------------------------------

# each new pair of dtypes and layouts compiles its kernels (seconds each): a few examples in
# the default run, ten times as many under FASTF1_HYPOTHESIS=thorough
@settings(max_examples=max(8, settings.default.max_examples // 5))
@given(problem=edge_label_problem())
@example(problem=(np.array([0, 255], np.uint8), np.array([255, 255], np.uint8), np.zeros(2)))
def test_edge_labels_match_sklearn(problem):
    y_true, y_pred, weights = problem
    if weights is not None and not weights.any():
        # all-zero weights: refused, with scikit-learn's error
        with pytest.raises(ValueError, match="at least one non-zero") as theirs:
            skm.confusion_matrix(*_ranks(y_true, y_pred)[1], sample_weight=weights)
        for func in (fastf1.stat_scores, fastf1.confusion_matrix):
            with pytest.raises(ValueError, match=re.escape(str(theirs.value))):
                func(y_true, y_pred, sample_weight=weights)
        return
    _assert_counts_as_sklearn(y_true, y_pred, weights)


# ---- integer sample_weight: int64 sums, as scikit-learn ---------------------------------

@pytest.mark.parametrize("weights", [
    [2**53, 1, 1, 1],  # float64 would round the sum to 2**53
    [2**62, 2**62, 2**62, 3],  # past 2**63: wraps as scikit-learn's int64 sum
    [2**62, -(2**62), 2**61 + 1, -5],
    [I64_MAX, I64_MAX, 1, 1],
    [3, 1, 4, 1],  # small: the one float64 pass, exact
])
def test_confusion_matrix_integer_weights_sum_in_int64(weights):
    t, p = [0, 0, 1, 1], [0, 0, 1, 0]
    w = np.array(weights, np.int64)
    for labels in (None, [1, 0], [0, 1, 2]):
        ours = fastf1.confusion_matrix(t, p, sample_weight=w, labels=labels)
        theirs = skm.confusion_matrix(t, p, sample_weight=w, labels=labels)
        assert ours.dtype == theirs.dtype == np.int64
        np.testing.assert_array_equal(ours, theirs)


def test_confusion_matrix_integer_weights_random_large():
    rng = np.random.default_rng(1)
    t, p = rng.integers(0, 4, 500), rng.integers(0, 4, 500)
    for dtype, hi in [(np.int64, 2**60), (np.int32, 2**31 - 1), (np.uint32, 2**32 - 1)]:
        w = rng.integers(0, hi, 500).astype(dtype)
        np.testing.assert_array_equal(fastf1.confusion_matrix(t, p, sample_weight=w),
                                      skm.confusion_matrix(t, p, sample_weight=w))
        np.testing.assert_array_equal(
            fastf1.confusion_matrix(t, p, sample_weight=w, normalize="true"),
            skm.confusion_matrix(t, p, sample_weight=w, normalize="true"))


BIG_INT_WEIGHTS = [
    [2**53 + 1, 3, 2**53 + 1, 1, 5, 1],  # exact in int64, rounded in float64
    [2**62 + 1, 2**62, 2**62, 3, 2**62, -(2**62) - 7],  # wraps as scikit-learn's int64
]


@pytest.mark.parametrize("weights", BIG_INT_WEIGHTS + [[7, 1, 0, 2, 4, 1]])
def test_samplewise_integer_weights_multiply_in_int64(weights):
    t = np.array([[1, 0, 1], [0, 1, 1], [1, 1, 1], [0, 0, 0], [1, 0, 0], [0, 1, 0]])
    p = np.array([[1, 1, 0], [0, 1, 1], [0, 0, 1], [1, 0, 0], [1, 0, 0], [1, 1, 1]])
    for w in (np.array(weights, np.int64), list(weights)):
        for labels in (None, [2, 0]):
            ours = fastf1.multilabel_confusion_matrix(t, p, sample_weight=w, labels=labels,
                                                      samplewise=True)
            theirs = skm.multilabel_confusion_matrix(t, p, sample_weight=w, labels=labels,
                                                     samplewise=True)
            assert ours.dtype == theirs.dtype == np.int64
            np.testing.assert_array_equal(ours, theirs)


@pytest.mark.parametrize("weights", BIG_INT_WEIGHTS)
@pytest.mark.parametrize("chunks", [1, 2, 6])
def test_dask_confusion_matrix_integer_weights_merge_in_int64(weights, chunks):
    da = pytest.importorskip("dask.array")
    t, p = np.array([0, 0, 1, 1, 2, 0]), np.array([0, 1, 1, 0, 2, 0])
    w = np.array(weights, np.int64)
    ours = fastf1.confusion_matrix(*(da.from_array(x, chunks=chunks) for x in (t, p)),
                                   sample_weight=da.from_array(w, chunks=chunks))
    theirs = skm.confusion_matrix(t, p, sample_weight=w)
    assert ours.dtype == theirs.dtype == np.int64
    np.testing.assert_array_equal(ours, theirs)


# ---- StatScores merges: exact labels, one threshold ------------------------------------

def test_merge_keeps_exact_integer_labels():
    a = fastf1.stat_scores(np.array([2**63 + 5, 3], np.uint64), np.array([2**63 + 5, 3], np.uint64))
    b = fastf1.stat_scores(np.array([-1, 3], np.int64), np.array([-1, 4], np.int64))
    for merged in (a + b, b + a):
        assert merged.labels.tolist() == [-1, 3, 4, 2**63 + 5]
        assert merged.tp.tolist() == [1, 1, 0, 1]
        assert merged.fn.tolist() == [0, 1, 0, 0]
    s = fastf1.StatScores()
    s.update(np.array([2**63 + 5], np.uint64), np.array([2**63 + 5], np.uint64))
    s.update(np.array([-7], np.int8), np.array([-7], np.int8))
    assert s.labels.tolist() == [-7, 2**63 + 5]
    # uint64 with non-negative int64 labels: uint64
    c = fastf1.stat_scores(np.array([0, 2], np.int64), np.array([0, 2], np.int64))
    assert (a + c).labels.dtype == np.uint64


def test_merge_refuses_different_thresholds():
    t, scores = [0, 1, 1], [0.2, 0.5, 0.9]
    a = fastf1.StatScores(threshold=0.3).update(t, scores)
    b = fastf1.StatScores(threshold=0.6).update(t, scores)
    with pytest.raises(ValueError, match=r"threshold=0\.3 and threshold=0\.6"):
        a + b
    with pytest.raises(ValueError, match="different thresholds"):
        fastf1.StatScores().update(t, [0, 1, 1]) + a
    assert (a + fastf1.StatScores(threshold=0.3).update(t, scores)).tp.tolist() == [2, 4]
    assert (fastf1.StatScores() + a).tp.tolist() == a.tp.tolist()  # an empty side: no counts


# ---- ignore_index: one rule for every function ----------------------------------------

def test_ignore_index_refused_for_multilabel():
    y = np.eye(3, dtype=int)
    for call in (lambda: fastf1.f1_score(y, y, average="micro", ignore_index=0),
                 lambda: fastf1.f1_score(y, y, average="samples", ignore_index=0),
                 lambda: fastf1.accuracy_score(y, y, ignore_index=0),
                 lambda: fastf1.multilabel_confusion_matrix(y, y, ignore_index=0),
                 lambda: fastf1.multilabel_confusion_matrix(y, y, samplewise=True, ignore_index=0),
                 lambda: fastf1.StatScores(ignore_index=0).update(y, y)):
        with pytest.raises(ValueError, match="ignore_index=0 applies to 1-D labels"):
            call()


@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("k", [2, 3, 200])
def test_rows_skipped_by_ignore_index_are_not_read(weighted, k):
    """A skipped row's prediction (NaN, out of range) and weight (NaN) are never read."""
    rng = np.random.default_rng(k)
    t = rng.integers(0, k, 300)
    p = rng.integers(0, k, 300).astype(np.float64)
    w = rng.random(300) if weighted else None
    skip = np.zeros(300, bool)
    skip[::7] = True
    t_skip = np.where(skip, -100, t)
    p_skip = np.where(skip, np.nan, p)
    w_skip = None if w is None else np.where(skip, np.nan, w)
    kept = dict(sample_weight=None if w is None else w[~skip])
    for func, kwargs in [(fastf1.f1_score, dict(average="macro")),
                         (fastf1.confusion_matrix, {}),
                         (fastf1.multilabel_confusion_matrix, {}),
                         (fastf1.accuracy_score, {})]:
        ours = func(t_skip, p_skip, sample_weight=w_skip, ignore_index=-100, **kwargs)
        theirs = getattr(skm, func.__name__)(t[~skip], p[~skip], **kept, **kwargs)
        np.testing.assert_allclose(ours, theirs, rtol=1e-12)


def test_nan_weight_is_an_error_everywhere():
    t, p, w = [0, 1, 1, 2], [0, 1, 0, 2], [1.0, np.nan, 1.0, 1.0]
    for func in (fastf1.confusion_matrix, fastf1.f1_score, fastf1.multilabel_confusion_matrix,
                 fastf1.accuracy_score):
        kwargs = dict(average="macro") if func is fastf1.f1_score else {}
        with pytest.raises(ValueError, match="sample_weight"):
            func(t, p, sample_weight=w, **kwargs)
        with pytest.raises(ValueError, match="sample_weight"):
            getattr(skm, func.__name__)(t, p, sample_weight=w, **kwargs)


# ---- empty chunks ------------------------------------------------------------------------

def test_empty_chunk_adds_nothing():
    s = fastf1.StatScores()
    s.update([], [])
    assert s.labels is None
    s.update([0, 1, 1], [0, 1, 0]).update(np.zeros(0, int), np.zeros(0, int), sample_weight=[])
    s.update(np.zeros((0, 3)), np.zeros((0, 3)))  # shapes are still checked: see below
    assert s.tp.tolist() == [1, 1]
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        s.update([], [1])
    with pytest.raises(ValueError, match="Found empty input array"):
        fastf1.f1_score([], [])
    with pytest.raises(ValueError, match="Found empty input array"):
        fastf1.confusion_matrix([], [])


@pytest.mark.parametrize("threshold", [None, 0.5])
def test_weighted_binary_counts_do_not_cancel(threshold):
    """Two classes, weights far apart: class 0's weighted counts are sums of their own rows,
    not differences of totals (1e17 + 2 - 1e17 is 0 in float64)."""
    y_true = np.array([1, 0, 0, 1, 0, 1])
    y_pred = np.array([1, 0, 0, 0, 1, 1])
    weights = np.array([1e17, 1.0, 1.0, 3.0, 0.5, 2e-9])
    scores = np.where(y_pred == 1, 0.9, 0.1)
    given = y_pred if threshold is None else scores
    for average in ("binary", "macro", None):
        got = fastf1.precision_recall_fscore_support(
            y_true, given, sample_weight=weights, average=average, threshold=threshold)
        want = skm.precision_recall_fscore_support(y_true, y_pred, sample_weight=weights,
                                                   average=average)
        for g, w in zip(got, want):
            np.testing.assert_allclose(np.asarray(g, float), np.asarray(w, float), rtol=1e-9)
    stats = fastf1.stat_scores(y_true, given, sample_weight=weights, threshold=threshold)
    np.testing.assert_allclose(stats.multilabel_confusion_matrix(),
                               skm.multilabel_confusion_matrix(y_true, y_pred,
                                                               sample_weight=weights),
                               rtol=1e-9)
