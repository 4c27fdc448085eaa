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


@settings(max_examples=60, deadline=None)
@given(a=histogram_rows(), b=histogram_rows(), bins=st.sampled_from([64, 1024]))
def test_histogram_json_round_trip_is_exact(a, b, bins):
    ha, hb = (ScoreHistogram(bins).update(*rows) for rows in (a, b))
    back_a, back_b = (ScoreHistogram.from_json(h.to_json()) for h in (ha, hb))
    assert back_a == ha and back_b == hb
    # read back, they add as the originals do, and score the same
    assert back_a + back_b == ha + hb
    both = ha + hb
    if both.n_rows and len(set(np.concatenate([a[0], b[0]]).tolist())) == 2:
        back = back_a + back_b
        assert back.roc_auc_score() == both.roc_auc_score()
        assert back.average_precision_score() == both.average_precision_score()


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


def _reverse_rows(doc):
    for column in doc["rows"].values():
        column["values"] = column["values"][::-1]


@pytest.mark.parametrize("edit, match", [
    (_edit("kind", "StatScores"), "'StatScores' counts, not 'ScoreHistogram'"),
    (_edit("version", 99), "newer than this fastf1 reads"),
    (_edit("bins", 1000), "bins: bins must be a power of two"),
    (_reverse_rows, "not the bins of a 1024-bin histogram"),
    (_edit("rows.lowest.values", lambda v: v[::-1]), "lowest <= highest"),
    (_edit("rows.highest.values", lambda v: [x * 1.5 for x in v]),
     "not the bins of a 1024-bin histogram"),
    (_edit("rows.negatives.values", lambda v: [-1 for _ in v]), "non-negative counts"),
    (_edit("rows.lowest.dtype", "object"), "is not allowed here"),
    (_edit("sums.log_loss", "1.0"), "log_loss must be a finite number"),
    (_edit("calibration.weight.values", lambda v: v[:3]), "must hold 10 finite numbers"),
    (_edit("weighted", True), "rows: expected the keys"),
])
def test_bad_histogram_documents_are_refused(edit, match):
    doc = _doc(_hist())
    edit(doc)
    with pytest.raises(ValueError, match=match):
        ScoreHistogram.from_json(json.dumps(doc))


def test_not_json_is_refused():
    with pytest.raises(ValueError, match="not JSON"):
        ScoreHistogram.from_json("{")
