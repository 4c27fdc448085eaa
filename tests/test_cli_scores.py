"""``fastf1 score`` on a score column or a score matrix: the ranking block and JSON keys."""

from __future__ import annotations

import json

import numpy as np
import pytest
from sklearn.calibration import calibration_curve
from sklearn.metrics import (
    average_precision_score,
    brier_score_loss,
    f1_score,
    log_loss,
    roc_auc_score,
    top_k_accuracy_score,
)

from fastf1 import cli

N = 3000


@pytest.fixture(scope="module")
def dump(tmp_path_factory):
    rng = np.random.default_rng(5)
    d = tmp_path_factory.mktemp("scores")
    y = (rng.random(N) < 0.2).astype(np.int64)
    s = 1 / (1 + np.exp(-(rng.normal(0, 1.5, N) + 2 * y)))
    k = rng.integers(0, 3, N)
    p = rng.dirichlet(np.ones(3), N)
    p[np.arange(N), k] += 0.5
    p /= p.sum(axis=1, keepdims=True)
    for name, arr in dict(y=y, s=s, k=k, p=p, logit=np.log(s / (1 - s))).items():
        np.save(d / f"{name}.npy", arr)
    return d, dict(y=y, s=s, k=k, p=p)


def run_json(capsys, *argv):
    assert cli.main([str(a) for a in argv] + ["--json", "-q"]) == 0
    out, err = capsys.readouterr()
    return json.loads(out)


def test_score_column_json_equals_sklearn_within_bounds(capsys, dump):
    d, data = dump
    y, s = data["y"], data["s"]
    got = run_json(capsys, "score", d, "--true", "y", "--pred", "s", "--chunk-rows", 700)
    assert abs(got["roc_auc"] - roc_auc_score(y, s)) <= got["roc_auc_bound"]
    assert abs(got["average_precision"] - average_precision_score(y, s)) <= \
        got["average_precision_bound"]
    assert got["log_loss"] == pytest.approx(log_loss(y, s), rel=1e-9)
    assert got["brier"] == pytest.approx(brier_score_loss(y, s), rel=1e-9)
    prob_true, prob_pred = calibration_curve(y, s, n_bins=10)
    counts = np.bincount(np.searchsorted(np.linspace(0, 1, 11)[1:-1], s), minlength=10)
    ece = np.dot(counts[counts > 0], np.abs(prob_true - prob_pred)) / N
    assert got["ece"] == pytest.approx(ece, rel=1e-9)
    assert got["best_f1"] == pytest.approx(f1_score(y, s >= got["best_f1_threshold"]), rel=1e-12)
    assert got["f1"]["macro"] == pytest.approx(f1_score(y, s >= 0.5, average="macro"), rel=1e-12)


def test_logits_have_no_probability_scores(capsys, dump):
    d, data = dump
    got = run_json(capsys, "score", d, "--true", "y", "--pred", "logit")
    assert got["log_loss"] is None and got["brier"] is None and got["ece"] is None
    assert abs(got["roc_auc"] - roc_auc_score(data["y"], data["s"])) <= got["roc_auc_bound"]


def test_score_matrix_one_vs_rest(capsys, dump):
    d, data = dump
    got = run_json(capsys, "score", d, "--true", "k", "--pred", "p")
    want = roc_auc_score(data["k"], data["p"], multi_class="ovr")
    assert abs(got["roc_auc"] - want) <= got["roc_auc_bound"]
    assert got["log_loss"] == pytest.approx(log_loss(data["k"], data["p"]), rel=1e-9)
    assert got["accuracy"] == pytest.approx(np.mean(data["p"].argmax(1) == data["k"]))


def test_threshold_keeps_the_label_report(capsys, dump):
    d, _ = dump
    got = run_json(capsys, "score", d, "--true", "y", "--pred", "s", "--threshold", 0.3)
    assert "roc_auc" not in got


def test_text_and_plot(capsys, dump, tmp_path):
    pytest.importorskip("matplotlib")
    d, _ = dump
    png = tmp_path / "out.png"
    assert cli.main(["score", str(d), "--true", "y", "--pred", "s", "-q",
                     "--plot", str(png)]) == 0
    out, _ = capsys.readouterr()
    assert "ROC AUC" in out and "+-" in out and "best F1" in out
    assert (tmp_path / "out-scores.png").stat().st_size > 0


# ---- --top-k: top-k accuracy of a score matrix in the summary ------------------------------


@pytest.fixture(scope="module")
def topk_dump(tmp_path_factory):
    """Five classes: a float32 score matrix with ties (a coarse grid), its columns as
    separate files, groups and weights."""
    rng = np.random.default_rng(11)
    d = tmp_path_factory.mktemp("topk")
    n = 2500
    y = rng.integers(0, 5, n)
    p = np.round(rng.random((n, 5)) * 4).astype(np.float32)
    p[np.arange(n), y] += rng.integers(0, 2, n)
    data = dict(y=y, p=p, g=np.array(["eu", "us", "asia"])[rng.integers(0, 3, n)],
                w=rng.random(n), label=p.argmax(axis=1))
    for name, arr in data.items():
        np.save(d / f"{name}.npy", arr)
    for j in range(5):
        np.save(d / f"c{j}.npy", p[:, j])
    return d, data


def _topk(data, k, rows=None, weights=None):
    y, p = data["y"], data["p"]
    if rows is not None:
        y, p = y[rows], p[rows]
    return top_k_accuracy_score(y, p, k=k, labels=np.arange(5), sample_weight=weights)


