"""Score prediction dumps on disk chunk by chunk: Parquet, Arrow IPC / Feather, CSV, .npy, .npz.

Every reader speaks one protocol: it yields ``(columns, nbytes)`` pairs, where ``columns``
maps the requested column names to NumPy arrays of the same length (at most ``chunk_rows``
rows) and ``nbytes`` is how much of the file on disk the chunk stands for (for progress
bars). :func:`read_chunks` turns those into ``(y_true, y_pred, sample_weight)`` chunks and
:func:`score_files` counts them into one :class:`fastf1.StatScores`. Counts are additive, so
the result equals scikit-learn's on the concatenated rows, whatever the chunk size; memory
is bounded by the chunk size (and by a Parquet row group or an Arrow record batch, which
pyarrow decodes whole), never by the file size.

Sources
-------
A source is a file, a directory (its files of a supported type, recursively, skipping names
that start with ``.`` or ``_`` such as Spark's ``_SUCCESS``) or a glob pattern. The type
comes from the suffix (``.parquet``/``.pq``, ``.arrow``/``.feather``/``.ipc``,
``.csv`` and ``.csv.gz`` and friends, ``.npy``, ``.npz``) or from ``format=``.
Several sources are read one after the other as one data set.

``.npy`` files hold one array each: the ``.npy`` files of one directory form one table
whose column names are the file names without ``.npy`` (``dump/y_true.npy`` and
``dump/y_pred.npy`` give the columns ``y_true`` and ``y_pred``). They are memory-mapped and
sliced, never copied whole. ``.npz`` archives are tables whose columns are their arrays;
their members are streamed (compressed or not), never loaded whole.

Columns
-------
``true`` names the true labels. ``pred`` names the predictions: a column of labels, a column
of scores with ``threshold=`` (binary), or a 2-D score column (an Arrow fixed-size list or
list column, or an (n, K) array) scored by argmax; or ``pred`` is a list of K score columns,
stacked into an (n, K) matrix and scored by argmax (the class of column j is j).
A 2-D ``true`` column of 0/1 indicators gives multilabel counts.
"""

from __future__ import annotations

import glob
import mmap
import os
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from .counts import ByGroup, StatScores, _count_by_group

#: rows per chunk unless told otherwise: large enough that the per-chunk overhead (a few
#: tens of microseconds) vanishes, small enough that a chunk stays in the tens of MB
DEFAULT_CHUNK_ROWS = 1 << 20
"""Rows per chunk unless told otherwise (2**20)."""

#: compressed CSV: suffix -> pyarrow codec (the data is decompressed as it streams)
_COMPRESSED_CSV = {".gz": "gzip", ".bz2": "bz2", ".zst": "zstd", ".lz4": "lz4"}
SUFFIXES = {
    ".parquet": "parquet", ".pq": "parquet",
    ".arrow": "ipc", ".feather": "ipc", ".ipc": "ipc", ".arrows": "ipc",
    ".csv": "csv",
    ".npy": "npy",
    ".npz": "npz",
}
FORMATS = ("parquet", "ipc", "csv", "npy", "npz")
"""The values of ``format=``: Parquet, Arrow IPC / Feather, CSV, ``.npy`` and ``.npz``."""

#: seconds between two redraws of the progress bar
PROGRESS_MININTERVAL = 0.2

#: a progress callback: called with (rows, bytes) done since its last call
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Source:
    """One readable unit: a file, or the ``.npy`` files of one directory (its columns).

    Attributes
    ----------
    format : str
        One of :data:`FORMATS`.
    paths : tuple of pathlib.Path
        The file, or the ``.npy`` files of one table.
    nbytes : int
        Their size on disk, for progress bars.
    """

    format: str
    paths: tuple[Path, ...]
    nbytes: int

    @property
    def name(self) -> str:
        """The file, or the directory of an ``.npy`` table, as a string."""
        if self.format == "npy":
            return str(self.paths[0].parent) if len(self.paths) > 1 else str(self.paths[0])
        return str(self.paths[0])


class Chunk(NamedTuple):
    """Rows ``start .. start + len(y_true) - 1`` of ``source``, ready for ``StatScores.update``.

    Attributes
    ----------
    y_true : ndarray
        True labels (or 0/1 indicators) of the rows.
    y_pred : ndarray
        Predictions: labels, scores or a score matrix.
    sample_weight : ndarray or None
        Row weights, when a weight column was named.
    source : Source
        Where the rows come from.
    start : int
        The index of the first row within ``source``.
    nbytes : int
        The bytes on disk this chunk stands for (for progress bars).
    groups : ndarray or None
        The group of each row, when a group column was named.
    """

    y_true: np.ndarray
    y_pred: np.ndarray
    sample_weight: np.ndarray | None
    source: Source
    start: int
    nbytes: int
    groups: np.ndarray | None = None


