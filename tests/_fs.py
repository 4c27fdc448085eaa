"""A local filesystem that counts the bytes read through it (pushdown checks, benchmarks)."""

from __future__ import annotations

from typing import Any

import pyarrow as pa
import pyarrow.fs as pafs


class CountingHandler(pafs.FSSpecHandler):
    """fsspec's local filesystem, seen by pyarrow, adding up the bytes every read returns."""

    def __init__(self) -> None:
        import fsspec

        super().__init__(fsspec.filesystem("file"))
        self.bytes_read = 0
        self.opened: list[str] = []

    def open_input_file(self, path: str) -> Any:
        self.opened.append(path)
        return pa.PythonFile(_Counted(self.fs.open(path, "rb"), self), mode="r")

    def open_input_stream(self, path: str) -> Any:
        return self.open_input_file(path)


class _Counted:
    def __init__(self, f: Any, handler: CountingHandler) -> None:
        self._f, self._handler = f, handler

    def read(self, n: int = -1) -> bytes:
        data = self._f.read(n)
        self._handler.bytes_read += len(data)
        return data

    def __getattr__(self, name: str) -> Any:
        return getattr(self._f, name)


def counting_filesystem() -> tuple[Any, CountingHandler]:
    handler = CountingHandler()
    return pafs.PyFileSystem(handler), handler
