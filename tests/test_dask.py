"""The Dask path on a real LocalCluster (2 worker processes): identical to NumPy and sklearn."""

from __future__ import annotations

import json

import numpy as np
import pytest
import sklearn.metrics as skm
from _reference import assert_equal_results

import fastf1

dask = pytest.importorskip("dask")
da = pytest.importorskip("dask.array")
dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")

AVERAGES = ["micro", "macro", "weighted", None]


#: start-up limit of the cluster, its worker processes and the client: each worker
#: process imports NumPy, numba and fastf1, which on a loaded CI machine can take longer
#: than Dask's default connect timeout (30 s); generous, so that only a hang fails
START_TIMEOUT_S = 180


@pytest.fixture(scope="module")
def client():
    timeout = f"{START_TIMEOUT_S}s"
    with dask.config.set({"distributed.comm.timeouts.connect": timeout}), \
            distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                     dashboard_address=None, death_timeout=timeout) as cluster, \
            distributed.Client(cluster, timeout=timeout) as c:
        c.wait_for_workers(2, timeout=START_TIMEOUT_S)
        yield c


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(7)
    n = 5000
    y_true = rng.integers(0, 6, n)
    y_pred = np.where(rng.random(n) < 0.7, y_true, rng.integers(0, 6, n))
    y_true[4990:] = 40  # a label that appears only in the last chunk
    return y_true, y_pred, rng.random(n)


CHUNKS = [(5000,), (1, 999, 0, 2000, 1500, 500), (1000,) * 5]  # one, uneven with an empty, even


@pytest.mark.parametrize("chunks", CHUNKS, ids=["one", "uneven-empty", "even"])
@pytest.mark.parametrize("weighted", [False, True])
def test_dask_arrays_equal_numpy_and_sklearn(client, data, chunks, weighted):
    y_true, y_pred, w = data
    w = w if weighted else None
    dt, dp = da.from_array(y_true, chunks=chunks), da.from_array(y_pred, chunks=(700,))
    dw = None if w is None else da.from_array(w, chunks=chunks)
    for average in AVERAGES:
        got = fastf1.f1_score(dt, dp, average=average, sample_weight=dw)
        assert_equal_results(got, fastf1.f1_score(y_true, y_pred, average=average,
                                                  sample_weight=w), exact=not weighted)
        assert_equal_results(got, skm.f1_score(y_true, y_pred, average=average, sample_weight=w),
                             exact=not weighted)
    assert_equal_results(fastf1.classification_report(dt, dp, sample_weight=dw, output_dict=True),
                         skm.classification_report(y_true, y_pred, sample_weight=w,
                                                   output_dict=True), exact=not weighted)
    assert_equal_results(fastf1.confusion_matrix(dt, dp, sample_weight=dw),
                         skm.confusion_matrix(y_true, y_pred, sample_weight=w), exact=not weighted)
    assert_equal_results(fastf1.confusion_matrix(dt, dp, labels=[40, 2, 9]),
                         skm.confusion_matrix(y_true, y_pred, labels=[40, 2, 9]), exact=True)
    assert fastf1.accuracy_score(dt, dp, sample_weight=dw) == pytest.approx(
        skm.accuracy_score(y_true, y_pred, sample_weight=w), rel=1e-12)


def test_dask_dataframe_columns_and_lazy_counts(client, data):
    import pandas as pd

    import fastf1.dask

    y_true, y_pred, w = data
    frame = dd.from_pandas(pd.DataFrame({"t": y_true, "p": y_pred, "w": w}), npartitions=7)
    lazy = fastf1.dask.stat_scores(frame["t"], frame["p"], sample_weight=frame["w"])
    assert hasattr(lazy, "compute")
    counts = lazy.compute()
    expected = fastf1.stat_scores(y_true, y_pred, sample_weight=w)
    for attr in ("labels", "tp", "fp", "fn", "tn"):
        assert_equal_results(getattr(counts, attr), getattr(expected, attr), exact=False)
    assert fastf1.f1_score(frame["t"], frame["p"], average="macro") == \
        skm.f1_score(y_true, y_pred, average="macro")


def test_dask_score_matrix_multilabel_and_statscores_update(client):
    rng = np.random.default_rng(3)
    y_true = rng.integers(0, 4, 900)
    scores = rng.random((900, 4))
    ds = da.from_array(scores, chunks=(250, 2))  # column chunks are merged per row block
    got = fastf1.f1_score(da.from_array(y_true, chunks=300), ds, average="macro")
    assert got == skm.f1_score(y_true, scores.argmax(axis=1), average="macro")
    T, P = rng.integers(0, 2, (900, 5)), rng.integers(0, 2, (900, 5))
    dT, dP = da.from_array(T, chunks=(200, 5)), da.from_array(P, chunks=(200, 5))
    assert_equal_results(fastf1.f1_score(dT, dP, average=None), skm.f1_score(T, P, average=None),
                         exact=True)
    s = fastf1.StatScores().update(da.from_array(y_true, chunks=100),
                                   da.from_array(scores.argmax(axis=1), chunks=100))
    assert s.f1_score(average="micro") == skm.f1_score(y_true, scores.argmax(1), average="micro")


