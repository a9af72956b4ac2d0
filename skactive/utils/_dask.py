"""Pools held as dask arrays or DataFrames: scores block by block on the
workers, and a batch from each block's best merged on the client.

dask is an optional dependency: nothing here imports it unless the pool is a
dask collection, which means the user has imported it already.
"""

# SPDX-License-Identifier: BSD-3-Clause

import sys
import time
import uuid
from functools import partial

import numpy as np

from ._selection import top_k


def is_dask_pool(X):
    """Whether ``X`` is a pool on dask: a ``dask.array.Array``, or a dask
    DataFrame (as given, or checked: :class:`DaskFrame`)."""
    module = sys.modules.get("dask.array")
    return (isinstance(X, DaskFrame) or is_dask_dataframe(X)
            or (module is not None and isinstance(X, module.Array)))


def is_dask_dataframe(X):
    """Whether ``X`` is a ``dask.dataframe.DataFrame`` (without importing dask)."""
    module = sys.modules.get("dask.dataframe")
    return module is not None and isinstance(X, module.DataFrame)


class DaskFrame:
    """A dask DataFrame as the samplers see a dask array: blocks of rows
    (its partitions, pandas DataFrames that a Pipeline takes as they are)
    whose lengths are known.

    The lengths are computed once, when the pool is checked: one pass over
    the partitions (persist the frame first to read it only once). On the
    workers, nullable string columns of each partition become object
    columns with ``np.nan`` for missing values (:func:`plain_strings`).
    """

    ndim = 2

    def __init__(self, frame):
        self.frame = frame
        lengths = tuple(int(n) for n in frame.map_partitions(len).compute())
        self.columns = frame.columns
        self.chunks = (lengths, (len(frame.columns),))
        self.shape = (sum(lengths), len(frame.columns))
        self.numblocks = (len(lengths), 1)

    def to_delayed(self):
        from dask import delayed

        return np.array([delayed(plain_strings)(part)
                         for part in self.frame.to_delayed()], dtype=object)


def plain_strings(frame):
    """``frame`` with its nullable string columns as object columns whose
    missing values are ``np.nan``.

    dask's ``dataframe.convert-string`` setting (on by default) stores string
    columns as pyarrow strings whose missing value is ``pd.NA``, which
    scikit-learn's imputers and encoders cannot compare ("boolean value of
    NA is ambiguous"); a pandas DataFrame read in memory holds ``np.nan``
    there. ``frame`` itself is not modified.
    """
    import pandas as pd

    nullable = [i for i, dtype in enumerate(frame.dtypes)
                if getattr(dtype, "na_value", None) is pd.NA
                and pd.api.types.is_string_dtype(dtype)]
    if not nullable:
        return frame
    frame = frame.copy(deep=False)
    for i in nullable:
        column = frame.iloc[:, i]
        frame.isetitem(i, pd.Series(column.to_numpy(dtype=object, na_value=np.nan),
                                    index=column.index, dtype=object))
    return frame


def check_dask_pool(X):
    """A 2-D dask pool with known row chunks, in one block of columns.

    Every block then holds whole samples, and the offset of each block in
    the pool is known without computing anything. A dask DataFrame becomes
    a :class:`DaskFrame`.
    """
    if is_dask_dataframe(X):
        return DaskFrame(X)
    if X.ndim != 2:
        raise ValueError(
            f"Expected a 2-D dask array of shape (n_samples, n_features), got "
            f"{X.ndim} dimension(s)."
        )
    if any(np.isnan(size) for size in X.chunks[0]):
        raise ValueError(
            "The dask pool has unknown chunk sizes (as after boolean indexing "
            "or from a dask DataFrame's .values): call X.compute_chunk_sizes() "
            "or build it with da.from_array / DataFrame.to_dask_array(lengths="
            "True) so that each sample has a known row index."
        )
    if X.dtype.kind not in "biuf":
        raise ValueError(
            f"The dask pool has dtype {X.dtype}: samplers take numeric dask "
            "arrays. Embed texts or categories first (for example with "
            "X.map_blocks(transformer.transform))."
        )
    if X.numblocks[1] > 1:
        X = X.rechunk({1: -1})
    return X


def shared(value):
    """``value`` (a model, its parameters) where every block's task can read
    it: sent to each worker once, not once per block.

    On a distributed cluster it is scattered to every worker (a future, so
    it never sits in the graph or on the scheduler; computations that use
    it go through :func:`with_shared`, which scatters it again if the
    workers are lost); on dask's local schedulers it is one task of the
    graph that every block depends on. Embedded in each block's task, it
    would be serialized once per block.
    """
    from dask import delayed
    from dask.base import get_scheduler

    client = getattr(get_scheduler(), "__self__", None)
    if hasattr(client, "scatter"):  # a distributed.Client
        return _scatter(client, value)
    return delayed(value, name=f"skactive-shared-{uuid.uuid4().hex}",
                   traverse=False)


