"""The argmax of several score rows at once, one row per SIMD lane, written in LLVM IR.

Numba vectorises loops, but not across the rows of a row-major score matrix: the best
scalar form (four rows fused in one loop over the columns) costs five instructions per
score (load, compare, max, add, select). Here lane ``r`` of each vector holds row ``i + r``,
so one vector compare / max / add / select serves ``ROWS`` scores; the price is building each
column vector from ``ROWS`` scalar loads (``vinsertps``), which the vector operations
repay once a row holds more than a few scores.

The IR is generic LLVM vector code, so it compiles on any target numba supports (narrower
SIMD splits each vector). Numba's disk cache keys each kernel on its own source file: after
editing this one, touch ``cpu.py`` (or clear the cache) so the kernels recompile.
"""

from __future__ import annotations

from llvmlite import ir
from numba import types
from numba.core import cgutils
from numba.extending import intrinsic

#: rows per call (``cpu._block_indices`` takes four lanes at a time). Eight lanes win in
#: isolation, but inside the block loop, consumed through a loop over the lanes, they lose
#: to four.
ROWS = 4


def _columns(context, builder, arrty, array, row0):
    """``(column, ncols, vty, i64, i32)``: ``column(j)`` loads the scores
    ``p[row0 .. row0 + ROWS - 1, j]`` of the 2-D array ``array`` (any layout) as one
    vector of type ``vty``; ``ncols`` is the number of columns."""
    ary = context.make_array(arrty)(context, builder, array)
    i64, i32 = ir.IntType(64), ir.IntType(32)
    row0 = row0 if row0.type == i64 else builder.sext(row0, i64)
    fty = context.get_value_type(arrty.dtype)
    vty = ir.VectorType(fty, ROWS)
    ncols = cgutils.unpack_tuple(builder, ary.shape, 2)[1]
    rstride, cstride = cgutils.unpack_tuple(builder, ary.strides, 2)  # in bytes
    data = builder.bitcast(ary.data, ir.IntType(8).as_pointer())
    rows = [builder.gep(data, [builder.mul(builder.add(row0, ir.Constant(i64, r)), rstride)])
            for r in range(ROWS)]

    def column(j):
        """Scores ``p[row0 .. row0 + ROWS - 1, j]`` as one vector (``j``: one index, or a
        vector of ROWS indices, one per row)."""
        v = ir.Constant(vty, ir.Undefined)
        for r, row in enumerate(rows):
            jr = builder.extract_element(j, ir.Constant(i32, r)) \
                if isinstance(j.type, ir.VectorType) else j
            ptr = builder.bitcast(builder.gep(row, [builder.mul(jr, cstride)]),
                                  fty.as_pointer())
            v = builder.insert_element(v, builder.load(ptr), ir.Constant(i32, r))
        return v

    return column, ncols, vty, i64, i32


@intrinsic
def argmax_rows(typingctx, p, i):
    """``(k, ok)`` for rows ``i .. i + ROWS - 1`` of the 2-D float array ``p`` (any layout;
    the caller guarantees the rows exist and that ``p`` has a column): ``k[r]`` is the first
    index of the largest score of row ``i + r``, as ``np.argmax`` when its scores are
    finite; ``ok[r]`` says that the row's sum is finite. A row with a NaN / inf fails that
    test, and so (rarely) does a valid row of huge finite scores whose sum overflows:
    callers re-check failed rows."""
    if not (isinstance(p, types.Array) and p.ndim == 2 and isinstance(p.dtype, types.Float)
            and isinstance(i, types.Integer)):
        return None
    sig = types.Tuple([types.UniTuple(types.int64, ROWS),
                       types.UniTuple(types.boolean, ROWS)])(p, i)

    def codegen(context, builder, signature, args):
        arrty = signature.args[0]
        column, ncols, vty, i64, i32 = _columns(context, builder, arrty, args[0], args[1])
        kty = ir.VectorType(i64, ROWS)  # int64 lanes: no slower than int32 here
        splat = ir.Constant(ir.VectorType(i32, ROWS), [0] * ROWS)
        first = column(ir.Constant(i64, 0))
        best_p = cgutils.alloca_once_value(builder, first)
        sum_p = cgutils.alloca_once_value(builder, first)
        k_p = cgutils.alloca_once_value(builder, ir.Constant(kty, [0] * ROWS))
        one = ir.Constant(i64, 1)
        with cgutils.for_range_slice(builder, one, ncols, one, inc=True) as (j, _):
            x = column(j)
            best = builder.load(best_p)
            greater = builder.fcmp_ordered(">", x, best)  # strict: the first maximum wins
            builder.store(builder.select(greater, x, best), best_p)
            builder.store(builder.fadd(builder.load(sum_p), x), sum_p)
            jv = builder.insert_element(ir.Constant(kty, ir.Undefined), j, ir.Constant(i32, 0))
            jv = builder.shuffle_vector(jv, ir.Constant(kty, ir.Undefined), splat)
            builder.store(builder.select(greater, jv, builder.load(k_p)), k_p)
        total = builder.load(sum_p)
        finite = builder.fcmp_ordered("==", builder.fsub(total, total),
                                      ir.Constant(vty, [0.0] * ROWS))
        k = builder.load(k_p)
        lanes = [ir.Constant(i32, r) for r in range(ROWS)]
        kt, okt = signature.return_type.types
        return context.make_tuple(builder, signature.return_type, [
            context.make_tuple(builder, kt, [builder.extract_element(k, c) for c in lanes]),
            context.make_tuple(builder, okt, [builder.extract_element(finite, c) for c in lanes])])

    return sig, codegen


