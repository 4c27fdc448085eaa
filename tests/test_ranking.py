"""Exact ranking scores, curves, probability losses and the calibration curve against
scikit-learn: results (bit for bit), warnings and errors."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
import sklearn.calibration
import sklearn.metrics as skm
from hypothesis import given
from hypothesis import strategies as st
from strategies import sample_weights

import fastf1
import fastf1._threads as config

SCORE_DTYPES = [np.float16, np.float32, np.float64, np.int64, np.int8, np.uint32]


# ---- running both: the same value, warnings and error ------------------------------------


def outcome(func, *args, **kwargs):
    """(result or exception, warnings as (category, text))."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result = func(*args, **kwargs)
        except Exception as exc:  # noqa: BLE001 - the exception is the outcome compared
            result = exc
    return result, sorted({(w.category.__name__, str(w.message)) for w in caught})


def assert_same_value(got, want):
    if isinstance(want, tuple):
        assert isinstance(got, tuple) and len(got) == len(want)
        for g, w in zip(got, want):
            assert_same_value(g, w)
        return
    if isinstance(want, np.ndarray):
        assert isinstance(got, np.ndarray), (got, want)
        assert got.dtype == want.dtype and got.shape == want.shape, (got, want)
        np.testing.assert_array_equal(got, want)  # bit for bit (NaN equal to NaN)
        return
    assert type(got) is type(want), (got, want)
    assert (np.isnan(got) and np.isnan(want)) or got == want, (got, want)


def assert_same(name, *args, **kwargs):
    """fastf1.<name> and sklearn.metrics.<name>: same result (bit for bit), same warnings,
    or the same exception type (scikit-learn's parameter errors are ValueErrors)."""
    reference = getattr(skm, name, None) or getattr(sklearn.calibration, name)
    want, want_warnings = outcome(reference, *args, **kwargs)
    got, got_warnings = outcome(getattr(fastf1, name), *args, **kwargs)
    if isinstance(want, Exception):
        assert isinstance(got, Exception), f"{name}: scikit-learn raised {want!r}, got {got!r}"
        kind = ValueError if isinstance(want, ValueError) else type(want)
        assert isinstance(got, kind), (got, want)
        return want, got
    if isinstance(got, Exception):
        raise AssertionError(f"{name} raised {got!r}; scikit-learn returned {want!r}") from got
    assert_same_value(got, want)
    assert got_warnings == want_warnings
    return want, got


# ---- strategies ---------------------------------------------------------------------------


LABELS = {"01": [0, 1], "pm1": [-1, 1], "bool": [False, True], "ints": [3, 7],
          "str": ["no", "yes"]}


