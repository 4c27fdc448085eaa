"""``where``: a SQL boolean expression over a dataset's columns -> a ``pyarrow.compute``
expression that the dataset scan pushes down.

The SQL is parsed by sqlglot (no parser of our own); the subset understood is what a filter
on a prediction dump needs: comparisons (``= != <> < <= > >=``), ``IN (...)``, ``BETWEEN``,
``IS [NOT] NULL``, ``AND`` / ``OR`` / ``NOT`` and parentheses, over column names (quoted with
``"..."`` when they are not plain identifiers) and literals (numbers, ``'strings'``, TRUE /
FALSE). Literals are cast to the type of the column they are compared with, so a typo such as
``day >= 2026`` on a string column is an error, not an empty result.
"""

from __future__ import annotations

from typing import Any

from ._errors import _one_line

_COMPARISONS = {"EQ": "__eq__", "NEQ": "__ne__", "GT": "__gt__", "GTE": "__ge__",
                "LT": "__lt__", "LTE": "__le__"}


def parse_where(text: str, schema: Any) -> Any:
    """``text`` as a ``pyarrow.compute.Expression`` over the columns of ``schema``.

    Parameters
    ----------
    text : str
        A SQL boolean expression, such as ``model = 'v2' and day >= '2026-11-01'``.
    schema : pyarrow.Schema
        The columns it may name, with their types.

    Raises
    ------
    ValueError
        A syntax error, an unknown column (naming it and the columns there), a literal that
        does not fit its column's type, or SQL outside the supported subset.

    Examples
    --------
    >>> import pyarrow as pa
    >>> schema = pa.schema([("model", pa.string()), ("day", pa.int64())])
    >>> parse_where("model = 'v2' and day between 1 and 7", schema)
    <pyarrow.compute.Expression ((model == "v2") and ((day >= 1) and (day <= 7)))>
    """
    try:
        import sqlglot
        from sqlglot.errors import ParseError, TokenError
    except ImportError:  # pragma: no cover - depends on the environment
        raise ImportError("where= needs sqlglot: pip install 'fastf1-metrics[io]'") from None
    if not isinstance(text, str) or not text.strip():
        raise ValueError(f"where must be a SQL boolean expression, got {text!r}")
    try:
        tree = sqlglot.parse_one(text)
    except (ParseError, TokenError) as exc:
        raise ValueError(f"where: syntax error in {text!r}: {_first_line(exc)}") from None
    return _Translate(schema, text).boolean(tree)


def _first_line(exc: BaseException) -> str:
    # sqlglot's messages end with the statement, underlined with terminal escapes
    return _one_line(Exception(str(exc).split("\n")[0]))


