"""Keras AUC / AveragePrecision: the histogram in the state, on every counting path."""

from __future__ import annotations

import doctest
import math

import numpy as np
import pytest

tf = pytest.importorskip("tensorflow")
keras = pytest.importorskip("keras")
skm = pytest.importorskip("sklearn.metrics")

import fastf1  # noqa: E402
import fastf1.keras as fk  # noqa: E402

PATHS = {  # update_state of a metric, run eagerly, traced, or XLA-compiled
    "eager": lambda m: m.update_state,
    "graph": lambda m: tf.function(m.update_state),
    "xla": lambda m: tf.function(m.update_state, jit_compile=True),
}


def _data(n=1200, seed=0):
    rng = np.random.default_rng(seed)
    y = (rng.random(n) < 0.3).astype(np.int32)
    s = (1 / (1 + np.exp(-(rng.normal(0, 1.5, n) + 1.5 * y)))).astype(np.float32)
    s[:50] = 0.5  # exact ties
    return y, s, rng.random(n)


def _assert_same_bins(state, h):
    """The same bins, scores and rows per bin; weights equal up to summation order."""
    np.testing.assert_array_equal(state._used(), h._used())
    got, want = state._binned(), h._binned()
    for a, b in zip(got[2:], want[2:]):  # exact ties, smallest and largest scores
        np.testing.assert_array_equal(a, b)
    np.testing.assert_allclose(np.stack(got[:2]), np.stack(want[:2]), rtol=1e-12)
    assert state.n_rows == h.n_rows


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("weighted", [False, True])
def test_batches_equal_one_histogram_within_bound(path, weighted):
    y, s, w = _data()
    auc, ap = fk.AUC(bins=1 << 12), fk.AveragePrecision(bins=1 << 12)
    update_auc, update_ap = PATHS[path](auc), PATHS[path](ap)
    for lo in range(0, y.size, 400):
        args = [y[lo:lo + 400], s[lo:lo + 400]] + ([w[lo:lo + 400]] if weighted else [])
        update_auc(*args)
        update_ap(*args)
    assert auc.counting_path == ("xla" if path == "xla" else "numpy")
    ww = w if weighted else None
    h = fastf1.ScoreHistogram(1 << 12).update(y, s, sample_weight=ww)
    assert float(auc.result()) == pytest.approx(h.roc_auc_score(), rel=1e-12)
    assert float(ap.result()) == pytest.approx(h.average_precision_score(), rel=1e-12)
    state = auc.histogram()
    _assert_same_bins(state, h)
    assert abs(float(auc.result()) - skm.roc_auc_score(y, s, sample_weight=ww)) <= \
        state.roc_auc_error_bound()
    assert abs(float(ap.result()) - skm.average_precision_score(y, s, sample_weight=ww)) <= \
        ap.histogram().average_precision_error_bound()


@pytest.mark.parametrize("cls", [fk.AUC, fk.AveragePrecision])
def test_signed_zeros_give_the_same_state_on_every_path(cls):
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 500).astype(np.float32)
    s = rng.random(500).astype(np.float32)
    s[:50], s[50:100] = -0.0, 0.0
    w = rng.random(500).astype(np.float32)
    states = {}
    for path in PATHS:
        m = cls(bins=64)
        update = PATHS[path](m)
        for lo in range(0, 500, 128):
            update(y[lo:lo + 128], s[lo:lo + 128], w[lo:lo + 128])
        states[path] = (m.histogram(), float(m.result()))
    h = fastf1.ScoreHistogram(64).update(y, s, sample_weight=w)
    for path, (state, result) in states.items():
        assert state == states["eager"][0], path
        _assert_same_bins(state, h)
        assert result == states["eager"][1], path


def test_invalid_rows_raise_on_numpy_path_and_give_nan_under_xla():
    y, s = np.array([0, 1]), np.array([0.1, np.nan])
    with pytest.raises((ValueError, tf.errors.InvalidArgumentError, tf.errors.UnknownError)):
        fk.AUC(bins=64).update_state(y, s)
    m = fk.AUC(bins=64)
    PATHS["xla"](m)(y, s)
    assert math.isnan(float(m.result()))
    with pytest.raises(ValueError, match="invalid"):
        m.histogram()


def test_reset_config_and_fit():
    m = fk.AUC(bins=256)
    m.update_state([0, 1], [0.2, 0.8])
    m.reset_state()
    assert math.isnan(float(m.result()))
    assert fk.AUC.from_config(m.get_config()).bins == 256
    rng = np.random.default_rng(3)
    x = rng.normal(size=(600, 4)).astype(np.float32)
    y = (x[:, 0] + 0.5 * rng.normal(size=600) > 0).astype(np.float32)
    keras.utils.set_random_seed(6)  # the same model whichever tests ran before in the process
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1, activation="sigmoid")])
    model.compile("adam", "binary_crossentropy",
                  metrics=[fk.AUC(bins=1 << 14), fk.AveragePrecision(bins=1 << 14)])
    model.fit(x, y, epochs=1, batch_size=64, verbose=0)
    logs = model.evaluate(x, y, batch_size=64, verbose=0, return_dict=True)
    pred = model.predict(x, batch_size=64, verbose=0).ravel()
    h = fastf1.ScoreHistogram(1 << 14).update(y, pred)
    assert logs["auc"] == pytest.approx(h.roc_auc_score(), rel=1e-9)
    assert abs(logs["auc"] - skm.roc_auc_score(y, pred)) <= h.roc_auc_error_bound() + 1e-9
    assert abs(logs["average_precision"] - skm.average_precision_score(y, pred)) <= \
        h.average_precision_error_bound() + 1e-9


def test_docstring_examples():
    finder = doctest.DocTestFinder()
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    for cls in (fk.AUC, fk.AveragePrecision):
        for test in finder.find(cls, cls.__name__, globs={}):
            runner.run(test)
    assert runner.tries >= 4 and runner.failures == 0


def test_zero_weights_result_is_a_number_histogram_raises():
    # result() cannot raise inside a training step: it gives the (zero) counts' value;
    # the histogram, as the label metrics' stat_scores(), raises scikit-learn's error
    y, s, _ = _data(n=400)
    auc, ap = fk.AUC(bins=1 << 12), fk.AveragePrecision(bins=1 << 12)
    for m in (auc, ap):
        m.update_state(y, s, np.zeros(y.size))
        m.result()
        with pytest.raises(ValueError, match="at least one non-zero"):
            m.histogram().average_precision_score()
    assert math.isnan(float(auc.result()))
    auc.update_state(y, s)  # unweighted rows weigh 1
    assert float(auc.result()) == auc.histogram().roc_auc_score()
