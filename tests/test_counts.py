"""StatScores: counts equal sklearn's, chunking / order / threads don't change them."""

from __future__ import annotations

import pickle
import re

import numpy as np
import pytest
import sklearn.metrics as skm
from _reference import assert_equal_results
from hypothesis import example, given
from hypothesis import strategies as st
from strategies import label_problem, multilabel_problem

import fastf1
import fastf1._threads as config

METHODS = [
    ("f1_score", dict(average="macro", zero_division=0)),
    ("f1_score", dict(average="weighted", zero_division=np.nan)),
    ("precision_score", dict(average="micro")),
    ("recall_score", dict(average=None, zero_division=1.0)),
    ("fbeta_score", dict(beta=2.0, average="macro")),
    ("precision_recall_fscore_support", dict(average=None)),
    ("classification_report", dict(output_dict=True, zero_division=0)),
    ("multilabel_confusion_matrix", {}),
]


def _problem():
    return st.one_of(label_problem(), multilabel_problem())


@given(problem=_problem())
@example(problem=(np.array([0, 1, 1]), np.array([1, 1, 0]), np.zeros(3), [0, 1]))
def test_counts_match_sklearn_multilabel_confusion_matrix(problem):
    y_true, y_pred, weights, _ = problem
    if weights is not None and not np.any(weights):
        # all-zero weights: refused as scikit-learn refuses them
        with pytest.raises(ValueError, match="at least one non-zero") as theirs:
            skm.multilabel_confusion_matrix(y_true, y_pred, sample_weight=weights)
        with pytest.raises(ValueError, match=re.escape(str(theirs.value))):
            fastf1.stat_scores(y_true, y_pred, sample_weight=weights)
        return
    s = fastf1.stat_scores(y_true, y_pred, sample_weight=weights)
    mcm = skm.multilabel_confusion_matrix(y_true, y_pred, sample_weight=weights)
    exact = weights is None
    assert_equal_results(s.tn, mcm[:, 0, 0].astype(s.tn.dtype), exact)
    assert_equal_results(s.fp, mcm[:, 0, 1].astype(s.fp.dtype), exact)
    assert_equal_results(s.fn, mcm[:, 1, 0].astype(s.fn.dtype), exact)
    assert_equal_results(s.tp, mcm[:, 1, 1].astype(s.tp.dtype), exact)
    assert_equal_results(s.support, (mcm[:, 1, 0] + mcm[:, 1, 1]).astype(s.tp.dtype), exact)
    assert s.tp.dtype == (np.int64 if exact else np.float64)


@given(problem=_problem(), data=st.data())
def test_any_chunking_equals_one_call(problem, data, kernel_mode):
    y_true, y_pred, weights, _ = problem
    n = len(y_true)
    cuts = sorted(data.draw(st.lists(st.integers(0, n), max_size=5)))
    bounds = [0, *cuts, n]
    s = fastf1.StatScores()
    for lo, hi in zip(bounds[:-1], bounds[1:]):
        if hi > lo:
            s.update(y_true[lo:hi], y_pred[lo:hi],
                     sample_weight=None if weights is None else weights[lo:hi])
    if weights is not None and not np.any(weights):
        # one chunk of zero weights is fine, but the scores of all of them are refused
        # as the functions (and scikit-learn) refuse them
        for name, kwargs in METHODS:
            with pytest.raises(ValueError, match="at least one non-zero number"):
                getattr(s, name)(**kwargs)
        return
    exact = weights is None
    for name, kwargs in METHODS:
        if name == "classification_report" and s.multilabel:
            continue  # the function adds a "samples avg" line
        ours = getattr(s, name)(**kwargs)
        theirs = getattr(fastf1, name)(y_true, y_pred, sample_weight=weights, **kwargs)
        assert_equal_results(ours, theirs, exact)


@given(problem=_problem(), seed=st.integers(0, 2**32 - 1))
def test_row_order_does_not_matter(problem, seed):
    y_true, y_pred, weights, _ = problem
    order = np.random.default_rng(seed).permutation(len(y_true))
    a = fastf1.stat_scores(y_true, y_pred)
    b = fastf1.stat_scores(y_true[order], y_pred[order])
    for attr in ("labels", "tp", "fp", "fn", "tn"):
        np.testing.assert_array_equal(getattr(a, attr), getattr(b, attr))


