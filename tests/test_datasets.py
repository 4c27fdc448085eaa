"""Local datasets: hive partitions as columns, ``where`` pushdown, each file once whatever the
spelling, saved / merged / resumed counts; every result equal to scikit-learn on the same rows.
Also the file cases of issue 17: sources that change while read, exact labels on the command
line, errors that name the file."""

from __future__ import annotations

import gzip
import itertools
import json
import os

import numpy as np
import pytest
import sklearn.metrics as skm

from fastf1 import ByGroup, StatScores, TopKCounts, cli, io

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")
pytest.importorskip("sqlglot")

MODELS, DAYS, ROWS = ("v1", "v2"), ("2026-11-01", "2026-11-02", "2026-11-03"), 400


def make_rows(seed, n=ROWS, k=4):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, k, n)
    return y, np.where(rng.random(n) < 0.7, y, rng.integers(0, k, n)), rng.random(n)


@pytest.fixture
def hive(tmp_path):
    """A hive-partitioned Parquet dump: model=*/day=*/part-0.parquet; returns (root, rows)
    with rows a dict of the columns of all files, partition columns included."""
    root = tmp_path / "dump"
    rows = {"y": [], "p": [], "w": [], "model": [], "day": []}
    for i, (m, d) in enumerate((m, d) for m in MODELS for d in DAYS):
        y, p, w = make_rows(i)
        (root / f"model={m}" / f"day={d}").mkdir(parents=True)
        pq.write_table(pa.table({"y": y, "p": p, "w": w}),
                       root / f"model={m}" / f"day={d}" / "part-0.parquet", row_group_size=128)
        for k, v in (("y", y), ("p", p), ("w", w), ("model", [m] * ROWS), ("day", [d] * ROWS)):
            rows[k].append(np.asarray(v))
    (root / "_SUCCESS").write_text("")
    return root, {k: np.concatenate(v) for k, v in rows.items()}


def assert_like_sklearn(stats, y, p, w=None):
    assert stats.total == (len(y) if w is None else pytest.approx(w.sum()))
    for average in ("micro", "macro", "weighted"):
        ours = stats.f1_score(average=average, zero_division=0)
        theirs = skm.f1_score(y, p, average=average, sample_weight=w, zero_division=0)
        assert ours == (theirs if w is None else pytest.approx(theirs, rel=1e-9))
    np.testing.assert_array_equal(stats.labels, np.unique(np.concatenate([y, p])))


# ---- partitions, where ------------------------------------------------------------------------


def test_hive_dataset_equals_sklearn(hive):
    root, r = hive
    assert_like_sklearn(io.score_files(root, true="y", pred="p", chunk_rows=100), r["y"], r["p"])
    got = io.score_files(root, true="y", pred="p", sample_weight="w")
    assert_like_sklearn(got, r["y"], r["p"], r["w"])


@pytest.mark.parametrize("column", ["model", "day"])
def test_group_by_a_partition_column(hive, column):
    root, r = hive
    got = io.score_files(root, true="y", pred="p", group_by=column)
    assert list(got) == sorted(set(r[column].tolist()))
    for key, stats in got.items():
        rows = r[column] == key
        assert_like_sklearn(stats, r["y"][rows], r["p"][rows])


def test_partition_column_as_true_and_pred(tmp_path):
    # a partition column is a column like any other: here, the true label
    for label in (3, 7):
        (tmp_path / f"label={label}").mkdir()
        pq.write_table(pa.table({"p": np.array([3, 7, label, label])}),
                       tmp_path / f"label={label}" / "a.parquet")
    got = io.score_files(tmp_path, true="label", pred="p")
    y = np.array([3, 3, 3, 3, 7, 7, 7, 7])
    p = np.array([3, 7, 3, 3, 3, 7, 7, 7])
    assert_like_sklearn(got, y, p)


