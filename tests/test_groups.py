"""``groups=``: every group counted in one pass equals scikit-learn on that group's rows alone."""

from __future__ import annotations

import numpy as np
import pytest
from _reference import AVERAGED, AVERAGES, OTHER, ZERO_DIVISIONS, _call, assert_equal_results
from hypothesis import given
from hypothesis import strategies as st
from strategies import label_problem, labels_argument, multilabel_problem

import fastf1
from fastf1 import ByGroup

# group vocabularies: narrow integers are counted by value, the others are encoded
GROUP_VOCABULARIES = {
    "small_ints": [0, 1, 2],
    "negative_ints": [-3, 5],
    "wide_ints": [-5, 10**12, 7],
    "strings": ["de", "fr", "us", "jp"],
    "bools": [False, True],
    "floats": [0.5, 2.25, -1.0],
}


@st.composite
def group_column(draw, n):
    vocab = GROUP_VOCABULARIES[draw(st.sampled_from(sorted(GROUP_VOCABULARIES)))]
    return np.array(draw(st.lists(st.sampled_from(vocab), min_size=n, max_size=n)))


def by_group(func, y_true, y_pred, groups, sample_weight=None, **kwargs):
    """scikit-learn (or any function) on each group's rows: the reference."""
    out = {}
    for value in np.unique(groups):
        rows = np.flatnonzero(groups == value)
        w = None if sample_weight is None else sample_weight[rows]
        out[value.item()] = func(y_true[rows], y_pred[rows], sample_weight=w, **kwargs)
    return out


def compare_by_group(ours, theirs, y_true, y_pred, groups, weights, exact, **kwargs):
    # a group whose weights are all zero is refused, as scikit-learn refuses its rows
    got = _call(ours, y_true, y_pred, sample_weight=weights, groups=groups, **kwargs)
    want = _call(by_group, theirs, y_true, y_pred, groups, weights, **kwargs)
    assert got[1] == want[1], f"error: fastf1 {got[1]}, reference {want[1]}"
    if want[1] is None:
        assert isinstance(got[0], ByGroup)
        assert list(got[0]) == list(want[0])  # sorted group order
        assert_equal_results(dict(got[0]), want[0], exact)
        assert got[2] == want[2]  # the same warnings, group by group


@pytest.mark.parametrize("name", sorted(AVERAGED))
@given(data=st.data())
def test_averaged_metrics_by_group(name, data, kernel_mode):
    ours, theirs, fixed = AVERAGED[name]
    y_true, y_pred, weights, vocab = data.draw(st.one_of(label_problem(), multilabel_problem()))
    groups = data.draw(group_column(len(y_true)))
    labels = data.draw(labels_argument(vocab))
    kwargs = dict(fixed, average=data.draw(st.sampled_from(AVERAGES)), labels=labels,
                  zero_division=data.draw(st.sampled_from(ZERO_DIVISIONS)))
    compare_by_group(ours, theirs, y_true, y_pred, groups, weights, weights is None, **kwargs)


@pytest.mark.parametrize("name", sorted(OTHER))
@given(data=st.data())
def test_other_functions_by_group(name, data, kernel_mode):
    ours, theirs = OTHER[name]
    problem = label_problem() if name == "confusion_matrix" else st.one_of(
        label_problem(), multilabel_problem())
    y_true, y_pred, weights, vocab = data.draw(problem)
    groups = data.draw(group_column(len(y_true)))
    kwargs = {}
    if name == "multilabel_confusion_matrix":
        kwargs = dict(samplewise=data.draw(st.booleans()))
    if name == "classification_report":
        kwargs = dict(output_dict=data.draw(st.booleans()), zero_division=0.0)
    if name != "accuracy_score":
        kwargs["labels"] = data.draw(labels_argument(vocab))
    compare_by_group(ours, theirs, y_true, y_pred, groups, weights, weights is None, **kwargs)


