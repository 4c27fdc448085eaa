"""Arrow readers (Parquet, IPC, CSV): record batches -> NumPy columns."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np

from ._errors import _arrow_errors, _check_names, _one_line, _remote_failure
from .sources import DATASET_FORMATS, Source
from .where import parse_where


def _arrow_to_numpy(arr: Any, name: str, where: str) -> np.ndarray:
    """One Arrow column as NumPy: zero-copy for numbers, (n, K) for list columns."""
    import pyarrow as pa

    typ = arr.type
    if pa.types.is_dictionary(typ):
        arr = arr.dictionary_decode()
        typ = arr.type
    if arr.null_count:
        raise ValueError(f"{where}: column {name!r} has {arr.null_count} missing (null) value(s)")
    if pa.types.is_fixed_size_list(typ) or pa.types.is_list(typ) or pa.types.is_large_list(typ):
        n = len(arr)
        if pa.types.is_fixed_size_list(typ):
            k = typ.list_size
        else:
            lengths = np.diff(np.asarray(arr.offsets))
            k = int(lengths[0]) if n else 0
            if n and (lengths != k).any():
                raise ValueError(
                    f"{where}: the lists in column {name!r} have different lengths "
                    f"({k} and {int(lengths[lengths != k][0])}); a score column needs K scores per row")
        values = _arrow_to_numpy(arr.flatten(), name, where)
        if values.ndim != 1:
            raise ValueError(f"{where}: column {name!r} is nested more than one level deep")
        return values.reshape(n, k)
    if pa.types.is_floating(typ) and typ.bit_width == 16:
        arr = arr.cast(pa.float32())
    elif not (pa.types.is_integer(typ) or pa.types.is_floating(typ) or pa.types.is_boolean(typ)
              or pa.types.is_string(typ) or pa.types.is_large_string(typ)
              or getattr(pa.types, "is_string_view", lambda t: False)(typ)):
        raise TypeError(f"{where}: column {name!r} has type {typ}; expected numbers or strings")
    out = np.asarray(arr.to_numpy(zero_copy_only=False))
    return out.astype(str) if out.dtype.kind == "O" else out


def _rechunk(batches: Iterator[tuple[Any, int]], chunk_rows: int, names: Sequence[str],
             where: str) -> Iterator[tuple[dict[str, np.ndarray], int]]:
    """Record batches (with their bytes) -> NumPy column dicts of at most chunk_rows rows."""
    for batch, nbytes in batches:
        n = batch.num_rows
        if n == 0:
            if nbytes:
                yield {}, nbytes
            continue
        cols = {name: batch.column(name) for name in names}
        for lo in range(0, n, chunk_rows):
            m = min(chunk_rows, n - lo)
            part = {k: _arrow_to_numpy(c.slice(lo, m), k, where) for k, c in cols.items()}
            # this slice's share of the batch's bytes; the last slice takes the remainder
            share = nbytes * (lo + m) // n - nbytes * lo // n
            yield part, share


#: what a file that pyarrow cannot open is called, by format
_UNREADABLE = {"parquet": "not a Parquet file, or a corrupt or truncated one",
               "ipc": "not a readable Arrow IPC / Feather file",
               "csv": "cannot read CSV file"}
#: what a failure in the middle of a file is called, by format
_BROKEN = {"parquet": "corrupt or truncated Parquet file",
           "ipc": "corrupt or truncated Arrow IPC file",
           "csv": "cannot read CSV file"}
#: record batches decoded ahead of the one being counted, per file: the memory bound is
#: (this + 1) batches of chunk_rows rows
BATCH_READAHEAD = 2


def _read_errors() -> tuple[type[BaseException], ...]:
    return (*_arrow_errors(), OSError)


def _read_failure(where: str, exc: BaseException, what: str) -> Exception:
    """A failed open or read as one line: the store's refusal or failure as such, anything
    else as ``what`` (a file that is not of its format, or is corrupt)."""
    return _remote_failure(where, exc) or ValueError(f"{where}: {what} ({_one_line(exc)})")


def _file_format(fmt: str, chunk_rows: int, ncols: int) -> Any:
    import pyarrow.csv as pcsv
    import pyarrow.dataset as ds

    if fmt == "parquet":
        return ds.ParquetFileFormat()
    if fmt == "ipc":
        return ds.IpcFileFormat()
    # blocks of roughly chunk_rows rows of a few columns (pyarrow's default is 1 MiB)
    block = int(min(max(chunk_rows * 8 * ncols, 1 << 20), 1 << 26))
    return ds.CsvFileFormat(read_options=pcsv.ReadOptions(block_size=block))


def _partition_expression(source: Source) -> Any:
    """``key == value and ...`` for the hive partition folders of the file."""
    import pyarrow as pa
    import pyarrow.compute as pc

    expr = pc.scalar(True)
    for key, value in source.partition:
        typ = source.partition_schema.field(key).type
        expr = expr & (pc.field(key) == pa.scalar(value, typ))
    return expr


def fragment(source: Source, chunk_rows: int = 1 << 20, ncols: int = 2) -> Any:
    """The ``pyarrow.dataset`` fragment of a Parquet, Arrow IPC or CSV source."""
    fmt = _file_format(source.format, chunk_rows, ncols)
    return fmt.make_fragment(source.fs_path(source.paths[0]), filesystem=source.fs,
                             partition_expression=_partition_expression(source))


def dataset_schema(source: Source, frag: Any) -> Any:
    """The file's columns, then its partition columns."""
    import pyarrow as pa

    physical = frag.physical_schema
    fields = list(physical)
    if source.partition_schema is not None:
        fields += [f for f in source.partition_schema if f.name not in physical.names]
    return pa.schema(fields)


