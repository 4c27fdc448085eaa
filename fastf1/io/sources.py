"""Sources: paths and URIs of files, directories and glob patterns -> the :class:`Source` to read.

A source is named by a local path or by a URI (``s3://bucket/dump/``, ``gs://...``,
``abfs://...``, ``hdfs://...``, ``file://...``, or any scheme fsspec knows). URIs are opened
through pyarrow's filesystems, which take credentials and endpoints from the standard
environment and configuration (``AWS_ENDPOINT_URL``, ``AWS_ACCESS_KEY_ID``, profiles, ...);
schemes pyarrow does not know go through fsspec when it is installed.

Every file is read once, whatever the spelling: local files are told apart by their real path
(symlinked aliases of a folder are one folder), and a symlink loop is walked once. Folders in
``key=value`` form are hive partitions: their values become columns of every file below them.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote

from ._errors import _arrow_errors, _one_line, _remote_failure

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
#: the formats read through ``pyarrow.dataset`` (partition columns, ``where`` pushdown)
DATASET_FORMATS = ("parquet", "ipc", "csv")

_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_MAGIC = re.compile(r"[*?[]")


@dataclass(frozen=True)
class Source:
    """One readable unit: a file, or the ``.npy`` files of one directory (its columns).

    Attributes
    ----------
    format : str
        One of :data:`FORMATS`.
    paths : tuple of pathlib.Path (local) or PurePosixPath (in ``filesystem``)
        The file, or the ``.npy`` files of one table.
    nbytes : int
        Their size, for progress bars.
    filesystem : pyarrow.fs.FileSystem or None
        Where ``paths`` are (None: the local filesystem).
    prefix : str
        What turns a path back into the URI the user gave (``"s3://"``).
    stamps : tuple of (int, int)
        Each file's (size, modification time in ns) when it was listed: a file that differs
        when read is an error, and a resumed run skips files by them.
    partition : tuple of (str, value)
        The hive partition values of the file's folders, typed by ``partition_schema``.
    partition_schema : pyarrow.Schema or None
        The types of the partition columns (the same for every file of one resolve).
    filter : pyarrow.compute.Expression or None
        The ``where`` expression the read pushes down.
    where : str or None
        The SQL text of ``filter``, as given (errors quote it).
    """

    format: str
    paths: tuple[Any, ...]
    nbytes: int
    filesystem: Any = field(default=None, compare=False, repr=False)
    prefix: str = ""
    stamps: tuple[tuple[int, int], ...] = field(default=(), compare=False, repr=False)
    partition: tuple[tuple[str, Any], ...] = ()
    partition_schema: Any = field(default=None, compare=False, repr=False)
    filter: Any = field(default=None, compare=False, repr=False)
    where: str | None = field(default=None, compare=False, repr=False)

    @property
    def name(self) -> str:
        """The file, or the directory of an ``.npy`` table, as a string (a URI if remote)."""
        if self.format == "npy" and len(self.paths) > 1:
            return self.prefix + str(self.paths[0].parent)
        return self.prefix + str(self.paths[0])

    @property
    def fs(self) -> Any:
        """The filesystem to open ``paths`` with."""
        if self.filesystem is not None:
            return self.filesystem
        import pyarrow.fs as pafs

        return pafs.LocalFileSystem()

    def fs_path(self, path: Any) -> str:
        """``path`` as the filesystem wants it (local paths absolute)."""
        return os.path.abspath(path) if self.filesystem is None else str(path)

    @property
    def keys(self) -> list[dict[str, Any]]:
        """Each file as ``{"uri", "size", "mtime_ns"}``: what a resumed run compares."""
        return [{"uri": self.prefix + (self.fs_path(p)), "size": s, "mtime_ns": m}
                for p, (s, m) in zip(self.paths, self.stamps)]


# ---- filesystems ---------------------------------------------------------------------------


def is_uri(text: str) -> bool:
    """Does ``text`` name a source by URI (``scheme://...``) rather than a local path?"""
    return bool(_URI.match(text)) and not text.lower().startswith("file://")


def filesystem(uri: str) -> tuple[Any, str]:
    """``(pyarrow filesystem, path inside it)`` for a URI.

    pyarrow's own filesystems first (S3, GCS, Azure, HDFS: configured by the standard
    environment, e.g. ``AWS_ENDPOINT_URL`` and ``AWS_ACCESS_KEY_ID``), then fsspec for the
    other schemes (``http://``, ``memory://``, ...), wrapped as a pyarrow filesystem.
    ``FileSystem.from_uri`` is the one constructor used: it is the one that reads
    ``AWS_ENDPOINT_URL`` / ``AWS_ENDPOINT_URL_S3`` (pyarrow 15 on), where a bare
    ``S3FileSystem()`` does not.
    """
    import pyarrow.fs as pafs

    try:
        return pafs.FileSystem.from_uri(uri)
    except _arrow_errors() as exc:
        first = exc
    try:
        import fsspec
    except ImportError:
        raise ValueError(f"{uri}: no filesystem for this URI ({_one_line(first)}); "
                         "fsspec reads more schemes: pip install fsspec") from None
    try:
        fs, path = fsspec.core.url_to_fs(uri)
    except (ValueError, ImportError) as exc:
        raise ValueError(f"{uri}: no filesystem for this URI ({_one_line(exc)})") from None
    return pafs.PyFileSystem(pafs.FSSpecHandler(fs)), path


def _scheme_prefix(uri: str, fs: Any, path: str) -> str:
    """What to put before a path of ``fs`` to spell the URI again (``s3://``)."""
    scheme = uri.split("://", 1)[0]
    rest = uri.split("://", 1)[1]
    if fs.type_name in ("s3", "gcs", "abfs") or rest.startswith(path.lstrip("/")):
        return scheme + "://"
    return scheme + "://" + rest[: max(0, len(rest) - len(path))].rstrip("/")


# ---- listing -------------------------------------------------------------------------------


def _format_of(path: Any, format: str | None) -> str | None:
    if format is not None:
        return format
    suffixes = [s.lower() for s in PurePosixPath(str(path)).suffixes]
    if len(suffixes) >= 2 and suffixes[-1] in _COMPRESSED_CSV and suffixes[-2] == ".csv":
        return "csv"
    return SUFFIXES.get(suffixes[-1]) if suffixes else None


def _supported() -> str:
    return ", ".join([*SUFFIXES, ".csv.gz"])


def _hidden(relative: str) -> bool:
    """Spark's ``_SUCCESS``, ``.crc`` files and folders like them are not data."""
    return any(part.startswith((".", "_")) for part in relative.split("/") if part)


def _walk_local(root: str) -> Iterator[tuple[str, str]]:
    """(path, path relative to root) of the files below ``root``, symlinks followed, each
    folder entered once by its real path: a symlinked alias of a folder, or a link that
    loops back, adds no files twice and ends."""
    seen: set[str] = set()
    for dirpath, dirnames, filenames in os.walk(root, followlinks=True):
        real = os.path.realpath(dirpath)
        if real in seen:
            dirnames[:] = []
            continue
        seen.add(real)
        # real folders before symlinked ones: a file is known by the path of the tree it
        # is in (and its partition folders), an alias of it inside the tree is skipped
        dirnames.sort(key=lambda d: (os.path.islink(os.path.join(dirpath, d)), d))
        for name in sorted(filenames):
            path = os.path.join(dirpath, name)
            yield path, os.path.relpath(path, root).replace(os.sep, "/")


def _walk_remote(fs: Any, root: str) -> Iterator[tuple[str, str]]:
    import pyarrow.fs as pafs

    infos = fs.get_file_info(pafs.FileSelector(root, recursive=True, allow_not_found=True))
    for info in sorted(infos, key=lambda i: i.path):
        if info.type == pafs.FileType.File:
            yield info.path, info.path[len(root.rstrip("/")):].lstrip("/")


def _glob_regex(pattern: str) -> re.Pattern[str]:
    """A glob over ``/``-separated paths: ``*`` and ``?`` stay in one folder, ``**`` spans any
    number of folders, ``[...]`` is a character class."""
    out, i = [], 0
    while i < len(pattern):
        c = pattern[i]
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
            continue
        if pattern.startswith("**", i):
            out.append(".*")
            i += 2
            continue
        if c == "*":
            out.append("[^/]*")
        elif c == "?":
            out.append("[^/]")
        elif c == "[":
            j = pattern.find("]", i + 2)
            if j < 0:
                out.append(re.escape(c))
            else:
                body = pattern[i + 1:j]
                out.append("[" + ("^" + body[1:] if body.startswith("!") else body) + "]")
                i = j
        else:
            out.append(re.escape(c))
        i += 1
    return re.compile("".join(out) + r"\Z")


def _split_glob(path: str) -> tuple[str, str]:
    """(the folder before the first magic character, the pattern after it)."""
    parts = path.split("/")
    for k, part in enumerate(parts):
        if _MAGIC.search(part):
            return "/".join(parts[:k]) or ("/" if path.startswith("/") else "."), \
                "/".join(parts[k:])
    return path, ""


# ---- partitions ---------------------------------------------------------------------------


def _partition_of(relative_dir: str) -> tuple[tuple[str, str], ...]:
    """The ``key=value`` folders of a path below the source's root, as strings."""
    pairs = []
    for part in relative_dir.split("/"):
        if "=" in part:
            key, value = part.split("=", 1)
            if key:
                pairs.append((unquote(key), unquote(value)))
    return tuple(pairs)


def _partition_schema(values: dict[str, set[str]]) -> Any:
    """Types of the partition columns: int64 where every value is a decimal integer in
    range, string otherwise (the same for every file, whatever the order)."""
    import pyarrow as pa

    def integral(v: str) -> bool:
        return re.fullmatch(r"-?\d+", v) is not None and -2**63 <= int(v) < 2**63

    return pa.schema([(key, pa.int64() if all(map(integral, vals)) else pa.string())
                      for key, vals in values.items()])


# ---- resolving ----------------------------------------------------------------------------


@dataclass
class _Found:
    path: Any
    relative: str
    fs: Any
    prefix: str
    identity: Any
    stamp: tuple[int, int]


def _stat_local(path: str) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns) if stat.S_ISREG(st.st_mode) else None