@pytest.mark.parametrize("form", ["scores", "argmax", "multilabel_scores", "ignore_index"])
def test_other_input_forms_by_group(form, rng, kernel_mode):
    """Thresholded scores, argmax of score matrices, ignore_index: per group as on the rows."""
    n = 3000
    groups = rng.choice(["a", "b", "c"], n)
    kwargs = {}
    if form == "scores":
        y_true, y_pred = rng.integers(0, 2, n), rng.random(n).astype(np.float32)
        kwargs = dict(threshold=0.4)
    elif form == "argmax":
        y_true, y_pred = rng.integers(0, 5, n), rng.random((n, 5))
    elif form == "multilabel_scores":
        y_true, y_pred = rng.integers(0, 2, (n, 3)), rng.random((n, 3))
        kwargs = dict(threshold=np.array([0.3, 0.5, 0.7]))
    else:
        y_true, y_pred = rng.integers(-1, 4, n), rng.integers(0, 4, n)
        kwargs = dict(ignore_index=-1)
    weights = rng.random(n)
    for w in (None, weights):
        got = fastf1.stat_scores(y_true, y_pred, sample_weight=w, groups=groups, **kwargs)
        want = by_group(fastf1.stat_scores, y_true, y_pred, groups, w, **kwargs)
        assert list(got) == list(want)
        for key in want:
            for attr in ("labels", "tp", "fp", "fn", "tn"):
                np.testing.assert_allclose(getattr(got[key], attr), getattr(want[key], attr),
                                           rtol=1e-12)


def test_zero_weight_groups():
    """A group whose weights are all zero is counted (zero counts), but its scores are
    refused as scikit-learn refuses its rows, naming the group (test_zero_weights.py)."""
    counts = fastf1.stat_scores([0, 1, 1, 0], [0, 1, 0, 0], sample_weight=[1, 1, 0, 0],
                                groups=[1, 1, 2, 2])
    assert counts[2].total == 0 and not counts[2].tp.any()
    with pytest.raises(ValueError, match="^group 2: Sample weights must contain at least "):
        fastf1.f1_score([0, 1, 1, 0], [0, 1, 0, 0], sample_weight=[1, 1, 0, 0],
                        groups=[1, 1, 2, 2])


def test_groups_without_counted_rows_are_left_out():
    got = fastf1.stat_scores([-1, -1, 0, 1], [0, 1, 0, 1], ignore_index=-1,
                             groups=["gone", "gone", "kept", "kept"])
    assert list(got) == ["kept"]


def test_many_groups_and_wide_labels(rng, kernel_mode):
    """Thousands of groups, labels far from zero (the exact-range retry), and strings."""
    n = 50_000
    groups = rng.integers(0, 5000, n) * 1000
    y_true = rng.integers(10**6, 10**6 + 40, n)
    y_pred = np.where(rng.random(n) < 0.7, y_true, rng.integers(10**6, 10**6 + 40, n))
    got = fastf1.f1_score(y_true, y_pred, average="macro", groups=groups)
    sample = rng.choice(np.unique(groups), 20, replace=False)
    for g in sample.tolist():
        rows = groups == g
        assert got[g] == fastf1.f1_score(y_true[rows], y_pred[rows], average="macro")
    strings = y_true.astype(str)
    got = fastf1.recall_score(strings, y_pred.astype(str), average="micro", groups=groups)
    for g in sample.tolist():
        rows = groups == g
        assert got[g] == fastf1.recall_score(strings[rows], y_pred[rows].astype(str),
                                             average="micro")


def test_chunks_add_up_by_group(rng):
    n = 1000
    y_true, y_pred = rng.integers(0, 4, n), rng.integers(0, 4, n)
    groups = rng.choice(["x", "y", "z"], n)
    whole = fastf1.stat_scores(y_true, y_pred, groups=groups)
    first = fastf1.stat_scores(y_true[:300], y_pred[:300], groups=groups[:300])
    rest = fastf1.stat_scores(y_true[300:], y_pred[300:], groups=groups[300:])
    summed = first + rest
    assert list(summed) == list(whole)
    for key in whole:
        np.testing.assert_array_equal(summed[key].tp, whole[key].tp)
        np.testing.assert_array_equal(summed[key].tn, whole[key].tn)


