"""Arrow readers (Parquet, IPC, CSV): record batches -> NumPy columns."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Sequence
from typing import Any, NamedTuple

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
#: record batches decoded ahead of the one being counted, per file, and files decoded at
#: once: pyarrow's scanner holds at most FRAGMENT_READAHEAD * (BATCH_READAHEAD + 1)
#: batches of at most chunk_rows rows (a Parquet row group is decoded whole)
BATCH_READAHEAD = 2
FRAGMENT_READAHEAD = 2
#: Parquet: one coalesced read of the column chunks of a row group (pyarrow's default)
PRE_BUFFER = True
#: files read by one scanner at most (the readahead starts over between two windows)
SCAN_WINDOW = 64


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


def _inspect(source: Source, chunk_rows: int, ncols: int) -> tuple[Any, Any, int | None]:
    """(fragment, schema, Parquet row count) of a file, its footer read; ValueError (or the
    store's refusal) naming the file."""
    frag, schema = _open_fragment(source, chunk_rows, ncols)
    total = None
    if source.format == "parquet":
        try:
            frag.ensure_complete_metadata()
            total = frag.metadata.num_rows
        except _read_errors() as exc:
            raise _read_failure(source.name, exc, _BROKEN["parquet"]) from None
    return frag, schema, total


class _Member(NamedTuple):
    """A file of a scan window: its source, fragment and (Parquet) row count."""

    source: Source
    fragment: Any
    total: int | None


def scan_sources(sources: Sequence[Source], names: Sequence[str], chunk_rows: int,
                 ) -> Iterator[tuple[Source, Iterator[tuple[Any, int]]]]:
    """Each Parquet, Arrow IPC or CSV source with an iterator over its ``(record batch,
    nbytes)`` pairs, in order; consume each iterator before taking the next source.

    Consecutive files of one format, schema, filesystem and ``where`` filter are read by
    one ``pyarrow.dataset`` scanner (:func:`scan_options`: up to ``FRAGMENT_READAHEAD``
    files decoded at once), in windows of up to ``SCAN_WINDOW`` files; partition columns
    are filled in and the filter is pushed down. A file that differs from the one before
    starts a window of its own, so each file is checked (columns, schema) and named in
    errors as if it were read alone. Files in the IPC stream format are read batch by
    batch.
    """
    i = 0
    while i < len(sources):
        first = sources[i]
        try:
            frag, schema, total = _inspect(first, chunk_rows, len(names))
        except ValueError:
            if first.format != "ipc":
                raise
            # not the IPC file format: the stream format (or an error naming the file)
            yield first, _ipc_stream_batches(first, names)
            i += 1
            continue
        _check_names(first.name, names, schema.names)
        window = [_Member(first, frag, total)]
        paths = {frag.path}
        while len(window) < SCAN_WINDOW and i + len(window) < len(sources):
            other = sources[i + len(window)]
            if other.format != first.format or other.filesystem is not first.filesystem \
                    or other.filter is not first.filter:
                break
            try:
                frag, other_schema, total = _inspect(other, chunk_rows, len(names))
            except (ValueError, OSError):
                break  # its own window raises the error, once the files before are read
            if not other_schema.equals(schema) or frag.path in paths:
                break
            window.append(_Member(other, frag, total))
            paths.add(frag.path)
        scan = _WindowScan(window, schema, names, chunk_rows)
        for k, member in enumerate(window):
            yield member.source, scan.batches(k)
        i += len(window)


def scan_options(fmt: str, chunk_rows: int) -> dict[str, Any]:
    """The options of every ``pyarrow.dataset`` scan fastf1 makes, as keywords of
    ``Dataset.scanner`` (and ``Dataset.to_batches``): the benchmarks give a bare read the
    very same."""
    import pyarrow.dataset as ds

    options: dict[str, Any] = dict(batch_size=chunk_rows, batch_readahead=BATCH_READAHEAD,
                                   fragment_readahead=FRAGMENT_READAHEAD, use_threads=True)
    if fmt == "parquet":
        options["fragment_scan_options"] = ds.ParquetFragmentScanOptions(pre_buffer=PRE_BUFFER)
    return options


class _WindowScan:
    """One scanner over the files of a window, handed out file by file.

    ``scan_batches`` tags every batch with its fragment, in file order; a batch of a later
    file ends the current file's batches and is held for that file. Files without a batch
    (nothing matched the filter) get just their bytes.
    """

    def __init__(self, window: list[_Member], schema: Any, names: Sequence[str],
                 chunk_rows: int) -> None:
        import pyarrow.dataset as ds

        self.window, self.names, self.chunk_rows = window, list(names), chunk_rows
        first = window[0].source
        frags = [m.fragment for m in window]
        dataset = ds.FileSystemDataset(frags, schema, frags[0].format, first.fs)
        self.scanner = dataset.scanner(columns=self.names, filter=first.filter,
                                       **scan_options(first.format, chunk_rows))
        self.tagged: Any = None
        self.position = {f.path: k for k, f in enumerate(frags)}
        self.held: tuple[int, Any] | None = None

    def _next(self, k: int) -> tuple[int, Any] | None:
        if self.held is not None:
            item, self.held = self.held, None
            return item
        if self.tagged is None:  # the scan starts with the first batch asked for
            self.tagged = self.scanner.scan_batches()
        try:
            tagged = next(self.tagged)
        except StopIteration:
            return None
        except _read_errors() as exc:
            raise self._failure(k, exc) from None
        return self.position[tagged.fragment.path], tagged.record_batch

    def _failure(self, k: int, exc: BaseException) -> Exception:
        """The error of file ``k`` or of one read ahead of it: each of those is read
        alone until one fails, so that the error names the right file."""
        import pyarrow.dataset as ds

        for member in self.window[k:k + FRAGMENT_READAHEAD + 1]:
            source = member.source
            scanner = ds.Scanner.from_fragment(
                member.fragment, schema=self.scanner.dataset_schema, columns=self.names,
                filter=source.filter, batch_size=self.chunk_rows, use_threads=False)
            try:
                for _ in scanner.to_batches():
                    pass
            except _read_errors() as alone:
                return _read_failure(source.name, alone, _BROKEN[source.format])
        return _read_failure(self.window[k].source.name, exc, _BROKEN[self.window[k].source.format])

    def batches(self, k: int) -> Iterator[tuple[Any, int]]:
        """File ``k``'s batches with their shares of its bytes."""
        source, _, total = self.window[k]
        size = source.nbytes
        rows = done = 0
        while True:
            item = self._next(k)
            if item is None:
                break
            j, batch = item
            if j != k:
                if j < k:  # pragma: no cover - scan_batches keeps file order
                    raise RuntimeError(f"{source.name}: pyarrow returned the files out of order")
                self.held = item
                break
            rows += batch.num_rows
            if total and source.filter is None:
                pos = size * min(rows, total) // total
                yield batch, pos - done
                done = pos
            else:
                yield batch, 0
        if total is not None and source.filter is None and rows != total:
            raise ValueError(f"{source.name}: corrupt Parquet file (read {rows} of {total} rows)")
        if done < size:
            yield _empty_batch(), size - done


def _empty_batch() -> Any:
    import pyarrow as pa

    return pa.RecordBatch.from_pydict({})


def _ipc_stream_batches(source: Source, names: Sequence[str]) -> Iterator[tuple[Any, int]]:
    """A file in the Arrow IPC stream format (``.arrows``), which pyarrow.dataset does not
    read: batch by batch from its filesystem, its partition columns filled in and the
    source's ``filter`` applied to each batch (there are no statistics to skip by)."""
    import pyarrow.ipc as ipc

    where = source.name
    size = source.nbytes
    with source.fs.open_input_file(source.fs_path(source.paths[0])) as f:
        try:
            reader = ipc.open_stream(f)
        except _read_errors() as exc:
            raise _read_failure(where, exc, _UNREADABLE["ipc"]) from None
        _check_names(where, names, _with_partitions(reader.schema, source).names)
        done = 0
        try:
            for batch in reader:
                pos = min(f.tell(), size)
                batch = _add_partitions(batch, source)
                if source.filter is not None:
                    batch = batch.filter(source.filter)
                yield batch.select(list(names)), pos - done
                done = pos
        except _read_errors() as exc:
            raise _read_failure(where, exc, _BROKEN["ipc"]) from None
        if done < size:
            yield _empty_batch(), size - done


def _with_partitions(schema: Any, source: Source) -> Any:
    """The file's columns, then its partition columns (as ``dataset_schema``)."""
    import pyarrow as pa

    if source.partition_schema is None:
        return schema
    return pa.schema([*schema, *(f for f in source.partition_schema
                                 if f.name not in schema.names)])


def _add_partitions(batch: Any, source: Source) -> Any:
    """The batch with its file's partition values as columns."""
    import pyarrow as pa

    for key, value in source.partition:
        if key not in batch.schema.names:
            typ = source.partition_schema.field(key).type
            batch = batch.append_column(key, pa.repeat(pa.scalar(value, typ), batch.num_rows))
    return batch


def _schema_of(source: Source) -> Any:
    """The columns of a Parquet, Arrow IPC (file or stream) or CSV source."""
    import pyarrow.ipc as ipc

    try:
        return _open_fragment(source, 1 << 20, 2)[1]
    except ValueError:
        if source.format != "ipc":
            raise
    with source.fs.open_input_file(source.fs_path(source.paths[0])) as f:
        try:
            return _with_partitions(ipc.open_stream(f).schema, source)
        except _read_errors() as exc:
            raise _read_failure(source.name, exc, _UNREADABLE["ipc"]) from None


def with_where(sources: list[Source], where: str) -> list[Source]:
    """The sources that can hold rows matching ``where``, each carrying it as its filter.

    Partitions that cannot match are left out by ``pyarrow.dataset`` from their partition
    values alone, before any of their bytes is read. ``.npy`` and ``.npz`` tables are
    refused: they are not read through ``pyarrow``.
    """
    import pyarrow.dataset as ds

    for s in sources:
        if s.format not in DATASET_FORMATS:
            raise ValueError(f"{s.name}: where= filters Parquet, Arrow IPC and CSV files, "
                             f"not .{s.format} arrays (write them as Parquet or Arrow to "
                             "filter them)")
    if not sources:
        return sources
    schema = _schema_of(sources[0])
    expr = parse_where(where, schema)
    keep = []
    by_kind: dict[tuple[str, int], list[Source]] = {}
    for s in sources:
        by_kind.setdefault((s.format, id(s.filesystem)), []).append(s)
    for group in by_kind.values():
        # fragments only name the files and their partitions: none is opened here
        frags = [fragment(s) for s in group]
        dataset = ds.FileSystemDataset(frags, schema, frags[0].format, group[0].fs)
        wanted = {f.path for f in dataset.get_fragments(filter=expr)}
        keep += [s for s in group if s.fs_path(s.paths[0]) in wanted]
    kept = {id(s) for s in keep}
    return [dataclasses.replace(s, filter=expr) for s in sources if id(s) in kept]
