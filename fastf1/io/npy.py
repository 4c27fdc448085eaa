"""NumPy readers: memory-mapped ``.npy`` columns and streamed ``.npz`` members."""

from __future__ import annotations

import mmap
import os
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
