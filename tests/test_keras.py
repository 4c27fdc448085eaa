"""Keras metrics: evaluate() equals scikit-learn on model.predict(), on every counting path."""

from __future__ import annotations

import collections
import doctest
import json
import math
import os
import subprocess
import sys
import textwrap
import warnings

import numpy as np
import pytest

tf = pytest.importorskip("tensorflow")
keras = pytest.importorskip("keras")
skm = pytest.importorskip("sklearn.metrics")

import fastf1  # noqa: E402
import fastf1.keras as fk  # noqa: E402
from fastf1 import _reduce  # noqa: E402

AVERAGES = ["micro", "macro", "weighted", None]
#: under XLA each metric instance compiles once (seconds each): the averages are applied in
#: result(), outside the compiled update, so two of them cover the compiled state
XLA_AVERAGES = ["macro", None]
RTOL = 1e-12
K = 6  # classes 4 and 5 never occur: the "present" and "all" class sets differ


def _close(got, want, msg=""):
    np.testing.assert_allclose(np.asarray(got, np.float64), np.asarray(want, np.float64),
                               rtol=RTOL, atol=0, err_msg=msg)


def _blobs(n=900, k=4, features=5, seed=0):
    rng = np.random.default_rng(seed)
    centers = rng.normal(scale=1.2, size=(k, features))
    y = rng.integers(0, k, n)
    x = (centers[y] + rng.normal(size=(n, features))).astype(np.float32)
    return x, y.astype(np.int32)


@pytest.fixture(scope="module")
def trained():
    """A Dense softmax over K classes trained briefly on 4-class blobs, and its data."""
    keras.utils.set_random_seed(1)
    x, y = _blobs()
    model = keras.Sequential([keras.Input((x.shape[1],)), keras.layers.Dense(K, "softmax")])
    model.compile(keras.optimizers.Adam(0.05), "sparse_categorical_crossentropy")
    model.fit(x, y, epochs=3, batch_size=64, verbose=0)
    pred = model.predict(x, batch_size=256, verbose=0).argmax(axis=1)
    assert 0.3 < skm.accuracy_score(y, pred) < 1.0  # learnt something, still makes mistakes
    return model, x, y, pred


def _all_metrics():
    ms = []
    for avg in AVERAGES:
        tag = avg or "none"
        ms += [fk.F1Score(num_classes=K, average=avg, name=f"f1_{tag}"),
               fk.F1Score(num_classes=K, average=avg, labels="all", name=f"f1_all_{tag}"),
               fk.Precision(num_classes=K, average=avg, name=f"p_{tag}"),
               fk.Recall(num_classes=K, average=avg, name=f"r_{tag}"),
               fk.FBetaScore(num_classes=K, beta=2.0, average=avg, name=f"f2_{tag}")]
    ms.append(fk.F1Score(num_classes=K, labels=[3, 0, 5], name="f1_labels"))
    ms.append(fk.ClassCounts(num_classes=K))
    return ms


def _check_against_sklearn(logs, y, pred, sample_weight=None):
    kw = dict(sample_weight=sample_weight, zero_division=0)
    everything = dict(labels=range(K), **kw)
    for avg in AVERAGES:
        tag = avg or "none"
        if avg is None:  # one value per class, all num_classes of them in both policies
            _close(logs[f"f1_{tag}"], skm.f1_score(y, pred, average=None, **everything))
        else:
            _close(logs[f"f1_{tag}"], skm.f1_score(y, pred, average=avg, **kw))
        _close(logs[f"f1_all_{tag}"], skm.f1_score(y, pred, average=avg, **everything))
        kw_p = everything if avg is None else kw
        _close(logs[f"p_{tag}"], skm.precision_score(y, pred, average=avg, **kw_p))
        _close(logs[f"r_{tag}"], skm.recall_score(y, pred, average=avg, **kw_p))
        _close(logs[f"f2_{tag}"], skm.fbeta_score(y, pred, beta=2.0, average=avg, **kw_p))
    _close(logs["f1_labels"], skm.f1_score(y, pred, labels=[3, 0, 5], average="macro", **kw))
    mcm = skm.multilabel_confusion_matrix(y, pred, labels=range(K), sample_weight=sample_weight)
    want = np.stack([mcm[:, 1, 1], mcm[:, 0, 1], mcm[:, 1, 0], mcm[:, 0, 0],
                     mcm[:, 1, 1] + mcm[:, 1, 0]])
    _close(logs["stat_scores"], want)


