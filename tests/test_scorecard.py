"""The rest of the scorecard against scikit-learn: MCC, kappa, balanced accuracy, Jaccard,
Hamming and zero-one loss, likelihood ratios, top-k accuracy; StatScores methods,
specificity / NPV, groups, streaming, pickle and bad input.

Unweighted results are compared bit for bit (scikit-learn's formulas on the same integer
counts); weighted ones to rtol 1e-9 (parallel float sums).
"""

from __future__ import annotations

import json
import pickle
import re
import warnings

import numpy as np
import pytest
import sklearn.metrics as skm
from _reference import SCORECARD, compare
from hypothesis import assume, example, given
from hypothesis import strategies as st
from strategies import FEW, label_problem, labels_argument, multilabel_problem, sample_weights

import fastf1

SINGLE_LABEL = ["balanced_accuracy_score", "matthews_corrcoef", "cohen_kappa_score",
                "hamming_loss", "zero_one_loss", "class_likelihood_ratios"]
JACCARD_AVERAGES = ["binary", "micro", "macro", "weighted", "samples", None]


def _pair(name):
    return SCORECARD[name]


def _extra(name, data, vocab):
    """Each function's own arguments, drawn."""
    if name == "balanced_accuracy_score":
        return {"adjusted": data.draw(st.booleans())}
    if name == "cohen_kappa_score":
        return {"weights": data.draw(st.sampled_from([None, "linear", "quadratic"])),
                "labels": data.draw(labels_argument(vocab)),
                "replace_undefined_by": data.draw(st.sampled_from([np.nan, 0.0, -1.0, 0.5]))}
    if name == "zero_one_loss":
        return {"normalize": data.draw(st.booleans())}
    if name == "class_likelihood_ratios":
        labels = data.draw(st.one_of(st.none(), st.permutations(vocab).map(lambda v: v[:2])))
        return {"labels": labels,
                "replace_undefined_by": data.draw(st.sampled_from(
                    [np.nan, 1.0, {"LR+": 2.0, "LR-": 0.5}, {"LR+": np.inf, "LR-": np.nan}]))}
    return {}


@pytest.mark.parametrize("name", SINGLE_LABEL)
@FEW
@given(data=st.data())
def test_single_label_metrics(name, data):
    ours, theirs = _pair(name)
    y_true, y_pred, weights, vocab = data.draw(label_problem())
    if weights is not None and name == "class_likelihood_ratios":
        # whole weights: a zero cell is then exactly zero however the rows are summed
        # (the ratios jump between a finite value and the replacement there)
        weights = np.round(weights)
    kwargs = dict(_extra(name, data, vocab), sample_weight=weights)
    compare(ours, theirs, (y_true, y_pred), kwargs, exact=weights is None)


@pytest.mark.parametrize("name", ["hamming_loss", "zero_one_loss", "matthews_corrcoef",
                                  "balanced_accuracy_score", "cohen_kappa_score"])
@FEW
@given(data=st.data())
def test_multilabel_input(name, data):
    ours, theirs = _pair(name)
    y_true, y_pred, weights, vocab = data.draw(multilabel_problem())
    kwargs = dict(_extra(name, data, vocab), sample_weight=weights)
    kwargs.pop("labels", None)
    compare(ours, theirs, (y_true, y_pred), kwargs, exact=weights is None)


@pytest.mark.parametrize("zero_division", ["warn", 0.0, 1.0])
@pytest.mark.parametrize("average", JACCARD_AVERAGES, ids=str)
@FEW
@given(data=st.data())
def test_jaccard(average, zero_division, data):
    ours, theirs = _pair("jaccard_score")
    problem = data.draw(st.one_of(label_problem(), multilabel_problem()))
    y_true, y_pred, weights, vocab = problem
    if y_true.ndim == 2:
        labels = data.draw(st.one_of(st.none(), st.lists(
            st.integers(-1, len(vocab)), min_size=1, max_size=4, unique=True)))
    else:
        labels = data.draw(labels_argument(vocab))
    kwargs = dict(average=average, zero_division=zero_division, sample_weight=weights,
                  labels=labels, pos_label=data.draw(st.sampled_from([1, *vocab])))
    compare(ours, theirs, (y_true, y_pred), kwargs, exact=weights is None)


@pytest.mark.parametrize("name", [*SINGLE_LABEL, "jaccard_score"])
@FEW
@given(data=st.data())
def test_score_matrices_and_thresholds(name, data):
    """argmax of a score matrix and threshold= of 1-D scores give the labels' result."""
    ours, theirs = _pair(name)
    n = data.draw(st.integers(1, 30))
    rng = np.random.default_rng(data.draw(st.integers(0, 2**32 - 1)))
    weights = data.draw(sample_weights(n))
    if weights is not None and name == "class_likelihood_ratios":
        weights = np.round(weights)  # whole weights, as in test_single_label_metrics
    if data.draw(st.booleans()):
        k = data.draw(st.integers(2, 5))
        scores = rng.integers(0, 3, (n, k)).astype(np.float32)  # ties: first maximum
        y_true = rng.integers(0, k, n)
        labels = scores.argmax(axis=1)
        extra = {}
    else:
        scores = rng.random(n)
        y_true = rng.integers(0, 2, n)
        thr = data.draw(st.sampled_from([0.25, 0.5, 0.9]))
        labels = (scores >= thr).astype(np.int64)
        extra = {"threshold": thr}
    kwargs = dict(_extra(name, data, [0, 1]), sample_weight=weights)
    if name in ("class_likelihood_ratios", "cohen_kappa_score"):
        kwargs.pop("labels", None)
    if name == "jaccard_score":
        kwargs["average"] = data.draw(st.sampled_from(["micro", "macro", "weighted", None]))
    compare(lambda t, p, **kw: ours(t, scores, **kw, **extra), theirs,
            (y_true, labels), kwargs, exact=weights is None)


