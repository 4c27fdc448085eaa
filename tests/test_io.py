"""fastf1.io: every reader, every input form and several chunk sizes give scikit-learn's result;
bad files give one clear error."""

from __future__ import annotations

import gzip
import shutil

import numpy as np
import pytest
import sklearn.metrics as skm

from fastf1 import io

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")
pacsv = pytest.importorskip("pyarrow.csv")
ipc = pytest.importorskip("pyarrow.ipc")

N, K = 300, 5
CHUNKS = [1, 7, 1000]


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(7)
    t = rng.integers(0, K, N).astype(np.int32)
    p = np.where(rng.random(N) < 0.7, t, rng.integers(0, K, N)).astype(np.int32)
    scores = rng.random((N, K)).astype(np.float32)
    return {"t": t, "p": p, "w": rng.random(N), "scores": scores,
            "b": (t % 2).astype(np.int64), "s": rng.random(N),
            **{f"c{j}": scores[:, j].copy() for j in range(K)}}


def _table(data, list_column=True):
    cols = {k: v for k, v in data.items() if k != "scores"}
    if list_column:
        cols["scores"] = pa.FixedSizeListArray.from_arrays(pa.array(data["scores"].ravel()), K)
    return pa.table(cols)


def write(tmp_path, data, fmt):
    """Write ``data`` in one format; returns (sources, can hold a 2-D score column)."""
    table = _table(data)
    if fmt == "parquet":
        pq.write_table(table, tmp_path / "d.parquet", row_group_size=64)
        return tmp_path / "d.parquet", True
    if fmt in ("parquet-dir", "parquet-glob"):
        (tmp_path / "ds" / "sub").mkdir(parents=True)
        pq.write_table(table.slice(0, 100), tmp_path / "ds" / "a.parquet")
        pq.write_table(table.slice(100, 150), tmp_path / "ds" / "sub" / "b.parquet")
        pq.write_table(table.slice(250), tmp_path / "ds" / "c.pq")
        (tmp_path / "ds" / "_SUCCESS").write_text("")
        if fmt == "parquet-dir":
            return tmp_path / "ds", True
        return [str(tmp_path / "ds" / "*.parquet"), str(tmp_path / "ds" / "sub"),
                str(tmp_path / "ds" / "c.*")], True
    if fmt == "ipc-file":
        with ipc.new_file(tmp_path / "d.arrow", table.schema) as w:
            for b in table.to_batches(max_chunksize=70):
                w.write_batch(b)
        return tmp_path / "d.arrow", True
    if fmt == "ipc-stream":
        with ipc.new_stream(tmp_path / "d.arrows", table.schema) as w:
            for b in table.to_batches(max_chunksize=70):
                w.write_batch(b)
        return tmp_path / "d.arrows", True
    if fmt == "feather-lz4":
        import pyarrow.feather as feather

        feather.write_feather(table, tmp_path / "d.feather", compression="lz4", chunksize=128)
        return tmp_path / "d.feather", True
    if fmt in ("csv", "csv-gz"):
        pacsv.write_csv(_table(data, list_column=False), tmp_path / "d.csv")
        if fmt == "csv":
            return tmp_path / "d.csv", False
        with open(tmp_path / "d.csv", "rb") as src, gzip.open(tmp_path / "d.csv.gz", "wb") as dst:
            shutil.copyfileobj(src, dst)
        return tmp_path / "d.csv.gz", False
    if fmt in ("npz", "npz-compressed"):
        save = np.savez if fmt == "npz" else np.savez_compressed
        save(tmp_path / "d.npz", **data)
        return tmp_path / "d.npz", True
    assert fmt == "npy"
    (tmp_path / "npy").mkdir()
    for k, v in data.items():
        np.save(tmp_path / "npy" / f"{k}.npy", v)
    return tmp_path / "npy", True


FORMATS = ["parquet", "parquet-dir", "parquet-glob", "ipc-file", "ipc-stream", "feather-lz4",
           "csv", "csv-gz", "npz", "npz-compressed", "npy"]


@pytest.mark.parametrize("chunk_rows", CHUNKS)
@pytest.mark.parametrize("fmt", FORMATS)
def test_labels_equal_sklearn(tmp_path, data, fmt, chunk_rows):
    sources, _ = write(tmp_path, data, fmt)
    t, p = data["t"], data["p"]
    stats = io.score_files(sources, true="t", pred="p", chunk_rows=chunk_rows)
    assert stats.total == N
    assert stats.classification_report(digits=6) == skm.classification_report(t, p, digits=6)
    assert stats.f1_score(average="macro") == skm.f1_score(t, p, average="macro")


