"""Base class of all samplers: validation, chunked parallel scoring, top-k."""

# SPDX-License-Identifier: BSD-3-Clause

import inspect
import warnings
from abc import ABCMeta, abstractmethod
from numbers import Integral

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator
from sklearn.utils import check_array, get_tags
from sklearn.utils.validation import check_is_fitted, validate_data

from .exceptions import SingleClassWarning
from .utils._chunks import MAX_CHUNK_ROWS, map_chunks
from .utils._selection import nearest_squared_distances, tie_seed, top_k
from .utils._sklearn_compat import Interval, _num_samples
from .utils._validation import check_batch_size

# A chunk of the pool meets a reference set in distance blocks of at most
# _REFERENCE_BLOCK rows and about _DISTANCE_CHUNK_BYTES.
_REFERENCE_BLOCK = 1024
_DISTANCE_CHUNK_BYTES = 16 * 2**20


class BaseSampler(BaseEstimator, metaclass=ABCMeta):
    """Base class for samplers.

    A sampler is fitted on the labeled data, then scores pool samples (higher
    means label earlier) and selects a batch of them. Public methods validate
    their input and delegate to ``_score`` and ``_select``.

    Subclasses implement ``fit`` and ``_score(X)``; batch-aware samplers also
    override ``_select(X, batch_size)``. Every sampler has a ``random_state``
    (ties, draws); its constraint is declared here and merged by subclasses.
    """

    _parameter_constraints: dict = {"random_state": ["random_state"]}

    def score_samples(self, X):
        """Informativeness of each pool sample: higher means label earlier.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            The pool of unlabeled samples.

        Returns
        -------
        scores : ndarray of shape (n_samples,)
            One score per sample.
        """
        check_is_fitted(self)
        X = self._validate_pool(X)
        return self._score(X)

    def score(self, X, y=None):
        """Per-sample informativeness; the same array as :meth:`score_samples`.

        This is the name the fit / score / select API uses. Unlike most
        scikit-learn ``score`` methods it returns one value per sample, not
        one number, so ``cross_val_score`` does not apply to a sampler.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            The pool of unlabeled samples.

        y : None
            Ignored; present so that a sampler can end a
            :class:`~sklearn.pipeline.Pipeline`.

        Returns
        -------
        scores : ndarray of shape (n_samples,)
            One score per sample, higher means label earlier.
        """
        return self.score_samples(X)

    def select(self, X, batch_size=1):
        """Indices of the pool samples to label next, best first.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            The pool of unlabeled samples.

        batch_size : int, default=1
            How many samples to select; between 1 and ``n_samples``.

        Returns
        -------
        indices : ndarray of shape (batch_size,)
            Distinct row indices into ``X``, the most informative first.
        """
        check_is_fitted(self)
        X = self._validate_pool(X)
        batch_size = check_batch_size(batch_size, _num_samples(X))
        return self._select(X, batch_size)

    def _validate_labeled(self, X, y=None):
        """Check the labeled ``X`` that an inner estimator will validate itself.

        ``X`` is passed on unconverted (it may be a DataFrame or text for a
        Pipeline): only its feature count and names are recorded.
        """
        validate_data(self, X, y, skip_check_array=True)
        if _num_samples(X) == 0:
            raise ValueError(
                "X is empty (0 samples): fit the sampler on the labeled samples."
            )

    def _validate_pool(self, X):
        """Check a pool that is passed on unconverted.

        Where an inner estimator validates the pool (see
        :meth:`_inner_validates`), it decides which columns it needs: a
        ``ColumnTransformer`` that selects columns by name takes them in any
        order. Otherwise the number and names of the features are checked
        against those seen in ``fit``.
        """
        if hasattr(self, "n_features_in_") and np.ndim(X) == 1:
            raise ValueError(
                "Expected 2D array, got 1D array instead: the pool must have "
                "shape (n_samples, n_features). Reshape a single sample with "
                "X.reshape(1, -1)."
            )
        if not self._inner_validates():
            X = validate_data(self, X, reset=False, skip_check_array=True)
        if _num_samples(X) == 0:
            raise ValueError(
                "The pool X is empty (0 samples): pass at least one sample to "
                "score or select from."
            )
        return X

    def _inner_validates(self):
        """Whether a fitted inner estimator checks the pool's features."""
        return False

    @abstractmethod
    def _score(self, X):
        """Scores of validated pool ``X``, higher means label earlier."""

    def _select(self, X, batch_size):
        return top_k(self._score(X), batch_size, self.random_state)

    def _is_ranking(self):
        """Whether the batch is the top of one ranking of the pool (the
        default ``_select``): what the ranking checks of
        :mod:`skactive.utils.estimator_checks` test."""
        return type(self)._select is BaseSampler._select

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        tags.input_tags.sparse = True
        return tags


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

    def _select(self, X, batch_size):
        """A ranking's batch, streamed: each chunk keeps its best
        ``batch_size`` and only those are merged, so memory is a chunk plus
        ``batch_size`` per chunk, not a score per pool row. Subclasses'
        ``_score(X, top=None)`` pass ``top`` to :meth:`_map_chunks`."""
        streams = "top" in inspect.signature(self._score).parameters
        if not (self._is_ranking() and streams):
            return super()._select(X, batch_size)
        return self._score(X, top=(batch_size, tie_seed(self.random_state)))

    def _ranked(self, scores, top):
        """``scores``, or their best ``top[0]`` indices when selecting."""
        return scores if top is None else top_k(scores, top[0], top[1])

    def _is_ranking(self):
        return type(self)._select is ChunkedSampler._select

    def _map_chunks(self, func, X, *, row_bytes, max_rows=MAX_CHUNK_ROWS, **kwargs):
        """Apply ``func(X_chunk, **kwargs)`` over row chunks of ``X`` in parallel.

        Chunks hold ``chunk_size`` rows, or as many as ``row_bytes`` per row
        allows within ``sklearn.get_config()["working_memory"]`` (at most
        ``max_rows``); results come in order, so they do not depend on
        ``n_jobs`` or the joblib backend.
        """
        return map_chunks(func, X, row_bytes=row_bytes, chunk_size=self.chunk_size,
                          n_jobs=self.n_jobs, max_rows=max_rows, **kwargs)

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


def _transform_chunk(X, *, transformer):
    return transformer.transform(X)
