"""Score prediction dumps chunk by chunk, on disk or in an object store: Parquet, Arrow IPC /
Feather, CSV, .npy, .npz.

The package, by job: ``sources`` (paths and URIs -> :class:`Source`, each file once, hive
partitions), ``arrow`` (Parquet / Arrow IPC / CSV through ``pyarrow.dataset``, ``where``
pushdown), ``where`` (SQL -> ``pyarrow.compute``), ``npy`` (.npy and .npz), ``chunks`` (the
chunk protocol, the reader thread), ``scoring`` (:func:`score_files` and :func:`count_files`),
``saved`` (saved and resumed runs), ``progress`` (the progress bar).

Every reader speaks one protocol: it yields ``(columns, nbytes)`` pairs, where ``columns``
maps the requested column names to NumPy arrays of the same length (at most ``chunk_rows``
rows) and ``nbytes`` is how much of the file on disk the chunk stands for (for progress
bars). :func:`read_chunks` turns those into ``(y_true, y_pred, sample_weight)`` chunks and
:func:`score_files` counts them into one :class:`fastf1.StatScores`. Counts are additive, so
the result equals scikit-learn's on the concatenated rows, whatever the chunk size; memory
is bounded by the chunk size (and by a Parquet row group or an Arrow record batch, which
pyarrow decodes whole), never by the file size.

Sources
-------
A source is a file, a directory (its files of a supported type, recursively, skipping names
that start with ``.`` or ``_`` such as Spark's ``_SUCCESS``) or a glob pattern, named by a
local path or a URI (``s3://``, ``gs://``, ``abfs://``, ``hdfs://``, or any fsspec scheme).
Folders named ``key=value`` are hive partitions: ``key`` is a column of the files below. The
comes from the suffix (``.parquet``/``.pq``, ``.arrow``/``.feather``/``.ipc``,
``.csv`` and ``.csv.gz`` and friends, ``.npy``, ``.npz``) or from ``format=``.
Several sources are read one after the other as one data set.

``.npy`` files hold one array each: the ``.npy`` files of one directory form one table
whose column names are the file names without ``.npy`` (``dump/y_true.npy`` and
``dump/y_pred.npy`` give the columns ``y_true`` and ``y_pred``). They are read chunk by chunk
with positioned reads, never loaded whole. ``.npz`` archives are tables whose columns are their arrays;
their members are streamed (compressed or not), never loaded whole.

Columns
-------
``true`` names the true labels. ``pred`` names the predictions: a column of labels, a column
of scores with ``threshold=`` (binary), or a 2-D score column (an Arrow fixed-size list or
list column, or an (n, K) array) scored by argmax; or ``pred`` is a list of K score columns,
stacked into an (n, K) matrix and scored by argmax (the class of column j is j).
A 2-D ``true`` column of 0/1 indicators gives multilabel counts.
"""

from .chunks import DEFAULT_CHUNK_ROWS, Chunk, read_chunks
from .progress import PROGRESS_MININTERVAL, Progress, ProgressBar
from .scoring import ScoreResult, count_files, score_files
from .sources import FORMATS, SUFFIXES, Source, resolve_sources

__all__ = ["DEFAULT_CHUNK_ROWS", "FORMATS", "PROGRESS_MININTERVAL", "SUFFIXES", "Chunk",
           "Progress", "ProgressBar", "ScoreResult", "Source", "count_files", "read_chunks",
           "resolve_sources", "score_files"]