@pytest.mark.parametrize("chunk_rows", CHUNKS)
@pytest.mark.parametrize("fmt", FORMATS)
def test_scores_and_weights_equal_sklearn(tmp_path, data, fmt, chunk_rows):
    sources, has_2d = write(tmp_path, data, fmt)
    t, p, w = data["t"], data["p"], data["w"]
    if chunk_rows == 1 and fmt not in ("parquet", "npy", "csv"):
        pytest.skip("one-row chunks of every form: on three readers (the others: labels only)")
    stats = io.score_files(sources, true="t", pred="p", sample_weight="w", chunk_rows=chunk_rows)
    np.testing.assert_allclose(
        stats.precision_recall_fscore_support(average=None)[:3],
        skm.precision_recall_fscore_support(t, p, average=None, sample_weight=w)[:3], rtol=1e-9)
    argmax = data["scores"].argmax(axis=1)
    stats = io.score_files(sources, true="t", pred=[f"c{j}" for j in range(K)],
                           chunk_rows=chunk_rows)
    assert stats.classification_report() == skm.classification_report(t, argmax)
    if has_2d:
        stats = io.score_files(sources, true="t", pred="scores", chunk_rows=chunk_rows)
        assert stats.classification_report() == skm.classification_report(t, argmax)
    b, s = data["b"], data["s"]
    stats = io.score_files(sources, true="b", pred="s", threshold=0.4, chunk_rows=chunk_rows)
    assert stats.f1_score() == skm.f1_score(b, (s >= 0.4).astype(int))
    assert stats.recall_score() == skm.recall_score(b, (s >= 0.4).astype(int))


def test_string_labels(tmp_path):
    t = np.array(["cat", "dog", "emu", "cat"] * 40)
    p = np.roll(t, 3)
    pq.write_table(pa.table({"t": t, "p": p}), tmp_path / "s.parquet", row_group_size=50)
    pacsv.write_csv(pa.table({"t": t, "p": p}), tmp_path / "s.csv")
    for path in ("s.parquet", "s.csv"):
        stats = io.score_files(tmp_path / path, true="t", pred="p", chunk_rows=7)
        assert stats.classification_report() == skm.classification_report(t, p)


def test_dictionary_and_list_columns(tmp_path, data):
    t, scores = data["t"], data["scores"]
    table = pa.table({
        "t": pa.array(t).dictionary_encode(),
        "scores": pa.ListArray.from_arrays(np.arange(0, N * K + 1, K, dtype=np.int32),
                                           pa.array(scores.ravel())),
    })
    pq.write_table(table, tmp_path / "d.parquet")
    stats = io.score_files(tmp_path / "d.parquet", true="t", pred="scores", chunk_rows=7)
    assert stats.classification_report() == skm.classification_report(t, scores.argmax(axis=1))


def test_multilabel_from_npy(tmp_path, data):
    rng = np.random.default_rng(1)
    t = (rng.random((N, 4)) < 0.3).astype(np.uint8)
    p = (rng.random((N, 4)) < 0.3).astype(np.uint8)
    np.save(tmp_path / "t.npy", t)
    np.save(tmp_path / "p.npy", p)
    stats = io.score_files(tmp_path, true="t", pred="p", chunk_rows=7)
    assert stats.f1_score(average="macro") == skm.f1_score(t, p, average="macro")


def test_chunks_are_bounded_and_npy_is_not_copied(tmp_path, data):
    write(tmp_path, data, "npy")
    chunks = list(io.read_chunks(tmp_path / "npy", true="t.npy", pred="scores",
                                 chunk_rows=64))
    assert [c.y_true.shape[0] for c in chunks] == [64, 64, 64, 64, 44]
    assert [c.start for c in chunks] == [0, 64, 128, 192, 256]
    for c in chunks:
        assert c.y_pred.shape == (c.y_true.shape[0], K)
        assert not c.y_true.flags.owndata and not c.y_pred.flags.owndata  # memory-mapped views
    src, _ = write(tmp_path, data, "parquet")
    sizes = [c.y_true.shape[0] for c in io.read_chunks(src, true="t", pred="p", chunk_rows=50)]
    assert max(sizes) <= 50 and sum(sizes) == N


@pytest.mark.parametrize("fmt", ["parquet-dir", "ipc-file", "ipc-stream", "csv-gz", "npz-compressed",
                                 "npy"])