@st.composite
def binary_problem(draw, max_rows=40):
    """(y_true, y_score, sample_weight, pos_label): ties, one class, every score dtype."""
    kind = draw(st.sampled_from(sorted(LABELS)))
    vocab = LABELS[kind]
    n = draw(st.integers(1, max_rows))
    used = draw(st.sampled_from([vocab, vocab, vocab[:1], vocab[1:]]))
    y = np.array(draw(st.lists(st.sampled_from(used), min_size=n, max_size=n)))
    dtype = draw(st.sampled_from(SCORE_DTYPES))
    levels = draw(st.sampled_from([2, 5, 50]))  # few levels: many ties
    raw = np.array(draw(st.lists(st.integers(0, levels), min_size=n, max_size=n)))
    if np.dtype(dtype).kind == "f":
        s = ((raw - levels / 3) / levels).astype(dtype)
    else:
        s = (raw - (levels // 3 if np.dtype(dtype).kind == "i" else 0)).astype(dtype)
    pos_label = None if kind in ("01", "pm1", "bool") and draw(st.booleans()) else vocab[1]
    return y, s, draw(sample_weights(n)), pos_label


@st.composite
def multiclass_problem(draw, max_rows=30):
    k = draw(st.integers(3, 4))
    n = draw(st.integers(1, max_rows))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    present = draw(st.sampled_from([k, k, k - 1]))
    y = rng.integers(0, present, n)
    p = rng.integers(1, draw(st.sampled_from([3, 20])), (n, k)).astype(np.float64)
    p /= p.sum(axis=1, keepdims=True)
    return y, p, draw(sample_weights(n))


@st.composite
def multilabel_scores(draw, max_rows=30):
    k = draw(st.integers(2, 4))
    n = draw(st.integers(1, max_rows))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    y = (rng.random((n, k)) < draw(st.sampled_from([0.1, 0.5, 0.9]))).astype(np.int64)
    s = rng.integers(0, draw(st.sampled_from([3, 100])), (n, k)) / 7.0
    return y, s, draw(sample_weights(n))


# ---- binary --------------------------------------------------------------------------------


@given(binary_problem(), st.sampled_from([None, 0.25, 0.5, 1]))
def test_binary_roc_auc(problem, max_fpr):
    y, s, w, _ = problem
    assert_same("roc_auc_score", y, s, sample_weight=w, max_fpr=max_fpr)


@given(binary_problem(), st.booleans())
def test_binary_curves(problem, drop):
    y, s, w, pos_label = problem
    assert_same("roc_curve", y, s, pos_label=pos_label, sample_weight=w,
                drop_intermediate=drop)
    assert_same("det_curve", y, s, pos_label=pos_label, sample_weight=w,
                drop_intermediate=drop)


@given(binary_problem())
def test_binary_average_precision(problem):
    y, s, w, pos_label = problem
    assert_same("average_precision_score", y, s, sample_weight=w,
                pos_label=1 if pos_label is None else pos_label)


# ---- multiclass and multilabel -----------------------------------------------------------


@given(multiclass_problem(), st.sampled_from(["ovr", "ovo"]),
       st.sampled_from(["macro", "weighted", "micro", None]))
def test_multiclass_roc_auc(problem, multi_class, average):
    y, p, w = problem
    assert_same("roc_auc_score", y, p, multi_class=multi_class, average=average,
                sample_weight=w if multi_class == "ovr" else None)
    assert_same("roc_auc_score", y, p, multi_class=multi_class, average=average,
                labels=np.arange(p.shape[1]))


@given(st.integers(0, 2**32 - 1), st.integers(3, 6), st.sampled_from(["ovr", "ovo"]))
def test_multiclass_roc_auc_float16_probabilities(seed, k, multi_class):
    # rows that sum to 1 in float16 (scikit-learn's check) but not once widened to float32
    rng = np.random.default_rng(seed)
    y = rng.integers(0, k, 12)
    y[:k] = np.arange(k)
    p16 = rng.dirichlet(np.ones(k), 12).astype(np.float16)
    assert_same("roc_auc_score", y, p16, multi_class=multi_class)
    assert_same("roc_auc_score", y, pd.DataFrame(p16), multi_class=multi_class)


def test_multiclass_roc_auc_float16_reported_case():
    y = np.array([1, 2, 2, 0, 2, 2])
    p16 = np.array([[0.3372, 0.4363, 0.2267], [0.5425, 0.1528, 0.3047],
                    [0.3328, 0.1127, 0.5547], [0.3096, 0.4397, 0.2507],
                    [0.2961, 0.4482, 0.2556], [0.137, 0.434, 0.429]], np.float16)
    assert_same("roc_auc_score", y, p16, multi_class="ovr")
    assert not isinstance(outcome(fastf1.roc_auc_score, y, p16, multi_class="ovr")[0],
                          Exception)


@given(multiclass_problem(), st.sampled_from(["macro", "weighted", "micro", "samples", None]))
def test_multiclass_average_precision(problem, average):
    y, p, w = problem
    assert_same("average_precision_score", y, p, average=average, sample_weight=w)


@given(multilabel_scores(), st.sampled_from(["macro", "weighted", "micro", "samples", None]))
def test_multilabel(problem, average):
    y, s, w = problem
    assert_same("roc_auc_score", y, s, average=average, sample_weight=w)
    assert_same("average_precision_score", y, s, average=average, sample_weight=w)


def test_multiclass_string_labels():
    y = np.array(["b", "a", "c", "a", "b", "c"])
    p = np.random.default_rng(3).dirichlet(np.ones(3), 6)
    for multi_class in ("ovr", "ovo"):
        assert_same("roc_auc_score", y, p, multi_class=multi_class)
        assert_same("roc_auc_score", y, p, multi_class=multi_class, labels=["a", "b", "c"])
    assert_same("average_precision_score", y, p)


# ---- larger inputs: the parallel sort and the packed-key order -----------------------------


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64, np.int32, np.uint8])
@pytest.mark.parametrize("weighted", [False, True])
def test_large(dtype, weighted):
    rng = np.random.default_rng(7)
    n = 2 * config.PARALLEL_MIN_ROWS + 123
    y = (rng.random(n) < 0.1).astype(np.int64)
    raw = rng.normal(0.2 * y, 1.0, n)
    if np.dtype(dtype).kind == "f":
        s = raw.astype(dtype)
        s[:50] = -0.0  # -0.0 and 0.0 tie
        s[50:100] = 0.0
    else:
        s = np.clip(raw * 40 + (0 if np.dtype(dtype).kind == "i" else 100), 0, 255).astype(dtype)
    w = rng.integers(0, 5, n) * 0.3 if weighted else None
    assert_same("roc_auc_score", y, s, sample_weight=w)
    assert_same("average_precision_score", y, s, sample_weight=w)
    assert_same("roc_curve", y, s, sample_weight=w)


