"""Peak memory of scoring files is bounded by the chunk size, not by the rows read.

Two datasets of the same file copied 4 and 40 times (10x the rows) are scored, each in a
fresh process that reports its own peak RSS (``VmHWM``: the high-water mark of the process's
own memory, which a fork does not carry over) and the peak of pyarrow's memory pool. Memory
that grew with the rows (a reader that runs ahead without bound, chunks kept alive) shows up
as the larger dataset's peaks exceeding the smaller one's.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import numpy as np
import pytest

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

CHUNK = 1 << 15
FILE_ROWS = 1 << 18

_CHILD = """
import sys
import pyarrow as pa
from fastf1 import io
result = io.count_files(sys.argv[1], true="y", pred="p", chunk_rows=int(sys.argv[2]))
with open("/proc/self/status") as f:
    hwm = next(int(line.split()[1]) for line in f if line.startswith("VmHWM"))
print(result.n_rows, hwm * 1024, pa.default_memory_pool().max_memory())
"""


def _peaks(folder, env) -> tuple[int, int, int]:
    done = subprocess.run([sys.executable, "-c", _CHILD, str(folder), str(CHUNK)], env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    rows, rss, pool = map(int, done.stdout.split())
    return rows, rss, pool


@pytest.mark.skipif(not os.path.exists("/proc/self/status"), reason="reads /proc (Linux)")
def test_peak_memory_does_not_grow_with_the_rows(tmp_path):
    rng = np.random.default_rng(0)
    y = rng.integers(0, 20, FILE_ROWS).astype(np.int32)
    p = np.where(rng.random(FILE_ROWS) < 0.8, y, rng.integers(0, 20, FILE_ROWS)).astype(np.int32)
    one = tmp_path / "one.parquet"
    pq.write_table(pa.table({"y": y, "p": p}), one, row_group_size=CHUNK)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [
        os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
        os.environ.get("PYTHONPATH")]))}
    peaks = {}
    for copies in (4, 40):
        folder = tmp_path / f"x{copies}"
        folder.mkdir()
        for i in range(copies):
            shutil.copy(one, folder / f"part-{i:03d}.parquet")
        rows, rss, pool = _peaks(folder, env)
        assert rows == copies * FILE_ROWS
        peaks[copies] = rss, pool
    (small_rss, small_pool), (large_rss, large_pool) = peaks[4], peaks[40]
    decoded_growth = 36 * FILE_ROWS * 8  # the decoded columns of the 36 extra files: 72 MiB
    # pyarrow's buffers: a few chunks per file read at once, whatever the rows
    assert large_pool <= 1.5 * small_pool + (1 << 20), (small_pool, large_pool)
    assert large_pool < 64 * CHUNK * 8
    # the whole process: allocator noise, nothing like the extra rows
    assert large_rss - small_rss < decoded_growth // 4, (small_rss, large_rss)
