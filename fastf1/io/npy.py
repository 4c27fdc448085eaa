"""NumPy readers: ``.npy`` columns read by positioned reads and streamed ``.npz`` members."""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ._errors import _missing, _one_line
from .sources import Source


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


class _NpyFile:
    """One .npy file read by positioned reads (``pread``), one chunk of rows at a time.

    Not a memory map: a file that another process truncates under a map kills the reader
    with SIGBUS, where a short read is an ordinary error. Each chunk is one copy from the
    page cache (or the object store), so the memory held is the chunk, never the file.
    """

    def __init__(self, source: Source, path: Any) -> None:
        self.where = source.prefix + str(path)
        self.file = source.fs.open_input_file(source.fs_path(path))
        head = self.file.read_at(min(self.file.size(), 1 << 16), 0)
        if head[:6] != b"\x93NUMPY":
            raise ValueError(f"{self.where}: not a .npy file (no NumPy header)")
        f = io.BytesIO(head)
        try:
            shape, fortran, dtype = _read_npy_header(f)
        except (ValueError, OSError, EOFError) as exc:
            raise ValueError(f"{self.where}: corrupt .npy header ({_one_line(exc)})") from None
        if dtype.hasobject:
            raise ValueError(f"{self.where}: the array holds Python objects; expected numbers "
                             "or strings")
        self.shape, self.dtype, self.offset = shape, dtype, f.tell()
        items = int(np.prod(shape, dtype=np.int64))
        need, size = self.offset + items * dtype.itemsize, self.file.size()
        if size < need:
            raise ValueError(f"{self.where}: truncated .npy file ({size:,} of {need:,} bytes)")
        # a Fortran-ordered (n, K) array is K contiguous columns, not n contiguous rows
        self.columns = fortran and len(shape) == 2 and shape[1] > 1

    def _read(self, nbytes: int, offset: int) -> Any:
        buf = self.file.read_at(nbytes, offset)
        if len(buf) != nbytes:
            raise ValueError(f"{self.where}: the file was truncated while it was read "
                             f"({offset + len(buf):,} of {offset + nbytes:,} bytes)")
        return buf

    def rows(self, lo: int, hi: int) -> np.ndarray:
        item = self.dtype.itemsize
        if not self.columns:
            width = int(np.prod(self.shape[1:], dtype=np.int64))
            buf = self._read((hi - lo) * width * item, self.offset + lo * width * item)
            return np.frombuffer(buf, self.dtype).reshape((hi - lo, *self.shape[1:]))
        n, k = self.shape
        out = np.empty((hi - lo, k), self.dtype)
        for j in range(k):
            buf = self._read((hi - lo) * item, self.offset + (j * n + lo) * item)
            out[:, j] = np.frombuffer(buf, self.dtype)
        return out

    def close(self) -> None:
        self.file.close()


def _npy_chunks(source: Source, names: Sequence[str], chunk_rows: int,
                ) -> Iterator[tuple[dict[str, np.ndarray], int]]:
    where = source.name
    by_name = {_npy_stem(p): p for p in source.paths}
    sizes = {_npy_stem(p): st[0] for p, st in zip(source.paths, source.stamps)}
    wanted = {name: _strip_npy(name) for name in names}
    for stem in wanted.values():
        if stem not in by_name:
            raise _missing(where, stem, list(by_name), "array")
    files: dict[str, _NpyFile] = {}
    try:
        for stem in dict.fromkeys(wanted.values()):
            files[stem] = _NpyFile(source, by_name[stem])
        n = _check_shapes(where, {name: files[stem].shape for name, stem in wanted.items()})
        size = sum(sizes.get(stem) or files[stem].file.size() for stem in files)
        rest = source.nbytes - size  # .npy files of the folder that are not read
        done = 0
        for lo in range(0, n, chunk_rows):
            hi = min(lo + chunk_rows, n)
            read = {stem: f.rows(lo, hi) for stem, f in files.items()}
            pos = size * hi // n
            yield {name: read[stem] for name, stem in wanted.items()}, pos - done
            done = pos
        if size - done + rest:
            yield {}, size - done + rest
    finally:
        for f in files.values():
            f.close()


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
    where = source.name
    bad = (zipfile.BadZipFile, zlib.error, EOFError)
    try:
        zf = zipfile.ZipFile(source.fs.open_input_file(source.fs_path(source.paths[0])))
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
