"""The CUDA path: identical counts to the CPU path, on the simulator in CI, on a GPU if any.

Run by tests/test_cuda.py in a fresh interpreter: with NUMBA_ENABLE_CUDASIM=1 (numba reads it
once, at import) when there is no GPU. On the simulator, blocks of 4 threads, at most 3 blocks
and 29-row streaming chunks force grid-stride loops, many blocks and many chunks.
"""

from __future__ import annotations

import os
import re

import numpy as np
import pytest
import sklearn.metrics as skm
from _reference import assert_equal_results
HAS_GPU = os.environ.get("NUMBA_ENABLE_CUDASIM") != "1"
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import label_problem, multilabel_problem

import fastf1

cuda = pytest.importorskip("numba.cuda")
gpu = pytest.importorskip("fastf1._kernels.cuda")

NUMERIC = ("binary01", "small_ints", "shifted_ints", "negative_sparse", "minus_one_one",
           "integral_floats")


@pytest.fixture(autouse=True)
def tiny_grid(monkeypatch):
    if not HAS_GPU:
        monkeypatch.setattr(gpu, "BLOCK_SIZE", 4)
        monkeypatch.setattr(gpu, "MAX_BLOCKS", 3)
        monkeypatch.setattr(gpu, "STREAM_CHUNK_ROWS", 29)


def _same_counts(a, b, exact=True):
    for attr in ("labels", "tp", "fp", "fn", "tn"):
        assert_equal_results(getattr(a, attr), getattr(b, attr), exact)


@settings(max_examples=15)
@given(problem=st.one_of(label_problem(vocab_names=NUMERIC, max_rows=60),
                         multilabel_problem(max_rows=30)), on_device=st.booleans())
def test_cuda_counts_equal_cpu_counts(problem, on_device):
    y_true, y_pred, weights, _ = problem
    if weights is not None:  # (all-zero weights are refused, as by sklearn)
        weights = weights.astype(np.float64) if np.any(weights) else None
    cpu_counts = fastf1.stat_scores(y_true, y_pred, sample_weight=weights, device="cpu")
    if on_device:  # GPU arrays: "auto" counts them where they are
        args = [cuda.to_device(np.ascontiguousarray(x)) for x in (y_true, y_pred)]
        w = None if weights is None else cuda.to_device(weights)
        gpu_counts = fastf1.stat_scores(*args, sample_weight=w)
    else:  # host arrays streamed to the GPU
        gpu_counts = fastf1.stat_scores(y_true, y_pred, sample_weight=weights, device="cuda")
    _same_counts(gpu_counts, cpu_counts, exact=weights is None)


def test_cuda_input_forms(rng):
    n = 90
    y_true = rng.integers(0, 5, n)
    y_true[::7] = -100
    y_pred = rng.integers(0, 5, n)
    scores = rng.random((n, 5)).astype(np.float32)
    w = rng.random(n)
    cases = [
        dict(y_true=y_true, y_pred=y_pred, ignore_index=-100),
        dict(y_true=y_true, y_pred=scores, ignore_index=-100, sample_weight=w),
        dict(y_true=y_true % 2, y_pred=scores[:, 0], threshold=0.5),
        dict(y_true=y_true % 2, y_pred=scores[:, 0], threshold=0.5, sample_weight=w),
        dict(y_true=rng.integers(0, 2, (n, 5)), y_pred=scores, threshold=rng.random(5)),
        dict(y_true=np.arange(n) * 1000, y_pred=np.arange(n) * 1000),  # encoded labels
    ]
    for case in cases:
        expected = fastf1.stat_scores(**case, device="cpu")
        _same_counts(fastf1.stat_scores(**case, device="cuda"), expected,
                     exact="sample_weight" not in case)
    for average in ["micro", "macro", None]:
        assert_equal_results(fastf1.f1_score(y_true, y_pred, average=average, device="cuda",
                                             ignore_index=-100),
                             fastf1.f1_score(y_true, y_pred, average=average,
                                             ignore_index=-100), exact=True)
    labels = np.abs(y_true) % 5
    assert_equal_results(fastf1.confusion_matrix(labels, scores, device="cuda"),
                         fastf1.confusion_matrix(labels, scores), exact=True)
    assert_equal_results(fastf1.confusion_matrix(labels, y_pred, device="cuda", sample_weight=w),
                         fastf1.confusion_matrix(labels, y_pred, sample_weight=w), exact=False)
    # GPU arrays with device="cpu" are copied to the host
    d_true, d_pred = cuda.to_device(y_pred), cuda.to_device(y_pred[::-1].copy())
    assert fastf1.f1_score(d_true, d_pred, average="macro", device="cpu") == \
        fastf1.f1_score(y_pred, y_pred[::-1], average="macro")


