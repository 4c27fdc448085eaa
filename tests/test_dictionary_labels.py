"""Label columns read as dictionaries (``_validation.DictionaryLabels``): the counts of a
Parquet file are the very same, bit for bit, as when its labels are read as values.

Each file is scored twice, the second time with the dictionary path switched off
(``scoring._dictionary_labels``), and the two runs must give equal counts (their JSON,
labels dtype included) or equal errors.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import sample_weights

from fastf1 import StatScores, io
from fastf1._validation import DictionaryLabels
from fastf1.io import arrow, scoring

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")
pytest.importorskip("sqlglot")

#: strings that differ in width, unicode, an empty one and one with a trailing NUL (NumPy
#: drops it from the value but not from the dtype's width)
WORDS = ["cat", "dog", "", "é", "日本語", "x" * 25, "a\x00"]
INTS = {"int8": [-128, 127, 0], "uint8": [0, 255, 7], "int16": [-(1 << 15), (1 << 15) - 1],
        "int32": [-(1 << 31), 5], "int64": [-(1 << 63), (1 << 63) - 1, 3],
        "uint64": [0, (1 << 64) - 1, 1 << 63], "bool": [False, True]}


def outcome(path, **kwargs):
    """(what count_files gave, or the error it raised): comparable between two runs."""
    try:
        r = io.count_files(path, true="t", pred="p", confusion_max_labels=20, **kwargs)
    except (ValueError, TypeError) as exc:
        return type(exc).__name__, str(exc)
    return (r.stats.to_json(), str(r.stats.labels.dtype), r.n_rows,
            None if r.by_group is None else r.by_group.to_json(),
            None if r.confusion is None else (r.confusion.tolist(), str(r.confusion_labels.dtype)))


def both_ways(path, monkeypatch, **kwargs):
    """The outcome with label columns read as dictionaries, then as values; and how many
    chunks took the dictionary path."""
    taken = []
    present = DictionaryLabels.present

    def spy(self, name):
        taken.append(name)
        return present(self, name)

    with monkeypatch.context() as m:
        m.setattr(DictionaryLabels, "present", spy)
        coded = outcome(path, **kwargs)
    with monkeypatch.context() as m:
        m.setattr(scoring, "_dictionary_labels", lambda *args: ())
        values = outcome(path, **kwargs)
    return coded, values, len(taken)


def column(kind, values, draw, vocab):
    """An Arrow column of ``values`` (a dictionary column, with entries no row uses, for
    the ``dict_*`` kinds)."""
    if kind in INTS:
        return pa.array(np.array(values, dtype=kind))
    if kind == "strings":
        return pa.array(values, pa.string())
    # a dictionary column as pandas' categoricals are stored: unused entries kept
    entries = list(dict.fromkeys(draw(st.permutations(vocab))))
    indices = pa.array([entries.index(v) for v in values], pa.int32())
    typ = pa.string() if kind == "dict_strings" else pa.int64()
    return pa.DictionaryArray.from_arrays(indices, pa.array(entries, typ))


#: the kinds of label column of the default run: integers of the other widths and bools
#: (read as values either way) compile kernels of their own, so they run with -m slow
KINDS = ["strings", "strings", "strings", "dict_strings", "dict_ints", "int64"]


@st.composite
def parquet_file(draw, tmp_path, kinds=KINDS):
    """A Parquet file of labels ``t``, ``p``, weights ``w`` and groups ``g`` in row groups
    of random sizes (each with its own dictionaries), and the chunk rows to read it in."""
    kind = draw(st.sampled_from(kinds))
    vocab = (WORDS if "strings" in kind else [3, -7, 1 << 40] if kind == "dict_ints"
             else INTS[kind])
    used = draw(st.lists(st.sampled_from(vocab), min_size=1, max_size=len(vocab), unique=True))
    n = draw(st.integers(1, 60))
    t = draw(st.lists(st.sampled_from(used), min_size=n, max_size=n))
    p = draw(st.lists(st.sampled_from(used), min_size=n, max_size=n))
    w = draw(sample_weights(n))
    g = draw(st.lists(st.integers(0, 2), min_size=n, max_size=n))
    cuts = sorted(draw(st.lists(st.integers(1, n), max_size=3, unique=True)))
    bounds = [0, *[c for c in cuts if c < n], n]
    # a column of strings stored as strings or as a dictionary, each on its own
    t_kind, p_kind = ((draw(st.sampled_from(["strings", "dict_strings"])) for _ in "tp")
                      if "strings" in kind else (kind, kind))
    path = tmp_path / f"{draw(st.integers(0, 10**9))}.parquet"
    schema = None
    with_weights = w is not None
    for lo, hi in zip(bounds, bounds[1:]):
        cols = {"t": column(t_kind, t[lo:hi], draw, vocab),
                "p": column(p_kind, p[lo:hi], draw, vocab),
                "g": pa.array(g[lo:hi], pa.int64())}
        if with_weights:
            cols["w"] = pa.array(w[lo:hi])
        table = pa.table(cols)
        if schema is None:
            schema = table.schema
            writer = pq.ParquetWriter(path, schema)
        writer.write_table(table.cast(schema))
    writer.close()
    return path, kind, with_weights, draw(st.integers(1, n + 3))


def check_both_ways(tmp_path_factory, monkeypatch, data, kinds):
    path, kind, weighted, chunk_rows = data.draw(
        parquet_file(tmp_path_factory.mktemp("dict"), kinds))
    options = dict(chunk_rows=chunk_rows, sample_weight="w" if weighted else None)
    options.update(data.draw(st.sampled_from(
        [{}, {"group_by": "g"}, {"where": "g >= 1"}, {"where": "g = 1", "group_by": "g"}])))
    coded, values, taken = both_ways(path, monkeypatch, **options)
    assert coded == values
    if "strings" in kind and isinstance(coded[0], str) and coded[0].startswith("{"):
        assert taken  # the dictionary path was taken, not only its fallback


@settings(max_examples=max(10, settings.default.max_examples // 4))
@given(data=st.data())
def test_dictionary_path_counts_the_same_as_values(tmp_path_factory, monkeypatch, data):
    check_both_ways(tmp_path_factory, monkeypatch, data, KINDS)


@pytest.mark.slow
@given(data=st.data())
def test_every_integer_width_and_bools_count_the_same(tmp_path_factory, monkeypatch, data):
    check_both_ways(tmp_path_factory, monkeypatch, data, ["strings", *INTS])


def test_a_null_label_is_the_same_error(tmp_path, monkeypatch):
    path = tmp_path / "nulls.parquet"
    pq.write_table(pa.table({"t": ["a", None, "b"], "p": ["a", "b", "b"]}), path)
    coded, values, _ = both_ways(path, monkeypatch)
    assert coded == values
    assert coded[0] == "ValueError" and "1 missing (null) value" in coded[1]


def test_strings_and_numbers_are_the_same_error(tmp_path, monkeypatch):
    path = tmp_path / "mixed.parquet"
    pq.write_table(pa.table({"t": ["a", "b", "b"], "p": [1, 0, 1]}), path)
    coded, values, _ = both_ways(path, monkeypatch)
    assert coded == values and coded[0] == "ValueError" and "Mix of label input types" in coded[1]


def test_where_on_a_label_column_and_a_partition(tmp_path, monkeypatch):
    for part, (t, p) in enumerate([(["a", "b", "b"], ["a", "a", "b"]),
                                   (["c", "b", "a"], ["c", "c", "a"])]):
        (tmp_path / f"part={part}").mkdir()
        pq.write_table(pa.table({"t": t, "p": p}), tmp_path / f"part={part}" / "x.parquet")
    for where in ["t <> 'b'", "part = 1 and p = 'c'", "t in ('a', 'c')"]:
        coded, values, taken = both_ways(tmp_path, monkeypatch, where=where)
        assert coded == values and taken, where


def test_plain_fallback_is_read_as_values_with_the_same_counts(tmp_path, monkeypatch):
    """Column chunks whose dictionary outgrew the writer's limit, so that their later
    pages are PLAIN: with a large dictionary page, read as values (``dictionary_columns``);
    with a writer's small limit, which the metadata cannot tell, read as a dictionary that
    pyarrow builds. The same counts either way."""
    rng = np.random.default_rng(0)
    many = np.array([f"label-{i:08d}" for i in rng.permutation(10_000)])
    few = np.array(["a", "b", "c"])[rng.integers(0, 3, many.size)]
    table = pa.table({"t": many, "p": few})
    for limit, coded_columns in ((80_000, ["p"]), (20_000, ["t", "p"])):
        path = tmp_path / f"fallback-{limit}.parquet"
        # 5000 * 18 bytes of dictionary per row group: PLAIN pages once past the limit
        pq.write_table(table, path, row_group_size=5000, compression="none",
                       dictionary_pagesize_limit=limit, data_page_size=4096,
                       write_batch_size=256)
        pf = pq.ParquetFile(path)
        chunk = pf.metadata.row_group(0).column(0)
        # the dictionary page holds some of the 5000 labels: the others are in PLAIN pages
        assert chunk.data_page_offset - chunk.dictionary_page_offset < 5000 * 18
        assert arrow.dictionary_columns(pf.metadata, pf.schema_arrow, ["t", "p"]) == coded_columns
        coded, values, taken = both_ways(path, monkeypatch, chunk_rows=700)
        assert coded == values and coded[0].startswith("{") and taken


def test_which_columns_are_read_as_dictionaries(tmp_path):
    table = pa.table({"s": ["a", "b"], "i": [1, 2], "f": [0.5, 1.0]})
    dictionary, plain = tmp_path / "d.parquet", tmp_path / "p.parquet"
    pq.write_table(table, dictionary)
    pq.write_table(table, plain, use_dictionary=False)
    for path, want in ((dictionary, ["s"]), (plain, [])):
        pf = pq.ParquetFile(path)
        # numbers: pyarrow reads them only as values; "part": a partition column
        assert arrow.dictionary_columns(pf.metadata, pf.schema_arrow,
                                        ["s", "i", "f", "part"]) == want


def test_dictionary_entries_no_row_uses_are_never_read():
    """Entries no row uses (a None, bytes, a number) are neither checked nor counted."""
    values = np.array(["b", None, "a", b"x", 7, "zz"], dtype=object)
    t = np.array([0, 2, 2, 5], np.int32)
    p = np.array([2, 2, 0, 0], np.int32)
    w = np.array([1.0, 0.0, 2.5, 1.0])
    for weights in (None, w):
        coded = StatScores().update(DictionaryLabels(t, values), DictionaryLabels(p, values),
                                    weights)
        plain = StatScores().update(values[t].astype(str), values[p].astype(str), weights)
        assert coded.to_json() == plain.to_json()
        assert coded.labels.dtype == plain.labels.dtype


def test_a_file_in_another_filesystem_is_scanned_the_same(tmp_path, monkeypatch):
    """A file of a filesystem other than the local one (as in an object store) is read
    by a ``pyarrow.dataset`` scan, whose batches end at row group ends either way."""
    import dataclasses

    from _fs import counting_filesystem

    path = tmp_path / "x.parquet"
    with pq.ParquetWriter(path, pa.schema([("t", pa.string()), ("p", pa.string())])) as w:
        for t, p in ((["a", "b", "b"], ["a", "a", "b"]), (["c", "b"], ["c", "b"])):
            w.write_table(pa.table({"t": t, "p": p}))
    fs, _ = counting_filesystem()
    sources = [dataclasses.replace(s, filesystem=fs, paths=(str(s.paths[0]),), stamps=())
               for s in io.resolve_sources(path)]
    coded, values, taken = both_ways(sources, monkeypatch, chunk_rows=2)
    assert coded == values and taken