def test_a_partition_value_wins_over_a_file_column_of_its_name(tmp_path):
    # a local Parquet file is read by its own batch reader, a filtered one by a dataset
    # scanner: both take the folder's value, as pyarrow.dataset does
    (tmp_path / "label=9").mkdir()
    p = np.array([0, 1, 2, 9, 1, 9])
    pq.write_table(pa.table({"p": p, "label": np.array([0, 1, 1, 2, 2, 2])}),
                   tmp_path / "label=9" / "a.parquet")
    y = np.full(p.size, 9)
    assert_like_sklearn(io.score_files(tmp_path, true="label", pred="p"), y, p)
    assert_like_sklearn(io.score_files(tmp_path, true="label", pred="p", where="p >= 0"), y, p)
    # of the file column's type on both paths: strings here, though the folder reads as a number
    (tmp_path / "label=9" / "a.parquet").unlink()
    pq.write_table(pa.table({"p": ["9", "1", "9"], "label": ["0", "1", "1"]}),
                   tmp_path / "label=9" / "a.parquet")
    for where in (None, "p >= '0'"):
        got = io.score_files(tmp_path, true="label", pred="p", where=where)
        assert got.labels.tolist() == ["1", "9"]
        assert_like_sklearn(got, np.array(["9"] * 3), np.array(["9", "1", "9"]))


def test_arrow_ipc_streams_take_the_partition_value_as_parquet_does(tmp_path):
    # an IPC stream file (read batch by batch, not by pyarrow.dataset) in a partition
    # folder: the folder's value, of the file column's type, also for where=
    import pyarrow.ipc as ipc

    (tmp_path / "label=9").mkdir()
    table = pa.table({"p": ["9", "1", "9"], "label": ["0", "1", "1"]})
    with ipc.new_stream(tmp_path / "label=9" / "a.arrows", table.schema) as w:
        w.write_table(table)
    y, p = np.array(["9"] * 3), np.array(["9", "1", "9"])
    assert_like_sklearn(io.score_files(tmp_path, true="label", pred="p"), y, p)
    with pytest.raises(ValueError, match="no rows to score"):  # the file's '1' is not seen
        io.count_files(tmp_path, true="label", pred="p", where="label = '1'")
    got = io.count_files(tmp_path, true="label", pred="p", where="label = '9'")
    assert got.n_rows == 3
    assert_like_sklearn(got.stats, y, p)


def _write(path, table):
    """``table`` as a Parquet, Arrow IPC file, IPC stream or CSV file (by suffix)."""
    import pyarrow.csv as pcsv
    import pyarrow.ipc as ipc

    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix == ".parquet":
        pq.write_table(table, path)
    elif path.suffix == ".csv":
        pcsv.write_csv(table, path)
    else:
        new = ipc.new_file if path.suffix == ".arrow" else ipc.new_stream
        with new(path, table.schema) as w:
            w.write_table(table)


#: (folder, the file's column of the partition's name): 300 is too wide for int8, and
#: 'abc' is no integer (CSV columns read as int64)
TOO_WIDE = [("k=300", pa.int8()), ("k=abc", pa.int64())]


@pytest.mark.parametrize("suffix", [".parquet", ".arrow", ".arrows", ".csv"])
@pytest.mark.parametrize("where", [None, "t >= 0", "k > 0"])
def test_a_partition_value_too_wide_for_the_file_column_is_one_error(tmp_path, suffix,
                                                                       where):
    # every reading path (Parquet's own reader, a dataset scan, an IPC stream read batch
    # by batch) and where= (which prunes partitions from their values) give the same error
    for i, (folder, typ) in enumerate(TOO_WIDE):
        if suffix == ".csv" and typ == pa.int8():
            continue  # CSV has no int8: its integers are int64, where 300 fits
        path = tmp_path / str(i) / folder / f"a{suffix}"
        _write(path, pa.table({"t": [0, 1, 1], "p": [0, 1, 0],
                               "k": pa.array([5, 5, 5], typ)}))
        value = folder.split("=")[1]
        for group_by in ("k", None):
            if group_by is None and where != "k > 0":
                continue  # the column is not read: nothing to fit
            with pytest.raises(ValueError) as info:
                io.score_files(path.parent.parent, true="t", pred="p", group_by=group_by,
                               where=where)
            assert str(info.value) == (f"{path}: partition k={value} does not fit the "
                                       f"file's column 'k' of type {typ}")


@pytest.mark.parametrize("suffix", [".parquet", ".arrow", ".arrows"])
def test_a_where_pyarrow_refuses_names_the_file_and_the_expression(tmp_path, capsys, suffix):
    # the first file's column is a number, the second's a string: where= is read against
    # the first, and the second's scan cannot compare; one line, exit 1
    _write(tmp_path / f"a{suffix}", pa.table({"t": [0, 1], "p": [0, 1], "s": [1, 2]}))
    _write(tmp_path / f"b{suffix}", pa.table({"t": [0, 1], "p": [0, 1], "s": ["x", "y"]}))
    with pytest.raises(ValueError, match=f"^{tmp_path / ('b' + suffix)}: where 's > 1': "):
        io.score_files(tmp_path, true="t", pred="p", where="s > 1")
    code = cli.main(["score", str(tmp_path), "--true", "t", "--pred", "p", "--where", "s > 1"])
    err = capsys.readouterr().err
    assert code == 1 and err.startswith(f"fastf1: error: {tmp_path / ('b' + suffix)}: where "
                                        "'s > 1': ") and err.count("\n") == 1