def _expand(item: str, format: str | None) -> list[_Found]:
    """The files one source string stands for."""
    if is_uri(item):
        fs, path = filesystem(item)
        prefix = _scheme_prefix(item, fs, path)
        return _expand_remote(item, fs, path, prefix, format)
    text = item[len("file://"):] if item.lower().startswith("file://") else item
    found: list[_Found] = []
    if os.path.isdir(text):
        for path, rel in _walk_local(text):
            found += _local(path, rel, format)
        if not found:
            raise ValueError(
                f"{text}: no files of a supported type in this directory ({_supported()})")
        return found
    if os.path.exists(text):
        return _local(text, "", format, check=False)
    if _MAGIC.search(text):
        base, pattern = _split_glob(text.replace(os.sep, "/"))
        regex = _glob_regex(pattern)
        for path, rel in _walk_local(base) if os.path.isdir(base) else ():
            if _matches(regex, rel):
                found += _local(path, rel, format, check=False)
        if not found:
            raise FileNotFoundError(f"{text}: no file matches this pattern")
        return found
    raise FileNotFoundError(f"{text}: no such file or directory")


def _matches(regex: re.Pattern[str], relative: str) -> bool:
    """The file, or one of the folders it is in, matches the pattern."""
    parts = relative.split("/")
    if any(regex.match("/".join(parts[:k])) for k in range(1, len(parts))):
        return not _hidden("/".join(parts[1:]))
    return regex.match(relative) is not None