@dataclass(frozen=True)
class _Columns:
    true: str
    pred: str | tuple[str, ...]
    weight: str | None
    group: str | None = None

    @property
    def names(self) -> list[str]:
        pred = [self.pred] if isinstance(self.pred, str) else list(self.pred)
        names = [self.true, *pred] + [c for c in (self.weight, self.group) if c]
        return list(dict.fromkeys(names))


# ---- finding the files --------------------------------------------------------------------


def _format_of(path: Path, format: str | None) -> str | None:
    if format is not None:
        return format
    suffixes = [s.lower() for s in path.suffixes]
    if len(suffixes) >= 2 and suffixes[-1] in _COMPRESSED_CSV and suffixes[-2] == ".csv":
        return "csv"
    return SUFFIXES.get(suffixes[-1]) if suffixes else None


def _supported() -> str:
    return ", ".join([*SUFFIXES, ".csv.gz"])


def _dir_files(root: Path, format: str | None) -> list[Path]:
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith((".", "_")))
        for name in sorted(filenames):
            path = Path(dirpath, name)
            if not name.startswith((".", "_")) and _format_of(path, format) is not None:
                found.append(path)
    if not found:
        raise ValueError(f"{root}: no files of a supported type in this directory ({_supported()})")
    return found


def resolve_sources(sources: Any, format: str | None = None) -> list[Source]:
    """Expand files, directories and glob patterns into the list of :class:`Source` to read.

    Parameters
    ----------
    sources : str, path-like, Source, or a list of them
        Files, directories (their files of a supported type, recursively, skipping names that
        start with ``.`` or ``_``) and glob patterns, read one after the other as one data
        set.
    format : {"parquet", "ipc", "csv", "npy", "npz"}, optional
        Read every file as this format, whatever its suffix.

    Returns
    -------
    list of Source
        The files in reading order (the ``.npy`` files of one directory are one source).

    Raises
    ------
    FileNotFoundError
        A path that does not exist, or a pattern that matches nothing.
    ValueError
        A file of unknown type, or an unknown ``format``.

    Examples
    --------
    >>> import numpy as np, tempfile, os
    >>> from fastf1.io import resolve_sources
    >>> d = tempfile.mkdtemp()
    >>> np.save(os.path.join(d, "y.npy"), np.array([0, 1]))
    >>> np.save(os.path.join(d, "yhat.npy"), np.array([0, 0]))
    >>> [(s.format, len(s.paths)) for s in resolve_sources(d)]
    [('npy', 2)]
    """
    if format is not None and format not in FORMATS:
        raise ValueError(f"format must be one of {FORMATS}, got {format!r}")
    if isinstance(sources, (str, os.PathLike, Source)):
        sources = [sources]
    files: list[Path] = []
    given: list[Source] = []  # Source objects passed in, kept first
    for item in sources:
        if isinstance(item, Source):
            given.append(item)
            continue
        text = os.fspath(item)
        path = Path(text)
        if path.is_dir():
            files.extend(_dir_files(path, format))
        elif path.exists():
            files.append(path)
        elif glob.has_magic(text):
            matches = sorted(glob.glob(text, recursive=True))
            if not matches:
                raise FileNotFoundError(f"{text}: no file matches this pattern")
            for m in map(Path, matches):
                files.extend(_dir_files(m, format) if m.is_dir() else [m])
        else:
            raise FileNotFoundError(f"{text}: no such file or directory")
    # each file once, in the order given; the .npy files of one folder form one table,
    # read where the first of them appears
    order: list[Source | Path] = []
    npy: dict[Path, list[Path]] = {}
    for path in dict.fromkeys(files):
        fmt = _format_of(path, format)
        if fmt is None:
            raise ValueError(
                f"{path}: unknown file type; supported: {_supported()} (or name the format)")
        if fmt == "npy":
            folder = path.parent.resolve()
            if folder not in npy:
                npy[folder] = []
                order.append(folder)
            npy[folder].append(path)
        else:
            order.append(Source(fmt, (path,), path.stat().st_size))
    out = list(given)
    for entry in order:
        if isinstance(entry, Source):
            out.append(entry)
        else:
            paths = tuple(npy[entry])
            out.append(Source("npy", paths, sum(p.stat().st_size for p in paths)))
    return out


# ---- errors ---------------------------------------------------------------------------------


def _missing(where: str, name: str, available: Iterable[str], what: str = "column") -> ValueError:
    there = ", ".join(repr(a) for a in available) or "none"
    return ValueError(f"{where}: no {what} named {name!r}; the {what}s there are: {there}")


def _check_names(where: str, needed: Sequence[str], available: Sequence[str],
                 what: str = "column") -> None:
    for name in needed:
        if name not in available:
            raise _missing(where, name, available, what)


def _arrow_errors() -> tuple[type[BaseException], ...]:
    import pyarrow as pa

    return (pa.ArrowException,)


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__


# ---- Arrow readers (Parquet, IPC, CSV): record batches -> NumPy columns ---------------------