MODES = {
    "graph": dict(jit_compile=False),
    "xla": dict(jit_compile=True),
    "eager": dict(run_eagerly=True),
    "steps_per_execution": dict(jit_compile=False, steps_per_execution=3),
    "xla_steps_per_execution": dict(jit_compile=True, steps_per_execution=4),
}


@pytest.mark.parametrize("mode", [pytest.param(m, marks=pytest.mark.slow)
                                  if m == "xla_steps_per_execution" else m for m in MODES])
def test_evaluate_equals_sklearn_on_predict(trained, mode):
    model, x, y, pred = trained
    metrics = _all_metrics()
    model.compile("sgd", "sparse_categorical_crossentropy", metrics=metrics, **MODES[mode])
    logs = model.evaluate(x, y, batch_size=50, verbose=0, return_dict=True)
    _check_against_sklearn(logs, y, pred)
    assert {m.counting_path for m in metrics} == {"xla" if "xla" in mode else "numpy"}
    # the two class-set policies really differ on this data
    assert not math.isclose(logs["f1_macro"], logs["f1_all_macro"])


def test_sample_weight_through_weighted_metrics(trained):
    model, x, y, pred = trained
    w = np.random.default_rng(3).integers(0, 4, len(y)).astype(np.float32)
    w[y == 3] = 0  # class 3 only in zero-weight rows of y_true: still "present" for sklearn
    metrics = _all_metrics()
    model.compile("sgd", "sparse_categorical_crossentropy", weighted_metrics=metrics,
                  jit_compile=False)
    logs = model.evaluate(x, y, sample_weight=w, batch_size=64, verbose=0, return_dict=True)
    _check_against_sklearn(logs, y, pred, sample_weight=w)
    # under metrics= Keras passes no sample_weight: the unweighted score
    f1 = fk.F1Score(num_classes=K)
    model.compile("sgd", "sparse_categorical_crossentropy", metrics=[f1])
    logs = model.evaluate(x, y, sample_weight=w, batch_size=64, verbose=0, return_dict=True)
    _close(logs["f1_score"], skm.f1_score(y, pred, average="macro"))


def test_per_batch_recipe_differs_and_fastf1_does_not():
    """The popular Keras 2 recipe averages per-batch F1 scores; that is not the F1 score."""
    keras.utils.set_random_seed(2)
    x, y = _blobs(n=700, k=2, seed=2)

    def batch_f1(y_true, y_pred):  # the recipe, as found in many tutorials
        y_true = tf.cast(tf.reshape(y_true, [-1]), tf.float32)
        y_hat = tf.cast(tf.reshape(y_pred, [-1]) >= 0.5, tf.float32)
        tp = tf.reduce_sum(y_true * y_hat)
        precision = tp / (tf.reduce_sum(y_hat) + keras.backend.epsilon())
        recall = tp / (tf.reduce_sum(y_true) + keras.backend.epsilon())
        return 2 * precision * recall / (precision + recall + keras.backend.epsilon())

    model = keras.Sequential([keras.Input((x.shape[1],)), keras.layers.Dense(1, "sigmoid")])
    model.compile("adam", "binary_crossentropy",
                  metrics=[batch_f1, fk.F1Score(task="binary")])
    model.fit(x, y, epochs=2, batch_size=32, verbose=0)
    logs = model.evaluate(x, y, batch_size=16, verbose=0, return_dict=True)
    p = model.predict(x, verbose=0).ravel()
    want = skm.f1_score(y, p >= 0.5)
    _close(logs["f1_score"], want)
    assert abs(logs["batch_f1"] - want) > 1e-3


def test_counts_exact_past_2_24_rows():
    n = 2**24 + 1
    t = np.zeros(2**22, np.int32)
    m = fk.ClassCounts(num_classes=3)
    rows = 0
    for size in (2**22, 2**22, 2**22, 2**22, 1):
        m.update_state(t[:size], t[:size])  # labels as predictions, all class 0
        rows += size
    assert rows == n
    s = m.stat_scores()
    assert s.tp.dtype == np.int64 and s.tp[0] == n and s.support[0] == n
    assert float(m.result()[0, 0]) == n
    # a float32 counter (keras.metrics.F1Score's state) cannot hold 2**24 + 1
    onehot = np.array([[1, 0, 0], [1, 0, 0]], np.float32)
    ref = keras.metrics.F1Score()
    ref.update_state(onehot, onehot, sample_weight=np.array([2**24, 1], np.float32))
    assert float(ref.true_positives.numpy()[0]) == 2**24
    ours = fk.ClassCounts(num_classes=3)
    ours.update_state(np.array([0, 0]), onehot, sample_weight=np.array([2**24, 1], np.float32))
    assert ours.stat_scores().tp[0] == 2**24 + 1