def test_cuda_reports_bad_values_like_the_cpu():
    with pytest.raises(ValueError, match="y_pred contains 1 value"):
        fastf1.f1_score([0, 1, 2], [0, np.nan, 2], average="macro", device="cuda")
    with pytest.raises(ValueError, match="NaN or inf"):
        fastf1.f1_score([0, 1], [0.2, np.inf], threshold=0.5, device="cuda")
    with pytest.raises(ValueError, match=r"outside \[0, 3\)"):
        fastf1.f1_score([0, 5], np.ones((2, 3)), average="macro", device="cuda")
    with pytest.raises(ValueError, match="sample_weight contains 1 NaN"):
        fastf1.f1_score([0, 1], [0, 1], sample_weight=[1.0, np.nan], device="cuda")
    with pytest.raises(ValueError, match="device must be one of"):
        fastf1.f1_score([0, 1], [0, 1], device="gpu")


def test_classes_beyond_shared_memory_use_global_atomics(monkeypatch, rng):
    monkeypatch.setattr(gpu, "SHARED_CLASSES", 3)
    y_true, y_pred = rng.integers(0, 9, 80), rng.integers(0, 9, 80)
    _same_counts(fastf1.stat_scores(y_true, y_pred, device="cuda"),
                 fastf1.stat_scores(y_true, y_pred, device="cpu"))
    T, P = rng.integers(0, 2, (40, 6)), rng.integers(0, 2, (40, 6))
    _same_counts(fastf1.stat_scores(T, P, device="cuda"), fastf1.stat_scores(T, P, device="cpu"))


@pytest.mark.gpu
@pytest.mark.skipif(not HAS_GPU, reason="needs a real CUDA GPU")
@pytest.mark.parametrize("k", [2, 10, 1000, 10000])
def test_real_gpu_large_inputs_equal_cpu(k, rng):
    n = 10_000_000
    y_true = rng.integers(0, k, n).astype(np.int32)
    y_pred = rng.integers(0, k, n).astype(np.int32)
    _same_counts(fastf1.stat_scores(cuda.to_device(y_true), cuda.to_device(y_pred)),
                 fastf1.stat_scores(y_true, y_pred))
    _same_counts(fastf1.stat_scores(y_true, y_pred, device="cuda"),
                 fastf1.stat_scores(y_true, y_pred))


def test_float16_device_inputs_are_widened(rng):
    """float16 GPU arrays are widened to float32 on the device, as host arrays are."""
    n = 50
    y_true = rng.integers(0, 3, n)
    scores = rng.random((n, 3)).astype(np.float16)
    labels16 = rng.integers(0, 3, n).astype(np.float16)
    w16 = rng.random(n).astype(np.float16)
    cases = [
        (y_true, scores, None, None),
        (y_true % 2, scores[:, 0].copy(), None, 0.5),
        (y_true.astype(np.float16), labels16, w16, None),
        ((scores > 0.5).astype(np.int8), scores, None, 0.5),
    ]
    for t, p, w, thr in cases:
        expected = fastf1.stat_scores(t, p, sample_weight=w, threshold=thr, device="cpu")
        d = [None if x is None else cuda.to_device(x) for x in (t, p, w)]
        got = fastf1.stat_scores(d[0], d[1], sample_weight=d[2], threshold=thr)
        _same_counts(got, expected, exact=w is None)
        host = fastf1.stat_scores(d[0], d[1], sample_weight=d[2], threshold=thr, device="cpu")
        _same_counts(host, expected, exact=w is None)


