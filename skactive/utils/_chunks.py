"""Chunked, parallel evaluation of a function over the rows of a pool."""

# SPDX-License-Identifier: BSD-3-Clause

from collections import OrderedDict

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

# What a worker process keeps between calls (see ``map_chunks(keep=...)``):
# the arguments of the latest keys it received. In the calling process, the
# latest keys whose arguments went to worker processes.
_KEPT = OrderedDict()
_KEPT_SIZE = 2
_SENT = OrderedDict()
_SENT_SIZE = 64


def chunk_rows(n_samples, row_bytes, chunk_size=None, max_rows=MAX_CHUNK_ROWS):
    """Rows per chunk: ``chunk_size``, or equal chunks within working memory."""
    if chunk_size is not None:
        return chunk_size
    chunk_size = get_chunk_n_rows(row_bytes, max_n_rows=max_rows)
    n_chunks = max(1, -(-n_samples // chunk_size))
    return max(1, -(-n_samples // n_chunks))


def map_chunks(func, X, *, row_bytes, chunk_size=None, n_jobs=None,
               max_rows=MAX_CHUNK_ROWS, top=None, keep=None, **kwargs):
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

    ``keep=(key, arguments)``: keyword arguments of ``func`` (a fitted model)
    that worker processes keep between calls, under ``key``: sent with the
    first call of that key, then looked up by it. A process that lacks them
    (new, or none of its tasks came in the first call) has its tasks run
    again with them. ``key`` must change whenever the arguments do.
    """
    if sp.issparse(X) and X.format not in ("csr", "csc"):
        X = X.tocsr()  # formats that can be sliced by rows
    n_samples = _num_samples(X)
    size = chunk_rows(n_samples, row_bytes, chunk_size, max_rows)
    batches = list(gen_batches(n_samples, size))
    n_tasks = max(1, min(len(batches), effective_n_jobs(n_jobs)))
    groups = [batches[g[0]:g[-1] + 1]
              for g in np.array_split(np.arange(len(batches)), n_tasks)]
    tasks = [(_safe_indexing(X, slice(g[0].start, g[-1].stop)),
              [slice(b.start - g[0].start, b.stop - g[0].start) for b in g],
              g[0].start) for g in groups]
    results = _run_tasks(func, tasks, n_jobs, top, kwargs, keep)
    results = [chunk for group in results for chunk in group]
    if top is not None:
        k, seed = top
        index = np.concatenate([indices for indices, _ in results])
        scores = np.concatenate([scores for _, scores in results])
        return top_k(scores, min(k, scores.shape[0]), seed, index=index)
    if any(sp.issparse(result) for result in results):
        return sp.vstack(results, format="csr")
    return np.concatenate(results)


def _run_tasks(func, tasks, n_jobs, top, kwargs, keep):
    """Each task's chunk results, in parallel; the tasks whose worker process
    lacked the kept arguments are run again, with them."""
    if len(tasks) == 1 and effective_n_jobs(n_jobs) == 1:
        # joblib would run the one task here too, after its dispatch (a few
        # hundred microseconds, as much as scoring a small pool).
        kept = None if keep is None else _Kept(*keep, send=True)
        return [_run_group(func, *tasks[0], top, kwargs, kept)]
    send = keep is None or keep[0] not in _SENT

    def run(indices, send):
        kept = None if keep is None else _Kept(*keep, send=send)
        return Parallel(n_jobs=n_jobs)(
            delayed(_run_group)(func, *tasks[i], top, kwargs, kept) for i in indices)

    results = run(range(len(tasks)), send)
    missed = [i for i, result in enumerate(results) if result is None]
    if missed:
        for i, result in zip(missed, run(missed, True)):
            results[i] = result
    return results


class _Kept:
    """Keyword arguments that a worker process keeps between calls, under a key.

    Pickled (for a worker process), it carries the arguments only when
    ``send`` is set, and the calling process notes that they went out;
    unpickled, it stores them in the process, or looks them up by the key
    (``arguments`` is None when the process does not have them). Passed
    without pickling (threads), it is used as it is.
    """

    def __init__(self, key, arguments, *, send):
        self.key, self.arguments, self.send = key, arguments, send

    def __getstate__(self):
        if self.send:
            _remember(_SENT, self.key, True, _SENT_SIZE)
        return {"key": self.key, "arguments": self.arguments if self.send else None}

    def __setstate__(self, state):
        # Arguments received are sent on if pickled again (a dask scheduler
        # unpickles a task before it pickles it for a worker).
        self.key, self.arguments = state["key"], state["arguments"]
        self.send = self.arguments is not None
        if self.arguments is None:
            self.arguments = _KEPT.get(self.key)
        if self.arguments is not None:
            _remember(_KEPT, self.key, self.arguments, _KEPT_SIZE)


def _remember(cache, key, value, size):
    """``cache[key] = value``, keeping the ``size`` latest keys."""
    cache.pop(key, None)
    cache[key] = value
    while len(cache) > size:
        cache.pop(next(iter(cache)), None)


def _run_group(func, X_group, chunks, offset, top, kwargs, kept=None):
    """One task: ``func`` over consecutive chunks of a group of rows; None
    when this process lacks the ``kept`` arguments."""
    if kept is not None:
        if kept.arguments is None:
            return None
        kwargs = {**kwargs, **kept.arguments}
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