def test_where_names_the_file_whose_partition_does_not_fit_its_schema(tmp_path):
    # where= reads the columns of the first file: a partition of another file that does
    # not fit that file's column type is refused naming both
    _write(tmp_path / "k=100" / "a.parquet",
           pa.table({"t": [0, 1], "p": [0, 1], "k": pa.array([1, 1], pa.int8())}))
    _write(tmp_path / "k=300" / "b.parquet",
           pa.table({"t": [0, 1], "p": [0, 1], "k": pa.array([1, 1], pa.int16())}))
    first, other = tmp_path / "k=100" / "a.parquet", tmp_path / "k=300" / "b.parquet"
    with pytest.raises(ValueError) as info:
        io.score_files(tmp_path, true="t", pred="p", where="t >= 0")
    assert str(info.value) == (f"{other}: partition k=300 does not fit the column (as in "
                               f"{first}, read for where=) 'k' of type int8")


WHERE = [
    ("model = 'v2'", lambda r: r["model"] == "v2"),
    ("model = 'v2' and day >= '2026-11-02'", lambda r: (r["model"] == "v2")
     & (r["day"] >= "2026-11-02")),
    ("day in ('2026-11-01', '2026-11-03') or w < 0.1",
     lambda r: np.isin(r["day"], ["2026-11-01", "2026-11-03"]) | (r["w"] < 0.1)),
    ("not (y between 1 and 2) and w >= 0.25", lambda r: ~((r["y"] >= 1) & (r["y"] <= 2))
     & (r["w"] >= 0.25)),
    ("y <> p", lambda r: r["y"] != r["p"]),
]


@pytest.mark.parametrize("where, mask", WHERE, ids=[w for w, _ in WHERE])
def test_where_equals_sklearn_on_the_same_rows(hive, where, mask):
    root, r = hive
    rows = mask(r)
    result = io.count_files(root, true="y", pred="p", where=where, chunk_rows=64)
    assert result.n_rows == rows.sum()
    assert_like_sklearn(result.stats, r["y"][rows], r["p"][rows])


def test_where_prunes_partitions_before_reading(hive):
    root, _ = hive
    sources = io.resolve_sources(root)
    assert len(sources) == 6
    from fastf1.io.arrow import with_where

    kept = with_where(sources, "model = 'v2' and day >= '2026-11-02'")
    assert sorted(os.path.relpath(s.name, root) for s in kept) == [
        "model=v2/day=2026-11-02/part-0.parquet", "model=v2/day=2026-11-03/part-0.parquet"]
    # a condition on a data column cannot prune a partition
    assert len(with_where(sources, "w < 0.5")) == 6


def test_where_skips_row_groups_it_cannot_match(tmp_path):
    # sorted data in 8 row groups: a selective where reads the footer and one row group
    import dataclasses

    from _fs import counting_filesystem

    k = np.arange(1 << 18)
    pq.write_table(pa.table({"y": k % 5, "p": k % 3, "k": k}), tmp_path / "a.parquet",
                   row_group_size=1 << 15, compression="none")
    size = (tmp_path / "a.parquet").stat().st_size

    def read(where):
        fs, counter = counting_filesystem()
        (source,) = io.resolve_sources(tmp_path / "a.parquet")
        source = dataclasses.replace(source, filesystem=fs, paths=(str(source.paths[0]),),
                                     stamps=())
        result = io.count_files([source], true="y", pred="p", where=where)
        return result, counter.bytes_read

    everything, all_bytes = read("k >= 0")
    one, one_bytes = read("k >= 250000")
    assert everything.n_rows == 1 << 18 and one.n_rows == (1 << 18) - 250000
    rows = k >= 250000
    assert_like_sklearn(one.stats, (k % 5)[rows], (k % 3)[rows])
    assert all_bytes >= size * 0.9
    assert one_bytes < all_bytes / 4, (one_bytes, all_bytes)  # 1 row group of 8, footers