# ---- input forms ---------------------------------------------------------------------------


def test_input_forms():
    y = [0, 1, 1, 0, 1, 0]
    s = [0.2, 0.9, 0.4, 0.4, 0.7, 0.1]
    for yy, ss in ((y, s), (pd.Series(y), pd.Series(s)), (np.array(y, bool), np.array(s)),
                   (np.array(y)[:, None], np.array(s)[:, None]),
                   (np.array(y, np.float32), np.array(s, np.float16))):
        assert_same("roc_auc_score", yy, ss)
        assert_same("average_precision_score", yy, ss)
        assert_same("roc_curve", yy, ss)
        assert_same("det_curve", yy, ss)


# ---- errors and warnings ----------------------------------------------------------------------


Y, S = np.array([0, 1, 1, 0]), np.array([0.1, 0.8, 0.35, 0.4])
P3 = np.array([[0.2, 0.3, 0.5], [0.6, 0.2, 0.2], [0.1, 0.8, 0.1], [0.3, 0.3, 0.4]])
Y3 = np.array([2, 0, 1, 2])

BAD = [
    ("roc_auc_score", (Y, [0.1, np.nan, 0.3, 0.2]), {}),
    ("roc_auc_score", (Y, [0.1, np.inf, 0.3, 0.2]), {}),
    ("roc_auc_score", ([1, 1, 1], [0.1, 0.2, 0.3]), {}),
    ("roc_auc_score", ([0, 0.5, 1], [0.1, 0.2, 0.3]), {}),
    ("roc_auc_score", (Y, S[:3]), {}),
    ("roc_auc_score", ([], []), {}),
    ("roc_auc_score", (Y, S), {"average": "binary"}),
    ("roc_auc_score", (Y, S), {"max_fpr": 0}),
    ("roc_auc_score", (Y, S), {"max_fpr": 1.5}),
    ("roc_auc_score", (Y, S), {"max_fpr": True}),
    ("roc_auc_score", (Y, S), {"max_fpr": False}),
    ("roc_auc_score", (Y3, P3), {"multi_class": "ovr", "max_fpr": True}),
    ("roc_auc_score", (Y, S), {"multi_class": "ova"}),
    ("roc_auc_score", (Y, np.c_[1 - S, S]), {}),
    ("roc_auc_score", ([0, 0, 0, 0], np.c_[1 - S, S]), {}),
    ("roc_auc_score", (Y3, P3), {}),
    ("roc_auc_score", (Y3, P3), {"multi_class": "ovr", "max_fpr": 0.5}),
    ("roc_auc_score", (Y3, P3 * 2), {"multi_class": "ovr"}),
    ("roc_auc_score", (Y3, P3[:, :2]), {"multi_class": "ovr"}),
    ("roc_auc_score", (Y3, P3), {"multi_class": "ovo", "average": None}),
    ("roc_auc_score", (Y3, P3), {"multi_class": "ovo", "average": "micro"}),
    ("roc_auc_score", (Y3, P3), {"multi_class": "ovo", "sample_weight": [1, 2, 3, 4]}),
    ("roc_auc_score", (Y3, P3), {"multi_class": "ovr", "labels": [0, 1, 1]}),
    ("roc_auc_score", (Y3, P3), {"multi_class": "ovr", "labels": [2, 1, 0]}),
    ("roc_auc_score", (Y3, P3), {"multi_class": "ovr", "labels": [0, 1]}),
    ("roc_auc_score", (Y3, P3), {"multi_class": "ovr", "labels": [0, 1, 5]}),
    ("roc_auc_score", (Y3 + 1, P3), {"multi_class": "ovr", "labels": [0, 1, 2]}),
    ("roc_auc_score", (Y, S), {"sample_weight": [0, 0, 0, 0]}),
    ("roc_auc_score", (Y, S), {"sample_weight": [1, 0, 0, 1]}),
    ("roc_auc_score", (Y, S), {"sample_weight": [1, 2, 3]}),
    ("roc_auc_score", (np.array([[0, 1], [1, 1]]), np.array([[0.2, 0.3], [0.4, 0.5]])), {}),
    ("roc_curve", (["a", "b", "a"], [0.1, 0.2, 0.3]), {}),
    ("roc_curve", ([0, 1, 2], [0.1, 0.2, 0.3]), {}),
    ("roc_curve", ([0, 1, 2], [0.1, 0.2, 0.3]), {"pos_label": 2}),
    ("roc_curve", ([0, 2, 2], [0.1, 0.2, 0.3]), {}),
    ("roc_curve", ([1, 1], [0.1, 0.2]), {}),
    ("roc_curve", ([0, 0], [0.1, 0.2]), {}),
    ("roc_curve", (Y, np.c_[S, S]), {}),
    ("roc_curve", (Y, S), {"drop_intermediate": "yes"}),
    ("det_curve", ([1, 1], [0.1, 0.2]), {}),
    ("det_curve", (Y, S), {"pos_label": 3}),
    ("average_precision_score", ([0, 0], [0.1, 0.2]), {}),
    ("average_precision_score", (Y, S), {"pos_label": 2}),
    ("average_precision_score", (["a", "b", "a"], [0.1, 0.2, 0.3]), {}),
    ("average_precision_score", (["a", "b", "a"], [0.1, 0.2, 0.3]), {"pos_label": "b"}),
    ("average_precision_score", (Y3, P3), {"pos_label": 2}),
    ("average_precision_score", (Y3, P3[:, :2]), {}),
    ("average_precision_score", (np.eye(3, dtype=int), np.eye(3)), {"pos_label": 0}),
    ("average_precision_score", (Y, S), {"average": "binary"}),
]