def _paths():
    """update_state run three ways: eager, graph (numpy_function), XLA (pure TF).

    One tf.function per metric and path, as a training loop has: a new one per call would
    trace (and under XLA compile) again for every batch, which tests nothing more.
    """
    traced: collections.OrderedDict = collections.OrderedDict()

    def compiled(m, jit_compile):
        # the function holds its metric alive, so keep only the last few (a test's own)
        key = (id(m), jit_compile)
        if key not in traced:
            traced[key] = (m, tf.function(m.update_state, jit_compile=jit_compile))
            while len(traced) > 64:
                traced.popitem(last=False)
        return traced[key][1]

    def eager(m, *args):
        m.update_state(*args)

    def graph(m, *args):
        compiled(m, False)(*args)

    def xla(m, *args):
        compiled(m, True)(*args)

    return {"eager": eager, "graph": graph, "xla": xla}


PATHS = _paths()


@pytest.mark.parametrize("path", PATHS)
def test_binary_with_threshold(path):
    rng = np.random.default_rng(5)
    y = rng.integers(0, 2, 500)
    scores = rng.random(500).astype(np.float32)
    w = rng.random(500)
    # the average is applied in result(), outside the traced update; under XLA (a compile
    # per metric) two averages and one threshold cover the compiled state
    averages = ("binary", "macro") if path == "xla" else ("binary", "macro", "weighted", "micro")
    for thr in (0.3,) if path == "xla" else (0.5, 0.3, 0.8):
        for weights in (None, w):
            ms = {avg: fk.F1Score(task="binary", threshold=thr, average=avg)
                  for avg in averages}
            ms["p"] = fk.Precision(task="binary", threshold=thr)
            ms["r"] = fk.Recall(task="binary", threshold=thr)
            for m in ms.values():
                for lo in range(0, 500, 125):  # equal batches: one trace per metric
                    args = [y[lo:lo + 125, None], scores[lo:lo + 125, None]]
                    if weights is not None:
                        args.append(weights[lo:lo + 125])
                    PATHS[path](m, *args)
            pred = (scores >= np.float64(thr)).astype(int)
            for avg in averages:
                _close(ms[avg].result(), skm.f1_score(y, pred, average=avg, sample_weight=weights))
            _close(ms["p"].result(), skm.precision_score(y, pred, sample_weight=weights))
            _close(ms["r"].result(), skm.recall_score(y, pred, sample_weight=weights))
            assert ms["p"].counting_path == ("xla" if path == "xla" else "numpy")


@pytest.mark.parametrize("path", PATHS)
def test_multilabel_with_threshold(path):
    rng = np.random.default_rng(6)
    n, L = 400, 5
    y = (rng.random((n, L)) < 0.3).astype(np.float32)
    y[:, 4] = 0  # a label that never occurs still counts in scikit-learn's averages
    scores = rng.random((n, L)).astype(np.float32)
    thr = [0.5, 0.2, 0.7, 0.5, 0.9]
    pred = (scores >= np.array(thr)).astype(int)
    w = rng.random(n)
    averages = XLA_AVERAGES if path == "xla" else AVERAGES
    for weights in (None, w):
        ms = {avg: fk.F1Score(task="multilabel", num_classes=L, threshold=thr, average=avg)
              for avg in averages}
        ss = fk.ClassCounts(task="multilabel", num_classes=L, threshold=thr)
        for m in [*ms.values(), ss]:
            for lo in range(0, n, 100):
                args = [y[lo:lo + 100], scores[lo:lo + 100]]
                if weights is not None:
                    args.append(weights[lo:lo + 100])
                PATHS[path](m, *args)
        for avg in averages:
            _close(ms[avg].result(),
                   skm.f1_score(y, pred, average=avg, sample_weight=weights, zero_division=0))
        mcm = skm.multilabel_confusion_matrix(y, pred, sample_weight=weights)
        _close(ss.result()[3], mcm[:, 0, 0])  # tn needs the row total: checked here


