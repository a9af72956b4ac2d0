"""Chunked, parallel evaluation of a function over the rows of a pool."""

# SPDX-License-Identifier: BSD-3-Clause

import numpy as np
import scipy.sparse as sp
from joblib import effective_n_jobs
from sklearn.utils import gen_batches
from sklearn.utils.parallel import Parallel, delayed

from ._selection import top_k
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
               max_rows=MAX_CHUNK_ROWS, top=None, **kwargs):
    """Apply ``func(X_chunk, **kwargs)`` over row chunks of ``X`` in parallel.

    Chunks hold ``chunk_size`` rows, or as many as ``row_bytes`` per row
    allows within ``sklearn.get_config()["working_memory"]`` (at most
    ``max_rows``); results are concatenated in order, so they do not depend
    on ``n_jobs`` or the joblib backend.

    The chunks go to the workers in contiguous groups, one task per worker:
    a model or transformer in ``kwargs`` is sent once per worker, not once
    per chunk. (A memory-mapped ``X`` is sliced lazily: workers read their
    rows from the file.)

    ``top=(k, seed)`` selects instead of scoring: each chunk keeps only its
    best ``k`` (score, index) pairs, by the total order of
    :func:`~skactive.utils._selection.top_k`, and the result is the best
    ``k`` indices of the pool, best first. Memory is a chunk plus ``k`` per
    chunk, not a score per pool row.
    """
    if sp.issparse(X) and X.format not in ("csr", "csc"):
        X = X.tocsr()  # formats that can be sliced by rows
    n_samples = _num_samples(X)
    size = chunk_rows(n_samples, row_bytes, chunk_size, max_rows)
    batches = list(gen_batches(n_samples, size))
    n_tasks = max(1, min(len(batches), effective_n_jobs(n_jobs)))
    groups = [batches[g[0]:g[-1] + 1]
              for g in np.array_split(np.arange(len(batches)), n_tasks)]
    results = Parallel(n_jobs=n_jobs)(
        delayed(_run_group)(func, _safe_indexing(X, slice(g[0].start, g[-1].stop)),
                            [slice(b.start - g[0].start, b.stop - g[0].start)
                             for b in g], g[0].start, top, kwargs)
        for g in groups
    )
    results = [chunk for group in results for chunk in group]
    if top is not None:
        k, seed = top
        index = np.concatenate([indices for indices, _ in results])
        scores = np.concatenate([scores for _, scores in results])
        return top_k(scores, min(k, scores.shape[0]), seed, index=index)
    if any(sp.issparse(result) for result in results):
        return sp.vstack(results, format="csr")
    return np.concatenate(results)


def _run_group(func, X_group, chunks, offset, top, kwargs):
    """One task: ``func`` over consecutive chunks of a group of rows."""
    results = []
    for rows in chunks:
        out = func(_safe_indexing(X_group, rows), **kwargs)
        if top is not None:
            k, seed = top
            index = np.arange(offset + rows.start, offset + rows.stop)
            best = top_k(out, min(k, out.shape[0]), seed, index=index)
            out = (best, out[best - offset - rows.start])
        results.append(out)
    return results