def _local(path: str, relative: str, format: str | None, check: bool = True) -> list[_Found]:
    if check and (_hidden(relative) or _format_of(path, format) is None):
        return []
    stamp = _stat_local(path)
    if stamp is None:
        return []  # a dangling link, a socket: nothing to read
    return [_Found(Path(path), relative, None, "", os.path.realpath(path), stamp)]


def _expand_remote(uri: str, fs: Any, path: str, prefix: str,
                   format: str | None) -> list[_Found]:
    import pyarrow.fs as pafs

    try:
        info = fs.get_file_info(path)
        found = []
        if info.type == pafs.FileType.File:
            return [_Found(PurePosixPath(path), "", fs, prefix, (prefix, path), _stamp(info))]
        if info.type == pafs.FileType.Directory:
            files = _walk_remote(fs, path)
            regex = None
        elif _MAGIC.search(path):
            base, pattern = _split_glob(path)
            files, regex = _walk_remote(fs, base), _glob_regex(pattern)
        else:
            raise FileNotFoundError(f"{uri}: no such file or directory")
        for file, rel in files:
            if regex is not None and not _matches(regex, rel):
                continue
            if _hidden(rel) or _format_of(file, format) is None:
                continue
            found.append(_Found(PurePosixPath(file), rel, fs, prefix, (prefix, file),
                                _stamp(fs.get_file_info(file))))
    except _arrow_errors() + (OSError,) as exc:
        if isinstance(exc, FileNotFoundError):
            raise
        raise _remote_failure(uri, exc) or OSError(f"{uri}: {_one_line(exc)}") from None
    if not found:
        if regex is not None:
            raise FileNotFoundError(f"{uri}: no file matches this pattern")
        raise ValueError(f"{uri}: no files of a supported type under this prefix ({_supported()})")
    return found