def test_to_frame():
    pd = pytest.importorskip("pandas")
    y_true, y_pred, groups = [0, 1, 1, 0, 2], [0, 1, 0, 0, 2], ["a", "a", "b", "b", "b"]
    counts = fastf1.stat_scores(y_true, y_pred, groups=groups).to_frame()
    assert list(counts.columns) == ["tp", "fp", "fn", "tn", "support"]
    assert counts.loc[("b", 2), "tp"] == 1 and counts.loc[("a", 1), "tn"] == 1
    scores = fastf1.f1_score(y_true, y_pred, average="macro", groups=groups).to_frame("f1")
    assert scores.index.name == "group" and list(scores.columns) == ["f1"]
    prfs = fastf1.precision_recall_fscore_support(y_true, y_pred, average="micro",
                                                  groups=groups).to_frame()
    assert list(prfs.columns) == ["precision", "recall", "fscore", "support"]
    assert isinstance(prfs, pd.DataFrame) and prfs.shape == (2, 4)
    with pytest.raises(TypeError, match="one number per group"):
        fastf1.f1_score(y_true, y_pred, average=None, groups=groups).to_frame()


def test_pandas_columns_as_groups():
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame({"y": [0, 1, 1, 0], "p": [0, 1, 0, 0],
                       "day": pd.to_datetime(["2026-01-01", "2026-01-01", "2026-01-02",
                                              "2026-01-02"])})
    got = fastf1.accuracy_score(df["y"], df["p"], groups=df["day"].dt.strftime("%F"))
    assert got == {"2026-01-01": 1.0, "2026-01-02": 0.5}


def test_dask_by_group(rng):
    da = pytest.importorskip("dask.array")
    n = 5000
    y_true, y_pred = rng.integers(0, 6, n), rng.integers(0, 6, n)
    groups, weights = rng.integers(0, 9, n), rng.integers(0, 3, n)
    chunked = [da.from_array(x, chunks=700) for x in (y_true, y_pred, groups, weights)]
    got = fastf1.precision_score(chunked[0], chunked[1], groups=chunked[2],
                                 sample_weight=chunked[3], average="weighted")
    want = fastf1.precision_score(y_true, y_pred, groups=groups, sample_weight=weights,
                                  average="weighted")
    assert list(got) == list(want)
    np.testing.assert_allclose(list(got.values()), list(want.values()), rtol=1e-12)
    with pytest.raises(TypeError, match="mix of Dask and in-memory"):
        fastf1.f1_score(chunked[0], chunked[1], groups=groups)


@pytest.mark.parametrize("groups, error, match", [
    ([0, 1], ValueError, "inconsistent numbers of samples"),
    ([[0], [1], [2]], ValueError, "groups must be 1-D"),
    ([0.5, np.nan, 1.0], ValueError, "groups contains 1 missing value"),
    (["a", None, "b"], ValueError, "groups contains 1 missing value"),
    (np.array(["2026-01-01", "2026-01-02", "NaT"], "datetime64[D]"), ValueError, "missing value"),
])
def test_bad_groups(groups, error, match):
    with pytest.raises(error, match=match):
        fastf1.f1_score([0, 1, 1], [0, 1, 0], groups=groups)


def test_too_many_group_cells():
    n = 300_000
    groups = np.arange(n) * 7  # wide integers: encoded, 300k groups
    y = np.arange(n) % 20
    with pytest.raises(ValueError, match=r"\(group, label\) counters"):
        fastf1.stat_scores(y, y, groups=groups)


def test_groups_are_counted_on_the_cpu():
    with pytest.raises(ValueError, match="counted on the CPU"):
        fastf1.f1_score([0, 1], [0, 1], groups=[0, 1], device="cuda")