class _Translate:
    def __init__(self, schema: Any, text: str) -> None:
        self.schema, self.text = schema, text

    def fail(self, node: Any, why: str) -> ValueError:
        return ValueError(f"where: {why} (in {node.sql()!r})")

    def boolean(self, node: Any) -> Any:
        import pyarrow.compute as pc
        from sqlglot import exp

        if isinstance(node, exp.Paren):
            return self.boolean(node.this)
        if isinstance(node, exp.And):
            return self.boolean(node.this) & self.boolean(node.expression)
        if isinstance(node, exp.Or):
            return self.boolean(node.this) | self.boolean(node.expression)
        if isinstance(node, exp.Not):
            return ~self.boolean(node.this)
        if isinstance(node, exp.Boolean):
            return pc.scalar(bool(node.this))
        if isinstance(node, exp.Column):
            field, typ = self.column(node)
            if str(typ) != "bool":
                raise self.fail(node, f"column {node.name!r} is {typ}, not a boolean")
            return field
        kind = type(node).__name__
        if kind in _COMPARISONS:
            left, right = node.this, node.expression
            if not isinstance(left, exp.Column) and isinstance(right, exp.Column):
                flipped = {"GT": "__lt__", "GTE": "__le__", "LT": "__gt__", "LTE": "__ge__"}
                field, typ = self.column(right)
                return getattr(field, flipped.get(kind, _COMPARISONS[kind]))(
                    self.literal(left, typ, right.name))
            if isinstance(left, exp.Column) and isinstance(right, exp.Column):
                return getattr(self.column(left)[0], _COMPARISONS[kind])(self.column(right)[0])
            field, typ = self.operand(left)
            return getattr(field, _COMPARISONS[kind])(self.literal(right, typ, left.name))
        if isinstance(node, exp.In):
            field, typ = self.operand(node.this)
            if node.args.get("query") is not None:
                raise self.fail(node, "IN takes a list of values, not a query")
            values = [self.literal(v, typ, node.this.name) for v in node.expressions]
            import pyarrow as pa

            return field.isin(pa.array([v.as_py() for v in values], typ))
        if isinstance(node, exp.Between):
            field, typ = self.operand(node.this)
            name = node.this.name
            return (field >= self.literal(node.args["low"], typ, name)) & \
                (field <= self.literal(node.args["high"], typ, name))
        if isinstance(node, exp.Is):
            field, _ = self.operand(node.this)
            if not isinstance(node.expression, exp.Null):
                raise self.fail(node, "IS takes NULL (IS NULL, IS NOT NULL)")
            return field.is_null()
        raise self.fail(node, f"{kind} is not supported; use comparisons, IN, BETWEEN, "
                              "IS NULL, AND, OR, NOT")

    def operand(self, node: Any) -> tuple[Any, Any]:
        from sqlglot import exp

        if not isinstance(node, exp.Column):
            raise self.fail(node, "the left side of a comparison must be a column")
        return self.column(node)

    def column(self, node: Any) -> tuple[Any, Any]:
        import pyarrow.compute as pc

        name = node.name
        if node.table:
            raise self.fail(node, f"name columns without a table ({node.table}.{name})")
        if name not in self.schema.names:
            there = ", ".join(repr(n) for n in self.schema.names) or "none"
            raise ValueError(f"where: no column named {name!r}; the columns there are: {there}")
        return pc.field(name), self.schema.field(name).type

    def literal(self, node: Any, typ: Any, column: str) -> Any:
        import pyarrow as pa
        from sqlglot import exp

        negative = False
        while isinstance(node, (exp.Neg, exp.Paren)):
            negative ^= isinstance(node, exp.Neg)
            node = node.this
        if isinstance(node, exp.Boolean):
            value: Any = bool(node.this)
        elif isinstance(node, exp.Literal) and node.is_string:
            value = node.this
        elif isinstance(node, exp.Literal):
            text = node.this
            try:
                value = int(text)  # exact, whatever the size (2**53 + 1 stays itself)
            except ValueError:
                value = float(text)
        else:
            raise self.fail(node, "compare a column with a literal value or another column")
        if negative:
            if isinstance(value, (str, bool)):
                raise self.fail(node, f"cannot negate {value!r}")
            value = -value
        try:
            if isinstance(value, str) and not (pa.types.is_string(typ)
                                               or pa.types.is_large_string(typ)):
                raise TypeError
            if isinstance(value, (int, float)) and (pa.types.is_string(typ)
                                                    or pa.types.is_large_string(typ)):
                raise TypeError
            if isinstance(value, int) and not isinstance(value, bool) \
                    and pa.types.is_integer(typ):
                return pa.scalar(value, typ)  # exact: no trip through int64 or float
            scalar = pa.scalar(value).cast(typ)
            if isinstance(value, (int, float)) and not isinstance(value, bool) \
                    and scalar.as_py() != value:
                raise TypeError
            return scalar
        except (TypeError, ValueError, OverflowError, pa.ArrowException):
            raise ValueError(f"where: {value!r} cannot be compared with column {column!r} of "
                             f"type {typ} (in {self.text!r})") from None