def _require_pyarrow() -> Any:
    try:
        import pyarrow
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError(
            "reading Parquet, Arrow and CSV files needs pyarrow: "
            "pip install 'fastf1-metrics[io]'") from exc
    return pyarrow


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


# ---- NumPy readers -------------------------------------------------------------------------


def _npy_stem(path: Path) -> str:
    return path.name[: -len(".npy")] if path.name.lower().endswith(".npy") else path.stem


def _check_shapes(where: str, shapes: dict[str, tuple[int, ...]]) -> int:
    for name, shape in shapes.items():
        if len(shape) not in (1, 2):
            raise ValueError(f"{where}: array {name!r} has shape {shape}; expected 1-D or 2-D")
    lengths = {name: shape[0] for name, shape in shapes.items()}
    if len(set(lengths.values())) > 1:
        desc = ", ".join(f"{k!r} has {v}" for k, v in lengths.items())
        raise ValueError(f"{where}: arrays of different lengths: {desc} rows")
    return next(iter(lengths.values()))


def _strip_npy(name: str) -> str:
    return name[:-4] if name.lower().endswith(".npy") else name


def _read_npy_header(f: Any) -> tuple[tuple[int, ...], bool, np.dtype]:
    version = np.lib.format.read_magic(f)
    if version == (1, 0):
        return np.lib.format.read_array_header_1_0(f)
    return np.lib.format.read_array_header_2_0(f)


class _MappedNpy:
    """One .npy file memory-mapped read-only: its array is sliced, never copied whole.

    The pages of rows already counted are dropped from this process's mapping as the read
    moves on (they stay in the page cache), so the resident memory stays bounded by the
    chunk size rather than growing with the file.
    """

    def __init__(self, path: Path) -> None:
        with open(path, "rb") as f:
            if f.read(6) != b"\x93NUMPY":
                raise ValueError(f"{path}: not a .npy file (no NumPy header)")
            f.seek(0)
            try:
                shape, fortran, dtype = _read_npy_header(f)
            except (ValueError, OSError, EOFError) as exc:
                raise ValueError(f"{path}: corrupt .npy header ({_one_line(exc)})") from None
            if dtype.hasobject:
                raise ValueError(f"{path}: the array holds Python objects; expected numbers "
                                 "or strings")
            offset = f.tell()
            items = int(np.prod(shape, dtype=np.int64))
            need, size = offset + items * dtype.itemsize, os.fstat(f.fileno()).st_size
            if size < need:
                raise ValueError(f"{path}: truncated .npy file ({size:,} of {need:,} bytes)")
            self.map = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        self.array = np.frombuffer(self.map, dtype, count=items, offset=offset).reshape(
            shape, order="F" if fortran else "C")
        # rows are contiguous byte ranges unless a 2-D array is Fortran-ordered
        by_rows = not (fortran and len(shape) == 2 and shape[1] > 1)
        self.row_bytes = dtype.itemsize * int(np.prod(shape[1:], dtype=np.int64)) if by_rows else 0
        self.offset = offset
        self.released = 0
        if hasattr(self.map, "madvise") and hasattr(mmap, "MADV_SEQUENTIAL"):
            self.map.madvise(mmap.MADV_SEQUENTIAL)

    def release(self, rows: int) -> None:
        """Drop the mapping's pages that hold only rows before ``rows``."""
        if not self.row_bytes or not hasattr(mmap, "MADV_DONTNEED"):
            return
        end = (self.offset + rows * self.row_bytes) // mmap.PAGESIZE * mmap.PAGESIZE
        if end - self.released >= 1 << 24:  # in steps of 16 MiB at least
            self.map.madvise(mmap.MADV_DONTNEED, self.released, end - self.released)
            self.released = end


def _npy_chunks(source: Source, names: Sequence[str], chunk_rows: int,
                ) -> Iterator[tuple[dict[str, np.ndarray], int]]:
    where = source.name
    by_name = {_npy_stem(p): p for p in source.paths}
    wanted = {name: _strip_npy(name) for name in names}
    for stem in wanted.values():
        if stem not in by_name:
            raise _missing(where, stem, list(by_name), "array")
    maps = {stem: _MappedNpy(by_name[stem]) for stem in set(wanted.values())}
    arrays = {name: maps[stem].array for name, stem in wanted.items()}
    n = _check_shapes(where, {name: a.shape for name, a in arrays.items()})
    size = sum(by_name[stem].stat().st_size for stem in maps)
    rest = source.nbytes - size  # .npy files of the folder that are not read
    done = 0
    for lo in range(0, n, chunk_rows):
        hi = min(lo + chunk_rows, n)
        for m in maps.values():
            m.release(lo)  # the previous chunks have been counted
        pos = size * hi // n
        yield {name: a[lo:hi] for name, a in arrays.items()}, pos - done
        done = pos
    if size - done + rest:
        yield {}, size - done + rest


