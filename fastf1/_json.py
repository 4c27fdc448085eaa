"""Counts as JSON data: the saved-counts format's value encoding, and its checks on reading.

Arrays are ``{"dtype": "int64", "values": [...]}``: integers (int64, uint64 labels and counts)
are JSON integers, written and read exactly whatever their size, never through float;
strings are JSON strings; float64 values are JSON numbers that read back to the same double.
Reading accepts only these shapes and dtypes (numbers, bools and strings), never objects:
a file from a stranger can only fail to load, not run code.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

#: the name in every saved-counts document, and the newest version this code reads
FORMAT = "fastf1.counts"
VERSION = 2  # 2: ScoreHistogram documents of its second binning
#: the version every other kind of document is written as: their layout is version 1's, so a
#: reader that knows only version 1 still reads them (a ScoreHistogram nested in a run carries
#: its own version, which such a reader refuses)
COUNTS_VERSION = 1


class NotCounts(ValueError):
    """The data is not fastf1 counts, or of a format version this fastf1 does not read."""


def encode_array(arr: np.ndarray) -> dict[str, Any]:
    if arr.dtype.kind == "f" and not np.isfinite(arr).all():
        raise ValueError("counts hold NaN or infinity; they cannot be saved")
    return {"dtype": arr.dtype.str if arr.dtype.kind in "US" else arr.dtype.name,
            "values": arr.tolist()}


def decode_array(data: Any, what: str, kinds: str = "biufU") -> np.ndarray:
    if not isinstance(data, dict) or not isinstance(data.get("values"), list) \
            or not isinstance(data.get("dtype"), str):
        raise NotCounts(f"{what}: expected {{'dtype': ..., 'values': [...]}}")
    try:
        dtype = np.dtype(data["dtype"])
    except TypeError:
        raise NotCounts(f"{what}: unknown dtype {data['dtype']!r}") from None
    if dtype.kind not in kinds or dtype.hasobject:
        raise NotCounts(f"{what}: dtype {dtype} is not allowed here")
    values = data["values"]
    types: dict[str, Any] = {"b": bool, "i": int, "u": int, "f": (int, float), "U": str}
    want = types[dtype.kind]
    if not all(isinstance(v, want) and (dtype.kind == "b" or not isinstance(v, bool))
               for v in values):
        raise NotCounts(f"{what}: values do not all fit dtype {dtype}")
    try:
        return np.array(values, dtype=dtype)
    except (OverflowError, ValueError):
        raise NotCounts(f"{what}: values do not all fit dtype {dtype}") from None


def encode_scalar(x: Any) -> Any:
    """A number, string, bool or None (threshold, ignore_index, totals, group keys)."""
    if isinstance(x, np.ndarray):
        return encode_array(x)
    if isinstance(x, np.generic):
        x = x.item()
    if isinstance(x, float) and not math.isfinite(x):
        raise ValueError(f"{x!r} cannot be saved")
    if x is None or isinstance(x, (bool, int, float, str)):
        return x
    raise TypeError(f"{type(x).__name__} values cannot be saved as counts")


def decode_scalar(x: Any, what: str) -> Any:
    if isinstance(x, dict):
        return decode_array(x, what)
    if x is None or isinstance(x, (bool, int, float, str)):
        return x
    raise NotCounts(f"{what}: unexpected {type(x).__name__}")


def check_header(data: Any, kind: str) -> None:
    """``data`` is a fastf1 counts document of ``kind`` this version reads."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise NotCounts("not fastf1 counts (no \"format\": \"fastf1.counts\")")
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise NotCounts(f"not fastf1 counts (version {version!r})")
    if version > VERSION:
        raise NotCounts(f"fastf1 counts format version {version} is newer than this fastf1 "
                        f"reads ({VERSION}); upgrade fastf1")
    if data.get("kind") != kind:
        raise NotCounts(f"these are {data.get('kind')!r} counts, not {kind!r}")


def decode_groups(groups: list, decode: Any) -> list[tuple[Any, Any]]:
    """(group key, decoded counts) pairs of a ByGroup document: keys scalar and distinct."""
    out, seen = [], set()
    for k, v in groups:
        if not (k is None or isinstance(k, (bool, int, float, str))):
            raise NotCounts(f"group: a group key must be a number, string, bool or null, "
                            f"not {type(k).__name__}")
        if isinstance(k, float) and not math.isfinite(k):
            raise NotCounts(f"group: key {k!r} is not finite")
        if k in seen:
            raise NotCounts(f"group: key {k!r} appears twice")
        seen.add(k)
        out.append((k, decode(v)))
    return out
