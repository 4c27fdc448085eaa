"""Sources: files, directories and glob patterns -> the list of :class:`Source` to read."""

from __future__ import annotations

import glob
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: compressed CSV: suffix -> pyarrow codec (the data is decompressed as it streams)
_COMPRESSED_CSV = {".gz": "gzip", ".bz2": "bz2", ".zst": "zstd", ".lz4": "lz4"}
SUFFIXES = {
    ".parquet": "parquet", ".pq": "parquet",
    ".arrow": "ipc", ".feather": "ipc", ".ipc": "ipc", ".arrows": "ipc",
    ".csv": "csv",
    ".npy": "npy",
    ".npz": "npz",
}
"""File suffix -> format (``.csv`` may also end in ``.gz``, ``.bz2``, ``.zst`` or ``.lz4``)."""
FORMATS = ("parquet", "ipc", "csv", "npy", "npz")
"""The values of ``format=``: Parquet, Arrow IPC / Feather, CSV, ``.npy`` and ``.npz``."""


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