@pytest.mark.parametrize("path", PATHS)
def test_multiclass_input_forms(path):
    """Sparse (n,), (n, 1) int or float labels, one-hot labels, score or label y_pred."""
    rng = np.random.default_rng(7)
    n, k = 300, 4
    y = rng.integers(0, k, n)
    logits = rng.normal(size=(n, k)).astype(np.float32)
    pred = logits.argmax(axis=1)
    want = skm.f1_score(y, pred, average="macro")
    forms = {
        "int": (y.astype(np.int64), logits),
        "int_col": (y[:, None].astype(np.int32), logits),
        "float": (y.astype(np.float32), logits),
        "onehot": (np.eye(k, dtype=np.float32)[y], logits),
        "labels": (y.astype(np.int32), pred.astype(np.int32)),
        "float64": (y.astype(np.float64), logits.astype(np.float64)),
        "uint8": (y.astype(np.uint8), logits),
    }
    for name, (yt, yp) in forms.items():
        m = fk.F1Score(num_classes=k)
        for lo in range(0, n, 64):
            PATHS[path](m, yt[lo:lo + 64], yp[lo:lo + 64])
        _close(m.result(), want, name)


def test_onehot_labels_in_evaluate(trained):
    model, x, y, pred = trained
    metrics = _all_metrics()
    model.compile("sgd", "categorical_crossentropy", metrics=metrics)
    logs = model.evaluate(x, np.eye(K, dtype=np.float32)[y], batch_size=64, verbose=0,
                          return_dict=True)
    _check_against_sklearn(logs, y, pred)


@pytest.mark.parametrize("path", PATHS)
def test_sequences_with_ignore_index(path):
    rng = np.random.default_rng(8)
    b, t, k = 12, 9, 5
    y = rng.integers(0, k, (b, t))
    lengths = rng.integers(2, t + 1, b)
    y[np.arange(t)[None, :] >= lengths[:, None]] = -100  # padding
    logits = rng.normal(size=(b, t, k)).astype(np.float32)
    keep = y.ravel() != -100
    yk, pk = y.ravel()[keep], logits.reshape(-1, k).argmax(axis=1)[keep]
    averages = XLA_AVERAGES if path == "xla" else AVERAGES
    ms = {avg: fk.F1Score(num_classes=k, average=avg, ignore_index=-100) for avg in averages}
    for m in ms.values():
        for lo in range(0, b, 5):
            PATHS[path](m, y[lo:lo + 5], logits[lo:lo + 5])
    for avg in averages:
        kw = dict(labels=range(k)) if avg is None else {}
        _close(ms[avg].result(), skm.f1_score(yk, pk, average=avg, zero_division=0, **kw))
    # per-step sample weights (batch, time) with zeros on the padding do the same job
    w = (y != -100).astype(np.float32)
    m = fk.F1Score(num_classes=k)
    y0 = np.where(y == -100, 0, y)  # padding labels must then be valid classes
    PATHS[path](m, y0, logits, w)
    _close(m.result(), skm.f1_score(yk, pk, average="macro"))


@pytest.mark.parametrize("mode", ["graph", "xla"])
def test_keras_mask_skips_padded_steps(mode):
    """An Embedding(mask_zero=True) model: its output mask reaches the metric."""
    rng = np.random.default_rng(9)
    b, t, k = 64, 7, 3
    tokens = rng.integers(1, 20, (b, t))
    lengths = rng.integers(1, t + 1, b)
    pad = np.arange(t)[None, :] >= lengths[:, None]
    tokens[pad] = 0
    y = (tokens % k).astype(np.int32)
    y[pad] = 0  # a valid class at padded steps: counting them would change the score
    keras.utils.set_random_seed(3)
    model = keras.Sequential([keras.Input((t,)), keras.layers.Embedding(20, 8, mask_zero=True),
                              keras.layers.Dense(k, "softmax")])
    f1 = fk.F1Score(num_classes=k, average="macro")
    model.compile("adam", "sparse_categorical_crossentropy", metrics=[f1],
                  jit_compile=mode == "xla")
    model.fit(tokens, y, epochs=2, batch_size=16, verbose=0)
    logs = model.evaluate(tokens, y, batch_size=16, verbose=0, return_dict=True)
    pred = model.predict(tokens, verbose=0).argmax(axis=-1)
    _close(logs["f1_score"], skm.f1_score(y[~pad], pred[~pad], average="macro"))
    assert not math.isclose(logs["f1_score"], skm.f1_score(y.ravel(), pred.ravel(),
                                                           average="macro"))


@pytest.fixture
def mixed_precision():
    old = keras.config.dtype_policy()
    keras.config.set_dtype_policy("mixed_float16")
    yield
    keras.config.set_dtype_policy(old)