def test_bit_identical_large(rng):
    """Many rows and classes: exact, including MCC's O(K) path and 3000 classes; kappa's
    O(K) form above 2048 classes is equal to rounding (test_kappa_many_classes_o_k)."""
    for k in (2, 7, 1000, 3000):
        y_true = rng.integers(0, k, 50_000)
        y_pred = np.where(rng.random(50_000) < 0.6, y_true, rng.integers(0, k, 50_000))
        for name in ("matthews_corrcoef", "balanced_accuracy_score", "cohen_kappa_score",
                     "hamming_loss", "zero_one_loss"):
            if name == "cohen_kappa_score" and k > 2048:
                continue
            ours, theirs = _pair(name)
            compare(ours, theirs, (y_true, y_pred), {}, check_warnings=False)
        for average in ("micro", "macro", "weighted"):
            compare(fastf1.jaccard_score, skm.jaccard_score, (y_true, y_pred),
                    {"average": average}, check_warnings=False)


def _check_expected_sum(rng, sizes):
    from fastf1 import _reduce
    from fastf1._kernels import pairwise

    for n_classes in sizes:
        counts = rng.integers(0, 10**7, n_classes).astype(np.float64)
        floats = rng.standard_normal((2, n_classes)) * 10.0 ** rng.integers(-6, 7, (2, 1))
        halves = rng.permutation(counts) if n_classes > 1 else counts.copy()
        halves[::3] += 0.5
        for sum0, sum1 in ((counts, halves), (floats[0], floats[1])):
            total = float(np.sum(sum0)) or 1.0
            for mode, weights in enumerate([None, "linear", "quadratic"]):
                want = np.sum(_reduce._kappa_weights(n_classes, weights)
                              * (np.outer(sum0, sum1) / total))
                got = pairwise.expected_sum(sum0, sum1, total, mode)
                assert got == want, (n_classes, mode, got, want)


def test_kappa_expected_sum_in_numpy_order(rng):
    """The kernel behind unweighted and weighted kappa sums w * outer(sum0, sum1) / n in
    NumPy's pairwise order: the same double as np.sum over the formed matrix. The sizes
    cover K * K below 8, at and around the 128-value blocks and the fixed-depth subtrees,
    and not a multiple of 8; the values are counts, halves, and wide-ranging floats of both
    signs (where any other order of the adds would round differently)."""
    _check_expected_sum(rng, [*range(1, 36), 44, 45, 63, 64, 65, 91, 127, 128, 129, 181,
                              300, 333])


@pytest.mark.slow
def test_kappa_expected_sum_many_classes(rng):
    """As above at the benchmark's K = 1000 and around the matrix limit."""
    _check_expected_sum(rng, [999, 1000, 1031, 2047, 2048])


def test_expected_sum_every_length_in_numpy_order(rng):
    """Every length up to past two buffers' worth: one row (R = 1) of wide-ranging floats of
    both signs, each mode, the same double as np.sum over the formed matrix."""
    from fastf1._kernels import pairwise

    values = rng.standard_normal(2 * pairwise._SUB + 300) * 10.0 ** rng.integers(-6, 7, 1)
    one = np.array([0.75])
    cols = np.arange(values.size)
    weights = [np.where(cols == 0, 0.0, 1.0), np.abs(0.0 - cols), (0.0 - cols) ** 2]
    for n in range(1, values.size + 1):
        mode = n % 3
        want = np.sum(weights[mode][:n] * (np.outer(one, values[:n]) / 3.0))
        assert pairwise.expected_sum(one, values[:n], 3.0, mode) == want, (n, mode)


def test_kappa_many_classes_o_k(rng):
    """Above the matrix limit unweighted kappa takes the O(K) form: equal to rounding."""
    k = 5000
    y_true = rng.integers(0, k, 30_000)
    y_pred = np.where(rng.random(30_000) < 0.5, y_true, rng.integers(0, k, 30_000))
    assert np.unique(np.concatenate([y_true, y_pred])).size > 2048
    np.testing.assert_allclose(fastf1.cohen_kappa_score(y_true, y_pred),
                               skm.cohen_kappa_score(y_true, y_pred), rtol=1e-12)


@pytest.mark.parametrize("dtype", [np.int8, np.uint16, np.int32, np.int64, np.uint64])
def test_label_compare_losses(dtype, rng, monkeypatch):
    """Two integer arrays of one dtype: Hamming and zero-one loss from one compare pass (no
    counts), bit for bit scikit-learn's, at the dtype's extremes and through strided views;
    other inputs take the counting pass."""
    import fastf1.scorecard as sc

    info = np.iinfo(dtype)
    values = np.array([info.min, info.min + 1, 0, 1, info.max], dtype=dtype)
    y_true = values[rng.integers(0, 5, 20_001)]
    y_pred = np.where(rng.random(20_001) < 0.7, y_true, values[rng.integers(0, 5, 20_001)])
    with monkeypatch.context() as m:
        m.setattr(sc, "_stats", None)  # the counting pass is not called
        for t, p in ((y_true, y_pred), (y_true[::3], y_pred[1::3]), (y_true[:1], y_pred[:1])):
            assert fastf1.hamming_loss(t, p) == skm.hamming_loss(t, p)
            for normalize in (True, False):
                got = fastf1.zero_one_loss(t, p, normalize=normalize)
                want = skm.zero_one_loss(t, p, normalize=normalize)
                assert got == want and type(got) is type(want)
    t64, p32 = (y_true % 7).astype(np.float64), (y_pred % 7).astype(np.float32)
    assert fastf1.hamming_loss(t64, p32) == skm.hamming_loss(t64, p32)
    w = rng.random(y_true.shape[0])
    np.testing.assert_allclose(fastf1.zero_one_loss(y_true, y_pred, sample_weight=w),
                               skm.zero_one_loss(y_true, y_pred, sample_weight=w), rtol=1e-9)


# ---- top-k accuracy --------------------------------------------------------------------