def _npz_member(zf: zipfile.ZipFile, member: str, where: str) -> tuple[Any, tuple, np.dtype]:
    f = zf.open(member)
    try:
        shape, fortran, dtype = _read_npy_header(f)
    except (ValueError, OSError, EOFError) as exc:
        raise ValueError(f"{where}: {member} is not a valid .npy member ({_one_line(exc)})") from None
    if dtype.hasobject:
        raise ValueError(f"{where}: array {member!r} holds Python objects; expected numbers or strings")
    if fortran and len(shape) == 2 and shape[1] > 1:
        raise ValueError(
            f"{where}: array {member!r} is Fortran-ordered and cannot be read by rows; "
            "save it with np.ascontiguousarray")
    return f, shape, dtype


def _npz_chunks(source: Source, names: Sequence[str], chunk_rows: int,
                ) -> Iterator[tuple[dict[str, np.ndarray], int]]:
    path = source.paths[0]
    where = str(path)
    bad = (zipfile.BadZipFile, zlib.error, EOFError)
    try:
        zf = zipfile.ZipFile(path)
    except bad as exc:
        raise ValueError(f"{where}: not a readable .npz file ({_one_line(exc)})") from None
    with zf:
        members = {_strip_npy(m): m for m in zf.namelist()}
        wanted = {name: _strip_npy(name) for name in names}
        for key in wanted.values():
            if key not in members:
                raise _missing(where, key, list(members), "array")
        try:
            opened = {name: _npz_member(zf, members[key], where) for name, key in wanted.items()}
            n = _check_shapes(where, {name: shape for name, (_, shape, _) in opened.items()})
            size, done = source.nbytes, 0
            for lo in range(0, n, chunk_rows):
                m = min(chunk_rows, n - lo)
                part = {}
                for name, (f, shape, dtype) in opened.items():
                    row_items = int(np.prod(shape[1:], dtype=np.int64))
                    want = m * row_items * dtype.itemsize
                    buf = f.read(want)
                    if len(buf) != want:
                        raise ValueError(
                            f"{where}: array {name!r} is truncated (rows {lo}.. of {n} missing)")
                    part[name] = np.frombuffer(buf, dtype).reshape((m, *shape[1:]))
                pos = size * (lo + m) // n
                yield part, pos - done
                done = pos
            if done < size:
                yield {}, size - done
        except bad as exc:
            raise ValueError(f"{where}: corrupt .npz file ({_one_line(exc)})") from None
        finally:
            for f, _, _ in locals().get("opened", {}).values():
                f.close()


# ---- the one iteration protocol ------------------------------------------------------------


def _columns_of(source: Source, names: Sequence[str], chunk_rows: int,
                ) -> Iterator[tuple[dict[str, np.ndarray], int]]:
    if source.format in ("parquet", "ipc", "csv"):
        _require_pyarrow()
        path = source.paths[0]
        batches = {"parquet": _parquet_batches, "ipc": _ipc_batches,
                   "csv": _csv_batches}[source.format](path, names, chunk_rows)
        return _rechunk(batches, chunk_rows, names, str(path))
    if source.format == "npy":
        return _npy_chunks(source, names, chunk_rows)
    return _npz_chunks(source, names, chunk_rows)


def _numeric(arr: np.ndarray, what: str, where: str) -> np.ndarray:
    if arr.dtype.kind in "US":
        sample = arr.flat[0] if arr.size else ""
        raise ValueError(f"{where}: {what} holds strings (such as {str(sample)!r}); "
                         "expected numbers")
    if arr.dtype.kind not in "biuf":
        raise ValueError(f"{where}: {what} holds {arr.dtype} values; expected numbers")
    return arr


def _assemble(cols: dict[str, np.ndarray], spec: _Columns, threshold: Any,
              where: str) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    t = cols[spec.true]
    if isinstance(spec.pred, str):
        p = cols[spec.pred]
        if threshold is not None or p.ndim == 2:
            _numeric(p, f"score column {spec.pred!r}", where)
        if p.ndim == 2 and t.ndim == 1 and p.dtype.kind != "f":
            p = p.astype(np.float64)  # integer scores: argmax all the same
    else:
        parts = [_numeric(cols[c], f"score column {c!r}", where) for c in spec.pred]
        for c, part in zip(spec.pred, parts):
            if part.ndim != 1:
                raise ValueError(f"{where}: score column {c!r} is not 1-D (shape {part.shape})")
        dtype = np.result_type(np.float32, *parts)
        p = np.empty((t.shape[0], len(parts)), dtype)
        for j, part in enumerate(parts):
            p[:, j] = part
    w = None
    if spec.weight is not None:
        w = _numeric(cols[spec.weight], f"sample_weight column {spec.weight!r}", where)
    return t, p, w