@pytest.mark.parametrize("where, match", [
    ("modle = 'v2'", "no column named 'modle'; the columns there are: 'y', 'p', 'w'"),
    ("model = = 'v2'", "syntax error"),
    ("day >= 2026", "2026 cannot be compared with column 'day' of type string"),
    ("y = 'a'", "'a' cannot be compared with column 'y' of type int64"),
    ("y + 1 > 2", "must be a column"),
    ("y like 'a%'", "not supported"),
    ("", "must be a SQL boolean expression"),
])
def test_bad_where_is_one_clear_error(hive, where, match):
    root, _ = hive
    with pytest.raises(ValueError, match=match) as info:
        io.score_files(root, true="y", pred="p", where=where)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize("suffix", ["npy", "npz"])
def test_where_on_numpy_sources_is_refused(tmp_path, capsys, suffix):
    if suffix == "npy":
        np.save(tmp_path / "y.npy", np.arange(3))
    else:
        np.savez(tmp_path / "t.npz", y=np.arange(3))
    with pytest.raises(ValueError, match=f"where= filters Parquet, Arrow IPC and CSV files, "
                                         f"not .{suffix} arrays"):
        io.score_files(tmp_path, true="y", pred="y", where="y > 1")
    code = cli.main(["score", str(tmp_path), "--true", "y", "--pred", "y", "--where", "y > 1"])
    out, err = capsys.readouterr()
    assert code == 1 and out == "" and err.count("\n") == 1 and "not ." + suffix in err


@pytest.mark.parametrize("suffix", [".arrows", ".arrow"])
def test_where_and_partitions_on_arrow_ipc_streams(hive, suffix):
    # the stream format (whatever the suffix): no statistics to skip by, so every batch is
    # read and filtered; the partition columns are there as in a Parquet dataset
    import pyarrow.ipc as ipc

    root, r = hive
    streams = root.parent / "streams"
    for f in sorted(root.rglob("*.parquet")):
        table = pq.read_table(f, partitioning=None)
        out = streams / f.relative_to(root).with_suffix(suffix)
        out.parent.mkdir(parents=True, exist_ok=True)
        with ipc.new_stream(out, table.schema) as w:
            for batch in table.to_batches(max_chunksize=100):
                w.write_batch(batch)
    where = "day >= '2026-11-02' and w > 0.3"
    rows = (r["day"] >= "2026-11-02") & (r["w"] > 0.3)
    got = io.count_files(streams, true="y", pred="p", group_by="model", where=where)
    assert got.n_rows == rows.sum() and got.n_files == 4  # day=2026-11-01 is pruned
    for m, stats in got.by_group.items():
        sel = rows & (r["model"] == m)
        assert_like_sklearn(stats, r["y"][sel], r["p"][sel])


# ---- each file once ---------------------------------------------------------------------------


def test_symlinked_alias_and_loop_read_each_file_once(hive):
    root, r = hive
    os.symlink(root / "model=v1", root / "alias-of-v1")  # an alias inside the tree
    os.symlink(root, root / "model=v2" / "loop")  # a loop back to the root
    for spelling in (root, f"{root}/**/*.parquet", [root, root / "model=v1", f"{root}/./"]):
        result = io.count_files(spelling, true="y", pred="p", group_by="model")
        assert result.n_files == 6 and result.n_rows == len(r["y"])
        assert_like_sklearn(result.stats, r["y"], r["p"])
        # the files keep the partition values of their real folders
        assert sorted(result.by_group) == ["v1", "v2"]


def test_loop_alone_ends(tmp_path):
    (tmp_path / "a").mkdir()
    pq.write_table(pa.table({"y": [1, 2, 3, 4, 5], "p": [1, 2, 3, 4, 4]}), tmp_path / "a" / "x.parquet")
    os.symlink(tmp_path, tmp_path / "a" / "up")
    assert io.count_files(f"{tmp_path}/**/*.parquet", true="y", pred="p").n_rows == 5


# ---- saved counts -----------------------------------------------------------------------------


LABELS = [
    np.array([0, 2**63 - 1, 2**63 - 2, -2**63], dtype=np.int64),
    np.array([0, 2**64 - 1, 2**63 + 5], dtype=np.uint64),
    np.array(["a", "b", "ü"]),
    np.array([0.0, 1.0, 3.0]),
    np.array([True, False]),
]