@st.composite
def top_k_problem(draw):
    """(y_true, y_score, weights, labels): heavy ties (scores from a few values, signed
    zeros), labels 0..K-1 or strings / shifted / sparse integers with labels=."""
    n = draw(st.integers(1, 40))
    n_classes = draw(st.integers(3, 7))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    values = draw(st.sampled_from([
        np.array([0.0, 1.0]), np.array([-0.0, 0.0, 0.5]), np.array([0.1, 0.2, 0.3, 0.4]),
        None]))
    if values is None:
        scores = rng.random((n, n_classes))
    else:
        scores = rng.choice(values, (n, n_classes))
    scores = scores.astype(draw(st.sampled_from([np.float64, np.float32])))
    if draw(st.booleans()):
        scores = np.asfortranarray(scores)
    vocab = draw(st.sampled_from(["ints", "shifted", "sparse", "strings"]))
    classes = {"ints": np.arange(n_classes), "shifted": np.arange(n_classes) + 3,
               "sparse": np.array([-5, 0, 7, 100, 1000, 10**6, 10**9])[:n_classes],
               "strings": np.array(["a", "b", "c", "d", "e", "f", "g"])[:n_classes]}[vocab]
    all_present = draw(st.booleans()) and n >= n_classes
    codes = rng.integers(0, n_classes, n)
    if all_present:
        codes[:n_classes] = np.arange(n_classes)
    y_true = classes[codes]
    labels = None if all_present and draw(st.booleans()) else classes
    return y_true, scores, draw(sample_weights(n)), labels


