"""fastf1.keras.MatthewsCorrelation: evaluate() equals scikit-learn on model.predict()."""

from __future__ import annotations

import doctest

import numpy as np
import pytest

tf = pytest.importorskip("tensorflow")
keras = pytest.importorskip("keras")
skm = pytest.importorskip("sklearn.metrics")

import fastf1.keras as fk  # noqa: E402

K = 5  # class 4 never occurs


@pytest.fixture(scope="module")
def trained():
    keras.utils.set_random_seed(1)
    rng = np.random.default_rng(0)
    y = rng.integers(0, 4, 600).astype(np.int32)
    centers = rng.normal(scale=1.2, size=(4, 5))
    x = (centers[y] + rng.normal(size=(600, 5))).astype(np.float32)
    model = keras.Sequential([keras.Input((5,)), keras.layers.Dense(K, "softmax")])
    model.compile(keras.optimizers.Adam(0.05), "sparse_categorical_crossentropy")
    model.fit(x, y, epochs=2, batch_size=64, verbose=0)
    pred = model.predict(x, batch_size=256, verbose=0).argmax(axis=1)
    return model, x, y, pred


@pytest.mark.parametrize("jit_compile", [False, True], ids=["numpy", "xla"])
def test_evaluate_equals_sklearn(trained, jit_compile):
    model, x, y, pred = trained
    metric = fk.MatthewsCorrelation(num_classes=K)
    model.compile("sgd", "sparse_categorical_crossentropy", metrics=[metric],
                  jit_compile=jit_compile)
    logs = model.evaluate(x, y, batch_size=50, verbose=0, return_dict=True)
    np.testing.assert_allclose(logs["matthews_correlation"], skm.matthews_corrcoef(y, pred),
                               rtol=1e-12)
    assert metric.stat_scores().matthews_corrcoef() == skm.matthews_corrcoef(y, pred)


def test_weighted_and_binary():
    rng = np.random.default_rng(5)
    y = rng.integers(0, 2, 300)
    scores = np.clip(y * 0.4 + rng.random(300) * 0.7, 0, 1)
    w = rng.integers(0, 4, 300).astype(np.float64)
    m = fk.MatthewsCorrelation(task="binary", threshold=0.5)
    for lo in range(0, 300, 64):
        m.update_state(y[lo:lo + 64], scores[lo:lo + 64], w[lo:lo + 64])
    want = skm.matthews_corrcoef(y, (scores >= 0.5).astype(int), sample_weight=w)
    np.testing.assert_allclose(float(m.result()), want, rtol=1e-12)


def test_degenerate_and_config():
    m = fk.MatthewsCorrelation(num_classes=3)
    m.update_state([1, 1, 1], [1, 1, 1])
    assert float(m.result()) == skm.matthews_corrcoef([1, 1, 1], [1, 1, 1]) == 0.0
    again = fk.MatthewsCorrelation.from_config(m.get_config())
    assert again.get_config() == m.get_config()
    with pytest.raises(ValueError, match="multilabel"):
        fk.MatthewsCorrelation(task="multilabel", num_classes=3)


def test_docstring_example():
    finder = doctest.DocTestFinder()
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    for test in finder.find(fk.MatthewsCorrelation, "MatthewsCorrelation",
                            globs={"fastf1": __import__("fastf1")}):
        runner.run(test)
    assert runner.summarize(verbose=False).failed == 0