@pytest.mark.parametrize("jit", [False, pytest.param(True, marks=pytest.mark.slow)])
def test_mixed_precision(mixed_precision, jit):
    keras.utils.set_random_seed(4)
    x, y = _blobs(n=400, k=3, seed=4)
    model = keras.Sequential([keras.Input((x.shape[1],)), keras.layers.Dense(3, "softmax")])
    f1 = fk.F1Score(num_classes=3, average="weighted")
    model.compile("adam", "sparse_categorical_crossentropy", metrics=[f1], jit_compile=jit)
    model.fit(x, y, epochs=2, batch_size=32, verbose=0)
    out = model.predict(x, verbose=0)
    assert out.dtype == np.float16
    logs = model.evaluate(x, y, batch_size=32, verbose=0, return_dict=True)
    _close(logs["f1_score"], skm.f1_score(y, out.argmax(axis=1), average="weighted"))


def test_xla_path_equals_numpy_path():
    rng = np.random.default_rng(10)
    n, k = 1000, 7
    y = rng.integers(0, k - 1, n)
    logits = rng.normal(size=(n, k)).astype(np.float32)
    w = rng.random(n)
    for weights in (None, w):
        a, b = fk.ClassCounts(num_classes=k), fk.ClassCounts(num_classes=k)
        fa, fb = fk.F1Score(num_classes=k), fk.F1Score(num_classes=k)
        for lo in range(0, n, 250):
            args = [y[lo:lo + 250], logits[lo:lo + 250]]
            if weights is not None:
                args.append(weights[lo:lo + 250])
            PATHS["graph"](a, *args)
            PATHS["graph"](fa, *args)
            PATHS["xla"](b, *args)
            PATHS["xla"](fb, *args)
        assert (a.counting_path, b.counting_path) == ("numpy", "xla")
        sa, sb = a.stat_scores(), b.stat_scores()
        np.testing.assert_array_equal(sa.labels, sb.labels)
        if weights is None:
            np.testing.assert_array_equal(sa.tp, sb.tp)
            np.testing.assert_array_equal(sa.fp, sb.fp)
            np.testing.assert_array_equal(sa.fn, sb.fn)
            assert float(fa.result()) == float(fb.result())
        else:
            _close(sa.tp, sb.tp)
            _close(fa.result(), fb.result())


def test_invalid_rows_raise_on_numpy_path_and_give_nan_under_xla():
    logits = np.array([[0.1, 0.9], [np.nan, 0.0]], np.float32)
    for y, yp in (([0, 1], logits), ([0, 2], logits[:1].repeat(2, 0)), ([0.5, 1], logits[:1].repeat(2, 0))):
        m = fk.F1Score(num_classes=2)
        with pytest.raises((ValueError, tf.errors.InvalidArgumentError, tf.errors.UnknownError)):
            m.update_state(np.array(y), yp)
        m = fk.F1Score(num_classes=2)
        PATHS["xla"](m, np.array(y), yp)
        assert math.isnan(float(m.result()))
        with pytest.raises(ValueError, match="invalid"):
            m.stat_scores()


def test_stat_scores_match_core(trained):
    _, x, y, pred = trained
    m = fk.ClassCounts(num_classes=K)
    for lo in range(0, len(y), 100):
        m.update_state(y[lo:lo + 100], pred[lo:lo + 100].astype(np.int32))
    got, want = m.stat_scores(), fastf1.stat_scores(y, pred)
    for attr in ("labels", "tp", "fp", "fn", "tn", "support"):
        np.testing.assert_array_equal(getattr(got, attr), getattr(want, attr))
        assert getattr(got, attr).dtype == getattr(want, attr).dtype
    assert got.classification_report(digits=6) == skm.classification_report(y, pred, digits=6)


@pytest.mark.parametrize("path", ["eager", "xla"])
def test_zero_weight_rows_keep_their_labels_present(path):
    """A class whose every row weighs zero is present, as scikit-learn reads presence from
    rows (labels), not weights; weights that are all zero are scikit-learn's error."""
    y = np.array([0, 1, 2, 2, 1, 0, 3, 3])
    p = np.array([0, 2, 2, 1, 1, 0, 0, 1])
    w = np.array([1.0, 2.0, 1.0, 1.0, 2.0, 1.0, 0.0, 0.0])  # class 3: weight 0 only
    f1 = fk.F1Score(num_classes=5, average="macro")
    PATHS[path](f1, y[:4], np.eye(5, dtype=np.float32)[p[:4]], w[:4])
    PATHS[path](f1, y[4:], np.eye(5, dtype=np.float32)[p[4:]], w[4:])
    # binary: class 0 is in y_true by its rows only (weight 0), so scikit-learn's
    # confusion_matrix(labels=[0, 7]) takes it
    yb, pb, wb = np.array([0, 0, 1, 1, 1]), np.array([1, 0, 1, 1, 0]), np.array([0, 0, 1, 2, 1.0])
    counts = fk.ClassCounts(task="binary")
    PATHS[path](counts, yb, pb.astype(np.float32), wb)
    zeros = fk.ClassCounts(task="binary")
    PATHS[path](zeros, yb, pb.astype(np.float32), np.zeros(5))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _close(f1.result(), skm.f1_score(y, p, average="macro", sample_weight=w))
        got = counts.stat_scores().class_likelihood_ratios(labels=[0, 7])
        want = skm.class_likelihood_ratios(yb, pb, labels=[0, 7], sample_weight=wb)
    np.testing.assert_array_equal(got, want)
    with pytest.raises(ValueError, match="Sample weights must contain at least one non-zero"):
        zeros.stat_scores().f1_score()


