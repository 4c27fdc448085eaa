"""Score runs saved as data: ``fastf1 score --save`` on a score column or matrix (with
``--where`` and ``--resume``), and ``fastf1 report`` merging the histograms; every score equal
to scikit-learn's on the same rows (within the histogram's bound for ROC AUC and average
precision)."""

from __future__ import annotations

import json

import numpy as np
import pytest
from sklearn.metrics import average_precision_score, log_loss, roc_auc_score

from fastf1 import cli

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")
pytest.importorskip("sqlglot")

# ---- fastf1 score --save on scores, fastf1 report ---------------------------------------------

DAYS = ("d1", "d2", "d3")
N = 1500


@pytest.fixture(scope="module")
def dump(tmp_path_factory):
    """day=*/part-0.parquet with a score column s (binary truth y) and class scores p0..p2
    (truth k); returns the root and all rows."""
    root = tmp_path_factory.mktemp("scores") / "dump"
    rows: dict[str, list] = {k: [] for k in ("y", "s", "k", "p", "w", "day")}
    for i, day in enumerate(DAYS):
        rng = np.random.default_rng(i)
        y = (rng.random(N) < 0.3).astype(np.int64)
        s = 1 / (1 + np.exp(-(rng.normal(0, 1.5, N) + 2 * y)))
        k = rng.integers(0, 3, N)
        p = rng.dirichlet(np.ones(3), N)
        p[np.arange(N), k] += 0.4
        p /= p.sum(axis=1, keepdims=True)
        w = rng.random(N)
        (root / f"day={day}").mkdir(parents=True)
        pq.write_table(pa.table({"y": y, "s": s, "k": k, "p0": p[:, 0], "p1": p[:, 1],
                                 "p2": p[:, 2], "w": w}),
                       root / f"day={day}" / "part-0.parquet", row_group_size=500)
        for key, v in (("y", y), ("s", s), ("k", k), ("p", p), ("w", w),
                       ("day", [day] * N)):
            rows[key].append(np.asarray(v))
    return root, {k: np.concatenate(v) for k, v in rows.items()}


def run(capsys, *argv):
    code = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


COLUMN = ["--true", "y", "--pred", "s", "-q"]
MATRIX = ["--true", "k", "--pred-columns", "p0,p1,p2", "-q"]


def _ranking_lines(text: str) -> list[str]:
    """The report's lines without the timing line (rows, files, seconds)."""
    return [line for line in text.splitlines() if " rows/s)" not in line]


@pytest.mark.parametrize("columns", [COLUMN, MATRIX], ids=["column", "matrix"])
def test_save_keeps_the_ranking_lines_and_report_prints_them(dump, tmp_path, capsys, columns):
    root, _ = dump
    code, plain, err = run(capsys, "score", root, *columns)
    assert code == 0, err
    assert "ROC AUC" in plain
    code, saved, err = run(capsys, "score", root, *columns, "--save", tmp_path / "a.json")
    assert code == 0, err
    assert _ranking_lines(saved) == _ranking_lines(plain)
    code, reported, err = run(capsys, "report", tmp_path / "a.json")
    assert code == 0, err
    assert _ranking_lines(reported) == _ranking_lines(plain)
    # JSON too: every key of score's --json, the same values (the time aside); sums of
    # floats saved file by file are added in another order than in one pass
    code, want, _ = run(capsys, "score", root, *columns, "--json")
    code, got, _ = run(capsys, "report", tmp_path / "a.json", "--json")
    want, got = json.loads(want), json.loads(got)
    want.pop("seconds"), got.pop("seconds")
    assert got.keys() == want.keys()
    for key in ("log_loss", "brier", "ece"):
        assert got.pop(key) == pytest.approx(want.pop(key), rel=1e-12)
    assert got == want


def test_shards_where_and_merge_equal_sklearn(dump, tmp_path, capsys):
    root, r = dump
    # two shards saved by separate runs, one of them filtered: merged by report
    code, _, err = run(capsys, "score", root, *COLUMN, "--where", "day = 'd1'",
                       "--save", tmp_path / "d1.json")
    assert code == 0, err
    code, _, err = run(capsys, "score", root, *COLUMN, "--where", "day = 'd1'",
                       "--save", tmp_path / "again.json")
    code, _, err = run(capsys, "score", root / "day=d2", root / "day=d3", *COLUMN,
                       "--save", tmp_path / "rest.json")
    assert code == 0, err
    # the --where option differs between the shards: refused, as for label counts
    code, out, err = run(capsys, "report", tmp_path / "d1.json", tmp_path / "rest.json")
    assert code == 1 and "other options" in err and err.count("\n") == 1
    # without the filter the first shard is the same rows: merged, scikit-learn's scores
    code, _, err = run(capsys, "score", root / "day=d1", *COLUMN, "--save", tmp_path / "a.json")
    assert code == 0, err
    code, out, err = run(capsys, "report", tmp_path / "a.json", tmp_path / "rest.json", "--json")
    assert code == 0, err
    got = json.loads(out)
    y, s = r["y"], r["s"]
    assert got["n_rows"] == 3 * N
    assert abs(got["roc_auc"] - roc_auc_score(y, s)) <= got["roc_auc_bound"]
    assert abs(got["average_precision"] - average_precision_score(y, s)) <= \
        got["average_precision_bound"]
    assert got["log_loss"] == pytest.approx(log_loss(y, s), rel=1e-12)
    # the filtered shard alone: the rows of day d1
    code, out, err = run(capsys, "report", tmp_path / "d1.json", "--json")
    sel = r["day"] == "d1"
    got = json.loads(out)
    assert got["n_rows"] == sel.sum()
    assert abs(got["roc_auc"] - roc_auc_score(y[sel], s[sel])) <= got["roc_auc_bound"]