@pytest.mark.parametrize("k", [1, 2, 4])
def test_top_k_summary(capsys, topk_dump, k):
    """Streamed over chunks, bit for bit scikit-learn's; text and JSON; --pred-columns."""
    d, data = topk_dump
    want = _topk(data, k)
    got = run_json(capsys, "score", d, "--true", "y", "--pred", "p", "--top-k", k,
                   "--chunk-rows", 300)["summary"]
    assert got["top_k_accuracy"] == want and got["top_k"] == k
    columns = run_json(capsys, "score", d, "--true", "y", "--pred-columns",
                       ",".join(f"c{j}" for j in range(5)), "--top-k", k)["summary"]
    assert columns["top_k_accuracy"] == want
    assert cli.main(["score", str(d), "--true", "y", "--pred", "p", "--top-k", str(k),
                     "-q"]) == 0
    assert f"top-{k} accuracy {want:.4f}" in capsys.readouterr().out


def test_top_k_groups_weights_save_and_report(capsys, topk_dump, tmp_path):
    """--group-by and --sample-weight: each group's top-k accuracy against scikit-learn
    on its rows; --save carries the counts to fastf1 report, and --resume goes on."""
    d, data = topk_dump
    args = ["score", d, "--true", "y", "--pred", "p", "--top-k", 3, "--group-by", "g",
            "--sample-weight", "w", "--chunk-rows", 400]
    got = run_json(capsys, *args, "--save", tmp_path / "run.json")
    w = data["w"]
    np.testing.assert_allclose(got["summary"]["top_k_accuracy"], _topk(data, 3, weights=w),
                               rtol=1e-9)
    for group in ("asia", "eu", "us"):
        rows = data["g"] == group
        np.testing.assert_allclose(got["groups"][group]["summary"]["top_k_accuracy"],
                                   _topk(data, 3, rows, w[rows]), rtol=1e-9)
    assert cli.main(["report", str(tmp_path / "run.json"), "--json"]) == 0
    again = json.loads(capsys.readouterr().out)
    assert again["summary"] == got["summary"]
    assert again["groups"] == got["groups"]
    resumed = run_json(capsys, *args, "--save", tmp_path / "run.json", "--resume")
    assert resumed["summary"] == got["summary"]
    assert cli.main(["report", str(tmp_path / "run.json")]) == 0
    assert "top-3 accuracy" in capsys.readouterr().out


def test_top_k_saved_runs_merge_only_with_the_same_k(capsys, topk_dump, tmp_path):
    d, data = topk_dump
    for name, extra in (("a", ["--top-k", "2"]), ("b", ["--top-k", "3"]), ("c", [])):
        code = cli.main(["score", str(d / "y.npy"), str(d / "p.npy"), "--true", "y",
                         "--pred", "p", "-q", "--save", str(tmp_path / f"{name}.json"),
                         *extra])
        assert code == 0
    capsys.readouterr()
    for other in ("b", "c"):
        assert cli.main(["report", str(tmp_path / "a.json"), str(tmp_path / f"{other}.json")]) == 1
        err = capsys.readouterr().err
        assert "top_k" in err and err.count("\n") == 1
    # a run saved without --top-k is read as before, and resumed only without it
    assert cli.main(["score", str(d / "y.npy"), str(d / "p.npy"), "--true", "y", "--pred", "p",
                     "-q", "--save", str(tmp_path / "c.json"), "--resume", "--top-k", "2"]) == 1
    assert "top_k None, not 2" in capsys.readouterr().err


@pytest.mark.parametrize("extra", [
    ["--pred", "label", "--top-k", "2"],
    ["--pred", "label", "--top-k", "2", "--group-by", "g"],
    ["--pred", "w", "--top-k", "2"],
    ["--pred", "w", "--top-k", "2", "--save", "run.json"],
    ["--pred", "p", "--top-k", "2", "--threshold", "0.5"],
])
def test_top_k_needs_a_score_matrix(capsys, topk_dump, tmp_path, monkeypatch, extra):
    """A label column, one score per row or --threshold: one line, exit 1, no report."""
    d, _ = topk_dump
    monkeypatch.chdir(tmp_path)
    assert cli.main(["score", str(d), "--true", "y", *extra, "-q"]) == 1
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1 and err.startswith("fastf1: error: "), err
    assert "matrix of class scores" in err, err
    assert cli.main(["score", str(d), "--true", "y", "--pred", "p", "--top-k", "0"]) == 1


@pytest.mark.parametrize("corrupt", [
    lambda d: d["top_k"].update(k=0),
    lambda d: d["top_k"].update(counts=[]),
    lambda d: d["top_k"]["counts"].update(hits=10**9),
    lambda d: d["top_k"]["counts"].update(k=5),
    lambda d: d["top_k"]["counts"].update(weighted="yes"),
])
def test_top_k_saved_data_is_checked(capsys, topk_dump, tmp_path, corrupt):
    """A saved run's "top_k" entry is data: anything malformed is a one-line error."""
    d, _ = topk_dump
    path = tmp_path / "run.json"
    assert cli.main(["score", str(d / "y.npy"), str(d / "p.npy"), "--true", "y", "--pred",
                     "p", "-q", "--top-k", "2", "--save", str(path)]) == 0
    data = json.loads(path.read_text())
    corrupt(data)
    path.write_text(json.dumps(data))
    capsys.readouterr()
    assert cli.main(["report", str(path)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and str(path) in err and ("top_k" in err or "TopK" in err), err
