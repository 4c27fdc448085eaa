"""A stream of ``StatScores.update`` calls takes shortcuts: the label union skipped when
both sides hold the same labels, the label range carried from chunk to chunk, NumPy integer
labels passed through validation as they are. Each must give exactly one call's counts."""

from __future__ import annotations

import numpy as np
import pytest
import sklearn.metrics as skm

import fastf1
from fastf1 import _dispatch, _validation, counts


def _fields(s: fastf1.StatScores) -> tuple:
    return (s.labels.tolist(), s.labels.dtype, s.tp.tolist(), s.tp.dtype, s.fp.tolist(),
            s.support.tolist(), s.total, s.weighted)


def _chunks(rng: np.random.Generator, kind: str) -> list[tuple[np.ndarray, np.ndarray]]:
    """(y_true, y_pred) chunks: the same labels, changing label sets, or a label range that
    grows past what one range can carry (then narrows again)."""
    if kind == "same":
        return [(rng.integers(0, 5, 300), rng.integers(0, 5, 300)) for _ in range(4)]
    if kind == "different":
        highs = [3, 7, 2, 7]
        return [(rng.integers(0, h, 200), rng.integers(0, h, 200)) for h in highs]
    # growing: past the carried range, past the carried limit, sparse, negative, back to small
    spans = [(0, 4), (0, 40), (0, 5000), (-3, 3), (0, 4)]
    out = [(rng.integers(lo, hi, 250), rng.integers(lo, hi, 250)) for lo, hi in spans]
    sparse = np.array([0, 10**9, 7, 10**9] * 50)
    out.insert(3, (sparse, sparse[::-1].copy()))
    return out


def _stream(chunks, weights) -> fastf1.StatScores:
    s = fastf1.StatScores()
    for (t, p), w in zip(chunks, weights):
        s.update(t, p, w)
    return s


@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "weighted"])
@pytest.mark.parametrize("kind", ["same", "different", "growing"])
@pytest.mark.parametrize("dtype", [np.int32, np.int64])
def test_stream_equals_one_call(kind, weighted, dtype, rng, monkeypatch):
    chunks = [(t.astype(dtype), p.astype(dtype)) for t, p in _chunks(rng, kind)]
    weights = [rng.random(t.size) if weighted else None for t, _ in chunks]
    s = _stream(chunks, weights)
    t_all = np.concatenate([t for t, _ in chunks])
    p_all = np.concatenate([p for _, p in chunks])
    w_all = np.concatenate(weights) if weighted else None
    one = fastf1.stat_scores(t_all, p_all, sample_weight=w_all)
    if weighted:  # chunks sum their weights in another order: equal to rounding
        assert _fields(s)[:2] == _fields(one)[:2]
        for attr in ("tp", "fp", "support"):
            np.testing.assert_allclose(getattr(s, attr), getattr(one, attr), rtol=1e-12)
    else:
        assert _fields(s) == _fields(one)
    mcm = skm.multilabel_confusion_matrix(t_all, p_all, sample_weight=w_all, labels=s.labels)
    np.testing.assert_allclose(s.tp, mcm[:, 1, 1], rtol=1e-12)
    np.testing.assert_allclose(s.fp, mcm[:, 0, 1], rtol=1e-12)
    # without the shortcuts: the same numbers to the last bit
    monkeypatch.setattr(counts, "_same_labels", lambda a, b: False)
    monkeypatch.setattr(_validation, "_plain_labels", lambda t, p: False)
    monkeypatch.setattr(_dispatch.RangeMemo, "recall", lambda self, key: None)
    assert _fields(_stream(chunks, weights)) == _fields(s)


def test_add_same_labels_mixed_weighting_and_no_shared_arrays():
    a = fastf1.stat_scores([0, 1, 2], [0, 2, 2])
    b = fastf1.stat_scores([0, 1, 2], [0, 1, 1], sample_weight=[0.5, 2.0, 1.0])
    ab = a + b
    assert ab.tp.dtype == np.float64 and ab.tp.tolist() == [1.5, 2.0, 1.0]
    assert ab.support.tolist() == [1.5, 3.0, 2.0]
    assert (a + a).tp.tolist() == [2, 0, 2]
    aa = a + a
    aa.labels[0] = 9  # the sum owns its arrays
    assert a.labels.tolist() == [0, 1, 2]


def test_memo_follows_dtype_and_ignore_index(rng):
    """The carried range is for one dtype and ignore_index; int8 labels at the top of their
    range after a wide int64 chunk, and a stream with ignore_index inside the range."""
    wide = np.arange(-200, 3000, dtype=np.int64)
    top = np.array([120, 127, 126, -128], dtype=np.int8)
    s = fastf1.StatScores().update(wide, wide).update(top, top[::-1])
    one = fastf1.stat_scores(np.concatenate([wide, top]), np.concatenate([wide, top[::-1]]))
    assert _fields(s) == _fields(one)
    s = fastf1.StatScores(ignore_index=3)
    t, p = rng.integers(0, 6, 500), rng.integers(0, 6, 500)
    for lo in range(0, 500, 100):
        s.update(t[lo:lo + 100], p[lo:lo + 100])
    assert _fields(s) == _fields(fastf1.stat_scores(t, p, ignore_index=3))


def test_range_memo_is_per_stream():
    s = fastf1.StatScores().update([0, 1, 2], [0, 1, 1])
    assert isinstance(s._memo, _dispatch.RangeMemo) and s._memo.last is not None
    assert (s + fastf1.StatScores())._memo is None  # a copy starts its own stream