def test_files_and_cli_by_group(tmp_path, rng, capsys):
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    from fastf1 import cli, io

    n = 5000
    y, p = rng.integers(0, 4, n), rng.integers(0, 4, n)
    country, w = rng.choice(["de", "fr", "us"], n), rng.random(n)
    pq.write_table(pa.table({"y": y, "p": p, "country": country, "w": w}),
                   tmp_path / "dump.parquet")
    want = fastf1.stat_scores(y, p, sample_weight=w, groups=country)
    got = io.score_files(tmp_path, true="y", pred="p", sample_weight="w", group_by="country",
                         chunk_rows=1234)
    assert list(got) == list(want)
    for key in want:
        np.testing.assert_allclose(got[key].tp, want[key].tp, rtol=1e-12)
        np.testing.assert_allclose(got[key].fp, want[key].fp, rtol=1e-12)

    assert cli.main(["score", str(tmp_path), "--true", "y", "--pred", "p", "--group-by", "country",
                     "--average", "macro", "-q"]) == 0
    text = capsys.readouterr().out
    table = text[text.index("per group (3):"):].splitlines()
    assert table[1].split()[:2] == ["group", "rows"]
    f1 = fastf1.f1_score(y, p, average="macro", groups=country)
    for line, key in zip(table[2:], ["de", "fr", "us"]):
        assert line.split()[0] == key
        assert line.split()[4] == f"{f1[key]:.4f}"

    assert cli.main(["score", str(tmp_path), "--true", "y", "--pred", "p", "--group-by", "country",
                     "--json", "-q"]) == 0
    import json

    out = json.loads(capsys.readouterr().out)
    assert sorted(out["groups"]) == ["de", "fr", "us"]
    assert out["groups"]["fr"]["f1"]["macro"] == f1["fr"]
    assert out["groups"]["fr"]["rows"] == int((country == "fr").sum())

    assert cli.main(["score", str(tmp_path), "--true", "y", "--pred", "p", "--group-by", "day"]) == 1
    assert "day" in capsys.readouterr().err


@pytest.mark.parametrize("groups", [
    np.array([2**63 - 1, 2**63 - 2] * 2),                  # int64 up to its largest value
    np.array([2**64 - 1, 2**64 - 2] * 2, np.uint64),       # uint64 up to its largest value
    np.array([-128, 127] * 2, np.int8),
    np.array([0, 60_000] * 2),                             # two ids far apart: a block per value
])
@pytest.mark.parametrize("multilabel", [False, True])
def test_extreme_and_spread_integer_groups(groups, multilabel):
    """Found in review: values near the dtype's limits kept their keys, spread ids fit."""
    y_true = np.eye(4, 3, dtype=int) if multilabel else np.array([0, 1, 1, 0])
    y_pred = np.eye(4, 3, dtype=int)[::-1] if multilabel else np.array([0, 1, 0, 0])
    kwargs = dict(average="macro", zero_division=0)
    got = fastf1.f1_score(y_true, y_pred, groups=groups, **kwargs)
    want = by_group(fastf1.f1_score, y_true, y_pred, groups, **kwargs)
    assert list(got) == list(want) and len(got) == 2
    assert dict(got) == want


def test_spread_groups_with_many_labels(rng):
    """1,000 rows, 100 labels, group ids 0 and 60,000: encoded instead of 60,001 blocks."""
    a, b = rng.integers(0, 100, 1000), rng.integers(0, 100, 1000)
    g = np.where(rng.random(1000) < 0.5, 0, 60_000)
    got = fastf1.f1_score(a, b, average="macro", groups=g)
    want = fastf1.f1_score(a, b, average="macro", groups=g.astype(str))
    assert list(got) == [0, 60_000] and list(got.values()) == list(want.values())


def test_dates_as_groups():
    import datetime

    y_true, y_pred = np.array([0, 1, 1, 0]), np.array([0, 1, 0, 0])
    days = np.array(["2026-01-02", "2026-01-01", "2026-01-02", "2026-01-01"], "datetime64[D]")
    got = fastf1.accuracy_score(y_true, y_pred, groups=days)  # 01-01 first: 1.0, then 0.5
    assert list(got.values()) == [1.0, 0.5] and list(got) == sorted(got)
    dates = [datetime.date(2026, 1, 2), datetime.date(2026, 1, 1)] * 2
    assert list(fastf1.accuracy_score(y_true, y_pred, groups=dates).values()) == [1.0, 0.5]
    with pytest.raises(ValueError, match="missing value"):
        fastf1.accuracy_score(y_true, y_pred, groups=np.where([1, 0, 1, 1], days, np.datetime64("NaT")))


def test_confusion_matrix_by_group_follows_the_group_rules():
    got = fastf1.confusion_matrix([0, 1, -100, -100], [0, 1, 1, 0], ignore_index=-100,
                                  groups=[0, 0, 1, 1])
    assert list(got) == [0]  # group 1 has no counted row
    with pytest.raises(ValueError, match="empty"):
        fastf1.confusion_matrix([], [], groups=[])
    da = pytest.importorskip("dask.array")
    x = da.from_array(np.array([0, 1, 1, 0]), chunks=2)
    with pytest.raises(ValueError, match="do not take Dask"):
        fastf1.confusion_matrix(x, x, groups=x)
