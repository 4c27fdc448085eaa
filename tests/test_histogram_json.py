"""``ScoreHistogram.to_json`` / ``from_json``: exact round trips, read-back histograms that add
as the originals, and documents that are refused (data only, never code)."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fastf1 import ScoreHistogram

# ---- ScoreHistogram as JSON ------------------------------------------------------------------

SPECIAL = [0.0, -0.0, 1.0, -1.0, 0.5, 1e-30, -1e-30, 3e5, -3e5, 2.0**-24, 255.99, 256.0]


@st.composite
def histogram_rows(draw):
    n = draw(st.integers(0, 60))
    dtype = draw(st.sampled_from([np.float64, np.float32]))
    scores = draw(st.lists(st.one_of(st.sampled_from(SPECIAL),
                                     st.floats(-1e6, 1e6, allow_nan=False, width=32)),
                           min_size=n, max_size=n))
    y = draw(st.lists(st.integers(0, 1), min_size=n, max_size=n))
    weighted = draw(st.booleans())
    w = draw(st.lists(st.floats(0, 100, allow_nan=False), min_size=n, max_size=n)) \
        if weighted else None
    return np.array(y), np.array(scores, dtype=dtype), None if w is None else np.array(w)


def _same_scores(a: ScoreHistogram, b: ScoreHistogram) -> None:
    assert a.n_rows == b.n_rows and a.weighted == b.weighted
    if not a.n_rows:
        return
    assert a._classes() == b._classes()  # which classes have rows (of any weight)
    for name in ("roc_auc_score", "roc_auc_error_bound", "average_precision_score",
                 "average_precision_error_bound", "best_f1_threshold"):
        try:
            want = getattr(a, name)()
        except ValueError as exc:  # one class only: the same error
            with pytest.raises(ValueError, match=str(exc)[:20]):
                getattr(b, name)()
            continue
        np.testing.assert_array_equal(getattr(b, name)(), want, err_msg=name)  # NaN == NaN
    np.testing.assert_array_equal(a.roc_curve()[0], b.roc_curve()[0])


@pytest.mark.filterwarnings("ignore::fastf1.UndefinedMetricWarning")  # one class only
@settings(deadline=None)
@given(a=histogram_rows(), b=histogram_rows(), bins=st.sampled_from([64, 1024]))
def test_histogram_json_round_trip_is_exact(a, b, bins):
    ha, hb = (ScoreHistogram(bins).update(*rows) for rows in (a, b))
    back_a, back_b = (ScoreHistogram.from_json(h.to_json()) for h in (ha, hb))
    for h, back in ((ha, back_a), (hb, back_b)):
        assert back.to_json() == h.to_json()
        if not h.weighted:  # the same histogram, record for record
            assert back == h
        _same_scores(h, back)
    # read back, they add as the originals do, and score the same
    assert (back_a + back_b).to_json() == (ha + hb).to_json()
    _same_scores(ha + hb, back_a + back_b)


def _doc(h: ScoreHistogram) -> dict:
    return json.loads(h.to_json())


def _hist() -> ScoreHistogram:
    return ScoreHistogram(1024).update([0, 1, 1, 0], [0.1, 0.7, 0.9, 0.4])


def _edit(path: str, value):
    def edit(doc):
        *keys, last = path.split(".")
        for k in keys:
            doc = doc[k]
        doc[last] = value(doc[last]) if callable(value) else value
    return edit


def _weighted_with_too_few_rows(doc):
    weighted = _doc(ScoreHistogram(1024).update([0, 1, 1, 0], [0.1, 0.7, 0.9, 0.4],
                                                 [1.0, 2.0, 0.5, 3.0]))
    weighted["rows"], weighted["positive_rows"] = 3, 2  # 2 bins of negative weight
    doc.clear()
    doc.update(weighted)


def _reverse_rows(doc):
    for column in doc["bins_used"].values():
        column["values"] = column["values"][::-1]


@pytest.mark.parametrize("edit, match", [
    (_edit("kind", "StatScores"), "'StatScores' counts, not 'ScoreHistogram'"),
    (_edit("version", 99), "newer than this fastf1 reads"),
    (_edit("bins", 1000), "bins: bins must be a power of two"),
    (_reverse_rows, "not the bins of a 1024-bin histogram"),
    (_edit("bins_used.lowest.values", lambda v: v[::-1]), "lowest <= highest"),
    (_edit("bins_used.highest.values", lambda v: [x * 1.5 for x in v]),
     "not the bins of a 1024-bin histogram"),
    (_edit("bins_used.negative.values", lambda v: [-1 for _ in v]), "non-negative rows"),
    (_edit("bins_used.negative.values", lambda v: [x + 1 for x in v]), "add up to rows"),
    (_edit("rows", 3), "add up to rows"),
    (_edit("positive_rows", 99), "positive_rows at most rows"),
    (_edit("bins_used.lowest.dtype", "object"), "is not allowed here"),
    (_edit("sums.log_loss", "1.0"), "log_loss must be a finite number"),
    (_edit("calibration.weight.values", lambda v: v[:3]), "must hold 10 finite numbers"),
    (_edit("weighted", True), "dtype int64 is not allowed here"),
    (_weighted_with_too_few_rows, "more bins with rows of a class than rows"),
])
def test_bad_histogram_documents_are_refused(edit, match):
    doc = _doc(_hist())
    edit(doc)
    with pytest.raises(ValueError, match=match):
        ScoreHistogram.from_json(json.dumps(doc))


def test_not_json_is_refused():
    with pytest.raises(ValueError, match="not JSON"):
        ScoreHistogram.from_json("{")
