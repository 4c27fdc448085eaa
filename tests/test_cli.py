"""The ``fastf1`` command: reports and JSON equal scikit-learn's, plots, one-line errors, demo."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import numpy as np
import pytest
import sklearn.metrics as skm

from fastf1 import cli

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

N, K = 500, 4


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(3)
    t = rng.integers(0, K, N).astype(np.int32)
    p = np.where(rng.random(N) < 0.75, t, rng.integers(0, K, N)).astype(np.int32)
    return {"t": t, "p": p, "w": rng.random(N), "b": (t % 2).astype(np.int64),
            "s": rng.random(N), "c0": rng.random(N), "c1": rng.random(N), "c2": rng.random(N)}


@pytest.fixture
def dump(tmp_path, data):
    """The data as two Parquet files in a directory."""
    table = pa.table(data)
    (tmp_path / "dump").mkdir()
    pq.write_table(table.slice(0, 200), tmp_path / "dump" / "a.parquet", row_group_size=64)
    pq.write_table(table.slice(200), tmp_path / "dump" / "b.parquet", row_group_size=64)
    return str(tmp_path / "dump")


def run(capsys, *argv):
    code = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_report_equals_sklearn(capsys, dump, data):
    code, out, err = run(capsys, "score", dump, "--true", "t", "--pred", "p", "--chunk-rows", 7)
    assert code == 0 and err == ""
    assert out.startswith(skm.classification_report(data["t"], data["p"]))
    assert f"{N} rows from 2 files in" in out
    f1 = [skm.f1_score(data["t"], data["p"], average=a) for a in ("micro", "macro", "weighted")]
    assert "f1 micro / macro / weighted: " + " / ".join(f"{v:.4f}" for v in f1) in out


def test_device_cpu_and_auto_agree(capsys, dump):
    outs = []
    for device in ("cpu", "auto"):
        code, out, _ = run(capsys, "score", dump, "--true", "t", "--pred", "p", "--json",
                           "--device", device)
        assert code == 0
        outs.append({k: v for k, v in json.loads(out).items() if k != "seconds"})
    assert outs[0] == outs[1]


def test_report_options(capsys, dump, data):
    t, p = data["t"], data["p"]
    code, out, _ = run(capsys, "score", dump, "--true", "t", "--pred", "p", "--labels", "2,0",
                       "--digits", "5", "--average", "macro")
    assert code == 0
    assert out.startswith(skm.classification_report(t, p, labels=[2, 0], digits=5))
    macro = skm.precision_recall_fscore_support(t, p, labels=[2, 0], average="macro")
    assert f"macro average: precision {macro[0]:.5f}  recall {macro[1]:.5f}  f1 {macro[2]:.5f}" in out


def test_json_equals_sklearn(capsys, dump, data):
    t, p, w = data["t"], data["p"], data["w"]
    code, out, err = run(capsys, "score", dump, "--true", "t", "--pred", "p", "--json",
                         "--sample-weight", "w", "--chunk-rows", 64)
    assert code == 0 and err == ""
    got = json.loads(out)
    assert got["n_rows"] == N and got["n_files"] == 2 and got["labels"] == list(range(K))
    assert got["total_weight"] == pytest.approx(w.sum(), rel=1e-12)
    prfs = skm.precision_recall_fscore_support(t, p, sample_weight=w)
    for key, ref in zip(("precision", "recall", "f1", "support"), prfs):
        np.testing.assert_allclose(got["per_class"][key], ref, rtol=1e-9)
    for avg in ("micro", "macro", "weighted"):
        ref = skm.precision_recall_fscore_support(t, p, sample_weight=w, average=avg)
        for key, value in zip(("precision", "recall", "f1"), ref):
            assert got[key][avg] == pytest.approx(value, rel=1e-9)
    assert got["accuracy"] == pytest.approx(skm.accuracy_score(t, p, sample_weight=w), rel=1e-9)


def test_json_binary_threshold(capsys, dump, data):
    b, yhat = data["b"], (data["s"] >= 0.3).astype(int)
    code, out, _ = run(capsys, "score", dump, "--true", "b", "--pred", "s", "--threshold", "0.3",
                       "--average", "binary", "--pos-label", "0", "--json")
    assert code == 0
    got = json.loads(out)
    assert got["average"] == "binary" and got["labels"] == [0, 1]
    assert got["f1"]["binary"] == skm.f1_score(b, yhat, pos_label=0)
    assert got["precision"]["binary"] == skm.precision_score(b, yhat, pos_label=0)
    assert got["f1"]["macro"] == skm.f1_score(b, yhat, average="macro")
    assert got["per_class"]["support"] == np.bincount(b).tolist()


def test_pred_columns_argmax(capsys, dump, data):
    argmax = np.stack([data["c0"], data["c1"], data["c2"]], axis=1).argmax(axis=1)
    t = data["t"] % 3
    # y_true must be column indices: write a fitting file
    path = os.path.join(dump, "..", "three.parquet")
    pq.write_table(pa.table({"y": t, "c0": data["c0"], "c1": data["c1"], "c2": data["c2"]}), path)
    code, out, _ = run(capsys, "score", path, "--true", "y", "--pred-columns", "c0,c1,c2")
    assert code == 0
    assert out.startswith(skm.classification_report(t, argmax))


def test_npy_and_csv_sources(capsys, tmp_path, data):
    np.save(tmp_path / "y.npy", data["t"])
    np.save(tmp_path / "yhat.npy", data["p"])
    code, out, _ = run(capsys, "score", tmp_path / "y.npy", tmp_path / "yhat.npy",
                       "--true", "y", "--pred", "yhat")
    assert code == 0 and out.startswith(skm.classification_report(data["t"], data["p"]))
    (tmp_path / "d.txt").write_text("y,yhat\n" + "".join(f"{a},{b}\n" for a, b in
                                                          zip(data["t"], data["p"])))
    code, out, _ = run(capsys, "score", tmp_path / "d.txt", "--format", "csv",
                       "--true", "y", "--pred", "yhat", "--chunk-rows", "1e2")
    assert code == 0 and out.startswith(skm.classification_report(data["t"], data["p"]))


def test_weights_that_sum_to_zero_report_nan_accuracies(capsys, tmp_path):
    # weights that cancel out are not all zero: scikit-learn's report scores them, and
    # only the weighted mean of accuracy is undefined (its ZeroDivisionError)
    t, p, w = [0, 1, 2], [1, 1, 0], [1.0, -1.0, 0.0]
    (tmp_path / "d.csv").write_text("t,p,w\n" + "".join(f"{a},{b},{c}\n"
                                                        for a, b, c in zip(t, p, w)))
    with pytest.raises(ZeroDivisionError):
        skm.accuracy_score(t, p, sample_weight=w)
    argv = ["score", tmp_path / "d.csv", "--true", "t", "--pred", "p", "--sample-weight", "w"]
    code, out, _ = run(capsys, *argv, "-q")
    assert code == 0
    assert out.startswith(skm.classification_report(t, p, sample_weight=w, zero_division=0))
    assert "summary: accuracy nan" in out
    code, out, _ = run(capsys, *argv, "--json")
    assert code == 0 and json.loads(out)["accuracy"] is None


@pytest.mark.parametrize("output", [[], ["--json"], ["--top-k", "2"]])
def test_zero_weights_with_group_by_fail_as_without(capsys, tmp_path, output):
    # weights all zero: --group-by gives the whole data's error, as without it; a group
    # of zero weight is refused as scikit-learn refuses its rows, naming the group
    (tmp_path / "k.csv").write_text("t,c0,c1,c2,w,z,g\n0,.8,.1,.1,1,0,a\n1,.2,.5,.3,2,0,a\n"
                                    "1,.2,.5,.3,0,0,b\n2,.1,.2,.7,0,0,b\n")
    argv = ["score", tmp_path / "k.csv", "--true", "t", "--pred-columns", "c0,c1,c2", *output]
    with pytest.raises(ValueError, match="at least one non-zero") as whole:
        skm.f1_score([0, 1, 1, 2], [0, 1, 1, 2], average="macro", sample_weight=np.zeros(4))
    code, _, alone = run(capsys, *argv, "--sample-weight", "z")
    assert (code, alone) == (1, f"fastf1: error: {whole.value}\n")
    assert run(capsys, *argv, "--sample-weight", "z", "--group-by", "g")[::2] == (1, alone)
    code, _, err = run(capsys, *argv, "--sample-weight", "w", "--group-by", "g")
    assert (code, err) == (1, f"fastf1: error: group 'b': {whole.value}\n")


def test_zero_division_warning_goes_to_stderr(capsys, tmp_path):
    pq.write_table(pa.table({"t": [0, 0, 1], "p": [0, 0, 0]}), tmp_path / "z.parquet")
    code, out, err = run(capsys, "score", tmp_path / "z.parquet", "--true", "t", "--pred", "p")
    assert code == 0
    assert out.startswith(skm.classification_report([0, 0, 1], [0, 0, 0], zero_division=0))
    lines = err.splitlines()
    assert lines and all(x.startswith("fastf1: warning: Precision is ill-defined") for x in lines)
    code, out, err = run(capsys, "score", tmp_path / "z.parquet", "--true", "t", "--pred", "p",
                         "--zero-division", "1", "--json")
    assert code == 0 and err == ""
    assert json.loads(out)["precision"]["macro"] == skm.precision_score(
        [0, 0, 1], [0, 0, 0], average="macro", zero_division=1)


@pytest.mark.parametrize("labels_k", [K, 40])
def test_plot_writes_a_png(capsys, tmp_path, data, labels_k):
    pytest.importorskip("matplotlib")
    rng = np.random.default_rng(0)
    t = rng.integers(0, labels_k, N)
    pq.write_table(pa.table({"t": t, "p": np.roll(t, 1)}), tmp_path / "d.parquet")
    png = tmp_path / "out.png"
    code, out, err = run(capsys, "score", tmp_path / "d.parquet", "--true", "t", "--pred", "p",
                         "--plot", png, "--chunk-rows", 100)
    assert code == 0, err
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert f"plot written to {png}" in out


def test_progress_bar_only_on_a_tty(capsys, monkeypatch, dump):
    pytest.importorskip("tqdm")
    code, _, err = run(capsys, "score", dump, "--true", "t", "--pred", "p")
    assert code == 0 and err == ""  # stderr is not a terminal here
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    monkeypatch.setattr("fastf1.io.progress.PROGRESS_MININTERVAL", 0.0)  # draw at every chunk
    code, _, err = run(capsys, "score", dump, "--true", "t", "--pred", "p", "--chunk-rows", 64)
    assert code == 0 and "rows" in err and "B/s" in err
    code, _, err = run(capsys, "score", dump, "--true", "t", "--pred", "p", "--quiet")
    assert code == 0 and err == ""


def test_help_and_version(capsys):
    code, out, _ = run(capsys, "--help")
    assert code == 0 and out.startswith("usage: fastf1") and "score" in out and "demo" in out
    code, out, _ = run(capsys, "score", "--help")
    assert code == 0 and "--pred-columns" in out and "--chunk-rows" in out
    code, out, _ = run(capsys, "demo", "--help")
    assert code == 0 and "80% of the time" in out
    code, out, _ = run(capsys, "--version")
    assert code == 0 and out.startswith("fastf1 ")


@pytest.mark.parametrize("argv", [
    [],
    ["score", "x.parquet"],  # no --true
    ["score", "x.parquet", "--true", "t"],  # no prediction
    ["score", "x.parquet", "--true", "t", "--pred", "p", "--pred-columns", "a,b"],
    ["score", "x.parquet", "--true", "t", "--pred", "p", "--chunk-rows", "0"],
    ["score", "x.parquet", "--true", "t", "--pred", "p", "--threshold", "nan"],
    ["score", "x.parquet", "--true", "t", "--pred", "p", "--average", "samples"],
    ["score", "x.parquet", "--true", "t", "--pred", "p", "--threshold", "abc"],
    ["score", "x.parquet", "--true", "t", "--pred", "p", "--top-k", "0"],
    ["score", "x.parquet", "--true", "t", "--pred", "p", "--top-k", "-3"],
    ["demo", "--rows", "x"],
    ["demo", "--seed", "1.5"],
    ["report", "a.json", "--digits", "x"],
    ["report", "a.json", "--zero-division", "2"],
    ["bogus"],
])
def test_usage_errors_are_one_line_and_exit_1(capsys, argv):
    """Bad usage ends as bad input does: one line ``fastf1: error: ...``, status 1."""
    code, out, err = run(capsys, *argv)
    assert code == 1 and out == ""
    assert len(err.splitlines()) == 1 and err.startswith("fastf1: error: ")
    assert "usage:" not in err and "Traceback" not in err


def _bad_cases(tmp_path, data):
    """(argv, expected text in the error line) for bad files and bad options."""
    good = tmp_path / "good.parquet"
    pq.write_table(pa.table({"t": data["t"], "p": data["p"], "s": data["s"]}), good)
    raw = good.read_bytes()
    (tmp_path / "cut.parquet").write_bytes(raw[: len(raw) // 2])
    (tmp_path / "npy").mkdir()
    np.save(tmp_path / "npy" / "t.npy", data["t"])
    np.save(tmp_path / "npy" / "p.npy", data["p"][:-1])
    np.save(tmp_path / "cut.npy", data["t"])
    raw = (tmp_path / "cut.npy").read_bytes()
    (tmp_path / "cut.npy").write_bytes(raw[: len(raw) // 2])
    nan = data["s"].copy()
    nan[17] = np.nan
    pq.write_table(pa.table({"t": data["b"], "s": nan}), tmp_path / "nan.parquet")
    (tmp_path / "str.csv").write_text("t,s\n0,0.5\n1,high\n")
    return [
        (["missing.parquet"], "no such file or directory"),
        (["good.parquet", "--true", "label"], "no column named 'label'; the columns there are: "
                                              "'t', 'p', 's'"),
        (["cut.parquet"], "not a Parquet file, or a corrupt or truncated one"),
        (["npy"], "arrays of different lengths"),
        (["cut.npy", "--format", "npy", "--true", "cut", "--pred", "cut"], "truncated .npy file"),
        (["nan.parquet", "--pred", "s", "--threshold", "0.5"], "NaN or inf"),
        (["str.csv", "--pred", "s", "--threshold", "0.5"], "holds strings (such as '0.5')"),
        (["good.parquet", "--labels", "a,b"], "--labels: 'a' is not a label of this data"),
        (["good.parquet", "--average", "binary"], "Target is multiclass but average='binary'"),
        (["good.parquet", "--pos-label", "2"], "--pos-label applies to --average binary only"),
        (["good.parquet", "--plot", str(tmp_path / "no" / "such" / "dir.png")], "No such file"),
    ] + ([] if os.path.exists("/dev/nvidiactl") else [
        (["good.parquet", "--device", "cuda"], "--device cuda: "),  # no GPU here
    ])


def test_bad_input_one_line_error(capsys, tmp_path, data):
    for extra, expected in _bad_cases(tmp_path, data):
        argv = ["score", str(tmp_path / extra[0]), "--true", "t", "--pred", "p", *extra[1:]]
        code, out, err = run(capsys, *argv)
        assert code == 1, (extra, err)
        assert out == "", extra  # no partial result
        lines = err.splitlines()
        assert len(lines) == 1 and lines[0].startswith("fastf1: error: "), (extra, err)
        assert expected in lines[0], (extra, lines[0])


def test_internal_errors_are_one_line_too(capsys, monkeypatch, dump):
    def boom(*args, **kwargs):
        raise RuntimeError("something\nbroke")

    monkeypatch.setattr(cli.score.io, "count_files", boom)
    code, out, err = run(capsys, "score", dump, "--true", "t", "--pred", "p")
    assert code == 1 and out == ""
    assert err == ("fastf1: error: internal error (RuntimeError: something broke); run with "
                   "FASTF1_DEBUG=1 for the traceback\n")


def test_demo(capsys, tmp_path):
    code, out, err = run(capsys, "demo", "--rows", "20000", "--classes", "5", "--chunk-rows",
                         "3000")
    assert code == 0, err
    assert "              precision    recall  f1-score   support" in out
    assert "20,000 rows from 1 file" in out and "first call" in out
    assert "reports identical: yes" in out
    keep = tmp_path / "kept"
    code, out, _ = run(capsys, "demo", "--rows", "5000", "--classes", "3", "--keep", keep)
    assert code == 0
    files = sorted(p.name for p in (keep / "predictions").iterdir())
    assert files == ["part-00000.parquet"]
    code, again, _ = run(capsys, "score", keep / "predictions", "--true", "label", "--pred",
                         "pred")
    assert code == 0 and again.split("\n\n")[:3] == out.split("$ fastf1 score")[1].split(
        "\n", 1)[1].split("\n\n")[:3]
    code, _, err = run(capsys, "demo", "--rows", "5000", "--keep", keep)
    assert code == 1 and "already exists and is not empty" in err


def test_demo_data_is_imbalanced_and_about_80_percent_right(tmp_path):
    cli.write_demo_dump(tmp_path, 200_000, 10, seed=1)
    table = pq.read_table(tmp_path)
    t, p = table["label"].to_numpy(), table["pred"].to_numpy()
    assert t.dtype == np.int32 and table.num_rows == 200_000
    prior = np.bincount(t) / t.size
    assert prior[0] > 5 * prior[-1]
    assert 0.75 < (t == p).mean() < 0.85


def test_console_script_and_python_m(tmp_path, data):
    exe = shutil.which("fastf1")
    pq.write_table(pa.table({"t": data["t"], "p": data["p"]}), tmp_path / "d.parquet")
    if exe is None:
        pytest.skip("the fastf1 console script is not installed (pip install -e .)")
    done = subprocess.run([exe, "score", str(tmp_path / "d.parquet"), "--true", "t", "--pred",
                           "p", "--json"], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["f1"]["macro"] == skm.f1_score(data["t"], data["p"],
                                                                  average="macro")
    done = subprocess.run([sys.executable, "-m", "fastf1", "score", str(tmp_path / "nope.csv"),
                           "--true", "t", "--pred", "p"], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr == f"fastf1: error: {tmp_path / 'nope.csv'}: no such file or directory\n"