# ---- the formulas: TF (result) against fastf1._reduce (the reference) ---------------------


@pytest.mark.parametrize("average", ["macro", "weighted"])
@pytest.mark.parametrize("case", ["overflow", "negative"])
def test_weighted_averages_at_the_edges_match_sklearn(case, average):
    # weighted counts that overflow to inf give a NaN score, which the average skips like
    # scikit-learn's; supports summing to a negative number are still a weighted average
    if case == "overflow":
        y, rows, w = [0, 0, 1, 1], [0, 0, 1, 0], [1e308, 1e308, 1.0, 1.0]
    else:
        y, rows, w = [0, 1, 1, 2], [0, 1, 2, 2], [1.0, -1.0, -1.0, 0.5]
    y, w = np.array(y), np.array(w)
    k = int(y.max()) + 1
    scores = np.eye(k, dtype=np.float32)[rows]
    for metric, sk in ((fk.Precision, skm.precision_score), (fk.F1Score, skm.f1_score)):
        m = metric(num_classes=k, average=average)
        m.update_state(y, scores, sample_weight=w)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            want = sk(y, scores.argmax(axis=1), average=average, sample_weight=w)
        np.testing.assert_allclose(float(m.result()), want, rtol=1e-12)


@pytest.mark.parametrize("zero_division", [0.0, 1.0, np.nan, "warn"])
@pytest.mark.parametrize("beta", [1.0, 0.5, 2.0, 0.0, math.inf])
def test_tf_formulas_equal_reduce(zero_division, beta):
    rng = np.random.default_rng(11)
    for trial in range(30):
        k = int(rng.integers(1, 9))
        weighted = trial % 2 == 1
        true = rng.integers(0, 4, k) * (rng.random(k) < 0.7)
        pred = rng.integers(0, 4, k) * (rng.random(k) < 0.7)
        tp = np.minimum(true, pred) * (rng.random(k) < 0.6)
        if weighted:
            scale = rng.random(k) * 3
            tp, true, pred = tp * scale, true * scale, pred * scale
        present = (true + pred) > 0
        if trial % 5 == 0:
            present = np.ones(k, bool)
        tp, true, pred = (np.asarray(v, np.float64) for v in (tp, true, pred))
        for average in ["micro", "macro", "weighted", None] + (["binary"] if k == 2 else []):
            sel = np.flatnonzero(present)
            if average is None:
                sel = np.arange(k)
            if average == "binary":
                sel = np.array([1])
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                want = _reduce.precision_recall_fscore(
                    tp[sel], true[sel], pred[sel], beta=beta, average=average,
                    zero_division=zero_division)[:3]
            got = fk._scores_tf(tf.constant(tp), tf.constant(true), tf.constant(pred),
                                tf.constant(present), beta=beta, average=average,
                                zero_division=zero_division)
            for g, w in zip(got, want):
                np.testing.assert_allclose(np.asarray(g), np.asarray(w, np.float64),
                                           rtol=1e-14, atol=0, equal_nan=True)
            for q, w in zip("prf", want):  # one quantity alone, as result() builds it
                (g,) = fk._scores_tf(tf.constant(tp), tf.constant(true), tf.constant(pred),
                                     tf.constant(present), beta=beta, average=average,
                                     zero_division=zero_division, quantities=q)
                np.testing.assert_allclose(np.asarray(g), np.asarray(w, np.float64),
                                           rtol=1e-14, atol=0, equal_nan=True)


# ---- Keras integration: serialization, threads, distribution ------------------------------