@pytest.mark.parametrize("labels", LABELS, ids=lambda a: str(a.dtype))
@pytest.mark.parametrize("weighted", [False, True])
def test_statscores_json_round_trip_is_exact(labels, weighted):
    rng = np.random.default_rng(1)
    y, p = rng.choice(labels, 50), rng.choice(labels, 50)
    w = rng.random(50) if weighted else None
    s = StatScores().update(y, p, w)
    back = StatScores.from_json(s.to_json())
    assert back.labels.dtype == s.labels.dtype
    assert back.labels.tolist() == s.labels.tolist()
    for name in ("tp", "fp", "fn", "tn", "support"):
        got, want = getattr(back, name), getattr(s, name)
        assert got.dtype == want.dtype and got.tolist() == want.tolist()
    assert back.total == s.total and back.weighted == s.weighted
    assert back.f1_score(average="macro") == s.f1_score(average="macro")
    assert "e+" not in s.to_json() or weighted  # integers never written as floats


def test_label_counts_keep_format_version_1():
    # their layout is version 1's: a fastf1 that reads only version 1 must still read them
    s = StatScores().update([0, 1], [0, 0])
    assert json.loads(s.to_json())["version"] == 1
    assert json.loads(ByGroup({"a": s}).to_json())["version"] == 1
    assert TopKCounts(k=1)._to_data()["version"] == 1


def test_bygroup_json_round_trip():
    g = ByGroup({"a": StatScores().update([0, 1], [0, 0]), "b": StatScores().update([1], [1])})
    back = ByGroup.from_json(g.to_json())
    assert list(back) == ["a", "b"] and back["a"].tp.tolist() == [1, 0]
    g = ByGroup({2**63 + 1: StatScores().update([0], [0])})
    assert list(ByGroup.from_json(g.to_json())) == [2**63 + 1]


@pytest.mark.parametrize("text, match", [
    ("not json", "not fastf1 counts"),
    ('{"a": 1}', "not fastf1 counts"),
    ('{"format": "fastf1.counts", "version": 99, "kind": "StatScores"}', "version 99 is newer"),
    ('{"format": "fastf1.counts", "version": 1, "kind": "ByGroup", "groups": []}',
     "not 'StatScores'"),
    ('{"format": "fastf1.counts", "version": 1, "kind": "StatScores", "counts": {"labels": '
     '{"dtype": "object", "values": [1]}}}', "not allowed"),
    ('{"format": "fastf1.counts", "version": 1, "kind": "StatScores", "counts": {"labels": '
     '{"dtype": "int64", "values": [1.5]}}}', "do not all fit"),
])
def test_bad_saved_counts(text, match):
    with pytest.raises(ValueError, match=match):
        StatScores.from_json(text)


def run_cli(capsys, *argv):
    code = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def _json_without_time(text):
    data = json.loads(text)
    data.pop("seconds")
    return data


def test_save_then_report_prints_what_score_prints(hive, tmp_path, capsys):
    root, r = hive
    base = ["--true", "y", "--pred", "p", "--group-by", "day", "-q", "--average", "macro"]
    code, whole, _ = run_cli(capsys, "score", root, *base, "--json")
    assert code == 0
    for m in MODELS:
        code, _, err = run_cli(capsys, "score", root / f"model={m}", *base,
                               "--save", tmp_path / f"{m}.json")
        assert code == 0, err
    saved = [tmp_path / f"{m}.json" for m in MODELS]
    code, merged, err = run_cli(capsys, "report", *saved, "--json", "--average", "macro")
    assert code == 0, err
    assert _json_without_time(merged) == _json_without_time(whole)
    data = json.loads(saved[0].read_text())
    assert data["format"] == "fastf1.counts" and data["version"] == 1 and data["kind"] == "run"
    assert data["options"]["group_by"] == "day" and len(data["files"]) == 3
    code, text, _ = run_cli(capsys, "report", *saved)
    assert code == 0 and "per group (3)" in text and "2,400 rows from 6 files" in text
    macro = skm.f1_score(r["y"], r["p"], average="macro")
    assert f"{macro:.4f}" in text