def compare_top_k(args, kwargs, exact, **options):
    """``compare``, where weights that sum to zero are scikit-learn's ZeroDivisionError
    (top-k accuracy is a weighted mean; scikit-learn does not refuse all-zero weights)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            skm.top_k_accuracy_score(*args, **kwargs)
    except ZeroDivisionError as exc:
        with pytest.raises(ZeroDivisionError, match=re.escape(str(exc))), \
                warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fastf1.top_k_accuracy_score(*args, **kwargs)
        return
    except ValueError:
        pass  # compared by compare()
    compare(fastf1.top_k_accuracy_score, skm.top_k_accuracy_score, args, kwargs,
            exact=exact, **options)


ZERO_TOP_K = (np.array([0, 1, 2, 1]), np.eye(4, 3), np.zeros(4), None)


@given(problem=top_k_problem(), k=st.integers(1, 8), normalize=st.booleans())
@example(problem=ZERO_TOP_K, k=2, normalize=True)
@example(problem=ZERO_TOP_K, k=2, normalize=False)
def test_top_k_accuracy(problem, k, normalize, kernel_mode):
    y_true, scores, weights, labels = problem
    compare_top_k((y_true, scores),
                  dict(k=k, normalize=normalize, sample_weight=weights, labels=labels),
                  exact=weights is None)


@given(n=st.integers(1, 30), k=st.integers(1, 3), data=st.data())
def test_top_k_binary(n, k, data):
    """Binary y_true with 1-D scores (scikit-learn's threshold 0.5 or 0), (n, 1) columns,
    labels=, and the errors of 2-D scores."""
    rng = np.random.default_rng(data.draw(st.integers(0, 2**32 - 1)))
    y_true = data.draw(st.sampled_from([np.array([0, 1]), np.array([-1, 1]),
                                        np.array(["no", "yes"])]))[rng.integers(0, 2, n)]
    scale = data.draw(st.sampled_from([1.0, 4.0]))
    scores = (rng.random(n) * scale - data.draw(st.sampled_from([0.0, 2.0])))
    scores = data.draw(st.sampled_from([scores, scores[:, None],
                                        np.stack([1 - scores, scores], axis=1)]))
    labels = data.draw(st.sampled_from([None, "sorted", "three"]))
    if labels == "sorted":
        labels = np.unique(y_true)
        if labels.size < 2:
            labels = None
    elif labels == "three":
        labels = None
    weights = data.draw(sample_weights(n))
    compare_top_k((y_true, scores), dict(k=k, labels=labels, sample_weight=weights),
                  exact=weights is None)


def test_top_k_ties_exhaustive():
    """Every row of scores from {0, 1} over 4 columns, every true class and k."""
    grid = np.array(np.meshgrid(*[[0.0, 1.0]] * 4)).reshape(4, -1).T
    scores = np.repeat(grid, 4, axis=0)
    y_true = np.tile(np.arange(4), grid.shape[0])
    for k in (1, 2, 3):
        assert (fastf1.top_k_accuracy_score(y_true, scores, k=k)
                == skm.top_k_accuracy_score(y_true, scores, k=k))


def test_top_k_large_parallel(rng):
    """Across thread ranges, bit-identical on 200k rows; K = 1000 too."""
    for n_classes, k in ((10, 3), (1000, 5)):
        n = 200_000 if n_classes == 10 else 20_000
        scores = rng.integers(0, 50, (n, n_classes)).astype(np.float32)
        y_true = rng.integers(0, n_classes, n)
        y_true[:n_classes] = np.arange(n_classes)
        assert (fastf1.top_k_accuracy_score(y_true, scores, k=k)
                == skm.top_k_accuracy_score(y_true, scores, k=k))


@pytest.mark.parametrize("bad", ["nan", "inf", "k0", "kfloat", "labels_unordered",
                                 "labels_dup", "labels_count", "missing_class", "not_in_labels",
                                 "not_in_sparse_labels", "not_in_string_labels",
                                 "continuous", "one_d_multiclass", "length", "three_d"])
def test_top_k_errors(bad):
    scores = np.random.default_rng(0).random((6, 3))
    y_true = np.array([0, 1, 2, 0, 1, 2])
    kwargs = {}
    if bad == "nan":
        scores[2, 1] = np.nan
    elif bad == "inf":
        scores[5, 0] = np.inf
    elif bad == "k0":
        kwargs["k"] = 0
    elif bad == "kfloat":
        kwargs["k"] = 2.0
    elif bad == "labels_unordered":
        kwargs["labels"] = [2, 1, 0]
    elif bad == "labels_dup":
        kwargs["labels"] = [0, 1, 1]
    elif bad == "labels_count":
        kwargs["labels"] = [0, 1, 2, 3]
    elif bad == "missing_class":
        scores = np.random.default_rng(0).random((6, 4))  # three classes, four columns
    elif bad == "not_in_labels":
        y_true = np.array([0, 1, 2, 0, 1, 5])
        kwargs["labels"] = [0, 1, 2]
    elif bad == "not_in_sparse_labels":
        y_true = np.array([0, 5, 10, 0, 5, 3])
        kwargs["labels"] = [0, 5, 10]
    elif bad == "not_in_string_labels":
        kwargs["labels"] = ["a", "b", "c"]
    elif bad == "continuous":
        y_true = y_true + 0.5
    elif bad == "one_d_multiclass":
        scores = scores[:, 0]
    elif bad == "length":
        scores = scores[:5]
    elif bad == "three_d":
        scores = scores[:, :, None]
    with pytest.raises(ValueError) as ours:
        fastf1.top_k_accuracy_score(y_true, scores, **kwargs)
    with pytest.raises(ValueError) as theirs:
        skm.top_k_accuracy_score(y_true, scores, **kwargs)
    if bad not in ("nan", "inf", "k0", "kfloat", "continuous", "length", "three_d"):
        assert str(ours.value) == str(theirs.value)


def _per_group(theirs, groups, y_true, y_score, weights, **kwargs):
    """scikit-learn on each group's rows alone: {group: score}, or the error type of the
    first group that fails."""
    wants = {}
    for g in np.unique(groups):
        rows = groups == g
        w = None if weights is None else weights[rows]
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                wants[g.item()] = theirs(y_true[rows], y_score[rows], sample_weight=w, **kwargs)
        except (ValueError, ZeroDivisionError) as exc:
            return type(exc)
    return wants


def _check_groups(got_call, wants, exact):
    if isinstance(wants, type):
        with pytest.raises(wants), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            got_call()
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        got = got_call()
    assert list(got) == sorted(wants)
    for g, want in wants.items():
        if exact:
            assert got[g] == want, g
        else:
            np.testing.assert_allclose(got[g], want, rtol=1e-9, atol=1e-12)


@given(problem=top_k_problem(), k=st.integers(1, 8), normalize=st.booleans(), data=st.data())
def test_top_k_groups(problem, k, normalize, data, kernel_mode):
    """groups=: each group as scikit-learn scores its rows alone (its own classes, with
    labels=None), bit for bit unweighted; zero-weight groups included."""
    y_true, scores, weights, labels = problem
    if labels is not None and data.draw(st.booleans()):
        labels = None
    n = y_true.shape[0]
    groups = np.array(data.draw(st.lists(st.sampled_from([3, -1, 7]), min_size=n,
                                         max_size=n)))
    if data.draw(st.booleans()):
        groups = groups.astype(str)
    wants = _per_group(skm.top_k_accuracy_score, groups, y_true, scores, weights, k=k,
                       normalize=normalize, labels=labels)
    _check_groups(lambda: fastf1.top_k_accuracy_score(
        y_true, scores, k=k, normalize=normalize, sample_weight=weights, labels=labels,
        groups=groups), wants, exact=weights is None)


@given(n=st.integers(1, 40), k=st.integers(1, 3), data=st.data())
def test_top_k_binary_groups(n, k, data):
    """Binary y_true, 1-D scores, groups=: each group's own threshold (0.5 or 0) and, with
    labels=None, its own classes (a group of one class encodes it as 0)."""
    rng = np.random.default_rng(data.draw(st.integers(0, 2**32 - 1)))
    y_true = np.array([3, 8])[rng.integers(0, 2, n)]
    scores = rng.random(n) * data.draw(st.sampled_from([1.0, 3.0])) - data.draw(
        st.sampled_from([0.0, 1.0]))
    groups = rng.integers(0, data.draw(st.integers(1, 4)), n)
    labels = data.draw(st.sampled_from([None, np.array([3, 8])]))
    weights = data.draw(sample_weights(n))
    normalize = data.draw(st.booleans())
    wants = _per_group(skm.top_k_accuracy_score, groups, y_true, scores, weights, k=k,
                       labels=labels, normalize=normalize)
    _check_groups(lambda: fastf1.top_k_accuracy_score(
        y_true, scores, k=k, labels=labels, sample_weight=weights, normalize=normalize,
        groups=groups), wants, exact=weights is None)


def test_top_k_groups_one_pass(rng, monkeypatch):
    """Groups whose classes fit the columns are counted in one pass, not group by group;
    groups with other class sets (each fitting the columns alone) fall back to that."""
    import fastf1.scorecard as sc

    y_true = rng.integers(0, 4, 2000)
    scores = rng.random((2000, 4)).astype(np.float32)
    groups = rng.integers(0, 5, 2000)

    def refuse(*args, **kwargs):
        raise AssertionError("scored group by group")

    with monkeypatch.context() as m:
        m.setattr(sc, "_rows_of_each_group", refuse)
        got = fastf1.top_k_accuracy_score(y_true, scores, k=2, groups=groups)
        shifted = fastf1.top_k_accuracy_score(y_true + 10, scores, k=2, groups=groups)
    assert got == shifted == _per_group(skm.top_k_accuracy_score, groups, y_true, scores,
                                        None, k=2)
    # group 0: classes 0..3, group 1: classes 1..4 (each fits the 4 columns)
    y_true = np.array([0, 1, 2, 3, 1, 2, 3, 4])
    scores = rng.random((8, 4))
    groups = np.array([0, 0, 0, 0, 1, 1, 1, 1])
    assert fastf1.top_k_accuracy_score(y_true, scores, k=2, groups=groups) == _per_group(
        skm.top_k_accuracy_score, groups, y_true, scores, None, k=2)


@pytest.mark.filterwarnings("ignore:'k' .* greater than or equal")
def test_top_k_weights_summing_to_zero():
    """scikit-learn's ZeroDivisionError (normalize=True) and 0.0 (normalize=False)."""
    scores = np.random.default_rng(0).random((4, 3))
    for w in ([0.0, 0.0, 0.0, 0.0], [1.0, -1.0, 0.0, 0.0]):
        for y_true, s in (([0, 1, 2, 0], scores), ([0, 1, 1, 0], scores[:, 0])):
            with pytest.raises(ZeroDivisionError, match="Weights sum to zero"):
                skm.top_k_accuracy_score(y_true, s, sample_weight=w)
            with pytest.raises(ZeroDivisionError, match="Weights sum to zero"):
                fastf1.top_k_accuracy_score(y_true, s, sample_weight=w)
            with pytest.raises(ZeroDivisionError, match="Weights sum to zero"):
                fastf1.top_k_accuracy_score(y_true, s, sample_weight=w, groups=[0, 0, 0, 0])
            assert fastf1.top_k_accuracy_score(y_true, s, sample_weight=w, normalize=False) \
                == skm.top_k_accuracy_score(y_true, s, sample_weight=w, normalize=False)


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
@pytest.mark.parametrize("layout", ["C", "F", "strided"])
def test_top_k_dtypes_and_layouts(dtype, layout, rng):
    """Every float width and memory layout, with ties that straddle k (a coarse grid)."""
    base = rng.integers(0, 6, (3001, 14)).astype(dtype)
    scores = {"C": base[:, :7].copy(), "F": np.asfortranarray(base[:, :7]),
              "strided": base[::2, ::2]}[layout]
    y_true = rng.integers(0, 7, scores.shape[0])
    y_true[:7] = np.arange(7)
    for k in (1, 3, 6, 7):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            assert (fastf1.top_k_accuracy_score(y_true, scores, k=k)
                    == skm.top_k_accuracy_score(y_true, scores, k=k))


@FEW
@given(problem=top_k_problem(), k=st.integers(1, 8), cuts=st.lists(st.integers(0, 40),
                                                                   max_size=3))
@example(problem=ZERO_TOP_K, k=2, cuts=[2])
def test_top_k_counts_streaming(problem, k, cuts):
    """TopKCounts over chunks (update, +, pickle, saved data) equals scikit-learn with
    labels= the classes of the columns, on all the rows."""
    from fastf1.scorecard import TopKCounts

    y_true, scores, weights, labels = problem
    classes = labels if labels is not None else np.unique(y_true)
    assume(classes.size == scores.shape[1])
    columns = classes.dtype.kind in "iu" and np.array_equal(classes, np.arange(classes.size))
    arg = None if columns and labels is None else classes
    bounds = [0, *sorted(c for c in cuts if c < y_true.shape[0]), y_true.shape[0]]
    streamed, parts = TopKCounts(k, labels=arg), []
    for lo, hi in zip(bounds, bounds[1:]):
        w = None if weights is None else weights[lo:hi]
        streamed.update(y_true[lo:hi], scores[lo:hi], w)
        parts.append(TopKCounts(k, labels=arg).update(y_true[lo:hi], scores[lo:hi], w))
    merged = sum(parts[1:], parts[0])
    restored = TopKCounts._from_data(json.loads(json.dumps(pickle.loads(
        pickle.dumps(merged))._to_data())))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            want = skm.top_k_accuracy_score(y_true, scores, k=k, labels=classes,
                                            sample_weight=weights)
        except ZeroDivisionError as exc:  # all-zero weights: a weighted mean of no weight
            for counts in (streamed, merged, restored):
                with pytest.raises(ZeroDivisionError, match=re.escape(str(exc))):
                    counts.top_k_accuracy_score()
            return
        for counts in (streamed, merged, restored):
            got = counts.top_k_accuracy_score()
            if weights is None:
                assert got == want
            else:
                np.testing.assert_allclose(got, want, rtol=1e-9)


def test_top_k_counts_by_group_and_errors(rng):
    from fastf1.scorecard import TopKCounts

    y_true = rng.integers(0, 5, 500)
    scores = rng.random((500, 5))
    groups = rng.integers(0, 3, 500)
    by = TopKCounts.by_group(y_true, scores, groups, k=2)
    assert by.map(lambda c: c.top_k_accuracy_score()) == _per_group(
        skm.top_k_accuracy_score, groups, y_true, scores, None, k=2, labels=np.arange(5))
    assert sum(by.values(), TopKCounts(2)).hits == TopKCounts(2).update(y_true, scores).hits
    with pytest.raises(ValueError, match="score matrices"):
        TopKCounts(2).update(y_true, scores[:, 0])
    with pytest.raises(ValueError, match="not a column of y_score"):
        TopKCounts(2).update(y_true + 1, scores)
    with pytest.raises(ValueError, match="columns"):
        TopKCounts(2).update(y_true, scores).update(y_true, scores[:, :4])
    with pytest.raises(ValueError, match="top-2 counts and top-3"):
        TopKCounts(2) + TopKCounts(3)
    with pytest.raises(ValueError, match="no rows counted"):
        TopKCounts(2).top_k_accuracy_score()
    with pytest.raises(ValueError, match="contains labels not in"):
        TopKCounts(2, labels=[1, 2, 3, 4, 5]).update(y_true, scores)
    with pytest.raises(ValueError, match="must be ordered"):
        TopKCounts(2, labels=[2, 1, 3])
    with pytest.raises(ValueError, match="NaN or infinity"):
        TopKCounts(2).update([0], [[np.nan, 0.0, 1.0]])
    assert TopKCounts(2).update([], np.zeros((0, 5))).rows == 0


# ---- StatScores: streaming, merge, pickle ------------------------------------------------


def _methods(vocab):
    return {
        "balanced_accuracy_score": ({}, fastf1.balanced_accuracy_score),
        "matthews_corrcoef": ({}, fastf1.matthews_corrcoef),
        "cohen_kappa_score": ({}, fastf1.cohen_kappa_score),
        "hamming_loss": ({}, fastf1.hamming_loss),
        "zero_one_loss": ({"normalize": False}, fastf1.zero_one_loss),
        "jaccard_score": ({"average": "macro", "zero_division": 1.0}, fastf1.jaccard_score),
    }


@FEW
@given(problem=label_problem(), cuts=st.lists(st.integers(0, 40), max_size=3))
@example(problem=(np.array([0, 1, 1]), np.array([1, 1, 0]), np.zeros(3), [0, 1]), cuts=[1])
def test_stat_scores_streaming_merge_pickle(problem, cuts):
    y_true, y_pred, weights, vocab = problem
    bounds = [0, *sorted(c for c in cuts if c < y_true.shape[0]), y_true.shape[0]]
    streamed = fastf1.StatScores()
    parts = []
    for lo, hi in zip(bounds, bounds[1:]):
        if hi == lo:
            continue
        w = None if weights is None else weights[lo:hi]
        streamed.update(y_true[lo:hi], y_pred[lo:hi], w)
        parts.append(fastf1.stat_scores(y_true[lo:hi], y_pred[lo:hi], sample_weight=w)
                     if w is None or w.any() else fastf1.StatScores().update(
                         y_true[lo:hi], y_pred[lo:hi], w))
    merged = sum(parts[1:], parts[0])
    restored = pickle.loads(pickle.dumps(merged))
    if weights is not None and not weights.any():
        # all-zero weights: every chunk is counted, and every score refused as the
        # function (and scikit-learn) refuses it
        for name, (kwargs, func) in _methods(vocab).items():
            with pytest.raises(ValueError, match="at least one non-zero") as want:
                func(y_true, y_pred, sample_weight=weights, **kwargs)
            for stats in (streamed, merged, restored):
                with pytest.raises(ValueError, match=re.escape(str(want.value))):
                    getattr(stats, name)(**kwargs)
        return
    for name, (kwargs, func) in _methods(vocab).items():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            want = func(y_true, y_pred, sample_weight=weights, **kwargs)
            for stats in (streamed, merged, restored):
                got = getattr(stats, name)(**kwargs)
                if weights is None:
                    assert got == want or (np.isnan(got) and np.isnan(want)), name
                else:
                    np.testing.assert_allclose(got, want, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("average", ["binary", "micro", "macro", "weighted", None], ids=str)
@pytest.mark.parametrize("zero_division", ["warn", 0.0, 1.0, np.nan], ids=str)
@FEW
@given(problem=st.one_of(label_problem(), multilabel_problem()))
@example(problem=(np.array([0, 1, 1]), np.array([1, 1, 0]), np.full(3, 0.25), [0, 1]))
def test_specificity_and_npv(average, zero_division, problem):
    """tn / (tn + fp) and tn / (tn + fn) from scikit-learn's multilabel confusion matrix."""
    y_true, y_pred, weights, vocab = problem
    if weights is not None:  # whole weights: tn = total - tp - fp - fn is exact either way
        weights = np.round(weights)
        if not weights.any():  # refused, as scikit-learn refuses them
            with pytest.raises(ValueError, match="at least one non-zero") as want:
                skm.multilabel_confusion_matrix(y_true, y_pred, sample_weight=weights)
            with pytest.raises(ValueError, match=re.escape(str(want.value))):
                fastf1.stat_scores(y_true, y_pred, sample_weight=weights)
            return
    stats = fastf1.stat_scores(y_true, y_pred, sample_weight=weights)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            want_labels = skm._classification._check_set_wise_labels(
                y_true, y_pred, average, None, 1)
        except ValueError:
            with pytest.raises(ValueError):
                stats.specificity(average=average, zero_division=zero_division)
            return
        mcm = skm.multilabel_confusion_matrix(y_true, y_pred, sample_weight=weights,
                                              labels=want_labels).astype(np.float64)
        tn, fp, fn, tp = mcm[:, 0, 0], mcm[:, 0, 1], mcm[:, 1, 0], mcm[:, 1, 1]
        for method, other in (("specificity", fp), ("negative_predictive_value", fn)):
            got = getattr(stats, method)(average=average, zero_division=zero_division)
            num, den = tn, tn + other
            if average == "micro":
                num, den = num.sum(keepdims=True), den.sum(keepdims=True)
            fill = 0.0 if zero_division == "warn" else zero_division
            per = np.where(den == 0, fill, num / np.where(den == 0, 1, den))
            if average is None:
                want = per
            elif average == "weighted" and np.nansum((tp + fn)[~np.isnan(per)]) > 0:
                keep = ~np.isnan(per)
                want = np.average(per[keep], weights=(tp + fn)[keep])
            else:
                want = np.nanmean(per) if not np.isnan(per).all() else np.nan
            np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-15)


def test_specificity_warns():
    with pytest.warns(fastf1.UndefinedMetricWarning, match="Specificity is ill-defined"):
        assert fastf1.stat_scores([1, 1], [1, 1]).specificity(pos_label=1) == 0.0
    with pytest.warns(fastf1.UndefinedMetricWarning, match="Negative predictive value is"):
        fastf1.stat_scores([1, 0], [1, 1]).negative_predictive_value()


# ---- groups, Dask, bootstrap ------------------------------------------------------------


@pytest.mark.parametrize("name", [*SINGLE_LABEL, "jaccard_score", "top_k_accuracy_score"])
@FEW
@given(data=st.data())
def test_groups_equal_per_group(name, data):
    ours, theirs = _pair(name)
    if name == "top_k_accuracy_score":
        y_true, y_pred, weights, labels = data.draw(top_k_problem())
        extra = {"labels": labels if labels is not None else np.unique(y_true)}
        if extra["labels"].size != y_pred.shape[1]:
            extra["labels"] = None
    else:
        y_true, y_pred, weights, vocab = data.draw(label_problem())
        extra = _extra(name, data, vocab)
        if name == "jaccard_score":
            extra = {"average": "macro"}
    groups = np.array(data.draw(st.lists(st.sampled_from(["a", "b", "c"]),
                                         min_size=y_true.shape[0], max_size=y_true.shape[0])))
    # a group whose weights are all zero is refused by both (top-k accuracy, a weighted
    # mean, raises ZeroDivisionError for it), the first failing group's error first
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wants = {}
        for g in np.unique(groups):
            rows = groups == g
            w = None if weights is None else weights[rows]
            try:
                wants[g] = theirs(y_true[rows], y_pred[rows], sample_weight=w, **extra)
            except (ValueError, ZeroDivisionError) as exc:
                # a group alone is an error in scikit-learn: so is the call
                with pytest.raises(ValueError if isinstance(exc, ValueError) else type(exc)):
                    ours(y_true, y_pred, sample_weight=weights, groups=groups, **extra)
                return
        result = ours(y_true, y_pred, sample_weight=weights, groups=groups, **extra)
    assert sorted(result) == sorted(wants)
    for g, want in wants.items():
        np.testing.assert_allclose(result[g], want, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("name", ["matthews_corrcoef", "balanced_accuracy_score",
                                  "cohen_kappa_score", "hamming_loss", "jaccard_score"])
def test_dask_input(name, rng):
    da = pytest.importorskip("dask.array")
    y_true = rng.integers(0, 5, 1000)
    y_pred = np.where(rng.random(1000) < 0.7, y_true, rng.integers(0, 5, 1000))
    ours, _ = _pair(name)
    kwargs = {"average": "macro"} if name == "jaccard_score" else {}
    want = ours(y_true, y_pred, **kwargs)
    got = ours(da.from_array(y_true, chunks=300), da.from_array(y_pred, chunks=300), **kwargs)
    assert got == want


# ---- bad input ---------------------------------------------------------------------------


@pytest.mark.parametrize("case", [
    ("matthews_corrcoef", ([[0, 1]], [[1, 1]]), {}),
    ("balanced_accuracy_score", ([[0, 1]], [[1, 1]]), {}),
    ("cohen_kappa_score", ([0, 1], [1, 1]), {"weights": "cubic"}),
    ("cohen_kappa_score", ([0, 1], [1, 1]), {"replace_undefined_by": 2.0}),
    ("cohen_kappa_score", ([0, 1], [1, 1]), {"labels": [5]}),
    ("jaccard_score", ([0, 1], [1, 1]), {"zero_division": np.nan}),
    ("jaccard_score", ([0, 1, 2], [1, 1, 2]), {}),
    ("jaccard_score", ([0, 1], [1, 1]), {"average": "samples"}),
    ("class_likelihood_ratios", ([0, 1, 2], [1, 1, 2]), {}),
    ("class_likelihood_ratios", ([0, 1], [1, 1]), {"replace_undefined_by": 0.5}),
    ("class_likelihood_ratios", ([0, 1], [1, 1]), {"replace_undefined_by": {"LR+": 0.5}}),
    ("class_likelihood_ratios", ([0, 1], [1, 1]),
     {"replace_undefined_by": {"LR+": 0.5, "LR-": 0.5}}),
    ("class_likelihood_ratios", ([1, 1], [1, 1]), {}),
    ("class_likelihood_ratios", ([0, 1], [1, 1]), {"labels": [0, 1, 2]}),
    ("class_likelihood_ratios", ([0, 1], [1, 1]), {"labels": [5, 6]}),
    ("hamming_loss", ([0, 1], [1, 1, 0]), {}),
    ("zero_one_loss", ([0, 1.5], [1, 1]), {}),
], ids=lambda c: f"{c[0]}-{sorted(c[2])}")
def test_bad_input(case):
    name, args, kwargs = case
    ours, theirs = _pair(name)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(ValueError) as want:
            theirs(*args, **kwargs)
        with pytest.raises(ValueError) as got:
            ours(*args, **kwargs)
    if name in ("matthews_corrcoef", "cohen_kappa_score", "class_likelihood_ratios") and \
            "replace_undefined_by" not in kwargs and "weights" not in kwargs:
        assert str(got.value) == str(want.value)


def test_stat_scores_kappa_needs_matrix():
    stats = fastf1.stat_scores([0, 1, 2], [0, 2, 2])
    with pytest.raises(ValueError, match="K x K confusion matrix"):
        stats.cohen_kappa_score(weights="linear")


# ---- fastf1 score: the summary block ----------------------------------------------------


def test_cli_summary_block(tmp_path, capsys, rng):
    import json

    from fastf1 import cli

    t = rng.integers(0, 4, 700)
    p = np.where(rng.random(700) < 0.7, t, rng.integers(0, 4, 700))
    np.save(tmp_path / "y_true.npy", t)
    np.save(tmp_path / "y_pred.npy", p)
    args = ["score", str(tmp_path), "--true", "y_true", "--pred", "y_pred", "-q",
            "--chunk-rows", "100"]
    assert cli.main([*args, "--json"]) == 0
    got = json.loads(capsys.readouterr().out)["summary"]
    assert got == {"accuracy": skm.accuracy_score(t, p),
                   "balanced_accuracy": skm.balanced_accuracy_score(t, p),
                   "matthews_corrcoef": skm.matthews_corrcoef(t, p),
                   "cohen_kappa": skm.cohen_kappa_score(t, p)}
    assert cli.main(args) == 0
    text = capsys.readouterr().out
    assert (f"summary: accuracy {skm.accuracy_score(t, p):.4f}  balanced accuracy "
            f"{skm.balanced_accuracy_score(t, p):.4f}  MCC {skm.matthews_corrcoef(t, p):.4f}  "
            f"Cohen's kappa {skm.cohen_kappa_score(t, p):.4f}") in text


@pytest.mark.parametrize("raw", [[0, 1, 2, 1, 0], [0, 255, 1, 255, 0]])
def test_top_k_bool_truth_of_noncanonical_bytes(raw):
    """A bool y_true whose bytes are not 0 / 1 holds True there, as NumPy and scikit-learn
    read it (the kernels read a bool label as its byte)."""
    y = np.array(raw, np.uint8).view(bool)
    s = np.array([[.1, .8, .1], [.7, .2, .1], [.2, .5, .3], [.1, .8, .1], [.6, .3, .1]])
    for labels in ([0, 1, 2], None):
        got = _outcome(fastf1.top_k_accuracy_score, y, s, k=1, labels=labels)
        assert got == _outcome(skm.top_k_accuracy_score, y, s, k=1, labels=labels)
    hits = fastf1.TopKCounts(1).update(y, s[:, :2]).hits
    assert hits == int(np.sum(s[:, :2].argmax(axis=1) == y.astype(int)))


def _outcome(func, *args, **kwargs):
    try:
        return func(*args, **kwargs)
    except ValueError as exc:
        return type(exc), str(exc).split(" (")[0]


# ---- a label whose every row weighs zero is present, as scikit-learn reads rows ----------


@pytest.mark.parametrize("labels", [[0, 5], [5, 0], [0, 1]])
def test_label_present_only_in_zero_weight_rows(labels):
    """``labels=`` names a label found in y_true only in rows of weight zero: scikit-learn
    finds it by rows (no "must be in y_true" error), whatever the weights."""
    y_true, y_pred = np.array([0, 1, 1, 0]), np.array([1, 1, 0, 0])
    weights = np.array([0.0, 1.0, 2.0, 0.0])
    ours, theirs = _pair("class_likelihood_ratios")
    compare(ours, theirs, (y_true, y_pred), {"labels": labels, "sample_weight": weights},
            exact=False)
    stats = fastf1.stat_scores(y_true, y_pred, sample_weight=weights)
    again = fastf1.StatScores.from_json(stats.to_json()) + fastf1.StatScores()
    compare(lambda t, p, **kw: again.class_likelihood_ratios(labels=kw["labels"]), theirs,
            (y_true, y_pred), {"labels": labels, "sample_weight": weights}, exact=False)



@pytest.mark.parametrize("labels", [[0, 0], [1, 1], [5, 5]])
@pytest.mark.parametrize("weighted", [False, True])
def test_likelihood_ratios_label_given_twice(labels, weighted):
    """labels=[a, a]: scikit-learn's confusion matrix maps a to its last index, so only
    the rows (a, a) are counted, in the last cell."""
    y_true, y_pred = np.array([0, 1, 1, 0, 0]), np.array([1, 1, 0, 0, 0])
    weights = np.arange(1.0, 6.0) if weighted else None
    compare(*_pair("class_likelihood_ratios"), (y_true, y_pred),
            {"labels": labels, "sample_weight": weights}, exact=not weighted)


# ---- top-k at the ends of 64 bits: k past int64, uint64 labels from 2**63 ---------------

_B = 2**63
_U64 = np.uint64


@pytest.mark.parametrize("y_true, kwargs", [
    ([0, 1, 2, 0], {"k": _B}),
    ([0, 1, 2, 0], {"k": 2**64}),
    ([0, 1, 2, 0], {"k": _U64(_B)}),
    ([0, 1, 2, 0], {"k": _B, "labels": [0, 1, 2]}),
    ([0, 1, 0, 0], {"k": _B, "binary": True}),
    (np.array([_B, _B + 1, _B + 2, _B], _U64), {"k": 1}),
    (np.array([_B, _B + 1, _B + 2, _B], _U64), {"k": 1, "labels": [_B, _B + 1, _B + 2]}),
    (np.array([2**64 - 3, 2**64 - 2, 2**64 - 1, 2**64 - 1], _U64), {"k": 1}),
    (np.array([_B, _B + 1, _B + 1, _B], _U64), {"k": 1, "binary": True}),
    # one int64 bit pattern, two labels: -2**63 is not 2**63
    (np.array([-_B, 1 - _B, 2 - _B, -_B]), {"k": 1, "labels": np.array([_B, _B + 1, _B + 2], _U64)}),
    (np.array([_B, _B + 1, _B + 2, _B], _U64), {"k": 1, "labels": [-_B, 1 - _B, 2 - _B]}),
    (np.array([2**64 - 1, 0, 1, 0], _U64), {"k": 1, "labels": [-1, 0, 1]}),
    (np.array([_B, _B + 1, _B + 2, _B], _U64).astype(np.float64), {"k": 1}),
    (np.array([_B, _B + 1, _B + 2, _B], _U64).astype(np.float64),
     {"k": 1, "labels": [_B, _B + 1, _B + 2]}),
], ids=str)
def test_top_k_64_bit_ends(y_true, kwargs):
    kwargs = dict(kwargs)
    scores = np.array([[.1, .5, .4], [.3, .3, .4], [.2, .2, .6], [.5, .3, .2]])
    if kwargs.pop("binary", False):
        scores = scores[:, 1]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # scikit-learn's float -> int cast
        compare(fastf1.top_k_accuracy_score, skm.top_k_accuracy_score,
                (np.asarray(y_true), scores), kwargs)
    if "labels" in kwargs and np.asarray(y_true).dtype == _U64 and scores.ndim == 2:
        counts = fastf1.TopKCounts(k=kwargs["k"], labels=kwargs["labels"])
        got = _call_quiet(lambda: counts.update(y_true, scores).top_k_accuracy_score())
        want = _call_quiet(lambda: skm.top_k_accuracy_score(y_true, scores, **kwargs))
        assert got == want


def _call_quiet(f):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return f()
        except ValueError as exc:
            return type(exc), str(exc)


@pytest.mark.parametrize("dtype", [np.uint64, np.int64])
def test_top_k_64_bit_integer_scores_keep_their_order(dtype):
    """Integer scores past 2**53 are not rounded into ties (float64 would)."""
    info = np.iinfo(dtype)
    top = np.array([info.max, info.max - 1, info.max - 2, info.min, 5, 0], dtype)
    scores = np.c_[top, top[::-1], np.roll(top, 2)]
    y_true = np.array([0, 1, 2, 0, 1, 2])
    for k in (1, 2):
        compare(fastf1.top_k_accuracy_score, skm.top_k_accuracy_score, (y_true, scores),
                {"k": k})