def test_config_round_trip():
    metrics = [
        fk.F1Score(num_classes=5, average="weighted", labels=[0, 3], zero_division=np.nan,
                   ignore_index=-1, name="f"),
        fk.FBetaScore(task="binary", beta=0.5, threshold=0.3, zero_division=1.0),
        fk.Precision(task="multilabel", num_classes=3, threshold=[0.1, 0.2, 0.3], average=None),
        fk.Recall(num_classes=4, labels="all", dtype="float32"),
        fk.ClassCounts(task="binary", threshold=0.0),
    ]
    for m in metrics:
        config = m.get_config()
        json.dumps(config)
        again = type(m).from_config(config)
        assert again.get_config() == config
        revived = keras.saving.deserialize_keras_object(keras.saving.serialize_keras_object(m))
        assert type(revived) is type(m) and revived.get_config() == config


def test_keras_file_round_trip(trained, tmp_path):
    model, x, y, pred = trained
    clone = keras.models.clone_model(model)
    clone.set_weights(model.get_weights())
    metrics = [fk.F1Score(num_classes=K, average="macro", labels="all", name="f1"),
               fk.FBetaScore(num_classes=K, beta=2.0, average="micro", name="f2"),
               fk.ClassCounts(num_classes=K)]
    clone.compile("sgd", "sparse_categorical_crossentropy", metrics=metrics)
    before = clone.evaluate(x, y, batch_size=128, verbose=0, return_dict=True)
    clone.save(tmp_path / "m.keras")
    loaded = keras.saving.load_model(tmp_path / "m.keras")
    after = loaded.evaluate(x, y, batch_size=128, verbose=0, return_dict=True)
    assert after["f1"] == before["f1"] == pytest.approx(
        skm.f1_score(y, pred, average="macro", labels=range(K), zero_division=0), rel=RTOL)
    assert after["f2"] == before["f2"]
    np.testing.assert_array_equal(after["stat_scores"], before["stat_scores"])
    types = {type(m).__name__ for m in loaded.metrics[-1].metrics}
    assert {"F1Score", "FBetaScore", "ClassCounts"} <= types


def test_two_metric_instances_in_one_fit():
    """TF runs the two numpy functions on several threads at once; both stay exact."""
    keras.utils.set_random_seed(5)
    x, y = _blobs(n=2000, k=5, seed=5)
    f1, rec = fk.F1Score(num_classes=5), fk.Recall(num_classes=5, average="micro")
    model = keras.Sequential([keras.Input((x.shape[1],)), keras.layers.Dense(5, "softmax")])
    model.compile("adam", "sparse_categorical_crossentropy", metrics=[f1, rec])
    history = model.fit(x, y, epochs=2, batch_size=32, validation_data=(x, y), verbose=0)
    pred = model.predict(x, verbose=0).argmax(axis=1)
    _close(history.history["val_f1_score"][-1], skm.f1_score(y, pred, average="macro"))
    _close(history.history["val_recall"][-1], skm.recall_score(y, pred, average="micro"))


def _run_python(code: str) -> dict:
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True,
                          text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_many_threads_update_concurrently():
    """Eight Python threads feed eight metrics at once (no abort, exact counts)."""
    out = _run_python("""
        import json
        from concurrent.futures import ThreadPoolExecutor
        import numpy as np
        import fastf1.keras as fk
        rng = np.random.default_rng(0)
        y = rng.integers(0, 6, 4096); p = rng.normal(size=(4096, 6)).astype(np.float32)
        ms = [fk.ClassCounts(num_classes=6) for _ in range(8)]
        def feed(m):
            for _ in range(50):
                m.update_state(y, p)
            return m.stat_scores().tp.tolist()
        with ThreadPoolExecutor(8) as pool:
            res = list(pool.map(feed, ms))
        ref = fk.ClassCounts(num_classes=6); ref.update_state(y, p)
        print(json.dumps({"ok": all(r == (ref.stat_scores().tp * 50).tolist() for r in res)}))
    """)
    assert out["ok"]