def test_resumed_score_run_equals_one_pass(dump, tmp_path, capsys):
    root, r = dump
    code, want, _ = run(capsys, "score", root, *MATRIX, "--json")
    want = json.loads(want)
    bad = root / "day=d3" / "part-0.parquet"
    good = bad.read_bytes()
    save = tmp_path / "run.json"
    try:
        bad.write_bytes(b"PAR1 not really")
        code, _, err = run(capsys, "score", root, *MATRIX, "--save", save, "--resume")
        assert code == 1 and "not a Parquet file" in err
        assert len(json.loads(save.read_text())["files"]) == 2
    finally:
        bad.write_bytes(good)
    code, got, err = run(capsys, "score", root, *MATRIX, "--save", save, "--resume", "--json")
    assert code == 0, err
    got = json.loads(got)
    for key in ("roc_auc", "roc_auc_bound", "average_precision", "f1", "per_class"):
        assert got[key] == want[key]
    assert got["log_loss"] == pytest.approx(want["log_loss"], rel=1e-12)
    assert got["log_loss"] == pytest.approx(log_loss(r["k"], r["p"]), rel=1e-9)
    assert abs(got["roc_auc"] - roc_auc_score(r["k"], r["p"], multi_class="ovr")) <= \
        got["roc_auc_bound"]


def test_report_refuses_scores_it_cannot_merge(dump, tmp_path, capsys):
    root, _ = dump
    for name, columns in (("column.json", COLUMN), ("labels.json", ["--true", "y", "--pred",
                                                                    "s", "--threshold", "0.5",
                                                                    "-q"])):
        code, _, err = run(capsys, "score", root / "day=d1", *columns, "--save", tmp_path / name)
        assert code == 0, err
    code, _, err = run(capsys, "score", root / "day=d2", *COLUMN, "--save", tmp_path / "d2.json")
    # a score run and a label run of other options: refused for the options first
    code, out, err = run(capsys, "report", tmp_path / "column.json", tmp_path / "labels.json")
    assert code == 1 and out == "" and err.count("\n") == 1
    # the same options, one holding histograms and one label counts
    doc = json.loads((tmp_path / "d2.json").read_text())
    doc["scores"] = None
    (tmp_path / "plain.json").write_text(json.dumps(doc))
    code, out, err = run(capsys, "report", tmp_path / "column.json", tmp_path / "plain.json")
    assert code == 1 and "label counts" in err and "cannot be merged" in err
    # histograms of another calibration binning
    doc = json.loads((tmp_path / "d2.json").read_text())
    hist = doc["scores"]["histograms"][0]
    hist["calibration_bins"] = 5
    hist["calibration"] = {k: {"dtype": "float64", "values": v["values"][:5]}
                           for k, v in hist["calibration"].items()}
    (tmp_path / "five.json").write_text(json.dumps(doc))
    code, out, err = run(capsys, "report", tmp_path / "column.json", tmp_path / "five.json")
    assert code == 1 and "another binning" in err and err.count("\n") == 1
    # and of another number of bins: not a histogram a score column is counted into
    doc = json.loads((tmp_path / "d2.json").read_text())
    doc["scores"]["histograms"][0]["bins"] = 1 << 16
    (tmp_path / "bins.json").write_text(json.dumps(doc))
    code, out, err = run(capsys, "report", tmp_path / "bins.json")
    assert code == 1 and "65536-bin histogram" in err and err.count("\n") == 1


def test_count_files_scores_in_python(dump):
    from fastf1 import io

    root, r = dump
    result = io.count_files(root, true="y", pred="s", scores=True)
    assert result.scores.mode == "column" and len(result.scores.histograms) == 1
    h = result.scores.histograms[0]
    assert abs(h.roc_auc_score() - roc_auc_score(r["y"], r["s"])) <= h.roc_auc_error_bound()
    # the label counts are those of score >= 0.5
    assert result.stats.tp.tolist() == [int(((r["s"] < 0.5) & (r["y"] == 0)).sum()),
                                        int(((r["s"] >= 0.5) & (r["y"] == 1)).sum())]
    # a threshold makes labels of the scores: no histograms
    assert io.count_files(root, true="y", pred="s", threshold=0.3, scores=True).scores is None
    with pytest.raises(ValueError, match="not with group_by or scheduler"):
        io.count_files(root, true="y", pred="s", group_by="day", scores=True)