@pytest.mark.parametrize("name, args, kwargs", BAD,
                         ids=[f"{b[0]}-{i}" for i, b in enumerate(BAD)])
def test_edge_cases_and_errors(name, args, kwargs):
    want, got = assert_same(name, *args, **kwargs)
    if isinstance(want, ValueError) and not type(want).__name__.startswith("Invalid"):
        assert str(got) == str(want)


# ---- probability losses and the calibration curve -----------------------------------------


@st.composite
def probability_problem(draw, max_rows=30):
    """(y_true, y_proba 1-D, y_proba (n, K), y_true for K classes, weights): probabilities
    on a grid (0 and 1 included: clipping), every float dtype."""
    n = draw(st.integers(1, max_rows))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    dtype = draw(st.sampled_from([np.float16, np.float32, np.float64]))
    levels = draw(st.sampled_from([2, 10, 1000]))
    vocab = LABELS[draw(st.sampled_from(sorted(LABELS)))]
    y = np.array(vocab, dtype=object if isinstance(vocab[0], str) else None)[
        rng.integers(0, 2, n)]
    p = (rng.integers(0, levels + 1, n) / levels).astype(dtype)
    k = draw(st.integers(2, 4))
    yk = rng.integers(0, k, n)
    pk = rng.integers(0, levels, (n, k)).astype(np.float64) + 0.5
    pk = (pk / pk.sum(axis=1, keepdims=True)).astype(dtype)
    return y, p, yk, pk, draw(sample_weights(n))


@given(probability_problem(), st.booleans())
def test_log_loss(problem, normalize):
    y, p, yk, pk, w = problem
    assert_same("log_loss", y, p, sample_weight=w, normalize=normalize)
    assert_same("log_loss", yk, pk, sample_weight=w, normalize=normalize)
    assert_same("log_loss", yk, pk, sample_weight=w, labels=list(range(pk.shape[1])))
    assert_same("log_loss", (pk > 0.3).astype(int), pk, sample_weight=w)


@given(probability_problem(), st.sampled_from(["auto", True, False]))
def test_brier_score_loss(problem, scale_by_half):
    y, p, yk, pk, w = problem
    pos_label = y[0] if isinstance(y[0], str) else None
    assert_same("brier_score_loss", y, p, sample_weight=w, pos_label=pos_label,
                scale_by_half=scale_by_half)
    assert_same("brier_score_loss", yk, pk, sample_weight=w, scale_by_half=scale_by_half,
                labels=list(range(pk.shape[1])))


@given(probability_problem(), st.sampled_from(["uniform", "quantile"]),
       st.sampled_from([1, 2, 5, 13]))
def test_calibration_curve(problem, strategy, n_bins):
    y, p, _, _, _ = problem
    pos_label = y[-1] if isinstance(y[0], str) else None
    assert_same("calibration_curve", y, p, pos_label=pos_label, n_bins=n_bins,
                strategy=strategy)