@pytest.mark.parametrize("kind", ["multiclass", "binary", "argmax", "multilabel"])
def test_one_thread_equals_several(kind, rng, kernel_mode, monkeypatch):
    n = 100_003
    y_true = rng.integers(0, 2 if kind == "binary" else 9, n)
    y_pred = {
        "multiclass": rng.integers(0, 9, n),
        "binary": rng.integers(0, 2, n),
        "argmax": rng.random((n, 9)),
        "multilabel": None,
    }[kind]
    if kind == "multilabel":
        y_true, y_pred = rng.integers(0, 2, (n, 5)), rng.integers(0, 2, (n, 5))
    results = []
    for threads in (1, 2, 5):
        monkeypatch.setattr(config, "NUM_THREADS", threads)
        s = fastf1.stat_scores(y_true, y_pred)
        results.append((s.tp, s.fp, s.fn, s.tn))
    for other in results[1:]:
        for a, b in zip(results[0], other):
            np.testing.assert_array_equal(a, b)


def test_pickle_and_merge_across_label_sets():
    a = fastf1.stat_scores(["cat", "dog", "dog"], ["cat", "cat", "dog"])
    b = fastf1.stat_scores(["emu", "dog"], ["dog", "dog"], sample_weight=[2.0, 0.5])
    merged = pickle.loads(pickle.dumps(a + b))
    y_true = ["cat", "dog", "dog", "emu", "dog"]
    y_pred = ["cat", "cat", "dog", "dog", "dog"]
    w = [1.0, 1.0, 1.0, 2.0, 0.5]
    assert list(merged.labels) == ["cat", "dog", "emu"]
    assert merged.weighted and merged.tp.dtype == np.float64
    assert_equal_results(merged.f1_score(average=None),
                         skm.f1_score(y_true, y_pred, average=None, sample_weight=w), False)
    assert repr(fastf1.StatScores()) == "StatScores(empty)"
    assert (fastf1.StatScores() + a).tp.tolist() == a.tp.tolist()


def test_counts_stay_exact_past_2_to_the_31():
    """Doubling the counts 33 times (2**33 x the rows) keeps every count and score exact."""
    y_true = np.array([0, 1, 2, 2, 1, 0, 2])
    y_pred = np.array([0, 2, 2, 2, 1, 1, 0])
    s = fastf1.stat_scores(y_true, y_pred)
    big = s
    for _ in range(33):
        big = big + big
    assert big.tp.dtype == np.int64
    np.testing.assert_array_equal(big.tp, s.tp * 2**33)
    np.testing.assert_array_equal(big.tn, s.tn * 2**33)
    assert big.total == len(y_true) * 2**33
    for average in ["micro", "macro", "weighted", None]:
        assert_equal_results(big.f1_score(average=average),
                             skm.f1_score(y_true, y_pred, average=average), exact=True)


def test_weights_past_float32_exactness():
    """2**24 + 1 rows of weight one: float32 counters would lose the last row."""
    n = 2**24 + 1
    y = np.ones(n, dtype=np.int8)
    s = fastf1.stat_scores(y, y, sample_weight=np.ones(n))
    assert s.tp[-1] == float(n)
    s = fastf1.stat_scores(y, y)
    assert s.tp[-1] == n


@pytest.mark.slow
def test_kernel_counts_past_2_to_the_32_rows():
    """4.3e9 rows (a zero-stride view, no memory): the packed 32-bit counters are flushed."""
    n = 2**32 + 5
    y = np.broadcast_to(np.int8(3), (n,))
    s = fastf1.stat_scores(y, y)
    assert s.tp.tolist() == [n]
    s = fastf1.stat_scores(y, np.broadcast_to(np.int8(4), (n,)))
    assert s.fn.tolist() == [n, 0] and s.fp.tolist() == [0, n]
    # labels 0 and 1, and scores: 16- and 32-bit sums per block of rows, into int64 totals
    ones, zeros = np.broadcast_to(np.int8(1), (n,)), np.broadcast_to(np.int8(0), (n,))
    s = fastf1.stat_scores(ones, zeros)
    assert s.fn.tolist() == [0, n] and s.fp.tolist() == [n, 0] and s.tp.tolist() == [0, 0]
    s = fastf1.stat_scores(ones, np.broadcast_to(np.float32(0.9), (n,)), threshold=0.5)
    assert s.tp[-1] == n and s.fn[-1] == 0