def _spec(true: str, pred: Any, sample_weight: str | None,
          group_by: str | None = None) -> _Columns:
    if not isinstance(true, str) or not true:
        raise TypeError(f"true must name a column, got {true!r}")
    if isinstance(pred, str):
        if not pred:
            raise ValueError("pred must name a column")
        pred_spec: str | tuple[str, ...] = pred
    else:
        pred_spec = tuple(pred)
        if len(pred_spec) < 2 or not all(isinstance(c, str) and c for c in pred_spec):
            raise ValueError(
                f"pred must name one column or a list of at least 2 score columns, got {pred!r}")
    if group_by is not None and (not isinstance(group_by, str) or not group_by):
        raise TypeError(f"group_by must name a column, got {group_by!r}")
    return _Columns(true, pred_spec, sample_weight, group_by)


def _check_chunk_rows(chunk_rows: Any) -> None:
    if isinstance(chunk_rows, bool) or not isinstance(chunk_rows, (int, np.integer)) \
            or chunk_rows < 1:
        raise ValueError(f"chunk_rows must be a positive integer, got {chunk_rows!r}")


def read_chunks(
    sources: Any, *, true: str, pred: str | Sequence[str], sample_weight: str | None = None,
    threshold: Any = None, chunk_rows: int = DEFAULT_CHUNK_ROWS, format: str | None = None,
) -> Iterator[Chunk]:
    """Read prediction files as chunks of at most ``chunk_rows`` rows.

    For your own loop over the rows: each :class:`Chunk` holds ``y_true``, ``y_pred`` and
    ``sample_weight`` ready for :meth:`fastf1.StatScores.update`, and where they come from.

    Parameters
    ----------
    sources : str, path-like, Source, or a list of them
        Files, directories (their files of a supported type, recursively, skipping names that
        start with ``.`` or ``_``) and glob patterns, read one after the other as one data
        set.
    true : str
        The column (or ``.npy`` / ``.npz`` array) of true labels; a 2-D column of 0/1
        indicators gives multilabel counts.
    pred : str or list of str
        The column of predicted labels, of scores (with ``threshold``) or of K scores per row
        (a list column or an (n, K) array, scored by argmax); or a list of K score columns
        (class j is column j, scored by argmax).
    sample_weight : str, optional
        The column of sample weights.
    threshold : float, optional
        Only checked here (the score column must hold numbers); it applies when counting.
    chunk_rows : int, default 2**20
        The most rows held in memory at once (a Parquet row group or an Arrow record batch is
        decoded whole by pyarrow).
    format : {"parquet", "ipc", "csv", "npy", "npz"}, optional
        Read every file as this format, whatever its suffix.

    Yields
    ------
    Chunk
        The rows ``start .. start + len(y_true) - 1`` of one source; empty chunks are
        skipped.

    Raises
    ------
    FileNotFoundError
        A source that does not exist.
    ValueError
        A missing column (the message lists the columns there), a corrupt file, columns of
        different lengths, a null value, strings where numbers are expected.

    Examples
    --------
    >>> import numpy as np, tempfile, os
    >>> from fastf1.io import read_chunks
    >>> d = tempfile.mkdtemp()
    >>> np.save(os.path.join(d, "y.npy"), np.array([0, 1, 1, 2]))
    >>> np.save(os.path.join(d, "yhat.npy"), np.array([0, 1, 2, 2]))
    >>> [c.y_pred.tolist() for c in read_chunks(d, true="y", pred="yhat", chunk_rows=3)]
    [[0, 1, 2], [2]]
    """
    _check_chunk_rows(chunk_rows)
    spec = _spec(true, pred, sample_weight)
    for chunk in _chunks(sources, spec, threshold, int(chunk_rows), format):
        if chunk.y_true.shape[0]:
            yield chunk


def _chunks(sources: Any, spec: _Columns, threshold: Any, chunk_rows: int,
            format: str | None) -> Iterator[Chunk]:
    """read_chunks, with the empty chunks that carry only bytes (for progress)."""
    names = spec.names
    for source in resolve_sources(sources, format):
        start = 0
        for cols, nbytes in _columns_of(source, names, chunk_rows):
            if not cols:
                yield Chunk(np.empty(0), np.empty(0), None, source, start, nbytes)
                continue
            t, p, w = _assemble(cols, spec, threshold, source.name)
            g = None if spec.group is None else cols[spec.group]
            yield Chunk(t, p, w, source, start, nbytes, g)
            start += t.shape[0]


# ---- scoring ---------------------------------------------------------------------------------


class _Confusion:
    """The confusion counts summed over chunks; given up past ``max_labels`` labels."""

    def __init__(self, max_labels: int) -> None:
        self.max_labels = max_labels
        self.acc: Any = None  # (labels, int64 matrix, float64 weighted matrix or None)
        self.gave_up = False

    def add(self, t: np.ndarray, p: np.ndarray, w: Any, threshold: Any) -> None:
        from . import _validation
        from .metrics import confusion_counts, merge_confusion_counts

        if self.gave_up:
            return
        if t.ndim == 2:  # multilabel: no K x K matrix
            self.gave_up = True
            return
        if threshold is not None and p.ndim == 1:
            p = (p >= threshold).astype(np.int64)  # the 0 / 1 prediction the counts used
        inp = _validation.prepare(t, p, w, None, allow_all_zero_weights=True, device="cpu")
        self.acc = merge_confusion_counts(self.acc, confusion_counts(inp, None, None))
        if self.acc[0].size > self.max_labels:
            self.gave_up, self.acc = True, None

    @property
    def result(self) -> tuple[np.ndarray | None, np.ndarray | None]:
        if self.gave_up or self.acc is None:
            return None, None
        labels, cm, wcm = self.acc
        return labels, cm if wcm is None else wcm


