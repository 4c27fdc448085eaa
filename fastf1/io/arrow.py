"""Arrow readers (Parquet, IPC, CSV): record batches -> NumPy columns."""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import numpy as np

from .._validation import DictionaryLabels
from ._errors import _arrow_errors, _check_names, _one_line, _remote_failure
from .sources import DATASET_FORMATS, Source
from .where import parse_where


def _arrow_to_numpy(arr: Any, name: str, where: str) -> np.ndarray:
    """One Arrow column as NumPy: zero-copy for numbers, (n, K) for list columns."""
    import pyarrow as pa

    typ = arr.type
    if pa.types.is_dictionary(typ):
        if not _is_string_view(typ.value_type):
            arr = arr.dictionary_decode()
        else:  # pyarrow has no take of string_view: the entries as large strings first
            arr = pa.DictionaryArray.from_arrays(
                arr.indices, arr.dictionary.cast(pa.large_string())).dictionary_decode()
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
              or _is_string(typ)):
        raise TypeError(f"{where}: column {name!r} has type {typ}; expected numbers or strings")
    out = np.asarray(arr.to_numpy(zero_copy_only=False))
    return out.astype(str) if out.dtype.kind == "O" else out


def _label_column(arr: Any, name: str, where: str) -> Any:
    """A label column: a dictionary of strings without nulls as :class:`DictionaryLabels`
    (counted without gathering its values), anything else as :func:`_arrow_to_numpy`
    makes it (a dictionary decoded: a null, in the indices or in an entry some row uses,
    is the same error)."""
    import pyarrow as pa

    typ = arr.type
    if (pa.types.is_dictionary(typ) and _is_string(typ.value_type) and not arr.null_count
            and not arr.dictionary.null_count):
        indices = np.asarray(arr.indices.to_numpy())
        return DictionaryLabels(indices.astype(np.int32, copy=False),
                                np.asarray(arr.dictionary.to_numpy(zero_copy_only=False)))
    return _arrow_to_numpy(arr, name, where)


def _is_string(typ: Any) -> bool:
    import pyarrow as pa

    return pa.types.is_string(typ) or pa.types.is_large_string(typ) or _is_string_view(typ)


def _is_string_view(typ: Any) -> bool:
    """An Arrow ``string_view`` (pyarrow versions before it have none)."""
    import pyarrow as pa

    return bool(getattr(pa.types, "is_string_view", lambda t: False)(typ))


def _rechunk(batches: Iterator[tuple[Any, int]], chunk_rows: int, names: Sequence[str],
             where: str, dictionaries: Sequence[str] = ()) -> Iterator[tuple[dict[str, Any], int]]:
    """Record batches (with their bytes) -> NumPy column dicts of at most chunk_rows rows;
    the columns named in ``dictionaries`` as :func:`_label_column` makes them."""
    for batch, nbytes in batches:
        n = batch.num_rows
        if n == 0:
            if nbytes:
                yield {}, nbytes
            continue
        cols = {name: batch.column(name) for name in names}
        for lo in range(0, n, chunk_rows):
            m = min(chunk_rows, n - lo)
            part = {k: (_label_column if k in dictionaries else _arrow_to_numpy)(
                        c if m == n else c.slice(lo, m), k, where) for k, c in cols.items()}
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
#: record batches a file's scanner decodes ahead of the one taken, and files read at once
#: (the one being counted and those ahead of it): memory holds a few batches of at most
#: chunk_rows rows per file read (a Parquet row group is decoded whole)
BATCH_READAHEAD = 2
FRAGMENT_READAHEAD = 2
#: Parquet: one coalesced read of the column chunks of a row group (pyarrow's default)
PRE_BUFFER = True


def _read_errors() -> tuple[type[BaseException], ...]:
    return (*_arrow_errors(), OSError)


def _read_failure(where: str, exc: BaseException, what: str) -> Exception:
    """A failed open or read as one line: the store's refusal or failure as such, anything
    else as ``what`` (a file that is not of its format, or is corrupt)."""
    return _remote_failure(where, exc) or ValueError(f"{where}: {what} ({_one_line(exc)})")


def _file_format(fmt: str, chunk_rows: int, ncols: int,
                 dictionaries: Sequence[str] = ()) -> Any:
    import pyarrow.csv as pcsv
    import pyarrow.dataset as ds

    if fmt == "parquet":
        if dictionaries:
            return ds.ParquetFileFormat(
                read_options=ds.ParquetReadOptions(dictionary_columns=list(dictionaries)))
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