def test_progress_counts_every_row_and_byte(tmp_path, data, fmt):
    sources, _ = write(tmp_path, data, fmt)
    seen = []
    io.score_files(sources, true="t", pred="p", chunk_rows=40,
                   progress=lambda rows, nbytes: seen.append((rows, nbytes)))
    assert sum(r for r, _ in seen) == N
    assert all(b >= 0 for _, b in seen)
    assert sum(b for _, b in seen) == sum(s.nbytes for s in io.resolve_sources(sources))


def test_progress_bar_draws_on_stderr(capsys):
    pytest.importorskip("tqdm")
    with io.ProgressBar(1000, mininterval=0) as update:
        update(10, 500)
        update(10, 500)
    assert "20 rows" in capsys.readouterr().err
    with io.ProgressBar(1000, disable=True) as update:
        update(10, 500)
    assert capsys.readouterr().err == ""


def test_resolve_sources(tmp_path, data):
    write(tmp_path, data, "npy")
    (srcs,) = io.resolve_sources([tmp_path / "npy" / "t.npy", tmp_path / "npy" / "p.npy"])
    assert srcs.format == "npy" and [p.name for p in srcs.paths] == ["t.npy", "p.npy"]
    (tmp_path / "d.bin").write_bytes(b"\0" * 10)
    (src,) = io.resolve_sources(tmp_path / "d.bin", format="npy")
    assert src.format == "npy"
    with pytest.raises(ValueError, match="format must be one of"):
        io.resolve_sources(tmp_path / "d.bin", format="xls")


# ---- bad input -----------------------------------------------------------------------------


def _parquet(tmp_path, name="d.parquet", **cols):
    pq.write_table(pa.table(cols), tmp_path / name)
    return tmp_path / name


BAD = {
    "missing file": lambda tp, d: (tp / "nope.parquet", {}, FileNotFoundError,
                                   "nope.parquet: no such file or directory"),
    "glob matches nothing": lambda tp, d: (str(tp / "*.parquet"), {}, FileNotFoundError,
                                           "no file matches"),
    "unknown suffix": lambda tp, d: ((tp / "d.xlsx").write_bytes(b"x") and tp / "d.xlsx", {},
                                     ValueError, "unknown file type"),
    "empty directory": lambda tp, d: ((tp / "e").mkdir() or tp / "e", {}, ValueError,
                                      "no files of a supported type"),
    "missing column": lambda tp, d: (_parquet(tp, t=d["t"], p=d["p"]), {"true": "label"},
                                     ValueError, "no column named 'label'; the columns there "
                                     "are: 't', 'p'"),
    "missing csv column": lambda tp, d: (_csv(tp, "t,p\n1,2\n"), {"pred": "yhat"}, ValueError,
                                         "no column named 'yhat'; the columns there are: 't', 'p'"),
    "missing npz array": lambda tp, d: (np.savez(tp / "d.npz", t=d["t"]) or tp / "d.npz", {},
                                        ValueError, "no array named 'p'; the arrays there are: 't'"),
    "not parquet": lambda tp, d: ((tp / "d.parquet").write_bytes(b"PAR1 garbage" * 10)
                                  and tp / "d.parquet", {}, ValueError,
                                  "not a Parquet file, or a corrupt"),
    "truncated parquet": lambda tp, d: (_cut(_parquet(tp, t=d["t"], p=d["p"]), 0.6), {},
                                        ValueError, "Parquet"),
    "corrupt parquet page": lambda tp, d: (_corrupt_middle(_parquet(tp, t=d["s"], p=d["s"])),
                                           {}, ValueError, "Parquet"),
    "truncated npy": lambda tp, d: (_npy_pair(tp, d["t"], d["p"], cut=True), {}, ValueError,
                                    "truncated .npy file"),
    "not npy": lambda tp, d: (_npy_pair(tp, d["t"], d["p"]) and
                              (tp / "n" / "t.npy").write_bytes(b"hello") and tp / "n", {},
                              ValueError, "t.npy: not a .npy file"),
    "npy lengths differ": lambda tp, d: (_npy_pair(tp, d["t"], d["p"][:-3]), {}, ValueError,
                                         "different lengths: 't' has 300, 'p' has 297 rows"),
    "npz lengths differ": lambda tp, d: (np.savez(tp / "d.npz", t=d["t"], p=d["p"][:5])
                                         or tp / "d.npz", {}, ValueError, "different lengths"),
    "truncated npz": lambda tp, d: (_cut(np.savez(tp / "d.npz", t=d["t"], p=d["p"])
                                         or tp / "d.npz", 0.5), {}, ValueError, "npz"),
    "truncated arrow": lambda tp, d: (_cut(_arrow(tp, d), 0.5), {}, ValueError, "Arrow IPC"),
    "nan score": lambda tp, d: (_parquet(tp, t=d["b"], p=np.where(d["s"] > 0.9, np.nan, d["s"])),
                                {"threshold": 0.5}, ValueError, r"rows 0\.\.63; .*NaN or inf"),
    "nan in a score column": lambda tp, d: (_parquet(tp, t=d["t"], c0=d["c0"],
                                                     c1=np.where(d["s"] > .5, np.nan, d["c1"])),
                                            {"pred": ["c0", "c1"]}, ValueError, "NaN or inf"),
    "null label": lambda tp, d: (_parquet(tp, t=pa.array([1, None]), p=[1, 2]), {}, ValueError,
                                 r"column 't' has 1 missing \(null\) value"),
    "string scores": lambda tp, d: (_parquet(tp, t=[0, 1], p=["0.3", "0.9"]), {"threshold": 0.5},
                                    ValueError, "score column 'p' holds strings \\(such as '0.3'\\)"),
    "string weights": lambda tp, d: (_parquet(tp, t=[0, 1], p=[0, 1], w=["a", "b"]),
                                     {"sample_weight": "w"}, ValueError,
                                     "sample_weight column 'w' holds"),
    "string in a later csv block": lambda tp, d: (
        _csv(tp, "t,p\n" + "1,2\n" * 300_000 + "1,abc\n"), {}, ValueError,
        "CSV conversion error to int64: invalid value 'abc'"),
    "strings and numbers": lambda tp, d: (_parquet(tp, t=["a", "b"], p=[1, 2]), {}, ValueError,
                                          "Mix of label input types"),
    "ragged list column": lambda tp, d: (_parquet(tp, t=[0, 1], p=pa.array([[0.1, 0.9], [0.3]])),
                                         {}, ValueError, "different lengths"),
    "date column": lambda tp, d: (_parquet(tp, t=[0, 1], p=pa.array([0, 1], pa.date32())), {},
                                  TypeError, "has type date32"),
    "no rows": lambda tp, d: (_parquet(tp, t=pa.array([], pa.int32()), p=pa.array([], pa.int32())),
                              {}, ValueError, "no rows to score"),
}


