"""Base class of the samplers that map a model or a transformer over chunks of
the pool in parallel, and the helpers the samplers share."""

# SPDX-License-Identifier: BSD-3-Clause

import uuid
import warnings
from functools import partial, wraps
from numbers import Integral, Number

import numpy as np
import scipy.sparse as sp
from sklearn.utils import check_array, get_tags

from ..base import BaseSampler
from ..exceptions import SingleClassWarning
from ..utils._chunks import MAX_CHUNK_ROWS, map_chunks
from ..utils._dask import dask_scores, dask_top, is_dask_pool
from ..utils._selection import nearest_squared_distances
from ..utils._sklearn_compat import Interval

# A chunk of the pool meets a reference set in distance blocks of at most
# _REFERENCE_BLOCK rows and about _DISTANCE_CHUNK_BYTES.
_REFERENCE_BLOCK = 1024
_DISTANCE_CHUNK_BYTES = 16 * 2**20


def _warn_single_class():
    """Say that the model-based sampler will rank the pool at random."""
    warnings.warn(
        "The labeled data hold a single class, so no classifier can be trained "
        "to tell uncertain samples apart; the pool is ranked in random order "
        "(seeded by random_state) until a second class is labeled.",
        SingleClassWarning,
    )


def _inherit_input_tags(tags, estimators, fields=("allow_nan", "sparse")):
    """Accept the inputs that every inner estimator accepts.

    A sampler hands its ``X`` to inner estimators unconverted, so for each of
    ``fields`` of the input tags it can take what all of them take.
    """
    inner = [get_tags(estimator).input_tags for estimator in estimators]
    for field in fields:
        setattr(tags.input_tags, field, all(getattr(t, field) for t in inner))
    return tags


class ChunkedSampler(BaseSampler):
    """Base class of samplers that map a model or a transformer over chunks of
    the pool, in parallel: declares ``chunk_size`` and ``n_jobs``."""

    _parameter_constraints: dict = {
        **BaseSampler._parameter_constraints,
        "chunk_size": [Interval(Integral, 1, None, closed="left"), None],
        "n_jobs": [Integral, None],
    }

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "fit" in vars(cls):
            cls.fit = _renews_fit_token(vars(cls)["fit"])

    def _map_chunks(self, func, X, *, row_bytes, max_rows=MAX_CHUNK_ROWS, top=None,
                    **kwargs):
        """Apply ``func(X_chunk, **kwargs)`` over row chunks of ``X`` in parallel.

        Chunks hold ``chunk_size`` rows, or as many as ``row_bytes`` per row
        allows within ``sklearn.get_config()["working_memory"]`` (at most
        ``max_rows``); results come in order, so they do not depend on
        ``n_jobs`` or the joblib backend. With ``top=(k, seed)``, the best
        ``k`` indices instead, streamed: each chunk keeps its best ``k`` and
        only those are merged, so memory is a chunk plus ``k`` per chunk, not
        a score per pool row.

        A dask pool is mapped block by block on its workers, each block cut
        into the same chunks (``n_jobs`` is then dask's): lazy scores, or the
        best ``k`` of each block merged on the client.
        """
        chunking = dict(row_bytes=row_bytes, chunk_size=self.chunk_size,
                        max_rows=max_rows)
        if is_dask_pool(X):
            block = partial(_chunked_block, func, chunking)
            if top is None:
                return dask_scores(block, X, **kwargs)
            return dask_top(block, X, *top, **kwargs)
        kwargs, keep = self._kept_until_refit(kwargs)
        return map_chunks(func, X, n_jobs=self.n_jobs, top=top, keep=keep,
                          **chunking, **kwargs)

    def _kept_until_refit(self, kwargs):
        """``kwargs`` split in two: those that are fitted attributes (the
        model), which worker processes keep from one call to the next until
        the sampler is fitted again (``map_chunks(keep=...)``, under the
        fit's token and the attributes' names), and the others, sent with
        every call."""
        token = getattr(self, "_fit_token", None)
        fitted = {id(value): name for name, value in vars(self).items()
                  if name.endswith("_") and value is not None
                  and not isinstance(value, (str, bytes, Number))}
        kept = {key: value for key, value in kwargs.items() if id(value) in fitted}
        if token is None or not kept:
            return kwargs, None
        key = (token, tuple(sorted((k, fitted[id(v)]) for k, v in kept.items())))
        return {k: v for k, v in kwargs.items() if k not in kept}, (key, kept)

    def _transform(self, transformer, X):
        """``transformer.transform(X)`` chunk by chunk: embeddings, checked
        finite, dense or CSR as the transformer gives them."""
        n_features = getattr(self, "n_features_in_", 1)
        embeddings = self._map_chunks(_transform_chunk, X, row_bytes=16 * n_features,
                                      transformer=transformer)
        embeddings = check_array(
            embeddings, accept_sparse="csr", dtype=[np.float64, np.float32],
            ensure_all_finite=False, input_name="embeddings",
        )
        values = embeddings.data if sp.issparse(embeddings) else embeddings
        if not np.isfinite(values).all():
            raise ValueError(
                "The transformer produced NaN or infinite embeddings. Check "
                "the transformer and the samples it was given (an imputer "
                "in a Pipeline handles missing values)."
            )
        return embeddings

    def _squared_distances_to(self, embeddings, reference):
        """Squared distance of each embedding to its nearest ``reference`` row,
        chunk by chunk, each chunk's distance blocks within 16 MiB."""
        block_bytes = 8 * min(reference.shape[0], _REFERENCE_BLOCK)
        return self._map_chunks(
            nearest_squared_distances, embeddings, row_bytes=block_bytes,
            max_rows=max(1, _DISTANCE_CHUNK_BYTES // block_bytes),
            reference=reference,
        )


def _renews_fit_token(fit):
    """``fit``, giving the fitted sampler a new token: the key under which
    worker processes keep its fitted attributes between calls. There is no
    token while it fits, so nothing is kept from a model being fitted."""

    @wraps(fit)
    def fit_with_new_token(self, *args, **kwargs):
        self._fit_token = None
        fitted = fit(self, *args, **kwargs)
        self._fit_token = uuid.uuid4().hex
        return fitted

    return fit_with_new_token



def _chunked_block(func, chunking, X, *, offset, **kwargs):
    """A dask block scored chunk by chunk, on one worker."""
    return map_chunks(func, X, n_jobs=1, **chunking, **kwargs)


def _transform_chunk(X, *, transformer):
    return transformer.transform(X)