def fragment(source: Source, chunk_rows: int = 1 << 20, ncols: int = 2,
             dictionaries: Sequence[str] = ()) -> Any:
    """The ``pyarrow.dataset`` fragment of a Parquet, Arrow IPC or CSV source (Parquet:
    the columns in ``dictionaries`` read as dictionaries)."""
    fmt = _file_format(source.format, chunk_rows, ncols, dictionaries)
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


def dataset_batches(source: Source, names: Sequence[str], chunk_rows: int,
                    dictionaries: Sequence[str] = ()) -> Iterator[tuple[Any, int]]:
    """A Parquet, Arrow IPC or CSV file read by ``pyarrow.dataset`` with
    :func:`scan_options`: its ``(record batch, nbytes)`` pairs, its partition columns filled
    in, the source's ``filter`` pushed down (row groups whose statistics cannot match are
    not read). A file in the IPC stream format is read batch by batch, and a local Parquet
    file without a filter by its own batch reader (:func:`_parquet_batches`).

    One scanner per file, on purpose: a ``Dataset`` scanner over many files decodes ahead
    without bound when batches are taken more slowly than it decodes them (as counting
    takes them), where a file's own scanner stops ``BATCH_READAHEAD`` batches ahead. Files
    are read ahead of the one being counted by ``fastf1.io.chunks.read_ahead``.

    Parquet columns named in ``dictionaries`` that :func:`dictionary_columns` finds
    dictionary-encoded are read as dictionaries, in batches of the same rows as values.
    """
    import pyarrow.dataset as ds

    if source.format == "parquet" and source.filter is None and source.filesystem is None:
        yield from _parquet_batches(source, names, chunk_rows, dictionaries)
        return
    if source.filter is None:
        # only the partitions of columns read, as Parquet's own reader: a scan would cast
        # the others' values to the file's columns, and refuse one that does not fit
        source = dataclasses.replace(source, partition=tuple(
            (key, value) for key, value in source.partition if key in names))
    where = source.name
    try:
        frag, schema = _open_fragment(source, chunk_rows, len(names))
    except ValueError:
        if source.format != "ipc":
            raise
        # not the IPC file format: the stream format (or an error naming the file)
        yield from _ipc_stream_batches(source, names)
        return
    _check_names(where, names, schema.names)
    _partition_values(source, schema)  # the scan casts them to the file's types: checked
    total = None
    if source.format == "parquet":
        try:
            frag.ensure_complete_metadata()
            total = frag.metadata.num_rows
            coded = dictionary_columns(frag.metadata, frag.physical_schema, dictionaries)
            if coded:  # a scan's batches never span row groups: the same as values
                frag = fragment(source, chunk_rows, len(names), coded)
                schema = dataset_schema(source, frag)
        except _read_errors() as exc:
            raise _read_failure(where, exc, _BROKEN["parquet"]) from None
    options = scan_options(source.format, chunk_rows)
    del options["fragment_readahead"]  # one file: files are read ahead by read_ahead
    with _where_errors(source):  # the filter is bound to the file's types here
        scanner = ds.Scanner.from_fragment(frag, schema=schema, columns=list(names),
                                           filter=source.filter, **options)
    yield from _with_bytes(scanner.to_batches(), source, total)


def _with_bytes(batches: Iterator[Any], source: Source, total: int | None,
                fill: Callable[[Any], Any] | None = None) -> Iterator[tuple[Any, int]]:
    """A file's record batches (each passed through ``fill``) with the bytes each stands
    for: its share of the file by rows when a Parquet file's ``total`` rows are known and
    none is filtered out, else nothing until the rest at the end. A read that fails is one
    line naming the file; a Parquet file that gave other than its ``total`` rows is corrupt."""
    where, size = source.name, source.nbytes
    exact = total is not None and source.filter is None
    rows = done = 0
    while True:
        try:
            batch = next(batches)
        except StopIteration:
            break
        except _read_errors() as exc:
            raise _read_failure(where, exc, _BROKEN[source.format]) from None
        rows += batch.num_rows
        if fill is not None:
            batch = fill(batch)
        if exact and total:
            pos = size * min(rows, total) // total
            yield batch, pos - done
            done = pos
        else:
            yield batch, 0
    if exact and rows != total:
        raise ValueError(f"{where}: corrupt Parquet file (read {rows} of {total} rows)")
    if done < size:
        yield _empty_batch(), size - done


