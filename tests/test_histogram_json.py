"""``ScoreHistogram.to_json`` / ``from_json``: exact round trips, read-back histograms that add
as the originals, and documents that are refused (data only, never code)."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from fastf1 import ByGroup, ScoreHistogram, StatScores, TopKCounts, stat_scores

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
                 "average_precision_error_bound", "best_f1_threshold", "roc_curve"):
        try:
            want = getattr(a, name)()
        except ValueError as exc:  # one class only, or all weights zero: the same error
            with pytest.raises(ValueError, match=re.escape(str(exc))):
                getattr(b, name)()
            continue
        got = getattr(b, name)()
        if name == "roc_curve":
            got, want = got[0], want[0]
        np.testing.assert_array_equal(got, want, err_msg=name)  # NaN == NaN


@pytest.mark.filterwarnings("ignore::fastf1.UndefinedMetricWarning")  # one class only
@settings(deadline=None)
@given(a=histogram_rows(), b=histogram_rows(), bins=st.sampled_from([64, 1024]))
@example(a=(np.zeros(0, int), np.zeros(0), None),  # every weight zero: the same error
         b=(np.zeros(3, int), np.zeros(3), np.zeros(3)), bins=64)
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


def _weighted_doc() -> dict:
    return _doc(ScoreHistogram(1024).update([0, 1, 1, 0], [0.1, 0.7, 0.9, 0.4],
                                            [1.0, 2.0, 0.5, 3.0]))


# impossible sums and tables, each refused by name (weighted: weights are free floats)
@pytest.mark.parametrize("weighted, edit, match", [
    (False, _edit("sums.weight", -1.0), "sums: weight must not be negative"),
    (False, _edit("sums.weight", 3.0), "must equal rows and positive_rows"),
    (False, _edit("sums.positive_weight", 3.0), "must equal rows and positive_rows"),
    (True, _edit("sums.positive_weight", 99.0), "sums: positive_weight must be from 0"),
    (True, _edit("sums.above_1", -1.0), "sums: above_1 must be from 0"),
    (True, _edit("sums.brier", -0.5), "sums: brier must not be negative"),
    (True, _edit("sums.log_loss", 5.0), "sums: log_loss .* must not be positive"),
    (False, _edit("sums.weight", float("nan")), "sums: weight must be a finite number"),
    (True, _edit("calibration.weight.values", lambda v: [-x for x in v]),
     "calibration: weights and score sums must not be negative"),
    (True, _edit("calibration.positive_weight.values", lambda v: [x + 9 for x in v]),
     "calibration: a bin's positive_weight or score_sum exceeds its weight"),
    (True, _edit("calibration.weight.values", lambda v: [x + 9 for x in v]),
     "calibration: the bins weigh more than all rows"),
    (False, _edit("calibration_bins", 10**12), "calibration_bins must be an int from 1"),
    (False, _edit("calibration_bins", 0), "calibration_bins must be an int from 1"),
    (True, _edit("rows", 2**63), "rows and positive_rows must be counts"),
])
def test_impossible_histogram_sums_are_refused(weighted, edit, match):
    doc = _weighted_doc() if weighted else _doc(_hist())
    edit(doc)
    with pytest.raises(ValueError, match=match):
        ScoreHistogram.from_json(json.dumps(doc))


def test_calibration_bins_limit_in_the_constructor():
    with pytest.raises(ValueError, match="calibration_bins must be an int from 1"):
        ScoreHistogram(1024, calibration_bins=10**12)


# ---- StatScores, ByGroup and TopKCounts as data: impossible counts refused --------------------

def _counts_doc(weighted: bool = False) -> dict:
    w = [1.0, 2.0, 0.5, 3.0] if weighted else None
    return json.loads(stat_scores([0, 1, 2, 2], [0, 2, 2, 1], sample_weight=w).to_json())


@pytest.mark.parametrize("weighted, edit, match", [
    (False, _edit("counts.tp.values", lambda v: [-1, *v[1:]]), "tp: counts must not be neg"),
    (False, _edit("counts.true.values", lambda v: [-1, *v[1:]]), "true: counts must not be"),
    (False, _edit("counts.pred.values", lambda v: [0, *v[1:]]), "tp: a label's tp exceeds"),
    (False, _edit("counts.true.values", lambda v: [0, 2, 2]), "tp: a label's tp exceeds"),
    (False, _edit("counts.pred.values", lambda v: [9, *v[1:]]), "pred: a count exceeds total"),
    (False, _edit("counts.total", float("nan")), "total: must be a finite number"),
    (True, _edit("counts.total", float("inf")), "total: must be a finite number"),
    (False, _edit("counts.total", -1), "total: unweighted counts need a non-negative int"),
    (False, _edit("counts.total", 4.0), "total: unweighted counts need a non-negative int"),
    (False, _edit("counts.total", 5), "total: single-label total"),
    (True, _edit("counts.tp.values", lambda v: [float("nan"), *v[1:]]), "must be finite"),
    (False, _edit("counts.int_weighted_empty", {"dtype": "bool", "values": [True]}),
     "int_weighted_empty: must be as long as labels"),
])
def test_impossible_stat_scores_are_refused(weighted, edit, match):
    doc = _counts_doc(weighted)
    edit(doc)
    with pytest.raises(ValueError, match=match):
        StatScores.from_json(json.dumps(doc))


@pytest.mark.parametrize("edit, match", [
    (lambda g: g.append(list(g[0])), "group: key 'a' appears twice"),
    (lambda g: g[0].__setitem__(0, {"dtype": "int64", "values": [1]}),
     "group: a group key must be a number, string, bool or null, not dict"),
    (lambda g: g[0].__setitem__(0, [1]), "group: a group key must be .* not list"),
])
def test_bad_group_keys_are_refused(edit, match):
    doc = json.loads(stat_scores([0, 1, 1], [0, 1, 0], groups=["a", "b", "b"]).to_json())
    edit(doc["groups"])
    with pytest.raises(ValueError, match=match):
        ByGroup.from_json(json.dumps(doc))


def _top_k_doc(weighted: bool = False, labels=None) -> dict:
    scores = np.array([[0.5, 0.2, 0.3], [0.3, 0.4, 0.3], [0.2, 0.5, 0.3], [0.7, 0.2, 0.1]])
    t = [0, 1, 2, 2] if labels is None else [labels[i] for i in (0, 1, 2, 2)]
    return TopKCounts(2, labels=labels).update(
        t, scores, [1.0, 2.0, 0.5, 3.0] if weighted else None)._to_data()


@pytest.mark.parametrize("weighted, labels, edit, match", [
    (False, None, _edit("n_classes", 0), "n_classes must be at least 1"),
    (False, [10, 20, 30], _edit("n_classes", 4), "labels must be n_classes long"),
    (False, None, _edit("hits", 9), "hits, rows and n_classes do not fit"),
    (False, None, _edit("hits", -1), "hits must be a count"),
    (True, None, _edit("weighted_hits", float("nan")), "must be finite"),
    (True, None, _edit("weight", float("inf")), "must be finite"),
    (False, None, _edit("weighted_hits", 9.0), "weighted_hits must be from 0 to weight"),
    (False, None, _edit("weight", -1.0), "weighted_hits must be from 0 to weight"),
])
def test_impossible_top_k_counts_are_refused(weighted, labels, edit, match):
    doc = _top_k_doc(weighted, labels)
    edit(doc)
    with pytest.raises(ValueError, match=match):
        TopKCounts._from_data(json.loads(json.dumps(doc)))


@pytest.mark.parametrize("kwargs", [
    {}, {"sample_weight": [1.0, -2.0, 0.5, 3.0]}, {"ignore_index": 2},
    {"labels": [0, 1, 7]}, {"groups": ["a", "b", "a", "b"]},
])
def test_real_label_counts_still_load(kwargs):
    c = stat_scores([0, 1, 2, 2], [0, 2, 2, 1], **kwargs)
    cls = ByGroup if "groups" in kwargs else StatScores
    assert cls.from_json(c.to_json()).to_json() == c.to_json()


@pytest.mark.parametrize("weights", [None, [1.0, 2.0, 0.0, 3.0], [0.0] * 4,
                                     [1.0, -2.0, 0.5, 3.0]])
def test_real_score_and_top_k_counts_still_load(weights):
    rng = np.random.default_rng(0)
    y, s, m = [0, 1, 1, 0], rng.random(4), rng.random((4, 3))
    mt = (m > 0.5).astype(int)
    for c in ([] if weights == [0.0] * 4 else  # stat_scores refuses all-zero weights
              [stat_scores(y, s, threshold=0.5, sample_weight=weights),
               stat_scores(mt, m, threshold=0.5, sample_weight=weights)]):
        assert StatScores.from_json(c.to_json()).to_json() == c.to_json()
    top = TopKCounts(2).update([0, 1, 2, 2], m, weights)
    assert TopKCounts._from_data(top._to_data())._to_data() == top._to_data()
    if weights is None or min(weights) >= 0:  # histograms take non-negative weights only
        h = ScoreHistogram(1024).update(y, s, weights) + ScoreHistogram(1024).update(y, s)
        assert ScoreHistogram.from_json(h.to_json()) == h