@pytest.mark.slow  # a fresh TensorFlow process with two logical devices: tens of seconds
def test_mirrored_strategy_two_cpus_exact():
    out = _run_python("""
        import json
        import numpy as np
        import tensorflow as tf
        cpu = tf.config.list_physical_devices("CPU")[0]
        tf.config.set_logical_device_configuration(
            cpu, [tf.config.LogicalDeviceConfiguration()] * 2)
        import keras
        import sklearn.metrics as skm
        import fastf1.keras as fk
        rng = np.random.default_rng(0)
        x = rng.normal(size=(1000, 4)).astype(np.float32)
        y = (x[:, 0] > 0).astype(np.int32) + (x[:, 1] > 0.5)
        w = rng.random(1000).astype(np.float32)
        keras.utils.set_random_seed(6)
        strategy = tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])
        with strategy.scope():
            model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, "softmax")])
            model.compile("adam", "sparse_categorical_crossentropy",
                          metrics=[fk.F1Score(num_classes=3), fk.ClassCounts(num_classes=3)],
                          weighted_metrics=[fk.F1Score(num_classes=3, average="weighted",
                                                       name="wf1")])
        model.fit(x, y, epochs=1, batch_size=64, verbose=0)
        logs = model.evaluate(x, y, sample_weight=w, batch_size=64, verbose=0,
                              return_dict=True)
        pred = model.predict(x, verbose=0).argmax(1)
        print(json.dumps({
            "replicas": strategy.num_replicas_in_sync,
            "f1": [float(logs["f1_score"]), skm.f1_score(y, pred, average="macro")],
            "wf1": [float(logs["wf1"]), skm.f1_score(y, pred, average="weighted",
                                                     sample_weight=w)],
            "tp": [np.asarray(logs["stat_scores"])[0].tolist(),
                   skm.multilabel_confusion_matrix(y, pred)[:, 1, 1].tolist()],
        }))
    """)
    assert out["replicas"] == 2
    assert out["f1"][0] == pytest.approx(out["f1"][1], rel=RTOL)
    assert out["wf1"][0] == pytest.approx(out["wf1"][1], rel=RTOL)
    assert out["tp"][0] == out["tp"][1]


def test_fastf1_does_not_import_tensorflow():
    code = ("import sys, fastf1; print(int('tensorflow' in sys.modules or "
            "'fastf1.keras' in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.stdout.strip() == "0", done.stderr


def test_docstring_examples():
    result = doctest.testmod(fk, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0


@pytest.mark.parametrize("kwargs, match", [
    (dict(task="bogus", num_classes=3), "task"),
    (dict(num_classes=1), "num_classes"),
    (dict(num_classes=3, threshold=0.5), "threshold"),
    (dict(num_classes=3, average="samples"), "average"),
    (dict(num_classes=3, average="binary"), "binary"),
    (dict(num_classes=3, labels=[0, 3]), "labels"),
    (dict(num_classes=3, labels="some"), "labels"),
    (dict(num_classes=3, zero_division=2), "zero_division"),
    (dict(task="binary", num_classes=3), "binary"),
    (dict(task="multilabel", num_classes=3, ignore_index=0), "ignore_index"),
    (dict(task="multilabel", num_classes=3, threshold=[0.1, 0.2]), "threshold"),
])
def test_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        fk.F1Score(**kwargs)


def test_stat_scores_is_a_deprecated_alias_of_class_counts():
    with pytest.warns(DeprecationWarning, match="ClassCounts"):
        m = fk.StatScores(num_classes=3)
    assert isinstance(m, fk.ClassCounts)
    m.update_state(np.array([0, 1, 2, 2]), np.array([0, 2, 2, 2]))
    np.testing.assert_array_equal(m.stat_scores().tp, [1, 0, 2])


@pytest.mark.parametrize("xla", [False, True])
def test_empty_batch_adds_nothing(xla):
    y = np.array([0, 1, 2, 2, 1])
    scores = np.eye(3, dtype=np.float32)[[0, 2, 2, 1, 1]]
    w = np.array([1.0, 2.0, 3.0, 4.0, 0.5])
    empty = (np.zeros(0, np.int64), np.zeros((0, 3), np.float32))
    for weighted in (False, True):
        kw = dict(sample_weight=w) if weighted else {}
        empty_kw = dict(sample_weight=np.zeros(0)) if weighted else {}
        metrics = [(fk.F1Score(num_classes=3, average="macro"), (y, scores)),
                   (fk.ClassCounts(num_classes=3), (y, scores)),
                   (fk.AUC(bins=64), (y == 1, scores[:, 1]))]
        for metric, (t, s) in metrics:
            update = tf.function(metric.update_state, jit_compile=True) if xla \
                else metric.update_state
            update(t, s, **kw)
            before = [v.numpy().copy() for v in metric.variables]
            update(empty[0], empty[1] if s.ndim == 2 else empty[1][:, 0], **empty_kw)
            for b, a in zip(before, metric.variables):
                np.testing.assert_array_equal(a.numpy(), b, err_msg=metric.name)
    want = skm.f1_score(y, scores.argmax(1), average="macro", sample_weight=w)
    _close(metrics[0][0].result(), want)