def _scatter(client, value, timeout=60.0):
    """``value`` scattered to every worker, as one future.

    A worker that a nanny is restarting (after it died) closes the
    connection of a scatter in flight (``CommClosedError``), and while no
    worker runs, the scheduler gives up on a scatter after two seconds
    (``TimeoutError: No valid workers found``); both are OSErrors. Then
    wait for a running worker and try again, until ``timeout`` seconds
    have passed: on a loaded machine a restart takes longer than a few
    quick attempts.
    """
    deadline = time.monotonic() + timeout
    while True:
        try:
            # In a list, so that a tuple is scattered whole, as one future.
            return client.scatter([value], broadcast=True, hash=False)[0]
        except OSError:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise
            time.sleep(min(0.1, remaining))  # not a tight loop of failures
            client.wait_for_workers(1, timeout=remaining)


def with_shared(value, func, /):
    """``func(shared(value))``, which computes on the cluster.

    A scattered value lives on the workers only: when a distributed cluster
    loses every worker that held it, the scheduler cannot recompute it, as
    it does the pool's blocks, and the computation fails. Then ``value`` is
    scattered again (to the workers that replaced them) and ``func`` called
    once more; lost again, a RuntimeError says what happened.
    """
    for attempt in range(2):
        job = shared(value)
        try:
            return func(job)
        except Exception as exc:
            if not _is_lost(job):
                raise
            if attempt:
                raise RuntimeError(
                    "The dask cluster lost every worker that held the sampler's "
                    "model twice during this computation, so the model, sent "
                    "to the workers and kept nowhere else, was lost. Check why "
                    "the workers die (their logs; a memory limit below the "
                    "model and a block of the pool), then call the method again."
                ) from exc


def _is_lost(job):
    """Whether ``job`` is a scattered future whose value the cluster lost."""
    module = sys.modules.get("distributed")
    return (module is not None and isinstance(job, module.Future)
            and job.status != "finished")


def block_offsets(X):
    """Row index of the first sample of each block of rows."""
    return np.concatenate([[0], np.cumsum(X.chunks[0])[:-1]]).astype(np.int64)


def dask_scores(block_scores, X, /, **kwargs):
    """Lazy scores of a dask pool: ``block_scores(block, offset=..., **kwargs)``
    on each block of rows, on the workers.

    ``kwargs`` (a model, its parameters) reach each worker once. The scores
    are float64, one per sample, in the pool's row chunks.
    """
    if isinstance(X, DaskFrame):
        import dask.array as da
        from dask import delayed

        job = shared((block_scores, kwargs))
        return da.concatenate([
            da.from_delayed(delayed(_run_on_block)(block, offset, job, True),
                            shape=(length,), dtype=np.float64, meta=np.empty(0))
            for block, offset, length in zip(X.to_delayed(), block_offsets(X),
                                             X.chunks[0])
        ])
    return X.map_blocks(_scores_of_block, job=shared((block_scores, kwargs)),
                        dtype=np.float64, drop_axis=1, meta=np.empty(0))


def dask_top(block_scores, X, k, seed, /, **kwargs):
    """The best ``k`` indices of a dask pool, best first, by the total order of
    :func:`~skactive.utils._selection.top_k`.

    Each block's best ``k`` (indices and scores) are computed on the workers
    and merged on the client: ``k`` pairs per block travel, never the pool
    nor its scores. The result is the in-memory ``top_k`` of all the scores.
    """
    index, scores = dask_map_reduce(partial(_top_of_block, block_scores, k, seed),
                                    X, **kwargs)
    return top_k(scores, min(k, scores.shape[0]), seed, index=index)


def dask_map_reduce(block_function, X, /, **kwargs):
    """Compute ``block_function(block, offset=..., **kwargs)`` on every block
    of rows, on the workers, and concatenate what each returns (a tuple of
    arrays) on the client."""
    from dask import compute, delayed

    blocks = list(zip(X.to_delayed().ravel(), block_offsets(X)))
    parts = with_shared((block_function, kwargs), lambda job: compute(
        *[delayed(_run_on_block)(block, offset, job) for block, offset in blocks]))
    return tuple(np.concatenate(arrays) for arrays in zip(*parts))


def _scores_of_block(block, job, block_info=None):
    block_scores, kwargs = job
    offset = block_info[0]["array-location"][0][0]
    return np.asarray(block_scores(block, offset=offset, **kwargs), dtype=np.float64)


def _run_on_block(block, offset, job, scores=False, /):
    block_function, kwargs = job
    out = block_function(block, offset=int(offset), **kwargs)
    return np.asarray(out, dtype=np.float64) if scores else out


def _top_of_block(block_scores, k, seed, block, /, *, offset, **kwargs):
    scores = np.asarray(block_scores(block, offset=offset, **kwargs), dtype=np.float64)
    index = np.arange(offset, offset + scores.shape[0])
    best = top_k(scores, min(k, scores.shape[0]), seed, index=index)
    return best, scores[best - offset]