class ScoreResult(NamedTuple):
    """What :func:`score` found: the counts, the rows read and the confusion matrix if asked.

    Attributes
    ----------
    stats : StatScores
        The counts of every row (with ``group_by``, the sum of the groups' counts).
    n_rows : int
        Rows read.
    n_files : int
        Files read.
    confusion_labels : ndarray or None
        The labels of the confusion matrix's rows and columns.
    confusion : ndarray or None
        The summed confusion matrix, when asked for and within ``confusion_max_labels``.
    by_group : ByGroup or None
        With ``group_by``: the counts of each group.
    """

    stats: StatScores
    n_rows: int
    n_files: int
    confusion_labels: np.ndarray | None
    confusion: np.ndarray | None
    by_group: ByGroup | None = None


def score(
    sources: Any, *, true: str, pred: str | Sequence[str], sample_weight: str | None = None,
    threshold: Any = None, labels: Any = None, chunk_rows: int = DEFAULT_CHUNK_ROWS,
    format: str | None = None, progress: Progress | None = None, confusion_max_labels: int = 0,
    device: str = "auto", scheduler: Any = None, group_by: str | None = None,
) -> ScoreResult:
    """Count prediction files as :func:`score_files` does, with the row count and a confusion matrix.

    What the ``fastf1 score`` command runs: the counts of every row, the number of rows and
    files read, and (for up to ``confusion_max_labels`` labels) the summed confusion matrix.

    Parameters
    ----------
    sources : str, path-like, Source, or a list of them
        Files, directories (their files of a supported type, recursively, skipping names that
        start with ``.`` or ``_``) and glob patterns, read one after the other as one data
        set.
    true : str
        The column (or ``.npy`` / ``.npz`` array) of true labels; a 2-D column of 0/1
        indicators gives multilabel counts.
    pred : str or list of str
        The column of predicted labels, of scores (with ``threshold``) or of K scores per row
        (a list column or an (n, K) array, scored by argmax); or a list of K score columns
        (class j is column j, scored by argmax).
    sample_weight : str, optional
        The column of sample weights.
    threshold : float, optional
        Binary scores: a row is a positive prediction when ``score >= threshold``.
    labels : array-like, optional
        The labels you expect; only helps the counting pass guess the label range.
    chunk_rows : int, default 2**20
        The most rows held in memory at once (a Parquet row group or an Arrow record batch is
        decoded whole by pyarrow).
    format : {"parquet", "ipc", "csv", "npy", "npz"}, optional
        Read every file as this format, whatever its suffix.
    progress : callable, optional
        Called as ``progress(rows, nbytes)`` after every chunk.
    confusion_max_labels : int, default 0
        Also sum the confusion matrix, for up to this many labels (single-label data only, not
        with ``scheduler``); 0: not at all.
    device : {"auto", "cpu", "cuda"}, default "auto"
        Where each chunk is counted, as for the metric functions: "cuda" streams each chunk
        through the GPU.
    scheduler : str or distributed.Client, optional
        Count on a running Dask cluster instead: each file is read and counted by a worker (so
        the workers must see the same paths), and the counts are summed in a tree.
    group_by : str, optional
        A column of groups (numbers or strings): every group is counted in the same pass.

    Returns
    -------
    ScoreResult
        The counts (their total, and per group with ``group_by``), the rows and files read, and
        the confusion matrix if asked.

    Raises
    ------
    FileNotFoundError
        A source that does not exist.
    ValueError
        No rows to score, a missing column, a corrupt file, or bad values (the message names
        the file and the row range).

    Examples
    --------
    >>> import numpy as np, tempfile, os
    >>> from fastf1.io import score
    >>> path = os.path.join(tempfile.mkdtemp(), "dump.npz")
    >>> np.savez(path, y=np.array([0, 1, 2, 2]), yhat=np.array([0, 2, 2, 2]))
    >>> result = score(path, true="y", pred="yhat", confusion_max_labels=10)
    >>> result.n_rows, result.confusion_labels
    (4, array([0, 1, 2]))
    >>> result.confusion
    array([[1, 0, 0],
           [0, 0, 1],
           [0, 0, 2]])
    """
    resolved = resolve_sources(sources, format)
    _check_chunk_rows(chunk_rows)
    spec = _spec(true, pred, sample_weight, group_by)
    hint = None
    if labels is not None:
        hint = np.asarray(labels)
        hint = hint if hint.dtype.kind in "biuf" and hint.size else None
    count = dict(spec=spec, threshold=threshold, labels=hint, chunk_rows=int(chunk_rows),
                 device=device)
    if scheduler is not None:
        stats, n_rows = _count_on_cluster(resolved, scheduler, count)
        cm_labels = cm = None
    else:
        confusion = _Confusion(confusion_max_labels) if confusion_max_labels > 0 else None
        stats, n_rows = _count_sources(resolved, progress=progress, confusion=confusion, **count)
        cm_labels, cm = confusion.result if confusion is not None else (None, None)
    by_group = None
    if isinstance(stats, ByGroup):  # every row is in one group: the total is their sum
        by_group, stats = stats, sum(stats.values(), StatScores(threshold=threshold))
    if stats.labels is None:
        names = ", ".join(s.name for s in resolved)
        raise ValueError(f"no rows to score in {names}")
    return ScoreResult(stats, n_rows, sum(len(s.paths) for s in resolved), cm_labels, cm,
                       by_group)