def _parquet_batches(source: Source, names: Sequence[str], chunk_rows: int,
                     dictionaries: Sequence[str] = ()) -> Iterator[tuple[Any, int]]:
    """A local Parquet file without a filter, read by ``pyarrow.parquet.ParquetFile``: its
    ``(record batch, nbytes)`` pairs, its partition columns filled in.

    With no filter to push down, the file's own batch reader decodes the same bytes as a
    ``pyarrow.dataset`` scan of it for less CPU (no scanner per file, no hand-off between
    pyarrow's I/O and CPU threads); its columns are decoded on pyarrow's threads and
    ``read_ahead``'s threads read the next files meanwhile. Each column chunk is read as
    the batches reach it: ``pre_buffer`` would keep every row group read so far of the
    file in memory until its end, where a scan drops each one once decoded.

    Columns of ``dictionaries`` that :func:`dictionary_columns` finds dictionary-encoded
    are read as dictionaries: the reader then ends a batch at every row group's end (a
    batch holds one dictionary), and :func:`_rebatch` joins them into the batches it
    gives values in, so that the chunks (and the counts' float sums) are the same.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    where = source.name
    try:
        f = source.fs.open_input_file(source.fs_path(source.paths[0]))
    except _read_errors() as exc:
        raise _read_failure(where, exc, _UNREADABLE["parquet"]) from None
    with f:
        try:
            pf = pq.ParquetFile(f, pre_buffer=False)
            physical = pf.schema_arrow
            total = pf.metadata.num_rows
            coded = dictionary_columns(pf.metadata, physical, dictionaries)
            if coded:
                pf = pq.ParquetFile(f, pre_buffer=False, metadata=pf.metadata,
                                    read_dictionary=coded)
        except _read_errors() as exc:
            raise _read_failure(where, exc, _UNREADABLE["parquet"]) from None
        _check_names(where, names, _with_partitions(physical, source).names)
        # a partition column is its folder's value, even where the file holds a column of
        # that name (as a dataset scan fills it in from the partition expression)
        keys = {key for key, _ in source.partition}
        stored = [n for n in names if n not in keys]
        batches = pf.iter_batches(batch_size=chunk_rows, columns=stored, use_threads=True)
        if coded and not any(pa.types.is_dictionary(physical.field(n).type) for n in stored):
            # (a column stored as a dictionary makes the reader end batches at row group
            # ends either way)
            batches = _rebatch(batches, chunk_rows)
        fill = None
        if len(stored) < len(names):
            def fill(batch: Any) -> Any:
                return _add_partitions(batch, source, physical).select(list(names))
        yield from _with_bytes(batches, source, total, fill)


#: the largest dictionary page (bytes, with its header) of a column chunk read as a
#: dictionary: a writer falls back to PLAIN pages only once the dictionary outgrows its
#: limit (1 MiB for pyarrow and parquet-mr), and pyarrow would then build the dictionary
#: of those pages by hashing every value; a label column's dictionary is far smaller
DICTIONARY_PAGE_MAX = 1 << 16


def dictionary_columns(metadata: Any, physical: Any, names: Sequence[str]) -> list[str]:
    """The columns of ``names`` to read from a Parquet file as dictionaries: strings
    (``physical``: the file's Arrow schema) whose every column chunk starts with a
    dictionary page small enough that no page can have fallen back to PLAIN. Anything
    else (numbers, which pyarrow reads only as values; no dictionary; a large one) is
    read as values."""
    wanted = []
    for name in dict.fromkeys(names):
        if name not in physical.names:  # a partition column
            continue
        typ = physical.field(name).type
        if _is_string(getattr(typ, "value_type", typ)):  # a dictionary's, or its own
            wanted.append(name)
    if not wanted or metadata.num_row_groups == 0:
        return wanted
    first = metadata.row_group(0)
    index = {first.column(j).path_in_schema: j for j in range(first.num_columns)}
    return [name for name in wanted if name in index and all(
        _small_dictionary(metadata.row_group(i).column(index[name]))
        for i in range(metadata.num_row_groups))]


def _small_dictionary(chunk: Any) -> bool:
    start, data = chunk.dictionary_page_offset, chunk.data_page_offset
    return (bool(chunk.has_dictionary_page) and bool(start) and data is not None
            and 0 < data - start <= DICTIONARY_PAGE_MAX)


def _rebatch(batches: Iterator[Any], chunk_rows: int) -> Iterator[Any]:
    """Record batches joined and cut into batches of ``chunk_rows`` rows (the last one
    shorter), their dictionaries unified where two meet: the batches a file's reader gives
    values in, from those it gives dictionaries in (ended at every row group's end)."""
    import pyarrow as pa

    held: list[Any] = []
    rows = 0
    for batch in batches:
        if not held and batch.num_rows == chunk_rows:
            yield batch
            continue
        held.append(batch)
        rows += batch.num_rows
        while rows >= chunk_rows:
            table = pa.Table.from_batches(held)
            yield _one_batch(table.slice(0, chunk_rows))
            held = [b for b in table.slice(chunk_rows).to_batches() if b.num_rows]
            rows -= chunk_rows
    if rows:
        yield _one_batch(pa.Table.from_batches(held))


def _one_batch(table: Any) -> Any:
    """The rows of a table as one record batch (dictionaries unified)."""
    return table.unify_dictionaries().combine_chunks().to_batches()[0]


def scan_options(fmt: str, chunk_rows: int) -> dict[str, Any]:
    """The options of fastf1's ``pyarrow.dataset`` scans, as keywords of
    ``Dataset.scanner`` (and ``Dataset.to_batches``): the benchmarks give a bare read the
    very same. ``fragment_readahead`` is the number of files ``read_ahead`` reads at once."""
    import pyarrow.dataset as ds

    options: dict[str, Any] = dict(batch_size=chunk_rows, batch_readahead=BATCH_READAHEAD,
                                   fragment_readahead=FRAGMENT_READAHEAD, use_threads=True)
    if fmt == "parquet":
        options["fragment_scan_options"] = ds.ParquetFragmentScanOptions(pre_buffer=PRE_BUFFER)
    return options


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
        physical = reader.schema
        _check_names(where, names, _with_partitions(physical, source).names)
        # a partition column is its folder's value, of the file's type, even where the file
        # holds a column of that name: as a dataset scan fills it in (and filters on it)
        keys = {key for key, _ in source.partition}
        stored = [n for n in physical.names if n not in keys]
        done = 0
        try:
            for batch in reader:
                pos = min(f.tell(), size)
                if len(stored) < len(physical.names):
                    batch = batch.select(stored)
                batch = _add_partitions(batch, source, physical)
                if source.filter is not None:
                    with _where_errors(source):
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


def _add_partitions(batch: Any, source: Source, physical: Any = None) -> Any:
    """The batch with its file's partition values as columns (``_partition_values`` of
    ``physical``, the file's schema)."""
    import pyarrow as pa

    for key, scalar in _partition_values(source, physical):
        if key not in batch.schema.names:
            batch = batch.append_column(key, pa.repeat(scalar, batch.num_rows))
    return batch


def _partition_values(source: Source, schema: Any,
                      schema_of: str | None = None) -> list[tuple[str, Any]]:
    """The file's partition values as pyarrow scalars: of the type of ``schema``'s column
    of that name where it has one (the file's own column, as a dataset scan fills them
    in), else of the partition's type.

    The one rule of every reading path and of where=: a value that does not fit that type
    (300 for an int8 column, ``abc`` for an integer one) is an error naming the file,
    raised here before pyarrow casts it. ``schema_of``: the file ``schema`` was read
    from, where it is not this one (where= reads the columns of the first file)."""
    import pyarrow as pa

    out = []
    for key, value in source.partition:
        scalar = pa.scalar(value, source.partition_schema.field(key).type)
        if schema is not None and key in schema.names:
            typ = schema.field(key).type
            try:
                scalar = scalar.cast(typ)
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError):
                whose = ("the file's column" if schema_of in (None, source.name)
                         else f"the column (as in {schema_of}, read for where=)")
                raise ValueError(f"{source.name}: partition {key}={value} does not fit "
                                 f"{whose} {key!r} of type {typ}") from None
        out.append((key, scalar))
    return out


@contextlib.contextmanager
def _where_errors(source: Source) -> Iterator[None]:
    """The ``where`` filter that pyarrow cannot apply to this file (a column of another
    type than in the file ``where`` was read against): one line naming the file and the
    expression, rather than a corrupt file or an error without either."""
    try:
        yield
    except _read_errors() as exc:
        raise ValueError(f"{source.name}: where {source.where!r}: {_one_line(exc)}") from None


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
    for s in sources:  # fragments' partition values are cast to the types of ``schema``
        _partition_values(s, schema, sources[0].name)
    keep = []
    by_kind: dict[tuple[str, int], list[Source]] = {}
    for s in sources:
        by_kind.setdefault((s.format, id(s.filesystem)), []).append(s)
    for group in by_kind.values():
        # fragments only name the files and their partitions: none is opened here
        frags = [fragment(s) for s in group]
        dataset = ds.FileSystemDataset(frags, schema, frags[0].format, group[0].fs)
        try:
            wanted = {f.path for f in dataset.get_fragments(filter=expr)}
        except _read_errors():
            for s, frag in zip(group, frags):  # the file it fails on, named
                with _where_errors(dataclasses.replace(s, where=where)):
                    list(ds.FileSystemDataset([frag], schema, frag.format,
                                              s.fs).get_fragments(filter=expr))
            raise
        keep += [s for s in group if s.fs_path(s.paths[0]) in wanted]
    kept = {id(s) for s in keep}
    return [dataclasses.replace(s, filter=expr, where=where) for s in sources if id(s) in kept]