@settings(max_examples=10)
@given(data=st.data())
def test_top_k_on_the_gpu_equals_the_cpu(data):
    """top_k_accuracy_score counted on the GPU (host arrays streamed, or GPU arrays in
    place): the CPU's result, with ties, groups, weights, labels= and float16 scores."""
    rng = np.random.default_rng(data.draw(st.integers(0, 2**32 - 1)))
    n, n_classes = data.draw(st.integers(1, 70)), data.draw(st.integers(3, 6))
    scores = rng.integers(0, 3, (n, n_classes)).astype(
        data.draw(st.sampled_from([np.float16, np.float32, np.float64])))
    y_true = rng.integers(0, n_classes, n)
    y_true[: min(n, n_classes)] = np.arange(min(n, n_classes))
    weights = data.draw(st.sampled_from([None, rng.random(n)]))
    groups = data.draw(st.sampled_from([None, rng.integers(0, 3, n)]))
    labels = data.draw(st.sampled_from([None, np.arange(n_classes) + 10]))
    if labels is not None:
        y_true = y_true + 10
    kw = dict(k=data.draw(st.integers(1, 4)), normalize=data.draw(st.booleans()),
              sample_weight=weights, labels=labels, groups=groups)
    try:
        want = fastf1.top_k_accuracy_score(y_true, scores, device="cpu", **kw)
    except ValueError as exc:
        with pytest.raises(ValueError, match=re.escape(str(exc)[:30])):
            fastf1.top_k_accuracy_score(y_true, scores, device="cuda", **kw)
        return
    if data.draw(st.booleans()):  # GPU arrays, counted where they are
        on = dict(kw, sample_weight=None if weights is None else cuda.to_device(weights))
        got = fastf1.top_k_accuracy_score(cuda.to_device(y_true), cuda.to_device(scores), **on)
    else:
        got = fastf1.top_k_accuracy_score(y_true, scores, device="cuda", **kw)
    assert_equal_results(got, want, exact=weights is None)


def test_top_k_on_the_gpu_reports_bad_values():
    scores = np.random.default_rng(0).random((6, 3))
    y_true = np.array([0, 1, 2, 0, 1, 2])
    bad = scores.copy()
    bad[3, 1] = np.nan
    with pytest.raises(ValueError, match="NaN or infinity"):
        fastf1.top_k_accuracy_score(y_true, bad, device="cuda")
    with pytest.raises(ValueError, match="sample_weight contains 1 NaN"):
        fastf1.top_k_accuracy_score(y_true, scores, device="cuda",
                                    sample_weight=[1, 1, np.nan, 1, 1, 1])
    with pytest.raises(ValueError, match="not in parameter 'labels'"):
        fastf1.top_k_accuracy_score(y_true + 2, scores, labels=[1, 2, 3], device="cuda")
    # a binary y_true with 1-D scores on the GPU is scored on the host, as scikit-learn does
    assert fastf1.top_k_accuracy_score(y_true % 2, cuda.to_device(scores[:, 0].copy()), k=1) \
        == fastf1.top_k_accuracy_score(y_true % 2, scores[:, 0], k=1)


def test_weighted_binary_counts_do_not_cancel_on_the_gpu():
    """The GPU's two-class kernel sums the four cells too (weights far apart)."""
    y_true = np.array([1, 0, 0, 1, 0, 1] * 5)
    y_pred = np.array([1, 0, 0, 0, 1, 1] * 5)
    weights = np.array([1e17, 1.0, 1.0, 3.0, 0.5, 2e-9] * 5)
    want = fastf1.stat_scores(y_true, y_pred, sample_weight=weights, device="cpu")
    got = fastf1.stat_scores(y_true, y_pred, sample_weight=weights, device="cuda")
    _same_counts(got, want, exact=False)
    np.testing.assert_allclose(got.multilabel_confusion_matrix(), skm.multilabel_confusion_matrix(
        y_true, y_pred, sample_weight=weights), rtol=1e-9)


def test_all_zero_device_weights_are_refused_as_sklearn():
    """Weights on the GPU are counted in place, without the all-zero check's pass: the
    scores (and confusion_matrix) of all-zero weights still refuse, as scikit-learn does."""
    y_true, y_pred = np.array([0, 1, 2, 2]), np.array([0, 2, 2, 1])
    args = [cuda.to_device(x) for x in (y_true, y_pred)]
    for name, kwargs in (("f1_score", {"average": "macro"}), ("confusion_matrix", {})):
        with pytest.raises(ValueError, match="at least one non-zero number"):
            getattr(fastf1, name)(*args, sample_weight=cuda.to_device(np.zeros(4)), **kwargs)
    w = np.array([0.0, 0.0, 1.0, 0.0])
    assert fastf1.f1_score(*args, sample_weight=cuda.to_device(w), average="macro") == \
        skm.f1_score(y_true, y_pred, sample_weight=w, average="macro")
