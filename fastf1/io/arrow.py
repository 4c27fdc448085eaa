"""Arrow readers (Parquet, IPC, CSV): record batches -> NumPy columns."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ._errors import _arrow_errors, _check_names, _one_line
from .sources import _COMPRESSED_CSV


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


def _parquet_batches(path: Path, names: Sequence[str], chunk_rows: int,
                     ) -> Iterator[tuple[Any, int]]:
    import pyarrow.parquet as pq

    where = str(path)
    try:
        pf = pq.ParquetFile(path)
    except _arrow_errors() as exc:
        raise ValueError(
            f"{where}: not a Parquet file, or a corrupt or truncated one ({_one_line(exc)})"
        ) from None
    with pf:
        _check_names(where, names, pf.schema_arrow.names)
        total_rows, size = pf.metadata.num_rows, path.stat().st_size
        rows = done = 0
        broken: tuple[type[BaseException], ...] = (*_arrow_errors(), OSError)
        batches = pf.iter_batches(batch_size=chunk_rows, columns=list(names), use_threads=True)
        while True:
            try:
                batch = next(batches)
            except StopIteration:
                break
            except broken as exc:
                raise ValueError(
                    f"{where}: corrupt or truncated Parquet file ({_one_line(exc)})") from None
            rows += batch.num_rows
            pos = size * rows // max(total_rows, 1)
            yield batch, pos - done
            done = pos
        if rows != total_rows:
            raise ValueError(f"{where}: corrupt Parquet file (read {rows} of {total_rows} rows)")
        if done < size:
            yield _empty_batch(), size - done


def _empty_batch() -> Any:
    import pyarrow as pa

    return pa.RecordBatch.from_pydict({})


def _ipc_batches(path: Path, names: Sequence[str], chunk_rows: int) -> Iterator[tuple[Any, int]]:
    import pyarrow as pa
    import pyarrow.ipc as ipc

    where = str(path)
    size = path.stat().st_size
    # plain reads, not a memory map: mapped pages would count as this process's memory and
    # grow with the file; read batches are freed as the reading moves on
    with pa.OSFile(str(path)) as mm:
        try:
            reader = ipc.open_file(mm)
            stream = False
        except _arrow_errors():
            try:
                mm.seek(0)
                reader = ipc.open_stream(mm)
                stream = True
            except _arrow_errors() as exc:
                raise ValueError(
                    f"{where}: not a readable Arrow IPC / Feather file ({_one_line(exc)})") from None
        _check_names(where, names, reader.schema.names)
        done = 0
        try:
            if stream:
                for batch in reader:
                    pos = mm.tell()
                    yield batch.select(list(names)), pos - done
                    done = pos
            else:
                nb = reader.num_record_batches
                for i in range(nb):
                    batch = reader.get_batch(i).select(list(names))
                    pos = size * (i + 1) // nb
                    yield batch, pos - done
                    done = pos
        except _arrow_errors() as exc:
            raise ValueError(
                f"{where}: corrupt or truncated Arrow IPC file ({_one_line(exc)})") from None
        if done < size:
            yield _empty_batch(), size - done


def _csv_batches(path: Path, names: Sequence[str], chunk_rows: int) -> Iterator[tuple[Any, int]]:
    import pyarrow as pa
    import pyarrow.csv as pcsv

    where = str(path)
    size = path.stat().st_size
    # blocks of roughly chunk_rows rows of a few columns (pyarrow's default is 1 MiB)
    block = int(min(max(chunk_rows * 8 * len(names), 1 << 20), 1 << 26))
    raw = pa.OSFile(str(path))
    comp = _COMPRESSED_CSV.get(path.suffix.lower())
    with raw:
        stream = pa.CompressedInputStream(raw, comp) if comp is not None else raw
        try:
            reader = pcsv.open_csv(
                stream, read_options=pcsv.ReadOptions(block_size=block),
                convert_options=pcsv.ConvertOptions(include_columns=list(names)))
        except pa.ArrowKeyError:  # a requested column is not in the header
            with pa.OSFile(str(path)) as again:
                s2 = pa.CompressedInputStream(again, comp) if comp is not None else again
                header = pcsv.open_csv(s2, read_options=pcsv.ReadOptions(block_size=1 << 16))
                _check_names(where, names, header.schema.names)
            raise  # pragma: no cover - the check above raises
        except _arrow_errors() as exc:
            raise ValueError(f"{where}: cannot read CSV file ({_one_line(exc)})") from None
        done = 0
        while True:
            try:
                batch = reader.read_next_batch()
            except StopIteration:
                break
            except _arrow_errors() as exc:
                raise ValueError(f"{where}: {_one_line(exc)}") from None
            pos = min(raw.tell(), size)
            yield batch, pos - done
            done = pos
        if done < size:
            yield _empty_batch(), size - done
