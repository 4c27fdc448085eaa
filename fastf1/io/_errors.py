"""Error helpers shared by the readers: one-line messages that name the file."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any


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
    """The message on one line; bytes of a binary file quoted in it (a parser's "got ..."
    echo) are escaped rather than sent to the terminal."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    return "".join(c if c.isprintable() else ascii(c)[1:-1] for c in text)


#: how pyarrow (the AWS SDK's error names) and fsspec's clients report refused credentials
_REFUSED = re.compile(
    r"ACCESS_DENIED|INVALID_ACCESS_KEY_ID|SIGNATURE_DOES_NOT_MATCH|INVALID_CLIENT_TOKEN_ID|"
    r"EXPIRED_TOKEN|MISSING_AUTHENTICATION_TOKEN|UNRECOGNIZED_CLIENT|AccessDenied|"
    r"InvalidAccessKeyId|SignatureDoesNotMatch|\b403 Forbidden|\bForbidden\b|Unauthorized|"
    r"PERMISSION_DENIED|AuthorizationFailure|AuthenticationFailed")
#: a failure of the object store's client rather than of the bytes it returned
_REMOTE = re.compile(r"AWS Error|curlCode|google::cloud|Azure::")


def _remote_failure(where: str, exc: BaseException) -> OSError | None:
    """The one-line error of a read the object store refused or could not serve, or None
    when ``exc`` is about the bytes (a corrupt file, a missing column).

    Refused credentials are a :class:`PermissionError` that says where credentials come
    from: fastf1 has no options of its own for them.
    """
    text = _one_line(exc)
    if _REFUSED.search(text):
        return PermissionError(
            f"{where}: access refused: the store rejected the credentials or they may not "
            "read this (credentials come from the standard environment and configuration: "
            f"AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, AWS_PROFILE, ...) ({text})")
    if _REMOTE.search(text):
        return OSError(f"{where}: {text}")
    return None


def _require_pyarrow() -> Any:
    try:
        import pyarrow
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError(
            "reading Parquet, Arrow and CSV files needs pyarrow: "
            "pip install 'fastf1-metrics[io]'") from exc
    return pyarrow