PROBA_BAD = [
    ("log_loss", ([0, 0.5, 1], [0.1, 0.2, 0.3]), {}),
    ("log_loss", ([1, 1, 1], [0.1, 0.2, 0.3]), {}),
    ("log_loss", ([1, 1, 1], [0.1, 0.2, 0.3]), {"labels": [1]}),
    ("log_loss", ([1, 1, 2], [0.1, 0.2, 0.3]), {"labels": [2, 1]}),
    ("log_loss", ([1, 1, 3], [0.1, 0.2, 0.3]), {"labels": [2, 1]}),
    ("log_loss", ([0, 1, 2], [0.1, 0.2, 0.3]), {}),
    ("log_loss", ([0, 1, 2], P3[:3, :2]), {"labels": [0, 1, 2]}),
    ("log_loss", ([0, 1, 1], [0.1, 0.2, 1.3]), {}),
    ("log_loss", ([0, 1, 1], [0.1, 0.2, -0.3]), {}),
    ("log_loss", ([0, 1, 1], [0.1, np.nan, 0.3]), {}),
    ("log_loss", ([0, 1, 1], np.array([[0.1, 0.2], [0.3, 0.2], [0.5, 0.5]])), {}),
    ("log_loss", ([0, 1, 1], [0.1, 0.2, 0.3]), {"y_pred": [0.1, 0.2, 0.3]}),
    ("log_loss", ([0, 1, 1],), {"y_pred": [0.1, 0.2, 0.3]}),
    ("log_loss", ([0, 1, 1], [0.1, 0.2, 0.3]), {"normalize": 1}),
    ("log_loss", ([0, 1, 1], [0.1, 0.2, 0.3]), {"sample_weight": [1, np.nan, 1]}),
    ("log_loss", ([0, 1, 1], [0.1, 0.2, 0.3]), {"sample_weight": [0, 0, 0]}),
    ("log_loss", ([0, 1, 1], [0.1, 0.2]), {}),
    ("log_loss", ([0, 1, 1], [0, 1, 1]), {}),
    ("brier_score_loss", (["a", "b"], [0.1, 0.2]), {}),
    ("brier_score_loss", ([0, 1, 2], [0.1, 0.2, 0.3]), {}),
    ("brier_score_loss", ([3, 5], [0.1, 0.2]), {}),
    ("brier_score_loss", ([3, 5], [0.1, 0.2]), {"pos_label": 3}),
    ("brier_score_loss", ([1, 1], [0.1, 0.2]), {}),
    ("brier_score_loss", ([0, 1], [0.1, 1.2]), {}),
    ("brier_score_loss", ([0, 1], [0.1, -0.2]), {}),
    ("brier_score_loss", ([0, np.nan], [0.1, 0.2]), {}),
    ("brier_score_loss", ([0, 1], np.array([[0.1, 0.9], [0.2, 0.8]])), {}),
    ("brier_score_loss", ([0, 1], [0.1, 0.2]), {"scale_by_half": "x"}),
    ("calibration_curve", ([0, 1, 2], [0.1, 0.2, 0.3]), {}),
    ("calibration_curve", ([0, 1, 2], [0.1, 0.2, 0.3]), {"pos_label": 2}),
    ("calibration_curve", ([0, 1, 1], [0.1, 0.2, 1.3]), {}),
    ("calibration_curve", ([0, 1, 1], [0.1, 0.2, 0.3]), {"n_bins": 0}),
    ("calibration_curve", ([0, 1, 1], [0.1, 0.2, 0.3]), {"strategy": "x"}),
    ("calibration_curve", (["a", "b"], [0.1, 0.2]), {}),
    ("calibration_curve", ([0, 1, 1], [0.1, 0.2, np.nan]), {}),
    ("calibration_curve", ([0, 1, 1], [0, 1, 1]), {"n_bins": 3}),
]


@pytest.mark.parametrize("name, args, kwargs", PROBA_BAD,
                         ids=[f"{b[0]}-{i}" for i, b in enumerate(PROBA_BAD)])