def _count_sources(sources: list[Source], *, spec: _Columns, threshold: Any, labels: Any,
                   chunk_rows: int, device: str, progress: Progress | None = None,
                   confusion: _Confusion | None = None) -> tuple[Any, int]:
    """(counts, rows) of the sources, read chunk by chunk in this process (the counts are
    a ByGroup of them with ``spec.group``)."""
    stats: Any = StatScores(threshold=threshold) if spec.group is None else ByGroup()
    n_rows = 0
    for chunk in _chunks(sources, spec, threshold, chunk_rows, None):
        m = chunk.y_true.shape[0]
        if m:
            try:
                if spec.group is None:
                    stats.update(chunk.y_true, chunk.y_pred, chunk.sample_weight,
                                 labels=labels, device=device)
                else:
                    stats = stats + _count_by_group(
                        chunk.y_true, chunk.y_pred, chunk.sample_weight, threshold, None,
                        labels, device, chunk.groups, allow_all_zero_weights=True)
                if confusion is not None:
                    confusion.add(chunk.y_true, chunk.y_pred, chunk.sample_weight, threshold)
            except (ValueError, TypeError) as exc:
                where = (f"{chunk.source.name} (rows {chunk.start}..{chunk.start + m - 1}; "
                         f"y_true = {spec.true!r}, y_pred = {spec.pred!r})")
                raise type(exc)(f"{where}: {_one_line(exc)}") from None
        n_rows += m
        if progress is not None:
            progress(m, chunk.nbytes)
    return stats, n_rows


def _add_counted(a: tuple[Any, int], b: tuple[Any, int]) -> tuple[Any, int]:
    return a[0] + b[0], a[1] + b[1]


def _count_on_cluster(sources: list[Source], scheduler: Any,
                      count: dict[str, Any]) -> tuple[Any, int]:
    """(counts, rows) with every file read and counted on a worker of a Dask cluster.

    ``scheduler`` is a scheduler address (``"tcp://host:8786"``) or a
    ``distributed.Client``. The workers open the files themselves, so the paths must mean the
    same there (a shared file system); one source (a file, or a folder of ``.npy`` columns)
    is one task, and the per-source counts are summed in a tree.
    """
    try:
        import dask
        from distributed import Client
    except ImportError:  # pragma: no cover - depends on the environment
        raise ImportError("scheduler= needs Dask: pip install 'fastf1-metrics[dask]'") from None
    from .dask import _tree_sum

    task = dask.delayed(_count_sources, pure=False)
    empty = StatScores(threshold=count["threshold"]) if count["spec"].group is None else ByGroup()
    total = _tree_sum([task([source], **count) for source in sources], _add_counted,
                      lambda: (empty, 0))
    if isinstance(scheduler, Client):
        return scheduler.compute(total).result()
    with Client(scheduler) as client:
        return client.compute(total).result()


