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