def _stamp(info: Any) -> tuple[int, int]:
    return int(info.size or 0), int(info.mtime_ns or 0)


def resolve_sources(sources: Any, format: str | None = None) -> list[Source]:
    """Expand paths, URIs, directories and glob patterns into the :class:`Source` to read.

    Parameters
    ----------
    sources : str, path, Source, or a list of them
        Local paths or URIs of files, folders (all their files of a supported type, skipping
        names that start with ``.`` or ``_``) and glob patterns (``**`` spans folders).
    format : {"parquet", "ipc", "csv", "npy", "npz"}, optional
        Read every file as this format, whatever its suffix.

    Returns
    -------
    list of Source
        The files in reading order, each once (the ``.npy`` files of one directory are one
        source).

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
    given: list[Source] = []  # Source objects passed in, kept first
    files: dict[Any, _Found] = {}  # each file once, by its identity, in the order given
    for item in sources:
        if isinstance(item, Source):
            given.append(item)
            continue
        for f in _expand(os.fspath(item), format):
            files.setdefault(f.identity, f)
    values: dict[str, set[str]] = {}
    for f in files.values():
        for key, value in _partition_of(f.relative.rpartition("/")[0]):
            values.setdefault(key, set()).add(value)
    part_schema = _partition_schema(values) if values else None
    out = list(given)
    npy: dict[Any, list[_Found]] = {}
    order: list[Any] = []
    for f in files.values():
        fmt = _format_of(f.path, format)
        if fmt is None:
            raise ValueError(
                f"{f.prefix}{f.path}: unknown file type; supported: {_supported()} "
                "(or name the format)")
        if fmt == "npy":
            folder = (f.prefix, os.path.realpath(f.path.parent) if f.fs is None
                      else str(f.path.parent))
            if folder not in npy:
                npy[folder] = []
                order.append(folder)
            npy[folder].append(f)
            continue
        partition: tuple[tuple[str, Any], ...] = ()
        if part_schema is not None and fmt in DATASET_FORMATS:
            raw = _partition_of(f.relative.rpartition("/")[0])
            partition = tuple((k, int(v) if str(part_schema.field(k).type) == "int64" else v)
                              for k, v in raw)
        order.append(Source(fmt, (f.path,), f.stamp[0], f.fs, f.prefix, (f.stamp,),
                            partition, part_schema))
    for entry in order:
        if isinstance(entry, Source):
            out.append(entry)
        else:
            group = npy[entry]
            out.append(Source("npy", tuple(g.path for g in group),
                              sum(g.stamp[0] for g in group), group[0].fs, group[0].prefix,
                              tuple(g.stamp for g in group)))
    return out