def test_report_refuses_what_cannot_be_merged(hive, tmp_path, capsys):
    root, _ = hive
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    run_cli(capsys, "score", root / "model=v1", "--true", "y", "--pred", "p", "--save", a)
    run_cli(capsys, "score", root, "--true", "y", "--pred", "p", "--save", b)
    code, _, err = run_cli(capsys, "report", a, b)
    assert code == 1 and "was also counted in" in err and err.count("\n") == 1
    run_cli(capsys, "score", root / "model=v2", "--true", "y", "--pred", "p",
            "--sample-weight", "w", "--save", b)
    code, _, err = run_cli(capsys, "report", a, b)
    assert code == 1 and "other options" in err and "sample_weight" in err
    (tmp_path / "c.json").write_text('{"format": "fastf1.counts", "version": 7, "kind": "run"}')
    code, _, err = run_cli(capsys, "report", tmp_path / "c.json")
    assert code == 1 and "version 7 is newer" in err and err.count("\n") == 1
    (tmp_path / "d.json").write_text("[1, 2]")
    code, _, err = run_cli(capsys, "report", tmp_path / "d.json")
    assert code == 1 and "d.json: not fastf1 counts" in err


def test_resume_after_a_failed_file_counts_each_file_once(hive, tmp_path):
    root, r = hive
    bad = root / "model=v2" / "day=2026-11-02" / "part-0.parquet"
    good = bad.read_bytes()
    bad.write_bytes(b"PAR1 not really")
    save = tmp_path / "run.json"
    with pytest.raises(ValueError, match="not a Parquet file"):
        io.score_files(root, true="y", pred="p", save=save, resume=True)
    done = json.loads(save.read_text())
    assert len(done["files"]) == 4  # the files before the broken one, saved one by one
    bad.write_bytes(good)
    os.utime(bad, ns=(os.stat(bad).st_atime_ns, os.stat(bad).st_mtime_ns))
    stats = io.score_files(root, true="y", pred="p", save=save, resume=True)
    assert_like_sklearn(stats, r["y"], r["p"])
    assert len(json.loads(save.read_text())["files"]) == 6
    # resumed again: nothing left to read, the same counts
    again = io.score_files(root, true="y", pred="p", save=save, resume=True)
    assert again.tp.tolist() == stats.tp.tolist()
    with pytest.raises(ValueError, match="other options"):
        io.score_files(root, true="y", pred="p", sample_weight="w", save=save, resume=True)


def test_a_corrupt_page_read_ahead_names_its_file(tmp_path, monkeypatch):
    # files are decoded ahead of the one counted: the error of a later file may surface
    # while an earlier one is read, and must still name the file it is in
    from fastf1.io import arrow

    monkeypatch.setattr(arrow, "FRAGMENT_READAHEAD", 8)
    for i in range(6):
        y, p, _ = make_rows(i, n=20_000, k=1000)
        pq.write_table(pa.table({"y": y, "p": p}), tmp_path / f"f{i}.parquet",
                       row_group_size=5000)
    bad = tmp_path / "f3.parquet"
    offset = pq.ParquetFile(bad).metadata.row_group(2).column(0).data_page_offset
    raw = bytearray(bad.read_bytes())
    raw[offset + 20:offset + 400] = np.random.default_rng(0).bytes(380)
    bad.write_bytes(bytes(raw))
    for chunk_rows in (1000, 100_000):
        with pytest.raises(ValueError, match=f"^{bad}: corrupt or truncated Parquet file"):
            io.score_files(tmp_path, true="y", pred="p", chunk_rows=chunk_rows)


def test_resume_refuses_a_file_changed_since_it_was_counted(hive, tmp_path):
    root, _ = hive
    save = tmp_path / "run.json"
    io.score_files(root, true="y", pred="p", save=save)
    f = root / "model=v1" / "day=2026-11-01" / "part-0.parquet"
    pq.write_table(pa.table({"y": [1], "p": [1], "w": [1.0]}), f)
    with pytest.raises(ValueError, match="changed since it was counted"):
        io.score_files(root, true="y", pred="p", save=save, resume=True)


# ---- issue 17: sources that change while read, exact labels, errors naming the file ----------


def test_npy_truncated_while_read_is_an_error_not_sigbus(tmp_path):
    y = np.arange(100_000) % 3
    np.save(tmp_path / "y.npy", y)
    np.save(tmp_path / "p.npy", y)
    chunks = io.read_chunks(tmp_path, true="y", pred="p", chunk_rows=10_000)
    next(chunks)
    with open(tmp_path / "p.npy", "r+b") as f:
        f.truncate(50_000)
    with pytest.raises(ValueError, match=r"p\.npy: the file was truncated while it was read"):
        list(chunks)