def test_probability_edge_cases_and_errors(name, args, kwargs):
    want, got = assert_same(name, *args, **kwargs)
    if isinstance(want, ValueError) and not type(want).__name__.startswith("Invalid"):
        assert str(got) == str(want)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_probability_large(dtype):
    rng = np.random.default_rng(11)
    n = 2 * config.PARALLEL_MIN_ROWS + 7
    y = (rng.random(n) < 0.1).astype(np.int64)
    p = rng.random(n).astype(dtype)
    w = rng.random(n)
    for weights in (None, w):
        assert_same("log_loss", y, p, sample_weight=weights)
        assert_same("brier_score_loss", y, p, sample_weight=weights)
    assert_same("calibration_curve", y, p, n_bins=10, strategy="quantile")


def test_exports():
    for name in ("roc_auc_score", "roc_curve", "det_curve", "average_precision_score",
                 "log_loss", "brier_score_loss", "calibration_curve"):
        assert name in fastf1.__all__
        assert getattr(fastf1, name).__doc__



# ---- scipy sparse inputs: scikit-learn's parameter error, word for word -----------------

_SPARSE_CASES = [
    ("roc_auc_score", (Y, S[:, None]), {}),
    ("roc_auc_score", (Y3, P3), {"multi_class": "ovr"}),
    ("roc_auc_score", (np.eye(4, 3, dtype=int), P3), {}),
    ("roc_curve", (Y, S[:, None]), {}),
    ("det_curve", (Y, S[:, None]), {}),
    ("precision_recall_curve", (Y, S[:, None]), {}),
    ("average_precision_score", (Y, S[:, None]), {}),
    ("log_loss", (Y, S[:, None]), {}),
    ("brier_score_loss", (Y, S[:, None]), {}),
    ("calibration_curve", (Y, S[:, None]), {}),
    ("top_k_accuracy_score", (Y3, P3), {"k": 1}),
    ("top_k_accuracy_score", (Y, S[:, None]), {"k": 1}),
]


@pytest.mark.parametrize("name, args, kwargs, which", [
    (*case, which) for case in _SPARSE_CASES for which in ("y_true", "y_score", "sample_weight")
    if not (case[0] == "calibration_curve" and which == "sample_weight")])
def test_sparse_input_is_sklearns_parameter_error(name, args, kwargs, which):
    """A scipy sparse matrix where scikit-learn takes array-likes only: its error, which
    is a ValueError and a TypeError, with its text (never a crash in a kernel)."""
    import scipy.sparse as sp

    y_true, y_score = (np.asarray(a) for a in args)
    kwargs = dict(kwargs)
    if which == "sample_weight":
        kwargs["sample_weight"] = sp.csr_matrix(np.ones((len(y_true), 1)))
    elif which == "y_true":
        y_true = sp.csr_matrix(y_true.reshape(len(y_true), -1))
    else:
        y_score = sp.csr_matrix(y_score.reshape(len(y_score), -1))
    want, got = assert_same(name, y_true, y_score, **kwargs)
    assert isinstance(got, ValueError) and isinstance(got, TypeError)
    assert str(got) == str(want)


@pytest.mark.parametrize("bins", [None, 64])
@pytest.mark.parametrize("weights", [[1, 0, 0, 1, 0], [0, 1, 1, 0, 1]])
def test_roc_auc_class_of_zero_weight(weights, bins):
    """Both classes by rows, one of weight zero: roc_curve's warning (not "only one
    class"), and NaN, as scikit-learn's; with bins= too."""
    y, s = np.array([0, 1, 1, 0, 1]), np.array([0.1, 0.8, 0.4, 0.4, 0.9])
    w = np.array(weights, dtype=float)
    want, want_warnings = outcome(skm.roc_auc_score, y, s, sample_weight=w)
    got, got_warnings = outcome(fastf1.roc_auc_score, y, s, sample_weight=w, bins=bins)
    assert np.isnan(got) and np.isnan(want)
    assert got_warnings == want_warnings


@pytest.mark.parametrize("dtype", [np.int64, np.uint64])
def test_labels_at_the_ends_of_their_dtype(dtype):
    """Integer labels whose difference does not fit their dtype (its least and greatest
    values): the label checks take it in Python ints, never wrapped around (it crashed),
    and the scores are scikit-learn's."""
    info = np.iinfo(dtype)
    y = np.array([info.min, info.max // 2, info.max, info.max // 2, info.max, info.min],
                 dtype)
    rng = np.random.default_rng(0)
    p = rng.random((y.size, 3))
    p /= p.sum(axis=1, keepdims=True)
    assert_same("roc_auc_score", y, p, multi_class="ovr")
    ends = y[y != info.max // 2]
    assert_same("roc_auc_score", ends, p[:ends.size, 0])
    assert_same("average_precision_score", ends, p[:ends.size, 0], pos_label=info.max)
