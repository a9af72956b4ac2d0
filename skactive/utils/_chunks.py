"""Chunked, parallel evaluation of a function over the rows of a pool."""

# SPDX-License-Identifier: BSD-3-Clause

import numpy as np
import scipy.sparse as sp
from sklearn.utils import gen_batches
from sklearn.utils.parallel import Parallel, delayed

from ._sklearn_compat import _num_samples, _safe_indexing, get_chunk_n_rows

# Cap on the rows of one chunk, so that even a pool that fits in working
# memory is cut into pieces that several workers can share. It does not
# depend on n_jobs: the same chunks, hence the same floating-point results,
# whatever the number of workers.
MAX_CHUNK_ROWS = 2**14


def chunk_rows(n_samples, row_bytes, chunk_size=None, max_rows=MAX_CHUNK_ROWS):
    """Rows per chunk: ``chunk_size``, or equal chunks within working memory."""
    if chunk_size is not None:
        return chunk_size
    chunk_size = get_chunk_n_rows(row_bytes, max_n_rows=max_rows)
    n_chunks = max(1, -(-n_samples // chunk_size))
    return max(1, -(-n_samples // n_chunks))


def map_chunks(func, X, *, row_bytes, chunk_size=None, n_jobs=None,
               max_rows=MAX_CHUNK_ROWS, **kwargs):
    """Apply ``func(X_chunk, **kwargs)`` over row chunks of ``X`` in parallel.

    Chunks hold ``chunk_size`` rows, or as many as ``row_bytes`` per row
    allows within ``sklearn.get_config()["working_memory"]`` (at most
    ``max_rows``); results are concatenated in order, so they do not depend
    on ``n_jobs`` or the joblib backend.
    """
    if sp.issparse(X) and X.format not in ("csr", "csc"):
        X = X.tocsr()  # formats that can be sliced by rows
    n_samples = _num_samples(X)
    size = chunk_rows(n_samples, row_bytes, chunk_size, max_rows)
    results = Parallel(n_jobs=n_jobs)(
        delayed(func)(_safe_indexing(X, rows), **kwargs)
        for rows in gen_batches(n_samples, size)
    )
    if any(sp.issparse(result) for result in results):
        return sp.vstack(results, format="csr")
    return np.concatenate(results)