def _open_fragment(source: Source, chunk_rows: int, ncols: int) -> tuple[Any, Any]:
    """(fragment, schema), or ValueError naming the file."""
    frag = fragment(source, chunk_rows, ncols)
    try:
        return frag, dataset_schema(source, frag)
    except _read_errors() as exc:
        raise _read_failure(source.name, exc, _UNREADABLE[source.format]) from None


def _dataset_batches(source: Source, names: Sequence[str],
                     chunk_rows: int) -> Iterator[tuple[Any, int]]:
    """A Parquet, Arrow IPC or CSV file read by ``pyarrow.dataset``: its partition columns
    filled in, the source's ``filter`` pushed down (row groups whose statistics cannot match
    are not read)."""
    import pyarrow.dataset as ds

    where = source.name
    if source.format == "ipc" and source.filter is None:
        try:
            frag, schema = _open_fragment(source, chunk_rows, len(names))
        except ValueError:  # not the IPC file format: maybe the IPC stream format
            yield from _ipc_stream_batches(source, names)
            return
    else:
        frag, schema = _open_fragment(source, chunk_rows, len(names))
    _check_names(where, names, schema.names)
    size = source.nbytes
    total = None
    broken: tuple[type[BaseException], ...] = (*_arrow_errors(), OSError)
    if source.format == "parquet":
        try:
            frag.ensure_complete_metadata()
            total = frag.metadata.num_rows
        except broken as exc:
            raise _read_failure(where, exc, _BROKEN["parquet"]) from None
    scanner = ds.Scanner.from_fragment(
        frag, schema=schema, columns=list(names), filter=source.filter, batch_size=chunk_rows,
        batch_readahead=BATCH_READAHEAD, use_threads=True)
    batches = scanner.to_batches()
    rows = done = 0
    while True:
        try:
            batch = next(batches)
        except StopIteration:
            break
        except broken as exc:
            raise _read_failure(where, exc, _BROKEN[source.format]) from None
        rows += batch.num_rows
        if total and source.filter is None:
            pos = size * min(rows, total) // total
            yield batch, pos - done
            done = pos
        else:
            yield batch, 0
    if total is not None and source.filter is None and rows != total:
        raise ValueError(f"{where}: corrupt Parquet file (read {rows} of {total} rows)")
    if done < size:
        yield _empty_batch(), size - done


def _empty_batch() -> Any:
    import pyarrow as pa

    return pa.RecordBatch.from_pydict({})


def _ipc_stream_batches(source: Source, names: Sequence[str]) -> Iterator[tuple[Any, int]]:
    """A file in the Arrow IPC stream format (``.arrows``), which pyarrow.dataset does not
    read: batch by batch from its filesystem."""
    import pyarrow.ipc as ipc

    where = source.name
    size = source.nbytes
    with source.fs.open_input_file(source.fs_path(source.paths[0])) as f:
        try:
            reader = ipc.open_stream(f)
        except _read_errors() as exc:
            raise _read_failure(where, exc, _UNREADABLE["ipc"]) from None
        _check_names(where, names, reader.schema.names)
        done = 0
        try:
            for batch in reader:
                pos = min(f.tell(), size)
                yield batch.select(list(names)), pos - done
                done = pos
        except _read_errors() as exc:
            raise _read_failure(where, exc, _BROKEN["ipc"]) from None
        if done < size:
            yield _empty_batch(), size - done


def with_where(sources: list[Source], where: str) -> list[Source]:
    """The sources that can hold rows matching ``where``, each carrying it as its filter.

    Partitions that cannot match are left out by ``pyarrow.dataset`` from their partition
    values alone, before any of their bytes is read.
    """
    import pyarrow.dataset as ds

    for s in sources:
        if s.format not in DATASET_FORMATS or (s.format == "ipc" and _is_stream(s)):
            raise ValueError(f"{s.name}: where= reads Parquet, Arrow IPC files and CSV "
                             f"datasets; this source is {s.format}")
    if not sources:
        return sources
    first, schema = _open_fragment(sources[0], 1 << 20, 2)
    expr = parse_where(where, schema)
    keep = []
    by_kind: dict[tuple[str, int], list[Source]] = {}
    for s in sources:
        by_kind.setdefault((s.format, id(s.filesystem)), []).append(s)
    for group in by_kind.values():
        frags = [fragment(s) for s in group]
        dataset = ds.FileSystemDataset(frags, schema, frags[0].format, group[0].fs)
        wanted = {f.path for f in dataset.get_fragments(filter=expr)}
        keep += [s for s in group if s.fs_path(s.paths[0]) in wanted]
    kept = {id(s) for s in keep}
    return [dataclasses.replace(s, filter=expr) for s in sources if id(s) in kept]


def _is_stream(source: Source) -> bool:
    return str(source.paths[0]).lower().endswith(".arrows")