def test_npy_truncated_while_read_exits_1_in_a_subprocess(tmp_path):
    # the whole command: one line, exit 1 (a memory map would die of SIGBUS here)
    import subprocess
    import sys

    n = 2_000_000
    np.save(tmp_path / "y.npy", np.zeros(n, np.int64))
    np.save(tmp_path / "p.npy", np.zeros(n, np.int64))
    code = ("import os, sys\n"
            "from fastf1 import io\n"
            f"it = io.read_chunks({str(tmp_path)!r}, true='y', pred='p', chunk_rows=1000)\n"
            "next(it)\n"
            f"os.truncate({str(tmp_path / 'y.npy')!r}, 4096)\n"
            "from fastf1 import cli\n"
            f"sys.exit(cli.main(['score', {str(tmp_path)!r}, '--true', 'y', '--pred', 'p', "
            "'--chunk-rows', '1000', '-q']))\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": os.getcwd()}, timeout=120)
    assert done.returncode == 1, done.stderr
    assert done.stderr.startswith("fastf1: error:") and done.stderr.count("\n") == 1


def test_csv_truncated_while_read_is_an_error(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text("y,p\n" + "1,2\n" * 400_000)
    chunks = io.read_chunks(path, true="y", pred="p", chunk_rows=1000)
    next(chunks)
    with open(path, "r+b") as f:
        f.truncate(f.seek(0, 2) // 2)
    with pytest.raises(ValueError, match=r"d\.csv: the file changed while it was read"):
        list(chunks)


def test_labels_above_2_53_are_parsed_exactly(tmp_path, capsys):
    big = 2**53 + 1
    pq.write_table(pa.table({"y": np.array([big, big - 1, big, 0], np.int64),
                             "p": np.array([big, big, big - 1, 0], np.int64)}),
                   tmp_path / "d.parquet")
    code, out, err = run_cli(capsys, "score", tmp_path / "d.parquet", "--true", "y", "--pred",
                             "p", "--labels", str(big), "--json", "-q")
    assert code == 0, err
    data = json.loads(out)
    assert data["labels"] == [big]
    y, p = [big, big - 1, big, 0], [big, big, big - 1, 0]
    assert data["per_class"]["f1"] == skm.f1_score(y, p, labels=[big], average=None).tolist()
    pair = np.array([big, big - 1])
    pq.write_table(pa.table({"y": pair, "p": pair[::-1]}), tmp_path / "b.parquet")
    code, out, err = run_cli(capsys, "score", tmp_path / "b.parquet", "--true", "y", "--pred",
                             "p", "--average", "binary", "--pos-label", str(big), "--json", "-q")
    assert code == 0, err
    assert json.loads(out)["recall"]["binary"] == skm.recall_score(
        pair, pair[::-1], pos_label=big)


def _gz(tmp_path):
    raw = gzip.compress(("y,p\n" + "1,2\n" * 20_000).encode())
    (tmp_path / "d.csv.gz").write_bytes(raw[: len(raw) // 2])
    return tmp_path / "d.csv.gz", []


def _corrupt_gz(tmp_path):
    raw = bytearray(gzip.compress(("y,p\n" + "1,2\n" * 20_000).encode()))
    raw[20:40] = b"\xff" * 20
    (tmp_path / "d.csv.gz").write_bytes(bytes(raw))
    return tmp_path / "d.csv.gz", []


def _stream(tmp_path):
    import pyarrow.ipc as ipc

    table = pa.table({"y": np.arange(5000), "p": np.arange(5000)})
    with ipc.new_stream(tmp_path / "d.arrows", table.schema) as w:
        w.write_table(table, max_chunksize=500)
    raw = (tmp_path / "d.arrows").read_bytes()
    (tmp_path / "d.arrows").write_bytes(raw[: len(raw) // 2])
    return tmp_path / "d.arrows", []


def _parquet_as_csv(tmp_path):
    pq.write_table(pa.table({"y": np.arange(100), "p": np.arange(100)}), tmp_path / "d.parquet")
    return tmp_path / "d.parquet", ["--format", "csv"]


@pytest.mark.parametrize("make", [_gz, _corrupt_gz, _stream, _parquet_as_csv],
                         ids=["truncated csv.gz", "corrupt csv.gz", "truncated arrow stream",
                              "--format csv on parquet"])
def test_errors_name_the_file(tmp_path, capsys, make):
    path, extra = make(tmp_path)
    other = tmp_path / "ok.csv"  # a good file first: the error must say which one is bad
    other.write_text("y,p\n1,2\n")
    code, out, err = run_cli(capsys, "score", other, path, "--true", "y", "--pred", "p", "-q",
                             *extra)
    assert code == 1 and out == ""
    assert err.startswith(f"fastf1: error: {path}") and err.count("\n") == 1
    assert err.isprintable() or err[:-1].isprintable()  # no binary bytes on the terminal


def test_other_schemes_go_through_fsspec():
    # pyarrow has no "memory" filesystem: fsspec's, seen through pyarrow, reads it
    fsspec = pytest.importorskip("fsspec")
    import io as stdio

    memory = fsspec.filesystem("memory")
    y, p, _ = make_rows(5, n=50)
    for part, (lo, hi) in enumerate(((0, 20), (20, 50))):
        buf = stdio.BytesIO()
        pq.write_table(pa.table({"y": y[lo:hi], "p": p[lo:hi]}), buf)
        memory.pipe(f"/fastf1-test/part={part}/a.parquet", buf.getvalue())
    try:
        got = io.score_files("memory://fastf1-test/", true="y", pred="p", group_by="part")
        assert_like_sklearn(got[0], y[:20], p[:20])
        assert_like_sklearn(got[1], y[20:], p[20:])
    finally:
        memory.rm("/fastf1-test", recursive=True)


@pytest.mark.parametrize("ahead", [0, 1, 2, 4])
def test_files_read_ahead_change_nothing(hive, monkeypatch, ahead):
    from fastf1.io import arrow

    root, r = hive
    monkeypatch.setattr(arrow, "FRAGMENT_READAHEAD", ahead)  # files read at once (0: no threads)
    assert_like_sklearn(io.score_files(root, true="y", pred="p", chunk_rows=50), r["y"], r["p"])
    bad = root / "model=v2" / "day=2026-11-03" / "part-0.parquet"
    bad.write_bytes(b"PAR1 broken")
    with pytest.raises(ValueError, match="day=2026-11-03/part-0.parquet: not a Parquet file"):
        io.score_files(root, true="y", pred="p", chunk_rows=50)


def test_read_ahead_keeps_order_and_stops_when_the_caller_stops():
    import threading

    from fastf1.io.chunks import read_ahead

    def endless(k):
        i = 0
        while True:
            yield k, i
            i += 1

    before = threading.active_count()
    sources = read_ahead(((k, itertools.islice(endless(k), 3)) for k in range(5)), 3)
    assert [(k, list(items)) for k, items in sources] == [
        (k, [(k, 0), (k, 1), (k, 2)]) for k in range(5)]
    sources = read_ahead(((k, endless(k)) for k in range(100)), 4)
    k, items = next(sources)
    assert [next(items) for _ in range(3)] == [(0, 0), (0, 1), (0, 2)]
    assert threading.active_count() > before  # the next files are being read
    sources.close()  # the caller stops early: every reader thread ends
    assert threading.active_count() == before


def test_slow_saves_are_spaced_out_and_the_end_is_saved(hive, tmp_path, monkeypatch):
    # saving may take at most SAVE_SHARE of the run: with a tiny share, the first file is
    # saved, the next ones wait, and the run saves them all at its end (or on an error)
    from fastf1.io import saved, scoring

    root, r = hive
    monkeypatch.setattr(scoring, "SAVE_SHARE", 1e-9)
    calls = []
    real = saved.SavedRun.save
    monkeypatch.setattr(saved.SavedRun, "save",
                        lambda self, path: (calls.append(len(self.files)), real(self, path)))
    save = tmp_path / "run.json"
    stats = io.score_files(root, true="y", pred="p", save=save, resume=True)
    assert calls == [1, 6]
    assert_like_sklearn(stats, r["y"], r["p"])
    assert json.loads(save.read_text())["n_rows"] == len(r["y"])
    calls.clear()
    (tmp_path / "run.json").unlink()
    bad = root / "model=v2" / "day=2026-11-03" / "part-0.parquet"
    bad.write_bytes(b"PAR1 broken")
    with pytest.raises(ValueError, match="not a Parquet file"):
        io.score_files(root, true="y", pred="p", save=save, resume=True)
    assert calls == [1, 5]  # the five files before the broken one, counted whole
    assert json.loads(save.read_text())["n_rows"] == 5 * ROWS