def _csv(tmp_path, text):
    (tmp_path / "d.csv").write_text(text)
    return tmp_path / "d.csv"


def _cut(path, fraction):
    raw = path.read_bytes()
    path.write_bytes(raw[: int(len(raw) * fraction)])
    return path


def _corrupt_middle(path):
    raw = bytearray(path.read_bytes())
    raw[40:len(raw) // 2] = b"\xff" * (len(raw) // 2 - 40)
    path.write_bytes(bytes(raw))
    return path


def _npy_pair(tmp_path, t, p, cut=False):
    (tmp_path / "n").mkdir()
    np.save(tmp_path / "n" / "t.npy", t)
    np.save(tmp_path / "n" / "p.npy", p)
    if cut:
        _cut(tmp_path / "n" / "p.npy", 0.5)
    return tmp_path / "n"


def _arrow(tmp_path, data):
    table = pa.table({"t": data["t"], "p": data["p"]})
    with ipc.new_file(tmp_path / "d.arrow", table.schema) as w:
        for b in table.to_batches(max_chunksize=50):
            w.write_batch(b)
    return tmp_path / "d.arrow"


@pytest.mark.parametrize("case", list(BAD))
def test_bad_input(tmp_path, data, case):
    source, kwargs, error, match = BAD[case](tmp_path, data)
    kwargs = {"true": "t", "pred": "p", **kwargs}
    with pytest.raises(error, match=match) as info:
        io.score_files(source, chunk_rows=64, **kwargs)
    assert "\n" not in str(info.value)


def test_bad_arguments(tmp_path, data):
    path = _parquet(tmp_path, t=data["t"], p=data["p"])
    with pytest.raises(ValueError, match="chunk_rows must be a positive integer"):
        io.score_files(path, true="t", pred="p", chunk_rows=0)
    with pytest.raises(ValueError, match="at least 2 score columns"):
        io.score_files(path, true="t", pred=["p"])
    with pytest.raises(TypeError, match="true must name a column"):
        io.score_files(path, true=None, pred="p")


def test_docstring_examples():
    import doctest
    import importlib
    import pkgutil

    attempted = 0
    for info in pkgutil.iter_modules(io.__path__, io.__name__ + "."):
        module = importlib.import_module(info.name)
        result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
        assert result.failed == 0, info.name
        attempted += result.attempted
    assert attempted > 0