def score_files(
    sources: Any, *, true: str, pred: str | Sequence[str], sample_weight: str | None = None,
    threshold: Any = None, labels: Any = None, chunk_rows: int = DEFAULT_CHUNK_ROWS,
    format: str | None = None, progress: Progress | bool | None = None, device: str = "auto",
    scheduler: Any = None, group_by: str | None = None,
) -> Any:
    """Count prediction files on disk into one :class:`fastf1.StatScores`, chunk by chunk.

    Parameters
    ----------
    sources : path, glob pattern, or list of them
        Parquet, Arrow IPC / Feather, CSV (also ``.csv.gz``), ``.npy`` or ``.npz`` files, or
        directories of them; read one after the other as one data set.
    true : str
        The column (or array) of true labels.
    pred : str or list of str
        The column of predicted labels, of scores (with ``threshold``) or of K-score rows
        (argmax); or K score columns (argmax).
    sample_weight : str, optional
        The column of sample weights.
    threshold : float, optional
        Binary scores: a row is predicted positive when ``score >= threshold``.
    labels : array-like, optional
        The labels you expect; only helps the counting guess the label range.
    chunk_rows : int
        The most rows held in memory at once (default 2**20).
    format : str, optional
        Read every file as this format ("parquet", "ipc", "csv", "npy", "npz").
    progress : callable or bool, optional
        ``progress(rows, nbytes)`` after every chunk; True shows a tqdm bar on stderr.
    device : {"auto", "cpu", "cuda"}
        Where each chunk is counted (as for the metric functions).
    scheduler : str or distributed.Client, optional
        Count on a running Dask cluster instead: each file is read and counted by a worker
        (so the workers must see the same paths), and the counts are summed in a tree.
    group_by : str, optional
        A column of groups (numbers or strings): count every group in the same pass.

    Returns
    -------
    StatScores, or a ByGroup of them with ``group_by``
        Its metrics equal scikit-learn's on the concatenated rows (of each group).

    Examples
    --------
    >>> import numpy as np, tempfile, os
    >>> from fastf1.io import score_files
    >>> path = os.path.join(tempfile.mkdtemp(), "dump.npz")
    >>> np.savez(path, y=np.array([0, 1, 2, 2]), yhat=np.array([0, 2, 2, 2]))
    >>> s = score_files(path, true="y", pred="yhat", chunk_rows=3)
    >>> round(s.f1_score(average="macro"), 4)
    0.6
    """
    resolved = resolve_sources(sources, format)
    def run(bar: Any) -> Any:
        result = score(resolved, true=true, pred=pred, sample_weight=sample_weight,
                       threshold=threshold, labels=labels, chunk_rows=chunk_rows,
                       progress=bar, device=device, scheduler=scheduler, group_by=group_by)
        return result.stats if group_by is None else result.by_group

    if progress is True:
        with progress_bar(sum(s.nbytes for s in resolved)) as bar:
            return run(bar)
    return run(progress or None)


class progress_bar:
    """A tqdm bar on stderr over the bytes read, with the rows and rows/s beside it.

    Used as a context manager that gives a progress callback for :func:`score_files` and
    :func:`score`; silent (a no-op) when ``disable`` is true or tqdm is not installed.

    Parameters
    ----------
    total_bytes : int
        The bytes to read, the bar's total.
    disable : bool, default False
        Draw nothing.
    desc : str, default "scoring"
        The bar's label.
    mininterval : float, optional
        Seconds between two redraws (default 0.2).

    Attributes
    ----------
    bar : tqdm.tqdm or None
        The bar while it is drawn.
    rows : int
        Rows counted so far.

    Examples
    --------
    >>> import numpy as np, tempfile, os
    >>> from fastf1.io import progress_bar, resolve_sources, score_files
    >>> path = os.path.join(tempfile.mkdtemp(), "dump.npz")
    >>> np.savez(path, y=np.array([0, 1, 1]), yhat=np.array([0, 1, 0]))
    >>> total = sum(s.nbytes for s in resolve_sources(path))
    >>> with progress_bar(total, disable=True) as progress:
    ...     counts = score_files(path, true="y", pred="yhat", progress=progress)
    >>> counts.tp
    array([1, 1])
    """

    def __init__(self, total_bytes: int, disable: bool = False, desc: str = "scoring",
                 mininterval: float | None = None) -> None:
        self.total, self.disable, self.desc = total_bytes, disable, desc
        self.mininterval = PROGRESS_MININTERVAL if mininterval is None else mininterval
        self.bar: Any = None
        self.rows = 0

    def __enter__(self) -> Progress:
        if not self.disable:
            try:
                from tqdm import tqdm
            except ImportError:  # pragma: no cover - depends on the environment
                tqdm = None
            if tqdm is not None:
                self.bar = tqdm(total=self.total, unit="B", unit_scale=True, unit_divisor=1024,
                                desc=self.desc, leave=False, dynamic_ncols=True,
                                mininterval=self.mininterval)
        return self.update

    def update(self, rows: int, nbytes: int) -> None:
        """Advance the bar by one chunk.

        Parameters
        ----------
        rows : int
            Rows in the chunk.
        nbytes : int
            Bytes on disk the chunk stands for.
        """
        if self.bar is None:
            return
        self.rows += rows
        elapsed = self.bar.format_dict.get("elapsed") or 0.0
        rate = f", {self.rows / elapsed / 1e6:.1f} M rows/s" if elapsed > 0 else ""
        self.bar.set_postfix_str(f"{self.rows:,} rows{rate}", refresh=False)
        self.bar.update(nbytes)

    def __exit__(self, *exc: Any) -> None:
        if self.bar is not None:
            self.bar.close()


__all__ = ["DEFAULT_CHUNK_ROWS", "FORMATS", "Chunk", "ScoreResult", "Source", "progress_bar",
           "read_chunks", "resolve_sources", "score", "score_files"]