def test_dask_errors(client):
    dt = da.from_array(np.array([0, 1, 2]), chunks=2)
    with pytest.raises(TypeError, match="mix of Dask and in-memory"):
        fastf1.f1_score(dt, np.array([0, 1, 2]), average="macro")
    with pytest.raises(ValueError, match="not counts"):
        fastf1.f1_score(da.from_array(np.eye(3)), da.from_array(np.eye(3)), average="samples")
    with pytest.raises(ValueError, match="not class labels"):
        fastf1.f1_score(dt, da.from_array(np.array([0.0, np.nan, 2.0]), chunks=2),
                        average="macro")



@pytest.mark.parametrize("name", ["roc_curve", "det_curve", "precision_recall_curve",
                                  "average_precision_score", "roc_auc_score", "log_loss",
                                  "brier_score_loss"])
@pytest.mark.parametrize("form", ["array", "series"])
def test_score_functions_refuse_dask_weights_of_in_memory_rows(name, form):
    """Dask weights with in-memory rows: a clear refusal naming Dask, as for Dask rows;
    never a crash on the Series' unknown length, nor a silent compute."""
    y = np.array([0, 1, 1, 0] * 5)
    scores = np.linspace(0.05, 0.95, 20)
    weight = (da.from_array(np.ones(20), chunks=10) if form == "array"
              else dd.from_array(np.ones(20), chunksize=10))
    with pytest.raises((TypeError, ValueError), match="Dask"):
        getattr(fastf1, name)(y, scores, sample_weight=weight)

def test_cli_scores_files_on_the_cluster(client, data, tmp_path, capsys):
    # `fastf1 score --scheduler ADDRESS`: each file read and counted by a worker
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    from fastf1 import cli

    y_true, y_pred, w = data
    for i, (lo, hi) in enumerate([(0, 1200), (1200, 1200), (1200, 5000)]):  # one file empty
        pq.write_table(pa.table({"t": y_true[lo:hi], "p": y_pred[lo:hi], "w": w[lo:hi]}),
                       tmp_path / f"part-{i}.parquet")
    argv = ["score", str(tmp_path), "--true", "t", "--pred", "p",
            "--scheduler", client.scheduler.address, "--chunk-rows", "700"]
    assert cli.main(argv) == 0
    out = capsys.readouterr().out
    assert out.startswith(skm.classification_report(y_true, y_pred))
    assert "5,000 rows from 3 files" in out
    assert cli.main([*argv, "--sample-weight", "w", "--json"]) == 0
    got = json.loads(capsys.readouterr().out)
    for avg in ("micro", "macro", "weighted"):
        want = skm.f1_score(y_true, y_pred, average=avg, sample_weight=w)
        assert got["f1"][avg] == pytest.approx(want, rel=1e-12)
    assert got["n_rows"] == 5000


def test_score_files_accepts_a_client(client, data, tmp_path):
    from fastf1 import io

    y_true, y_pred, _ = data
    np.save(tmp_path / "t.npy", y_true)
    np.save(tmp_path / "p.npy", y_pred)
    stats = io.score_files(tmp_path, true="t", pred="p", scheduler=client, chunk_rows=999)
    assert stats.f1_score(average="macro") == skm.f1_score(y_true, y_pred, average="macro")


def test_cli_top_k_on_the_cluster(client, tmp_path, capsys):
    # `fastf1 score --top-k K --scheduler ADDRESS`: the workers' top-k hits are added up
    from fastf1 import cli

    rng = np.random.default_rng(3)
    y, scores = rng.integers(0, 4, 900), rng.random((900, 4))
    for i, (lo, hi) in enumerate([(0, 400), (400, 900)]):
        (tmp_path / f"part{i}").mkdir()
        np.save(tmp_path / f"part{i}" / "y.npy", y[lo:hi])
        np.save(tmp_path / f"part{i}" / "p.npy", scores[lo:hi])
    argv = ["score", str(tmp_path / "part0"), str(tmp_path / "part1"), "--true", "y",
            "--pred", "p", "--top-k", "2", "--scheduler", client.scheduler.address, "--json"]
    assert cli.main(argv) == 0
    got = json.loads(capsys.readouterr().out)["summary"]
    assert got["top_k_accuracy"] == skm.top_k_accuracy_score(y, scores, k=2)