@intrinsic
def rank_rows(typingctx, p, i, c):
    """``(greater, equal, ok)`` for rows ``i .. i + ROWS - 1`` of the 2-D float array ``p``
    (any layout, fewer than 2**31 columns) and their columns ``c`` (a tuple of ROWS
    integers, each in ``[0, ncols)``: the caller guarantees all this, and that the rows
    exist): ``greater[r]`` counts the columns of
    row ``i + r`` scoring more than its column ``c[r]``, ``equal[r]`` those scoring the same
    (column ``c[r]`` itself included); ``ok[r]`` says that the row's sum is finite (as for
    ``argmax_rows``: callers re-check failed rows). Two compares per score: where ties
    decide a rank, the caller ranks the row on its own."""
    if not (isinstance(p, types.Array) and p.ndim == 2 and isinstance(p.dtype, types.Float)
            and isinstance(i, types.Integer) and isinstance(c, types.UniTuple)
            and c.count == ROWS and isinstance(c.dtype, types.Integer)):
        return None
    sig = types.Tuple([types.UniTuple(types.int64, ROWS), types.UniTuple(types.int64, ROWS),
                       types.UniTuple(types.boolean, ROWS)])(p, i, c)

    def codegen(context, builder, signature, args):
        arrty = signature.args[0]
        column, ncols, vty, i64, i32 = _columns(context, builder, arrty, args[0], args[1])
        kty = ir.VectorType(i64, ROWS)
        lanes = [ir.Constant(i32, r) for r in range(ROWS)]
        cv = ir.Constant(kty, ir.Undefined)
        for r, cr in enumerate(cgutils.unpack_tuple(builder, args[2], ROWS)):
            cr = cr if cr.type == i64 else builder.sext(cr, i64)
            cv = builder.insert_element(cv, cr, lanes[r])
        own = column(cv)  # each row's score of its own column
        # int32 counters (the caller keeps the columns below 2**31): a compare's lanes are
        # already int32 masks, subtracted as they are
        cty = ir.VectorType(i32, ROWS)
        zero = ir.Constant(cty, [0] * ROWS)
        sum_p = cgutils.alloca_once_value(builder, ir.Constant(vty, [0.0] * ROWS))
        greater_p = cgutils.alloca_once_value(builder, zero)
        equal_p = cgutils.alloca_once_value(builder, zero)
        with cgutils.for_range_slice(builder, ir.Constant(i64, 0), ncols, ir.Constant(i64, 1),
                                     inc=True) as (j, _):
            x = column(j)
            for ptr, op in ((greater_p, ">"), (equal_p, "==")):
                mask = builder.fcmp_ordered(op, x, own)
                builder.store(builder.sub(builder.load(ptr), builder.sext(mask, cty)), ptr)
            builder.store(builder.fadd(builder.load(sum_p), x), sum_p)
        total = builder.load(sum_p)
        finite = builder.fcmp_ordered("==", builder.fsub(total, total),
                                      ir.Constant(vty, [0.0] * ROWS))
        greater = builder.sext(builder.load(greater_p), kty)
        equal = builder.sext(builder.load(equal_p), kty)
        gt, eqt, okt = signature.return_type.types
        return context.make_tuple(builder, signature.return_type, [
            context.make_tuple(builder, gt, [builder.extract_element(greater, r)
                                             for r in lanes]),
            context.make_tuple(builder, eqt, [builder.extract_element(equal, r)
                                              for r in lanes]),
            context.make_tuple(builder, okt, [builder.extract_element(finite, r)
                                              for r in lanes])])

    return sig, codegen
